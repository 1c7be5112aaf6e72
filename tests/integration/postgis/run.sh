#!/usr/bin/env bash
# placedef against a real PostGIS: a throwaway PostgreSQL 15 + PostGIS on
# loopback (bench/lib/pg.sh), sample layers loaded with ogr2ogr, then
# `placedef overlay` and `placedef footprints` reading their layers from PG:
# and writing their results to a PG: schema, and the written tables checked
# with psql against the CSVs of the same runs. Prints "SKIPPED: ..." when the
# server packages are not installed.
#   run.sh PLACEDEF WORKDIR
set -euo pipefail
placedef=$1
work=$2
root=$(cd "$(dirname "$0")/../../.." && pwd)
sample=$root/shapefiles
# shellcheck source=../../../bench/lib/pg.sh
source "$root/bench/lib/pg.sh"

if [[ ! -x "$PG_BIN/initdb" || ! -e "/usr/share/postgresql/$PG_VERSION_MAJOR/extension/postgis.control" ]]; then
  echo "SKIPPED: PostgreSQL $PG_VERSION_MAJOR with PostGIS is not installed (Debian postgresql-$PG_VERSION_MAJOR-postgis-3)"
  exit 0
fi
command -v ogr2ogr >/dev/null || { echo "SKIPPED: ogr2ogr (Debian gdal-bin) is not installed"; exit 0; }

fail() { echo "FAILED: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
pg_start
pg_createdb placedef
pg_load_layer placedef "$sample/ward_2025.gpkg" ward_2025 WD25CD WD25CD >/dev/null
pg_load_layer placedef "$sample/ced_2025.gpkg" ced_2025 CED25CD CED25CD >/dev/null
pg_load_layer placedef "$sample/lsoa_2011.gpkg" lsoa_2011 LSOA11CD LSOA11CD >/dev/null
pg_psql placedef -c 'CREATE SCHEMA results;'
db=$(pg_conn placedef)
out="$db active_schema=results"
sql() { pg_psql placedef -At -c "$1"; }
# Relative difference of two numbers is at most $3.
close() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); exit !(d <= tol * m) }'; }

# ---- overlay: wards x divisions, from PG to PG (and to CSV, to compare)
"$placedef" -q overlay "$db:ward_2025@WD25CD" "$db:ced_2025@CED25CD" -o "$out" -o "$work/ward_x_ced.csv"
csv_rows=$(($(wc -l <"$work/ward_x_ced.csv") - 1))
pg_rows=$(sql 'SELECT count(*) FROM results.pieces')
[[ $pg_rows == "$csv_rows" ]] || fail "results.pieces holds $pg_rows rows, the CSV $csv_rows"
csv_area=$(python3 -c 'import csv, sys; print("%.6f" % sum(float(r["area_m2"]) for r in csv.DictReader(open(sys.argv[1]))))' \
  "$work/ward_x_ced.csv")
read -r column_area geometry_area valid <<<"$(sql "SELECT sum(area_m2), sum(ST_Area(geom)), bool_and(ST_IsValid(geom))
  FROM results.pieces" | tr '|' ' ')"
close "$column_area" "$csv_area" 1e-12 || fail "area_m2 in PG sums to $column_area, in the CSV to $csv_area"
close "$geometry_area" "$column_area" 1e-6 || fail "the pieces' polygons cover $geometry_area m2, their area_m2 says $column_area"
[[ $valid == t ]] || fail "some piece polygons written to PostGIS are not valid"
ward_area=$(sql 'SELECT sum(ST_Area(geom)) FROM ward_2025')
close "$geometry_area" "$ward_area" 1e-3 || fail "the pieces cover $geometry_area m2, the wards $ward_area m2"
srid=$(sql "SELECT Find_SRID('results', 'pieces', 'geom')")
[[ $srid == 27700 ]] || fail "results.pieces has SRID $srid"
# Written again: the table is replaced, not appended to.
"$placedef" -q overlay "$db:ward_2025@WD25CD" "$db:ced_2025@CED25CD" -o "$out"
[[ $(sql 'SELECT count(*) FROM results.pieces') == "$csv_rows" ]] || fail "a second overlay appended to results.pieces"
echo "overlay: $pg_rows pieces in results.pieces, $(awk -v a="$geometry_area" 'BEGIN { printf "%.3f", a / 1e6 }') km2, as in the CSV"

# ---- footprints: LSOAs from PG into 8 footprints, written to PG
"$placedef" -q footprints "$db:lsoa_2011@LSOA11CD" --method skater -k 8 \
  --attr "$sample/imd_2019_lsoa11.csv:IMD_rank" --pop-table "$sample/population_mid2020_lsoa11.csv" \
  --pop-column total_population -o "$out" -o "$work/footprints.csv" >"$work/footprints.txt"
[[ $(sql 'SELECT count(*) FROM results.footprints') == 8 ]] || fail "results.footprints does not hold 8 footprints"
read -r members blocks <<<"$(sql 'SELECT count(*), count(DISTINCT block_code) FROM results.membership' | tr '|' ' ')"
[[ $members == 166 && $blocks == 166 ]] || fail "results.membership holds $members rows for $blocks blocks, not 166 each"
missing=$(sql 'SELECT count(*) FROM lsoa_2011 l LEFT JOIN results.membership m ON m.block_code = l."LSOA11CD"
  WHERE m.block_code IS NULL')
[[ $missing == 0 ]] || fail "$missing LSOAs are in no footprint"
people=$(sql 'SELECT sum(population) FROM results.footprints')
close "$people" 276908 1e-9 || fail "the footprints hold $people people, the sample 276908"
# Each footprint's area_km2 is the area of its polygon, and together they cover the LSOAs.
worst=$(sql 'SELECT max(abs(ST_Area(geom) / 1e6 - area_km2) / area_km2) FROM results.footprints')
awk -v w="$worst" 'BEGIN { exit !(w < 1e-9) }' || fail "a footprint's area_km2 is $worst (relative) off its polygon's"
read -r footprint_area lsoa_area <<<"$(sql 'SELECT (SELECT sum(ST_Area(geom)) FROM results.footprints),
  (SELECT sum(ST_Area(geom)) FROM lsoa_2011)' | tr '|' ' ')"
close "$footprint_area" "$lsoa_area" 1e-3 || fail "the footprints cover $footprint_area m2, the LSOAs $lsoa_area m2"
csv_people=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "population") c = i } NR > 1 { s += $c } END { print s }' \
  "$work/footprints.csv")
close "$people" "$csv_people" 1e-12 || fail "PG says $people people, the CSV $csv_people"
echo "footprints: 8 in results.footprints, 166 blocks in results.membership, $people people"
echo "postgis: $(pg_versions placedef)"
