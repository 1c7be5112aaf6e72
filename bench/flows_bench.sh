#!/usr/bin/env bash
# The functional areas benchmark: `placedef flows` on Sardinia (the real
# table, both rules) and on a synthetic England at MSOA scale (7,000 Voronoi
# cells over 360 km, about 2.4 million flows of a distance-decay model with a
# long tail, which make about 150 areas as England has TTWAs: gen_flows.py),
# both regroupings, timed as whole processes with their peak memory (GNU time).
#
#   bench/flows_bench.sh [BUILD_DIR]      (default build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
placedef=$build/engine/placedef
work=$(mktemp -d "${TMPDIR:-/tmp}/pdef-flows-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

run() {  # label, then the placedef arguments
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$placedef" -q "$@" > /dev/null
    read -r seconds kilobytes < "$work/time"
    printf '| %s | %s s | %d MiB |\n' "$label" "$seconds" $((kilobytes / 1024))
}

echo "| run | time | peak memory |"
echo "|---|---:|---:|"
sardinia=$root/../shared/data/sardinia
if [[ -f $sardinia/commuting_flows_2001.csv ]]; then
    for rules in istat ttwa2011; do
        run "Sardinia, 377 units, 10,997 flows, $rules" --study-crs EPSG:32632 flows \
            "$sardinia/municipalities_2001.gpkg@PRO_COM,NOME_COM" --flows "$sardinia/commuting_flows_2001.csv" \
            --rules "$rules" -o "$work/sardinia_$rules.csv"
    done
else
    echo "SKIPPED: ../shared/data/sardinia is absent" >&2
fi
"$build/bench/gen_tessellation" --n 7000 --seed 1 --side 360000 -o "$work/cells.gpkg" --quiet
/usr/bin/python3 "$root/bench/gen_flows.py" "$work/cells.gpkg" "$work/flows.csv" >&2
flows=$(($(wc -l < "$work/flows.csv") - 1))
for regrouping in whole_area one_unit; do
    run "synthetic, 7,000 units, $flows flows, ttwa2011, $regrouping" flows "$work/cells.gpkg@code" \
        --flows "$work/flows.csv" --regrouping "$regrouping" -o "$work/england.csv"
done
