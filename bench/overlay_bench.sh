#!/usr/bin/env bash
# End-to-end overlay benchmark: placedef against PostGIS and GeoPandas.
#
# For each pair of polygon layers, each tool reads both layers, computes the area of
# every intersecting pair and writes a CSV (a_code, b_code, area_m2, ...). Measured per
# tool: wall time and peak resident set size (/usr/bin/time -v, largest process).
#   placedef   placedef overlay A@code B@code [--threads N] -o out.csv
#   PostGIS    load: ogr2ogr both layers into a throwaway cluster (+ GiST index, ANALYZE);
#              compute: CREATE TABLE result AS SELECT ... ST_Area(ST_Intersection(...))
#              WHERE a.geom && b.geom AND ST_Intersects(...), then \copy of the rows with
#              area > 0 to CSV. Peak RSS = the largest of the server processes (the server
#              is restarted under /usr/bin/time for each pair), ogr2ogr and psql.
#   GeoPandas  bench/geopandas_overlay.py: read both, geopandas.overlay(how="intersection"),
#              area, write CSV.
# All tools run one after the other on the same machine with warm file caches; the row
# counts of the three outputs are compared and any difference is printed as a warning.
#
# Usage: bench/overlay_bench.sh [--quick] [--placedef PATH] [--threads N]
#                               [--work DIR] [--data DIR] [--gen PATH] [--skip TOOL]...
#   --quick          only the two Surrey pairs and the 50k x 10k synthetic pair
#   --placedef PATH  the placedef binary (default build/engine/placedef)
#   --threads N      passed to placedef as --threads N (default: placedef's own default)
#   --work DIR       cache of synthetic layers and outputs (default build/bench-data)
#   --data DIR       the Surrey data set (default ../shared/data/uk)
#   --gen PATH       gen_tessellation binary (default build/bench/gen_tessellation,
#                    built or compiled on demand)
#   --skip TOOL      leave out placedef, postgis or geopandas (repeatable)
set -uo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

quick=0
placedef="$repo/build/engine/placedef"
threads=""
work="$repo/build/bench-data"
data="$repo/../shared/data/uk"
gen=""
declare -A skip=()

usage() { sed -n '/^# Usage:/,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "overlay_bench.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --placedef) placedef="${2:?--placedef needs a path}"; shift ;;
    --threads) threads="${2:?--threads needs a number}"; shift ;;
    --work) work="${2:?--work needs a directory}"; shift ;;
    --data) data="${2:?--data needs a directory}"; shift ;;
    --gen) gen="${2:?--gen needs a path}"; shift ;;
    --skip) case "${2:-}" in placedef|postgis|geopandas) skip[$2]=1 ;; *) die "--skip placedef|postgis|geopandas" ;; esac; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument $1" ;;
  esac
  shift
done

