"""placedef.footprints(): town footprints."""
import os
import subprocess

import geopandas
import numpy
import pytest

import placedef
from conftest import DISTRICTS_KM2, TOTAL_POPULATION, sample

TOWNS = "name,longitude,latitude\nGuildford,-0.5704,51.2362\nGodalming,-0.6149,51.1857\n" \
        "Farnham,-0.7986,51.2146\nHaslemere,-0.7115,51.0899\nCranleigh,-0.4894,51.1419\n"


def test_skater_footprints(lsoa11, deprivation, population, tmp_path):
    out = tmp_path / "footprints.gpkg"
    result = placedef.footprints(lsoa11, k=8, attributes={"IMD_rank": deprivation["IMD_rank"],
                                                          "Income_rank": (deprivation["Income_rank"], 0.5)},
                                 population=population, min_pop=10000, output=str(out))
    summary, footprints, blocks = result["summary"], result["footprints"], result["blocks"]
    assert summary["regions"] == 8 and summary["blocks"] == 166 and 0 < summary["ratio"] < 1
    assert summary["min_population"] >= 10000
    assert footprints["code"] == [f"F{r:02d}" for r in range(1, 9)]
    assert footprints["blocks"].sum() == 166 and footprints["contiguous"].all()
    assert footprints["population"].sum() == pytest.approx(TOTAL_POPULATION, rel=0.005)
    shapes = geopandas.GeoSeries.from_wkb(footprints["wkb"], crs=result["crs"])
    assert numpy.allclose(shapes.area.to_numpy(), footprints["area_m2"], rtol=1e-6)
    assert shapes.area.sum() / 1e6 == pytest.approx(DISTRICTS_KM2, abs=1.0)
    assert blocks["code"] == lsoa11.codes and set(blocks["region"]) == set(range(8))
    assert [blocks["footprint"][i] for i in range(3)] == [footprints["code"][r] for r in blocks["region"][:3]]
    assert result["graph"]["components"] == 1
    assert len(geopandas.read_file(out, layer="footprints")) == 8
    # the same seed gives the same footprints, whatever the thread count
    again = placedef.footprints(lsoa11, k=8, attributes={"IMD_rank": deprivation["IMD_rank"],
                                                         "Income_rank": (deprivation["Income_rank"], 0.5)},
                                population=population, min_pop=10000, threads=1)
    assert numpy.array_equal(again["blocks"]["region"], blocks["region"])


def test_within_districts_and_seeded(lsoa11, lad, deprivation, population, tmp_path):
    within = placedef.footprints(lsoa11, k=6, attributes={"IMD_rank": deprivation["IMD_rank"]}, within=lad)
    assert within["summary"]["groups"] == 2 and set(within["blocks"]["parent"]) == {"E07000209", "E07000216"}
    towns = tmp_path / "towns.csv"
    towns.write_text(TOWNS)
    seeded = placedef.footprints(lsoa11, method="seeded", places=str(towns), population=population)
    assert sorted(seeded["footprints"]["name"]) == ["Cranleigh", "Farnham", "Godalming", "Guildford", "Haslemere"]
    assert seeded["summary"]["notes"] == []
    # Within the districts from Guildford alone: Waverley holds no town, so it is
    # a rural footprint of its own, and the notes say why.
    towns.write_text("name,longitude,latitude\nGuildford,-0.5704,51.2362\n")
    alone = placedef.footprints(lsoa11, method="seeded", places=str(towns), population=population, within=lad)
    assert alone["footprints"]["name"] == ["Guildford", "Rural 1"]
    assert len(alone["summary"]["notes"]) == 1 and "holds no town" in alone["summary"]["notes"][0]


