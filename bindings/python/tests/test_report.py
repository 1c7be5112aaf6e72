"""placedef.align(): alignment reports (report.cpp)."""
import math

import pytest

import placedef

RELATIONS = {"coterminous", "nested", "built_from", "split", "outside"}


def test_align_wards_and_divisions(wards, ceds, population, tmp_path):
    out = tmp_path / "report.csv"
    report = placedef.align(wards, ceds, population=population, output=str(out))
    a_in_b, b_in_a = report["a_in_b"], report["b_in_a"]
    assert a_in_b["layer"] == "ward_2025" and a_in_b["other"] == "ced_2025" and b_in_a["units"] == 19
    assert sum(a_in_b["counts"].values()) == a_in_b["units"] == 45
    assert 0 < a_in_b["coterminosity_index"] <= 1 and 0 < a_in_b["boundary_alignment"] <= 1
    units = report["a_units"]
    assert len(units["code"]) == 45 and set(units["relation"]) <= RELATIONS
    for best, pieces, coverage in zip(units["best"], units["pieces"], units["coverage"]):
        assert pieces[0][0] == best and pieces[0][1] == coverage
        assert [share for _, share, _ in pieces] == sorted((share for _, share, _ in pieces), reverse=True)
    assert not math.isnan(units["pop"][0])
    assert "ward_2025" in report["text"] and out.read_text().count("\n") == 45 + 19 + 1


def test_tolerance_and_alignment(wards, ceds):
    strict = placedef.align(wards, ceds, alignment=False)
    loose = placedef.align(wards, ceds, tolerance=0.5, alignment=False)
    assert math.isnan(strict["a_in_b"]["boundary_alignment"])
    assert loose["a_in_b"]["nesting_rate"] >= strict["a_in_b"]["nesting_rate"]
    assert loose["a_in_b"]["nesting_rate"] == 1.0


def test_bad_scoring_options(wards, ceds):
    with pytest.raises(ValueError, match="tolerance"):
        placedef.align(wards, ceds, tolerance=1.5)
    with pytest.raises(ValueError, match="distance"):
        placedef.align(wards, ceds, distance=-1)
    with pytest.raises(ValueError, match="minimum piece"):
        placedef.align(wards, ceds, min_piece=0.9)
