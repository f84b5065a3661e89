"""Front end: segment kernel against its naive twin, FFT size choice, CFAR thresholds."""

import naive_detect as naive
import numpy as np
import pytest
from scipy.stats import chi2

from rfkit.detection.frontend import FrontEnd, fine_nfft, segment_info, segments


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gap", [0, 1, 3])
def test_segments_match_naive_twin(seed, gap):
    rng = np.random.default_rng(seed)
    mask = rng.random(257) < rng.uniform(0.05, 0.6)
    got = [tuple(r) for r in segments(mask, gap)]
    assert got == naive.segments(mask, gap)


def test_segments_edges():
    assert segments(np.zeros(0, bool), 1).shape == (0, 2)
    assert [tuple(r) for r in segments(np.ones(5, bool), 0)] == [(0, 4)]
    assert [tuple(r) for r in segments(np.array([1, 0, 0, 1], bool), 1)] == [(0, 0), (3, 3)]


def test_segment_info_excess_and_peak():
    P = np.array([1, 1, 5, 9, 4, 1, 1, 3, 1], float)
    ref = np.ones(9)
    mask = P > 2
    seg, val = segment_info(mask, 0, P, ref)
    assert [tuple(r) for r in seg] == [(2, 4, 3), (7, 7, 7)]
    np.testing.assert_allclose(val, [4 + 8 + 3, 2])


@pytest.mark.parametrize("rate,bin_hz,want", [(2.4e6, 1200, 2048), (250e3, 1200, 256), (10e6, 1200, 8192),
                                             (12e3, 1200, 64), (1e9, 1, 65536)])
def test_fine_nfft(rate, bin_hz, want):
    assert fine_nfft(rate, bin_hz) == want


def test_thresholds_follow_chi_square():
    fe = FrontEnd(2.4e6, fine_bin_hz=1200, row_s=0.01, pfa=1e-6, min_excess_db=0.0)
    dof = 2 * fe.avg
    assert fe.thr1 == pytest.approx(chi2.isf(1e-6, dof) / dof)
    # a row of pure noise: the level estimate is unbiased to a few per cent, and very few cells fire
    rng = np.random.default_rng(1)
    n = fe.row_len * 20
    x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5e-3)).astype(np.complex64)
    rows = fe.push(x)
    g = fe.levels(rows)
    per_bin = 1e-3 * fe.enbw / fe.nfft  # white noise of power 1e-3, per-bin reading (dsp calibration)
    np.testing.assert_allclose(g, per_bin, rtol=0.05)
    mask = fe.masks(rows, g)
    assert mask.mean() < 1e-3


def test_abs_stats_matches_naive_twin():
    from rfkit.detection.frontend import abs_stats

    rng = np.random.default_rng(3)
    x = (0.4 * (rng.standard_normal(5001) + 1j * rng.standard_normal(5001))).astype(np.complex64)
    x[17] = 1.0 - 0.2j  # I at the rail
    x[99] = 0.1 - 1.0j  # Q at the rail
    v = np.abs(x.view(np.float32))
    for clip in (None, 0.9, 0.999, 5.0):
        want_c = 0 if clip is None else int(np.count_nonzero((v[0::2] >= clip) | (v[1::2] >= clip)))
        m, c = abs_stats(x, clip)
        assert m == float(v.max()) and c == want_c
    assert abs_stats(np.zeros(0, np.complex64), 0.9) == (0.0, 0)
