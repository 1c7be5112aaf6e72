"""The placedef jobs as Processing algorithms. Each one turns its parameters into a
request (inputs.address for layers), runs it through engine.run and loads the
GeoPackage layers it wrote, which open with the styles the engine stored in them.
Parameter texts are the command line's option texts."""
import os
import tempfile

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException,
                       QgsProcessingOutputString, QgsProcessingParameterBoolean, QgsProcessingParameterCrs, QgsProcessingParameterEnum,
                       QgsProcessingParameterField, QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterMultipleLayers,
                       QgsProcessingParameterNumber, QgsProcessingParameterString, QgsProcessingParameterVectorLayer,
                       QgsProviderRegistry, QgsVectorLayer, QgsWkbTypes)

from . import engine, inputs

POLYGONS = [QgsProcessing.TypeVectorPolygon]
POINTS = [QgsProcessing.TypeVectorPoint]
INTEGER = QgsProcessingParameterNumber.Integer
DOUBLE = QgsProcessingParameterNumber.Double
CSV_FILTER = "CSV files (*.csv)"
GPKG_FILTER = "GeoPackage (*.gpkg)"


class PlacedefAlgorithm(QgsProcessingAlgorithm):
    """What every job shares: layers with their code and name columns, the population,
    the outputs and running the request. A job defines job, title, help_text,
    define() and request()."""

    job = ""
    title = ""
    help_text = ""
    has_study_crs = True

    def createInstance(self):
        return type(self)()

    def name(self):
        return self.job

    def displayName(self):
        return self.title

    def shortHelpString(self):
        return self.help_text

    def initAlgorithm(self, config=None):
        self.define()
        if self.has_study_crs:
            self.add(QgsProcessingParameterCrs("STUDY_CRS", "Study CRS", "EPSG:27700", optional=True),
                     "CRS every layer is reprojected to (projected, metres, area kept within 0.5 %)", advanced=True)
        self.addOutput(QgsProcessingOutputString("SUMMARY", "Summary"))

    # ---- parameters --------------------------------------------------------------
    def add(self, parameter, help_text, advanced=False):
        parameter.setHelp(help_text)
        if advanced:
            parameter.setFlags(parameter.flags() | parameter.FlagAdvanced)
        self.addParameter(parameter)

    def add_layer(self, key, description, help_text, types=POLYGONS, optional=False, columns=True):
        self.add(QgsProcessingParameterVectorLayer(key, description, types, optional=optional), help_text)
        if columns:
            self.add(QgsProcessingParameterField(key + "_CODE", f"{description}: code column", parentLayerParameterName=key,
                                                 optional=True),
                     "the column of unit codes (empty: guessed, the one column ending in CD with unique values)")
            self.add(QgsProcessingParameterField(key + "_NAME", f"{description}: name column", parentLayerParameterName=key,
                                                 optional=True),
                     "the column of unit names (empty: the code column's twin with NM for CD, or 'name')")

    def add_number(self, key, description, help_text, kind=DOUBLE, default=None, minimum=None, maximum=None,
                   optional=False, advanced=False):
        parameter = QgsProcessingParameterNumber(key, description, kind, default, optional)
        if minimum is not None:
            parameter.setMinimum(minimum)
        if maximum is not None:
            parameter.setMaximum(maximum)
        self.add(parameter, help_text, advanced)

    def add_enum(self, key, description, help_text, options, default=0, multiple=False, optional=False, advanced=False):
        self.add(QgsProcessingParameterEnum(key, description, options, multiple, None if multiple else default, optional),
                 help_text, advanced)

    def add_population(self, required=False):
        self.add_layer("POP", "Population units", "population layer (e.g. LSOA polygons); population is apportioned to "
                       "pieces by area", optional=not required, columns=False)
        self.add(QgsProcessingParameterFile("POP_TABLE", "Population table", extension="csv", optional=not required),
                 "CSV with one row per population unit")
        self.add(QgsProcessingParameterString("POP_COLUMN", "Population column", optional=not required),
                 "population column of the table")
        self.add(QgsProcessingParameterString("POP_KEY", "Population key column", optional=True),
                 "code column of the table (default: the column matching the layer's codes)", advanced=True)

    def add_scoring(self, alignment=True):
        self.add_number("TOLERANCE", "Tolerance", 'share treated as "all" (nested, co-terminous)', default=0.995,
                        minimum=0.5, maximum=1, advanced=True)
        self.add_number("DISTANCE", "Distance (m)", "metres treated as the same line (boundary alignment)", default=20,
                        minimum=0, advanced=True)
        self.add_number("MIN_PIECE", "Smallest piece", "share from which a piece counts in a unit's fragmentation",
                        default=0.01, minimum=0, maximum=0.5, advanced=True)
        if alignment:
            self.add(QgsProcessingParameterBoolean("NO_ALIGNMENT", "Skip boundary alignment", False),
                     "skip boundary alignment (areas only)", advanced=True)

    def add_outputs(self, table_text, table_optional=True, gpkg_text=None):
        self.add(QgsProcessingParameterFileDestination("OUTPUT_TABLE", "Table", CSV_FILTER, optional=table_optional),
                 table_text)
        if gpkg_text:
            self.add(QgsProcessingParameterFileDestination("OUTPUT", "GeoPackage", GPKG_FILTER, optional=True), gpkg_text)

    # ---- reading parameters ------------------------------------------------------
    def layer(self, parameters, key, context, columns=True):
        layer = self.parameterAsVectorLayer(parameters, key, context)
        if layer is None:
            return None
        code = self.parameterAsString(parameters, key + "_CODE", context) if columns else ""
        name = self.parameterAsString(parameters, key + "_NAME", context) if columns else ""
        return inputs.address(layer, self.folder, context, self.copies, code, name)

    def layers(self, parameters, key, context):
        return [inputs.address(layer, self.folder, context, self.copies)
                for layer in self.parameterAsLayerList(parameters, key, context)]

    def text(self, parameters, key, context):
        return self.parameterAsString(parameters, key, context)

    def number(self, parameters, key, context):
        """The number, or None when an optional one is not given."""
        if parameters.get(key) is None and self.parameterDefinition(key).defaultValue() is None:
            return None
        return self.parameterAsDouble(parameters, key, context)

    def choice(self, parameters, key, context):
        parameter = self.parameterDefinition(key)
        return parameter.options()[self.parameterAsEnum(parameters, key, context)]

    def population(self, parameters, context):
        units = self.layer(parameters, "POP", context, columns=False)
        if not units:
            return None
        spec = {"units": units, "table": self.text(parameters, "POP_TABLE", context),
                "column": self.text(parameters, "POP_COLUMN", context)}
        key = self.text(parameters, "POP_KEY", context)
        if key:
            spec["key"] = key
        return {"population": spec}

    def scoring(self, parameters, context):
        """The scoring options; and the population, which every scoring job takes."""
        options = {"tolerance": self.number(parameters, "TOLERANCE", context),
                   "distance": self.number(parameters, "DISTANCE", context),
                   "min_piece": self.number(parameters, "MIN_PIECE", context),
                   "population": self.population(parameters, context)}
        if self.parameterDefinition("NO_ALIGNMENT") is not None:
            options["alignment"] = not self.parameterAsBool(parameters, "NO_ALIGNMENT", context)
        return options

    def outputs(self, parameters, context, keys=("OUTPUT_TABLE", "OUTPUT")):
        """The paths of the outputs given, remembered as the algorithm's results."""
        for key in keys:
            if self.parameterDefinition(key) is not None:
                path = self.parameterAsFileOutput(parameters, key, context)
                if path:
                    self.written[key] = path
        paths = [self.written[key] for key in keys if key in self.written]
        if not paths:
            raise QgsProcessingException("give at least one output (a table or a GeoPackage)")
        return paths

    # ---- running -----------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):
        with tempfile.TemporaryDirectory(prefix="placedef-qgis-") as folder:
            self.folder = folder
            self.written = {}
            self.copies = {}
            feedback.setProgress(5)
            request = self.request(parameters, context)
            if "args" in request:
                request["args"] = {k: v for k, v in request["args"].items() if v is not None}
            feedback.setProgress(engine.JOB_START)
            try:
                summary = engine.run(request, feedback)
            except engine.JobCancelled:
                feedback.reportError("placedef: cancelled", fatalError=False)
                return {}
            except engine.JobError as e:
                raise QgsProcessingException(self.in_users_words(str(e)))
        feedback.setProgress(engine.JOB_END)
        if summary:
            feedback.pushInfo(summary)
        results = dict(self.written, SUMMARY=summary)
        self.load(results, context)
        feedback.setProgress(100)
        return results

    def in_users_words(self, message):
        """The engine's message naming the user's layers, not the copies written of them."""
        for copy, layer in self.copies.items():
            message = message.replace(copy, layer)
        return message

    def geopackage(self, results):
        return results.get("OUTPUT")

    def load(self, results, context):
        """Loads the map layers of the written GeoPackage into the project (its tables
        without geometry stay in the file); each opens with the style the engine
        stored in its layer_styles table, which QGIS applies as the default style."""
        path = self.geopackage(results)
        if not path or not os.path.exists(path):
            return
        for sublayer in QgsProviderRegistry.instance().querySublayers(path):
            if sublayer.wkbType() in (QgsWkbTypes.NoGeometry, QgsWkbTypes.Unknown):
                continue
            layer = QgsVectorLayer(sublayer.uri(), f"{self.title}: {sublayer.name()}", "ogr")
            if not layer.isValid():
                continue
            context.temporaryLayerStore().addMapLayer(layer)
            context.addLayerToLoadOnCompletion(
                layer.id(), QgsProcessingContext.LayerDetails(layer.name(), context.project(), sublayer.name()))

    def study_crs(self, parameters, context):
        return self.parameterAsCrs(parameters, "STUDY_CRS", context).authid() or "EPSG:27700"

    def module_request(self, args, parameters, context):
        args["study_crs"] = self.study_crs(parameters, context)
        return {"job": self.job, "args": args, "output": self.outputs(parameters, context)}

    def cli_request(self, argv, parameters, context, options):
        """A command line request: argv, then each (option, value) given (True: a flag)."""
        for option, value in options:
            if value is True:
                argv.append(option)
            elif value not in (None, False, "", []):
                argv += [option] + ([str(v) for v in value] if isinstance(value, list) else [str(value)])
        global_options = ["--study-crs", self.study_crs(parameters, context)] if self.has_study_crs else []
        return {"job": self.job, "argv": global_options + [self.job] + argv}


