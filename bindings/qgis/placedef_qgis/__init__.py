"""placedef in the QGIS Processing toolbox."""


def classFactory(iface):
    from .plugin import PlacedefPlugin
    return PlacedefPlugin(iface)
