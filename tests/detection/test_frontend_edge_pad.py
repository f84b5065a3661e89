"""`frontend._edge_padded` (the floor shape's average padded for its median window, per block):
by hand, the same values as numpy's median padding it replaces (its naive twin)."""

import math

import numpy as np
import pytest

from rfkit.detection.frontend import _edge_padded


@pytest.mark.parametrize("n", [1, 2, 5, 64, 2048])
@pytest.mark.parametrize("half", [0, 1, 3, 41])
def test_edge_padded_matches_numpy_median_pad(n, half):
    rng = np.random.default_rng(n * 100 + half)
    for rows in (0, 1, 2, 3, 10, 200, 5000):
        for alpha in (1.0, 0.3, 0.01, 0.002):
            acc = rng.exponential(size=n)
            full = max(1, int(1 / alpha))
            m = min(max(half, 1), math.ceil(full / max(1, min(rows, full))))
            want = np.pad(acc, half, mode="median", stat_length=m)
            got = _edge_padded(acc, half, rows, alpha)
            assert got.shape == want.shape
            np.testing.assert_array_equal(got, want)


def test_edge_padded_young_average_pads_with_the_median_of_its_outer_bins():
    acc = np.array([5.0, 1.0, 3.0, 9.0, 9.0, 2.0, 2.0, 4.0])
    got = _edge_padded(acc, 2, 1, 0.25)  # one row of a 4-row average: medians of 2 outer bins
    np.testing.assert_array_equal(got[:2], [3.0, 3.0])  # median(5, 1)
    np.testing.assert_array_equal(got[-2:], [3.0, 3.0])  # median(2, 4)
    np.testing.assert_array_equal(got[2:-2], acc)
