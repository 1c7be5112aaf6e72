"""Run inside QGIS by screenshots.sh (qgis --code): the main window with the toolbox's
placedef group open and an overlay run through it, then the Town footprints dialog.
QGIS is left without saving (os._exit), as nothing of this session is kept."""
import os

import processing
from processing.gui.AlgorithmDialog import AlgorithmDialog
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProcessingContext, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QSize, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QTreeView
from qgis.utils import iface

root = os.environ["PLACEDEF_ROOT"]
images = os.path.join(root, "docs", "images")
work = os.environ["PLACEDEF_SCREENSHOTS_OUT"]


def sample(name):
    return os.path.join(root, "shapefiles", name + ".gpkg")


def overlay_through_toolbox():
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    for name in ("ward_2025", "ced_2025", "lsoa_2011", "lad_2021"):
        layer = QgsVectorLayer(sample(name), name, "ogr")
        QgsProject.instance().addMapLayer(layer)
    for name in ("lsoa_2011", "lad_2021"):
        node = QgsProject.instance().layerTreeRoot().findLayer(QgsProject.instance().mapLayersByName(name)[0])
        node.setItemVisibilityChecked(False)
    processing.runAndLoadResults("placedef:overlay", {
        "A": sample("ward_2025"), "A_CODE": "WD25CD", "B": sample("ced_2025"),
        "OUTPUT_TABLE": os.path.join(work, "ward_x_ced.csv"), "OUTPUT": os.path.join(work, "ward_x_ced.gpkg")})
    for dock in iface.mainWindow().findChildren(QDockWidget):
        if dock.objectName() == "Browser":
            dock.hide()
    toolbox = iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
    toolbox.show()
    tree = toolbox.findChild(QTreeView)
    model = tree.model()
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        if model.data(group) == "placedef":
            tree.expand(group)
            tree.scrollTo(model.index(model.rowCount(group) - 1, 0, group))
    iface.mapCanvas().zoomToFullExtent()
    QTimer.singleShot(3000, clear_messages)


def clear_messages():
    # QGIS's note on the project's default transform is not placedef's
    iface.messageBar().clearWidgets()
    QTimer.singleShot(500, window_shot)


def window_shot():
    iface.mainWindow().grab().save(os.path.join(images, "qgis_toolbox.png"))
    dialog = AlgorithmDialog(QgsApplication.processingRegistry().createAlgorithmById("placedef:footprints"))
    panel = dialog.mainWidget()
    context = QgsProcessingContext()
    panel.wrappers["BLOCKS"].setParameterValue(QgsProject.instance().mapLayersByName("lsoa_2011")[0], context)
    panel.wrappers["METHOD"].setParameterValue(3, context)
    panel.wrappers["K"].setParameterValue(8, context)
    dialog.resize(QSize(1000, 760))
    dialog.show()
    QTimer.singleShot(1500, lambda: dialog_shot(dialog))


def dialog_shot(dialog):
    dialog.grab().save(os.path.join(images, "qgis_footprints_dialog.png"))
    os._exit(0)


QTimer.singleShot(3000, overlay_through_toolbox)
QTimer.singleShot(60000, lambda: os._exit(3))  # a dialog QGIS opened on its own would hold it
