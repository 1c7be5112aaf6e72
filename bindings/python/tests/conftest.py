"""Shared fixtures: the sample layers of shapefiles/ (Guildford and Waverley)."""
import os
import pathlib

import pytest

import placedef

ROOT = pathlib.Path(os.environ.get("PDEF_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
SAMPLE = ROOT / "shapefiles"
TOTAL_POPULATION = 276908  # mid-2020, the 166 LSOAs of 2011 (shapefiles/SOURCES.md)
DISTRICTS_KM2 = 271.0 + 345.2  # Guildford and Waverley


def sample(name):
    return str(SAMPLE / name)


@pytest.fixture(scope="session")
def wards():
    return placedef.Layer.open(sample("ward_2025.gpkg@WD25CD"))


@pytest.fixture(scope="session")
def ceds():
    return placedef.Layer.open(sample("ced_2025.gpkg"))


@pytest.fixture(scope="session")
def lad():
    return placedef.Layer.open(sample("lad_2021.gpkg"))


@pytest.fixture(scope="session")
def practices():
    return placedef.Layer.open(sample("gp_practices.gpkg@PRACTICE_CODE"), points=True)


@pytest.fixture(scope="session")
def population():
    return placedef.Population(sample("lsoa_2011.gpkg"), table=sample("population_mid2020_lsoa11.csv"),
                               column="total_population", key="lsoa11_code")


@pytest.fixture(scope="session")
def lsoa11():
    return placedef.Layer.open(sample("lsoa_2011.gpkg"))


@pytest.fixture(scope="session")
def deprivation(lsoa11):
    """IMD 2019 ranks of each LSOA of 2011, in the layer's order."""
    import csv
    with open(sample("imd_2019_lsoa11.csv"), newline="") as table:
        rows = {row["lsoa11_code"]: row for row in csv.DictReader(table)}
    return {column: [float(rows[code][column]) for code in lsoa11.codes] for column in ("IMD_rank", "Income_rank")}
