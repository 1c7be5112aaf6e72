"""placedef.Layer and placedef.info()."""
import logging
import math
import os
import struct

import geopandas
import numpy
import pytest
import shapely.geometry
import shapely.wkb

import placedef
from conftest import DISTRICTS_KM2, ROOT, sample


def test_open_polygons(wards):
    assert len(wards) == 45
    assert wards.name == "ward_2025" and wards.kind == "polygon" and wards.crs == "EPSG:27700"
    assert wards.code_column == "WD25CD" and not wards.code_column_guessed
    assert wards.features_read == 45 and wards.problems == []
    assert all(code.startswith("E05") for code in wards.codes)
    assert wards.areas.sum() / 1e6 == pytest.approx(DISTRICTS_KM2, abs=1.0)
    minx, miny, maxx, maxy = wards.extent
    assert 450000 < minx < maxx < 520000 and 120000 < miny < maxy < 170000
    assert wards.find(wards.codes[3]) == 3 and wards.find("E00000000") is None
    assert "WD25NM" in wards.attribute_names
    assert "45 polygons" in repr(wards)


def test_open_points(practices):
    assert practices.kind == "point" and len(practices) == 25
    assert practices.points.shape == (25, 2) and not numpy.isnan(practices.points).any()
    point = shapely.wkb.loads(practices.wkb()[0])
    assert (point.x, point.y) == tuple(practices.points[0])
    with pytest.raises(ValueError, match="point layer"):
        practices.areas


def test_info_is_what_the_command_line_prints():
    info = placedef.info(sample("lsoa_2021.gpkg"))
    assert info["features"] == info["features_read"] == 166
    assert info["code_column"] == "LSOA21CD" and info["code_column_guessed"]
    assert info["area_km2"] == pytest.approx(DISTRICTS_KM2, abs=1.0)
    assert info["vertices"] > 166 * 4 and info["problems"] == 0
    assert placedef.info(sample("gp_practices.gpkg@PRACTICE_CODE"), points=True)["kind"] == "point"


def test_geodataframe_round_trip(wards):
    frame = wards.to_geodataframe()
    assert isinstance(frame, geopandas.GeoDataFrame) and len(frame) == 45
    assert frame.crs.to_epsg() == 27700
    assert numpy.allclose(frame.geometry.area.to_numpy(), wards.areas, rtol=1e-9)
    back = placedef.Layer.from_geodataframe(frame, code="code", name="wards_again")
    assert back.codes == wards.codes and back.name == "wards_again"
    assert numpy.allclose(back.areas, wards.areas, rtol=1e-9)
    assert back.to_dict()["WD25NM"] == wards.to_dict()["WD25NM"]


def test_from_wkb_reports_and_skips_a_missing_polygon(caplog):
    square = shapely.geometry.box(500000, 150000, 500100, 150100).wkb
    with caplog.at_level(logging.WARNING, logger="placedef"):
        layer = placedef.Layer.from_wkb(["A", "B"], [square, None], crs="EPSG:27700", name="made")
    assert layer.codes == ["A"] and layer.features_read == 2
    assert [p["kind"] for p in layer.problems] == ["null_geometry"] and layer.problems[0]["code"] == "B"
    assert any("null_geometry" in record.getMessage() for record in caplog.records)
    assert layer.areas[0] == pytest.approx(10000.0)


def test_from_wkb_repairs_a_bow_tie():
    bow_tie = shapely.geometry.Polygon([(0, 0), (100, 100), (100, 0), (0, 100)]).wkb
    layer = placedef.Layer.from_wkb(["BOW"], [bow_tie], crs="EPSG:27700")
    assert layer.areas[0] == pytest.approx(5000.0)
    assert layer.problems[0]["kind"] == "invalid_geometry" and layer.problems[0]["action"] == "repaired"
    with pytest.raises(ValueError, match="BOW"):
        placedef.Layer.from_wkb(["BOW"], [bow_tie], crs="EPSG:27700", invalid="fail")


