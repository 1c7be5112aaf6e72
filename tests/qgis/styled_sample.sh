#!/bin/sh
# The GeoPackages placedef writes from the sample (Guildford + Waverley) open
# in QGIS with their stored styles: a map's layers (categorical wards with
# division outlines, and an IMD choropleth), town footprints (and an
# ensemble's boundary frequency) and PCN footprints with their practices,
# and two proposals compared.
#   styled_sample.sh PLACEDEF OUTDIR
set -eu
placedef=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
samples=$here/../../shapefiles
mkdir -p "$out"
"$placedef" -q map "$samples/ward_2025.gpkg@WD25CD" "$samples/ced_2025.gpkg@CED25CD" --labels WD25NM \
    -o "$out/wards.gpkg" -o "$out/wards.png"
"$placedef" -q map "$samples/lsoa_2011.gpkg@LSOA11CD" --column IMD_decile \
    --table "$samples/imd_2019_lsoa11.csv:lsoa11_code" -o "$out/imd.gpkg"
"$placedef" -q footprints "$samples/lsoa_2011.gpkg@LSOA11CD" --pop-table "$samples/population_mid2020_lsoa11.csv" \
    --pop-column total_population --attr density --method skater --k 6 -o "$out/footprints.gpkg"
"$placedef" -q footprints "$samples/lsoa_2011.gpkg@LSOA11CD" --pop-table "$samples/population_mid2020_lsoa11.csv" \
    --pop-column total_population --attr density --method azp --k 6 --ensemble 4 -o "$out/ensemble.gpkg"
"$placedef" -q pcn "$samples/gp_practices.gpkg@PRACTICE_CODE" --clip "$samples/lad_2021.gpkg@LAD21CD" \
    --method voronoi -o "$out/pcn.gpkg"
# Two proposals compared: a layer per proposal and the differences between them.
"$placedef" -q compare "districts=$samples/lad_2021.gpkg@LAD21CD" "footprints=$out/footprints.gpkg:footprints@footprint" \
    --blocks "$samples/lsoa_2011.gpkg@LSOA11CD" --pop-table "$samples/population_mid2020_lsoa11.csv" \
    --pop-column total_population --partner "$samples/ced_2025.gpkg@CED25CD" -o "$out/compare.gpkg"
# Codes and names with control characters, quotes and markup: each category must still match its unit.
"$placedef" -q map "$here/../data/bad/control_chars.geojson@SQCD" --labels NAME -o "$out/control_chars.gpkg"
/usr/bin/python3 "$here/styled_layers.py" "$out/rendered" \
    "$out/control_chars.gpkg:control_chars:categorizedSymbol:5:1" \
    "$out/wards.gpkg:ward_2025:categorizedSymbol:45:1" "$out/wards.gpkg:ced_2025:singleSymbol:1:0" \
    "$out/imd.gpkg:lsoa_2011:graduatedSymbol:-:0" \
    "$out/footprints.gpkg:footprints:categorizedSymbol:6:1" \
    "$out/ensemble.gpkg:boundary_frequency:graduatedSymbol:4:0" \
    "$out/pcn.gpkg:pcn_footprints:categorizedSymbol:6:1" "$out/pcn.gpkg:practices:categorizedSymbol:7:0" \
    "$out/compare.gpkg:proposal_districts:categorizedSymbol:2:1" \
    "$out/compare.gpkg:proposal_footprints:categorizedSymbol:6:1" "$out/compare.gpkg:differences:categorizedSymbol:-:1"
