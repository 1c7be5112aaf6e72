#!/usr/bin/python3
"""The sample study's study.gpkg in QGIS (PyQGIS, headless), as a GIS officer
rebuilding the report's maps would open it: every layer the maps draw is there
with its stored style, and legends name units (Guildford, Ash ED, FARNHAM PCN),
not codes (F01, E58001461, U17969).

    study_legend.py PLACEDEF OUTDIR ROOT

Prints "SKIPPED: ..." when PyQGIS is not installed.
"""
import os
import re
import subprocess
import sys
import tempfile

try:
    from qgis.core import QgsApplication, QgsVectorLayer
except ImportError:
    print("SKIPPED: PyQGIS (Debian python3-qgis) is not installed")
    sys.exit(0)

placedef, out, root = sys.argv[1:4]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
runtime = tempfile.mkdtemp(prefix="pdef-qgis-")
os.chmod(runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
subprocess.run([placedef, "-q", "study", os.path.join(root, "examples/surrey/study.toml"), "-o", out], check=True)
app = QgsApplication([], False)
app.initQgis()
failures = []


def open_layer(name):
    layer = QgsVectorLayer(os.path.join(out, "study.gpkg") + "|layername=" + name, name, "ogr")
    if not layer.isValid():
        failures.append(f"{name}: not in study.gpkg")
        return None
    return layer


def names_of(layer, code_field, name_field):
    return {f[code_field]: f[name_field] for f in layer.getFeatures()}


# Categorical layers: one legend entry per unit, labelled with the unit's name.
for name, code_field, name_field in (("footprints_towns", "footprint", "name"), ("pcn_footprints", "pcn_code", "pcn_name"),
                                     ("boundary_ced", "CED25CD", "CED25NM")):
    layer = open_layer(name)
    if not layer:
        continue
    renderer = layer.renderer()
    if renderer.type() != "categorizedSymbol":
        failures.append(f"{name}: renderer {renderer.type()}, not categorizedSymbol")
        continue
    names = names_of(layer, code_field, name_field)
    for category in renderer.categories():
        expected = names.get(category.value())
        if not expected or category.label() != expected:
            failures.append(f"{name}: legend says {category.label()!r} for {category.value()!r}, its name is {expected!r}")
    if len(renderer.categories()) != len(names):
        failures.append(f"{name}: {len(renderer.categories())} legend entries for {len(names)} units")
    if not layer.labelsEnabled():
        failures.append(f"{name}: no labels")
    print(f"{name}: {len(names)} units, legend by name ({', '.join(sorted(names.values())[:3])}, ...)")

# The outlines and the deprivation map.
district = open_layer("boundary_lad")
if district and (district.renderer().type() != "singleSymbol" or not district.labelsEnabled()):
    failures.append("boundary_lad: not an outline with labels")
deprivation = open_layer("deprivation_lsoa11")
if deprivation:
    renderer = deprivation.renderer()
    if renderer.type() != "graduatedSymbol" or renderer.classAttribute() != "IMD_decile" or len(renderer.ranges()) != 10:
        failures.append(f"deprivation_lsoa11: {renderer.type()} on {getattr(renderer, 'classAttribute', lambda: '?')()}, "
                        "not ten national deciles")
    elif not re.search(r"1\b", renderer.ranges()[0].label()):
        failures.append(f"deprivation_lsoa11: the first class is {renderer.ranges()[0].label()!r}, not decile 1")
    else:
        print(f"deprivation_lsoa11: {deprivation.featureCount()} LSOAs in 10 national deciles")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
# exitQgis() can crash in QGIS 3.22's teardown after headless use; leave without it.
sys.stdout.flush()
sys.stderr.flush()
os._exit(1 if failures else 0)
