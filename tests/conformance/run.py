#!/usr/bin/python3
"""The conformance test: the same request gives the same answer in every front end.

    run.py --cli PLACEDEF --capi LIBPLACEDEF_C --python-dir DIR [--source ROOT] [--out DIR] [ID ...]

Every request of requests.py (or only those named) runs through the command
line (the reference), the C API (ctypes, capi.py), the Python module and a
study config, wherever the front end can express it, on the sample data of
shapefiles/. Output tables are compared byte for byte (CSV, SVG) or row by row
(GeoPackage tables, from SQLite); the study writes tables of its own, whose
corresponding columns are compared. Problems are compared as sets of (kind,
action, file, layer, fid, code, field). Nothing is normalised: a difference
is a bug in a front end. One line per request and front end, then
`N passed, M failed, K skipped`; exit code 1 when anything differs.
"""
import argparse
import csv
import hashlib
import importlib.util
import io
import json
import logging
import math
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import capi  # noqa: E402  (beside this file)

FRONT_ENDS = ["cli", "c-api", "python", "study"]


def load_requests():
    # Loaded by path under another name: `requests` also names a well-known HTTP library.
    spec = importlib.util.spec_from_file_location("conformance_requests", HERE / "requests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REQUESTS


class NotExpressible(Exception):
    """The front end has no way to ask for this request."""


class Failed(Exception):
    """The front end could not run the request."""


class Outcome:
    """What a front end wrote: output files by name, and the problems it reported."""

    def __init__(self, files, problems):
        self.files = files
        self.problems = problems


class Setup:
    """Paths shared by every request."""

    def __init__(self, args):
        self.cli = args.cli
        self.source = pathlib.Path(args.source).resolve()
        self.sample = self.source / "shapefiles"
        self.out = pathlib.Path(args.out).resolve()
        self.library = capi.Library(args.capi)
        sys.path.insert(0, args.python_dir)
        import placedef
        self.placedef = placedef
        # Problems also go to this logger as warnings; the test reads them from the results.
        logging.getLogger("placedef").addHandler(logging.NullHandler())
        logging.getLogger("placedef").propagate = False

    def at(self, address):
        """An address of the sample folder as an absolute path, normalised as a study
        normalises the paths in its config (problems name their file)."""
        return os.path.normpath(self.sample / address)

    def towns_csv(self, names):
        """The rows of examples/surrey_towns.csv naming `names`, as they are, in a CSV of their own."""
        lines = (self.source / "examples" / "surrey_towns.csv").read_text().splitlines(keepends=True)
        kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in names]
        if len(kept) != len(names) + 1:
            raise SystemExit(f"conformance: examples/surrey_towns.csv lacks some of {names}")
        path = self.out / "towns.csv"
        path.write_text("".join(kept))
        return str(path)


def number(value):
    return repr(float(value))


def problem_key(kind, action, file, layer, fid, code, field):
    return (kind, action, file, layer, "" if fid is None else str(fid), code, field)


def problems_csv(path, fid_column="fid"):
    with open(path, newline="") as table:
        return {problem_key(row["kind"], row["action"], row["file"], row["layer"], row[fid_column], row["code"],
                            row["field"]) for row in csv.DictReader(table)}


# ---- the command line --------------------------------------------------------------

