# shellcheck shell=bash
# Throwaway PostgreSQL + PostGIS cluster for reference computations and benchmarks.
#
# Source this file, then:
#   pg_require                      # apt-get install postgresql-15-postgis-3 when missing
#   pg_start                        # initdb in a temp dir, start, install the EXIT trap
#   pg_createdb ref                 # database with the postgis extension
#   pg_load_layer ref file.gpkg[:layer] table CODE_COLUMN [code]
#   pg_psql ref -c 'SELECT 1'       # psql on the cluster, stops on the first error
#   pg_stop                         # stop and delete (also run by the trap)
#
# The cluster lives in a fresh directory under ${TMPDIR:-/tmp} that holds the data
# directory, the server log and the unix socket. The server listens on 127.0.0.1 only,
# on a free port, with trust authentication (nothing else can reach it). PostgreSQL
# refuses to run as root, so when the caller is root (as in CI) the directory is
# owned by the `postgres` system user and every server-side command runs through
# `runuser -u postgres`; otherwise the calling user owns and runs it. Clients (psql,
# ogr2ogr) run as the caller and connect as database superuser `postgres` over the
# socket. Durability is switched off (fsync, synchronous_commit, full_page_writes):
# the data is thrown away on exit.
#
# Variables set by pg_start: PG_DIR, PG_DATA, PG_PORT, PG_SOCKET (= PG_DIR), PG_USER.
# PG_SERVER_OPTS (optional, before pg_start): extra "-c name=value" server options.
# PG_WRAP (optional array): command prefix for the ogr2ogr of pg_load_layer, e.g.
#   PG_WRAP=(/usr/bin/time -v -a -o load.time) to measure it.

PG_VERSION_MAJOR="${PG_VERSION_MAJOR:-15}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION_MAJOR/bin}"
PG_DIR=""
PG_DATA=""
PG_PORT=""
PG_SOCKET=""
PG_USER="postgres"
PG__SERVER_PID=""    # set while a measured server (pg_server_start_measured) runs
PG__RSS_FILE=""
if [[ -z "${PG_WRAP+set}" ]]; then PG_WRAP=(); fi

pg__log() { echo "pg.sh: $*" >&2; }

# Install PostgreSQL 15 + PostGIS 3 with apt when they are missing.
pg_require() {
  if [[ -x "$PG_BIN/initdb" && -e "/usr/share/postgresql/$PG_VERSION_MAJOR/extension/postgis.control" ]]; then
    return 0
  fi
  if [[ $EUID -ne 0 ]]; then
    pg__log "postgresql-$PG_VERSION_MAJOR-postgis-3 is missing and I am not root; install it first"
    return 1
  fi
  pg__log "installing postgresql-$PG_VERSION_MAJOR-postgis-3 with apt"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PG_VERSION_MAJOR-postgis-3" >&2 ||
    { apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PG_VERSION_MAJOR-postgis-3" >&2; }
}

# Run a command as the owner of the cluster, from inside PG_DIR (the caller's working
# directory may not be readable by postgres).
pg__as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$PG_DIR" && "$@")
  fi
}

# Print a TCP port on 127.0.0.1 that is free right now.
pg__free_port() {
  if [[ -x /usr/bin/python3 ]]; then
    /usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for ((p = 54320 + RANDOM % 2000; p < 65000; p++)); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}

# The server's command-line settings.
pg__server_args() {
  printf '%s\n' -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c "unix_socket_directories=$PG_SOCKET" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_wal_size=4GB -c maintenance_work_mem=256MB -c work_mem=64MB
}

# pg_start: create and start the cluster; installs an EXIT/INT/TERM trap calling pg_stop.
pg_start() {
  [[ -z "$PG_DIR" ]] || { pg__log "a cluster is already running in $PG_DIR"; return 1; }
  [[ -x "$PG_BIN/initdb" ]] || { pg__log "no $PG_BIN/initdb (run pg_require)"; return 1; }
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    pg__log "running as root but there is no 'postgres' system user"; return 1
  fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pdef-pg.XXXXXX")"
  chmod 0700 "$PG_DIR"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_DIR"
  trap 'pg_stop' EXIT
  trap 'pg_stop; exit 130' INT
  trap 'pg_stop; exit 143' TERM
  PG_DATA="$PG_DIR/data"
  PG_SOCKET="$PG_DIR"
  PG_PORT="$(pg__free_port)"
  pg__as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_server_start
}

# Start the server of an existing cluster (pg_start does this once).
pg_server_start() {
  local opts
  opts="$(pg__server_args | tr '\n' ' ') ${PG_SERVER_OPTS:-}"
  pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 \
    -o "$opts" start >/dev/null ||
    { pg__log "server failed to start; log follows"; cat "$PG_DIR/server.log" >&2; return 1; }
}

# Start the server (unmeasured) unless it is already running.
pg_server_ensure() {
  if ! "$PG_BIN/pg_isready" -q -h "$PG_SOCKET" -p "$PG_PORT"; then pg_server_start; fi
}

