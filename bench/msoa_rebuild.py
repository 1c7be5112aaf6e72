#!/usr/bin/python3
"""Compares footprints built from LSOA 2011 blocks with the real MSOA 2011
membership: the adjusted Rand index per LAD, weighted by LSOA count.

    msoa_rebuild.py FOOTPRINTS.gpkg DATA_DIR
    msoa_rebuild.py --placedef PATH --data DATA_DIR [--seeds N] [--config NAME ...]

FOOTPRINTS.gpkg is written by `placedef footprints ... --within lad_2021_bgc.gpkg`
(its `membership` table names each block's footprint and LAD). An LSOA's MSOA
is its name without the final letter ("Guildford 001A" is in "Guildford 001").
The first form prints the weighted ARI and the per-LAD figures.

The second form rebuilds Surrey's MSOAs with each configuration of CONFIGS (or
those named), seeds 1 to N (default 3), and prints a markdown table: the
footprints, the population range and the ARI of seed 1, then the ARI's range
and mean over the seeds. "k" in a configuration stands for ONS's target count,
the total population over the mean MSOA size of 7,200 (167 in Surrey).
Standard library only.
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from math import comb

MEAN_MSOA = 7200  # ONS: MSOAs of 5,000 to 15,000 people, 7,200 on average

# name -> placedef footprints options; {k} is ONS's target count.
POSITION = ["--attr", "position"]
CONFIGS = {
    "maxp, position": ["--method", "maxp", "--min-pop", "5000"] + POSITION,
    "redcap, position, --refine": ["--method", "redcap", "--min-pop", "5000", "--refine"] + POSITION,
    "azp, position, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000"] + POSITION,
    "azp, position, density*0.1, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000",
                                      "--attr", "density*0.1"] + POSITION,
    "maxp, position, boundary*0.1": ["--method", "maxp", "--min-pop", "5000", "--max-pop", "15000",
                                     "--attr", "boundary*0.1"] + POSITION,
    "redcap, position, boundary*0.1, --refine": ["--method", "redcap", "--min-pop", "5000", "--max-pop", "15000",
                                                 "--refine", "--attr", "boundary*0.1"] + POSITION,
    "azp, position, boundary*0.03, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000",
                                        "--attr", "boundary*0.03"] + POSITION,
    "azp, position, boundary*0.1, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000",
                                       "--attr", "boundary*0.1"] + POSITION,
    "azp, position, boundary*0.3, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000",
                                       "--attr", "boundary*0.3"] + POSITION,
    "azp, position, boundary*1, k": ["--method", "azp", "--k", "{k}", "--min-pop", "5000", "--max-pop", "15000",
                                     "--attr", "boundary*1"] + POSITION,
}


def adjusted_rand(left, right):
    """Hubert and Arabie's adjusted Rand index of two labellings."""
    n = len(left)
    pairs = sum(comb(c, 2) for c in Counter(zip(left, right)).values())
    rows = sum(comb(c, 2) for c in Counter(left).values())
    cols = sum(comb(c, 2) for c in Counter(right).values())
    expected = rows * cols / comb(n, 2) if n > 1 else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


def agreement(footprints, data):
    """(weighted ARI, footprints, per-LAD lines) of a footprints GeoPackage."""
    membership = sqlite3.connect(footprints).execute("select block_code, footprint, parent from membership").fetchall()
    names = dict(sqlite3.connect(f"{data}/lsoa_2011_bgc.gpkg").execute("select LSOA11CD, LSOA11NM from lsoa_2011_bgc").fetchall())
    by_lad = defaultdict(lambda: ([], []))
    for block, footprint, lad in membership:
        by_lad[lad][0].append(footprint)
        by_lad[lad][1].append(names[block][:-1])
    total = sum(len(a) for a, _ in by_lad.values())
    weighted = 0.0
    lines = []
    for lad, (ours, msoa) in sorted(by_lad.items()):
        ari = adjusted_rand(ours, msoa)
        weighted += ari * len(ours) / total
        lines.append(f"{lad}: {len(ours)} LSOAs, {len(set(ours))} footprints, {len(set(msoa))} MSOAs, ARI {ari:.3f}")
    lines.append(f"weighted ARI {weighted:.3f} over {total} LSOAs, {len({m[1] for m in membership})} footprints")
    return weighted, len({m[1] for m in membership}), lines


def footprints_command(placedef, data, options, output):
    return [placedef, "footprints", f"{data}/lsoa_2011_bgc.gpkg@LSOA11CD",
            "--clip", f"{data}/county_2021_bgc.gpkg@CTY21CD", "--clip-codes", "E10000030",
            "--pop-table", f"{data}/population_mid2020_lsoa11_syoa.csv", "--pop-column", "total_population",
            "--within", f"{data}/lad_2021_bgc.gpkg@LAD21CD"] + options + ["-o", output]


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        print(f"error: {' '.join(command)} exited with {result.returncode}:\n{result.stdout}", file=sys.stderr)
        sys.exit(2)


def populations(footprints):
    return [row[0] for row in sqlite3.connect(footprints).execute("select population from footprints")]


def table(placedef, data, names, seeds):
    with tempfile.TemporaryDirectory() as folder:
        probe = os.path.join(folder, "probe.gpkg")
        run(footprints_command(placedef, data, CONFIGS["redcap, position, --refine"], probe))
        k = round(sum(populations(probe)) / MEAN_MSOA)
        print(f"k = total population / {MEAN_MSOA} = {k}")
        print("| configuration (within LAD 2021, floor 5,000) | footprints | population | ARI, seed 1 "
              f"| ARI, seeds 1–{seeds} (mean) |")
        print("|---|---:|---|---:|---|")
        for name in names:
            aris = []
            for seed in range(1, seeds + 1):
                output = os.path.join(folder, f"run{seed}.gpkg")
                options = [o.replace("{k}", str(k)) for o in CONFIGS[name]] + ["--seed", str(seed)]
                run(footprints_command(placedef, data, options, output))
                ari, count, _ = agreement(output, data)
                aris.append(ari)
                if seed == 1:
                    people = populations(output)
                    first = (count, f"{min(people):,.0f} – {max(people):,.0f}")
            shown = name + (", ceiling 15,000" if "--max-pop" in CONFIGS[name] else "")
            print(f"| {shown} | {first[0]} | {first[1]} | {aris[0]:.3f} | {min(aris):.3f} – {max(aris):.3f} "
                  f"({sum(aris) / len(aris):.3f}) |")


def main():
    if len(sys.argv) == 3 and not sys.argv[1].startswith("-"):
        for line in agreement(sys.argv[1], sys.argv[2])[2]:
            print(line)
        return
    parser = argparse.ArgumentParser(description="Rebuild Surrey's MSOAs with each configuration and compare.")
    parser.add_argument("--placedef", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--config", action="append", choices=list(CONFIGS), help="default: every configuration")
    args = parser.parse_args()
    table(args.placedef, args.data, args.config or list(CONFIGS), args.seeds)


if __name__ == "__main__":
    main()
