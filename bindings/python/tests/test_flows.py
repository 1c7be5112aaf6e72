"""placedef.flows() (flows.cpp) on the strip of the engine's test
(tests/integration/test_flows.cpp): town one | village | town two, 1 km squares
in a row, and an island 2 km east of town two whose people work there. Under the
istat rules the village joins town one and the island town two: two areas,
T1 + V (6,000 residents in work, 5,700 jobs, 5,700 living and working in it) and
T2 + I (6,200, 6,500, 6,200). The command line on the same request writes the
same tables; on Sardinia too, when ../shared/data/sardinia is there."""
import subprocess
import time

import geopandas
import pytest
import shapely.geometry

import placedef
from conftest import ROOT
from test_cli_tables import CLI, cli, same_layer, same_problems, same_table

X0, Y0 = 500000, 150000
SARDINIA = ROOT.parent / "shared" / "data" / "sardinia"
FLOWS = ("home,work,people\n"
         "T1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\nI,I,800\nI,T2,400\n"
         "V,T1,50\n"       # the pair again
         "X9,Y9,10\n"      # no such units
         "V,T2,-4\n"       # negative
         "T1,T2,many\n")   # not a number


@pytest.fixture(scope="module")
def strip(tmp_path_factory):
    """The units as a GeoPackage address and the flows CSV."""
    folder = tmp_path_factory.mktemp("flows")
    boxes = [(0, 0, 1, 1), (1, 0, 2, 1), (2, 0, 3, 1), (5, 0, 6, 1)]
    frame = geopandas.GeoDataFrame(
        {"code": ["T1", "V", "T2", "I"], "name": ["Town one", "Village", "Town two", "Island"]},
        geometry=[shapely.geometry.box(X0 + 1000 * a, Y0 + 1000 * b, X0 + 1000 * c, Y0 + 1000 * d)
                  for a, b, c, d in boxes],
        crs="EPSG:27700")
    frame.to_file(folder / "places.gpkg", layer="places", driver="GPKG")
    table = folder / "flows.csv"
    table.write_text(FLOWS)
    return f"{folder / 'places.gpkg'}@code,name", str(table)


def test_the_strip_by_hand(strip):
    units, table = strip
    result = placedef.flows(units, table, rules="istat")
    summary = result["summary"]
    assert (summary["areas"], summary["invalid"], summary["flows"], summary["commuters"]) == (2, 0, 7, 12200)
    assert (summary["reserved"], summary["without_flows"], summary["island_links"]) == (0, 0, 1)
    assert (summary["working_outside"], summary["coming_in"]) == (0, 0)
    assert result["island_links"] == [("T2", "I")]
    assert result["units"]["area"] == ["T1", "T1", "T2", "T2"]
    areas = result.to_pandas()
    assert list(areas.columns) == ["area", "name", "units", "residents_in_work", "jobs", "living_and_working_in_it",
                                   "supply_containment", "demand_containment", "validity", "valid",
                                   "units_from_reserve"]
    assert areas.name.tolist() == ["Town one", "Town two"]
    assert areas.residents_in_work.tolist() == [6000, 6200]
    assert areas.jobs.tolist() == [5700, 6500]
    assert areas.living_and_working_in_it.tolist() == [5700, 6200]
    assert areas.supply_containment.tolist() == pytest.approx([0.95, 1.0])
    assert areas.demand_containment.tolist() == pytest.approx([1.0, 6200 / 6500])
    assert areas.valid.tolist() == ["yes", "yes"]
    membership = result.to_pandas("membership")
    assert membership.area_name.tolist() == ["Town one", "Town one", "Town two", "Town two"]
    assert membership.placed.unique().tolist() == ["by the rule"]
    assert result.to_pandas("reserve").empty
    shapes = result.to_geodataframe()
    assert shapes.area.round().tolist() == [2e6, 2e6]  # the island's area: its square, 2 km from town two's
    assert shapes.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    problems = result.problems
    assert sorted(problems.kind) == ["duplicate_code", "missing_key", "non_numeric_value", "non_numeric_value"]
    assert summary["agreement"] is None


