"""Run by install.cmake with the interpreter the package was built for, without
PYTHONPATH: checks that the interpreter looks in the prefix's site folder, then
imports the package from its staged copy (DESTDIR) and runs a job.

    python3 installed.py STAGED_SITE SITE SOURCE_DIR
"""
import sys

staged, site, source = sys.argv[1:4]
if site not in sys.path:
    sys.exit(f"{sys.executable} does not look in {site}; its path is {sys.path}")
sys.path.insert(0, staged)
import placedef  # noqa: E402  (from the staged copy, put first just above)

package = f"{staged}/placedef/"
if not placedef.__file__.startswith(package):
    sys.exit(f"imported {placedef.__file__}, not the installed package in {package}")
# the C library beside the compiled module, found through its RPATH ($ORIGIN), not in the build tree
libraries = [line.split()[-1] for line in open("/proc/self/maps") if "libplacedef_c" in line]
if not libraries or not all(path.startswith(package) for path in libraries):
    sys.exit(f"libplacedef_c loaded from {sorted(set(libraries))}, not from {package}")
rows = len(placedef.overlay(f"{source}/shapefiles/ward_2025.gpkg@WD25CD", f"{source}/shapefiles/ced_2025.gpkg").to_pandas())
print(f"installed package: {placedef.version()} {rows} rows")
