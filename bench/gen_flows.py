#!/usr/bin/python3
"""Synthetic commuting flows over a polygon layer, for bench/flows_bench.sh.

Each unit houses a log-normal number of workers; a few units are job centres
(log-normal attraction, heavy-tailed). A worker of unit o works in unit d with
probability proportional to attraction(d) * (exp(-distance / scale) + tail *
(scale / (distance + scale))^2), over the `--destinations` nearest units: most
people work near home, and a long tail of a few people each reaches far, as
in a census table; the expected counts are rounded up or down at random, in
proportion. England's MSOA table has about 2.4 million flows between 6,800
units, and England about 150 travel-to-work areas: 7,000 units with the
defaults give a table of that size whose areas number about that.

    gen_flows.py CELLS.gpkg FLOWS.csv [--destinations 1400] [--scale 4500] [--tail 0.38] [--home 20] [--seed 1]
"""
import argparse
import csv

import numpy as np
from osgeo import ogr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cells")
    parser.add_argument("flows")
    parser.add_argument("--destinations", type=int, default=1400)
    parser.add_argument("--scale", type=float, default=4500.0, help="metres of distance decay")
    parser.add_argument("--tail", type=float, default=0.38, help="weight of the long tail of far journeys")
    parser.add_argument("--home", type=float, default=20.0, help="weight of a unit's own jobs over its attraction")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    source = ogr.Open(args.cells)
    layer = source.GetLayer(0)
    codes, xs, ys = [], [], []
    for feature in layer:
        centre = feature.GetGeometryRef().PointOnSurface()
        codes.append(str(feature.GetField(0)))
        xs.append(centre.GetX())
        ys.append(centre.GetY())
    xy = np.column_stack([xs, ys])
    n = len(codes)
    random = np.random.default_rng(args.seed)
    workers = np.round(random.lognormal(np.log(3500), 0.4, n))
    attraction = random.lognormal(0.0, 1.5, n)
    k = min(args.destinations, n)
    rows = 0
    with open(args.flows, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["residence", "workplace", "workers"])
        for origin in range(n):
            distance = np.hypot(xy[:, 0] - xy[origin, 0], xy[:, 1] - xy[origin, 1])
            nearest = np.argpartition(distance, k - 1)[:k]
            near = distance[nearest]
            weight = attraction[nearest] * (np.exp(-near / args.scale) + args.tail * (args.scale / (near + args.scale)) ** 2)
            weight[nearest == origin] *= args.home  # many work where they live
            expected = workers[origin] * weight / weight.sum()
            counts = np.floor(expected + random.random(k))  # rounded at random, so small flows are not all lost
            for d, count in zip(nearest, counts):
                if count > 0:
                    writer.writerow([codes[origin], codes[d], int(count)])
                    rows += 1
    print(f"gen_flows: {n} units, {rows} flows, {int(workers.sum())} workers")


if __name__ == "__main__":
    main()