class Overlay(PlacedefAlgorithm):
    job, title = "overlay", "Overlay"
    help_text = ("Intersection table of A and B: every pair of units with positive area, its area and shares of "
                 "each unit (and of their people, with a population). The GeoPackage holds the same table as a "
                 "layer 'pieces', with each piece's polygon. As placedef overlay on the command line.")

    def define(self):
        self.add_layer("A", "Layer A", "the first polygon layer (e.g. wards)")
        self.add_layer("B", "Layer B", "the second polygon layer (e.g. county divisions)")
        self.add_population()
        self.add_number("MIN_SHARE", "Smallest share", "drop rows whose shares of a and of b are both below this "
                        "(counted)", default=0, minimum=0, maximum=1, advanced=True)
        self.add_outputs("table.csv: one row per piece", gpkg_text="a GeoPackage holding the pieces too")

    def request(self, parameters, context):
        return self.module_request({"a": self.layer(parameters, "A", context), "b": self.layer(parameters, "B", context),
                                    "population": self.population(parameters, context),
                                    "min_share": self.number(parameters, "MIN_SHARE", context)}, parameters, context)


class Align(PlacedefAlgorithm):
    job, title = "align", "Align (co-terminosity)"
    help_text = ("Per-unit relations of A and B (co-terminous, nested, built from, split, outside) and the layer "
                 "scores both ways: co-terminosity index, nesting rate, boundary alignment. As placedef align on the command line.")

    def define(self):
        self.add_layer("A", "Layer A", "the layer whose units are scored (e.g. wards)")
        self.add_layer("B", "Layer B", "the layer they are scored against (e.g. county divisions)")
        self.add_population()
        self.add_scoring()
        self.add_outputs("per-unit report (CSV)", table_optional=False)

    def request(self, parameters, context):
        return self.module_request(dict(self.scoring(parameters, context), a=self.layer(parameters, "A", context),
                                        b=self.layer(parameters, "B", context)), parameters, context)


