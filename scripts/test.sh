#!/usr/bin/env bash
# The test command (README, .ci/run): dependencies, build, every test not
# tagged [.slow]; then the same suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/test_sanitizers.sh, build-asan).
# Tests on ../shared/data/uk say SKIPPED when it is absent.
#   scripts/test.sh [--no-sanitizers] [CTEST_ARGS...]
# --no-sanitizers runs the first half only (a quick local check; CI runs both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitizers=1
if [[ ${1:-} == --no-sanitizers ]]; then
  sanitizers=0
  shift
fi
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
echo "== tests (build)"
(cd "$root/build" && ctest --output-on-failure -j"$(nproc)" "$@")
if ((sanitizers)); then
  echo "== tests under ASan and UBSan (build-asan)"
  "$root/scripts/test_sanitizers.sh" "$@"
fi