def run_command(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise Failed(f"exit code {done.returncode}: {done.stderr.strip()}\n  command: {' '.join(command)}")


def cli_population(spec, at):
    if spec is None:
        return []
    return ["--pop", at(spec["layer"]), "--pop-table", at(spec["table"]), "--pop-column", spec["column"],
            "--pop-key", spec["key"]]


def cli_scoring(scoring):
    return (["--tolerance", number(scoring["tolerance"]), "--distance", number(scoring["distance"]),
             "--min-piece", number(scoring["min_piece"])] + ([] if scoring["alignment"] else ["--no-alignment"]))


def cli_arguments(r, at):
    job = r["job"]
    people = cli_population(r.get("population"), at)
    if job == "overlay":
        return ["overlay", at(r["a"]), at(r["b"]), "--min-share", number(r["min_share"])] + people
    if job == "align":
        return ["align", at(r["a"]), at(r["b"])] + cli_scoring(r["scoring"]) + people
    if job == "bestfit":
        return (["bestfit", at(r["child"]), at(r["parent"]), "--method", r["method"], "--ambiguous-below",
                 number(r["ambiguous_below"])] + people)
    if job == "matrix":
        return ["matrix"] + [at(layer) for layer in r["layers"]] + cli_scoring(r["scoring"]) + people
    if job == "pcn":
        if r["practice_name"] != "PRACTICE_NAME":
            raise NotExpressible("`placedef pcn` has no option for the practice name column")
        arguments = ["pcn", at(r["practices"]), "--clip", at(r["clip"]), "--method", r["method"],
                     "--pcn-code", r["pcn_code"], "--pcn-name", r["pcn_name"],
                     "--unallocated", ",".join(r["unallocated"]), "--same-site", number(r["same_site"])]
        if r["clip_codes"]:
            arguments += ["--clip-codes", ",".join(r["clip_codes"])]
        if r["blocks"]:
            arguments += ["--blocks", at(r["blocks"])]
        if r["nearest"]:
            arguments.append("--nearest")
        return arguments + people
    if job == "footprints":
        arguments = ["footprints", at(r["blocks"]), "--method", r["method"], "-k", str(r["k"]),
                     "--min-pop", number(r["min_pop"]), "--rural", str(r["rural"]),
                     "--adjacency", r["adjacency"], "--snap", number(r["snap"]),
                     "--min-shared", number(r["min_shared"]), "--linkage", r["linkage"], "--search", r["search"],
                     "--tries", str(r["tries"]), "--restarts", str(r["restarts"]), "--seed", str(r["seed"])]
        if r["max_pop"] is not None:
            arguments += ["--max-pop", number(r["max_pop"])]
        if r["balance"] is not None:
            arguments += ["--balance", number(r["balance"])]
        for attribute in r["attributes"]:  # the key column is guessed: the command line takes none
            arguments += ["--attr", f"{at(attribute['table'])}:{attribute['column']}*{number(attribute['weight'])}"]
        if r["towns"]:
            arguments += ["--seeds", r["towns_csv"]]
        if r["rural_distance"] is not None:
            arguments += ["--rural-distance", number(r["rural_distance"])]
        if r["join_islands"]:
            arguments.append("--join-islands")
        if r["refine"]:
            arguments.append("--refine")
        for option in ("respect", "align"):
            for partner in r[option]:
                arguments += ["--" + option, f"{at(partner['layer'])}*{number(partner['weight'])}"]
        return arguments + people
    if job == "compare":
        arguments = (["compare"] + [f"{p['name']}={at(p.get('layer') or p['lookup'])}" for p in r["proposals"]] +
                     ["--blocks", at(r["blocks"]), "--key", r["key"], "--place-column", r["place_column"],
                      "--block-column", r["block_column"], "--min-pop", number(r["min_pop"]),
                      "--max-pop", number(r["max_pop"])] + cli_scoring(r["scoring"]))
        for partner in r["partners"]:
            arguments += ["--partner", at(partner)]
        d = r["deprivation"]
        arguments += ["--imd", at(d["units"]), "--imd-table", at(d["table"]), "--imd-key", d["key"],
                      "--imd-column", d["column"]]
        return arguments + people
    if job == "flows":
        arguments = ["flows", at(r["units"]), "--flows", at(r["table"]), "--residence", r["residence"],
                     "--workplace", r["workplace"], "--count", r["count"], "--rules", r["rules"],
                     "--regrouping", r["regrouping"],
                     "--adjacency", r["adjacency"], "--snap", number(r["snap"]), "--min-shared", number(r["min_shared"])]
        for rule in RULE_VALUES:
            if r[rule] is not None:
                arguments += ["--" + rule.replace("_", "-"), number(r[rule])]
        return arguments
    if job == "map":
        return (["map"] + [at(layer) for layer in r["layers"]] + ["--points"] + [at(p) for p in r["points"]] +
                ["--style", r["style"], "--width", str(r["width"]), "--height", str(r["height"]),
                 "--dpi", number(r["dpi"])])
    raise NotExpressible(f"no command for job {job}")


# The values of the functional area rules a request may change (None: the rules' own).
RULE_VALUES = ("min_size", "target_size", "min_containment", "target_containment")


def run_cli(setup, r, folder):
    arguments = cli_arguments(r, setup.at)
    files = {name: str(folder / name) for name in r["outputs"]}
    for path in files.values():
        arguments += ["-o", path]
    problems = folder / "problems.csv"
    run_command([setup.cli, "-q", "--problems", str(problems)] + arguments)
    return Outcome(files, problems_csv(problems))


# ---- the C API -----------------------------------------------------------------------

def run_capi(setup, r, folder):
    job = capi.JOBS.get(r["job"])
    if job is None:
        raise NotExpressible(f"pdef_c.h has no call for {r['job']}")
    files = {name: str(folder / name) for name in r["outputs"]}
    ctx = capi.Context(setup.library)
    try:
        job(ctx, r, setup.at, list(files.values()))
        return Outcome(files, ctx.problems())
    except capi.CApiError as e:
        raise Failed(str(e)) from None
    finally:
        ctx.close()


# ---- the Python module ------------------------------------------------------------

def python_job(pd, r, at, layer, population, output):
    """Runs request `r` with the module `pd`; returns the call's result."""
    job = r["job"]
    scoring = r.get("scoring", {})
    scoring_args = {key: scoring[key] for key in ("tolerance", "distance", "min_piece", "alignment") if key in scoring}
    if job == "overlay":
        return pd.overlay(layer(r["a"]), layer(r["b"]), population=population, min_share=r["min_share"], output=output)
    if job == "align":
        return pd.align(layer(r["a"]), layer(r["b"]), population=population, output=output, **scoring_args)
    if job == "bestfit":
        return pd.bestfit(layer(r["child"]), layer(r["parent"]), method=r["method"],
                          ambiguous_below=r["ambiguous_below"], population=population, output=output)
    if job == "matrix":
        return pd.matrix([layer(a) for a in r["layers"]], population=population, output=output, **scoring_args)
    if job == "pcn":
        return pd.pcn(layer(r["practices"], points=True), layer(r["clip"]), method=r["method"],
                      blocks=layer(r["blocks"]) if r["blocks"] else None, clip_codes=r["clip_codes"],
                      nearest=r["nearest"], same_site=r["same_site"], pcn_code=r["pcn_code"], pcn_name=r["pcn_name"],
                      practice_name=r["practice_name"], unallocated=r["unallocated"], population=population,
                      output=output)
    if job == "footprints":
        blocks = layer(r["blocks"])
        attributes = {}
        for attribute in r["attributes"]:  # a CSV column per block, as a Python caller reads it
            with open(at(attribute["table"]), newline="") as table:
                rows = {row[attribute["key"]]: row for row in csv.DictReader(table)}
            attributes[attribute["column"]] = ([float(rows[code][attribute["column"]]) if code in rows else math.nan
                                                for code in blocks.codes], attribute["weight"])
        inf = math.inf
        return pd.footprints(blocks, method=r["method"], k=r["k"], attributes=attributes or None,
                             population=population, min_pop=r["min_pop"],
                             max_pop=inf if r["max_pop"] is None else r["max_pop"],
                             places=r.get("towns_csv"), places_crs="",
                             rural_distance=inf if r["rural_distance"] is None else r["rural_distance"],
                             rural=r["rural"], balance=r["balance"], adjacency=r["adjacency"], snap=r["snap"],
                             min_shared=r["min_shared"], join_islands=r["join_islands"], linkage=r["linkage"],
                             search=r["search"], refine=r["refine"], tries=r["tries"], restarts=r["restarts"],
                             seed=r["seed"], output=output,
                             respect=[(layer(p["layer"]), p["weight"]) for p in r["respect"]] or None,
                             align=[(layer(p["layer"]), p["weight"]) for p in r["align"]] or None)
    if job == "compare":
        d = r["deprivation"]
        proposals = [(p["name"], layer(p["layer"]) if "layer" in p else at(p["lookup"])) for p in r["proposals"]]
        return pd.compare(layer(r["blocks"]), proposals, [layer(a) for a in r["partners"]], population=population,
                          deprivation=(layer(d["units"]), at(d["table"]), d["column"]), key=r["key"],
                          place_column=r["place_column"], block_column=r["block_column"], min_population=r["min_pop"],
                          max_population=r["max_pop"], output=output,
                          **{k: v for k, v in scoring_args.items() if k != "alignment"})
    if job == "flows":
        return pd.flows(layer(r["units"]), at(r["table"]), residence=r["residence"], workplace=r["workplace"],
                        count=r["count"], rules=r["rules"], regrouping=r["regrouping"], adjacency=r["adjacency"],
                        snap=r["snap"],
                        min_shared=r["min_shared"], output=output, **{rule: r[rule] for rule in RULE_VALUES})
    raise NotExpressible(f"the module has no function for {job}")


def run_python(setup, r, folder):
    pd = setup.placedef
    if not hasattr(pd, r["job"]):
        raise NotExpressible(f"the module has no function for {r['job']}")
    files = {name: str(folder / name) for name in r["outputs"]}
    opened = []

    def layer(address, points=False):
        made = pd.Layer.open(setup.at(address), points=points)
        opened.append(made)
        return made

    try:
        population = None
        if r.get("population"):
            spec = r["population"]
            population = pd.Population(layer(spec["layer"]), table=setup.at(spec["table"]), column=spec["column"],
                                       key=spec["key"])
        result = python_job(pd, r, setup.at, layer, population, list(files.values()))
    except (ValueError, OSError, RuntimeError) as e:
        raise Failed(f"{type(e).__name__}: {e}") from None
    # The problems the module gives back: each layer's, and the call's where it returns them.
    reported = [p for made in opened for p in made.problems] + list(result.get("problems", []))
    problems = {problem_key(p["kind"], p["action"], p["file"], p["layer"], p["fid"], p["code"], p["field"])
                for p in reported}
    return Outcome(files, problems)


# ---- the study --------------------------------------------------------------------

def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def toml_table(name, values):
    lines = [f"[{name}]"] + [f"{key} = {toml_value(value)}" for key, value in values.items() if value is not None]
    return "\n".join(lines) + "\n\n"


def layer_name(address):
    """A study layer is named as the dataset's layer, as every other front end names it."""
    return address.split("@")[0].rsplit(".", 1)[0]


class StudyConfig:
    """A study config for one request, written out as TOML."""

    def __init__(self, setup, r):
        self.setup = setup
        self.layers = {}
        self.text = toml_table("study", {"title": "conformance: " + r["id"], "crs": "EPSG:27700", "invalid": "repair"})

    def layer(self, address, role):
        name = layer_name(address)
        if name not in self.layers:
            path, code = address.split("@")
            self.layers[name] = {"path": self.setup.at(path), "code": code, "role": role}
        return name

    def population(self, spec):
        if spec:
            self.add("population", {"layer": self.layer(spec["layer"], "blocks"), "table": self.setup.at(spec["table"]),
                                    "key": spec["key"], "column": spec["column"]})

    def add(self, name, values):
        self.text += toml_table(name, values)

    def write(self, path):
        layers = "".join(toml_table("layers." + name, values) for name, values in self.layers.items())
        path.write_text(layers + self.text + toml_table("maps", {"enabled": False}))


def study_config(setup, r):
    """The config that asks the study for request `r`, and the files to compare with the command line's."""
    job = r["job"]
    config = StudyConfig(setup, r)
    if job == "matrix":
        names = [config.layer(address, "boundary") for address in r["layers"]]
        config.population(r["population"])
        s = r["scoring"]
        config.add("scoring", {"tolerance": s["tolerance"], "distance": s["distance"], "min_share": s["min_piece"],
                               "alignment": s["alignment"], "footprints_against": []})
        config.add("matrix", {"layers": names, "pcn": False, "population": r["population"] is not None})
        return config
    if job == "pcn":
        pcn = {"practices": config.layer(r["practices"], "pcn_practices"), "clip": config.layer(r["clip"], "area"),
               "clip_codes": r["clip_codes"], "method": r["method"],
               "blocks": config.layer(r["blocks"], "blocks") if r["blocks"] else None, "nearest": r["nearest"],
               "same_site": r["same_site"], "pcn_code": r["pcn_code"], "pcn_name": r["pcn_name"],
               "practice_name": r["practice_name"], "unallocated": r["unallocated"]}
        config.population(r["population"])
        config.add("scoring", {"footprints_against": []})
        config.add("matrix", {"pcn": False})
        config.add("pcn", pcn)
        return config
    if job == "footprints":
        blocks = config.layer(r["blocks"], "blocks")
        config.population(r["population"])
        tables = {(a["table"], a["key"]) for a in r["attributes"]}
        if len(tables) > 1:
            raise NotExpressible("a study's attributes come from one deprivation table")
        if r["attributes"]:
            table, key = tables.pop()
            config.add("deprivation", {"layer": blocks, "table": setup.at(table), "key": key,
                                       "column": r["attributes"][0]["column"]})
        if r["towns"]:
            config.add("towns", {"path": r["towns_csv"]})
        config.add("scoring", {"footprints_against": []})
        config.add("[footprints]", {
            "id": r["method"], "blocks": blocks, "method": r["method"], "k": r["k"] or None,
            "min_population": r["min_pop"] or None, "max_population": r["max_pop"],
            "attributes": [{"column": a["column"], "weight": a["weight"]} for a in r["attributes"]] or None,
            "seed": r["seed"], "adjacency": r["adjacency"], "snap": r["snap"], "min_shared_length": r["min_shared"],
            "join_islands": r["join_islands"], "linkage": r["linkage"], "search": r["search"], "refine": r["refine"],
            "tries": r["tries"], "restarts": r["restarts"], "rural_distance": r["rural_distance"],
            "rural_footprints": r["rural"], "balance": r["balance"],
            "respect": [{"layer": config.layer(p["layer"], "district"), "weight": p["weight"]} for p in r["respect"]] or None,
            "align": [{"layer": config.layer(p["layer"], "division"), "weight": p["weight"]} for p in r["align"]] or None})
        return config
    if job == "compare":
        blocks = config.layer(r["blocks"], "blocks")
        config.population(r["population"])
        d = r["deprivation"]
        config.add("deprivation", {"layer": config.layer(d["units"], "blocks"), "table": setup.at(d["table"]),
                                   "key": d["key"], "column": d["column"]})
        s = r["scoring"]
        config.add("scoring", {"tolerance": s["tolerance"], "distance": s["distance"], "min_share": s["min_piece"],
                               "alignment": s["alignment"], "footprints_against": []})
        config.add("matrix", {"layers": [], "pcn": False})
        config.add("[comparisons]", {
            "id": "compare", "blocks": blocks, "partners": [config.layer(a, "boundary") for a in r["partners"]],
            "min_population": r["min_pop"], "max_population": r["max_pop"], "key": r["key"],
            "place_column": r["place_column"], "block_column": r["block_column"]})
        for p in r["proposals"]:
            config.add("[comparisons.proposals]", {"name": p["name"], "lookup": setup.at(p["lookup"]) if "lookup" in p else None,
                                                     "layer": config.layer(p["layer"], "boundary") if "layer" in p else None})
        return config
    if job == "flows":
        config.add("[flows]", {
            "id": "flows", "units": config.layer(r["units"], "blocks"), "table": setup.at(r["table"]),
            "residence": r["residence"], "workplace": r["workplace"], "count": r["count"], "rules": r["rules"],
            "regrouping": r["regrouping"],
            "adjacency": r["adjacency"], "snap": r["snap"], "min_shared_length": r["min_shared"], "against": [],
            **{rule: r[rule] for rule in RULE_VALUES}})
        return config
    raise NotExpressible({
        "overlay": "a study overlays layers only inside its matrix and scores; it writes no intersection table",
        "align": "a study writes no per-unit alignment report",
        "bestfit": "a study makes no best-fit lookup",
        "map": "a study draws its own PNG maps of its results, not a map of given layers",
    }.get(job, f"no study table for {job}"))


def run_study(setup, r, folder):
    config = study_config(setup, r)
    path = folder / "study.toml"
    config.write(path)
    outdir = folder / "study"
    run_command([setup.cli, "-q", "study", str(path), "-o", str(outdir), "--no-maps"])
    files = {path.name: str(path) for path in outdir.iterdir()}
    return Outcome(files, problems_csv(outdir / "problems.csv", fid_column="feature_id"))


# ---- comparing ------------------------------------------------------------------

def text_lines(path):
    with open(path, "rb") as f:
        return [line.decode("utf-8", "replace").rstrip("\n") for line in f]


def gpkg_rows(path, table, columns=None):
    """Rows of one table of a GeoPackage in row order, after a line naming the columns
    (`columns`; default: all but the row id and the time a style was written)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        if not names:
            return [f"(no table {table})"]
        chosen = columns or [n for n in names if n not in ("fid", "id", "update_time")]
        missing = [c for c in chosen if c not in names]
        if missing:
            return [f"(table {table} has no column {', '.join(missing)})"]
        select = ", ".join(f'"{c}"' for c in chosen)
        rows = db.execute(f'SELECT {select} FROM "{table}" ORDER BY rowid').fetchall()
    return [",".join(chosen)] + [", ".join(cell(value) for value in row) for row in rows]


def cell(value):
    """A GeoPackage value as text; a geometry by its size and digest, so that a row stays readable."""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes {hashlib.sha1(value).hexdigest()[:12]}>"
    return repr(value)


def gpkg_lines(path):
    """Every table a GeoPackage lists, row by row, and its contents entries (without the time written)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        contents = db.execute("SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, "
                              "srs_id FROM gpkg_contents ORDER BY table_name").fetchall()
    lines = [f"contents: {row!r}" for row in contents]
    for row in contents:
        lines += [f"{row[0]}: {line}" for line in gpkg_rows(path, row[0])]
    return lines


def file_lines(path):
    if not pathlib.Path(path).is_file():
        return ["(no file written)"]
    return gpkg_lines(path) if path.endswith(".gpkg") else text_lines(path)


def format_number(value):
    """A number as the engine's CSV writer prints it (shortest text that reads back the same)."""
    if not math.isfinite(value):
        return ""
    if value == 0:
        return "0"
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def csv_columns(path, columns):
    """The named columns of a CSV; a (name, source, divisor) column is `source` divided by `divisor`."""
    with open(path, newline="") as table:
        rows = list(csv.DictReader(table))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c if isinstance(c, str) else c[0] for c in columns])
    for row in rows:
        cells = []
        for c in columns:
            if isinstance(c, str):
                cells.append(row[c])
            else:
                text = row[c[1]]
                cells.append(format_number(float(text) / c[2]) if text else "")
        writer.writerow(cells)
    return out.getvalue().splitlines()


