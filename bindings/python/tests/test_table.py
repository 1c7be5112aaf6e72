"""placedef.overlay(): the intersection table (table.cpp)."""
import geopandas
import numpy
import pytest
import shapely.wkb

import placedef
from conftest import TOTAL_POPULATION, sample


def test_overlay_with_population_and_pieces(wards, ceds, population, tmp_path):
    csv, gpkg = tmp_path / "ward_x_ced.csv", tmp_path / "ward_x_ced.gpkg"
    result = placedef.overlay(wards, ceds, population=population, output=[str(csv), str(gpkg)])
    summary, rows = result["summary"], result["rows"]
    assert summary["a_layer"] == "ward_2025" and summary["b_layer"] == "ced_2025"
    assert summary["has_population"] and summary["has_geometry"]  # a .gpkg output needs the pieces
    n = summary["rows"]
    assert n > 45 and all(len(column) == n for column in rows.values())
    # every ward lies in the county divisions of its district, boundaries a few metres apart
    assert rows["share_of_a"].sum() == pytest.approx(45, abs=0.5)
    assert rows["pop"].sum() == pytest.approx(TOTAL_POPULATION, rel=0.01)
    assert rows["a_index"].dtype == numpy.int64 and rows["a_index"].max() < 45
    pieces = geopandas.GeoSeries.from_wkb(rows["wkb"], crs="EPSG:27700")
    assert numpy.allclose(pieces.area.to_numpy(), rows["area_m2"], rtol=1e-4)
    assert len(result["a_units"]["code"]) == 45 and len(result["b_units"]["code"]) == 19
    assert csv.read_text().startswith("a_code,a_name,b_code,b_name,area_m2")
    assert len(geopandas.read_file(gpkg, layer="pieces")) == n


def test_overlay_by_address_without_geometry(tmp_path):
    result = placedef.overlay(sample("ward_2025.gpkg@WD25CD"), sample("ced_2025.gpkg"), min_share=0.5,
                              output=str(tmp_path / "lean.csv"))
    assert not result["summary"]["has_geometry"] and "wkb" not in result["rows"] and "pop" not in result["rows"]
    assert result["summary"]["dropped_below_min_share"] > 0
    shares = numpy.maximum(result["rows"]["share_of_a"], result["rows"]["share_of_b"])
    assert (shares >= 0.5).all()


def test_pieces_on_request(wards, ceds):
    rows = placedef.overlay(wards, ceds, geometry=True)["rows"]
    assert shapely.wkb.loads(rows["wkb"][0]).area == pytest.approx(rows["area_m2"][0], rel=1e-6)


def test_bad_overlay(wards, ceds, practices, tmp_path):
    with pytest.raises(ValueError, match="min_share"):
        placedef.overlay(wards, ceds, min_share=2)
    with pytest.raises(ValueError):
        placedef.overlay(practices, ceds)
    with pytest.raises(OSError, match="no_such_dir"):
        placedef.overlay(wards, ceds, output=str(tmp_path / "no_such_dir" / "table.csv"))
    with pytest.raises(TypeError, match="a path or a list of paths"):
        placedef.overlay(wards, ceds, output=3)
