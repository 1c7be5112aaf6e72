#!/usr/bin/python3
"""Writes the seed corpora in fuzz/corpus/<harness>/ (kept in the tree; run
again only to change them). Geometry seeds are records: a 2-byte
little-endian length, then WKB (fuzz_input.hpp); capi_wkb seeds start with
one options byte. Real shapes are sample LSOAs from shapefiles/, simplified
to a few dozen vertices so that each run stays fast.
Usage: /usr/bin/python3 fuzz/make_corpus.py"""
import pathlib
import struct

from osgeo import ogr
from shapely import wkb, wkt
from shapely.geometry import Point

here = pathlib.Path(__file__).resolve().parent
root = here.parent


def records(*blobs):
    return b"".join(struct.pack("<H", len(blob)) + blob for blob in blobs)


def poly(text, big_endian=False):
    return wkb.dumps(wkt.loads(text), big_endian=big_endian)


def sample_lsoas(count, tolerance):
    source = ogr.Open(str(root / "shapefiles" / "lsoa_2011.gpkg"))
    layer = source.GetLayer(0)
    shapes = []
    for feature in layer:
        geometry = feature.GetGeometryRef().SimplifyPreserveTopology(tolerance)
        shapes.append(bytes(geometry.ExportToWkb(ogr.wkbNDR)))
        if len(shapes) == count:
            break
    return shapes


def write(harness, name, data):
    folder = here / "corpus" / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


square = poly("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")
shapes = {
    "overlap": [square, poly("POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))")],
    "hole": [poly("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 8, 8 8, 8 2, 2 2))"),
             poly("POLYGON ((1 1, 9 1, 5 9, 1 1))")],
    "bowtie": [poly("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"), square],
    "multipolygon": [poly("MULTIPOLYGON (((0 0, 4 0, 4 4, 0 4, 0 0)), ((6 6, 9 6, 9 9, 6 9, 6 6)))"), square],
    "identical": [square, square],
    "shared_edge": [square, poly("POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))")],
    "hole_touching_shell": [poly("POLYGON ((0 0, 10 0, 10 5, 10 10, 0 10, 0 0), (10 5, 6 3, 6 7, 10 5))"),
                            poly("POLYGON ((10 5, 4 8, 4 2, 10 5))")],
    "big_endian": [poly("POLYGON ((500000 100000, 510000 100000, 510000 110000, 500000 100000))", True), square],
    "z_values": [poly("POLYGON Z ((0 0 1, 10 0 2, 10 10 3, 0 0 1))"), square],
    "nan": [poly("POLYGON ((0 0, 10 0, 10 NaN, 0 10, 0 0))"), square],
    "lsoas": sample_lsoas(4, 20.0),
}
for name, blobs in shapes.items():
    write("geometry", name, records(*blobs))
    write("capi_wkb", name, bytes([0]) + records(*blobs))
write("capi_wkb", "skip_policy", bytes([2]) + records(*shapes["bowtie"]))
write("capi_wkb", "fail_policy", bytes([4]) + records(*shapes["bowtie"]))
write("capi_wkb", "duplicate_codes", bytes([8]) + records(*shapes["shared_edge"]))
write("capi_wkb", "null_geometry", bytes([0]) + records(square, b""))
write("capi_wkb", "points", bytes([1]) + records(wkb.dumps(Point(500000, 100000)), b"", wkb.dumps(Point(1, 2))))

csv = {
    "population": (root / "shapefiles" / "population_mid2020_lsoa11.csv").read_bytes().splitlines(True)[:4],
    "imd": (root / "shapefiles" / "imd_2019_lsoa11.csv").read_bytes().splitlines(True)[:4],
}
for name, lines in csv.items():
    write("csv", name, b"".join(lines))
write("csv", "places_lonlat", b"name,lon,lat\nGuildford,-0.5704,51.2362\nWoking,-0.5585,51.3168\n")
write("csv", "places_xy", b"town,easting,northing\nEpsom,521000,160500\n\"Walton, on Thames\",510000,166000\n")
write("csv", "registered", b"PRACTICE_CODE,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"
      b"H81001,E01030421,ALL,120\nH81001,E01030421,MALE,60\nH81002,E01030422,ALL,n/a\n")
write("csv", "quoted_bom_crlf", b"\xef\xbb\xbfcode,\"name, with comma\",value\r\nA1,\"line\r\nbreak\",1.5\r\nA2,\"say \"\"hi\"\"\",+2e3\r\n")

addresses = {
    "plain": "shapefiles/ward_2025.gpkg",
    "layer_and_code": "shapefiles/lsoa_2011.gpkg:lsoa_2011@LSOA11CD",
    "existing_path_layer": "/etc/hostname:layer@code",
    "colon_in_name": "/tmp/a:b:c.gpkg",
    "pg_keywords": "PG:dbname=gis host=localhost:ward_2025@WD25CD",
    "pg_uri": "PG:postgresql://user:secret@host/gis:ced_2025",
    "only_code": "@code",
    "empty_code": "a.gpkg@",
    "leading_colon": ":layer",
}
for name, text in addresses.items():
    write("address", name, text.encode())

for name, example in {"surrey": "study.toml", "surrey_full": "study_full.toml"}.items():
    write("study_config", name, (root / "examples" / "surrey" / example).read_bytes())
write("study_config", "minimal", b'[study]\ntitle = "t"\n\n[layers.lsoa]\npath = "../../shapefiles/lsoa_2011.gpkg"\n'
      b'code = "LSOA11CD"\nrole = "blocks"\n')

# fuzz_gpkg: an options byte (bits 0-1 how a record damages its feature's
# blob, bit 2 --invalid skip), then the records of features 1 to 4.
guildford = poly("POLYGON ((500000 150000, 500100 150000, 500100 150100, 500000 150100, 500000 150000))")
gpkg = {
    "intact": bytes([0]),
    "cut_wkb": bytes([2]) + records(b"", guildford[:20]),
    "bad_type": bytes([2]) + records(b"", b"\x01\x7f\x7f\x7f\x7f" + guildford[5:]),
    "header_flags": bytes([1]) + records(b"", bytes([3, 0xFF])),
    "null_geometry": bytes([3]) + records(guildford, b""),
    "random_blob": bytes([0]) + records(b"GP\x00\x01\x34\x6c\x00\x00garbage", b"not a blob at all"),
    "curve": bytes([2]) + records(bytes(ogr.CreateGeometryFromWkt(
        "CURVEPOLYGON (CIRCULARSTRING (500000 150000, 500100 150000, 500000 150000))").ExportToIsoWkb(ogr.wkbNDR))),
    "degenerate_hole": bytes([2]) + records(poly(
        "POLYGON ((500000 150000, 500100 150000, 500100 150100, 500000 150100, 500000 150000), "
        "(500050 150050, 500050 150050, 500050 150050, 500050 150050))")),
    "nan": bytes([2]) + records(b"", b"", poly("POLYGON ((500200 150000, 500300 150000, 500300 NaN, 500200 150000))")),
    "skip_policy": bytes([4 | 2]) + records(b"", guildford[:30], b"", poly("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")),
}
for name, data in gpkg.items():
    write("gpkg", name, data)
