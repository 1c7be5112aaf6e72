#!/usr/bin/python3
"""The screenshots in docs/qgis.md: the Processing toolbox with the placedef group, and
an algorithm's dialog with the sample layers loaded. Needs an X display; headless:

    xvfb-run -a -s "-screen 0 1400x1000x24" /usr/bin/python3 bindings/qgis/screenshots.py docs/images
"""
import os
import sys
import tempfile

from qgis.core import QgsApplication, QgsProcessingContext, QgsProject, QgsVectorLayer
from qgis.gui import QgsProcessingToolboxProxyModel, QgsProcessingToolboxTreeView
from qgis.PyQt.QtCore import QCoreApplication, QSize

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
images = sys.argv[1]
runtime = tempfile.mkdtemp(prefix="pdef-qgis-")
os.chmod(runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
app = QgsApplication([], True)
app.initQgis()
sys.path[:0] = ["/usr/share/qgis/python/plugins", os.path.join(root, "bindings/qgis")]
from processing.core.Processing import Processing  # noqa: E402
from processing.gui.AlgorithmDialog import AlgorithmDialog  # noqa: E402

Processing.initialize()
import placedef_qgis  # noqa: E402

plugin = placedef_qgis.classFactory(None)
plugin.initProcessing()
for name in ("lsoa_2011", "lad_2021", "ced_2025", "ward_2025"):
    QgsProject.instance().addMapLayer(QgsVectorLayer(os.path.join(root, "shapefiles", name + ".gpkg"), name, "ogr"))


def settle():
    for _ in range(20):
        QCoreApplication.processEvents()


def save(widget, name, size):
    widget.resize(size)
    widget.show()
    settle()
    path = os.path.join(images, name)
    widget.grab().save(path)
    print(path)


registry = QgsApplication.processingRegistry()
toolbox = QgsProcessingToolboxTreeView(None, registry)
toolbox.setWindowTitle("Processing Toolbox")
toolbox.setHeaderHidden(True)
model = toolbox.model()
toolbox.resize(QSize(380, 520))
toolbox.show()
for row in range(model.rowCount()):
    group = model.index(row, 0)
    if model.data(group) == "placedef":
        toolbox.expand(group)
        algorithms = [model.index(i, 0, group) for i in range(model.rowCount(group))]
        toolbox.setCurrentIndex(next(a for a in algorithms if model.data(a) == "Town footprints"))
        settle()
        toolbox.scrollTo(algorithms[-1])
save(toolbox, "qgis_toolbox.png", QSize(380, 520))

dialog = AlgorithmDialog(registry.createAlgorithmById("placedef:footprints"))
panel = dialog.mainWidget()
context = QgsProcessingContext()
settings = {"BLOCKS": "lsoa_2011", "WITHIN": "lad_2021"}
for key, layer_name in settings.items():
    layer = QgsProject.instance().mapLayersByName(layer_name)[0]
    panel.wrappers[key].setParameterValue(layer, context)
panel.wrappers["METHOD"].setParameterValue(3, context)
panel.wrappers["K"].setParameterValue(8, context)
save(dialog, "qgis_footprints_dialog.png", QSize(1000, 760))