def test_points_from_geodataframe_keep_attributes(practices):
    frame = practices.to_geodataframe()
    again = placedef.Layer.from_geodataframe(frame, code="code")
    assert again.kind == "point" and again.codes == practices.codes
    assert again.to_dict()["PCN_CODE"] == practices.to_dict()["PCN_CODE"]


def test_bad_input_raises_value_error(wards):
    with pytest.raises(ValueError, match="NO_COLUMN"):
        placedef.Layer.open(sample("lad_2021.gpkg@NO_COLUMN"))
    with pytest.raises(ValueError, match="repair, skip, fail"):
        placedef.Layer.open(sample("lad_2021.gpkg"), invalid="mend")
    with pytest.raises(ValueError, match="must hold|point"):
        placedef.Layer.open(sample("gp_practices.gpkg@PRACTICE_CODE"))
    with pytest.raises(ValueError, match="not WKB bytes"):
        placedef.Layer.from_wkb(["A"], ["POLYGON ((0 0, 1 0, 1 1, 0 0))"], crs="EPSG:27700")
    # bytes that are not WKB are a corrupt feature, as a broken GeoPackage blob is
    assert len(placedef.Layer.from_wkb(["A"], [b"\x01\x03\x00"], crs="EPSG:27700").codes) == 0
    with pytest.raises(ValueError, match="corrupt_geometry|cannot be read"):
        placedef.Layer.from_wkb(["A"], [b"\x01\x03\x00"], crs="EPSG:27700", invalid="fail")
    with pytest.raises(ValueError, match="2 codes but 1 geometries"):
        placedef.Layer.from_wkb(["A", "B"], [None], crs="EPSG:27700")
    with pytest.raises(ValueError, match="has no CRS"):
        placedef.Layer.from_geodataframe(geopandas.GeoDataFrame({"c": ["A"]}, geometry=[shapely.geometry.box(0, 0, 1, 1)]), "c")
    with pytest.raises(ValueError, match="LineString"):
        placedef.Layer.from_geodataframe(geopandas.GeoDataFrame(
            {"c": ["A"]}, geometry=[shapely.geometry.LineString([(0, 0), (1, 1)])], crs=27700), "c")
    with pytest.raises(TypeError, match="placedef.Layer, an address .* not int"):
        placedef.overlay(42, wards)
    assert math.isfinite(wards.areas[0])


def test_geodataframe_in_degrees_is_reprojected_to_square_metres(wards):
    lonlat = wards.to_geodataframe().to_crs(4326)
    layer = placedef.Layer.from_geodataframe(lonlat, code="code")
    assert layer.crs == "EPSG:27700" and layer.source_crs == "EPSG:4326"
    assert layer.codes == wards.codes
    # Square metres as read from the EPSG:27700 file, not square degrees.
    assert numpy.allclose(layer.areas, wards.areas, rtol=0.001)
    assert layer.areas.sum() / 1e6 == pytest.approx(DISTRICTS_KM2, abs=1.0)


def test_study_crs_must_keep_areas_over_the_frame(wards):
    frame = wards.to_geodataframe()
    with pytest.raises(ValueError, match=r"study CRS 'EPSG:3857' distorts area by 15\d\.\d % .*EPSG:27700"):
        placedef.Layer.from_geodataframe(frame, code="code", study_crs="EPSG:3857")
    with pytest.raises(ValueError, match="geographic"):
        placedef.Layer.from_geodataframe(frame.to_crs(4326), code="code", study_crs="EPSG:4326")
    laea = "+proj=laea +lat_0=51.2 +lon_0=-0.6 +datum=WGS84 +units=m"
    equal_area = placedef.Layer.from_geodataframe(frame.to_crs(4326), code="code", study_crs=laea)
    assert equal_area.crs == laea
    # On the ellipsoid: EPSG:27700 gives Surrey 0.05 % small.
    assert equal_area.areas.sum() / wards.areas.sum() == pytest.approx(1.0005, abs=0.0002)