class Bestfit(PlacedefAlgorithm):
    job, title = "bestfit", "Best-fit lookup"
    help_text = "Assigns each unit of CHILD to exactly one unit of PARENT. As placedef bestfit on the command line."
    METHODS = ["area", "centroid", "population"]

    def define(self):
        self.add_layer("CHILD", "Child layer", "the units to assign (e.g. LSOAs)")
        self.add_layer("PARENT", "Parent layer", "the units they are assigned to (e.g. wards)")
        self.add_enum("METHOD", "Method", "area (largest intersection), centroid (point on surface) or population",
                      self.METHODS)
        self.add_number("AMBIGUOUS_BELOW", "Ambiguous below", "flag a best fit whose winner holds less than this share",
                        default=0.9, minimum=0, maximum=1)
        self.add_population()
        self.add_outputs("lookup CSV: child_code,child_name,parent_code,parent_name,method,share,ambiguous,note",
                         table_optional=False)

    def request(self, parameters, context):
        return self.module_request({"child": self.layer(parameters, "CHILD", context),
                                    "parent": self.layer(parameters, "PARENT", context),
                                    "method": self.choice(parameters, "METHOD", context),
                                    "ambiguous_below": self.number(parameters, "AMBIGUOUS_BELOW", context),
                                    "population": self.population(parameters, context)}, parameters, context)


class Matrix(PlacedefAlgorithm):
    job, title = "matrix", "Co-terminosity matrix"
    help_text = "Every pair of layers scored both ways, one row per ordered pair. As placedef matrix on the command line."

    def define(self):
        self.add(QgsProcessingParameterMultipleLayers("LAYERS", "Layers", QgsProcessing.TypeVectorPolygon),
                 "two or more boundary layers (code columns guessed)")
        self.add_population()
        self.add_scoring()
        self.add_outputs("matrix CSV, one row per ordered pair", table_optional=False)

    def request(self, parameters, context):
        return self.module_request(dict(self.scoring(parameters, context), layers=self.layers(parameters, "LAYERS", context)),
                                   parameters, context)


class Pcn(PlacedefAlgorithm):
    job, title = "pcn", "PCN footprints"
    help_text = "PCN footprints from GP practice points (voronoi, blocks, registered). As placedef pcn on the command line."
    METHODS = ["voronoi", "blocks", "registered"]

    def define(self):
        self.add_layer("PRACTICES", "GP practices", "practice points with their PCN code and name columns", POINTS)
        self.add_layer("CLIP", "Area", "layer whose units make the area to cover (e.g. the county)")
        self.add(QgsProcessingParameterString("CLIP_CODES", "Area units", optional=True),
                 "only these units of the clip layer (comma-separated)")
        self.add_enum("METHOD", "Method", "voronoi, blocks or registered", self.METHODS)
        self.add_layer("BLOCKS", "Blocks", "building blocks (e.g. LSOA 2021), for blocks and registered", optional=True)
        self.add(QgsProcessingParameterFile("REGISTERED", "Registered patients", extension="csv", optional=True),
                 "patients registered at each practice by LSOA (PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS)")
        self.add(QgsProcessingParameterBoolean("NEAREST", "Nearest practice", False),
                 "blocks: each block goes to its nearest practice's PCN")
        self.add(QgsProcessingParameterString("PCN_CODE", "PCN code column", "PCN_CODE"),
                 "PCN code column of the practices")
        self.add(QgsProcessingParameterString("PCN_NAME", "PCN name column", "PCN_NAME"), "PCN name column")
        self.add(QgsProcessingParameterString("UNALLOCATED", "Unallocated codes", "U"),
                 "PCN codes meaning 'in no PCN' (comma-separated)", advanced=True)
        self.add_number("SAME_SITE", "Same site (m)", "practices closer than this (m) share one site", default=1,
                        minimum=0, advanced=True)
        self.add_population()
        self.add_outputs("pcn.csv", gpkg_text="pcn.gpkg (footprints, practices, blocks)")

    def request(self, parameters, context):
        return self.module_request({
            "practices": self.layer(parameters, "PRACTICES", context), "clip": self.layer(parameters, "CLIP", context),
            "clip_codes": split_list(self.text(parameters, "CLIP_CODES", context)),
            "method": self.choice(parameters, "METHOD", context), "blocks": self.layer(parameters, "BLOCKS", context),
            "registered": self.text(parameters, "REGISTERED", context) or None,
            "nearest": self.parameterAsBool(parameters, "NEAREST", context),
            "pcn_code": self.text(parameters, "PCN_CODE", context), "pcn_name": self.text(parameters, "PCN_NAME", context),
            "unallocated": split_list(self.text(parameters, "UNALLOCATED", context)),
            "same_site": self.number(parameters, "SAME_SITE", context),
            "population": self.population(parameters, context)}, parameters, context)


