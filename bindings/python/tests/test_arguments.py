"""Arguments of the wrong kind get Python's usual exceptions: a path is a str or
any os.PathLike, a NUL in it is refused (C would cut it short), a missing file
is FileNotFoundError, and a value of the wrong type is a TypeError naming it."""
import errno
import pathlib

import pytest

import placedef
from conftest import SAMPLE, TOTAL_POPULATION, sample


def test_pathlib_paths_are_taken_everywhere(wards, tmp_path):
    layer = placedef.Layer.open(SAMPLE / "lad_2021.gpkg")
    assert len(layer.codes) == 2
    table = placedef.overlay(SAMPLE / "lad_2021.gpkg", wards, output=tmp_path / "t.csv")
    assert (tmp_path / "t.csv").exists() and len(table["rows"]["a_code"]) > 0
    placedef.overlay(wards, wards, output=[tmp_path / "u.csv", str(tmp_path / "v.csv")])
    assert (tmp_path / "u.csv").exists() and (tmp_path / "v.csv").exists()
    people = placedef.Population(SAMPLE / "lsoa_2011.gpkg", table=SAMPLE / "population_mid2020_lsoa11.csv",
                                 column="total_population", key="lsoa11_code")
    assert people.values.sum() == TOTAL_POPULATION


def test_a_nul_in_a_path_is_refused_not_cut_short(tmp_path):
    # Without the check, 'lad_2021.gpkg\0junk' opened lad_2021.gpkg.
    with pytest.raises(ValueError, match="NUL"):
        placedef.Layer.open(sample("lad_2021.gpkg") + "\0junk")
    with pytest.raises(ValueError, match="NUL"):
        placedef.overlay(sample("lad_2021.gpkg") + "\0", sample("lad_2021.gpkg"))
    with pytest.raises(ValueError, match="output contains a NUL"):
        placedef.overlay(sample("lad_2021.gpkg"), sample("lad_2021.gpkg"), output=str(tmp_path / "t.csv") + "\0x")
    assert not (tmp_path / "t.csv").exists()
    with pytest.raises(ValueError, match="table contains a NUL"):
        placedef.Population(sample("lsoa_2011.gpkg"), table=sample("population_mid2020_lsoa11.csv") + "\0",
                            column="total_population")


def test_a_str_for_a_list_of_layers_is_a_type_error():
    # Without the check, matrix('abc') tried to open files called 'a', 'b' and 'c'.
    with pytest.raises(TypeError, match="layers must be a list .* not a single str"):
        placedef.matrix("abc")
    with pytest.raises(TypeError, match="PosixPath|WindowsPath"):
        placedef.matrix(pathlib.Path("abc"))


def test_a_missing_file_is_file_not_found(tmp_path):
    missing = tmp_path / "no_such.gpkg"
    with pytest.raises(FileNotFoundError) as caught:
        placedef.Layer.open(missing)
    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == str(missing)
    assert "no_such.gpkg" in str(caught.value)
    with pytest.raises(FileNotFoundError) as caught:
        placedef.Population(sample("lsoa_2011.gpkg"), table=tmp_path / "no_such.csv", column="total_population")
    assert caught.value.errno == errno.ENOENT and caught.value.filename == str(tmp_path / "no_such.csv")


def test_attribute_values_of_the_wrong_type_name_the_attribute(lsoa11):
    with pytest.raises(TypeError, match="attribute 'x' must be a sequence of numbers, not str"):
        placedef.footprints(lsoa11, k=3, attributes={"x": "abc"})
    with pytest.raises(TypeError, match="attribute 'x' must be a sequence of numbers; it holds a value"):
        placedef.footprints(lsoa11, k=3, attributes={"x": ["a"] * 166})
    # A number alone is the weight of a built-in attribute; any other takes a value per block.
    with pytest.raises(ValueError, match="'x' is not a built-in attribute .density or position.; another attribute "
                                         "takes one value per block"):
        placedef.footprints(lsoa11, k=3, attributes={"x": 5})
    with pytest.raises(TypeError, match="attribute 'x': the weight must be a number"):
        placedef.footprints(lsoa11, k=3, attributes={"x": ([1.0] * 166, "heavy")})
    with pytest.raises(TypeError, match="path"):
        placedef.Layer.open(42)
