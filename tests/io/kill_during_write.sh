#!/usr/bin/env bash
# A writer killed with SIGKILL in the middle of a large output leaves the
# previous output at the target byte for byte as it was: only a stray hidden
# temporary file is left beside it. Run by ctest (io.kill_during_write).
#
# Usage: kill_during_write.sh OUTPUT_WRITER WORK_DIR
#   OUTPUT_WRITER  the pdef_output_writer test helper (tests/io/output_writer.cpp)
set -euo pipefail

writer=$1
work=$2
big=200000        # features of the output being written when killed
mark_after=20000  # the kill comes after this many

rm -rf "$work"
mkdir -p "$work"
fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# Starts writing $big features to layer $2 of $1, waits until $mark_after are
# written, kills the writer with SIGKILL and sets $status (137 when killed,
# 0 when it finished first) and $pid. $3 "pause": the writer waits at the mark.
kill_writer() {
  local mark=$work/mark
  rm -f "$mark"
  "$writer" write "$1" "$2" "$big" "$mark_after" "$mark" ${3:-} &
  pid=$!
  for ((i = 0; i < 400; i++)); do
    [[ -e $mark ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [[ -e $mark ]] || fail "the writer of $1 stopped or stalled before feature $mark_after"
  kill -KILL "$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
}

expect_unchanged() {  # target, copy of it before, what the run was
  cmp -s "$1" "$2" || fail "$3 changed $1"
  [[ "$("$writer" count "$1")" == "$(cat "$2.count")" ]] || fail "$3: $1 does not read back as before"
}

for kind in gpkg csv; do
  target=$work/out.$kind
  before=$work/before.$kind
  started=$SECONDS

  # The previous good output: a GeoPackage of two layers, one of which is rewritten.
  if [[ $kind == gpkg ]]; then
    "$writer" write "$target" keep 50
  fi
  "$writer" write "$target" squares 100
  cp "$target" "$before"
  "$writer" count "$target" > "$before.count"

  # Killed while the output is open, mid-way: deterministic.
  kill_writer "$target" squares pause
  [[ $status == 137 ]] || fail "$kind: the paused writer was not killed (exit status $status)"
  expect_unchanged "$target" "$before" "$kind: a writer killed mid-write"
  stray=$(find "$work" -maxdepth 1 -name ".out.tmp-$pid-*")
  [[ -n $stray ]] || fail "$kind: no temporary file of the killed writer; was it writing?"
  stray_size=$(du -k $stray | awk '{s += $1} END {print s}')
  rm -f $stray

  # Killed while writing flat out: the target is the old output or the new
  # one complete, never part of the new one. (A writer killed after its
  # rename, while exiting, has put the new one in place.)
  kill_writer "$target" squares
  [[ $status == 137 || $status == 0 ]] || fail "$kind: the writer failed (exit status $status)"
  if cmp -s "$target" "$before"; then
    expect_unchanged "$target" "$before" "$kind: a writer killed while writing"
    race="killed while writing, old output intact"
  else
    "$writer" count "$target" | grep -qx "squares $big\|out $big" ||
      fail "$kind: a writer killed while writing (exit status $status) left neither the old output nor the new one complete"
    race="the new output complete (exit status $status)"
  fi
  rm -f "$work"/.out.tmp-*

  # And a run left alone replaces the output (keeping the other GeoPackage layer).
  "$writer" write "$target" squares 1000
  expected="squares 1000"
  [[ $kind == gpkg ]] && expected=$'keep 50\nsquares 1000'
  [[ $kind == csv ]] && expected="out 1000"
  [[ "$("$writer" count "$target")" == "$expected" ]] || fail "$kind: a complete run did not replace the output"
  [[ -z "$(find "$work" -maxdepth 1 -name '.out.tmp-*')" ]] || fail "$kind: a complete run left a temporary file"

  echo "$kind: killed mid-write (temporary file ${stray_size} KiB), old output intact; flat out: $race; $((SECONDS - started)) s"
done
echo "kill_during_write: ok"
