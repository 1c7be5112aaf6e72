"""The Processing provider "placedef": one algorithm per job."""
from qgis.core import QgsProcessingProvider

from .algorithms import ALGORITHMS


class PlacedefProvider(QgsProcessingProvider):
    def id(self):
        return "placedef"

    def name(self):
        return "placedef"

    def longName(self):
        return "placedef: place definition from boundary layers"

    def loadAlgorithms(self):
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())
