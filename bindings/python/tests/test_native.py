"""The Python API as a Python user expects it: any layer argument as a Layer, a path
(str or os.PathLike) or a GeoDataFrame; result objects with DataFrames; standard
exceptions in placedef's hierarchy; hooks for progress and cancel; Ctrl-C; pandas
imported only when needed; docstrings whose examples run."""
import doctest
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import geopandas
import pandas
import pytest

import placedef
import placedef._errors
import placedef._hooks
import placedef._results
from conftest import ROOT, sample
from test_interrupt import grid

WARDS = sample("ward_2025.gpkg@WD25CD")
CEDS = sample("ced_2025.gpkg")
LAD = sample("lad_2021.gpkg")
LSOA = sample("lsoa_2011.gpkg")
PRACTICES = sample("gp_practices.gpkg@PRACTICE_CODE")
# 2 s to stop a long call; longer under the sanitizers, which slow the engine down (PDEF_TIME_SCALE)
STOP_LIMIT = 2.0 * float(os.environ.get("PDEF_TIME_SCALE", "1"))


def frame_of(path):
    """The file as GeoPandas reads it, in its own CRS."""
    return geopandas.read_file(path.split("@")[0])


def _sample_inputs():
    layer = placedef.Layer.open(LSOA)
    people = placedef.Population(layer, table=sample("population_mid2020_lsoa11.csv"), column="total_population",
                                 key="lsoa11_code")
    return people, {"area": list(layer.areas)}


PEOPLE, AREAS = _sample_inputs()

# Each job, called with its layer arguments given by `given` (path -> argument).
JOBS = {
    "overlay": lambda given: placedef.overlay(given(LAD), given(CEDS)),
    "align": lambda given: placedef.align(given(LAD), given(CEDS)),
    "bestfit": lambda given: placedef.bestfit(given(CEDS), given(LAD)),
    "matrix": lambda given: placedef.matrix([given(LAD), given(CEDS)]),
    "pcn": lambda given: placedef.pcn(PRACTICES, given(LAD)),
    "footprints": lambda given: placedef.footprints(given(LSOA), method="skater", k=4, attributes=AREAS),
    "compare": lambda given: placedef.compare(given(LSOA), [given(LAD)], [given(CEDS)], population=PEOPLE),
}
FORMS = {
    "str": lambda path: path,
    "PathLike": pathlib.Path,
    "Layer": placedef.Layer.open,
    "GeoDataFrame": frame_of,
}


def comparable(frame):
    """A table without the columns that name the layers (a GeoDataFrame's layer is named after its argument)."""
    return frame.drop(columns=[c for c in ("layer", "other_layer", "other", "proposal", "partner") if c in frame])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("job", JOBS)
def test_every_job_takes_a_layer_a_path_or_a_geodataframe_with_the_same_result(job, form):
    expected = JOBS[job](FORMS["str"]).to_pandas()
    got = JOBS[job](FORMS[form]).to_pandas()
    pandas.testing.assert_frame_equal(comparable(got), comparable(expected))


def test_a_geodataframe_goes_in_with_its_crs():
    # the districts in longitude and latitude: reprojected by the engine to the study CRS
    in_degrees = frame_of(LAD).to_crs("EPSG:4326")
    table = placedef.overlay(in_degrees, CEDS).to_pandas()
    expected = placedef.overlay(LAD, CEDS).to_pandas()
    assert list(table.a_code) == list(expected.a_code) and list(table.b_code) == list(expected.b_code)
    assert table.share_of_a.sum() == pytest.approx(expected.share_of_a.sum(), rel=1e-4)


def test_a_geodataframe_without_a_crs_is_refused_naming_it():
    frame = frame_of(LAD)
    frame.crs = None
    with pytest.raises(ValueError, match="GeoDataFrame 'b' has no CRS"):
        placedef.overlay(CEDS, frame)
    with pytest.raises(ValueError, match="GeoDataFrame 'blocks' has no CRS"):
        placedef.footprints(frame, k=2, attributes={"x": [1.0, 2.0]})


def test_a_geodataframe_takes_its_code_and_names_by_the_rules_of_a_file():
    layer = placedef.Layer.from_geodataframe(frame_of(LAD))
    assert layer.codes == ["E07000209", "E07000216"] and layer.names == ["Guildford", "Waverley"]
    assert placedef.Layer.from_geodataframe(frame_of(LAD), code="LAD21NM").codes == ["Guildford", "Waverley"]
    # two columns that could be the code: the engine asks for one, as for a file
    twice = frame_of(LAD).assign(OTHERCD=lambda frame: frame.LAD21CD)
    with pytest.raises(placedef.InputError, match="several columns could be it.*write the code column after '@'"):
        placedef.overlay(twice, CEDS)


