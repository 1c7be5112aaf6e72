#!/usr/bin/env bash
# The sample study's report opened in headless Chromium, as a reader would:
# the page loads with its title, the co-terminosity matrix and every map
# drawn, fetches nothing from outside the page, and its screenshot shows the
# maps' colours. Prints "SKIPPED: ..." when Chromium is not installed.
#   check_report.sh PLACEDEF OUTDIR
set -euo pipefail
placedef=$1
out=$2
root=$(cd "$(dirname "$0")/../../.." && pwd)

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null; then browser=$(command -v "$candidate"); break; fi
done
if [[ -z $browser ]]; then
  echo "SKIPPED: Chromium is not installed (Debian package chromium); the report was not opened in a browser"
  exit 0
fi

fail() { echo "FAILED: $*" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
"$placedef" -q study "$root/examples/surrey/study.toml" -o "$out/study"
report="$out/study/report.html"
maps=$(find "$out/study" -maxdepth 1 -name 'map_*.png' | wc -l)
((maps > 0)) || fail "the study wrote no map"

# A fresh profile, so that nothing of the user's is read and nothing is left behind.
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run --hide-scrollbars
       "--user-data-dir=$out/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$out/dom.html" 2>"$out/chromium.log" ||
  fail "chromium could not load the report (log: $out/chromium.log)"
timeout 120 "$browser" "${flags[@]}" --window-size=1280,2400 --screenshot="$out/screenshot.png" "file://$report" \
  >>"$out/chromium.log" 2>&1 || fail "chromium could not take the screenshot (log: $out/chromium.log)"

# The page as the browser built it.
grep -q '<title>Guildford and Waverley' "$out/dom.html" || fail "no title in the loaded page"
# The static maps are the SVGs in figures (Leaflet draws its own SVG for the interactive map).
svgs=$(grep -o '<figure id="map-[^"]*">' "$out/dom.html" | wc -l)
((svgs == maps)) || fail "the loaded page holds $svgs SVG maps, the study wrote $maps"
grep -q 'class="leaflet-container' "$out/dom.html" || fail "the interactive map was not drawn"
paths=$(grep -o '<path' "$out/dom.html" | wc -l)
((paths >= 200)) || fail "the maps in the page hold only $paths paths"
grep -q '<table class="matrix">' "$out/dom.html" || fail "no co-terminosity matrix in the page"
# (url(#id) is a reference inside the page, as SVG clip paths are; url(data:...) is inlined.)
for external in '<script src' '<link' 'src="http' 'url\((https?:|//|[a-z]+/)' '@import'; do
  if grep -qE -- "$external" "$report"; then fail "the report is not self-contained: it holds '$external'"; fi
done

# The screenshot: the size asked for, not blank, and with the maps' fill
# colours, which nothing else on the page uses (the page is white, grey,
# black and blue; the categorical palette has yellows, greens and pinks).
/usr/bin/python3 - "$out/screenshot.png" <<'PY'
import struct, sys, zlib

def decode(path):
    """Rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("FAILED: the screenshot is not a PNG")
    at, idat = 8, b""
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit("FAILED: unexpected PNG layout (depth %d, colour type %d)" % (depth, colour))
    step = 3 if colour == 2 else 4
    raw, stride, rows, prior = zlib.decompress(idat), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b = prior[i]
            c = prior[i - step] if i >= step else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prior = line
    return width, height, step, rows

width, height, step, rows = decode(sys.argv[1])
if (width, height) != (1280, 2400):
    sys.exit("FAILED: the screenshot is %dx%d, not 1280x2400" % (width, height))
pixels = width * height
white = warm = 0
for line in rows:
    for i in range(0, len(line), step):
        r, g, b = line[i], line[i + 1], line[i + 2]
        white += r > 245 and g > 245 and b > 245
        warm += r > b + 40 and g > b + 20
if white > 0.98 * pixels:
    sys.exit("FAILED: the screenshot is blank (%.1f %% white)" % (100.0 * white / pixels))
if warm < 0.02 * pixels:
    sys.exit("FAILED: the screenshot shows no map colours (%.2f %% warm pixels)" % (100.0 * warm / pixels))
print("screenshot %dx%d: %.1f %% white, %.1f %% map colours" % (width, height, 100.0 * white / pixels, 100.0 * warm / pixels))
PY
echo "report opened in $("$browser" --version 2>/dev/null | head -1): title, matrix and $svgs maps ($paths paths) loaded"
