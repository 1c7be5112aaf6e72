#!/usr/bin/env bash
# The sanitizer run (issue 9): configures build-asan with AddressSanitizer and
# UndefinedBehaviorSanitizer on every target (PDEF_SANITIZE, RelWithDebInfo),
# builds it and runs every test not tagged [.slow] under them; the valgrind
# tests are left out (ASan checks the same things). Any report fails its test:
# UBSan stops at the first error, ASan at the first memory error or leak.
# Extra arguments go to ctest. Takes about an hour on two cores, mostly the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-asan
mkdir -p "$build"
log=$build/build.log
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPDEF_SANITIZE=ON > "$log" 2>&1 \
  || { cat "$log"; exit 1; }
cmake --build "$build" -j"$(nproc)" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
echo "built: $build (log $log)"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# Leaks of system libraries' process-long caches (each justified in the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
