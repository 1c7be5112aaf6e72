#!/usr/bin/env bash
# The main job on the sample (Guildford and Waverley): describe the layers,
# then overlay LSOAs with wards and wards with county divisions, with
# population apportioned from mid-2020 LSOA estimates.
#   usage: examples/sample_overlay.sh [placedef binary] [output folder]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
placedef=${1:-$root/build/engine/placedef}
out=${2:-$root/out}
s=$root/shapefiles
mkdir -p "$out"

"$placedef" info "$s/lsoa_2021.gpkg" "$s/ward_2025.gpkg@WD25CD" "$s/ced_2025.gpkg"
"$placedef" overlay "$s/lsoa_2021.gpkg" "$s/ward_2025.gpkg@WD25CD" -o "$out/lsoa21_x_ward25.csv"
"$placedef" overlay "$s/ward_2025.gpkg@WD25CD" "$s/ced_2025.gpkg" \
  --pop "$s/lsoa_2011.gpkg" --pop-table "$s/population_mid2020_lsoa11.csv" --pop-column total_population \
  -o "$out/ward25_x_ced25.csv" -o "$out/ward25_x_ced25.gpkg"
echo
echo "wards split between county divisions (share of the ward's population under 99.5 %):"
awk -F, 'NR > 1 && $7 < 0.995 && $7 > 0.005 { printf "  %s in %s: %.1f %% of area, %.1f %% of people\n", $1, $2, 100 * $4, 100 * $7 }' \
  "$out/ward25_x_ced25.csv" | head -15
echo
echo "results in $out/: lsoa21_x_ward25.csv, ward25_x_ced25.csv, ward25_x_ced25.gpkg (open in QGIS)"
