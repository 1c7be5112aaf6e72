"""The Surrey sample study (examples/surrey/study.toml, the README's run) in GeoPandas
terms: Guildford and Waverley's boundaries read as GeoDataFrames, then every step of
the study through placedef: the co-terminosity matrix, the wards in the divisions,
PCN footprints, town footprints by seeded growth and by SKATER, deprivation by
footprint, and the two footprint runs compared. Cells are marked `# %%` (they run
as they are in Jupyter or VS Code); run as a script from anywhere:

    python3 examples/python/surrey.py [SHAPEFILES_DIR [OUTPUT_DIR]]
"""
# %% The boundaries, as GeoPandas reads them (each in its own CRS)
import pathlib
import sys

import geopandas
import pandas

import placedef

here = pathlib.Path(__file__).resolve().parents[2]
data = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else here / "shapefiles"
out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else pathlib.Path("out/surrey_python")
out.mkdir(parents=True, exist_ok=True)

districts = geopandas.read_file(data / "lad_2021.gpkg")
divisions = geopandas.read_file(data / "ced_2025.gpkg")
wards = geopandas.read_file(data / "ward_2025.gpkg")[["WD25CD", "WD25NM", "geometry"]]
lsoa = geopandas.read_file(data / "lsoa_2011.gpkg")
print(f"{len(districts)} districts, {len(divisions)} divisions, {len(wards)} wards, {len(lsoa)} LSOAs")

# %% People and deprivation, joined on the LSOAs by placedef (the key column is named)
people = placedef.Population(lsoa, table=data / "population_mid2020_lsoa11.csv", column="total_population",
                             key="lsoa11_code")
imd = pandas.read_csv(data / "imd_2019_lsoa11.csv").set_index("lsoa11_code")
blocks = placedef.Layer.from_geodataframe(lsoa, name="lsoa_2011")
imd_rank = imd.loc[blocks.codes, "IMD_rank"].astype(float).tolist()
print(f"{people.values.sum():,.0f} people in {len(blocks)} LSOAs")

# %% How the boundaries fit each other: the study's matrix, population-weighted
matrix = placedef.matrix([placedef.Layer.from_geodataframe(districts, name="lad_2021"),
                          placedef.Layer.from_geodataframe(divisions, name="ced_2025"),
                          placedef.Layer.from_geodataframe(wards, name="ward_2025")], population=people)
scores: pandas.DataFrame = matrix.to_pandas()
print(scores[["layer", "other_layer", "coterminosity_index", "coterminosity_index_pop"]].round(3).to_string(index=False))

# %% Wards in divisions: each ward's relation, and the split ones on a map
report = placedef.align(placedef.Layer.from_geodataframe(wards, name="ward_2025"),
                        placedef.Layer.from_geodataframe(divisions, name="ced_2025"), population=people)
relations = report.to_pandas().query("layer == 'ward_2025'")
split_wards = wards.merge(relations[relations.relation == "split"], left_on="WD25CD", right_on="code")
print(relations.relation.value_counts().to_string())

# %% PCN footprints: Voronoi cells of the GP practices, clipped to the two districts
pcn = placedef.pcn(data / "gp_practices.gpkg@PRACTICE_CODE", districts, method="voronoi", population=people)
pcn_footprints: geopandas.GeoDataFrame = pcn.to_geodataframe()
print(pcn_footprints[["pcn_code", "pcn_name", "practices", "population"]].to_string(index=False))
print(f"problems: {pcn.problems.kind.value_counts().to_dict()}")

# %% Town footprints by seeded growth from the towns in the two districts (at most one rural footprint)
surrey_towns = pandas.read_csv(here / "examples" / "surrey_towns.csv")
town_points = geopandas.GeoDataFrame(surrey_towns, crs="EPSG:4326",
                                     geometry=geopandas.points_from_xy(surrey_towns.lon, surrey_towns.lat))
# the study leaves out the towns outside the blocks (outside = "skip"): here GeoPandas does
town_points = town_points[town_points.to_crs(lsoa.crs).within(lsoa.unary_union)]
print(f"{len(town_points)} of Surrey's {len(surrey_towns)} towns lie in the two districts")
towns = placedef.footprints(blocks, method="seeded", places=placedef.Layer.from_geodataframe(town_points, code="name"),
                            population=people, rural_distance=5000, rural=1, balance=0.5)
town_footprints: geopandas.GeoDataFrame = towns.to_geodataframe()
print(towns.to_pandas()[["footprint", "name", "blocks", "population"]].to_string(index=False))

# %% Footprints by SKATER: eight groups of LSOAs alike in deprivation
skater = placedef.footprints(blocks, method="skater", k=8, population=people, attributes={"IMD_rank": imd_rank}, min_pop=20000,
                             seed=1)
membership: geopandas.GeoDataFrame = skater.to_geodataframe("membership")
assert membership.block_code.is_unique and len(membership) == len(lsoa), "every LSOA in exactly one footprint"
assert abs(skater.to_pandas().population.sum() - people.values.sum()) < 1, "every person in one footprint"

# Footprints back into placedef: a GeoDataFrame whose code column does not end in CD names it
towns_layer = placedef.Layer.from_geodataframe(town_footprints, code="footprint", name="towns")
skater_layer = placedef.Layer.from_geodataframe(skater.to_geodataframe(), code="footprint", name="skater")
pcn_layer = placedef.Layer.from_geodataframe(pcn_footprints, code="pcn_code", name="pcn")

# %% Deprivation by footprint: people in the most deprived fifth of England (IMD deciles 1-2)
deprived = placedef.deprivation(skater_layer, blocks, population=people, ranks=imd_rank,
                                deciles=imd.loc[blocks.codes, "IMD_decile"].astype(float).tolist())
by_footprint = pandas.DataFrame(deprived["footprints"])
print(by_footprint[["code", "people", "share_deciles_1_2", "most_deprived_name"]].round(3).to_string(index=False))

# %% The two runs side by side against the divisions, the wards and the PCN footprints
compared = placedef.compare(blocks, [("seeded growth", towns_layer), ("SKATER", skater_layer)],
                            [placedef.Layer.from_geodataframe(divisions, name="ced_2025"),
                             placedef.Layer.from_geodataframe(wards, name="ward_2025"), pcn_layer], population=people)
scorecard: pandas.DataFrame = compared.to_pandas()
print(scorecard[["proposal", "partner", "partner_units_split", "units_in_places"]].round(3).to_string(index=False))

# %% Everything into one GeoPackage, for QGIS
town_footprints.to_file(out / "surrey.gpkg", layer="towns", driver="GPKG")
membership.to_file(out / "surrey.gpkg", layer="skater_membership", driver="GPKG")
pcn_footprints.to_file(out / "surrey.gpkg", layer="pcn_footprints", driver="GPKG")
split_wards.to_file(out / "surrey.gpkg", layer="split_wards", driver="GPKG")
print(f"-> {out / 'surrey.gpkg'}")
