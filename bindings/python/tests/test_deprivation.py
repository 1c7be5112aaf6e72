"""placedef.deprivation() (deprivation.cpp) and the units' names in every result.

The hand-made layers: four 1 km squares SW, SE, NW, NE with people 100, 200,
300, 50, ranks 500, 300, 100, 50, scores 10, 20, 30, 40 and deciles 5, 3, 2,
1, under two footprints W (SW + NW) and E (SE + NE)."""
import csv
import math

import pytest
import shapely.geometry

import placedef
from conftest import sample

X0, Y0 = 500000, 150000
RANKS = [500, 300, 100, 50]
SCORES = [10, 20, 30, 40]
DECILES = [5, 3, 2, 1]


def boxes(name, codes, corners, names=None):
    """A layer of boxes given in km from (X0, Y0), named when `names` is given."""
    wkb = [shapely.geometry.box(X0 + 1000 * x0, Y0 + 1000 * y0, X0 + 1000 * x1, Y0 + 1000 * y1).wkb
           for x0, y0, x1, y1 in corners]
    layer = placedef.Layer.from_wkb(codes, wkb, crs="EPSG:27700", name=name,
                                    attributes={"NAME": names} if names else {})
    if names:
        layer.set_label_column("NAME")
    return layer


@pytest.fixture(scope="module")
def units():
    return boxes("lsoa", ["SW", "SE", "NW", "NE"], [(0, 0, 1, 1), (1, 0, 2, 1), (0, 1, 1, 2), (1, 1, 2, 2)],
                 ["SW town", "SE town", "NW town", "NE town"])


@pytest.fixture(scope="module")
def halves():
    return boxes("towns", ["W", "E"], [(0, 0, 1, 2), (1, 0, 2, 2)], ["West", "East"])


def test_a_footprints_deprivation_by_hand(units, halves):
    people = placedef.Population(units, values=[100, 200, 300, 50])
    result = placedef.deprivation(halves, units, ranks=RANKS, scores=SCORES, deciles=DECILES, population=people,
                                  most_deprived=3)
    assert result["by_people"]
    f = result["footprints"]
    assert f["code"] == ["W", "E"] and f["name"] == ["West", "East"]
    assert f["people"].tolist() == pytest.approx([400, 250])
    assert f["people_deciles_1_2"].tolist() == pytest.approx([300, 50])  # NW; NE
    assert f["share_deciles_1_2"].tolist() == pytest.approx([0.75, 0.2])
    assert f["mean_score"].tolist() == pytest.approx([(100 * 10 + 300 * 30) / 400, (200 * 20 + 50 * 40) / 250])
    assert f["most_deprived"] == ["NW", "NE"] and f["most_deprived_name"] == ["NW town", "NE town"]
    assert f["most_deprived_rank"].tolist() == [100, 50]
    worst = result["most_deprived"]
    assert worst["code"] == ["NE", "NW", "SE"] and worst["index"].tolist() == [3, 2, 1]
    assert worst["footprint"] == ["E", "W", "E"] and worst["footprint_name"] == ["East", "West", "East"]
    assert worst["rank"].tolist() == [50, 100, 300] and worst["decile"].tolist() == [1, 2, 3]


def test_ranks_give_no_mean_and_area_stands_in_for_people(units, halves):
    result = placedef.deprivation(halves, units, ranks=RANKS, deciles=DECILES)
    assert not result["by_people"]
    f = result["footprints"]
    assert all(math.isnan(m) for m in f["mean_score"]) and all(math.isnan(p) for p in f["people"])
    assert f["share_deciles_1_2"].tolist() == pytest.approx([0.5, 0.5])
    assert len(result["most_deprived"]["code"]) == 4  # fewer units than the 21 asked for


def test_bad_deprivation_arguments(units, halves):
    with pytest.raises(ValueError, match="ranks has 3 values for 4 units"):
        placedef.deprivation(halves, units, ranks=RANKS[:3])
    with pytest.raises(ValueError, match="rank or a score"):
        placedef.deprivation(halves, units, deciles=DECILES)
    with pytest.raises(TypeError):
        placedef.deprivation(halves, units, scores="high")


def test_names_reach_every_result(units, halves):
    assert units.names == ["SW town", "SE town", "NW town", "NE town"] and units.label_column == "NAME"
    with pytest.raises(ValueError, match="no column 'NOPE'"):
        units.set_label_column("NOPE")
    table = placedef.overlay(units, halves)
    assert table["a_units"]["name"] == units.names and table["b_units"]["name"] == ["West", "East"]
    assert table["rows"]["a_code"][0] == "NE"  # rows in code order
    assert table["rows"]["a_name"][0] == "NE town" and table["rows"]["b_name"][0] == "East"
    lookup = placedef.bestfit(units, halves)
    assert lookup["child_name"] == ["NE town", "NW town", "SE town", "SW town"]  # code order
    assert lookup["parent_name"] == ["East", "West", "East", "West"]
    report = placedef.align(units, halves, alignment=False)
    assert report["a_units"]["name"][0] == "NE town" and report["a_units"]["best_name"][0] == "East"


def test_a_unit_wholly_in_two_overlapping_units_is_within_both():
    district = boxes("district", ["D"], [(0, 0, 1, 1)])
    leps = boxes("lep", ["L1", "L2"], [(0, 0, 2, 2), (0, 0, 1.5, 3)])
    unit = placedef.align(district, leps, alignment=False)["a_units"]
    assert {unit["best"][0], *unit["also_within"][0]} == {"L1", "L2"} and len(unit["also_within"][0]) == 1


def test_the_samples_imd_2019_by_district(lad):
    """Guildford 012D (rank 6,441) and 007C (6,539) are the sample's most deprived LSOAs, both in
    Guildford and in national decile 2 (shapefiles/imd_2019_lsoa11.csv), with 1,767 and 1,478 people."""
    lsoa = placedef.Layer.open(sample("lsoa_2011.gpkg"))
    with open(sample("imd_2019_lsoa11.csv"), newline="") as table:
        imd = {row["lsoa11_code"]: row for row in csv.DictReader(table)}
    ranks = [float(imd[code]["IMD_rank"]) for code in lsoa.codes]
    deciles = [float(imd[code]["IMD_decile"]) for code in lsoa.codes]
    people = placedef.Population(lsoa, table=sample("population_mid2020_lsoa11.csv"), column="total_population",
                                 key="lsoa11_code")
    result = placedef.deprivation(lad, lsoa, ranks=ranks, deciles=deciles, population=people, most_deprived=2)
    worst = result["most_deprived"]
    assert worst["code"] == ["E01030497", "E01030483"] and worst["rank"].tolist() == [6441, 6539]
    assert worst["footprint"] == ["E07000209", "E07000209"]
    f = result["footprints"]
    guildford = f["code"].index("E07000209")
    waverley = f["code"].index("E07000216")
    assert f["people_deciles_1_2"][guildford] == pytest.approx(1767 + 1478, rel=1e-3)
    assert f["people_deciles_1_2"][waverley] == pytest.approx(0, abs=1)
    assert f["most_deprived"][guildford] == "E01030497"
