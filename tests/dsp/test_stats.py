"""RunningStats and decimate_rows against their naive twins (edge sizes, NaN/Inf, seeded input)."""

import naive
import numpy as np
import pytest

from rfkit.dsp.stats import RunningStats, decimate_rows
from rfkit.errors import ParameterError


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def kernels(request, monkeypatch):
    """Every test here runs on both kernel sets (through `choose_kernels`' RFKIT_DSP_KERNELS)."""
    monkeypatch.setenv("RFKIT_DSP_KERNELS", request.param)
    return request.param


def seeded(rows, bins, seed, dtype=np.float64, bad=0.0):
    rng = np.random.default_rng(seed)
    p = rng.exponential(1.0, size=(rows, bins)).astype(dtype)
    if bad:
        m = rng.random((rows, bins)) < bad
        p[m] = rng.choice(np.array([np.nan, np.inf, -np.inf], dtype=dtype), size=int(m.sum()))
    return p


@pytest.mark.parametrize("rows,bins", [(1, 1), (2, 3), (7, 16), (200, 64)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [0.0, 0.1])
def test_running_stats_vs_naive(rows, bins, dtype, bad):
    p = seeded(rows, bins, rows * bins, dtype, bad)
    st = RunningStats(bins)
    for i in range(0, rows, 3):  # in pieces: the same as all at once
        st.update(p[i : i + 3])
    count, mean, var, mx, mn, s1, s2 = naive.running_stats(p)
    np.testing.assert_array_equal(st.count, count)
    np.testing.assert_allclose(st.mean, mean, rtol=1e-10)
    np.testing.assert_allclose(st.var, var, rtol=1e-8)
    np.testing.assert_allclose(st.max, mx)
    np.testing.assert_allclose(st.min, mn)
    m = count.astype(float)
    with np.errstate(all="ignore"):
        sk = (m + 1) / (m - 1) * (m * s2 / s1**2 - 1)
    np.testing.assert_allclose(st.kurtosis(), np.where(count > 1, sk, np.nan), rtol=1e-8)


def test_spectral_kurtosis_meaning():
    rng = np.random.default_rng(0)
    m, nfft = 2000, 64
    # spectra straight away: Gaussian noise in every bin, a tone in bin 10, pulsed noise in bin 20
    x = (rng.standard_normal((m, nfft)) + 1j * rng.standard_normal((m, nfft)))
    x[:, 10] = 3.0 * np.exp(1j * rng.uniform(0, 2 * np.pi, m))
    on = rng.random(m) < 0.1
    x[on, 20] *= 10
    st = RunningStats(nfft)
    st.update(np.abs(x) ** 2)
    sk = st.kurtosis()
    noise_bins = np.delete(sk, [10, 20])
    assert np.mean(noise_bins) == pytest.approx(1.0, abs=0.02)  # Gaussian noise: 1
    assert sk[10] < 0.05  # constant envelope: 0
    assert sk[20] > 3  # bursty: well above 1
    # with rows that average N frames the estimator stays unbiased
    avg = np.abs(x) ** 2
    st4 = RunningStats(nfft)
    st4.update(avg.reshape(-1, 4, nfft).mean(axis=1))
    assert np.mean(np.delete(st4.kurtosis(frames_per_row=4), [10, 20])) == pytest.approx(1.0, abs=0.05)


def test_running_stats_errors():
    with pytest.raises(ParameterError, match="nbins=0"):
        RunningStats(0)
    with pytest.raises(ParameterError, match=r"must be \(k, 4\)"):
        RunningStats(4).update(np.zeros((2, 5)))
    st = RunningStats(3)
    assert np.isnan(st.mean).all() and np.isnan(st.var).all()


@pytest.mark.parametrize("rows,factor", [(1, 1), (5, 1), (5, 2), (6, 3), (7, 10), (100, 7), (0, 3)])
@pytest.mark.parametrize("how", ["max", "mean", "min"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_decimate_rows_vs_naive(rows, factor, how, dtype):
    p = seeded(rows, 9, rows + factor, dtype)
    if rows > 2:
        p[1, :] = np.nan  # a missing row is ignored
        p[2, 3] = np.inf
        p[:, 4] = np.nan  # a column of NaN stays NaN
    got = decimate_rows(p, factor, how=how)
    assert got.dtype == dtype and got.shape == (-(-rows // factor), 9)
    np.testing.assert_allclose(got, naive.decimate_rows(p, factor, how), rtol=1e-6)


def test_decimate_keeps_a_short_burst():
    p = np.full((36_000, 32), -90.0, dtype=np.float32)  # an hour of 100 ms rows
    p[12_345, 7] = -20.0  # one 100 ms burst
    d = decimate_rows(p, 1000)
    assert d.shape == (36, 32) and d[12, 7] == -20.0 and np.sum(d > -90) == 1


def test_decimate_errors():
    with pytest.raises(ParameterError, match="factor=0"):
        decimate_rows(np.zeros((4, 4)), 0)
    with pytest.raises(ParameterError, match="how='median'"):
        decimate_rows(np.zeros((4, 4)), 2, how="median")
    with pytest.raises(ParameterError, match="must be \\(rows, nbins\\)"):
        decimate_rows(np.zeros(4), 2)
