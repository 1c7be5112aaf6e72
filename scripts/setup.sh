#!/usr/bin/env bash
# One command for a new machine: install the dependencies, build, and run the
# main job on the sample data in shapefiles/ (results in out/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
"$root/examples/sample_overlay.sh" "$root/build/engine/placedef" "$root/out"
