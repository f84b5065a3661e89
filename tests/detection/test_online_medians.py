"""Small per-block helpers of the streaming detector (rfkit/detection/online.py) against their
naive twins: the median of a short list (the receiver's DC offset from the last quiet stretches)
is numpy's."""

import math

import numpy as np
import pytest

from rfkit.detection.online import _complex_median, _median


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 20, 21])
def test_median_matches_numpy(n):
    rng = np.random.default_rng(n)
    for k in range(300):
        v = rng.normal(size=n) * 10.0 ** rng.integers(-9, 3)
        if k % 4 == 0:
            v = np.round(v, 1)  # ties
        if k % 7 == 0 and n > 1:
            v[rng.integers(n)] = np.inf
        if k % 11 == 0 and n > 1:
            v[rng.integers(n)] = -np.inf
        with np.errstate(invalid="ignore"):  # (+inf and -inf in the middle: NaN, as numpy says)
            want = float(np.median(v))
        got = _median(v.tolist())
        assert got == want or (math.isnan(got) and math.isnan(want))


def test_median_with_nan_is_nan():
    assert math.isnan(_median([1.0, float("nan"), 3.0]))
    assert math.isnan(_median([]))


def test_complex_median_is_per_component():
    rng = np.random.default_rng(3)
    h = rng.normal(size=20) + 1j * rng.normal(size=20)
    got = _complex_median(h.tolist())
    assert got == complex(np.median(h.real), np.median(h.imag))

