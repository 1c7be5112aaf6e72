#!/usr/bin/env bash
# The test command (README, .ci/run): dependencies, build, then every test
# not tagged [.slow]. Tests on ../shared/data/uk say SKIPPED when it is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" "$@"