class Footprints(PlacedefAlgorithm):
    job, title = "footprints", "Town footprints"
    help_text = ("Town footprints: contiguous groups of blocks by SKATER, REDCAP, max-p, AZP or seeded growth from "
                 "towns, within a population floor and ceiling, optionally made of whole units of one layer, never "
                 "crossing another's boundaries, keeping a partner's lines (respect) or units (align). Attributes are "
                 "numeric columns of the blocks layer, and the built-in density and position. As placedef footprints "
                 "on the command line.")
    METHODS = ["skater", "redcap", "maxp", "azp", "seeded"]
    ADJACENCY = ["rook", "queen"]
    LINKAGE = ["average", "single", "complete"]
    SEARCH = ["annealing", "greedy", "tabu"]
    ENSEMBLE_METHODS = ["skater", "redcap", "maxp", "azp"]

    def define(self):
        self.add_layer("BLOCKS", "Blocks", "the small areas footprints are made of (e.g. LSOAs)")
        self.add_enum("METHOD", "Method", "skater, redcap, maxp, azp or seeded", self.METHODS)
        self.add_number("K", "Number of footprints", "number of footprints (0: not given; the smallest population "
                        "decides)", INTEGER, 0, 0)
        self.add_number("MEAN_POP", "Mean people per footprint", "instead of the number: mean people per footprint, so "
                        "k = total people / this (carries to another county)", optional=True, minimum=0.000001)
        self.add_number("MIN_POP", "Smallest population", "population floor per footprint (every method holds it)",
                        optional=True, minimum=0)
        self.add_number("MAX_POP", "Largest population", "population ceiling per footprint (every method holds it)",
                        optional=True, minimum=0.000001)
        self.add(QgsProcessingParameterField("ATTRIBUTES", "Attributes", parentLayerParameterName="BLOCKS",
                                             type=QgsProcessingParameterField.Numeric, allowMultiple=True, optional=True),
                 "numeric columns of the blocks that footprints should be alike in")
        self.add(QgsProcessingParameterString("ATTRIBUTE_WEIGHTS", "Attribute weights", optional=True),
                 "the weight of each attribute, in their order, comma-separated (empty: 1 each)")
        self.add_number("DENSITY", "Density weight", "the weight of the built-in density attribute (log of people per "
                        "km² of block area; needs the population; 0: not used)", default=0, minimum=0)
        self.add_number("POSITION", "Position weight", "the weight of the built-in position attribute (each block's "
                        "point on surface: favours compact footprints; 0: not used)", default=0, minimum=0)
        self.add_number("BOUNDARY", "Boundary weight", "the weight of the boundary term (local searches keep blocks with "
                        "long shared boundaries together; 0: none)", default=0, minimum=0, advanced=True)
        self.add_population()
        self.add(QgsProcessingParameterFile("SEEDS", "Towns (CSV)", extension="csv", optional=True),
                 "seeded: CSV of town centres (name, lon/lat or x/y)")
        self.add(QgsProcessingParameterString("SEEDS_CRS", "CRS of the towns", optional=True),
                 "CRS of the town coordinates (default EPSG:4326 for lon/lat, else the study CRS)", advanced=True)
        self.add_number("RURAL_DISTANCE", "Rural distance (m)", "seeded: metres along the graph beyond which blocks are "
                        "rural", optional=True, minimum=0)
        self.add_number("RURAL", "Rural footprints", "seeded: at most this many rural footprints in all (the most "
                        "populous)", INTEGER, 0, 0)
        self.add_number("BALANCE", "Balance", "seeded: 0 nearest town, higher more even (not given: 0.5); others, with "
                        "the number of footprints: each within 1/(2 x balance) of the mean (not given: none)",
                        optional=True, minimum=0, maximum=4)
        self.add_layer("NEST_IN", "Nest in", "footprints made of whole units of this layer (e.g. divisions)",
                       optional=True)
        self.add_layer("WITHIN", "Within", "footprints never cross this layer's boundaries (e.g. districts)",
                       optional=True)
        self.add_layer("CLIP", "Clip", "keep the blocks whose point on surface lies in this layer's units", optional=True)
        self.add(QgsProcessingParameterString("CLIP_CODES", "Clip units", optional=True),
                 "only these units of the clip layer (comma-separated)")
        self.add(QgsProcessingParameterMultipleLayers("RESPECT", "Respect", QgsProcessing.TypeVectorPolygon,
                                                      optional=True),
                 "soft boundaries: people across their lines cost (weight 1: 1 % of people = 0.01 of WSS/TSS)")
        self.add_number("RESPECT_WEIGHT", "Respect weight", "the weight of each respected layer", default=1, minimum=0)
        self.add(QgsProcessingParameterMultipleLayers("ALIGN", "Align", QgsProcessing.TypeVectorPolygon, optional=True),
                 "keep these layers' units (e.g. divisions) whole in footprints")
        self.add_number("ALIGN_WEIGHT", "Align weight", "the weight of each aligned layer", default=1, minimum=0)
        self.add_enum("ADJACENCY", "Adjacency", "rook (blocks sharing a stretch of boundary; one polygon per footprint) "
                      "or queen (corners too)", self.ADJACENCY, advanced=True)
        self.add_number("SNAP", "Snap (m)", "metres within which boundaries touch", default=5, minimum=0, advanced=True)
        self.add_number("MIN_SHARED", "Shared boundary (m)", "rook: metres of shared boundary", default=10, minimum=0,
                        advanced=True)
        self.add(QgsProcessingParameterBoolean("JOIN_ISLANDS", "Join islands", False),
                 "link separate groups of blocks to their nearest block", advanced=True)
        self.add_enum("LINKAGE", "Linkage", "redcap: single, average or complete", self.LINKAGE, advanced=True)
        self.add_enum("SEARCH", "Search", "azp: greedy, tabu or annealing", self.SEARCH, advanced=True)
        self.add(QgsProcessingParameterBoolean("REFINE", "Refine", False), "refine the result by AZP local search",
                 advanced=True)
        self.add_number("TRIES", "Tries", "maxp: constructions tried", INTEGER, 100, 1, advanced=True)
        self.add_number("RESTARTS", "Restarts", "azp: random starts", INTEGER, 10, 1, advanced=True)
        self.add_number("SEED", "Seed", "random seed: the same seed gives the same footprints", INTEGER, 1, 0)
        self.add_number("ENSEMBLE", "Ensemble runs", "run N seeds, keep the consensus and measure each block's "
                        "stability (0: one run)", INTEGER, 0, 0)
        self.add_enum("ENSEMBLE_METHODS", "Ensemble methods", "ensemble: methods taken in turn (none: the method)",
                      self.ENSEMBLE_METHODS, multiple=True, optional=True, advanced=True)
        self.add_outputs("footprints.csv", gpkg_text="footprints.gpkg (footprints, membership)")

    def request(self, parameters, context):
        blocks = self.layer(parameters, "BLOCKS", context)
        columns = self.parameterAsFields(parameters, "ATTRIBUTES", context)
        weights = split_list(self.text(parameters, "ATTRIBUTE_WEIGHTS", context)) or ["1"] * len(columns)
        if len(weights) != len(columns):
            raise QgsProcessingException(f"{len(weights)} attribute weights for {len(columns)} attributes")
        weighted = [[column, number_of(weight, "attribute weight")] for column, weight in zip(columns, weights)]
        builtin = [[name, self.number(parameters, name.upper(), context)] for name in ("density", "position")
                   if self.number(parameters, name.upper(), context)]
        respect = [{"pair": [a, self.number(parameters, "RESPECT_WEIGHT", context)]}
                   for a in self.layers(parameters, "RESPECT", context)]
        align = [{"pair": [a, self.number(parameters, "ALIGN_WEIGHT", context)]}
                 for a in self.layers(parameters, "ALIGN", context)]
        ensemble_methods = [self.ENSEMBLE_METHODS[i] for i in self.parameterAsEnums(parameters, "ENSEMBLE_METHODS", context)
                            ] if parameters.get("ENSEMBLE_METHODS") else []
        return self.module_request({
            "blocks": blocks, "method": self.choice(parameters, "METHOD", context),
            "k": self.parameterAsInt(parameters, "K", context), "mean_pop": self.number(parameters, "MEAN_POP", context),
            "min_pop": self.number(parameters, "MIN_POP", context), "max_pop": self.number(parameters, "MAX_POP", context),
            "attributes": {"attributes": {"layer": blocks, "columns": weighted, "builtin": builtin}}
            if weighted or builtin else None,
            "boundary": self.number(parameters, "BOUNDARY", context), "population": self.population(parameters, context),
            "places": self.text(parameters, "SEEDS", context) or None,
            "places_crs": self.text(parameters, "SEEDS_CRS", context),
            "rural_distance": self.number(parameters, "RURAL_DISTANCE", context),
            "rural": self.parameterAsInt(parameters, "RURAL", context),
            "balance": self.number(parameters, "BALANCE", context),
            "nest_in": self.layer(parameters, "NEST_IN", context), "within": self.layer(parameters, "WITHIN", context),
            "clip": self.layer(parameters, "CLIP", context),
            "clip_codes": split_list(self.text(parameters, "CLIP_CODES", context)),
            "respect": respect or None, "align": align or None,
            "adjacency": self.choice(parameters, "ADJACENCY", context), "snap": self.number(parameters, "SNAP", context),
            "min_shared": self.number(parameters, "MIN_SHARED", context),
            "join_islands": self.parameterAsBool(parameters, "JOIN_ISLANDS", context),
            "linkage": self.choice(parameters, "LINKAGE", context), "search": self.choice(parameters, "SEARCH", context),
            "refine": self.parameterAsBool(parameters, "REFINE", context),
            "tries": self.parameterAsInt(parameters, "TRIES", context),
            "restarts": self.parameterAsInt(parameters, "RESTARTS", context),
            "seed": self.parameterAsInt(parameters, "SEED", context),
            "ensemble": self.parameterAsInt(parameters, "ENSEMBLE", context),
            "ensemble_methods": ensemble_methods or None}, parameters, context)


