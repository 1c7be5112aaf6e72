"""placedef.matrix(): every pair of layers scored."""
import numpy
import pytest

import placedef


def test_matrix_of_three_layers(lad, wards, ceds, tmp_path):
    out = tmp_path / "matrix.csv"
    result = placedef.matrix([lad, wards, ceds], output=str(out))
    assert result["layers"] == ["lad_2021", "ward_2025", "ced_2025"]
    index = result["coterminosity_index"]
    assert index.shape == (3, 3) and numpy.allclose(numpy.diag(index), 1.0)
    assert index[1, 0] > 0.99  # wards nest in districts
    alignment = result["boundary_alignment"]
    assert ((alignment > 0) & (alignment <= 1 + 1e-9)).all()
    assert numpy.isnan(result["coterminosity_index_pop"]).all()
    assert len(result["scores"]) == 9 and result["scores"][3]["layer"] == "ward_2025"
    assert "ced_2025" in result["text"] and out.exists()


def test_bad_matrix(lad):
    with pytest.raises(ValueError, match="two or more layers"):
        placedef.matrix([lad])
    with pytest.raises(ValueError, match="tolerance"):
        placedef.matrix([lad, lad], tolerance=0)