def test_results_give_dataframes_geodataframes_and_problems():
    result = placedef.pcn(PRACTICES, LAD)
    assert isinstance(result, placedef.PcnResult) and len(result["footprints"]["code"]) == 6
    table = result.to_pandas()
    assert isinstance(table, pandas.DataFrame) and list(table.columns[:2]) == ["pcn_code", "pcn_name"]
    shapes = result.to_geodataframe()
    assert isinstance(shapes, geopandas.GeoDataFrame) and shapes.crs.to_epsg() == 27700
    assert sorted(shapes.pcn_code) == sorted(table.pcn_code)
    practices = result.to_geodataframe("practices")
    assert len(practices) == 25
    assert list(result.problems.columns) == ["kind", "action", "file", "layer", "fid", "code", "field", "detail"]
    assert result.problems.kind.tolist() == ["practice_not_used"]
    with pytest.raises(ValueError, match="pcn has no layer 'nope'; it has pcn_footprints, practices"):
        result.to_geodataframe("nope")
    with pytest.raises(ValueError, match="pcn has no table 'nope'; it has pcn"):
        result.to_pandas("nope")
    # still the job's fields, as a mapping
    assert "footprints" in result and dict(result)["summary"] is result["summary"]


def test_an_overlay_without_polygons_says_how_to_keep_them():
    with pytest.raises(ValueError, match=r"geometry=True"):
        placedef.overlay(LAD, CEDS).to_geodataframe()
    assert len(placedef.overlay(LAD, CEDS, geometry=True).to_geodataframe()) == 28


def test_a_missing_file_raises_file_not_found_naming_it(tmp_path):
    missing = tmp_path / "no_such.gpkg"
    for call in (lambda: placedef.Layer.open(missing), lambda: placedef.overlay(missing, CEDS),
                 lambda: placedef.footprints(str(missing), k=2),
                 lambda: placedef.Population(LSOA, table=tmp_path / "no_such.csv", column="x")):
        with pytest.raises(FileNotFoundError) as raised:
            call()
        assert raised.value.filename.endswith("no_such.gpkg") or raised.value.filename.endswith("no_such.csv")
        assert isinstance(raised.value, placedef.MissingFileError) and raised.value.status == 201


@pytest.mark.parametrize("call, message, error", [
    (lambda: placedef.bestfit(CEDS, LAD, method="nearest"), "unknown best-fit method 'nearest'", placedef.InputError),
    (lambda: placedef.footprints(LSOA, method="kmeans", k=3), "unknown clustering method 'kmeans'", placedef.InputError),
    (lambda: placedef.align(LAD, CEDS, tolerance=0.2), r"the tolerance must lie in \[0.5, 1\]", placedef.OptionError),
    (lambda: placedef.overlay(LAD, CEDS, min_share=2), r"min_share must lie in \[0, 1\]", placedef.OptionError),
])
def test_bad_options_raise_value_error(call, message, error):
    # a word the engine does not know is input it cannot use; a number out of range, a bad option
    with pytest.raises(ValueError, match=message) as raised:
        call()
    assert type(raised.value) is error


def test_engine_errors_are_placedef_errors_by_kind(tmp_path):
    with pytest.raises(placedef.InputError) as raised:
        placedef.Layer.open(sample("lad_2021.gpkg@NO_SUCH"))
    assert isinstance(raised.value, ValueError) and raised.value.status == 200
    with pytest.raises(placedef.OutputError, match="folder '/no/such' does not exist") as written:
        placedef.overlay(WARDS, CEDS, output="/no/such/pieces.csv")
    assert isinstance(written.value, OSError) and written.value.status == 400
    assert issubclass(placedef.MissingFileError, placedef.ReadError)
    for error in (placedef.OptionError, placedef.InputError, placedef.ReadError, placedef.TopologyError,
                  placedef.InternalError, placedef.OutputError, placedef.CancelledError):
        assert issubclass(error, placedef.Error) and error.__module__ == "placedef"


def test_an_error_under_hooks_keeps_the_engines_message():
    # Found by the QGIS plugin: the message of a refused call was lost when progress hooks were set.
    with placedef.hooks(progress=lambda done, total: None, cancelled=lambda: False):
        with pytest.raises(placedef.InputError, match="distorts area by 156.2 %"):
            placedef.align(str(ROOT / "shapefiles/ward_2025.gpkg"), str(ROOT / "shapefiles/ced_2025.gpkg"),
                           study_crs="EPSG:3857")


