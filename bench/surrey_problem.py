#!/usr/bin/python3
"""Writes the issue's "Surrey benchmark" clustering problem as a plain text file.

LSOA 2011 polygons whose point on surface lies in Surrey (E10000030), queen
contiguity (boundaries within SNAP metres, by GeoPandas, independently of
placedef's own graph), 9 attributes z-scored with the population standard
deviation: IMD_rank, the 7 domain ranks, and log(mid-2020 population per km2).

    surrey_problem.py DATA_DIR OUT.txt [SNAP]

Format: "n d", then n lines "code population x_1 .. x_d", then "m", then m
lines "i j" (0-based, i < j). Read by bench/problem_file.hpp.
"""
import sys

import geopandas as gpd
import numpy as np
import pandas as pd

data, out = sys.argv[1], sys.argv[2]
snap = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
lsoa = gpd.read_file(f"{data}/lsoa_2011_bgc.gpkg")
county = gpd.read_file(f"{data}/county_2021_bgc.gpkg")
surrey = county[county.CTY21CD == "E10000030"].geometry.iloc[0]
lsoa = lsoa[lsoa.geometry.representative_point().within(surrey)].sort_values("LSOA11CD").reset_index(drop=True)
imd = pd.read_csv(f"{data}/imd_2019_lsoa11.csv").set_index("lsoa11_code")
pop = pd.read_csv(f"{data}/population_mid2020_lsoa11_syoa.csv").set_index("lsoa11_code")["total_population"]
ranks = ["IMD_rank", "Income_rank", "Employment_rank", "Education_rank", "Health_rank", "Crime_rank",
         "Housing_and_Access_rank", "Environment_rank"]
x = imd.loc[lsoa.LSOA11CD, ranks].to_numpy(dtype=float)
people = pop.loc[lsoa.LSOA11CD].to_numpy(dtype=float)
density = np.log(people / (lsoa.geometry.area.to_numpy() / 1e6))
x = np.column_stack([x, density])
x = (x - x.mean(axis=0)) / x.std(axis=0)  # population standard deviation (ddof 0)

buffered = gpd.GeoDataFrame(geometry=lsoa.geometry.buffer(snap / 2), crs=lsoa.crs)
pairs = gpd.sjoin(buffered, buffered, predicate="intersects")
edges = sorted({(min(i, j), max(i, j)) for i, j in zip(pairs.index, pairs.index_right) if i != j})
with open(out, "w") as f:
    f.write(f"{len(lsoa)} {x.shape[1]}\n")
    for code, p, row in zip(lsoa.LSOA11CD, people, x):
        f.write(code + " " + repr(float(p)) + " " + " ".join(repr(float(v)) for v in row) + "\n")
    f.write(f"{len(edges)}\n")
    for i, j in edges:
        f.write(f"{i} {j}\n")
print(f"{len(lsoa)} blocks, population {people.sum():.0f}, {len(edges)} queen edges (snap {snap} m) -> {out}",
      file=sys.stderr)
