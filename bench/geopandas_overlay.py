#!/usr/bin/python3
"""GeoPandas peer of `placedef overlay`, for bench/overlay_bench.sh.

Reads two polygon layers, runs geopandas.overlay(a, b, how="intersection"), measures
the area of each piece and writes a CSV with header a_code,b_code,area_m2: one row per
pair with positive area (pieces of the same pair summed), sorted by a_code then b_code,
areas with 17 significant digits.

    /usr/bin/python3 bench/geopandas_overlay.py A[:layer][@code] B[:layer][@code] -o out.csv

The layer arguments use placedef's syntax. Without @code, the code column is the only
column whose name ends in "CD" (as placedef guesses), else a column named "code".
Phase timings go to stderr as one line of JSON.
"""

import argparse
import json
import sys
import time

import geopandas


def parse_layer(arg):
    """Split path[:layer][@code] into (path, layer or None, code or None)."""
    code = None
    if "@" in arg:
        arg, code = arg.rsplit("@", 1)
    layer = None
    for ext in (".gpkg", ".shp", ".geojson", ".fgb"):
        pos = arg.lower().find(ext + ":")
        if pos >= 0:
            layer = arg[pos + len(ext) + 1:]
            arg = arg[: pos + len(ext)]
            break
    return arg, layer, code


def guess_code(frame, path):
    names = [c for c in frame.columns if c != frame.geometry.name]
    cd = [c for c in names if c.upper().endswith("CD")]
    if len(cd) == 1:
        return cd[0]
    if "code" in names:
        return "code"
    sys.exit(f"geopandas_overlay: cannot guess the code column of {path} (columns: {names})")


def read(arg, out_name):
    path, layer, code = parse_layer(arg)
    frame = geopandas.read_file(path, layer=layer) if layer else geopandas.read_file(path)
    code = code or guess_code(frame, path)
    if code not in frame.columns:
        sys.exit(f"geopandas_overlay: {path} has no column {code}")
    frame = frame[[code, frame.geometry.name]].rename(columns={code: out_name})
    return frame.set_geometry(frame.geometry.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    t0 = time.perf_counter()
    a = read(args.a, "a_code")
    b = read(args.b, "b_code")
    if a.crs != b.crs:
        sys.exit(f"geopandas_overlay: CRS differ ({a.crs} vs {b.crs})")
    t1 = time.perf_counter()

    pieces = geopandas.overlay(a, b, how="intersection")
    pieces["area_m2"] = pieces.geometry.area
    table = (
        pieces[pieces["area_m2"] > 0]
        .groupby(["a_code", "b_code"], as_index=False, sort=False)["area_m2"]
        .sum()
    )
    # Byte order of the codes, as placedef and PostgreSQL's "C" collation sort.
    table = table.sort_values(["a_code", "b_code"], kind="mergesort")
    t2 = time.perf_counter()

    table.to_csv(args.output, index=False, float_format="%.17g")
    t3 = time.perf_counter()

    print(json.dumps({"read_s": round(t1 - t0, 3), "overlay_s": round(t2 - t1, 3),
                      "write_s": round(t3 - t2, 3), "pieces": int(len(pieces)),
                      "rows": int(len(table)), "geopandas": geopandas.__version__}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
