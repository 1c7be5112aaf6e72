"""Town footprints in Python, next to GeoPandas: the 166 LSOAs (2011) of
Guildford and Waverley grouped into eight contiguous footprints of similar
deprivation, each with at least 20,000 people, then scored against the wards.

    python3 examples/python/footprints.py [SHAPEFILES_DIR [OUTPUT.gpkg]]
"""
import csv
import pathlib
import sys

import geopandas

import placedef

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2] / "shapefiles")
output = sys.argv[2] if len(sys.argv) > 2 else "town_footprints.gpkg"

blocks = placedef.Layer.open(f"{root}/lsoa_2011.gpkg")
people = placedef.Population(blocks, table=f"{root}/population_mid2020_lsoa11.csv",
                             column="total_population", key="lsoa11_code")
with open(root / "imd_2019_lsoa11.csv", newline="") as table:
    imd = {row["lsoa11_code"]: row for row in csv.DictReader(table)}
attributes = {"IMD_rank": [float(imd[code]["IMD_rank"]) for code in blocks.codes],
              "Income_rank": ([float(imd[code]["Income_rank"]) for code in blocks.codes], 0.5)}

result = placedef.footprints(blocks, method="skater", k=8, attributes=attributes, population=people,
                             min_pop=20000, seed=1)

footprints: geopandas.GeoDataFrame = result.to_geodataframe()  # as placedef footprints -o f.gpkg writes it
print(footprints[["footprint", "blocks", "population", "area_km2", "polsby_popper"]].round(3).to_string(index=False))
summary = result["summary"]
print(f"{summary['regions']} footprints by {summary['method']}; WSS/TSS {summary['ratio']:.3f}; "
      f"{summary['min_population']:.0f} to {summary['max_population']:.0f} people each")

# Back into placedef as a layer: how well do the footprints follow the 2025 wards?
layer = placedef.Layer.from_geodataframe(footprints, code="footprint", name="town_footprints")
report = placedef.align(layer, f"{root}/ward_2025.gpkg@WD25CD", alignment=False)
print(f"wards in the footprints: {report['b_in_a']['nesting_rate']:.0%} nested")
footprints.to_file(output, layer="town_footprints", driver="GPKG")
print(f"-> {output}")
