#!/bin/sh
# PCN footprints of the sample (Guildford + Waverley, 25 practices in 6 PCNs)
# by each method open in QGIS as clean layers.
#   pcn_sample.sh PLACEDEF OUTDIR
set -eu
placedef=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
samples=$here/../../shapefiles
mkdir -p "$out"
# (registered writes the same layers as blocks)
"$placedef" -q pcn "$samples/gp_practices.gpkg@PRACTICE_CODE" --clip "$samples/lad_2021.gpkg" \
    --method blocks --blocks "$samples/lsoa_2021.gpkg" -o "$out/blocks.gpkg"
"$placedef" -q pcn "$samples/gp_practices.gpkg@PRACTICE_CODE" --clip "$samples/lad_2021.gpkg" \
    --method voronoi -o "$out/voronoi.gpkg"
/usr/bin/python3 "$here/open_layers.py" \
    "$out/voronoi.gpkg:pcn_footprints:6:polygon" "$out/voronoi.gpkg:practices:25:point" \
    "$out/blocks.gpkg:pcn_footprints:6:polygon" "$out/blocks.gpkg:practices:25:point" \
    "$out/blocks.gpkg:blocks:166:none"
