#!/usr/bin/env bash
# Co-terminosity benchmark (issue targets: the seven-layer Surrey matrix in
# under 5 s; an England-scale synthetic pair, 35,000 small x 7,000 larger
# units, aligned in under 10 s). Wall time and peak RSS of whole commands
# (read, compute, write), each run three times; the median is reported.
#
# Usage: bench/scoring_bench.sh [--placedef PATH] [--data DIR] [--work DIR]
set -euo pipefail
export LC_ALL=C
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
placedef="$repo/build/engine/placedef"
data="$repo/../shared/data/uk"
work="$repo/build/bench-data"
gen="$repo/build/bench/gen_tessellation"
while (($#)); do
  case "$1" in
    --placedef) placedef="$2"; shift ;;
    --data) data="$2"; shift ;;
    --work) work="$2"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 1 ;;
  esac
  shift
done
[[ -x "$placedef" ]] || { echo "error: $placedef not built (scripts/build.sh)" >&2; exit 1; }
[[ -x "$gen" ]] || { echo "error: $gen not built (scripts/build.sh)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$work/scoring"

# England scale: ~35,000 LSOA-sized cells (100 km square / 35k: ~0.29 km2, so
# the square is scaled to England's 130,000 km2 / 35,000 = 3.7 km2 a cell).
side=360000
[[ -f "$work/scoring/small_35000.gpkg" ]] || "$gen" --quiet --n 35000 --seed 11 --side $side -o "$work/scoring/small_35000.gpkg"
[[ -f "$work/scoring/large_7000.gpkg" ]] || "$gen" --quiet --n 7000 --seed 12 --side $side -o "$work/scoring/large_7000.gpkg"

# median wall seconds and peak MB of three runs of a command
measure() {
  local times=() peak=0 seconds kilobytes
  for _ in 1 2 3; do
    /usr/bin/time -o "$work/scoring/time.txt" -f "%e %M" "$@" > /dev/null
    read -r seconds kilobytes < "$work/scoring/time.txt"
    times+=("$seconds")
    ((kilobytes > peak)) && peak=$kilobytes
  done
  printf '%s %d\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" $((peak / 1024))
}

echo "| job | units | median wall s (3 runs) | peak MB | target |"
echo "|---|---|---|---|---|"
if [[ -f "$data/lad_2021_bgc.gpkg" ]]; then
  layers=("$data/lad_2021_bgc.gpkg@LAD21CD" "$data/ced_2025_bgc.gpkg@CED25CD" "$data/ward_2025_bgc.gpkg@WD25CD"
          "$data/ccg_2021_bgc.gpkg@CCG21CD" "$data/icb_2022_bgc.gpkg@ICB22CD" "$data/lep_2021_bgc.gpkg@LEP21CD"
          "$data/ttwa_2011_bgc.gpkg@TTWA11CD")
  read -r t m < <(measure "$placedef" -q matrix "${layers[@]}" -o "$work/scoring/matrix.csv")
  echo "| Surrey matrix, 7 layers (49 ordered pairs, with boundary alignment) | 485 | $t | $m | < 5 s |"
else
  echo "| Surrey matrix | skipped: $data not found | | | |"
fi
read -r t m < <(measure "$placedef" -q align "$work/scoring/small_35000.gpkg@code" "$work/scoring/large_7000.gpkg@code" -o "$work/scoring/align.csv")
echo "| synthetic align 35,000 x 7,000 (both ways, with boundary alignment) | 42,000 | $t | $m | < 10 s |"
read -r t m < <(measure "$placedef" -q align --no-alignment "$work/scoring/small_35000.gpkg@code" "$work/scoring/large_7000.gpkg@code" -o "$work/scoring/align_areas.csv")
echo "| synthetic align 35,000 x 7,000, areas only (--no-alignment) | 42,000 | $t | $m | |"