def test_agreement_with_another_partition(strip, tmp_path):
    """Another tool put the village with town two: the agreement is the command line's
    (--agree-with) on the same request, and a partition equal to ours scores 1."""
    units, table = strip
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("code,lma\nT1,a\nV,b\nT2,b\nI,b\n")
    result = placedef.flows(units, table, rules="istat", agree_with=str(theirs))
    agreement = result["summary"]["agreement"]
    assert (agreement["units"], agreement["areas"], agreement["other_areas"]) == (4, 2, 2)
    out = subprocess.run([CLI, "flows", units, "--flows", table, "--rules", "istat", "--agree-with", str(theirs), "-o",
                          str(tmp_path / "a.csv")], check=True, capture_output=True, text=True).stdout
    assert f"adjusted Rand index {agreement['adjusted_rand']:.3f}" in out
    assert f"{agreement['units_matched']} units" in out
    same = tmp_path / "same.csv"
    same.write_text("code,area\nT1,x\nV,x\nT2,y\nI,y\n")
    agreement = placedef.flows(units, table, rules="istat", agree_with=str(same))["summary"]["agreement"]
    assert agreement["adjusted_rand"] == 1.0
    assert (agreement["identical_areas"], agreement["units_matched"]) == (2, 4)


def test_a_unit_from_the_reserve(tmp_path):
    """Farm | village | town | city (the engine's reserve case): joining the town would
    weaken it below the rule, so the village is set aside and placed at the end where an
    area it touches still meets the rule, the farm's."""
    at = {"F": 0, "V": 1, "T": 2, "C": 3}
    frame = geopandas.GeoDataFrame({"code": ["V", "T", "F", "C"]}, crs="EPSG:27700", geometry=[
        shapely.geometry.box(X0 + 1000 * at[c], Y0, X0 + 1000 * (at[c] + 1), Y0 + 1000) for c in "VTFC"])
    table = tmp_path / "reserve.csv"
    table.write_text("home,work,people\nT,T,760\nT,C,240\nV,T,60\nV,C,940\nF,F,20000\nC,C,50000\n")
    result = placedef.flows(placedef.Layer.from_geodataframe(frame, code="code", name="row"), table, rules="istat")
    assert result.to_pandas("reserve").values.tolist() == [["V", "F"]]
    assert result.to_pandas("membership").placed.tolist() == ["from the reserve", "by the rule", "by the rule",
                                                              "by the rule"]
    assert result.to_pandas()[["area", "units", "units_from_reserve", "valid"]].values.tolist() == [
        ["F", 2, 1, "yes"], ["T", 1, 0, "yes"], ["C", 1, 0, "yes"]]


def test_people_across_the_edge_of_the_units(strip, tmp_path):
    """Codes beyond the units (a city off the map) are flows across their edge: in the
    residents in work and jobs, in the summary, and reported; as the command line says."""
    units, table = strip
    edge = tmp_path / "edge.csv"
    edge.write_text(open(table).read() + "T1,LDN,400\nOXF,T2,100\n")
    result = placedef.flows(units, edge, rules="istat")
    summary = result["summary"]
    assert (summary["working_outside"], summary["coming_in"], summary["commuters"]) == (400, 100, 12700)
    assert result.to_pandas().residents_in_work.tolist() == [6400, 6200]
    assert result.to_pandas().jobs.tolist() == [5700, 6600]
    assert sorted(result.problems.kind).count("missing_key") == 3  # X9/Y9 skipped, LDN and OXF kept
    out = subprocess.run([CLI, "flows", units, "--flows", str(edge), "--rules", "istat", "-o", str(tmp_path / "a.csv")],
                         check=True, capture_output=True, text=True).stdout
    assert "400 of their residents work outside them and 100 of their jobs are filled from outside" in out