[[ -d "$data" ]] || die "no data directory $data"
data="$(cd "$data" && pwd)"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
[[ "$placedef" = /* ]] || placedef="$PWD/$placedef"

# ---- prerequisites -------------------------------------------------------------------

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $EUID -eq 0 ]] || die "missing packages (install them as root): ${missing[*]}"
  echo "installing with apt: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >&2 ||
    { apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2; } ||
    die "apt-get install ${missing[*]} failed"
}
ensure_packages time gdal-bin postgresql-15-postgis-3 python3-geopandas

# shellcheck source=lib/pg.sh
source "$here/lib/pg.sh"

# gen_tessellation: the CMake target if it is built or can be built, else a direct
# compile (the rest of the tree may be mid-edit).
find_generator() {
  if [[ -n "$gen" ]]; then
    [[ -x "$gen" ]] || die "--gen $gen is not executable"
    return
  fi
  gen="$repo/build/bench/gen_tessellation"
  [[ -x "$gen" ]] && return
  if [[ -f "$repo/build/CMakeCache.txt" ]] &&
     cmake --build "$repo/build" --target gen_tessellation -j2 >"$work/gen_build.log" 2>&1 &&
     [[ -x "$gen" ]]; then
    return
  fi
  gen="$work/gen_tessellation"
  if [[ ! -x "$gen" || "$here/gen_tessellation.cpp" -nt "$gen" ]]; then
    echo "compiling gen_tessellation into $work" >&2
    ensure_packages g++ libgdal-dev libgeos-dev
    # shellcheck disable=SC2046
    g++ -std=c++17 -O2 -Wall -Wextra -o "$gen" "$here/gen_tessellation.cpp" \
      $(gdal-config --cflags) $(geos-config --cflags) $(gdal-config --libs) $(geos-config --clibs) ||
      die "cannot compile gen_tessellation"
  fi
}

# cells N SEED: path of the cached synthetic layer, generated on first use.
cells() {
  local n="$1" seed="$2" f="$work/cells_${1}_s${2}.gpkg"
  if [[ ! -s "$f" ]]; then
    echo "generating $f" >&2
    "$gen" --n "$n" --seed "$seed" -o "$f.tmp.gpkg" --quiet >&2 || die "gen_tessellation failed"
    mv "$f.tmp.gpkg" "$f"
  fi
  echo "$f"
}

# ---- measuring -------------------------------------------------------------------------

# timed PREFIX CMD...: run CMD with stdout/stderr to PREFIX.out/.err; sets T_WALL (s),
# T_RSS (kB, largest process) and T_RC.
timed() {
  local prefix="$1"
  shift
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err"
  T_RC=$?
  t1=$EPOCHREALTIME
  T_WALL="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
  T_RSS="$(max_rss "$prefix.time")"
}

max_rss() {   # largest "Maximum resident set size" in /usr/bin/time -v outputs
  awk -F': ' '/Maximum resident set size/ {if ($2 + 0 > m) m = $2 + 0} END {print m + 0}' "$@" 2>/dev/null
}

rows_of() { [[ -s "$1" ]] && echo $(($(wc -l <"$1") - 1)) || echo ""; }
mb() { [[ -n "$1" ]] && awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}' || echo "–"; }
secs() { [[ -n "$1" ]] && awk -v s="$1" 'BEGIN {printf "%.2f", s}' || echo "–"; }
ratio() {
  if [[ -n "$1" && -n "$2" ]]; then awk -v a="$1" -v b="$2" 'BEGIN {printf (b > 0 ? "%.1f×" : "–"), a / b}'
  else echo "–"; fi
}

warnings=()
warn() { warnings+=("$*"); echo "WARNING: $*" >&2; }

# ---- pairs -----------------------------------------------------------------------------

# label|A path|A code|B path|B code
pairs=(
  "Surrey lsoa_2021 × ward_2025|$data/lsoa_2021_bgc.gpkg|LSOA21CD|$data/ward_2025_bgc.gpkg|WD25CD"
  "Surrey lsoa_2011 × lep_2017|$data/lsoa_2011_bgc.gpkg|LSOA11CD|$data/lep_2017_bgc.gpkg|LEP17CD"
)
find_generator
pairs+=("synthetic 50k × 10k|$(cells 50000 1)|code|$(cells 10000 2)|code")
if [[ $quick -eq 0 ]]; then
  pairs+=("synthetic 200k × 40k|$(cells 200000 3)|code|$(cells 40000 4)|code")
fi

if [[ -z "${skip[placedef]:-}" && ! -x "$placedef" ]]; then
  warn "no placedef binary at $placedef (build it, or pass --placedef PATH); its columns stay empty"
fi

if [[ -z "${skip[postgis]:-}" ]]; then
  pg_require || die "PostGIS unavailable"
  pg_start || die "cannot start PostgreSQL"
fi

results=()
details=()
agreement=()
index=0
for pair in "${pairs[@]}"; do
  IFS='|' read -r label a_path a_code b_path b_code <<<"$pair"
  index=$((index + 1))
  slug="$(echo "$label" | tr -cs 'A-Za-z0-9' '_' | sed 's/_$//')"
  dir="$work/runs/$slug"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "== $label" >&2
  cat "$a_path" "$b_path" >/dev/null   # same warm cache for every tool

  # placedef
  pd_s="" pd_kb="" pd_rows=""
  if [[ -z "${skip[placedef]:-}" && -x "$placedef" ]]; then
    cmd=("$placedef" overlay "$a_path@$a_code" "$b_path@$b_code")
    [[ -n "$threads" ]] && cmd+=(--threads "$threads")
    cmd+=(-o "$dir/placedef.csv")
    timed "$dir/placedef" "${cmd[@]}"
    if [[ $T_RC -eq 0 && -s "$dir/placedef.csv" ]]; then
      pd_s=$T_WALL pd_kb=$T_RSS pd_rows="$(rows_of "$dir/placedef.csv")"
    else
      warn "$label: placedef failed (exit $T_RC): $(tail -n 5 "$dir/placedef.err" | tr '\n' ' ')"
    fi
  fi

  # PostGIS
  pg_load_s="" pg_comp_s="" pg_s="" pg_kb="" pg_rows=""
  if [[ -z "${skip[postgis]:-}" ]]; then
    db="bench$index"
    # The database (with CREATE EXTENSION postgis) is made before the server restarts
    # under /usr/bin/time, so the measured lifetime covers load and compute only.
    pg_server_ensure && pg_createdb "$db" >/dev/null 2>"$dir/postgis_createdb.err" &&
      pg_server_start_measured || {
        warn "$label: cannot create the PostGIS database: $(cat "$dir/postgis_createdb.err")"; db=""; }
    if [[ -n "$db" ]]; then
      rm -f "$dir/postgis_load.time"
      PG_WRAP=(/usr/bin/time -v -a -o "$dir/postgis_load.time")
      t0=$EPOCHREALTIME
      if pg_load_layer "$db" "$a_path" la "$a_code" >"$dir/postgis_load.log" 2>&1 &&
         pg_load_layer "$db" "$b_path" lb "$b_code" >>"$dir/postgis_load.log" 2>&1; then
        t1=$EPOCHREALTIME
        pg_load_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
        cat >"$dir/postgis.sql" <<SQL
SET extra_float_digits = 1;
CREATE TABLE result AS
  SELECT a.code AS a_code, b.code AS b_code,
         ST_Area(ST_Intersection(a.geom, b.geom)) AS area_m2
  FROM la a JOIN lb b ON a.geom && b.geom AND ST_Intersects(a.geom, b.geom);
\\copy (SELECT a_code, b_code, area_m2 FROM result WHERE area_m2 > 0 ORDER BY a_code COLLATE "C", b_code COLLATE "C") TO '$dir/postgis.csv' WITH (FORMAT csv, HEADER)
SQL
        timed "$dir/postgis_compute" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" \
          -p "$PG_PORT" -U "$PG_USER" -d "$db" -f "$dir/postgis.sql"
        if [[ $T_RC -eq 0 ]]; then
          pg_comp_s=$T_WALL
          pg_s="$(awk -v a="$pg_load_s" -v b="$pg_comp_s" 'BEGIN {printf "%.3f", a + b}')"
          pg_rows="$(rows_of "$dir/postgis.csv")"
        else
          warn "$label: PostGIS compute failed: $(tail -n 5 "$dir/postgis_compute.err" | tr '\n' ' ')"
        fi
        psql_kb=$T_RSS
        # The plan, for the record (untimed, after the measured run).
        { echo "EXPLAIN SELECT a.code AS a_code, b.code AS b_code, ST_Area(ST_Intersection(a.geom, b.geom)) AS area_m2"
          echo "  FROM la a JOIN lb b ON a.geom && b.geom AND ST_Intersects(a.geom, b.geom);"
        } | pg_psql "$db" >"$dir/postgis_plan.txt" 2>&1
      else
        warn "$label: PostGIS load failed: $(tail -n 5 "$dir/postgis_load.log" | tr '\n' ' ')"
        psql_kb=0
      fi
      PG_WRAP=()
      "$PG_BIN/dropdb" -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" "$db" 2>/dev/null
    fi
    server_kb="$(pg_server_stop_measured)"
    load_kb="$(max_rss "$dir/postgis_load.time")"
    if [[ -n "$pg_s" ]]; then
      pg_kb="$(printf '%s\n' "${server_kb:-0}" "${load_kb:-0}" "${psql_kb:-0}" | sort -n | tail -1)"
      details+=("| $label | $(secs "$pg_load_s") | $(secs "$pg_comp_s") | $(mb "${server_kb:-0}") | $(mb "${load_kb:-0}") | $(mb "${psql_kb:-0}") |")
    fi
  fi

  # GeoPandas
  gp_s="" gp_kb="" gp_rows=""
  if [[ -z "${skip[geopandas]:-}" ]]; then
    timed "$dir/geopandas" /usr/bin/python3 "$here/geopandas_overlay.py" \
      "$a_path@$a_code" "$b_path@$b_code" -o "$dir/geopandas.csv"
    if [[ $T_RC -eq 0 ]]; then
      gp_s=$T_WALL gp_kb=$T_RSS gp_rows="$(rows_of "$dir/geopandas.csv")"
    else
      warn "$label: GeoPandas failed (exit $T_RC): $(tail -n 3 "$dir/geopandas.err" | tr '\n' ' ')"
    fi
  fi

  # Agreement of the outputs.
  counts=()
  [[ -n "$pd_rows" ]] && counts+=("placedef=$pd_rows")
  [[ -n "$pg_rows" ]] && counts+=("PostGIS=$pg_rows")
  [[ -n "$gp_rows" ]] && counts+=("GeoPandas=$gp_rows")
  distinct="$(printf '%s\n' "${counts[@]#*=}" | sort -u | grep -c . || true)"
  rows="$(printf '%s\n' "${counts[@]#*=}" | head -1)"
  if [[ "$distinct" -gt 1 ]]; then
    warn "$label: row counts differ: ${counts[*]}"
    rows="$(IFS=/; echo "${counts[*]#*=}")"
  fi
  tables=()
  [[ -n "$pd_rows" ]] && tables+=("$dir/placedef.csv")
  [[ -n "$gp_rows" ]] && tables+=("$dir/geopandas.csv")
  if [[ -n "$pg_rows" && ${#tables[@]} -gt 0 ]]; then
    /usr/bin/python3 "$here/compare_tables.py" "$dir/postgis.csv" "${tables[@]}" >"$dir/compare.txt" 2>&1 ||
      warn "$label: pair sets differ from PostGIS: $(tr '\n' ' ' <"$dir/compare.txt")"
    rel_pd="–" rel_gp="–"
    [[ -n "$pd_rows" ]] && rel_pd="$(sed -n "s|^$dir/placedef.csv:.*max rel \(.*\)\$|\1|p" "$dir/compare.txt")"
    [[ -n "$gp_rows" ]] && rel_gp="$(sed -n "s|^$dir/geopandas.csv:.*max rel \(.*\)\$|\1|p" "$dir/compare.txt")"
    agreement+=("| $label | ${rel_pd:-?} | ${rel_gp:-?} |")
  fi

  results+=("| $label | ${rows:-–} | $(secs "$pd_s") | $(secs "$pg_s") ($(secs "$pg_load_s") + $(secs "$pg_comp_s")) | $(secs "$gp_s") | $(mb "$pd_kb") | $(mb "$pg_kb") | $(mb "$gp_kb") | $(ratio "$pg_s" "$pd_s") | $(ratio "$gp_s" "$pd_s") |")
done

# ---- report ----------------------------------------------------------------------------

versions="GDAL $(gdal-config --version 2>/dev/null) (ogr2ogr, placedef); GEOS $(geos-config --version 2>/dev/null) (libgeos-dev)"
if [[ -z "${skip[postgis]:-}" ]]; then
  pg_server_ensure >/dev/null 2>&1 && pg_createdb versions >/dev/null 2>&1 &&
    versions+="; $(pg_versions versions 2>/dev/null)"
fi
versions+="; $(/usr/bin/python3 -c 'import geopandas, shapely, shapely.geos, pandas; print(f"GeoPandas {geopandas.__version__}, Shapely {shapely.__version__} (GEOS {shapely.geos.geos_version_string}), pandas {pandas.__version__}")' 2>/dev/null)"
[[ -x "$placedef" ]] && versions+="; placedef $("$placedef" --version 2>/dev/null | head -1)"

echo
echo "## Overlay benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo))"
echo
echo "Wall time in seconds, end to end (read, compute, write CSV); peak = largest process RSS."
echo "placedef threads: ${threads:-its default}. PostGIS: server defaults apart from durability (parallel query allowed; plans in runs/*/postgis_plan.txt). GeoPandas: one thread."
echo
echo "| pair | rows | placedef s | PostGIS s (load + compute) | GeoPandas s | placedef MB | PostGIS MB | GeoPandas MB | PostGIS / placedef | GeoPandas / placedef |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
if [[ ${#details[@]} -gt 0 ]]; then
  echo
  echo "PostGIS detail (peak MB per process kind):"
  echo
  echo "| pair | load s | compute + COPY s | server MB | ogr2ogr MB | psql MB |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${details[@]}"
fi
if [[ ${#agreement[@]} -gt 0 ]]; then
  echo
  echo "Agreement with PostGIS over the common pairs (largest |area - PostGIS area| / PostGIS area):"
  echo
  echo "| pair | placedef | GeoPandas |"
  echo "|---|---|---|"
  printf '%s\n' "${agreement[@]}"
fi
echo
echo "Versions: $versions"
echo "Outputs and logs: ${work#"$repo"/}/runs/"
if [[ ${#warnings[@]} -gt 0 ]]; then
  echo
  echo "Warnings:"
  printf -- '- %s\n' "${warnings[@]}"
fi
