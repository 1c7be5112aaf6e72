"""The plugin: registers the placedef Processing provider while it is loaded."""
from qgis.core import QgsApplication

from .provider import PlacedefProvider


class PlacedefPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):
        self.provider = PlacedefProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self.provider:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