def test_hooks_report_progress_and_cancel_within_two_seconds():
    # a few seconds of overlay on one core: stopped once it has reported progress
    a, b = grid(250, 0, "a"), grid(250, 30, "b")
    steps = []
    asked = []

    def cancelled():
        if steps and not asked:
            asked.append(time.monotonic())
        return bool(asked)

    with placedef.hooks(progress=lambda done, total: steps.append((done, total)), cancelled=cancelled):
        with pytest.raises(placedef.CancelledError) as raised:
            placedef.overlay(a, b, geometry=True, threads=1)
    ended = time.monotonic()
    assert raised.value.status == 3 and asked and ended - asked[0] < STOP_LIMIT
    assert all(0 < done < total for done, total in steps)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)
    assert placedef._hooks.current() is None
    # an ensemble reports its runs
    runs = []
    with placedef.hooks(progress=lambda done, total: runs.append((done, total))):
        placedef.footprints(LSOA, method="azp", k=8, ensemble=30, threads=1, attributes=AREAS)
    assert runs and runs[-1] == (30, 30) and all(total == 30 for _, total in runs)
    # a hook that raises stops the call with its exception
    with placedef.hooks(cancelled=lambda: 1 / 0):
        with pytest.raises(ZeroDivisionError):
            placedef.overlay(a, b, geometry=True, threads=1)


def test_ctrl_c_stops_a_footprints_ensemble_within_two_seconds():
    script = ("import sys, placedef\n"
              "print('running', flush=True)\n"
              "try:\n"
              f"    blocks = placedef.Layer.open({LSOA!r})\n"
              "    placedef.footprints(blocks, method='azp', k=8, ensemble=5000, threads=1,\n"
              "                        attributes={'area': list(blocks.areas)})\n"
              "except KeyboardInterrupt:\n"
              "    print('interrupted', flush=True)\n"
              "    sys.exit(3)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "running"
    time.sleep(1.5)
    assert child.poll() is None, "the ensemble ended before the signal: make it larger"
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=10)
    finally:
        child.kill()
    stopped = time.monotonic() - sent
    assert child.returncode == 3 and child.stdout.read().strip() == "interrupted"
    assert stopped < STOP_LIMIT


def test_import_needs_no_pandas_and_a_table_names_what_is_missing():
    script = ("import sys\n"
              "sys.modules['pandas'] = None\n"
              "sys.modules['geopandas'] = None\n"
              "import placedef\n"
              f"result = placedef.overlay({LAD!r}, {CEDS!r})\n"
              "print(result['summary']['rows'])\n"
              "try:\n"
              "    result.to_pandas()\n"
              "except ImportError as error:\n"
              "    print(error)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "28"
    assert "needs the Python package 'pandas', which is not installed" in out


PUBLIC = [name for name in placedef.__all__ if name != "__version__"]


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_a_docstring_with_an_example(name):
    assert ">>> " in (getattr(placedef, name).__doc__ or ""), f"placedef.{name} has no example"


def test_the_docstring_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    os.makedirs("out", exist_ok=True)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = 0
    for module in (placedef, placedef._errors, placedef._hooks, placedef._results):
        for test in finder.find(module, module.__name__, globs={}):
            tests += len(test.examples)
            runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0 and tests >= 30


def test_the_stubs_name_every_public_name():
    stubs = (pathlib.Path(placedef.__file__).parent / "__init__.pyi").read_text()
    assert (pathlib.Path(placedef.__file__).parent / "py.typed").exists()
    for name in placedef.__all__:
        assert f"def {name}(" in stubs or f"class {name}" in stubs or f"{name}:" in stubs, name


# the package under test, for a child run from another folder
CHILD_ENV = {**os.environ, "PYTHONPATH": str(pathlib.Path(placedef.__file__).resolve().parents[1])}


def python_blocks(document):
    """The document's Python examples, but for QGIS console ones (tests/qgis runs those inside QGIS)."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / document).read_text(), re.S)
    return [block for block in blocks if "import processing" not in block]


@pytest.mark.parametrize("document", ["README.md", "docs/python.md"])
def test_the_documented_python_runs(document):
    blocks = python_blocks(document)
    assert blocks
    for block in blocks:
        run = subprocess.run([sys.executable, "-c", block], cwd=ROOT, env=CHILD_ENV, capture_output=True, text=True)
        assert run.returncode == 0, f"{document}:\n{block}\n{run.stderr}"
    if document == "README.md":
        # the five-line use: the first three wards split between divisions, by share of their area
        lines = subprocess.run([sys.executable, "-c", blocks[0]], cwd=ROOT, env=CHILD_ENV, capture_output=True,
                               text=True).stdout.splitlines()
        assert lines[0].split() == ["a_name", "b_name", "share_of_a"] and len(lines) == 4


def test_codes_stay_text_when_they_look_like_numbers(tmp_path):
    (tmp_path / "f.csv").write_text("footprint,name,blocks,share\n1,,3,0.5\n02,Farnham,4,\n")
    table = placedef.read_table(tmp_path / "f.csv")
    assert table.footprint.tolist() == ["1", "02"] and table.name.tolist() == ["", "Farnham"]
    assert table.blocks.tolist() == [3, 4] and table.share.iloc[0] == 0.5 and pandas.isna(table.share.iloc[1])
