"""placedef.bestfit(): best-fit lookups (lookup.cpp)."""
import pytest

import placedef
from conftest import sample

DISTRICTS = {"E07000209", "E07000216"}


@pytest.mark.parametrize("method", ["area", "centroid", "population"])
def test_wards_fit_in_districts(wards, lad, population, method):
    lookup = placedef.bestfit(wards, lad, method=method, population=population)
    assert len(lookup["child"]) == 45 and set(lookup["parent"]) <= DISTRICTS
    assert set(lookup["method"]) == {method}
    assert (lookup["share"] > 0.9).all() and not lookup["ambiguous"].any()
    assert lookup["child"] == sorted(lookup["child"])


def test_lookup_file(wards, lad, tmp_path):
    out = tmp_path / "lookup.csv"
    placedef.bestfit(wards, lad, output=str(out))
    assert out.read_text().startswith("child_code,child_name,parent_code,parent_name,method,share,ambiguous,note")


def test_bad_lookups(wards, lad):
    with pytest.raises(ValueError, match="needs a population"):
        placedef.bestfit(wards, lad, method="population")
    with pytest.raises(ValueError, match="unknown best-fit method 'largest'"):
        placedef.bestfit(wards, lad, method="largest")
    with pytest.raises(ValueError, match="ambiguous_below"):
        placedef.bestfit(wards, lad, ambiguous_below=2)


def test_an_output_never_replaces_an_input(tmp_path, lad):
    import shutil
    wards = tmp_path / "wards.gpkg"
    shutil.copy(sample("ward_2025.gpkg"), wards)
    before = wards.read_bytes()
    with pytest.raises(OSError, match="wards.gpkg"):
        placedef.bestfit(f"{wards}@WD25CD", lad, output=str(wards))
    assert wards.read_bytes() == before
