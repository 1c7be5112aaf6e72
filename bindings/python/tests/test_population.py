"""placedef.Population."""
import numpy
import pytest

import placedef
from conftest import ROOT, TOTAL_POPULATION, sample


def test_population_from_a_table(population, wards):
    assert population.values.shape == (166,) and population.values.sum() == TOTAL_POPULATION
    assert population.units.name == "lsoa_2011"
    assert population.apportion(wards).sum() == pytest.approx(TOTAL_POPULATION, rel=0.005)


def test_population_from_values(wards):
    values = numpy.arange(45, dtype=float)
    people = placedef.Population(wards, values=values)
    assert numpy.array_equal(people.values, values)
    assert people.apportion(wards) == pytest.approx(values, rel=1e-6, abs=1e-6)


def test_bad_population(wards, practices):
    with pytest.raises(ValueError, match="either as table= and column="):
        placedef.Population(wards)
    with pytest.raises(ValueError, match="3 population values for the 45 units"):
        placedef.Population(wards, values=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="polygon units"):
        placedef.Population(practices, values=[1.0] * 25)
    with pytest.raises(ValueError, match="no_such_column"):
        placedef.Population(sample("lsoa_2011.gpkg"), table=sample("population_mid2020_lsoa11.csv"),
                            column="no_such_column", key="lsoa11_code")
    with pytest.raises(ValueError, match="placedef.Population"):
        placedef.overlay(wards, wards, population="people")


def test_population_key_is_guessed_as_in_every_front_end():
    # The table's first column holds names; the code column is found by matching the unit codes.
    people = placedef.Population(sample("lsoa_2011.gpkg"), table=sample("population_mid2020_lsoa11.csv"),
                                 column="total_population")
    assert people.values.sum() == TOTAL_POPULATION


def test_population_must_be_a_number_from_0_to_the_limit(wards):
    # One rule for every front end: negative, not a number, infinite, or more
    # than 1e15 per unit or in total (sums could overflow) are refused.
    for bad, message in ((-1, "is negative"), (numpy.nan, "is not a number"), (numpy.inf, "is infinite"),
                         (1e308, "above the limit of 1e\\+15 people per unit")):
        values = numpy.ones(45)
        values[3] = bad
        with pytest.raises(ValueError, match=message):
            placedef.Population(wards, values=values)
    values = numpy.full(45, 1e14)
    with pytest.raises(ValueError, match="the population totals .* above the limit"):
        placedef.Population(wards, values=values)


def test_population_table_value_is_named_by_line(tmp_path):
    rows = ["code,population"] + ["%s,%d" % (code, 10) for code in ("SQ1", "SQ2")] + ["SQ3,-100"]
    table = tmp_path / "negative.csv"
    table.write_text("\n".join(rows) + "\n")
    squares = placedef.Layer.open(str(ROOT / "tests/data/bad/squares.geojson@SQCD"))
    with pytest.raises(ValueError, match=r"negative.csv', line 4 \(code SQ3\), field 'population': the population -100 is negative"):
        placedef.Population(squares, table=str(table), column="population")


def test_overlapping_population_units_are_reported():
    # SQ3 lies half on SQ2: its people there would be counted twice.
    units = placedef.Layer.open(str(ROOT / "tests/data/bad/overlapping_units.geojson@SQCD"))
    people = placedef.Population(units, values=[10.0, 20.0, 30.0])
    overlaps = [p for p in people.problems if p["kind"] == "overlapping_units"]
    assert len(overlaps) == 1 and overlaps[0]["code"] == "SQ3" and overlaps[0]["action"] == "kept"
    assert "overlaps unit SQ2 (feature 2) by 5000 m2" in overlaps[0]["detail"]