class Compare(PlacedefAlgorithm):
    job, title = "compare", "Compare proposals"
    help_text = ("Proposals side by side: each against the partners' layers (co-terminosity both ways, partner units "
                 "split), their balance against a target, deprivation, shapes and the blocks that change. A proposal "
                 "is a layer of places. As placedef compare on the command line.")

    def define(self):
        self.add(QgsProcessingParameterMultipleLayers("PROPOSALS", "Proposals (layers)", QgsProcessing.TypeVectorPolygon,
                                                      optional=True), "layers of places (code columns guessed)")
        self.add(QgsProcessingParameterMultipleLayers("LOOKUPS", "Proposals (lookups)", QgsProcessing.TypeFile,
                                                      optional=True),
                 "CSV lookups of blocks (or of a code the blocks carry) and the place each goes to; two or more "
                 "proposals in all, layers first")
        self.add(QgsProcessingParameterString("KEY", "Lookups: key column", optional=True),
                 "lookups: the key column (default: the one matching the blocks)")
        self.add(QgsProcessingParameterString("PLACE_COLUMN", "Lookups: place column", "area"),
                 'lookups: the place column (a "name" column names them)')
        self.add(QgsProcessingParameterString("BLOCK_COLUMN", "Lookups: blocks' column", optional=True),
                 "lookups: the blocks' attribute the keys match (e.g. a district code; default: the block codes)")
        self.add_layer("BLOCKS", "Blocks", "the blocks places are made of (e.g. LSOAs)")
        self.add(QgsProcessingParameterMultipleLayers("PARTNERS", "Partners", QgsProcessing.TypeVectorPolygon),
                 "partners' layers to score against")
        self.add_population(required=True)
        self.add_layer("IMD", "Deprivation units", "deprivation units (e.g. LSOA 2011 polygons)", optional=True,
                       columns=False)
        self.add(QgsProcessingParameterFile("IMD_TABLE", "Deprivation table", extension="csv", optional=True),
                 "CSV of deprivation per unit")
        self.add(QgsProcessingParameterString("IMD_COLUMN", "Deprivation column", optional=True),
                 "its rank (1 = most deprived) or score column")
        self.add_number("MIN_POP", "Target: fewest people", "target: the fewest people a place should have", default=0,
                        minimum=0)
        self.add_number("MAX_POP", "Target: most people", "target: the most people a place should have", optional=True,
                        minimum=0.000001)
        self.add_scoring(alignment=False)
        self.add_outputs("scorecard .csv (with its companion tables)",
                         gpkg_text=".gpkg (a layer per proposal, the differences)")

    def request(self, parameters, context):
        imd = self.layer(parameters, "IMD", context, columns=False)
        deprivation = {"pair": [imd, self.text(parameters, "IMD_TABLE", context),
                                self.text(parameters, "IMD_COLUMN", context)]} if imd else None
        args = {"blocks": self.layer(parameters, "BLOCKS", context),
                "proposals": self.layers(parameters, "PROPOSALS", context)
                + self.parameterAsFileList(parameters, "LOOKUPS", context),
                "key": self.text(parameters, "KEY", context), "place_column": self.text(parameters, "PLACE_COLUMN", context),
                "block_column": self.text(parameters, "BLOCK_COLUMN", context),
                "partners": self.layers(parameters, "PARTNERS", context), "deprivation": deprivation,
                "min_population": self.number(parameters, "MIN_POP", context),
                "max_population": self.number(parameters, "MAX_POP", context)}
        args.update(self.scoring(parameters, context))
        return self.module_request(args, parameters, context)


