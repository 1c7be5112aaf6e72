"""The conformance requests: one list, each a job and every option it takes.

Each request runs through every front end that can express it (run.py): the
command line, the C API, the Python module and a study config. Every option
is written out here, defaults included, so that each front end is given the
same request rather than relying on its own defaults being the same.

Paths are relative to the sample folder shapefiles/, except `towns`, which
names rows of examples/surrey_towns.csv (run.py writes them to a CSV). A
layer is an address `file@CODE_COLUMN`; its name is the file's single layer.

A new job adds its request here (docs/architecture.md, "The conformance test").
"""

# People on the LSOAs of 2011 (shapefiles/SOURCES.md): every request that
# uses a population uses this one.
POPULATION = {
    "layer": "lsoa_2011.gpkg@LSOA11CD",
    "table": "population_mid2020_lsoa11.csv",
    "key": "lsoa11_code",
    "column": "total_population",
}

# The scoring settings (the defaults of every front end, given explicitly).
SCORING = {"tolerance": 0.995, "distance": 20.0, "min_piece": 0.01, "alignment": True}

# Clustering attributes come from the deprivation table, keyed by the blocks' codes.
IMD = "imd_2019_lsoa11.csv"
IMD_KEY = "lsoa11_code"

WARDS = "ward_2025.gpkg@WD25CD"
DIVISIONS = "ced_2025.gpkg@CED25CD"
DISTRICTS = "lad_2021.gpkg@LAD21CD"
MSOAS = "msoa_2021.gpkg@MSOA21CD"
LSOAS_2011 = "lsoa_2011.gpkg@LSOA11CD"
LSOAS_2021 = "lsoa_2021.gpkg@LSOA21CD"
PRACTICES = "gp_practices.gpkg@PRACTICE_CODE"

# The towns of examples/surrey_towns.csv that lie in the sample's two
# districts (the sample study leaves the other 22 out: outside = "skip").
SAMPLE_TOWNS = ["Guildford", "Farnham", "Godalming", "Haslemere", "Cranleigh"]


def _request(job, method, options):
    """A request of `job` by `method`, named after both."""
    return dict({"id": f"{job}_{method}", "job": job, "method": method}, **options)


def _bestfit(method, population):
    return _request("bestfit", method, {"child": LSOAS_2021, "parent": WARDS, "ambiguous_below": 0.9,
                                        "population": population, "outputs": ["lookup.csv"]})


def _pcn(method, blocks):
    return _request("pcn", method, {
        "practices": PRACTICES,
        "clip": DISTRICTS,
        "clip_codes": [],
        "blocks": blocks,
        "nearest": False,
        "same_site": 1.0,
        "pcn_code": "PCN_CODE",
        "pcn_name": "PCN_NAME",
        "practice_name": "PRACTICE_NAME",
        "unallocated": ["U"],
        "population": POPULATION,
        "outputs": ["pcn.csv", "pcn.gpkg"],
    })


def _footprints(method, **options):
    return _request("footprints", method, dict({
        "blocks": LSOAS_2011,
        "k": 0,
        "min_pop": 0.0,
        "max_pop": None,  # no ceiling
        "attributes": [],  # {"table", "key", "column", "weight"}: a CSV column joined on the block codes
        "population": POPULATION,
        "towns": None,
        "rural_distance": None,  # no rural footprints
        "rural": 0,
        "balance": None,  # the method's default (seeded 0.5, the others none)
        "adjacency": "queen",
        "snap": 5.0,
        "min_shared": 10.0,
        "join_islands": False,
        "linkage": "average",
        "search": "annealing",
        "refine": False,
        "tries": 100,
        "restarts": 10,
        "seed": 1,
        "respect": [],  # {"layer", "weight"}: partner layers in the objective
        "align": [],
        "outputs": ["footprints.csv", "footprints.gpkg"],
    }, **options))


IMD_RANK = {"table": IMD, "key": IMD_KEY, "column": "IMD_rank", "weight": 1.0}
INCOME_RANK = {"table": IMD, "key": IMD_KEY, "column": "Income_rank", "weight": 0.5}

