"""The conformance requests through the stable C API (pdef_c.h), by ctypes.

Each job is run as a C caller would: one context, its documented setters,
layers opened from their addresses, a population made from its table, the
job's call, and the result written with the C API's own write function.
"""
import ctypes
import math
from ctypes import POINTER, c_bool, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_uint64, c_void_p

PDEF_OK = 0
PDEF_LAYER_POLYGON, PDEF_LAYER_POINT = 0, 1
LINKAGE = {"single": 0, "average": 1, "complete": 2}
SEARCH = {"greedy": 0, "tabu": 1, "annealing": 2}
ADJACENCY = {"queen": 0, "rook": 1}


class Problem(ctypes.Structure):
    _fields_ = [("kind", c_char_p), ("action", c_char_p), ("file", c_char_p), ("layer", c_char_p),
                ("has_fid", c_bool), ("fid", c_int64), ("code", c_char_p), ("field", c_char_p),
                ("detail", c_char_p), ("description", c_char_p)]


HANDLE = c_void_p
OUT = POINTER(c_void_p)
TEXTS = POINTER(c_char_p)

# name: argument types after the context (every call here returns a pdef_status).
SIGNATURES = {
    "pdef_context_set_tolerance": [c_double],
    "pdef_context_set_min_piece": [c_double],
    "pdef_context_set_distance": [c_double],
    "pdef_context_set_threads": [c_uint],
    "pdef_context_get_problem_count": [POINTER(c_size_t)],
    "pdef_context_get_problem": [c_size_t, POINTER(Problem)],
    "pdef_layer_open": [c_char_p, c_int, OUT],
    "pdef_layer_open_places": [c_char_p, c_char_p, OUT],
    "pdef_layer_get_count": [HANDLE, POINTER(c_size_t)],
    "pdef_layer_join_numeric": [HANDLE, c_char_p, c_char_p, c_char_p, c_double, POINTER(c_double), c_size_t],
    "pdef_population_create": [HANDLE, c_char_p, c_char_p, c_char_p, OUT],
    "pdef_population_copy_values": [HANDLE, POINTER(c_double), c_size_t],
    "pdef_population_apportion": [HANDLE, HANDLE, POINTER(c_double), c_size_t],
    "pdef_overlay": [HANDLE, HANDLE, HANDLE, c_double, c_bool, OUT],
    "pdef_table_write": [HANDLE, c_char_p],
    "pdef_report_create": [HANDLE, HANDLE, HANDLE, OUT],
    "pdef_report_write_csv": [HANDLE, c_char_p],
    "pdef_best_fit_method_from_string": [c_char_p, POINTER(c_int)],
    "pdef_lookup_create": [HANDLE, HANDLE, HANDLE, c_int, c_double, OUT],
    "pdef_lookup_write_csv": [HANDLE, c_char_p],
    "pdef_matrix_create": [POINTER(c_void_p), c_size_t, HANDLE, c_bool, OUT],
    "pdef_matrix_write_csv": [HANDLE, c_char_p],
    "pdef_pcn_method_from_string": [c_char_p, POINTER(c_int)],
    "pdef_pcn_options_create": [OUT],
    "pdef_pcn_options_set_method": [HANDLE, c_int],
    "pdef_pcn_options_set_columns": [HANDLE, c_char_p, c_char_p, c_char_p],
    "pdef_pcn_options_set_unallocated": [HANDLE, TEXTS, c_size_t],
    "pdef_pcn_options_set_clip_codes": [HANDLE, TEXTS, c_size_t],
    "pdef_pcn_options_set_same_site": [HANDLE, c_double],
    "pdef_pcn_options_set_nearest_practice": [HANDLE, c_bool],
    "pdef_pcn_options_set_population": [HANDLE, HANDLE],
    "pdef_pcn_create": [HANDLE, HANDLE, HANDLE, HANDLE, OUT],
    "pdef_pcn_write": [HANDLE, c_char_p],
    "pdef_cluster_method_from_string": [c_char_p, POINTER(c_int)],
    "pdef_footprint_options_create": [OUT],
    "pdef_footprint_options_set_method": [HANDLE, c_int],
    "pdef_footprint_options_set_seed": [HANDLE, c_uint64],
    "pdef_footprint_options_set_count": [HANDLE, c_size_t],
    "pdef_footprint_options_set_population_bounds": [HANDLE, c_double, c_double],
    "pdef_footprint_options_set_population": [HANDLE, POINTER(c_double), c_size_t],
    "pdef_footprint_options_add_attribute": [HANDLE, c_char_p, POINTER(c_double), c_size_t, c_double],
    "pdef_footprint_options_set_seeded": [HANDLE, HANDLE, c_double, c_size_t, c_double],
    "pdef_footprint_options_set_search": [HANDLE, c_int, c_int, c_bool, c_size_t, c_size_t],
    "pdef_footprint_options_set_contiguity": [HANDLE, c_int, c_double, c_double, c_bool],
    "pdef_footprint_options_add_partner": [HANDLE, HANDLE, c_int, c_double],
    "pdef_footprints_create": [HANDLE, HANDLE, OUT],
    "pdef_footprints_write": [HANDLE, c_char_p],
    "pdef_compare": [HANDLE, HANDLE, c_void_p, c_size_t, POINTER(c_void_p), c_size_t, c_void_p, OUT],
    "pdef_comparison_write": [HANDLE, c_char_p],
    "pdef_flows": [HANDLE, c_char_p, c_void_p, OUT],
    "pdef_functional_areas_write": [HANDLE, c_char_p],
}
DESTROY = ["pdef_layer", "pdef_population", "pdef_table", "pdef_report", "pdef_lookup", "pdef_matrix",
           "pdef_pcn_options", "pdef_pcn", "pdef_footprint_options", "pdef_footprints", "pdef_comparison",
           "pdef_functional_areas"]


