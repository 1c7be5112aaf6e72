#!/bin/sh
# scripts/install-qgis-plugin.sh as a user runs it, into a throwaway QGIS profile: QGIS's
# own qgis_process then lists the ten placedef algorithms and runs one, finding the
# module and the command line through the file the script wrote (no environment), with
# the command line's table as the result.
#   install_plugin.sh BUILD_DIR OUTDIR
set -eu
build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
samples=$root/shapefiles
if ! command -v qgis_process.bin >/dev/null 2>&1; then
  echo "SKIPPED: qgis_process (Debian qgis-providers, python3-qgis) is not installed"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/runtime"
chmod 700 "$out/runtime"
"$root/scripts/install-qgis-plugin.sh" --build "$build" --profile "$out/profiles/default"
test -f "$out/profiles/default/python/plugins/placedef_qgis/placedef_paths.json"
unset PLACEDEF_PYTHONPATH PLACEDEF_PYTHON PLACEDEF_CLI
export QGIS_CUSTOM_CONFIG_PATH="$out" XDG_RUNTIME_DIR="$out/runtime" QT_QPA_PLATFORM=offscreen
# (qgis_process, the wrapper, passes --noversioncheck, which 3.22 refuses: call the binary)
count=$(qgis_process.bin list 2>/dev/null | grep -c "placedef:")
[ "$count" -eq 10 ] || { echo "error: qgis_process lists $count placedef algorithms, not 10"; exit 1; }
qgis_process.bin run placedef:align -- "A=$samples/ward_2025.gpkg" A_CODE=WD25CD "B=$samples/ced_2025.gpkg" \
  "OUTPUT_TABLE=$out/plugin_align.csv" 2>/dev/null | grep -q "co-terminosity index 0.937"
"$build/engine/placedef" -q align "$samples/ward_2025.gpkg@WD25CD" "$samples/ced_2025.gpkg" -o "$out/cli_align.csv"
cmp "$out/plugin_align.csv" "$out/cli_align.csv"
echo "qgis_process: 10 placedef algorithms; align's table is the command line's"
