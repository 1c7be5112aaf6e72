#!/usr/bin/python3
"""Compare intersection tables (CSV with a_code,b_code,area_m2 columns).

    /usr/bin/python3 bench/compare_tables.py REF.csv OTHER.csv [OTHER.csv ...]

For each OTHER against REF prints one line: rows in each, pairs found in only one of
them (with the largest area among those), and the largest absolute and relative area
difference over the common pairs. Exit status 0 when every table has the same pairs
as REF, 1 otherwise (areas never change the status: they are reported).
"""

import csv
import sys


def load(path):
    with open(path, newline="") as f:
        return {(r["a_code"], r["b_code"]): float(r["area_m2"]) for r in csv.DictReader(f)}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ref_path = sys.argv[1]
    ref = load(ref_path)
    same = True
    for path in sys.argv[2:]:
        other = load(path)
        only_ref = set(ref) - set(other)
        only_other = set(other) - set(ref)
        common = set(ref) & set(other)
        max_abs = max((abs(ref[k] - other[k]) for k in common), default=0.0)
        max_rel = max((abs(ref[k] - other[k]) / ref[k] for k in common if ref[k] > 0), default=0.0)
        big_ref = max((ref[k] for k in only_ref), default=0.0)
        big_other = max((other[k] for k in only_other), default=0.0)
        print(f"{path}: {len(other)} rows vs {len(ref)} in {ref_path}; "
              f"only in ref {len(only_ref)} (largest {big_ref:.3g} m2), "
              f"only here {len(only_other)} (largest {big_other:.3g} m2); "
              f"common {len(common)}: max |diff| {max_abs:.3g} m2, max rel {max_rel:.3g}")
        same = same and not only_ref and not only_other
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