class Proposal(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("layer", c_void_p), ("lookup", c_char_p)]


class CompareOptions(ctypes.Structure):
    _fields_ = [("key", c_char_p), ("place_column", c_char_p), ("block_column", c_char_p),
                ("min_population", c_double), ("max_population", c_double), ("deprivation_units", c_void_p),
                ("deprivation_table", c_char_p), ("deprivation_column", c_char_p)]


class FlowsOptions(ctypes.Structure):
    _fields_ = [("residence_column", c_char_p), ("workplace_column", c_char_p), ("count_column", c_char_p),
                ("rules", c_char_p), ("min_size", c_double), ("target_size", c_double), ("min_containment", c_double),
                ("target_containment", c_double), ("regrouping", c_char_p), ("adjacency", c_int), ("snap", c_double),
                ("min_shared_length", c_double), ("agree_with", c_char_p)]


class CApiError(RuntimeError):
    pass


def _text(value):
    return value.encode() if value is not None else None


def _texts(values):
    array = (c_char_p * max(len(values), 1))(*[v.encode() for v in values])
    return array, len(values)


class Library:
    """libplacedef_c.so with the signatures above."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.pdef_context_create.argtypes = [OUT]
        self.lib.pdef_context_destroy.argtypes = [HANDLE]
        self.lib.pdef_context_last_error.argtypes = [HANDLE]
        self.lib.pdef_context_last_error.restype = c_char_p
        for name, arguments in SIGNATURES.items():
            function = getattr(self.lib, name)
            function.argtypes = [HANDLE] + arguments
            function.restype = c_int
        for kind in DESTROY:
            getattr(self.lib, kind + "_destroy").argtypes = [HANDLE]


class Context:
    """One pdef_context; every handle made through it is destroyed with it."""

    def __init__(self, library):
        self.lib = library.lib
        self.ctx = c_void_p()
        if self.lib.pdef_context_create(ctypes.byref(self.ctx)) != PDEF_OK:
            raise CApiError("pdef_context_create failed")
        self.owned = []

    def close(self):
        for kind, handle in reversed(self.owned):
            getattr(self.lib, kind + "_destroy")(handle)
        self.lib.pdef_context_destroy(self.ctx)

    def call(self, name, *arguments):
        status = getattr(self.lib, name)(self.ctx, *arguments)
        if status != PDEF_OK:
            raise CApiError(f"{name}: status {status}: {self.lib.pdef_context_last_error(self.ctx).decode()}")

    def make(self, kind, name, *arguments):
        """Calls a function whose last argument is the new handle, owned until close()."""
        handle = c_void_p()
        self.call(name, *arguments, ctypes.byref(handle))
        self.owned.append((kind, handle))
        return handle

    def enum(self, name, text):
        value = c_int()
        self.call(name, _text(text), ctypes.byref(value))
        return value.value

    def layer(self, address, points=False):
        return self.make("pdef_layer", "pdef_layer_open", _text(address),
                         PDEF_LAYER_POINT if points else PDEF_LAYER_POLYGON)

    def count(self, layer):
        count = c_size_t()
        self.call("pdef_layer_get_count", layer, ctypes.byref(count))
        return count.value

    def population(self, spec, at, units=None):
        """A population made from its table (None for none); `at` resolves the request's paths."""
        if spec is None:
            return None
        units = units if units is not None else self.layer(at(spec["layer"]))
        return self.make("pdef_population", "pdef_population_create", units, _text(at(spec["table"])),
                         _text(spec["key"]), _text(spec["column"]))

    def problems(self):
        count = c_size_t()
        self.call("pdef_context_get_problem_count", ctypes.byref(count))
        found = set()
        for index in range(count.value):
            p = Problem()
            self.call("pdef_context_get_problem", index, ctypes.byref(p))
            found.add(tuple((value or b"").decode() for value in (p.kind, p.action, p.file, p.layer)) +
                      (str(p.fid) if p.has_fid else "",) +
                      tuple((value or b"").decode() for value in (p.code, p.field)))
        return found


