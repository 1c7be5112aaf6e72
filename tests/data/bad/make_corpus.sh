#!/bin/sh
# Makes the bad-input corpus of tests/data/bad (issue 9): small broken files,
# each listed with its expected result in EXPECTED.tsv and run by
# tests/integration/test_bad_corpus.cpp (command line) and
# tests/capi/test_bad_corpus.c (C API). The output is the same on every run,
# so the files are committed with this script:
#
#   tests/data/bad/make_corpus.sh            # rewrites the files below, nothing else
#
# Needs Debian's python3 with GDAL's bindings (python3-gdal). The hand-written
# files of this folder (population_*.csv, *_geometry.geojson, ...) are not
# made here. Large inputs (the polygon of 1,000,000 vertices) are made by the
# tests in a temporary folder, to keep the repository small.
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}

# ---- CSV population tables for squares.geojson@SQCD (SQ1, SQ2, SQ3) --------
printf '\357\273\277code,name,population\nSQ1,square 1,120\nSQ2,square 2,80\nSQ3,square 3,40\n' >population_bom.csv
printf 'code,name,population\r\nSQ1,square 1,120\r\nSQ2,square 2,80\r\nSQ3,square 3,40\r\n' >population_crlf.csv
printf '"code","name, in full","population"\n"SQ1","Guildford, north",120\n"SQ2","Godalming, ""old"" town",80\n"SQ3","Farnham,\nsouth",40\n' \
    >population_quoted.csv
: >population_empty.csv
# Values that are not a population: negative, too large for one unit (sums
# near 1e308 overflow), and a total above the limit of 1e15.
printf 'code,population\nSQ1,120\nSQ2,-100\nSQ3,40\n' >population_negative.csv
printf 'code,population\nSQ1,1e308\nSQ2,1e308\nSQ3,40\n' >population_huge.csv
printf 'code,population\nSQ1,6e14\nSQ2,6e14\nSQ3,40\n' >population_total.csv
# Two town centres of one name (seeded footprints would share it).
printf 'name,x,y\nGuildford,499500,149500\nGodalming,497000,143800\nGuildford,500500,150500\n' >towns_duplicate.csv
# A town at latitude 95: PROJ's reasons go into the message, never raw to the terminal.
printf 'name,lon,lat\nFar,-0.5,95\nNear,-0.58,51.23\n' >towns_latitude_95.csv

# ---- files that are not what their name says ----------------------------------
# A small but complete PNG (8x8 grey image), saved as a GeoPackage and as a CSV.
"$PYTHON" - <<'EOF'
import struct, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

pixels = b"".join(b"\x00" + bytes(range(i * 8, i * 8 + 8)) for i in range(8))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b""))
for name in ("wrong_magic.gpkg", "population_binary.csv"):
    with open(name, "wb") as out:
        out.write(png)
EOF

# ---- layers ---------------------------------------------------------------------
rm -f truncated.gpkg no_crs.gpkg nan_coordinates.gpkg corrupt_blob.gpkg curves.gpkg
rm -f cut.shp cut.shx cut.dbf cut.prj no_dbf.shp no_dbf.shx no_dbf.prj no_prj.shp no_prj.shx no_prj.dbf
rm -f zero_features.shp zero_features.shx zero_features.dbf zero_features.prj
rm -f latin1_cpg.shp latin1_cpg.shx latin1_cpg.dbf latin1_cpg.prj latin1_cpg.cpg
rm -f latin1_no_cpg.shp latin1_no_cpg.shx latin1_no_cpg.dbf latin1_no_cpg.prj
# Fixed dates in the GeoPackage and dBase headers make the files reproducible.
OGR_CURRENT_DATE=2025-01-01T00:00:00Z "$PYTHON" - <<'EOF'
import json, math, os, struct
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
BNG = osr.SpatialReference()
BNG.ImportFromEPSG(27700)
X0, Y0 = 500000.0, 150000.0  # near Guildford, inside shapefiles/lad_2021.gpkg


def square_ring(i, side=100.0, x0=X0, y0=Y0):
    x = x0 + side * i
    return [(x, y0), (x + side, y0), (x + side, y0 + side), (x, y0 + side), (x, y0)]


def polygon_wkt(ring):
    return "POLYGON ((" + ", ".join("%r %r" % point for point in ring) + "))"


