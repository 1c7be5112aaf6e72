#!/usr/bin/env bash
# Regenerate the committed sample in shapefiles/ from the Surrey data set.
#
# This documents provenance: the tests use the committed files, not the output of a
# fresh run. The sample is two neighbouring Surrey districts, Guildford (E07000209) and
# Waverley (E07000216). Features are kept whole (never clipped), in EPSG:27700 with the
# source column names; each GeoPackage holds one layer named after the file.
#
# Usage: shapefiles/make_sample.sh [SOURCE_DIR [OUT_DIR]]
#   SOURCE_DIR  the Surrey data set (default: ../shared/data/uk next to the repository)
#   OUT_DIR     where to write (default: the folder holding this script)
# Needs: ogr2ogr/ogrinfo (gdal-bin, GDAL >= 3.6 built with SpatiaLite, as on Debian 12),
#        sqlite3, awk.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${1:-$here/../../shared/data/uk}"
out="${2:-$here}"
src="$(cd "$src" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for tool in ogr2ogr ogrinfo sqlite3 awk; do
  command -v "$tool" >/dev/null || { echo "make_sample.sh: $tool not found" >&2; exit 1; }
done

lads="'E07000209','E07000216'"   # Guildford, Waverley

# Fixed timestamp in gpkg_contents so that reruns differ as little as possible.
export OGR_CURRENT_DATE="2025-01-01T00:00:00Z"

# gpkg NAME SOURCE_FILE [ogr2ogr args...]: write one single-layer GeoPackage.
gpkg() {
  local name="$1" source="$2"
  shift 2
  rm -f "$out/$name.gpkg"
  ogr2ogr -f GPKG "$out/$name.gpkg" "$src/$source" \
    -nln "$name" -lco GEOMETRY_NAME=geom -lco FID=fid -a_srs EPSG:27700 "$@"
  sqlite3 "$out/$name.gpkg" 'VACUUM;'
}

# Districts themselves.
gpkg lad_2021 lad_2021_bgc.gpkg -nlt MULTIPOLYGON \
  -sql "SELECT * FROM lad_2021_bgc WHERE LAD21CD IN ($lads) ORDER BY LAD21CD"

# Layers that carry the district code as an attribute.
gpkg lsoa_2021 lsoa_2021_bgc.gpkg -nlt MULTIPOLYGON \
  -sql "SELECT * FROM lsoa_2021_bgc WHERE LADCD_ACTIVE IN ($lads) ORDER BY LSOA21CD"
gpkg lsoa_2011 lsoa_2011_bgc.gpkg -nlt MULTIPOLYGON \
  -sql "SELECT * FROM lsoa_2011_bgc WHERE LADCD_ACTIVE IN ($lads) ORDER BY LSOA11CD"
gpkg msoa_2021 msoa_2021_bgc.gpkg -nlt MULTIPOLYGON \
  -sql "SELECT * FROM msoa_2021_bgc WHERE LADCD_ACTIVE IN ($lads) ORDER BY MSOA21CD"
gpkg ward_2025 ward_2025_bgc.gpkg -nlt MULTIPOLYGON \
  -sql "SELECT * FROM ward_2025_bgc WHERE LAD25CD IN ($lads) ORDER BY WD25CD"

# Layers selected by location against the two source LAD polygons. INDIRECT_SQLITE
# makes OGR's SQLite dialect (with SpatiaLite functions) able to join a layer of
# another file, named as 'file'.layer.
# County divisions: point-on-surface inside Guildford or Waverley. Every such division
# is a Surrey one (the two districts lie wholly in Surrey).
gpkg ced_2025 ced_2025_bgc.gpkg -nlt MULTIPOLYGON -dialect INDIRECT_SQLITE \
  -sql "SELECT c.* FROM ced_2025_bgc c, '$src/lad_2021_bgc.gpkg'.lad_2021_bgc l
        WHERE l.LAD21CD IN ($lads) AND ST_Within(ST_PointOnSurface(c.geom), l.geom)
        ORDER BY c.CED25CD"
# GP practices: the point inside Guildford or Waverley (non-geocoded rows have no
# point and drop out).
gpkg gp_practices gp_practices_pcn_2022.gpkg -nlt POINT -dialect INDIRECT_SQLITE \
  -sql "SELECT p.* FROM gp_practices_pcn_2022 p, '$src/lad_2021_bgc.gpkg'.lad_2021_bgc l
        WHERE l.LAD21CD IN ($lads) AND p.geom IS NOT NULL AND ST_Within(p.geom, l.geom)
        ORDER BY p.PRACTICE_CODE"

# Tables: the rows whose lsoa11_code is one of the sample's LSOA 2011 codes, in
# source order, all columns, byte for byte (the sources have no quoted fields).
codes="$(mktemp)"
trap 'rm -f "$codes"' EXIT
ogr2ogr -f CSV /vsistdout/ "$out/lsoa_2011.gpkg" -sql "SELECT LSOA11CD FROM lsoa_2011" \
  | tail -n +2 > "$codes"

filter_csv() {   # filter_csv SOURCE_CSV OUT_CSV CODE_COLUMN
  awk -F, -v col="$3" '
    NR == FNR { keep[$1] = 1; next }
    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i
               if (!c) { print "no column " col > "/dev/stderr"; exit 1 }
               print; next }
    ($c in keep) { print }' "$codes" "$src/$1" > "$out/$2"
}
filter_csv population_mid2020_lsoa11_syoa.csv population_mid2020_lsoa11.csv lsoa11_code
filter_csv imd_2019_lsoa11.csv imd_2019_lsoa11.csv lsoa11_code

# Summary: features per layer and the folder size.
for f in "$out"/*.gpkg; do
  n="$(ogrinfo -so "$f" "$(basename "$f" .gpkg)" | awk -F': ' '/Feature Count/ {print $2}')"
  printf '%-24s %6s features\n' "$(basename "$f")" "$n"
done
for f in "$out"/*.csv; do
  printf '%-36s %6s rows\n' "$(basename "$f")" "$(( $(wc -l < "$f") - 1 ))"
done
du -ch "$out"/*.gpkg "$out"/*.csv | tail -1