FOOTPRINT_COLUMNS = ["footprint", "name", "blocks", "population", "area_km2", "parts", "polsby_popper"]


def study_views(r, cli, study):
    """(what, command-line lines, study lines) for each table the study writes for request `r`."""
    c, s = cli.files, study.files
    if r["job"] == "matrix":
        return [("matrix.csv", text_lines(c["matrix.csv"]), text_lines(s["matrix.csv"]))]
    if r["job"] == "pcn":
        columns = ["pcn_code", "pcn_name", "practices", "population", "parts"]
        views = [
            ("pcn.csv " + ",".join(columns) + ",area_km2",
             csv_columns(c["pcn.csv"], columns + [("area_km2", "area_m2", 1e6)]),
             csv_columns(s["pcn.csv"], columns + ["area_km2"])),
            ("pcn_footprints polygons", gpkg_rows(c["pcn.gpkg"], "pcn_footprints", ["pcn_code", "geom"]),
             gpkg_rows(s["study.gpkg"], "pcn_footprints", ["pcn_code", "geom"])),
            ("practices", gpkg_rows(c["pcn.gpkg"], "practices"), gpkg_rows(s["study.gpkg"], "practices")),
        ]
        if r["blocks"]:
            views.append(("blocks", gpkg_rows(c["pcn.gpkg"], "blocks"), gpkg_rows(s["study.gpkg"], "pcn_blocks")))
        return views
    if r["job"] == "footprints":
        run = r["method"]
        return [
            ("footprints.csv " + ",".join(FOOTPRINT_COLUMNS),
             csv_columns(c["footprints.csv"], FOOTPRINT_COLUMNS), csv_columns(s["footprints.csv"], FOOTPRINT_COLUMNS)),
            ("footprint polygons", gpkg_rows(c["footprints.gpkg"], "footprints", ["footprint", "geom"]),
             gpkg_rows(s["study.gpkg"], "footprints_" + run, ["footprint", "geom"])),
            ("membership", gpkg_rows(c["footprints.gpkg"], "membership"),
             gpkg_rows(s["study.gpkg"], "membership_" + run)),
        ]
    if r["job"] == "compare":
        # A study gives its lookups' paths as resolved from its folder: every column but the source.
        views = [("compare.csv", text_lines(c["compare.csv"]), text_lines(s["comparison_compare.csv"]))]
        for table in ("proposal_districts", "proposal_one_council", "differences", "scorecard", "moves",
                      "partner_changes"):
            views.append((table, gpkg_rows(c["compare.gpkg"], table), gpkg_rows(s["comparison_compare.gpkg"], table)))
        columns = [n for n in gpkg_rows(c["compare.gpkg"], "proposals")[0].split(",") if n != "source"]
        views.append(("proposals", gpkg_rows(c["compare.gpkg"], "proposals", columns),
                      gpkg_rows(s["comparison_compare.gpkg"], "proposals", columns)))
        return views
    if r["job"] == "flows":
        return [("flows.csv", text_lines(c["flows.csv"]), text_lines(s["flows_flows.csv"])),
                ("flows_membership.csv", text_lines(flows_membership(c["flows.csv"])),
                 text_lines(s["flows_flows_membership.csv"]))] + [
            (table, gpkg_rows(c["flows.gpkg"], table), gpkg_rows(s["flows_flows.gpkg"], table))
            for table in ("areas", "membership")]
    return []


