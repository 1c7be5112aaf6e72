#!/usr/bin/env bash
# Installs the Debian packages placedef builds and tests with. Idempotent:
# apt runs only when something is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libgdal-dev libgeos-dev libproj-dev libboost-dev
  catch2 libcli11-dev nlohmann-json3-dev
  gdal-bin      # ogr2ogr: the tests make an EPSG:4326 twin of a sample layer with it
  python3-qgis qgis-providers  # tests open our GeoPackages in QGIS (PyQGIS, headless)
  qgis xvfb xauth              # the QGIS plugin: QGIS itself; the screenshots of its dialogs (headless X)
  python3-geopandas python3-shapely python3-rtree  # bench/surrey_problem.py (spatial index); GeoDataFrame round trips in the Python tests
  pybind11-dev python3-dev python3-pytest python3-numpy  # the Python bindings and their tests
  mypy python3-fiona           # the stubs and examples type-check (test python.mypy); to_geodataframe() reads GeoPackages
  valgrind                     # the C API tests also run under memcheck
  libcairo2-dev                # maps (PNG through Cairo)
  libtomlplusplus-dev          # the study config (TOML)
  chromium                     # the study report is opened in a headless browser
  chromium-driver python3-selenium  # ... and driven through Selenium (clicks, console, print layout)
  libjs-leaflet                # the report's interactive map, inlined so the page stays one file
  postgresql-15-postgis-3      # the PostGIS integration test
  clang libclang-rt-14-dev     # the libFuzzer harnesses (fuzz/run_all.sh; not part of the test run)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "dependencies: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: installing ${missing[*]} needs root or sudo" >&2; exit 1; }
  sudo="sudo"
fi
echo "dependencies: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
