#!/usr/bin/python3
"""Opens every layer of GeoPackages in QGIS (PyQGIS, headless) and checks that
each is a clean layer: QGIS reads it as valid, with the expected feature count
and geometry type, every geometry valid by GEOS in QGIS, and the CRS known.

    open_layers.py FILE.gpkg:LAYER:COUNT:TYPE ...     TYPE: polygon | point | none

Prints one line per layer and "SKIPPED: ..." when PyQGIS is not installed.
Exit 0 when all layers are clean, 1 otherwise.
"""
import os
import sys
import tempfile

try:
    from qgis.core import QgsApplication, QgsGeometry, QgsVectorLayer, QgsWkbTypes
except ImportError:
    print("SKIPPED: PyQGIS (Debian python3-qgis) is not installed")
    sys.exit(0)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
runtime = tempfile.mkdtemp(prefix="pdef-qgis-")
os.chmod(runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
app = QgsApplication([], False)
app.initQgis()

kinds = {"polygon": QgsWkbTypes.PolygonGeometry, "point": QgsWkbTypes.PointGeometry,
         "none": QgsWkbTypes.NullGeometry}
failures = 0
for spec in sys.argv[1:]:
    path, layer_name, count, kind = spec.rsplit(":", 3)
    layer = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
    problems = []
    if not layer.isValid():
        problems.append("QGIS cannot open it")
    else:
        if layer.featureCount() != int(count):
            problems.append(f"{layer.featureCount()} features, expected {count}")
        if layer.geometryType() != kinds[kind]:
            problems.append(f"geometry type {QgsWkbTypes.geometryDisplayString(layer.geometryType())}, expected {kind}")
        if kind != "none" and not layer.crs().isValid():
            problems.append("no CRS")
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if kind == "polygon" and (geometry.isNull() or geometry.validateGeometry(QgsGeometry.ValidatorGeos)):
                problems.append(f"feature {feature.id()} has an invalid or empty geometry")
    print(f"{path}|{layer_name}: " + ("clean" if not problems else "; ".join(problems[:5])))
    failures += bool(problems)
# exitQgis() can crash in QGIS 3.22's teardown after headless use; leave without it.
sys.stdout.flush()
os._exit(1 if failures else 0)
