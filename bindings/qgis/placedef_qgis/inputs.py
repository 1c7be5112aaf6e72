"""A QGIS layer as an address the engine reads (path[:layer][@CODE[,NAME]]).

A layer backed by a file GDAL opens as it is (no filter, no joined or virtual fields)
is read from that file; any other (a memory layer, a filtered one, a layer from a
provider GDAL cannot open) is first written with its CRS to a temporary GeoPackage.
Either way the engine then applies its own rules (reprojection to the study CRS, the
checks on the CRS), so nothing here decides what a layer means.
"""
import os
import re

from qgis.core import QgsProcessingException, QgsProviderRegistry, QgsVectorFileWriter, QgsVectorLayer


def _file_of(layer):
    """(path, layer name) when the engine can read the layer's own file, else None."""
    if layer.providerType() != "ogr" or layer.subsetString():
        return None
    if layer.fields().count() != layer.dataProvider().fields().count():
        return None  # joined or virtual fields live only in the project
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path", "")
    if not os.path.isfile(path) or set(parts) - {"path", "layerName", "layerId"}:
        return None
    if parts.get("layerId") not in (None, 0):
        return None
    return path, parts.get("layerName") or ""


def _written(layer, folder, context):
    name = re.sub(r"[^A-Za-z0-9_]+", "_", layer.name()) or "layer"
    path = os.path.join(folder, f"{name}_{len(os.listdir(folder))}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    error, message, _, _ = QgsVectorFileWriter.writeAsVectorFormatV3(layer, path, context.transformContext(), options)
    if error != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(f"{layer.name()}: cannot be written for placedef: {message}")
    return path, name


def address(layer, folder, context, copies, code="", name=""):
    """The engine's address of `layer`, with its code and name columns when given. A
    layer written out is recorded in `copies`: how the engine names the copy, and how
    the user knows the layer (for the engine's messages)."""
    if not isinstance(layer, QgsVectorLayer):
        raise QgsProcessingException("placedef reads vector layers only")
    found = _file_of(layer)
    path, layer_name = found or _written(layer, folder, context)
    if not found:
        copies[f"file '{path}', layer '{layer_name}'"] = f"layer '{layer.name()}' of the project"
    text = path + (":" + layer_name if layer_name else "")
    if code or name:
        text += "@" + code + ("," + name if name else "")
    return text