def test_bounds_and_balance(lsoa11, deprivation, population):
    imd = {"IMD_rank": deprivation["IMD_rank"]}
    # 166 LSOAs, about 280,000 people: 8 footprints average about 35,000
    free = placedef.footprints(lsoa11, k=8, attributes=imd, population=population)
    bounded = placedef.footprints(lsoa11, k=8, attributes=imd, population=population, min_pop=30000, max_pop=40000)
    assert free["summary"]["min_population"] < 30000 or free["summary"]["max_population"] > 40000
    assert bounded["summary"]["min_population"] >= 30000 and bounded["summary"]["max_population"] <= 40000
    balanced = placedef.footprints(lsoa11, k=8, attributes=imd, population=population, balance=2)
    mean = sum(balanced["footprints"]["population"]) / 8
    assert 0.75 * mean <= balanced["summary"]["min_population"] <= balanced["summary"]["max_population"] <= 1.25 * mean
    with pytest.raises(ValueError, match="a balance needs k"):
        placedef.footprints(lsoa11, method="maxp", attributes=imd, population=population, min_pop=30000, balance=1)
    with pytest.raises(ValueError, match="need 400000 people"):
        placedef.footprints(lsoa11, k=8, attributes=imd, population=population, min_pop=50000)
    # a mean population instead of k: the people over 35,000, rounded
    total = sum(free["footprints"]["population"])
    by_mean = placedef.footprints(lsoa11, mean_pop=35000, attributes=imd, population=population)
    assert by_mean["summary"]["regions"] == round(total / 35000)
    with pytest.raises(ValueError, match="not both"):
        placedef.footprints(lsoa11, k=8, mean_pop=35000, attributes=imd, population=population)


def test_clip_to_one_district(deprivation):
    result = placedef.footprints(sample("lsoa_2011.gpkg"), k=3, clip=sample("lad_2021.gpkg"),
                                 clip_codes=["E07000209"], attributes={"position": list(range(84))})
    assert result["summary"]["blocks"] == 84


