"""placedef.pcn(): PCN footprints."""
import math

import geopandas
import numpy
import pytest

import placedef
from conftest import DISTRICTS_KM2, TOTAL_POPULATION, sample


def test_voronoi_footprints(practices, lad, tmp_path):
    out = tmp_path / "pcn.gpkg"
    result = placedef.pcn(practices, lad, output=str(out))
    footprints, summary = result["footprints"], result["summary"]
    assert len(footprints["code"]) == 6 and summary["method"] == "voronoi"
    assert summary["clip_area"] / 1e6 == pytest.approx(DISTRICTS_KM2, abs=1.0)
    assert summary["covered_area"] == pytest.approx(summary["clip_area"], rel=1e-6)
    assert math.isnan(summary["voronoi_agreement"])
    shapes = geopandas.GeoSeries.from_wkb(footprints["wkb"], crs=result["crs"])
    assert numpy.allclose(shapes.area.to_numpy(), footprints["area_m2"], rtol=1e-6)
    statuses = result["practices"]["status"]
    assert len(statuses) == 25 and statuses.count("unallocated") == 1
    assert footprints["practices"].sum() == 24
    assert [p["code"] for p in result["problems"]] == ["H81132"]  # the unallocated practice, reported
    assert len(geopandas.read_file(out, layer="pcn_footprints")) == 6


def test_block_footprints_nest_in_lsoas(lad, population):
    result = placedef.pcn(sample("gp_practices.gpkg@PRACTICE_CODE"), lad, method="blocks",
                          blocks=sample("lsoa_2021.gpkg"), population=population)
    blocks = result["blocks"]
    assert len(blocks["block"]) == 166 and set(blocks["how"]) == {"voronoi majority"}
    assert 0.5 < result["summary"]["voronoi_agreement"] <= 1
    assert result["footprints"]["population"].sum() == pytest.approx(TOTAL_POPULATION, rel=0.01)


def test_clip_to_one_district(practices, lad):
    result = placedef.pcn(practices, lad, clip_codes=["E07000209"])
    assert result["practices"]["status"].count("outside_clip") == 13
    assert len(result["pcns_outside"]) == 3


def test_bad_pcn(practices, lad):
    with pytest.raises(ValueError, match="unknown PCN method 'delaunay'"):
        placedef.pcn(practices, lad, method="delaunay")
    with pytest.raises(ValueError, match="blocks"):
        placedef.pcn(practices, lad, method="blocks")
    with pytest.raises(ValueError, match="registered"):
        placedef.pcn(practices, lad, method="registered", blocks=sample("lsoa_2021.gpkg"))
    with pytest.raises(ValueError, match="NO_SUCH_COLUMN"):
        placedef.pcn(practices, lad, pcn_code="NO_SUCH_COLUMN")
    with pytest.raises(ValueError, match="same-site"):
        placedef.pcn(practices, lad, same_site=-1)