def set_scoring(ctx, scoring):
    ctx.call("pdef_context_set_tolerance", scoring["tolerance"])
    ctx.call("pdef_context_set_min_piece", scoring["min_piece"])
    ctx.call("pdef_context_set_distance", scoring["distance"])


def write_all(ctx, writer, handle, outputs):
    for path in outputs:
        ctx.call(writer, handle, _text(path))


def overlay(ctx, r, at, outputs):
    a, b = ctx.layer(at(r["a"])), ctx.layer(at(r["b"]))
    population = ctx.population(r["population"], at)
    with_geometry = any(not path.endswith(".csv") for path in outputs)
    table = ctx.make("pdef_table", "pdef_overlay", a, b, population, r["min_share"], with_geometry)
    write_all(ctx, "pdef_table_write", table, outputs)


def align(ctx, r, at, outputs):
    set_scoring(ctx, r["scoring"])
    a, b = ctx.layer(at(r["a"])), ctx.layer(at(r["b"]))
    table = ctx.make("pdef_table", "pdef_overlay", a, b, ctx.population(r["population"], at), 0.0, False)
    aligned = r["scoring"]["alignment"]
    report = ctx.make("pdef_report", "pdef_report_create", table, a if aligned else None, b if aligned else None)
    write_all(ctx, "pdef_report_write_csv", report, outputs)


def bestfit(ctx, r, at, outputs):
    child, parent = ctx.layer(at(r["child"])), ctx.layer(at(r["parent"]))
    method = ctx.enum("pdef_best_fit_method_from_string", r["method"])
    lookup = ctx.make("pdef_lookup", "pdef_lookup_create", child, parent, ctx.population(r["population"], at), method,
                      r["ambiguous_below"])
    write_all(ctx, "pdef_lookup_write_csv", lookup, outputs)


def matrix(ctx, r, at, outputs):
    set_scoring(ctx, r["scoring"])
    layers = [ctx.layer(at(address)) for address in r["layers"]]
    array = (c_void_p * len(layers))(*[layer.value for layer in layers])
    made = ctx.make("pdef_matrix", "pdef_matrix_create", array, len(layers), ctx.population(r["population"], at),
                    r["scoring"]["alignment"])
    write_all(ctx, "pdef_matrix_write_csv", made, outputs)


def pcn(ctx, r, at, outputs):
    practices = ctx.layer(at(r["practices"]), points=True)
    clip = ctx.layer(at(r["clip"]))
    blocks = ctx.layer(at(r["blocks"])) if r["blocks"] else None
    population = ctx.population(r["population"], at)
    options = ctx.make("pdef_pcn_options", "pdef_pcn_options_create")
    ctx.call("pdef_pcn_options_set_method", options, ctx.enum("pdef_pcn_method_from_string", r["method"]))
    ctx.call("pdef_pcn_options_set_columns", options, _text(r["pcn_code"]), _text(r["pcn_name"]),
             _text(r["practice_name"]))
    ctx.call("pdef_pcn_options_set_unallocated", options, *_texts(r["unallocated"]))
    ctx.call("pdef_pcn_options_set_clip_codes", options, *_texts(r["clip_codes"]))
    ctx.call("pdef_pcn_options_set_same_site", options, r["same_site"])
    ctx.call("pdef_pcn_options_set_nearest_practice", options, r["nearest"])
    ctx.call("pdef_pcn_options_set_population", options, population)
    made = ctx.make("pdef_pcn", "pdef_pcn_create", practices, clip, blocks, options)
    write_all(ctx, "pdef_pcn_write", made, outputs)


def doubles(values):
    return (c_double * max(len(values), 1))(*values), len(values)