def flows_membership(csv_path):
    """The membership table the command line writes beside a functional areas CSV."""
    return csv_path[:-len(".csv")] + "_membership.csv"


def first_difference(reference, other):
    """(line number, reference line, other line) of the first difference, or None."""
    for number_, (a, b) in enumerate(zip(reference, other), start=1):
        if a != b:
            return number_, a, b
    if len(reference) != len(other):
        n = min(len(reference), len(other))
        return n + 1, (reference[n] if n < len(reference) else "(end)"), (other[n] if n < len(other) else "(end)")
    return None


def shorten(text, limit=400):
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def views_of(r, front_end, reference, outcome):
    if front_end == "study":
        return study_views(r, reference, outcome)
    return [(name, file_lines(reference.files[name]), file_lines(outcome.files[name])) for name in r["outputs"]]


def listed(front_end, problems, shown=3):
    """The first problems only one front end reported, with their count."""
    first = sorted(problems)[:shown]
    return f"\n    only {front_end} ({len(problems)}): {first}{' ...' if len(problems) > shown else ''}"


def compare(r, front_end, reference, outcome):
    """The differences between the command line's outcome and another front end's, as text blocks."""
    found = []
    for what, ref_lines, lines in views_of(r, front_end, reference, outcome):
        difference = first_difference(ref_lines, lines)
        if difference:
            line, a, b = difference
            found.append(f"{what}, line {line}:\n    cli:        {shorten(a)}\n    {front_end + ':':<11} {shorten(b)}")
    if reference.problems != outcome.problems:
        found.append("problems (kind, action, file, layer, fid, code, field):" +
                     listed("cli", reference.problems - outcome.problems) +
                     listed(front_end, outcome.problems - reference.problems))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="the placedef executable")
    parser.add_argument("--capi", required=True, help="libplacedef_c.so")
    parser.add_argument("--python-dir", required=True, help="the folder holding the built package placedef")
    parser.add_argument("--source", default=str(HERE.parents[1]), help="the source tree (shapefiles/, examples/)")
    parser.add_argument("--out", default="conformance-out", help="working folder (emptied first)")
    parser.add_argument("ids", nargs="*", help="run only these requests")
    args = parser.parse_args()

    if pathlib.Path(args.out).exists():
        shutil.rmtree(args.out)
    pathlib.Path(args.out).mkdir(parents=True)
    setup = Setup(args)
    requests = [r for r in load_requests() if not args.ids or r["id"] in args.ids]
    runners = {"cli": run_cli, "c-api": run_capi, "python": run_python, "study": run_study}
    passed = failed = skipped = 0

    def say(request_id, front_end, status):
        print(f"{request_id:<20} {front_end:<10} {status}", flush=True)

    for r in requests:
        r = dict(r)
        if r.get("towns"):
            r["towns_csv"] = setup.towns_csv(r["towns"])
        front_ends = list(FRONT_ENDS)
        if r["job"] == "map":  # only the command line draws a map of given layers: it is run twice
            front_ends.insert(1, "cli-rerun")
        reference = None
        for front_end in front_ends:
            folder = setup.out / r["id"] / front_end
            folder.mkdir(parents=True)
            try:
                outcome = runners.get(front_end, run_cli)(setup, r, folder)
            except NotExpressible as e:
                skipped += 1
                say(r["id"], front_end, f"skip: not expressible: {e}")
                continue
            except Failed as e:
                failed += 1
                say(r["id"], front_end, f"FAIL: {e}")
                if front_end == "cli":
                    break
                continue
            if front_end == "cli":
                reference = outcome
                passed += 1
                outputs = ", ".join(r["outputs"])
                say(r["id"], front_end, f"ok: the reference ({outputs}; {len(outcome.problems)} problems)")
                continue
            differences = compare(r, front_end, reference, outcome)
            if differences:
                failed += 1
                say(r["id"], front_end, "FAIL: differs from cli")
                print(f"  request {r['id']}: {json.dumps({k: v for k, v in r.items() if k != 'id'})}")
                for text in differences:
                    print("  " + text)
            else:
                passed += 1
                compared = [what for what, _, _ in views_of(r, front_end, reference, outcome)]
                say(r["id"], front_end, f"ok: {'; '.join(compared)}; problems: the same")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
