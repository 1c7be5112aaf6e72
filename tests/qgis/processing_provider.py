#!/usr/bin/python3
"""The placedef Processing provider in QGIS (PyQGIS, headless): the plugin loads, the
provider lists its algorithms, each runs through processing.run on the sample data and
writes the same CSV tables as the command line on the same request, byte for byte;
inputs may be memory layers, joined layers and layers in another CRS; a CRS that
distorts area is refused with the engine's message; the GeoPackage layers load styled;
and a long footprints run stops within 2 s of Cancel.

    processing_provider.py PLACEDEF MODULE_DIR OUTDIR ROOT

Prints "SKIPPED: ..." when PyQGIS is not installed.
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

try:
    from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsProcessingAlgRunnerTask,
                           QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback, QgsProject,
                           QgsVectorFileWriter, QgsVectorLayer, QgsVectorLayerJoinInfo)
except ImportError:
    print("SKIPPED: PyQGIS (Debian python3-qgis) is not installed")
    sys.exit(0)

cli, module_dir, out, root = sys.argv[1:5]
samples = os.path.join(root, "shapefiles")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
runtime = tempfile.mkdtemp(prefix="pdef-qgis-")
os.chmod(runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
os.environ["PLACEDEF_PYTHONPATH"] = module_dir
os.environ["PLACEDEF_CLI"] = cli
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)

app = QgsApplication([], False)
app.initQgis()
sys.path[:0] = ["/usr/share/qgis/python/plugins", os.path.join(root, "bindings/qgis")]
import processing  # noqa: E402
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
import placedef_qgis  # noqa: E402

plugin = placedef_qgis.classFactory(None)
plugin.initProcessing()
failures = []
started = time.monotonic()


def check(condition, message):
    if not condition:
        failures.append(message)


def sample(name):
    return os.path.join(samples, name)


provider = QgsApplication.processingRegistry().providerById("placedef")
names = sorted(a.name() for a in provider.algorithms())
check(names == ["align", "bestfit", "compare", "flows", "footprints", "map", "matrix", "overlay", "pcn", "study"],
      f"provider lists {names}")
for algorithm in provider.algorithms():
    for parameter in algorithm.parameterDefinitions():
        check(parameter.help(), f"{algorithm.name()}: parameter {parameter.name()} has no help text")


def layer(name, path):
    loaded = QgsVectorLayer(path, name, "ogr")
    check(loaded.isValid(), f"{path}: does not open in QGIS")
    return loaded


def reprojected(source, crs, name):
    """A memory layer holding `source` in another CRS (as a QGIS user's reprojected layer)."""
    return processing.run("native:reprojectlayer", {"INPUT": source, "TARGET_CRS": QgsCoordinateReferenceSystem(crs),
                                                    "OUTPUT": "memory:" + name})["OUTPUT"]


def written(memory_layer, path):
    """The same features in a file, for the command line."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = memory_layer.name()
    error = QgsVectorFileWriter.writeAsVectorFormatV3(memory_layer, path, QgsProject.instance().transformContext(),
                                                      options)[0]
    check(error == QgsVectorFileWriter.NoError, f"{path}: not written")
    return path


def run_cli(args):
    done = subprocess.run([cli, "-q"] + args, capture_output=True, text=True)
    check(done.returncode == 0, f"placedef {args[0]}: exit code {done.returncode}: {done.stderr.strip()}")


def compare_outputs(job, plugin_out, cli_out):
    """Every table (and map) the command line wrote, the plugin wrote too, byte for byte."""
    written = sorted(os.path.relpath(os.path.join(folder, f), cli_out) for folder, _, files in os.walk(cli_out)
                     for f in files if f.endswith((".csv", ".png")))
    check(written, f"{job}: the command line wrote no CSV or PNG")
    for name in written:
        mine = os.path.join(plugin_out, name)
        check(os.path.exists(mine) and filecmp.cmp(mine, os.path.join(cli_out, name), shallow=False),
              f"{job}: {name} differs from the command line's")
    return len(written)


summaries = {}


def run_both(job, parameters, cli_args, outputs):
    """Runs the algorithm and the command line on the same request, each writing
    `outputs` ({parameter: file name}) into its own folder."""
    plugin_out, cli_out = os.path.join(out, job, "plugin"), os.path.join(out, job, "cli")
    os.makedirs(plugin_out)
    os.makedirs(cli_out)
    parameters = dict(parameters, **{key: os.path.join(plugin_out, name) for key, name in outputs.items()})
    cli_args = cli_args + [arg for name in outputs.values() for arg in ("-o", os.path.join(cli_out, name))]
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    context.log = QgsProcessingFeedback()
    t0 = time.monotonic()
    try:
        summary = processing.run("placedef:" + job, parameters, context=context, feedback=context.log)["SUMMARY"]
    except QgsProcessingException as e:
        failures.append(f"{job}: {e}")
        return context
    seconds = time.monotonic() - t0
    run_cli([job] + cli_args)
    count = compare_outputs(job, plugin_out, cli_out)
    check(summary, f"{job}: no summary")
    summaries[job] = summary
    print(f"{job}: {count} outputs identical to the command line's ({seconds:.1f} s): {summary.splitlines()[0]}")
    return context


population = {"POP": sample("lsoa_2011.gpkg"), "POP_TABLE": sample("population_mid2020_lsoa11.csv"),
              "POP_COLUMN": "total_population"}
population_cli = ["--pop", sample("lsoa_2011.gpkg"), "--pop-table", sample("population_mid2020_lsoa11.csv"),
                  "--pop-column", "total_population"]

# Overlay: B is a memory layer in EPSG:4326 (not a file: written for the engine with its
# CRS, then reprojected by the engine's rule); the command line reads the same features.
wards = layer("ward_2025", sample("ward_2025.gpkg"))
ced_4326 = reprojected(sample("ced_2025.gpkg"), "EPSG:4326", "ced_2025")
ced_4326_file = written(ced_4326, os.path.join(out, "ced_2025_4326.gpkg"))
context = run_both("overlay", dict(population, A=wards, A_CODE="WD25CD", B=ced_4326),
                   [sample("ward_2025.gpkg") + "@WD25CD", ced_4326_file] + population_cli,
                   {"OUTPUT_TABLE": "ward_x_ced.csv", "OUTPUT": "ward_x_ced.gpkg"})


def check_loaded(job, context, expected):
    """The GeoPackage's map layers load into the project with the styles the engine
    stored in it (QGIS's own default would be a single symbol)."""
    loaded = [context.getMapLayer(layer_id) for layer_id in context.layersToLoadOnCompletion()]
    renderers = {lyr.name(): lyr.renderer().type() for lyr in loaded if lyr}
    check(renderers == expected, f"{job}: loads {renderers}, not {expected}")


check_loaded("overlay", context, {"Overlay: pieces": "graduatedSymbol"})

align_context = run_both("align", dict(population, A=sample("ward_2025.gpkg"), A_CODE="WD25CD", B=sample("ced_2025.gpkg")),
         [sample("ward_2025.gpkg") + "@WD25CD", sample("ced_2025.gpkg")] + population_cli, {"OUTPUT_TABLE": "ward_ced.csv"})
# The engine's notes reach the algorithm's log.
check("ced_2025 (ced_2025.gpkg): code column guessed as CED25CD" in align_context.log.textLog(),
      f"align: the log lacks the engine's note: {align_context.log.textLog()}")
run_both("bestfit", dict(population, CHILD=sample("lsoa_2021.gpkg"), PARENT=sample("ward_2025.gpkg"), METHOD=2),
         [sample("lsoa_2021.gpkg"), sample("ward_2025.gpkg"), "--method", "population"] + population_cli,
         {"OUTPUT_TABLE": "lsoa_ward.csv"})
run_both("matrix", {"LAYERS": [sample("lad_2021.gpkg"), sample("ced_2025.gpkg"), sample("ward_2025.gpkg")]},
         [sample("lad_2021.gpkg"), sample("ced_2025.gpkg"), sample("ward_2025.gpkg")], {"OUTPUT_TABLE": "matrix.csv"})
context = run_both("pcn", {"PRACTICES": sample("gp_practices.gpkg"), "PRACTICES_CODE": "PRACTICE_CODE",
                 "CLIP": sample("lad_2021.gpkg"), "METHOD": 1, "BLOCKS": sample("lsoa_2021.gpkg")},
         [sample("gp_practices.gpkg") + "@PRACTICE_CODE", "--clip", sample("lad_2021.gpkg"), "--method", "blocks",
          "--blocks", sample("lsoa_2021.gpkg")], {"OUTPUT_TABLE": "pcn.csv", "OUTPUT": "pcn.gpkg"})

check_loaded("pcn", context, {"PCN footprints: pcn_footprints": "categorizedSymbol",
                               "PCN footprints: practices": "categorizedSymbol"})

# Footprints: the blocks' attribute is a column joined in QGIS from the IMD table (so the
# layer is not its file any more: the plugin writes it out, as the test does for the
# command line); the command line reads the same column from the table.
lsoa = layer("lsoa_2011", sample("lsoa_2011.gpkg"))
imd = QgsVectorLayer(f"file://{sample('imd_2019_lsoa11.csv')}?delimiter=,&detectTypes=yes", "imd", "delimitedtext")
QgsProject.instance().addMapLayers([lsoa, imd], False)
join = QgsVectorLayerJoinInfo()
join.setJoinLayer(imd)
join.setJoinFieldName("lsoa11_code")
join.setTargetFieldName("LSOA11CD")
join.setJoinFieldNamesSubset(["IMD_rank"])
join.setPrefix("")
check(lsoa.addJoin(join) and "IMD_rank" in lsoa.fields().names(), "lsoa_2011: the IMD join failed")
footprints_context = run_both("footprints", dict(population, BLOCKS=lsoa, METHOD=3, K=8, ATTRIBUTES=["IMD_rank"],
                                                ATTRIBUTE_WEIGHTS="2", DENSITY=1, POSITION=0.5,
                            RESPECT=[sample("lad_2021.gpkg")], RESPECT_WEIGHT=10, ALIGN=[sample("ced_2025.gpkg")]),
         [written(lsoa, os.path.join(out, "lsoa_2011_imd.gpkg")), "--method", "azp", "--k", "8", "--attr",
          sample("imd_2019_lsoa11.csv") + ":IMD_rank*2", "--attr", "density", "--attr", "position*0.5",
          "--respect", sample("lad_2021.gpkg") + "*10",
          "--align", sample("ced_2025.gpkg")] + population_cli, {"OUTPUT_TABLE": "footprints.csv", "OUTPUT": "footprints.gpkg"})

# Compare: a layer of places and a lookup of the blocks' districts (Guildford and
# Waverley both go to West Surrey in the two-unitary option).
run_both("compare", dict(population, PROPOSALS=[sample("lad_2021.gpkg")],
                         LOOKUPS=[os.path.join(root, "examples/surrey/proposals/two_unitaries.csv")],
                         KEY="LAD21CD", BLOCK_COLUMN="LADCD_ACTIVE", BLOCKS=sample("lsoa_2021.gpkg"),
                         PARTNERS=[sample("ced_2025.gpkg"), sample("ward_2025.gpkg")], MIN_POP=5000),
         [sample("lad_2021.gpkg"), os.path.join(root, "examples/surrey/proposals/two_unitaries.csv"), "--key", "LAD21CD",
          "--block-column", "LADCD_ACTIVE", "--blocks", sample("lsoa_2021.gpkg"), "--partner", sample("ced_2025.gpkg"),
          "--partner", sample("ward_2025.gpkg"), "--min-pop", "5000"] + population_cli, {"OUTPUT_TABLE": "scorecard.csv"})

# Flows: a made-up table over the sample's MSOAs (each sends a third of its workers to
# the next MSOA in code order, and the first 300 to the City of London, beyond the
# sample), under Istat's rules with a larger minimum size and ONS's regrouping.
msoa_codes = sorted(f["MSOA21CD"] for f in layer("msoa_2021", sample("msoa_2021.gpkg")).getFeatures())
msoa_flows = os.path.join(out, "msoa_flows.csv")
with open(msoa_flows, "w") as table:
    table.write("home,work,people\n" + "".join(f"{code},{code},2000\n{code},{msoa_codes[(i + 1) % len(msoa_codes)]},1000\n"
                                               for i, code in enumerate(msoa_codes)) +
                f"{msoa_codes[0]},E02000001,300\n")
flows_context = run_both("flows", {"UNITS": sample("msoa_2021.gpkg"), "FLOWS": msoa_flows, "RULES": 1, "MIN_SIZE": 5000,
                                   "REGROUPING": 1},
                         [sample("msoa_2021.gpkg"), "--flows", msoa_flows, "--rules", "istat", "--min-size", "5000",
                          "--regrouping", "whole_area"],
                         {"OUTPUT_TABLE": "areas.csv", "OUTPUT": "areas.gpkg"})
check_loaded("flows", flows_context, {"Functional areas from commuting flows: areas": "categorizedSymbol"})
check("300 of their residents work outside them and 0 of their jobs are filled from outside" in summaries.get("flows", ""),
      f"flows: the log does not say who crossed the edge: {summaries.get('flows')!r}")

# Map (through the command line, as the module has no map): the same PNG, byte for byte.
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # the credit line's date, the same for both
run_both("map", {"LAYER": sample("lsoa_2011.gpkg"), "LAYER_CODE": "LSOA11CD", "OUTLINES": [sample("ced_2025.gpkg")],
                 "STYLE": 1, "COLUMN": "IMD_decile", "TABLE": sample("imd_2019_lsoa11.csv"), "TABLE_KEY": "lsoa11_code",
                 "TITLE": "Deprivation", "WIDTH": 500, "HEIGHT": 400, "DPI": 60},
         [sample("lsoa_2011.gpkg") + "@LSOA11CD", sample("ced_2025.gpkg"), "--style", "choropleth", "--column",
          "IMD_decile", "--table", sample("imd_2019_lsoa11.csv") + ":lsoa11_code", "--title", "Deprivation",
          "--width", "500", "--height", "400", "--dpi", "60"], {"OUTPUT": "deprivation.png"})
context = run_both("study", {"CONFIG": os.path.join(root, "examples/surrey/study.toml"), "NO_MAPS": True},
                   [os.path.join(root, "examples/surrey/study.toml"), "--no-maps"], {"OUTPUT_FOLDER": "study"})
# Boundary layers are outlines (one symbol); the rest as the study's maps draw them.
check_loaded("study", context, {"Study: " + name: renderer for name, renderer in (
    ("boundary_ced", "categorizedSymbol"), ("boundary_lad", "singleSymbol"), ("boundary_ward", "singleSymbol"),
    ("deprivation_lsoa11", "graduatedSymbol"), ("footprints_skater", "categorizedSymbol"),
    ("footprints_towns", "categorizedSymbol"), ("pcn_footprints", "categorizedSymbol"),
    ("practices", "categorizedSymbol"))})

check_loaded("footprints", footprints_context, {"Town footprints: footprints": "categorizedSymbol"})

# Web Mercator more than doubles areas in England: the engine refuses it as the study
# CRS, and its message reaches the user as the algorithm's error.
try:
    processing.run("placedef:align", {"A": wards, "B": ced_4326, "STUDY_CRS": "EPSG:3857",
                                      "OUTPUT_TABLE": os.path.join(out, "refused.csv")})
    failures.append("align: a layer in EPSG:3857 was accepted")
except QgsProcessingException as e:
    check("distorts area by 156.2 %" in str(e), f"align: EPSG:3857 refused with {e}")
    print(f"EPSG:3857 refused: {str(e)[:120]}")
check(not os.path.exists(os.path.join(out, "refused.csv")), "align: a refused run wrote its output")

# A layer that declares no CRS is refused (the engine's rule; the plugin writes the layer
# out without one rather than guess).
no_crs = QgsVectorLayer("MultiPolygon", "ced_no_crs", "memory")
no_crs.setCrs(QgsCoordinateReferenceSystem())  # (a memory layer is in EPSG:4326 unless told)
no_crs.dataProvider().addAttributes(wards.fields())
no_crs.updateFields()
no_crs.dataProvider().addFeatures(list(wards.getFeatures()))
try:
    processing.run("placedef:align", {"A": wards, "B": no_crs, "OUTPUT_TABLE": os.path.join(out, "no_crs.csv")})
    failures.append("align: a layer without a CRS was accepted")
except QgsProcessingException as e:
    check(str(e).startswith("layer 'ced_no_crs' of the project: the layer has no CRS"),
          f"align: a layer without a CRS refused with {e}")
    print(f"no CRS refused: {str(e)[:200]}")

# Cancel: an AZP ensemble that takes far longer than 2 s stops within 2 s of Cancel, run
# on the main thread (processing.run) and as the algorithm dialog runs it, as a task on a
# worker thread.
long_run = dict(population, BLOCKS=lsoa, METHOD=3, K=8, ATTRIBUTES=["IMD_rank"], RESTARTS=200, ENSEMBLE=400)

# Progress: the engine's reaches the progress bar; an ensemble's runs move it, to 100 % at the end.
steps = []
progress_feedback = QgsProcessingFeedback()
progress_feedback.progressChanged.connect(steps.append)
processing.run("placedef:footprints", dict(long_run, ENSEMBLE=40, RESTARTS=5, OUTPUT_TABLE=os.path.join(out, "progress.csv")),
               feedback=progress_feedback)
print(f"footprints ensemble of 40 runs: progress {[round(s) for s in steps]}")
check(steps[-1] == 100 and steps == sorted(steps) and any(10 < s < 90 for s in steps),
      f"footprints: the progress bar went {steps}, not up through the runs to 100 %")



def cancelled_run(how, run):
    feedback = QgsProcessingFeedback()
    output = os.path.join(out, f"cancelled_{how}.csv")
    threading.Timer(1.0, feedback.cancel).start()
    t0 = time.monotonic()
    run(dict(long_run, OUTPUT_TABLE=output), feedback)
    stopped = time.monotonic() - t0 - 1.0
    print(f"cancelled footprints run ({how}) stopped {stopped:.2f} s after Cancel")
    check(0 < stopped < 2.0, f"footprints ({how}): stopped {stopped:.2f} s after Cancel")
    check(not os.path.exists(output), f"footprints ({how}): a cancelled run wrote its output")


def in_task(parameters, feedback):
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("placedef:footprints")
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    finished = []
    task.executed.connect(lambda ok, results: finished.append(ok))
    QgsApplication.taskManager().addTask(task)
    while not finished and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    check(finished, "footprints (task): the task never finished")


# README's QGIS example, as a reader pastes it into QGIS's Python console (from the source tree).
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
console = [block for block in readme.split("```python\n")[1:] if "import processing" in block]
check(len(console) == 1, f"README.md holds {len(console)} QGIS console examples, not 1")
if console:
    example_out = os.path.join(out, "readme")
    os.makedirs(example_out, exist_ok=True)
    code = console[0].split("```")[0].replace('"out/', '"' + example_out + "/")
    here = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(code, "README.md", "exec"), {})
    except Exception as e:  # noqa: BLE001 -- any failure of the example is the test's failure
        check(False, f"README.md's QGIS example: {e}")
    finally:
        os.chdir(here)
    check(os.path.exists(os.path.join(example_out, "ward_x_ced.csv")), "README.md's QGIS example wrote no table")

deadline = time.monotonic() + 60
cancelled_run("main thread", lambda parameters, feedback: processing.run("placedef:footprints", parameters,
                                                                         feedback=feedback))
cancelled_run("task", in_task)

print(f"{len(names)} algorithms in {time.monotonic() - started:.1f} s")
for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