class Flows(PlacedefAlgorithm):
    job, title = "flows", "Functional areas from commuting flows"
    help_text = ("Functional areas (travel-to-work areas) from a table of commuting flows between units: groups of "
                 "touching units, each with enough residents in work and self-contained enough by the rules (ONS "
                 "ttwa2011 or Istat's), named after their main workplace. As placedef flows on the command line.")
    RULES = ["ttwa2011", "istat"]
    REGROUPING = ["as the rules", "whole_area", "one_unit"]
    ADJACENCY = ["queen", "rook"]

    def define(self):
        self.add_layer("UNITS", "Units", "the units the flows run between (e.g. MSOAs, municipalities)")
        self.add(QgsProcessingParameterFile("FLOWS", "Flows (CSV)", extension="csv"),
                 "CSV of commuting flows: residence, workplace, count")
        self.add(QgsProcessingParameterString("RESIDENCE", "Residence column", optional=True),
                 "its residence code column (default: the first)")
        self.add(QgsProcessingParameterString("WORKPLACE", "Workplace column", optional=True),
                 "its workplace code column (default: the second)")
        self.add(QgsProcessingParameterString("COUNT", "Count column", optional=True),
                 "its count column (default: the third)")
        self.add_enum("RULES", "Rules", "ttwa2011 (3,500 to 25,000 workers, 75 % to 66.7 % self-contained) or istat "
                      "(1,000 to 10,000)", self.RULES)
        self.add_number("MIN_SIZE", "Minimum size", "fewest residents in work an area may have (default: the rules')",
                        optional=True, minimum=0.000001, advanced=True)
        self.add_number("TARGET_SIZE", "Target size", "residents in work from which the minimum self-containment is "
                        "enough (default: the rules')", optional=True, minimum=0.000001, advanced=True)
        self.add_number("MIN_CONTAINMENT", "Minimum self-containment", "self-containment enough for an area of the "
                        "target size (default: the rules')", optional=True, minimum=0.000001, maximum=1, advanced=True)
        self.add_number("TARGET_CONTAINMENT", "Target self-containment", "self-containment an area of the minimum size "
                        "needs (default: the rules')", optional=True, minimum=0.000001, maximum=1, advanced=True)
        self.add_enum("REGROUPING", "Regrouping", "whole_area (the least valid area dissolved whole, as ONS) or one_unit "
                      "(one unit leaves it at a time, as Istat); default: the rules'", self.REGROUPING, advanced=True)
        self.add_enum("ADJACENCY", "Adjacency", "queen (units meeting at a point touch) or rook", self.ADJACENCY,
                      advanced=True)
        self.add_number("SNAP", "Snap (m)", "metres within which boundaries touch", default=5, minimum=0, advanced=True)
        self.add_number("MIN_SHARED", "Shared boundary (m)", "rook: metres of shared boundary", default=10, minimum=0,
                        advanced=True)
        self.add_outputs("areas .csv (with its _membership.csv: each unit's area)",
                         gpkg_text=".gpkg (the areas, styled, and the membership)")

    def request(self, parameters, context):
        return self.module_request({
            "units": self.layer(parameters, "UNITS", context), "flows_csv": self.text(parameters, "FLOWS", context),
            "residence": self.text(parameters, "RESIDENCE", context),
            "workplace": self.text(parameters, "WORKPLACE", context), "count": self.text(parameters, "COUNT", context),
            "rules": self.choice(parameters, "RULES", context),
            "min_size": self.number(parameters, "MIN_SIZE", context),
            "target_size": self.number(parameters, "TARGET_SIZE", context),
            "min_containment": self.number(parameters, "MIN_CONTAINMENT", context),
            "target_containment": self.number(parameters, "TARGET_CONTAINMENT", context),
            "regrouping": "" if self.parameterAsEnum(parameters, "REGROUPING", context) == 0
            else self.choice(parameters, "REGROUPING", context),
            "adjacency": self.choice(parameters, "ADJACENCY", context), "snap": self.number(parameters, "SNAP", context),
            "min_shared": self.number(parameters, "MIN_SHARED", context)}, parameters, context)