# Stop the server but keep the cluster.
pg_server_stop() {
  if [[ -n "$PG__SERVER_PID" ]]; then
    pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    wait "$PG__SERVER_PID" 2>/dev/null || true
    PG__SERVER_PID=""
  elif [[ -n "$PG_DATA" && -e "$PG_DATA/postmaster.pid" ]]; then
    pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# pg_server_start_measured: restart the server in the foreground under
# `/usr/bin/time -v` so that pg_server_stop_measured can report the peak resident set
# size of the largest server process (postmaster, backends, parallel workers) over the
# server's lifetime.
pg_server_start_measured() {
  pg_server_stop
  PG__RSS_FILE="$PG_DIR/server.time"
  local args
  mapfile -t args < <(pg__server_args)
  # shellcheck disable=SC2086
  pg__as_owner /usr/bin/time -v -o "$PG__RSS_FILE" "$PG_BIN/postgres" -D "$PG_DATA" \
    "${args[@]}" ${PG_SERVER_OPTS:-} >>"$PG_DIR/server.log" 2>&1 &
  PG__SERVER_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    if "$PG_BIN/pg_isready" -q -h "$PG_SOCKET" -p "$PG_PORT"; then return 0; fi
    if ! kill -0 "$PG__SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  pg__log "measured server failed to start; log follows"; cat "$PG_DIR/server.log" >&2
  return 1
}

# pg_server_stop_measured: stop the measured server and print its peak RSS in kB.
pg_server_stop_measured() {
  pg_server_stop
  awk -F': ' '/Maximum resident set size/ {print $2}' "$PG__RSS_FILE" 2>/dev/null
}

# pg_stop: stop the server and delete the cluster directory. Safe to call twice.
pg_stop() {
  [[ -n "$PG_DIR" ]] || return 0
  pg_server_stop
  rm -rf -- "$PG_DIR"
  PG_DIR=""; PG_DATA=""; PG_PORT=""; PG_SOCKET=""
}

# pg_psql DB [psql args...]: psql on the cluster as superuser, no ~/.psqlrc, stop on error.
pg_psql() {
  local db="$1"
  shift
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" \
    -d "$db" "$@"
}

# pg_conn DB: the OGR connection string of a database.
pg_conn() {
  echo "PG:host=$PG_SOCKET port=$PG_PORT user=$PG_USER dbname=$1"
}

# pg_createdb DB: create a database with the postgis extension.
pg_createdb() {
  "$PG_BIN/createdb" -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" "$1" &&
    pg_psql "$1" -c 'CREATE EXTENSION IF NOT EXISTS postgis;'
}

# pg_load_layer DB SOURCE[:LAYER] TABLE CODE_COLUMN [NEW_CODE_NAME]
# Load one GeoPackage layer into TABLE with ogr2ogr (PostgreSQL driver, COPY mode):
# only the code column (renamed to NEW_CODE_NAME, default "code") and the geometry
# (column "geom", MultiPolygon, SRID from the source), a GiST index on geom, then ANALYZE.
# Coordinates go over as binary EWKB, so they are bit-identical to the source.
pg_load_layer() {
  local db="$1" source="$2" table="$3" code="$4" newname="${5:-code}"
  local file="$source" layer=""
  if [[ "$source" == *.gpkg:* ]]; then
    file="${source%%.gpkg:*}.gpkg"
    layer="${source#*.gpkg:}"
  fi
  if [[ -z "$layer" ]]; then
    layer="$(ogrinfo -q "$file" 2>/dev/null | awk -F'[: (]+' 'NR == 1 {print $2}')"
  fi
  [[ -n "$layer" ]] || { pg__log "cannot find a layer in $file"; return 1; }
  local geomcol
  geomcol="$(ogrinfo -so "$file" "$layer" | awk -F' = ' '/^Geometry Column/ {print $2}')"
  geomcol="${geomcol:-geom}"
  "${PG_WRAP[@]}" ogr2ogr -f PostgreSQL "$(pg_conn "$db")" "$file" \
    -sql "SELECT \"$code\" AS \"$newname\", \"$geomcol\" FROM \"$layer\"" \
    -nln "$table" -nlt PROMOTE_TO_MULTI -overwrite \
    -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid -lco LAUNDER=NO \
    --config PG_USE_COPY YES ||
    { pg__log "ogr2ogr failed loading $file:$layer into $table"; return 1; }
  pg_psql "$db" -c "ANALYZE \"$table\";"
}

# pg_versions DB: one line with the PostgreSQL, PostGIS and GEOS versions.
pg_versions() {
  pg_psql "$1" -At -c "SELECT 'PostgreSQL ' || current_setting('server_version') ||
    '; PostGIS ' || postgis_lib_version() || '; GEOS ' || postgis_geos_version() ||
    '; PROJ ' || split_part(postgis_proj_version(), ' ', 1);"
}
