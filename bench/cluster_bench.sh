#!/usr/bin/env bash
# The clustering benchmark of issue 6: the Surrey problem, then synthetic
# Voronoi blocks (mean 1.5 km², 1,000..1,999 people each) at growing sizes,
# each method in its own process (so that peak memory is its own); then
# ensembles of issue 18 (100 runs on Surrey, 20 on the synthetic blocks).
#   bench/cluster_bench.sh [BUILD_DIR] [SIZES...]     (default: build, 2000 5000 10000 35000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(2000 5000 10000 35000)
data=${PDEF_UK_DATA:-$here/../../shared/data/uk}
work=$build/bench-data
mkdir -p "$work"
cmake --build "$build" --target cluster_bench gen_tessellation >/dev/null 2>&1

if [[ -d $data ]]; then
  echo "## Surrey benchmark (709 LSOAs, k = 29 or a floor; time of the clustering call)"
  /usr/bin/python3 "$here/surrey_problem.py" "$data" "$work/surrey_problem.txt" 2>/dev/null 2>&1
  "$build/bench/cluster_bench" surrey "$work/surrey_problem.txt"
  echo
else
  echo "SKIPPED the Surrey benchmark: $data is absent"
fi

echo "## Synthetic Voronoi blocks (k = n/25; max-p floor 25,000)"
echo "| blocks | method | regions | WSS/TSS | all contiguous | graph | clustering | peak memory |"
echo "|---:|---|---:|---:|---|---:|---:|---:|"
for n in "${sizes[@]}"; do
  cells=$work/cells_$n.gpkg
  side=$(awk -v n="$n" 'BEGIN { printf "%.0f", sqrt(n * 1.5e6) }')
  [[ -f $cells ]] || "$build/bench/gen_tessellation" --n "$n" --seed 1 --side "$side" -o "$cells" >/dev/null 2>&1
  k=$((n / 25))
  # Then 20-run ensembles (issue 18): AZP with one start a run, and max-p.
  for run in "skater --k $k" "redcap --k $k" "azp --k $k" "maxp --min-pop 25000" \
             "azp --k $k --restarts 1 --ensemble 20" "maxp --min-pop 25000 --ensemble 20"; do
    # shellcheck disable=SC2086
    timeout 600 "$build/bench/cluster_bench" synthetic "$cells" $run || echo "| $n | ${run%% *} | failed or over 600 s | | | | | |"
  done
done