class Map(PlacedefAlgorithm):
    job, title = "map", "Map"
    help_text = ("A map (PNG, SVG, PDF) of layers: the first filled (categorical, or a choropleth of a column), the "
                 "others as outlines; or a GeoPackage of them styled for QGIS like the map. As placedef map on the command line.")
    STYLES = ["categorical", "choropleth"]
    BREAKS = ["quantile", "equal", "natural", "fixed"]
    DARK = ["auto", "high", "low"]
    PAPER = ["a4", "a3"]

    def define(self):
        self.add_layer("LAYER", "Filled layer", "the layer drawn filled")
        self.add(QgsProcessingParameterMultipleLayers("OUTLINES", "Outline layers", QgsProcessing.TypeVectorPolygon,
                                                      optional=True), "layers drawn as outlines over it")
        self.add(QgsProcessingParameterMultipleLayers("POINTS", "Point layers", QgsProcessing.TypeVectorPoint,
                                                      optional=True),
                 "point layers drawn as markers over the others (e.g. GP practices)")
        self.add_enum("STYLE", "Style", "categorical (neighbours differ in colour; the default) or choropleth (of the "
                      "column)", self.STYLES)
        self.add(QgsProcessingParameterString("COLUMN", "Column", optional=True),
                 "choropleth: numeric column of the table, or else of the filled layer")
        self.add(QgsProcessingParameterFile("TABLE", "Table", extension="csv", optional=True),
                 "CSV joined to the filled layer's codes")
        self.add(QgsProcessingParameterString("TABLE_KEY", "Table key column", optional=True),
                 "the table's column of codes (key guessed when omitted)", advanced=True)
        self.add_enum("BREAKS", "Classes by", "choropleth classes: quantile, equal, natural (Jenks) or fixed (with the "
                      "bounds); none: ten fixed classes for a decile column, else quantile", self.BREAKS, default=None,
                      optional=True, advanced=True)
        self.add(QgsProcessingParameterString("BOUNDS", "Bounds", optional=True),
                 "fixed breaks: the upper bound of each class but the last, e.g. 10,20,30", advanced=True)
        self.add_number("CLASSES", "Classes", "number of choropleth classes (none: 5 to 7 from the count)", INTEGER,
                        optional=True, minimum=1, maximum=10, advanced=True)
        self.add_enum("DARK", "Darkest end", "the end of the measure drawn darkest: auto (low for ranks and deciles, where "
                      "1 is the most deprived; else high), high or low", self.DARK, advanced=True)
        self.add(QgsProcessingParameterString("LABELS", "Labels", optional=True),
                 "label the filled layer's units: code, or an attribute (e.g. LAD21NM)")
        self.add(QgsProcessingParameterString("LEGEND_TITLE", "Legend title", optional=True),
                 "legend heading of the filled layer (default: its name, or the column)")
        self.add(QgsProcessingParameterString("OUTLINE_TITLES", "Outline titles", optional=True),
                 "legend texts of the layers drawn as outlines, in order (comma-separated; default: their names)")
        self.add(QgsProcessingParameterString("VINTAGES", "Vintages", optional=True),
                 "the data of each layer and point layer and its date for the credit line, in order (comma-separated, "
                 'e.g. "LSOA 2011,CED 2025")', advanced=True)
        self.add(QgsProcessingParameterString("VALUES_VINTAGE", "Values vintage", optional=True),
                 'choropleth: the data of the column for the credit line (e.g. "IMD 2019")', advanced=True)
        self.add_layer("CONTEXT", "Context", "a layer of the land beyond the study area, drawn in grey under the map",
                       optional=True, columns=False)
        self.add(QgsProcessingParameterString("TITLE", "Title", optional=True), "title over the map")
        self.add(QgsProcessingParameterString("CREDIT", "Credit", optional=True),
                 "small print under the map, e.g. the data's copyright line")
        self.add_enum("PAPER", "Paper", "the page of a PDF map, landscape", self.PAPER, advanced=True)
        self.add_number("WIDTH", "Width", "width in pixels", INTEGER, 1600, 16, 30000)
        self.add_number("HEIGHT", "Height", "height in pixels", INTEGER, 1200, 16, 30000)
        self.add_number("DPI", "DPI", "resolution: sets the size of text and lines in pixels", DOUBLE, 150, 10, 2400)
        self.add(QgsProcessingParameterBoolean("NO_LEGEND", "No legend", False), "leave out the legend", advanced=True)
        self.add(QgsProcessingParameterBoolean("NO_SCALE_BAR", "No scale bar", False),
                 "leave out the scale bar and north arrow", advanced=True)
        self.add(QgsProcessingParameterFileDestination("OUTPUT", "Map", "PNG (*.png);;SVG (*.svg);;PDF (*.pdf);;"
                                                       + GPKG_FILTER), "map.png, map.svg, map.pdf, or a GeoPackage of "
                 "the layers styled for QGIS like the map")

    def request(self, parameters, context):
        table = self.text(parameters, "TABLE", context)
        key = self.text(parameters, "TABLE_KEY", context)
        classes = self.number(parameters, "CLASSES", context)
        text = lambda key: self.text(parameters, key, context)  # noqa: E731
        return self.cli_request(
            [self.layer(parameters, "LAYER", context)] + self.layers(parameters, "OUTLINES", context), parameters,
            context, [
                ("--points", self.layers(parameters, "POINTS", context)),
                ("--style", self.choice(parameters, "STYLE", context)), ("--column", text("COLUMN")),
                ("--table", table + (":" + key if key and table else "")),
                ("--breaks", self.choice(parameters, "BREAKS", context) if parameters.get("BREAKS") is not None
                 else None),
                ("--bounds", text("BOUNDS")), ("--classes", int(classes) if classes else None),
                ("--dark", self.choice(parameters, "DARK", context)), ("--labels", text("LABELS")),
                ("--legend-title", text("LEGEND_TITLE")), ("--outline-titles", text("OUTLINE_TITLES")),
                ("--vintages", text("VINTAGES")), ("--values-vintage", text("VALUES_VINTAGE")),
                ("--context", self.layer(parameters, "CONTEXT", context, columns=False)),
                ("--title", text("TITLE")), ("--credit", text("CREDIT")),
                ("--paper", self.choice(parameters, "PAPER", context)),
                ("--width", self.parameterAsInt(parameters, "WIDTH", context)),
                ("--height", self.parameterAsInt(parameters, "HEIGHT", context)),
                ("--dpi", self.number(parameters, "DPI", context)),
                ("--no-legend", self.parameterAsBool(parameters, "NO_LEGEND", context)),
                ("--no-scale-bar", self.parameterAsBool(parameters, "NO_SCALE_BAR", context)),
                ("-o", self.outputs(parameters, context, ("OUTPUT",)))])


