"""Each job through the command line and through Python on the same request gives
the same tables: .to_pandas() has the CSV's columns, rows and numbers, .problems
the --problems CSV's rows, and .to_geodataframe() the GeoPackage's features."""
import os
import pathlib
import subprocess

import geopandas
import pandas
import pytest

import placedef
from conftest import ROOT, sample
from placedef._results import unguard

CLI = os.environ.get("PDEF_CLI", str(ROOT / "build" / "engine" / "placedef"))
DATA = ROOT.parent / "shared" / "data" / "uk"
WARDS = sample("ward_2025.gpkg@WD25CD")
CEDS = sample("ced_2025.gpkg@CED25CD")
LAD = sample("lad_2021.gpkg@LAD21CD")
LSOA = sample("lsoa_2011.gpkg@LSOA11CD")
PRACTICES = sample("gp_practices.gpkg@PRACTICE_CODE")
POP_TABLE = sample("population_mid2020_lsoa11.csv")
POP_ARGS = ["--pop-table", POP_TABLE, "--pop-key", "lsoa11_code", "--pop-column", "total_population"]


@pytest.fixture(scope="module")
def people():
    return placedef.Population(LSOA, table=POP_TABLE, column="total_population", key="lsoa11_code")


@pytest.fixture
def out(tmp_path):
    return tmp_path


def cli(*args):
    subprocess.run([CLI, "-q", *map(str, args)], check=True, capture_output=True, text=True)


def same_table(result, csv, table=None):
    """The result's table is the CSV's: same columns and rows, numbers equal to
    the printed precision (the CSV prints each number in full: the shortest text
    that reads back as the same double)."""
    expected = placedef.read_table(csv)
    got = result.to_pandas(table)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected) > 0
    pandas.testing.assert_frame_equal(got, expected, check_exact=True)


def same_problems(result, csv):
    expected = pandas.read_csv(csv, dtype=str, keep_default_na=False).applymap(unguard)
    got = result.problems.astype(str).replace("<NA>", "")
    assert list(got.columns) == list(expected.columns)
    assert got.values.tolist() == expected.values.tolist()


def same_layer(result, gpkg, layer):
    expected = geopandas.read_file(gpkg, layer=layer)
    got = result.to_geodataframe(layer)
    assert list(got.columns) == list(expected.columns) and len(got) == len(expected) > 0
    pandas.testing.assert_frame_equal(pandas.DataFrame(got.drop(columns="geometry")),
                                      pandas.DataFrame(expected.drop(columns="geometry")), check_exact=True)
    assert list(got.geometry.to_wkb()) == list(expected.geometry.to_wkb())
    assert got.crs == expected.crs


def test_overlay(out, people):
    cli("overlay", WARDS, CEDS, "--pop", LSOA, *POP_ARGS, "-o", out / "o.csv", "-o", out / "o.gpkg",
        "--problems", out / "p.csv")
    result = placedef.overlay(WARDS, CEDS, population=people, geometry=True)
    same_table(result, out / "o.csv")
    same_problems(result, out / "p.csv")
    same_layer(result, out / "o.gpkg", "pieces")
    assert list(result.to_pandas().columns) == ["a_code", "a_name", "b_code", "b_name", "area_m2", "share_of_a",
                                                "share_of_b", "pop", "pop_share_of_a", "pop_share_of_b"]


def test_align(out, people):
    cli("align", WARDS, CEDS, "--pop", LSOA, *POP_ARGS, "-o", out / "a.csv", "--problems", out / "p.csv")
    result = placedef.align(WARDS, CEDS, population=people)
    same_table(result, out / "a.csv")
    same_problems(result, out / "p.csv")


def test_bestfit(out):
    cli("bestfit", sample("lsoa_2021.gpkg@LSOA21CD"), WARDS, "-o", out / "b.csv", "--problems", out / "p.csv")
    result = placedef.bestfit(sample("lsoa_2021.gpkg@LSOA21CD"), WARDS)
    same_table(result, out / "b.csv")
    same_problems(result, out / "p.csv")


def test_matrix(out, people):
    cli("matrix", LAD, CEDS, WARDS, "--pop", LSOA, *POP_ARGS, "-o", out / "m.csv")
    same_table(placedef.matrix([LAD, CEDS, WARDS], population=people), out / "m.csv")


def test_pcn(out):
    cli("pcn", PRACTICES, "--clip", LAD, "--method", "voronoi", "-o", out / "pcn.csv", "-o", out / "pcn.gpkg",
        "--problems", out / "p.csv")
    result = placedef.pcn(PRACTICES, LAD, method="voronoi")
    same_table(result, out / "pcn.csv")
    same_problems(result, out / "p.csv")
    assert len(result.problems) == 1
    for layer in ("pcn_footprints", "practices"):
        same_layer(result, out / "pcn.gpkg", layer)