def test_bad_footprints(lsoa11, deprivation, lad):
    imd = {"IMD_rank": deprivation["IMD_rank"]}
    with pytest.raises(ValueError, match="unknown cluster method|kmeans"):
        placedef.footprints(lsoa11, method="kmeans", k=3, attributes=imd)
    with pytest.raises(ValueError, match="attribute"):
        placedef.footprints(lsoa11, k=3)
    with pytest.raises(ValueError, match="has 3 values"):
        placedef.footprints(lsoa11, k=3, attributes={"x": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="linkage"):
        placedef.footprints(lsoa11, k=3, attributes=imd, linkage="ward")
    with pytest.raises(ValueError, match="town centres"):
        placedef.footprints(lsoa11, method="seeded")
    with pytest.raises(ValueError, match="not both"):
        placedef.footprints(lsoa11, k=3, attributes=imd, nest_in=lad, within=lad)
    with pytest.raises(ValueError):
        placedef.footprints(lsoa11, k=500, attributes=imd)


def test_boundary_term(lsoa11, deprivation, population):
    # Only a search sees the boundary term: AZP takes it and cuts less shared
    # boundary than without it; SKATER refuses it unless refined.
    imd = {"IMD_rank": deprivation["IMD_rank"]}
    graph = placedef.contiguity(lsoa11)

    def cut(regions):
        return sum(length for block, (near, lengths) in enumerate(zip(graph["neighbours"], graph["shared_length"]))
                   for other, length in zip(near, lengths) if regions[block] != regions[other]) / 2

    plain = placedef.footprints(lsoa11, method="azp", k=6, attributes=imd, population=population)
    bounded = placedef.footprints(lsoa11, method="azp", k=6, attributes=imd, population=population, boundary=1.0)
    assert cut(bounded["blocks"]["region"]) < cut(plain["blocks"]["region"])
    with pytest.raises(ValueError, match="boundary term needs the AZP refinement"):
        placedef.footprints(lsoa11, k=6, attributes=imd, boundary=1.0)
    assert placedef.footprints(lsoa11, k=6, attributes=imd, boundary=1.0, refine=True)["summary"]["regions"] == 6
    with pytest.raises(ValueError, match="boundary term"):
        placedef.footprints(lsoa11, method="azp", k=6, attributes=imd, boundary=-1.0)


def test_ensemble(lsoa11, deprivation, population, tmp_path):
    out = tmp_path / "ensemble.gpkg"
    result = placedef.footprints(lsoa11, method="azp", k=6, attributes={"IMD_rank": deprivation["IMD_rank"]},
                                 population=population, ensemble=8, output=str(out))
    ensemble, blocks, edges = result["summary"]["ensemble"], result["blocks"], result["boundary_frequency"]
    assert ensemble["runs"] == 8 and 0 <= ensemble["consensus_run"] < 8 and ensemble["unstable_below"] == 0.6
    stability = blocks["stability"]
    assert len(stability) == 166 and ((stability >= 0) & (stability <= 1)).all()
    assert numpy.array_equal(blocks["unstable"], stability < 0.6)
    assert blocks["unstable"].sum() == ensemble["unstable_blocks"]
    assert len(edges["frequency"]) == result["graph"]["edges"]
    assert set(edges["block_a"]) <= set(lsoa11.codes)
    # the layers written: membership with stability, the shared boundaries as lines
    membership = geopandas.read_file(out, layer="membership")
    assert membership["stability"].tolist() == pytest.approx(stability.tolist())
    lines = geopandas.read_file(out, layer="boundary_frequency")
    assert len(lines) == len(edges["frequency"])
    assert lines["frequency"].tolist() == pytest.approx(edges["frequency"].tolist())
    # the same for any thread count
    again = placedef.footprints(lsoa11, method="azp", k=6, attributes={"IMD_rank": deprivation["IMD_rank"]},
                                population=population, ensemble=8, threads=1)
    assert numpy.array_equal(again["blocks"]["stability"], stability)
    with pytest.raises(ValueError, match="same footprints for every seed"):
        placedef.footprints(lsoa11, k=6, attributes={"IMD_rank": deprivation["IMD_rank"]}, ensemble=4)


def test_partner_layers_as_the_command_line_draws_them(lsoa11, lad, deprivation, population, tmp_path):
    """respect and align reach the engine as --respect and --align do: the same footprints."""
    result = placedef.footprints(lsoa11, k=8, attributes={"IMD_rank": deprivation["IMD_rank"]}, population=population,
                                 respect=(lad, 2.0), align=[sample("ced_2025.gpkg")])
    respect, align = result["partners"]["respect"], result["partners"]["align"]
    assert [(fit["layer"], fit["weight"]) for fit in respect] == [("lad_2021", 2.0)]
    assert [(fit["layer"], fit["weight"]) for fit in align] == [("ced_2025", 1.0)]
    assert respect[0]["footprints"] == 8 and respect[0]["units"] == 2
    assert 0 <= respect[0]["footprints_across"] <= 8 and 0.5 < respect[0]["footprints_in_units"] <= 1
    assert align[0]["units"] == 19 and 0 <= align[0]["units_whole"] <= 19
    plain = placedef.footprints(lsoa11, k=8, attributes={"IMD_rank": deprivation["IMD_rank"]}, population=population)
    assert plain["partners"] == {"respect": [], "align": []}
    assert not numpy.array_equal(plain["blocks"]["region"], result["blocks"]["region"])

    out = tmp_path / "cli.gpkg"
    done = subprocess.run([os.environ["PDEF_CLI"], "footprints", sample("lsoa_2011.gpkg"), "--k", "8",
                           "--pop-table", sample("population_mid2020_lsoa11.csv"), "--pop-column", "total_population",
                           "--attr", sample("imd_2019_lsoa11.csv") + ":IMD_rank",
                           "--respect", sample("lad_2021.gpkg") + "*2", "--align", sample("ced_2025.gpkg"),
                           "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    membership = geopandas.read_file(out, layer="membership")
    assert list(membership["block_code"]) == result["blocks"]["code"]
    assert list(membership["footprint"]) == result["blocks"]["footprint"]
    assert "respecting lad_2021 (weight 2)" in done.stdout


def test_bad_partner_layers(lsoa11, lad, deprivation):
    imd = {"IMD_rank": deprivation["IMD_rank"]}
    with pytest.raises(ValueError, match="above 0"):
        placedef.footprints(lsoa11, k=3, attributes=imd, respect=(lad, 0))
    with pytest.raises(TypeError, match="weight must be a number"):
        placedef.footprints(lsoa11, k=3, attributes=imd, align=(lad, "heavy"))