def polygon_wkb(ring):
    """Little-endian WKB, written by hand so that NaN and inf get through."""
    points = b"".join(struct.pack("<dd", x, y) for x, y in ring)
    return struct.pack("<BIII", 1, 3, 1, len(ring)) + points


def write_layer(path, driver, name, rows, srs=BNG, geometry_type=ogr.wkbPolygon, options=()):
    """rows: (code, name, geometry as WKT text or WKB bytes or None)."""
    source = ogr.GetDriverByName(driver).CreateDataSource(path)
    layer = source.CreateLayer(name, srs, geometry_type, list(options))
    layer.CreateField(ogr.FieldDefn("SQCD", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("NAME", ogr.OFTString))
    for code, label, geometry in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        if code is not None:
            feature.SetField("SQCD", code)
        feature.SetField("NAME", label)
        if isinstance(geometry, bytes):
            feature.SetGeometry(ogr.CreateGeometryFromWkb(geometry))
        elif geometry is not None:
            feature.SetGeometry(ogr.CreateGeometryFromWkt(geometry))
        layer.CreateFeature(feature)
    source = None


def squares(count, prefix="SQ"):
    return [("%s%d" % (prefix, i + 1), "square %d" % (i + 1), polygon_wkt(square_ring(i))) for i in range(count)]


def geojson(path, name, features, crs="EPSG:27700"):
    """GeoJSON written as text: a pre-RFC 7946 'crs' member carries EPSG:27700."""
    collection = {"type": "FeatureCollection", "name": name,
                  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:" + crs.replace(":", "::")}},
                  "features": []}
    for fid, (properties, geometry) in enumerate(features, start=1):
        collection["features"].append({"type": "Feature", "id": fid, "properties": properties, "geometry": geometry})
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(collection, ensure_ascii=False, indent=None) + "\n")


def polygon(ring):
    return {"type": "Polygon", "coordinates": [[list(point) for point in ring]]}


SHAPEFILE_DATE = ["DBF_DATE_LAST_UPDATE=2025-01-01"]

# The reference layer: three 100 m squares SQ1..SQ3, the key of the CSVs.
geojson("squares.geojson", "squares",
        [({"SQCD": "SQ%d" % (i + 1), "NAME": "square %d" % (i + 1)}, polygon(square_ring(i))) for i in range(3)])

