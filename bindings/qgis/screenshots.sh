#!/usr/bin/env bash
# The screenshots in docs/qgis.md, taken in QGIS itself on a headless X server (Xvfb):
# the plugin installed into a throwaway profile, the sample's wards and divisions
# overlaid through the toolbox's Overlay, and the Town footprints dialog.
#
#   bindings/qgis/screenshots.sh [BUILD_DIR]      (writes docs/images/qgis_*.png)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/runtime"
"$root/scripts/install-qgis-plugin.sh" --build "$build" --profile "$work/profiles/default" >/dev/null
PLACEDEF_ROOT=$root PLACEDEF_SCREENSHOTS_OUT=$work XDG_RUNTIME_DIR=$work/runtime \
  timeout 180 xvfb-run -a -s "-screen 0 1400x900x24" \
  qgis --profiles-path "$work" --nologo --noversioncheck --code "$root/bindings/qgis/screenshots_in_qgis.py"
test -s "$root/docs/images/qgis_toolbox.png" && test -s "$root/docs/images/qgis_footprints_dialog.png"
