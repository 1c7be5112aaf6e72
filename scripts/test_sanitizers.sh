#!/usr/bin/env bash
# The sanitizer run (issue 9): configures build-asan with AddressSanitizer and
# UndefinedBehaviorSanitizer on every target (PDEF_SANITIZE, RelWithDebInfo),
# builds it and runs every test not tagged [.slow] under them; the valgrind
# tests are left out (ASan checks the same things). Any report fails its test:
# UBSan stops at the first error, ASan at the first memory error or leak.
# Extra arguments go to ctest. The benchmarks are not built (no test runs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-asan
mkdir -p "$build"
log=$build/build.log
# -O1 -g1: line tables are enough for the reports' stack traces, and the
# build is much faster than RelWithDebInfo's -O2 -g.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPDEF_SANITIZE=ON -DPDEF_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" > "$log" 2>&1 \
  || { cat "$log"; exit 1; }
cmake --build "$build" -j"$(nproc)" >> "$log" 2>&1 || { tail -50 "$log"; exit 1; }
echo "built: $build (log $log)"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# Tests that time a reaction (integration.interrupt: stop within 2 s of Ctrl-C) allow for
# the instrumented build's slowness (2.6 s seen with ASan on a loaded 2-core machine).
export PDEF_TIME_SCALE=${PDEF_TIME_SCALE:-3}
# Leaks of system libraries' process-long caches (each justified in the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
