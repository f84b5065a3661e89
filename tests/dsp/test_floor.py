"""noise_floor: unbiased on noise, not pulled up by strong tones and bursts."""

import numpy as np
import pytest

from rfkit.dsp import Spectrogram, SpectrumSettings, noise_floor
from rfkit.dsp.floor import clipped_median, median_bias
from rfkit.errors import ParameterError

RATE = 2.4e6


def test_median_bias():
    assert median_bias(2) == pytest.approx(np.log(2))
    rng = np.random.default_rng(0)
    x = rng.chisquare(32, size=400_000) / 32
    assert median_bias(32) == pytest.approx(np.median(x), rel=2e-3)


def make(n_rows=400, nfft=256, avg=1, seed=0, tones=True, bursts=True):
    rng = np.random.default_rng(seed)
    n = n_rows * nfft * avg
    power = 1e-4  # -40 dBFS of white noise in the band
    x = np.sqrt(power / 2) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    t = np.arange(n) / RATE
    if tones:  # strong narrow signals: 60 dB above the per-bin floor
        for f, a in [(-500e3, 0.3), (100e3, 0.5), (777e3, 0.1), (-90e3, 0.2)]:
            x += a * np.exp(2j * np.pi * f * t)
    if bursts:  # strong short bursts: 20 % of the time, wideband, 30 dB up
        on = (np.arange(n) // (nfft * avg * 10)) % 5 == 0
        x[on] += np.sqrt(0.1 / 2) * (rng.standard_normal(on.sum()) + 1j * rng.standard_normal(on.sum()))
    s = SpectrumSettings(RATE, nfft=nfft, avg=avg)
    rows = Spectrogram(s).push(x.astype(np.complex64))
    return rows, power * s.enbw_hz / RATE  # true per-bin noise level


@pytest.mark.parametrize("avg", [1, 16])
def test_noise_only_unbiased(avg):
    rows, level = make(avg=avg, tones=False, bursts=False, n_rows=400 if avg == 1 else 100)
    nf = noise_floor(rows, dof=2 * avg)
    assert nf.overall_dbfs == pytest.approx(10 * np.log10(level), abs=0.1)
    assert np.median(nf.per_bin) == pytest.approx(level, rel=0.03)
    # the plain mean agrees here (nothing to reject), the plain median would be 1.6 dB low for avg=1
    assert 10 * np.log10(np.median(rows) / level) < (-1.4 if avg == 1 else 0)


def test_tones_and_bursts_do_not_pull_it_up():
    rows, level = make(seed=1)
    nf = noise_floor(rows)
    assert nf.overall_dbfs == pytest.approx(10 * np.log10(level), abs=0.2)
    # per bin: bursts (20 % of rows) do not lift the bins away from the tones
    assert np.median(nf.per_bin) == pytest.approx(level, rel=0.05)
    assert 10 * np.log10(rows.mean() / level) > 10  # where a plain mean would be far off
    assert nf.per_bin_dbfs.shape == (256,) and nf.n_rows == 400


def test_nan_ignored_and_shapes():
    rows, level = make(n_rows=100, tones=False, bursts=False, seed=2)
    rows[::3, :] = np.nan
    nf = noise_floor(rows.reshape(4, 25, 256))
    assert nf.overall == pytest.approx(level, rel=0.1)
    one = noise_floor(np.full(16, 2.0), dof=1e6)
    assert one.overall == pytest.approx(2.0, rel=1e-3)
    assert np.isnan(noise_floor(np.full((3, 4), np.nan)).overall)


def test_clipped_median_wide_occupancy():
    rng = np.random.default_rng(0)
    v = rng.normal(1.0, 0.05, 1000)
    v[:400] = 100.0  # 40 % of the band occupied by a strong signal
    assert clipped_median(v) == pytest.approx(1.0, abs=0.01)


def test_errors():
    with pytest.raises(ParameterError, match="power_linear.shape"):
        noise_floor(np.zeros((3, 0)))
    with pytest.raises(ParameterError, match="dof=0"):
        noise_floor(np.ones(4), dof=0)
