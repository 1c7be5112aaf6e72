#!/usr/bin/env bash
# PostGIS reference intersection tables: the independent check of placedef's overlay.
#
# For each pair of layers of the Surrey data set, PostGIS computes
#   ST_Area(ST_Intersection(a.geom, b.geom))
# over the pairs with  a.geom && b.geom AND ST_Intersects(a.geom, b.geom),  keeps the
# rows with area > 0 and writes tests/integration/postgis_reference/<a>__<b>.csv with
# header a_code,b_code,area_m2, sorted by a_code then b_code (byte order). Areas are
# printed with PostgreSQL's shortest exact float8 text (extra_float_digits = 1, up to
# 17 significant digits), which reads back as the same double.
#
# If GEOS raises an error (e.g. TopologyException) for one pair, that pair is retried
# with ST_MakeValid on both inputs, and it is listed in <a>__<b>.problems.csv next to
# the table (the row is kept, never dropped). No file is written when no pair failed.
#
# Usage: bench/postgis_reference.sh [DATA_DIR [OUT_DIR]]
#   DATA_DIR  default ../shared/data/uk next to the repository
#   OUT_DIR   default tests/integration/postgis_reference
# Runs as root (the server then runs as the postgres user) or as an ordinary user.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
data="${1:-$repo/../shared/data/uk}"
out="${2:-$repo/tests/integration/postgis_reference}"
data="$(cd "$data" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# shellcheck source=lib/pg.sh
source "$here/lib/pg.sh"

command -v ogr2ogr >/dev/null || {
  echo "postgis_reference.sh: ogr2ogr not found (apt-get install gdal-bin)" >&2; exit 1; }
pg_require
pg_start
pg_createdb ref

# Area of the intersection; on a GEOS error, log the pair and retry on repaired input.
pg_psql ref <<'SQL'
CREATE TABLE ref_problems (a_code text, b_code text, error text, area_after_makevalid float8);
CREATE FUNCTION ref_intersection_area(ga geometry, gb geometry, ca text, cb text)
RETURNS float8 LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  result float8;
BEGIN
  RETURN ST_Area(ST_Intersection(ga, gb));
EXCEPTION WHEN OTHERS THEN
  result := ST_Area(ST_Intersection(ST_MakeValid(ga), ST_MakeValid(gb)));
  INSERT INTO ref_problems VALUES (ca, cb, SQLERRM, result);
  RETURN result;
END $$;
SQL

versions="$(pg_versions ref)"
echo "versions: $versions" >&2

# name:code_column, per side of each pair
pairs=(
  "lsoa_2021:LSOA21CD ward_2025:WD25CD"
  "lsoa_2021:LSOA21CD ced_2025:CED25CD"
  "ward_2025:WD25CD ced_2025:CED25CD"
  "lad_2021:LAD21CD icb_2022:ICB22CD"
  "lsoa_2011:LSOA11CD lep_2017:LEP17CD"
  "msoa_2021:MSOA21CD sicbl_2022:SICBL22CD"
  "ward_2019:WD19CD ccg_2019:CCG19CD"
)

declare -A loaded=()
load() {   # load NAME CODE -> table NAME (code column "code")
  local name="$1" code="$2"
  [[ -n "${loaded[$name]:-}" ]] && return 0
  pg_load_layer ref "$data/${name}_bgc.gpkg:${name}_bgc" "$name" "$code"
  loaded[$name]=1
}

summary=()
for pair in "${pairs[@]}"; do
  read -r a b <<<"$pair"
  an="${a%%:*}"; ac="${a#*:}"; bn="${b%%:*}"; bc="${b#*:}"
  load "$an" "$ac"
  load "$bn" "$bc"
  csv="$out/${an}__${bn}.csv"
  problems="$out/${an}__${bn}.problems.csv"
  rm -f "$csv" "$problems"
  pg_psql ref <<SQL
TRUNCATE ref_problems;
SET extra_float_digits = 1;
CREATE UNLOGGED TABLE pair_area AS
  SELECT a.code AS a_code, b.code AS b_code,
         ref_intersection_area(a.geom, b.geom, a.code, b.code) AS area_m2
  FROM "$an" a JOIN "$bn" b ON a.geom && b.geom AND ST_Intersects(a.geom, b.geom);
\copy (SELECT a_code, b_code, area_m2 FROM pair_area WHERE area_m2 > 0 ORDER BY a_code COLLATE "C", b_code COLLATE "C") TO '$csv' WITH (FORMAT csv, HEADER)
SQL
  stats="$(pg_psql ref -At -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE area_m2 > 0),
            (SELECT count(*) FROM ref_problems) FROM pair_area;")"
  read -r n_touch n_pos n_err <<<"$stats"
  if [[ "$n_err" != 0 ]]; then
    pg_psql ref -c "\\copy (SELECT * FROM ref_problems ORDER BY 1 COLLATE \"C\", 2 COLLATE \"C\") TO '$problems' WITH (FORMAT csv, HEADER)"
  fi
  pg_psql ref -c 'DROP TABLE pair_area;'
  summary+=("| ${an} × ${bn} | ${n_pos} | ${n_touch} | ${n_err} |")
  echo "${an}__${bn}.csv: ${n_pos} rows (${n_touch} intersecting pairs, ${n_err} GEOS errors)" >&2
done

echo
echo "PostGIS reference tables in ${out#"$repo"/} ($versions)"
echo
echo "| pair | rows (area > 0) | pairs with ST_Intersects | GEOS errors (retried with ST_MakeValid) |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
