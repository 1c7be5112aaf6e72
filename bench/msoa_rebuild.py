#!/usr/bin/python3
"""Compares footprints built from LSOA 2011 blocks with the real MSOA 2011
membership: the adjusted Rand index per LAD, weighted by LSOA count.

    msoa_rebuild.py FOOTPRINTS.gpkg DATA_DIR

FOOTPRINTS.gpkg is written by `placedef footprints ... --within lad_2021_bgc.gpkg`
(its `membership` table names each block's footprint and LAD). An LSOA's MSOA
is its name without the final letter ("Guildford 001A" is in "Guildford 001").
Prints the weighted ARI and the per-LAD figures.
"""
import sqlite3
import sys
from collections import Counter, defaultdict
from math import comb

footprints, data = sys.argv[1], sys.argv[2]
membership = sqlite3.connect(footprints).execute("select block_code, footprint, parent from membership").fetchall()
names = dict(sqlite3.connect(f"{data}/lsoa_2011_bgc.gpkg").execute("select LSOA11CD, LSOA11NM from lsoa_2011_bgc").fetchall())


def adjusted_rand(left, right):
    """Hubert and Arabie's adjusted Rand index of two labellings."""
    n = len(left)
    pairs = sum(comb(c, 2) for c in Counter(zip(left, right)).values())
    rows = sum(comb(c, 2) for c in Counter(left).values())
    cols = sum(comb(c, 2) for c in Counter(right).values())
    expected = rows * cols / comb(n, 2) if n > 1 else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else (pairs - expected) / (top - expected)


by_lad = defaultdict(lambda: ([], []))
for block, footprint, lad in membership:
    by_lad[lad][0].append(footprint)
    by_lad[lad][1].append(names[block][:-1])
total = sum(len(a) for a, _ in by_lad.values())
weighted = 0.0
for lad, (ours, msoa) in sorted(by_lad.items()):
    ari = adjusted_rand(ours, msoa)
    weighted += ari * len(ours) / total
    print(f"{lad}: {len(ours)} LSOAs, {len(set(ours))} footprints, {len(set(msoa))} MSOAs, ARI {ari:.3f}")
print(f"weighted ARI {weighted:.3f} over {total} LSOAs, {len({f for f, _, _ in [(m[1], 0, 0) for m in membership]})} footprints")
