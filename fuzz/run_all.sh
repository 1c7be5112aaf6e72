#!/usr/bin/env bash
# Runs each libFuzzer harness for a bounded time, one after another (one
# process each: the machine's cores are shared), starting from its seed
# corpus in fuzz/corpus/<name>. New inputs go to <fuzz build dir>/work/<name>,
# crashes, leaks and timeouts to <fuzz build dir>/artifacts/<name>/.
#   fuzz/run_all.sh BUILD_FUZZ_DIR [SECONDS=600] [NAME...]   (names: csv address geometry capi_wkb ...)
# BUILD_FUZZ_DIR is the fuzz/ folder of the build (build-fuzz/fuzz) or the
# build itself. Prints one line per harness (seconds, executions, result) and
# exits 1 when any harness found a problem.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run_all.sh BUILD_FUZZ_DIR [SECONDS] [NAME...]}
[[ -d $build/fuzz ]] && build=$build/fuzz
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
names=("$@")
if ((${#names[@]} == 0)); then
  for harness in "$build"/fuzz_*; do [[ -x $harness ]] && names+=("${harness##*/fuzz_}"); done
fi

# Leaks inside system libraries, each justified in the file (as in the sanitizer tests).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/../tests/sanitizers/lsan.supp:print_suppressions=0}
failed=0
summary=()
for name in "${names[@]}"; do
  harness=$build/fuzz_$name
  [[ -x $harness ]] || { echo "no harness $harness" >&2; failed=1; continue; }
  mkdir -p "$build/work/$name" "$build/artifacts/$name"
  log=$build/work/$name.log
  echo "fuzz_$name: ${seconds} s, log $log"
  start=$(date +%s)
  "$harness" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$name/" "$build/work/$name" "$here/corpus/$name" > "$log" 2>&1
  status=$?
  took=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if ((status == 0)); then result=ok; else result="FOUND A PROBLEM (exit $status; see the log)"; failed=1; fi
  summary+=("$(printf '%-14s %6s s %12s runs  %s' "fuzz_$name" "$took" "${runs:-?}" "$result")")
done
printf '%s\n' "${summary[@]}"
exit $failed