def footprints(ctx, r, at, outputs):
    blocks = ctx.layer(at(r["blocks"]))
    n = ctx.count(blocks)
    options = ctx.make("pdef_footprint_options", "pdef_footprint_options_create")
    ctx.call("pdef_footprint_options_set_method", options, ctx.enum("pdef_cluster_method_from_string", r["method"]))
    ctx.call("pdef_footprint_options_set_seed", options, r["seed"])
    ctx.call("pdef_footprint_options_set_count", options, r["k"])
    people = []
    if r["population"]:
        # People on the blocks themselves are their values; on another layer, apportioned to the blocks.
        on_blocks = r["population"]["layer"] == r["blocks"]
        population = ctx.population(r["population"], at, units=blocks if on_blocks else None)
        values = (c_double * n)()
        if on_blocks:
            ctx.call("pdef_population_copy_values", population, values, n)
        else:
            ctx.call("pdef_population_apportion", population, blocks, values, n)
        people = list(values)
    ctx.call("pdef_footprint_options_set_population", options, *doubles(people))
    ctx.call("pdef_footprint_options_set_population_bounds", options, r["min_pop"],
             math.inf if r["max_pop"] is None else r["max_pop"])
    for attribute in r["attributes"]:
        values = (c_double * n)()
        ctx.call("pdef_layer_join_numeric", blocks, _text(at(attribute["table"])), _text(attribute["key"]),
                 _text(attribute["column"]), math.nan, values, n)
        ctx.call("pdef_footprint_options_add_attribute", options, _text(attribute["column"]), values, n,
                 attribute["weight"])
    places = ctx.make("pdef_layer", "pdef_layer_open_places", _text(r["towns_csv"]), b"") if r["towns"] else None
    ctx.call("pdef_footprint_options_set_seeded", options, places,
             math.inf if r["rural_distance"] is None else r["rural_distance"], r["rural"],
             math.nan if r["balance"] is None else r["balance"])
    ctx.call("pdef_footprint_options_set_search", options, LINKAGE[r["linkage"]], SEARCH[r["search"]], r["refine"],
             r["tries"], r["restarts"])
    ctx.call("pdef_footprint_options_set_contiguity", options, ADJACENCY[r["adjacency"]], r["snap"], r["min_shared"],
             r["join_islands"])
    for role, option in enumerate(("respect", "align")):  # PDEF_PARTNER_RESPECT, PDEF_PARTNER_ALIGN
        for partner in r[option]:
            ctx.call("pdef_footprint_options_add_partner", options, ctx.layer(at(partner["layer"])), role, partner["weight"])
    made = ctx.make("pdef_footprints", "pdef_footprints_create", blocks, options)
    write_all(ctx, "pdef_footprints_write", made, outputs)


def compare(ctx, r, at, outputs):
    set_scoring(ctx, r["scoring"])
    blocks = ctx.layer(at(r["blocks"]))
    population = ctx.population(r["population"], at, units=blocks if r["population"]["layer"] == r["blocks"] else None)
    proposals = (Proposal * len(r["proposals"]))()
    for i, p in enumerate(r["proposals"]):
        proposals[i].name = _text(p["name"])
        if "layer" in p:
            proposals[i].layer = ctx.layer(at(p["layer"])).value
        else:
            proposals[i].lookup = _text(at(p["lookup"]))
    partners = [ctx.layer(at(address)) for address in r["partners"]]
    partner_array = (c_void_p * len(partners))(*[layer.value for layer in partners])
    d = r["deprivation"]
    units = blocks if d["units"] == r["blocks"] else ctx.layer(at(d["units"]))
    options = CompareOptions(_text(r["key"]), _text(r["place_column"]), _text(r["block_column"]), r["min_pop"],
                             r["max_pop"], units.value, _text(at(d["table"])), _text(d["column"]))
    made = ctx.make("pdef_comparison", "pdef_compare", blocks, population, proposals, len(proposals), partner_array,
                    len(partners), ctypes.byref(options))
    write_all(ctx, "pdef_comparison_write", made, outputs)


def flows(ctx, r, at, outputs):
    units = ctx.layer(at(r["units"]))
    rule = {key: 0.0 if r[key] is None else r[key]  # 0: the rules' own
            for key in ("min_size", "target_size", "min_containment", "target_containment")}
    options = FlowsOptions(_text(r["residence"]), _text(r["workplace"]), _text(r["count"]), _text(r["rules"]),
                           rule["min_size"], rule["target_size"], rule["min_containment"], rule["target_containment"],
                           _text(r["regrouping"]), ADJACENCY[r["adjacency"]], r["snap"], r["min_shared"], None)
    made = ctx.make("pdef_functional_areas", "pdef_flows", units, _text(at(r["table"])), ctypes.byref(options))
    write_all(ctx, "pdef_functional_areas_write", made, outputs)


JOBS = {"compare": compare, "flows": flows, "overlay": overlay, "align": align, "bestfit": bestfit, "matrix": matrix, "pcn": pcn, "footprints": footprints}