# Truncated GeoPackage: 300 squares, cut to half.
write_layer("truncated.gpkg", "GPKG", "squares", squares(300))
os.truncate("truncated.gpkg", os.path.getsize("truncated.gpkg") // 2)

# Truncated shapefile: the .shp cut inside its third record (header 100 bytes,
# each square record 8 + 128 bytes); and one whose .dbf is missing.
write_layer("cut.shp", "ESRI Shapefile", "cut", squares(3), options=SHAPEFILE_DATE)
os.truncate("cut.shp", 100 + 2 * 136 + 60)
write_layer("no_dbf.shp", "ESRI Shapefile", "no_dbf", squares(3), options=SHAPEFILE_DATE)
os.remove("no_dbf.dbf")

# No CRS: a shapefile without .prj, and a GeoPackage pointing at srs_id 0
# ("Undefined geographic SRS"). GeoJSON without 'crs' is EPSG:4326 by RFC 7946.
write_layer("no_prj.shp", "ESRI Shapefile", "no_prj", squares(3), options=SHAPEFILE_DATE)
os.remove("no_prj.prj")
write_layer("no_crs.gpkg", "GPKG", "no_crs", squares(3), srs=None)

# NaN and infinite coordinates (only binary formats can hold them).
nan_ring = square_ring(1)
nan_ring[2] = (float("nan"), nan_ring[2][1])
inf_ring = square_ring(2)
inf_ring[1] = (inf_ring[1][0], float("inf"))
write_layer("nan_coordinates.gpkg", "GPKG", "nan_coordinates",
            [("SQ1", "finite", polygon_wkt(square_ring(0))), ("SQ2", "NaN x", polygon_wkb(nan_ring)),
             ("SQ3", "infinite y", polygon_wkb(inf_ring))])

# Coordinates of 1e300: in the study CRS, and in EPSG:4326 (cannot be reprojected).
huge = [(-1e300, -1e300), (1e300, -1e300), (1e300, 1e300), (-1e300, 1e300), (-1e300, -1e300)]
geojson("huge_coordinates.geojson", "huge_coordinates",
        [({"SQCD": "SQ1"}, polygon(square_ring(0))), ({"SQCD": "SQ2"}, polygon(huge)),
         ({"SQCD": "SQ3"}, polygon(square_ring(2)))])
# A vertex 1e-200 m from the origin: its products with other coordinates
# underflow, so the exact predicates refuse it as out of range.
tiny = square_ring(1)
tiny[2] = (1e-200, Y0 + 100.0)
geojson("tiny_coordinates.geojson", "tiny_coordinates",
        [({"SQCD": "SQ1"}, polygon(square_ring(0))), ({"SQCD": "SQ2"}, polygon(tiny))])
lonlat = [(-0.57, 51.23), (-0.569, 51.23), (-0.569, 51.231), (-0.57, 51.231), (-0.57, 51.23)]
geojson("huge_coordinates_4326.geojson", "huge_coordinates_4326",
        [({"SQCD": "SQ1"}, polygon(lonlat)), ({"SQCD": "SQ2"}, polygon(huge))], crs="EPSG:4326")

# Polygons, points and lines in one layer.
geojson("mixed_types.geojson", "mixed_types", [
    ({"SQCD": "SQ1"}, polygon(square_ring(0))),
    ({"SQCD": "SQ2"}, {"type": "Point", "coordinates": [X0 + 150.0, Y0 + 50.0]}),
    ({"SQCD": "SQ3"}, {"type": "LineString", "coordinates": [[X0, Y0], [X0 + 300.0, Y0 + 100.0]]}),
    ({"SQCD": "SQ4"}, {"type": "MultiPolygon", "coordinates": [[[list(p) for p in square_ring(3)]]]}),
    ({"SQCD": "SQ5"}, {"type": "MultiLineString", "coordinates": [[[X0, Y0], [X0 + 1.0, Y0 + 1.0]]]}),
])

# Codes: repeated, empty or null, padded with spaces.
geojson("duplicate_codes.geojson", "duplicate_codes",
        [({"SQCD": "SQ1"}, polygon(square_ring(0))), ({"SQCD": "SQ2"}, polygon(square_ring(1))),
         ({"SQCD": "SQ1"}, polygon(square_ring(2))), ({"SQCD": "SQ1"}, polygon(square_ring(3)))])
geojson("empty_codes.geojson", "empty_codes",
        [({"SQCD": "SQ1"}, polygon(square_ring(0))), ({"SQCD": ""}, polygon(square_ring(1))),
         ({"SQCD": None}, polygon(square_ring(2)))])
geojson("padded_codes.geojson", "padded_codes",
        [({"SQCD": "SQ1 "}, polygon(square_ring(0))), ({"SQCD": "SQ2   "}, polygon(square_ring(1))),
         ({"SQCD": " SQ3"}, polygon(square_ring(2)))])

# Parts of one unit touching (issue 16): a triangle part's corner on a band
# part's side, at the point where SQ1 and SQ2 meet; the squares' sides run
# through that point. Rows: SQ1 and SQ2 2200 m2 each, SQ3 2000 m2.
band = [(X0, Y0 + 20.0), (X0 + 300.0, Y0 + 20.0), (X0 + 300.0, Y0 + 40.0), (X0, Y0 + 40.0), (X0, Y0 + 20.0)]
corner = [(X0 + 100.0, Y0 + 40.0), (X0 + 120.0, Y0 + 60.0), (X0 + 80.0, Y0 + 60.0), (X0 + 100.0, Y0 + 40.0)]
geojson("touching_parts.geojson", "touching_parts",
        [({"TPCD": "TP1"}, {"type": "MultiPolygon", "coordinates": [[[list(p) for p in band]], [[list(p) for p in corner]]]})])

# Degenerate rings (issue 16): a 100 m square with a hole of one repeated
# point, and a MultiPolygon with a flat second part; only those rings go.
square = [list(p) for p in square_ring(0)]
geojson("degenerate_rings.geojson", "degenerate_rings", [
    ({"SQCD": "SQ1"}, {"type": "Polygon", "coordinates": [square, [[X0 + 50.0, Y0 + 50.0]] * 4]}),
    ({"SQCD": "SQ2"}, {"type": "MultiPolygon", "coordinates": [
        [[list(p) for p in square_ring(1)]],
        [[[X0 + 300.0, Y0], [X0 + 350.0, Y0 + 50.0], [X0 + 400.0, Y0 + 100.0], [X0 + 300.0, Y0]]]]}),
])

# A corrupt geometry blob (issue 16): feature 2's WKB is cut short, inside
# a valid SQLite file; only that feature goes.
write_layer("corrupt_blob.gpkg", "GPKG", "corrupt_blob", squares(4))
source = ogr.Open("corrupt_blob.gpkg", update=1)
cut = b"GP\x00\x01" + struct.pack("<i", 27700) + polygon_wkb(square_ring(1))[:40]  # no envelope
source.ExecuteSQL("UPDATE corrupt_blob SET geom = X'%s' WHERE fid = 2" % cut.hex())
source = None

# Curves (issue 16): a circle of radius 50 m and a MultiSurface of a square
# with a half-disc on one side; both are linearised, and said to be.
write_layer("curves.gpkg", "GPKG", "curves", [
    ("SQ1", "circle", "CURVEPOLYGON (CIRCULARSTRING (%r %r, %r %r, %r %r))" % (X0, Y0, X0 + 100.0, Y0, X0, Y0)),
    ("SQ2", "arched square", "MULTISURFACE (CURVEPOLYGON (COMPOUNDCURVE ((%r %r, %r %r, %r %r), "
     "CIRCULARSTRING (%r %r, %r %r, %r %r), (%r %r, %r %r))))" % (
         X0 + 200.0, Y0, X0 + 300.0, Y0, X0 + 300.0, Y0 + 100.0,
         X0 + 300.0, Y0 + 100.0, X0 + 250.0, Y0 + 150.0, X0 + 200.0, Y0 + 100.0,
         X0 + 200.0, Y0 + 100.0, X0 + 200.0, Y0))], geometry_type=ogr.wkbUnknown)

# CRS (issue 16): a 'crs' member naming a code PROJ does not know; lon/lat
# numbers declared as EPSG:27700; a whole-world EPSG:4326 polygon beside one
# near Guildford; a Fiji polygon (Fiji Map Grid numbers) declared as
# EPSG:27700; and squares near Birmingham, which meet nothing near Guildford.
geojson("crs_unknown.geojson", "crs_unknown", [({"SQCD": "SQ1"}, polygon(square_ring(0)))], crs="EPSG:99999")
geojson("lonlat_as_27700.geojson", "lonlat_as_27700", [({"SQCD": "SQ1"}, polygon(lonlat))])
world = [(-180.0, -90.0), (180.0, -90.0), (180.0, 90.0), (-180.0, 90.0), (-180.0, -90.0)]
geojson("world_4326.geojson", "world_4326",
        [({"SQCD": "SQ1"}, polygon(lonlat)), ({"SQCD": "SQ2"}, polygon(world))], crs="EPSG:4326")
fiji = [(1870000.0, 3860000.0), (1880000.0, 3860000.0), (1880000.0, 3870000.0), (1870000.0, 3870000.0),
        (1870000.0, 3860000.0)]
geojson("fiji_as_27700.geojson", "fiji_as_27700",
        [({"SQCD": "SQ1"}, polygon(square_ring(0))), ({"SQCD": "SQ2"}, polygon(fiji))])
geojson("apart.geojson", "apart",
        [({"SQCD": "AP%d" % (i + 1)}, polygon(square_ring(i, x0=400000.0, y0=290000.0))) for i in range(2)])

# A layer of 0 features (its fields and geometry type declared).
write_layer("zero_features.shp", "ESRI Shapefile", "zero_features", [], options=SHAPEFILE_DATE)

# Names outside ASCII: UTF-8 in GeoJSON; Latin-1 in a shapefile with a .cpg
# saying so, and the same bytes without .cpg (its dBase header names no code
# page either, so GDAL's default, ISO-8859-1, applies).
names = [("Égham-1", "Chertsey Ætheling"), ("Guildford–Nord", "Godalming Brücke"), ("Ash_½", "Farnham Öl")]
utf8 = [(code, label) for code, label in names]
utf8[1] = ("Γ-Ω", "Ŵrecclesham ☃")  # beyond Latin-1
geojson("utf8_names.geojson", "utf8_names",
        [({"SQCD": code, "NAME": label}, polygon(square_ring(i))) for i, (code, label) in enumerate(utf8)])
latin1 = [(code.replace("–", "-"), label, polygon_wkt(square_ring(i))) for i, (code, label) in enumerate(names)]
for name in ("latin1_cpg", "latin1_no_cpg"):
    write_layer(name + ".shp", "ESRI Shapefile", name, latin1, options=SHAPEFILE_DATE + ["ENCODING=ISO-8859-1"])
os.remove("latin1_no_cpg.cpg")
with open("latin1_cpg.cpg", "w") as cpg:
    cpg.write("LATIN1\n")
with open("latin1_no_cpg.dbf", "r+b") as dbf:  # byte 29: language driver id, 0 = none
    dbf.seek(29)
    dbf.write(b"\0")

# Population units that overlap (issue 16): SQ3 lies half on SQ2, so 50 m x 100 m
# of people would be counted twice. Keyed like squares.geojson.
shifted = [(x + 50.0, y) for x, y in square_ring(1)]
geojson("overlapping_units.geojson", "overlapping_units",
        [({"SQCD": "SQ1", "NAME": "square 1"}, polygon(square_ring(0))),
         ({"SQCD": "SQ2", "NAME": "square 2"}, polygon(square_ring(1))),
         ({"SQCD": "SQ3", "NAME": "square 3"}, polygon(shifted))])
# GP practices with one code given twice (issue 16).
geojson("practices_duplicate.geojson", "practices_duplicate",
        [({"PRACTICE_CODE": code, "PCN_CODE": pcn}, {"type": "Point", "coordinates": [X0 + dx, Y0]})
         for code, pcn, dx in (("P1", "N1", 0.0), ("P2", "N2", 3000.0), ("P1", "N2", 6000.0))])
# Two practices in SQ1 and SQ2, for the registered-patients tables below (issue 16).
geojson("practices.geojson", "practices",
        [({"PRACTICE_CODE": code, "PCN_CODE": pcn, "PCN_NAME": name},
          {"type": "Point", "coordinates": [X0 + dx, Y0 + 50.0]})
         for code, pcn, name, dx in (("P1", "N1", "North PCN", 50.0), ("P2", "N2", "South PCN", 150.0))])
# A unit whose code is empty beside one whose code is the text a generated code
# would take ("<layer>#<fid>"): the two must stay two units (issue 16).
geojson("code_collision.geojson", "code_collision",
        [({"SQCD": ""}, polygon(square_ring(0))), ({"SQCD": "code_collision#1"}, polygon(square_ring(1))),
         ({"SQCD": "SQ3"}, polygon(square_ring(2)))])
# SQ1 of squares.geojson cut into two equal halves: an exact best-fit tie (issue 16).
halves = [[(X0 + dx, Y0), (X0 + dx + 50.0, Y0), (X0 + dx + 50.0, Y0 + 100.0), (X0 + dx, Y0 + 100.0), (X0 + dx, Y0)]
          for dx in (0.0, 50.0)]
geojson("halves.geojson", "halves", [({"HCD": "H%d" % (i + 1)}, polygon(ring)) for i, ring in enumerate(halves)])
EOF

# ---- tables and layers that are not what they seem (issue 16) ------------------
printf 'code;name;population\nSQ1;square 1;120\nSQ2;square 2;80\nSQ3;square 3;40\n' >population_semicolon.csv
printf 'code\tname\tpopulation\nSQ1\tsquare 1\t120\nSQ2\tsquare 2\t80\nSQ3\tsquare 3\t40\n' >population_tab.csv
# Registered patients with a negative count, and with one (practice, LSOA) row given twice.
printf 'PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP1,SQ1,100\nP2,SQ2,-5\nP2,SQ3,40\n' >registered_negative.csv
printf 'PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP1,SQ1,100\nP2,SQ2,80\nP1,SQ3,30\nP2,SQ3,40\nP1,SQ3,30\n' >registered_duplicate.csv
: >empty_layer.gpkg

# ---- UTF-8 population table for utf8_names.geojson -------------------------------
printf 'code,population\n\303\211gham-1,10\n\316\223-\316\251,20\nAsh_\302\275,30\n' >population_utf8.csv
