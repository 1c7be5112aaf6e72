"""Ctrl-C and SIGTERM on the command line: placedef stops promptly
(exit code 128 + the signal), says so, leaves the outputs it would have
replaced byte for byte as they were and no temporary file beside them; a
second Ctrl-C ends the process at once.

Usage: check_interrupt.py PLACEDEF WORK_DIR   (run by ctest: integration.interrupt)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

# From the signal to the end: 0.05-0.1 s measured; room for a loaded machine. A sanitizer
# build runs several times slower, and scripts/test_sanitizers.sh says by how much.
SECOND_LIMIT = 2.0 * float(os.environ.get("PDEF_TIME_SCALE", "1"))


def write_grid(path, n, offset, prefix):
    """An n-by-n grid of 100 m squares in EPSG:27700, shifted by `offset` metres."""
    features = []
    for i in range(n * n):
        x = 500000 + offset + 100.0 * (i % n)
        y = 150000 + offset + 100.0 * (i // n)
        ring = [[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]
        features.append({"type": "Feature", "properties": {"CODE": f"{prefix}{i}"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    with open(path, "w") as out:
        json.dump({"type": "FeatureCollection",
                   "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                   "features": features}, out)


def folder_state(folder):
    return {name: open(os.path.join(folder, name), "rb").read() for name in sorted(os.listdir(folder))}


def run_and_signal(placedef, work, args, signals, delay):
    """Runs placedef, sends `signals` (one after another, 50 ms apart) after
    `delay` seconds; returns (exit code, seconds from the first signal to the
    end, standard error), or None when the run ended before the signal."""
    process = subprocess.Popen([placedef, *args], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(delay)
    if process.poll() is not None:
        return None
    sent = time.monotonic()
    for number in signals:
        process.send_signal(number)
        time.sleep(0.05)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, time.monotonic() - sent, stderr


def main():
    placedef, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    inputs = os.path.join(work, "in")
    outputs = os.path.join(work, "out")
    os.makedirs(inputs)
    os.makedirs(outputs)
    # About 4 s of overlay with pieces on one core, most of it reading and computing.
    write_grid(os.path.join(inputs, "a.geojson"), 150, 0, "a")
    write_grid(os.path.join(inputs, "b.geojson"), 150, 30, "b")
    with open(os.path.join(outputs, "t.csv"), "w") as previous:
        previous.write("a previous good result\n")
    before = folder_state(outputs)
    args = ["--threads", "1", "overlay", "in/a.geojson@CODE", "in/b.geojson@CODE", "-o", "out/t.csv", "-o",
            "out/t.gpkg"]
    failures = []

    for number, name, code in ((signal.SIGINT, "Ctrl-C", 130), (signal.SIGTERM, "SIGTERM", 143)):
        result = run_and_signal(placedef, work, args, [number], 0.5)
        if result is None:
            failures.append(f"{name}: the run ended before the signal; make the grids larger")
            continue
        returncode, seconds, stderr = result
        if returncode != code:
            failures.append(f"{name}: exit code {returncode}, expected {code}; stderr: {stderr}")
        if seconds > SECOND_LIMIT:
            failures.append(f"{name}: {seconds:.2f} s from the signal to the end (limit {SECOND_LIMIT} s)")
        if f"error: stopped by {name}" not in stderr:
            failures.append(f"{name}: no 'error: stopped by {name}' in: {stderr}")
        if folder_state(outputs) != before:
            failures.append(f"{name}: the output folder changed: {sorted(os.listdir(outputs))}")
        print(f"{name}: exit {returncode} {seconds:.2f} s after the signal")

    # The second Ctrl-C is not waited on: the default action ends the process.
    result = run_and_signal(placedef, work, args, [signal.SIGINT, signal.SIGINT], 0.5)
    if result is not None:
        returncode, seconds, stderr = result
        if returncode not in (-signal.SIGINT, 130):
            failures.append(f"twice Ctrl-C: exit code {returncode}; stderr: {stderr}")
        leftovers = [name for name in os.listdir(outputs) if name not in before]
        # A kill may leave a hidden temporary file (as SIGKILL may); never a changed target.
        if open(os.path.join(outputs, "t.csv"), "rb").read() != before["t.csv"]:
            failures.append("twice Ctrl-C: the previous t.csv changed")
        print(f"twice Ctrl-C: exit {returncode} {seconds:.2f} s after the first signal; new files {leftovers}")

    for failure in failures:
        print("FAILED:", failure)
    if not failures:
        print("interrupt: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
