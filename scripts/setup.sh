#!/usr/bin/env bash
# One command for a new machine: install the dependencies, build, install the QGIS
# plugin, and run the main job on the sample data in shapefiles/: the Surrey sample
# study (results in out/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
"$root/scripts/install-qgis-plugin.sh"   # the placedef algorithms in QGIS's Processing toolbox
"$root/examples/sample_overlay.sh" "$root/build/engine/placedef" "$root/out"
# The main job: the whole study of the sample (report, maps, CSVs, GeoPackage).
"$root/build/engine/placedef" study "$root/examples/surrey/study.toml" -o "$root/out/surrey"
echo "open $root/out/surrey/report.html in a browser, or $root/out/surrey/study.gpkg in QGIS"
