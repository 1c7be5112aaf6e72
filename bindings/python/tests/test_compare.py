"""placedef.compare() (compare.cpp) on the hand-drawn grid of the engine's test:
16 blocks of 1 km, a block in column c holding 100 (c + 1) people; the
partner's units are the four quadrants; "nest" cuts the grid at x = 2 km
(every quadrant whole), "split" at x = 3 km (NE and SE cut in half)."""
import csv
import math

import pytest
import shapely.geometry

import placedef

X0, Y0 = 500000, 150000


def boxes(name, codes, corners):
    wkb = [shapely.geometry.box(X0 + 1000 * x0, Y0 + 1000 * y0, X0 + 1000 * x1, Y0 + 1000 * y1).wkb
           for x0, y0, x1, y1 in corners]
    return placedef.Layer.from_wkb(codes, wkb, crs="EPSG:27700", name=name)


@pytest.fixture(scope="module")
def grid():
    cells = [(c, r) for r in range(4) for c in range(4)]
    blocks = boxes("blocks", [f"c{c}r{r}" for c, r in cells], [(c, r, c + 1, r + 1) for c, r in cells])
    people = placedef.Population(blocks, values=[100.0 * (c + 1) for c, r in cells])
    quadrants = boxes("quadrants", ["SW", "SE", "NW", "NE"], [(0, 0, 2, 2), (2, 0, 4, 2), (0, 2, 2, 4), (2, 2, 4, 4)])
    nest = boxes("nest", ["W", "E"], [(0, 0, 2, 4), (2, 0, 4, 4)])
    split = boxes("split", ["W", "E"], [(0, 0, 3, 4), (3, 0, 4, 4)])
    return blocks, people, quadrants, nest, split


def test_scores_a_nesting_and_a_splitting_proposal(grid, tmp_path):
    blocks, people, quadrants, nest, split = grid
    out = placedef.compare(blocks, [nest, ("split", split)], [quadrants], population=people,
                           min_population=1500, max_population=2500, output=str(tmp_path / "s.csv"))
    proposals = out["proposals"]
    assert proposals["name"] == ["nest", "split"]
    assert list(proposals["people_cv"]) == pytest.approx([0.4, 0.2])
    assert list(proposals["below_target"]) == [1, 0]
    assert math.isnan(proposals["deprived_min"][0])
    card = out["scorecard"]
    assert card["partner"] == ["quadrants", "quadrants"]
    assert list(card["partner_units_split"]) == [0, 2]
    assert list(card["people_in_split_units"]) == pytest.approx([0, 2800])
    assert list(card["people_outside_main_place"]) == pytest.approx([0, 1200])
    assert list(card["units_in_places_by_people"]) == pytest.approx([1.0, 0.7])
    places = out["places"]
    assert places["code"] == ["W", "E", "W", "E"]
    assert list(places["people"]) == [1200, 2800, 2400, 1600]
    moves = [c for c in out["changes"] if c["kind"] == "move"]
    assert len(moves) == 1 and moves[0]["from_place"] == "E" and moves[0]["to_place"] == "W"
    assert moves[0]["people"] == 1200 and moves[0]["blocks"] == 4
    partners = sorted(c["code"] for c in out["changes"] if c["kind"] == "partner")
    assert partners == ["NE", "SE"]
    with open(tmp_path / "s_moves.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["block"] for r in rows) == ["c2r0", "c2r1", "c2r2", "c2r3"]


def test_a_lookup_proposal_and_bad_arguments(grid, tmp_path):
    blocks, people, quadrants, nest, split = grid
    lookup = tmp_path / "split.csv"
    lookup.write_text("block,area,name\n" + "".join(
        f"c{c}r{r},{'W,West' if c < 3 else 'E,East'}\n" for r in range(4) for c in range(4)))
    out = placedef.compare(blocks, [("from blocks", str(lookup)), split], [quadrants], population=people)
    assert out["places"]["name"][:2] == ["West", "East"]
    assert list(out["scorecard"]["partner_units_split"]) == [2, 2]
    assert out["changes"] == []
    with pytest.raises(ValueError, match="population"):
        placedef.compare(blocks, [nest], [quadrants])
    bad = tmp_path / "bad.csv"
    bad.write_text("block,council\nc0r0,W\n")
    with pytest.raises(ValueError, match="has no column 'area'"):
        placedef.compare(blocks, [str(bad)], [quadrants], population=people)