class Study(PlacedefAlgorithm):
    job, title = "study", "Study"
    help_text = ("A whole study from one config: layers, matrix, PCN and town footprints, comparisons, maps and "
                 "report.html, with every layer in study.gpkg. The config's [study] crs, assume_crs and invalid "
                 "settings apply. As placedef study on the command line.")
    has_study_crs = False

    def define(self):
        self.add(QgsProcessingParameterFile("CONFIG", "Study config", extension="toml"), "the study's config (TOML)")
        self.add(QgsProcessingParameterBoolean("NO_MAPS", "No maps", False), "skip the maps (faster; the report has "
                 "none)")
        self.add(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "Output folder"),
                 "output folder (created if needed)")

    def request(self, parameters, context):
        return self.cli_request([self.text(parameters, "CONFIG", context)], parameters, context, [
            ("--no-maps", self.parameterAsBool(parameters, "NO_MAPS", context)),
            ("-o", self.outputs(parameters, context, ("OUTPUT_FOLDER",)))])

    def geopackage(self, results):
        return os.path.join(results["OUTPUT_FOLDER"], "study.gpkg")


def number_of(text, what):
    try:
        return float(text)
    except ValueError:
        raise QgsProcessingException(f"{what} {text!r} is not a number") from None


def split_list(text):
    return [part.strip() for part in text.split(",") if part.strip()] if text else []


ALGORITHMS = (Overlay, Align, Bestfit, Matrix, Pcn, Footprints, Compare, Flows, Map, Study)
