#!/usr/bin/env python3
"""Text from data reaching other programs (issue 16): a layer whose codes and
names hold control characters (ESC sequences, C1, DEL, CR) and formula starts
(= + - @), tests/data/bad/control_chars.geojson, through the command line.

- the terminal: standard output and error hold no control character but
  newline and tab, and show the code as a visible escape;
- XML: the SVG map and the QGIS style in the GeoPackage parse (xml.etree),
  and the style symbolises every feature (by its own category, or by the
  catch-all category for a code XML cannot hold);
- CSV: text cells starting with = + - @ carry the guarding apostrophe, numbers
  do not, and placedef reads its own CSV back to the same codes.

    check_text.py PLACEDEF SOURCE_DIR OUT_DIR
"""
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

placedef, source, out = sys.argv[1:4]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
layer = os.path.join(source, "tests/data/bad/control_chars.geojson") + "@SQCD"
lad = os.path.join(source, "shapefiles/lad_2021.gpkg") + "@LAD21CD"
codes = {"SQ\x1b[31m1", "=1+2", "@SQ3", "SQ\x7f4", "-5"}
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def run(*args):
    done = subprocess.run([placedef, *args], capture_output=True, timeout=300)
    output = done.stdout + done.stderr
    check(done.returncode == 0, f"placedef {' '.join(args)}: exit {done.returncode}: {output!r}")
    for byte in output:
        if (byte < 0x20 and byte not in (0x0A, 0x09)) or byte == 0x7F:
            check(False, f"placedef {' '.join(args)}: control byte {byte:#04x} reached the terminal: {output!r}")
            break
    check(b"\xc2\x9b" not in output, f"placedef {' '.join(args)}: a C1 control reached the terminal")
    return output.decode("utf-8")


# Terminal: the duplicate code is named, escaped.
text = run("info", layer)
check("(code SQ\\x1b[31m1)" in text, f"info does not show the code escaped: {text!r}")
run("overlay", layer, lad, "-o", os.path.join(out, "table.csv"))
run("map", layer, "--labels", "NAME", "--title", "codes \x1b[2J", "-o", os.path.join(out, "map.svg"),
    "-o", os.path.join(out, "map.gpkg"))
run("footprints", layer, "--k", "2", "--attr", "position", "-o", os.path.join(out, "footprints.csv"))

# XML: the map and the styles parse, and every feature has a symbol.
ET.parse(os.path.join(out, "map.svg"))
with sqlite3.connect(os.path.join(out, "map.gpkg")) as db:
    styles = db.execute("SELECT f_table_name, styleQML FROM layer_styles").fetchall()
    check(len(styles) == 1, f"one style expected, found {len(styles)}")
    for table, qml in styles:
        values = {c.get("value") for c in ET.fromstring(qml).iter("category")}
        stored = {row[0] for row in db.execute(f'SELECT "SQCD" FROM "{table}"')}
        check(stored == codes, f"the GeoPackage holds codes {stored!r}")
        for code in stored:
            check(code in values or "" in values, f"style of {table}: no symbol for code {code!r}")

# CSV: guarded text cells, plain numbers, and our reader gives the codes back.
with open(os.path.join(out, "table.csv"), newline="", encoding="utf-8") as f:
    cells = {row["a_code"] for row in csv.DictReader(f)}
check(cells == {"SQ\x1b[31m1", "'=1+2", "'@SQ3", "SQ\x7f4", "-5"}, f"table.csv codes: {cells!r}")
text = run("overlay", layer, lad, "--pop", layer, "--pop-table", os.path.join(out, "table.csv"),
           "--pop-key", "a_code", "--pop-column", "area_m2", "-o", os.path.join(out, "again.csv"))
check("missing_key" not in text, f"placedef does not read its own CSV back to the same codes: {text!r}")

for failure in failures:
    print("FAIL:", failure)
print("text_for_other_programs:", "ok" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
