#!/usr/bin/env bash
# Configures and builds placedef (Release) into build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release > "$root/build.log" 2>&1 \
  || { cat "$root/build.log"; exit 1; }
cmake --build "$root/build" -j"$(nproc)" >> "$root/build.log" 2>&1 \
  || { tail -50 "$root/build.log"; exit 1; }
echo "built: $root/build/engine/placedef"
