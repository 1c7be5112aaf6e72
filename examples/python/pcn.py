"""PCN footprints in Python, next to GeoPandas: Voronoi footprints of the GP
practices of Guildford and Waverley, with population, as a GeoDataFrame.

    python3 examples/python/pcn.py [SHAPEFILES_DIR [OUTPUT.gpkg]]
"""
import pathlib
import sys

import geopandas

import placedef

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2] / "shapefiles")
output = sys.argv[2] if len(sys.argv) > 2 else "pcn_footprints.gpkg"

practices = placedef.Layer.open(f"{root}/gp_practices.gpkg@PRACTICE_CODE", points=True)
districts = placedef.Layer.open(f"{root}/lad_2021.gpkg")
people = placedef.Population(f"{root}/lsoa_2011.gpkg", table=f"{root}/population_mid2020_lsoa11.csv",
                             column="total_population", key="lsoa11_code")

result = placedef.pcn(practices, districts, method="blocks", blocks=f"{root}/lsoa_2021.gpkg", population=people)

footprints: geopandas.GeoDataFrame = result.to_geodataframe()  # as placedef pcn -o pcn.gpkg writes it
footprints["km2"] = footprints.geometry.area / 1e6
print(footprints[["pcn_code", "pcn_name", "practices", "km2", "population"]].to_string(index=False))
print(f"{len(footprints)} footprints; they agree with the Voronoi partition on "
      f"{100 * result['summary']['voronoi_agreement']:.1f} % of the two districts")

# Footprints are layers like any other: how well do they follow the county divisions?
again = placedef.Layer.from_geodataframe(footprints, code="pcn_code", name="pcn_footprints")
report = placedef.align(again, f"{root}/ced_2025.gpkg", alignment=False)
print(f"PCN footprints in county divisions: co-terminosity index {report['a_in_b']['coterminosity_index']:.3f}")
footprints.to_file(output, layer="pcn_footprints", driver="GPKG")
print(f"-> {output}")