def test_footprints(out, people, deprivation):
    cli("footprints", LSOA, *POP_ARGS, "--attr", sample("imd_2019_lsoa11.csv") + ":IMD_rank", "--method", "skater",
        "--k", 8, "-o", out / "f.csv", "-o", out / "f.gpkg")
    result = placedef.footprints(LSOA, method="skater", k=8, population=people,
                                 attributes={"IMD_rank": deprivation["IMD_rank"]})
    same_table(result, out / "f.csv")
    assert list(result.to_pandas().columns[:2]) == ["footprint", "name"]
    for layer in ("footprints", "membership"):
        same_layer(result, out / "f.gpkg", layer)


def test_footprints_on_the_built_in_attributes(out, people):
    # --attr density --attr position*0.5 on the command line; {"density": 1, "position": 0.5} in Python.
    cli("footprints", LSOA, *POP_ARGS, "--attr", "density", "--attr", "position*0.5", "--method", "skater",
        "--k", 8, "-o", out / "b.csv")
    result = placedef.footprints(LSOA, method="skater", k=8, population=people,
                                 attributes={"density": 1, "position": 0.5})
    same_table(result, out / "b.csv")
    with pytest.raises(placedef.OptionError, match="not a built-in attribute"):
        placedef.footprints(LSOA, method="skater", k=8, population=people, attributes={"height": 1.0})


def test_footprints_ensemble_with_its_companion_tables(out, people, deprivation):
    cli("footprints", LSOA, *POP_ARGS, "--attr", sample("imd_2019_lsoa11.csv") + ":IMD_rank", "--method", "azp",
        "--k", 8, "--ensemble", 6, "-o", out / "e.csv")
    result = placedef.footprints(LSOA, method="azp", k=8, ensemble=6, population=people,
                                 attributes={"IMD_rank": deprivation["IMD_rank"]})
    assert sorted(result.tables()) == ["footprints", "footprints_boundary_frequency", "footprints_membership"]
    same_table(result, out / "e.csv")
    same_table(result, out / "e_membership.csv", "footprints_membership")
    same_table(result, out / "e_boundary_frequency.csv", "footprints_boundary_frequency")


def test_compare(out, people):
    cli("compare", "districts=" + LAD, "divisions=" + CEDS, "--blocks", LSOA, *POP_ARGS, "--partner", WARDS,
        "--min-pop", 10000, "--max-pop", 200000, "-o", out / "c.csv", "-o", out / "c.gpkg")
    result = placedef.compare(LSOA, [("districts", LAD), ("divisions", CEDS)], [WARDS], population=people,
                              min_population=10000, max_population=200000)
    same_table(result, out / "c.csv")
    assert sorted(result.tables()) == ["comparison", "comparison_moves", "comparison_partner_changes",
                                       "comparison_places", "comparison_proposals"]
    for companion in ("proposals", "places", "moves", "partner_changes"):
        same_table(result, out / f"c_{companion}.csv", f"comparison_{companion}")
    for layer in ("proposal_districts", "proposal_divisions", "differences"):
        same_layer(result, out / "c.gpkg", layer)


@pytest.mark.skipif(not DATA.is_dir(), reason="needs the full Surrey data in ../shared/data/uk")
def test_compare_surrey_unitaries(out):
    """examples/surrey's two reorganisation options, as docs/cli.md runs them."""
    proposals = [ROOT / "examples" / "surrey" / "proposals" / f"{n}_unitaries.csv" for n in ("two", "three")]
    blocks = f"{DATA}/lsoa_2021_bgc.gpkg@LSOA21CD"
    partners = [f"{DATA}/lad_2021_bgc.gpkg@LAD21CD,LAD21NM", f"{DATA}/icb_2022_bgc.gpkg@ICB22CD,ICB22NM"]
    pop = f"{DATA}/lsoa_2011_bgc.gpkg@LSOA11CD"
    table = f"{DATA}/population_mid2020_lsoa11_syoa.csv"
    cli("compare", *proposals, "--blocks", blocks, "--block-column", "LADCD_ACTIVE", "--key", "LAD21CD",
        "--pop", pop, "--pop-table", table, "--pop-key", "lsoa11_code", "--pop-column", "total_population",
        "--partner", partners[0], "--partner", partners[1], "-o", out / "u.csv")
    people = placedef.Population(pop, table=table, column="total_population", key="lsoa11_code")
    result = placedef.compare(blocks, proposals, partners, population=people, block_column="LADCD_ACTIVE",
                              key="LAD21CD")
    same_table(result, out / "u.csv")
    assert result.to_pandas().query("partner == 'icb_2022_bgc'").partner_units_split.tolist() == [1, 2]
