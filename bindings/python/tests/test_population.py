"""placedef.Population."""
import numpy
import pytest

import placedef
from conftest import TOTAL_POPULATION, sample


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


def test_population_must_be_a_finite_number_of_0_or_more(wards):
    values = numpy.ones(45)
    values[3] = -1
    with pytest.raises(ValueError, match="not a finite number of 0 or more"):
        placedef.Population(wards, values=values)
    values[3] = numpy.nan
    with pytest.raises(ValueError, match="not a finite number of 0 or more"):
        placedef.Population(wards, values=values)
