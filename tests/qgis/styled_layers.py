#!/usr/bin/python3
"""Opens layers of GeoPackages written by placedef in QGIS (PyQGIS, headless)
and checks that each comes up with the style placedef stored in its
`layer_styles` table: the renderer type, the number of categories (or
classes), the colours, and whether labels are on. Then renders each layer
to a PNG and checks the image shows it: not blank, and every category
colour of a filled layer present.

    styled_layers.py OUTDIR FILE.gpkg:LAYER:RENDERER:CLASSES:LABELS ...

RENDERER is categorizedSymbol, graduatedSymbol or singleSymbol; CLASSES the
number of categories or ranges ("-" for any); LABELS 1 (on) or 0 (off).
The PNGs go to OUTDIR. Prints one line per layer and "SKIPPED: ..." when
PyQGIS is not installed. Exit 0 when every layer is as expected, 1 otherwise.
"""
import os
import sys
import tempfile

try:
    from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsRenderContext,
                           QgsVectorLayer, QgsWkbTypes)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
except ImportError:
    print("SKIPPED: PyQGIS (Debian python3-qgis) is not installed")
    sys.exit(0)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
runtime = tempfile.mkdtemp(prefix="pdef-qgis-")
os.chmod(runtime, 0o700)
os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
app = QgsApplication([], False)
app.initQgis()

BACKGROUND = QColor(255, 255, 255)


def symbol_colours(renderer):
    """The fill (or marker) colour of each category or range, as #rrggbb."""
    if renderer.type() == "categorizedSymbol":
        return [c.symbol().color().name() for c in renderer.categories()]
    if renderer.type() == "graduatedSymbol":
        return [r.symbol().color().name() for r in renderer.ranges()]
    return [renderer.symbol().color().name()]


def render(layer, path):
    """Draws the layer alone at 800 x 600 and returns the image."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent().buffered(layer.extent().width() * 0.02))
    settings.setOutputSize(QSize(800, 600))
    settings.setBackgroundColor(BACKGROUND)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(path, "PNG")
    return image


def image_colours(image):
    """Count of pixels of each colour (#rrggbb), on a grid of every other pixel."""
    counts = {}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            name = QColor(image.pixel(x, y)).name()
            counts[name] = counts.get(name, 0) + 1
    return counts


def feature_symbols(layer):
    """The fids of features the stored style does not draw (a category whose
    value lost a character on the way through XML matches nothing), and the
    colours it draws the others in."""
    renderer = layer.renderer().clone()
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    missing, used = [], set()
    for feature in layer.getFeatures():
        symbol = renderer.symbolForFeature(feature, context)
        if symbol is None:
            missing.append(feature.id())
        else:
            used.add(symbol.color().name())
    renderer.stopRender(context)
    return missing, used


def check(out_dir, spec):
    path, layer_name, renderer_type, classes, labels = spec.rsplit(":", 4)
    layer = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
    if not layer.isValid():
        return ["QGIS cannot open it"]
    problems = []
    renderer = layer.renderer()
    if renderer.type() != renderer_type:
        problems.append(f"renderer {renderer.type()}, expected {renderer_type} (was the stored style applied?)")
        return problems
    colours = symbol_colours(renderer)
    if classes != "-" and len(colours) != int(classes):
        problems.append(f"{len(colours)} categories, expected {classes}")
    if renderer_type != "singleSymbol" and len(set(colours)) < min(len(colours), 2):
        problems.append("the categories all have one colour")
    if layer.labelsEnabled() != (labels == "1"):
        problems.append(f"labels {'on' if layer.labelsEnabled() else 'off'}, expected {'on' if labels == '1' else 'off'}")
    if labels == "1" and layer.labelsEnabled():
        field = layer.labeling().settings().fieldName
        if layer.fields().indexOf(field) < 0:
            problems.append(f"labels come from '{field}', which the layer does not have")
    unsymbolised, used_colours = feature_symbols(layer)
    if unsymbolised:
        problems.append(f"{len(unsymbolised)} feature(s) match no category or class, e.g. {unsymbolised[:3]}")
    image = render(layer, os.path.join(out_dir, f"{os.path.basename(path)}.{layer_name}.png"))
    counts = image_colours(image)
    total = sum(counts.values())
    drawn = total - counts.get(BACKGROUND.name(), 0)
    # Areas cover much of the picture; each point marker a few pixels of the sampled grid.
    needed = total * 0.02 if layer.geometryType() == QgsWkbTypes.PolygonGeometry else layer.featureCount()
    if drawn < needed:
        problems.append(f"the rendered image is blank ({drawn} of {total} pixels drawn)")
    filled = layer.geometryType() == QgsWkbTypes.PolygonGeometry and renderer_type != "singleSymbol"
    if filled:
        # Every colour some feature is drawn in (a fixed class, such as decile 1, may hold none).
        missing = [c for c in used_colours if c not in counts]
        if missing:
            problems.append(f"colours {', '.join(missing)} do not appear in the rendered image")
    return problems


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    failures = 0
    for spec in sys.argv[2:]:
        problems = check(out_dir, spec)
        print(f"{spec}: " + ("styled as expected" if not problems else "; ".join(problems)))
        failures += bool(problems)
    return failures


failed = main()
# exitQgis() can crash in QGIS 3.22's teardown after headless use; leave without it.
sys.stdout.flush()
os._exit(1 if failed else 0)
