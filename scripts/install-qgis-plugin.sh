#!/usr/bin/env bash
# Installs the placedef QGIS plugin (the Processing provider in bindings/qgis/) into the
# user's QGIS profile, enables it, and tells it where the built placedef is: the Python
# module (for /usr/bin/python3) and the command line. Run after scripts/build.sh.
#
#   scripts/install-qgis-plugin.sh [--build DIR] [--profile DIR] [--link]
#
# --build DIR    the build folder holding engine/placedef and bindings/python (default: build)
# --profile DIR  the QGIS profile (default: ~/.local/share/QGIS/QGIS3/profiles/default)
# --link         link the plugin to the source tree instead of copying it (for development)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
profile=${HOME}/.local/share/QGIS/QGIS3/profiles/default
link=0
while (($#)); do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --link) link=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--profile DIR] [--link]" >&2; exit 1 ;;
  esac
done

cli=$build/engine/placedef
# The package placedef (its compiled part placedef/_placedef*.so) in the build's bindings/python.
module=$(find "$build/bindings/python/placedef" -maxdepth 1 -name '_placedef*.so' -print -quit 2>/dev/null || true)
[[ -x $cli ]] || { echo "error: $cli not found: build placedef first (scripts/build.sh)" >&2; exit 1; }
[[ -n $module ]] || { echo "error: no Python package in $build/bindings/python: build with PDEF_BUILD_PYTHON=ON" >&2; exit 1; }

plugins=$profile/python/plugins
target=$plugins/placedef_qgis
mkdir -p "$plugins"
rm -rf "$target"
if ((link)); then
  ln -s "$root/bindings/qgis/placedef_qgis" "$target"
else
  cp -r "$root/bindings/qgis/placedef_qgis" "$target"
  find "$target" -name __pycache__ -prune -exec rm -rf {} +
fi
# Where the plugin finds placedef (engine.paths() reads it; the environment overrides it).
/usr/bin/python3 - "$target/placedef_paths.json" "$(dirname "$(dirname "$module")")" "$cli" <<'EOF'
import json, sys
path, module_dir, cli = sys.argv[1:]
with open(path, "w", encoding="utf-8") as f:
    json.dump({"pythonpath": module_dir, "python": "/usr/bin/python3", "cli": cli}, f, indent=2)
    f.write("\n")
EOF
# Enabled in the profile's settings, so that it loads at QGIS's next start.
if /usr/bin/python3 -c "import PyQt5.QtCore" 2>/dev/null; then
  /usr/bin/python3 - "$profile/QGIS/QGIS3.ini" <<'EOF'
import os, sys
from PyQt5.QtCore import QSettings
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
settings = QSettings(sys.argv[1], QSettings.IniFormat)
settings.setValue("PythonPlugins/placedef_qgis", True)
settings.sync()
EOF
  enabled="enabled"
else
  enabled="enable it in Plugins > Manage and Install Plugins"
fi
echo "QGIS plugin placedef -> $target ($enabled; module $(dirname "$module"), command line $cli)"