def test_from_wkb_takes_the_crs_of_its_coordinates():
    box = shapely.geometry.box(-0.58, 51.23, -0.56, 51.24).wkb  # longitude, latitude
    layer = placedef.Layer.from_wkb(["BOX"], [box], crs="EPSG:4326")
    assert layer.crs == "EPSG:27700" and layer.source_crs == "EPSG:4326"
    # 1.394 km (0.02 degrees of longitude at 51.2 N) by 1.113 km: 1.55 km2, not 0.0002 square degrees
    assert layer.areas[0] == pytest.approx(1.394e3 * 1.113e3, rel=0.002)
    with pytest.raises(ValueError, match="distorts area"):
        placedef.Layer.from_wkb(["BOX"], [box], crs="EPSG:4326", study_crs="EPSG:3857")


def _ring_points(points):
    return struct.pack("<I", len(points)) + b"".join(struct.pack("<2d", *p) for p in points)


def test_wkb_layers_follow_the_rules_of_files():
    """A layer given as WKB gets the problems a file with the same features
    would: curves linearised and reported, coordinates outside the CRS's area
    of use reported, an EWKB SRID that agrees with the CRS accepted."""
    circle = [(500000, 150000), (500100, 150100), (500200, 150000), (500100, 149900), (500000, 150000)]
    curve_polygon = struct.pack("<BII", 1, 10, 1) + struct.pack("<BI", 1, 8) + _ring_points(circle)
    layer = placedef.Layer.from_wkb(["C"], [curve_polygon], crs="EPSG:27700")
    assert layer.codes == ["C"]
    assert abs(layer.areas[0] - math.pi * 100.0**2) < 0.001 * math.pi * 100.0**2
    assert [p["kind"] for p in layer.problems] == ["curve_linearised"]
    assert "Curve Polygon" in layer.problems[0]["detail"]

    square_lonlat = [(-0.58, 51.23), (-0.56, 51.23), (-0.56, 51.24), (-0.58, 51.24), (-0.58, 51.23)]
    polygon = struct.pack("<BII", 1, 3, 1) + _ring_points(square_lonlat)
    layer = placedef.Layer.from_wkb(["DEG"], [polygon], crs="EPSG:27700")
    kinds = [p["kind"] for p in layer.problems]
    assert "outside_crs_area" in kinds
    assert any("longitude and latitude" in p["detail"] for p in layer.problems)

    square = [(500000, 150000), (500100, 150000), (500100, 150100), (500000, 150100), (500000, 150000)]
    ewkb = struct.pack("<BII", 1, 0x20000003, 27700) + struct.pack("<I", 1) + _ring_points(square)
    layer = placedef.Layer.from_wkb(["E"], [ewkb], crs="EPSG:27700")
    assert layer.areas == [10000.0]
    with pytest.raises(ValueError, match="SRID 4326"):
        placedef.Layer.from_wkb(["E"], [struct.pack("<BII", 1, 0x20000003, 4326) + ewkb[9:]], crs="EPSG:27700")


def test_messages_are_safe_to_print_and_data_stays_as_read():
    """Codes with control characters (an ESC colour sequence) reach messages
    escaped, so that printing an exception or a problem cannot recolour or
    retitle the terminal; the code itself is returned as read."""
    path = str(ROOT / "tests" / "data" / "bad" / "control_chars.geojson")
    layer = placedef.Layer.open(path + "@SQCD")
    merged = [p for p in layer.problems if p["kind"] == "duplicate_code"]
    assert merged and merged[0]["code"] == "SQ\x1b[31m1"
    assert "\x1b" not in merged[0]["description"] and "SQ\\x1b[31m1" in merged[0]["description"]
    with pytest.raises(ValueError) as refused:
        placedef.Layer.open(path + "@SQCD", invalid="fail")
    assert "\x1b" not in str(refused.value) and "\\x1b" in str(refused.value)