def test_the_rules_changed_and_bad_arguments(strip):
    units, table = strip
    # Above both areas' residents: one area of everybody, self-contained.
    one = placedef.flows(units, table, rules="istat", min_size=6500)
    assert one.to_pandas()[["units", "residents_in_work", "valid"]].values.tolist() == [[4, 12200, "yes"]]
    with pytest.raises(ValueError, match="minimum size"):
        placedef.flows(units, table, rules="istat", min_size=20000)
    with pytest.raises(ValueError, match="min_size must be above 0"):
        placedef.flows(units, table, min_size=0)
    with pytest.raises(ValueError, match="unknown functional area rules 'nuts'"):
        placedef.flows(units, table, rules="nuts")
    with pytest.raises(ValueError, match="no count column 'persons'"):
        placedef.flows(units, table, count="persons")
    with pytest.raises(ValueError, match="sideways"):
        placedef.flows(units, table, regrouping="sideways")
    with pytest.raises(ValueError, match="queen"):
        placedef.flows(units, table, adjacency="bishop")
    with pytest.raises(FileNotFoundError):
        placedef.flows(units, table + ".missing")


def test_same_as_the_command_line(strip, tmp_path):
    units, table = strip
    cli("flows", units, "--flows", table, "--rules", "istat", "--min-containment", "0.7", "--regrouping", "whole_area",
        "--adjacency", "rook", "-o", tmp_path / "a.csv", "-o", tmp_path / "a.gpkg", "--problems", tmp_path / "problems.csv")
    result = placedef.flows(units, table, rules="istat", min_containment=0.7, regrouping="whole_area", adjacency="rook",
                            output=str(tmp_path / "p.csv"))
    same_table(result, tmp_path / "a.csv")
    same_table(result, tmp_path / "a_membership.csv", "membership")
    same_layer(result, tmp_path / "a.gpkg", "areas")
    same_problems(result, tmp_path / "problems.csv")
    assert (tmp_path / "p.csv").read_text() == (tmp_path / "a.csv").read_text()
    assert (tmp_path / "p_membership.csv").read_text() == (tmp_path / "a_membership.csv").read_text()


@pytest.fixture(scope="module")
def big_grid(tmp_path_factory):
    """200 x 200 squares of 100 m, each with 40 people working at home and 60 in the
    next square east: with areas of at least 200,000 residents in work, seconds of
    dissolving on one thread."""
    n = 200
    codes = [f"g{i}" for i in range(n * n)]
    wkb = [shapely.geometry.box(X0 + 100 * (i % n), Y0 + 100 * (i // n), X0 + 100 * (i % n + 1),
                                Y0 + 100 * (i // n + 1)).wkb for i in range(n * n)]
    units = placedef.Layer.from_wkb(codes, wkb, crs="EPSG:27700", name="grid")
    table = tmp_path_factory.mktemp("grid") / "flows.csv"
    rows = [f"g{i},g{i},40\ng{i},g{i + 1 if i % n < n - 1 else i - 1},60\n" for i in range(n * n)]
    table.write_text("home,work,people\n" + "".join(rows))
    return units, str(table)


def test_progress_and_cancel_hooks(big_grid):
    """The engine's progress reaches the hook; the cancel hook, asked after it, stops the job."""
    units, table = big_grid
    steps = []
    started = time.monotonic()
    with pytest.raises(placedef.CancelledError):
        with placedef.hooks(progress=lambda done, total: steps.append((done, total)),
                            cancelled=lambda: len(steps) > 0):
            placedef.flows(units, table, rules="istat", min_size=200000, target_size=400000, threads=1)
    assert steps and all(0 <= done <= total == len(units) for done, total in steps)
    assert time.monotonic() - started < 3


@pytest.mark.skipif(not SARDINIA.is_dir(), reason="needs ../shared/data/sardinia")
def test_sardinia_as_the_command_line(tmp_path):
    municipalities = f"{SARDINIA / 'municipalities_2001.gpkg'}@PRO_COM,NOME_COM"
    table = str(SARDINIA / "commuting_flows_2001.csv")
    cli("--study-crs", "EPSG:32632", "flows", municipalities, "--flows", table, "--rules", "istat",
        "-o", tmp_path / "lma.csv")
    result = placedef.flows(municipalities, table, rules="istat", study_crs="EPSG:32632")
    assert result["summary"]["areas"] == 36 and result["summary"]["flows"] == 10997
    same_table(result, tmp_path / "lma.csv")
    same_table(result, tmp_path / "lma_membership.csv", "membership")
