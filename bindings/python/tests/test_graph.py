"""placedef.contiguity(): contiguity graphs."""
import numpy
import pytest

import placedef


def test_queen_and_rook(lsoa11):
    queen = placedef.contiguity(lsoa11)
    rook = placedef.contiguity(lsoa11, adjacency="rook", join_islands=True)
    assert queen["codes"] == lsoa11.codes and len(queen["neighbours"]) == 166
    assert queen["edges"] >= rook["edges"] > 166 and rook["components"] == 1
    degrees = numpy.array([len(n) for n in queen["neighbours"]])
    assert degrees.sum() == 2 * queen["edges"] and (degrees > 0).all()
    for block, neighbours in enumerate(queen["neighbours"]):  # symmetric, sorted, no self-loops
        assert list(neighbours) == sorted(neighbours) and block not in neighbours
        for other in neighbours:
            assert block in queen["neighbours"][other]
    assert all(len(lengths) == len(ids) for lengths, ids in zip(queen["shared_length"], queen["neighbours"]))
    assert queen["joined"].shape == (0, 2) and len(queen["islands"]) == 0


def test_bad_graph(lsoa11):
    with pytest.raises(ValueError, match="queen or rook"):
        placedef.contiguity(lsoa11, adjacency="bishop")
    with pytest.raises(ValueError, match="snap"):
        placedef.contiguity(lsoa11, snap=-1)
