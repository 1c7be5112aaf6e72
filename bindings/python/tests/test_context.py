"""The module itself (context.cpp): version, logging and how errors reach Python."""
import logging

import pytest

import placedef
from conftest import ROOT, sample


def test_version():
    assert placedef.__version__ == placedef.version() == (ROOT / "VERSION").read_text().strip()


def test_problems_and_notes_go_to_the_logger(caplog):
    with caplog.at_level(logging.DEBUG, logger="placedef"):
        layer = placedef.Layer.open(str(ROOT / "tests/data/bad/null_geometry.geojson"))
    levels = {record.levelname for record in caplog.records if record.name == "placedef"}
    assert {"WARNING", "INFO"} <= levels  # the skipped feature, and the guessed code column
    assert layer.problems[0]["kind"] == "null_geometry" and layer.problems[0]["fid"] == 2


def test_errors_are_python_exceptions(tmp_path):
    with pytest.raises(ValueError) as bad_input:
        placedef.Layer.open(sample("lad_2021.gpkg:no_such_layer"))
    assert "no_such_layer" in str(bad_input.value) and "pdef_" not in str(bad_input.value)
    with pytest.raises(ValueError, match="study"):
        placedef.Layer.open(sample("lad_2021.gpkg"), study_crs="")
    with pytest.raises(OSError):
        placedef.overlay(sample("lad_2021.gpkg"), sample("lad_2021.gpkg"), output=str(tmp_path / "no" / "x.csv"))