REQUESTS = [
    {
        "id": "overlay",
        "job": "overlay",
        "a": WARDS,
        "b": DIVISIONS,
        "population": POPULATION,
        "min_share": 0.0,
        "outputs": ["overlay.csv", "overlay.gpkg"],
    },
    {
        "id": "align",
        "job": "align",
        "a": WARDS,
        "b": DIVISIONS,
        "population": POPULATION,
        "scoring": SCORING,
        "outputs": ["align.csv"],
    },
    _bestfit("area", None),
    _bestfit("centroid", None),
    _bestfit("population", POPULATION),
    # A population table that lacks 16 of the 166 LSOAs (population_partial.csv, the
    # sample's first 150 rows): each missing LSOA is a missing_key problem (kept, with 0
    # people) that every front end reports. A table whose key matches no unit at all is
    # refused in every front end.
    dict(_bestfit("population", dict(POPULATION, table="../tests/conformance/population_partial.csv")),
         id="bestfit_missing_keys"),
    {
        "id": "matrix",
        "job": "matrix",
        "layers": [DISTRICTS, DIVISIONS, WARDS, MSOAS],
        "population": POPULATION,
        "scoring": SCORING,
        "outputs": ["matrix.csv"],
    },
    # Wards read by their district code (LAD25CD): the 45 wards merge into the two
    # districts, each merged feature a duplicate_code problem that every front end reports.
    {
        "id": "matrix_merged_codes",
        "job": "matrix",
        "layers": ["ward_2025.gpkg@LAD25CD", DISTRICTS],
        "population": None,
        "scoring": SCORING,
        "outputs": ["matrix.csv"],
    },
    # No registered-patients CSV ships with the sample (shapefiles/, tests/):
    # the registered method is not in the list.
    _pcn("voronoi", None),
    _pcn("blocks", LSOAS_2021),
    _footprints("skater", k=8, min_pop=20000.0, attributes=[IMD_RANK, INCOME_RANK]),
    _footprints("redcap", k=8, attributes=[IMD_RANK]),
    dict(_footprints("redcap", k=8, balance=2.0, max_pop=42000.0, attributes=[IMD_RANK]),
         id="footprints_redcap_bounded"),  # a ceiling and a balance band
    _footprints("maxp", min_pop=20000.0, attributes=[IMD_RANK]),
    _footprints("azp", k=8, attributes=[IMD_RANK]),
    _footprints("seeded", towns=SAMPLE_TOWNS, rural_distance=5000.0, rural=1),
    # Partner layers: the districts as a soft boundary, the divisions kept whole.
    dict(_footprints("skater", k=8, attributes=[IMD_RANK], respect=[{"layer": DISTRICTS, "weight": 2.0}],
                     align=[{"layer": DIVISIONS, "weight": 1.0}]), id="footprints_skater_partners"),
    dict(_footprints("seeded", towns=SAMPLE_TOWNS, rural_distance=5000.0, rural=1,
                     align=[{"layer": DIVISIONS, "weight": 1.0}]), id="footprints_seeded_aligned"),
    # Two drawings of the sample's councils: the two districts as drawn, and one council made
    # of both from a lookup of districts (keyed by the blocks' LADCD_ACTIVE), against the wards
    # and the divisions, with a target range and deprivation.
    {
        "id": "compare",
        "job": "compare",
        "blocks": LSOAS_2011,
        "proposals": [{"name": "districts", "layer": DISTRICTS},
                      {"name": "one council", "lookup": "../tests/conformance/one_council.csv"}],
        "partners": [WARDS, DIVISIONS],
        "key": "LAD21CD",
        "place_column": "area",
        "block_column": "LADCD_ACTIVE",
        "min_pop": 100000.0,
        "max_pop": 300000.0,
        "deprivation": {"units": LSOAS_2011, "table": IMD, "key": IMD_KEY, "column": "IMD_rank"},
        "population": POPULATION,
        "scoring": SCORING,
        "outputs": ["compare.csv", "compare.gpkg"],
    },
    # Functional areas of the sample's MSOAs from a made-up commuting table (most people
    # work at home, some in the next MSOAs in code order), with three rows that cannot be
    # used (a pair again, a negative count, no number) and one from a code beyond the
    # units (counted in the jobs of the MSOA it goes to).
    {
        "id": "flows",
        "job": "flows",
        "units": MSOAS,
        "table": "../tests/conformance/msoa_flows.csv",
        "residence": "residence",
        "workplace": "workplace",
        "count": "commuters",
        "rules": "istat",
        "min_size": 4000.0,
        "target_size": None,
        "min_containment": None,
        "target_containment": 0.7,
        "regrouping": "whole_area",
        "adjacency": "queen",
        "snap": 5.0,
        "min_shared": 10.0,
        "outputs": ["flows.csv", "flows.gpkg"],
    },
    {
        "id": "map",
        "job": "map",
        "layers": [WARDS, DIVISIONS],
        "points": [PRACTICES],
        "style": "categorical",
        "width": 800,
        "height": 600,
        "dpi": 96.0,
        "outputs": ["map.svg", "map.gpkg"],
    },
]
