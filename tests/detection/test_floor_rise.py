"""The noise floor against broad emissions: the sub-bands a partial-band emission lifts
(frontend.lifted_subbands), the floor-rise test that reads the level outside them, and the
noise kind's periodicity test that looks past the band's own spectral shape (notches)."""

import itertools
import math

import numpy as np
import pytest

from rfkit.detection import features as ft
from rfkit.detection.frontend import FrontEnd
from rfkit.detection.kinds.noise import _period_noise, shape_free_period
from rfkit.detection.online import RISE_ROWS, OnlineDetector

RATE = 250e3


def _rows(fe, rng, n, level=1e-6, lift=None):
    """n spectrogram rows of noise (chi-square, 2*avg dof per bin) at `level` per bin; `lift`
    (bins -> factor) multiplies part of the band."""
    p = np.full(fe.nfft, level)
    if lift is not None:
        sl, factor = lift
        p[sl] *= factor
    return (rng.gamma(fe.avg, 1.0 / fe.avg, size=(n, fe.nfft)) * p).astype(np.float32)


def _frontend():
    return FrontEnd(RATE, fine_bin_hz=1200, row_s=0.01, pfa=1e-6, min_excess_db=0.2)


def test_lifted_subbands_find_a_weak_partial_band_emission():
    fe = _frontend()
    rng = np.random.default_rng(1)
    fe.levels(_rows(fe, rng, 50))
    c = fe._central
    # +1.8 dB over bins 130..191 (a quarter of the band, inside the central bins)
    fe.levels(_rows(fe, rng, 40, lift=(slice(130, 192), 10 ** 0.18)))
    lifted = fe.lifted[-20:]  # once the running average has seen the emission
    edges = fe._sub_edges + c.start
    inside = np.array([(a >= 130 and b <= 192) for a, b in itertools.pairwise(edges)])
    outside = np.array([(b <= 130 or a >= 192) for a, b in itertools.pairwise(edges)])
    assert lifted[:, inside].mean() > 0.95
    assert lifted[:, outside].mean() < 0.01


@pytest.mark.parametrize("factor", [1.0, 1.5])
def test_lifted_subbands_none_for_noise_or_a_whole_band_rise(factor):
    fe = _frontend()
    rng = np.random.default_rng(2)
    fe.levels(_rows(fe, rng, 50))
    fe.levels(_rows(fe, rng, 200, lift=(slice(None), factor)))
    assert fe.lifted.shape == (200, fe._sub_counts.shape[0])
    assert fe.lifted.any(axis=1).mean() < 0.02


@pytest.mark.parametrize("seed", range(3))
def test_lifted_subbands_kernel_matches_numpy_twin(seed):
    """The kernel decides row by row exactly as the numpy loop: the same lifted sub-bands and the
    same running average, across calls, through an emission that comes and goes, a row with a
    non-finite value (the average restarts) and a whole-band rise."""
    fe, twin = _frontend(), _frontend()
    rng = np.random.default_rng(seed)
    blocks = [_rows(fe, rng, 30), _rows(fe, rng, 40, lift=(slice(130, 192), 10 ** 0.18)),
              _rows(fe, rng, 7, lift=(slice(60, 200), 1.4)), _rows(fe, rng, 25),
              _rows(fe, rng, 30, lift=(slice(None), 1.5))]
    blocks[3][4, 150] = np.inf
    n_lifted = 0
    for rows in blocks:
        got = fe.lifted_subbands(rows)
        want = twin._lifted_subbands_numpy(rows)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(fe._sub_avg, twin._sub_avg)
        n_lifted += int(got.any(axis=1).sum())
    assert n_lifted > 20  # (the test saw lifted rows, not only quiet ones)


def test_levels_free_leaves_out_lifted_subbands():
    fe = _frontend()
    rng = np.random.default_rng(3)
    fe.levels(_rows(fe, rng, 50))
    rows = _rows(fe, rng, 40, lift=(slice(100, 200), 10 ** 0.18))
    g = fe.levels(rows)
    mask = np.zeros(rows.shape, dtype=bool)  # the CFAR missed it
    plain = fe.levels_free(rows, mask, g)
    outside = fe.levels_free(rows, mask, g, exclude_lifted=True)
    # the plain quantile is lifted (a share o = 0.5 of the central bins occupied); outside, 1e-6
    assert np.median(plain[-20:]) > 1.1e-6
    assert np.median(outside[-20:]) == pytest.approx(1e-6, rel=0.05)


def test_floor_rise_needs_the_level_outside_lifted_subbands_to_rise():
    det = OnlineDetector(RATE)
    for _ in range(60):  # a quiet reference
        det.gt_hist.append(1e-6)
        det._floor_rise(1e-6)
    # the quantile level rises 1 dB, the level outside the lifted sub-bands does not
    for _ in range(RISE_ROWS):
        det.gt_hist.append(1e-6)
        assert not det._floor_rise(10 ** 0.1 * 1e-6)
    # both rise: a rise of the whole floor
    for _ in range(RISE_ROWS):
        det.gt_hist.append(10 ** 0.1 * 1e-6)
        rise = det._floor_rise(10 ** 0.1 * 1e-6)
    assert rise


def _band(x, notch):
    """The evidence's band spectrum of x over the whole band, `notch` cut out."""
    return ft.band_filter(x, RATE, -0.5 * RATE, 0.5 * RATE, notch=notch)[1]


NOTCH = ((-60e3, 20e3), (70e3, 90e3))


@pytest.mark.parametrize("seed", range(3))
def test_shape_free_period_of_notched_noise_is_at_its_noise(seed):
    rng = np.random.default_rng(seed)
    n = 1 << 16
    x = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    spec = _band(x, NOTCH)
    # the notches alone correlate the noise at short lags (over the 0.1 the kind once took as a period) ...
    _, h_raw = ft.periodic_lag(ft.autocorr(spec, n // 4), 4)
    assert h_raw > 0.1
    # ... which the shape takes out: what is left is the estimation noise of |R|
    _, h = shape_free_period(spec, min_lag=4, max_lag=n // 4)
    assert h < _period_noise(n * (1 - 100e3 / RATE), n // 4 - 4)


def test_shape_free_period_finds_a_repeating_waveform_beside_notches():
    rng = np.random.default_rng(5)
    n, period = 1 << 16, 97
    one = rng.standard_normal(period) + 1j * rng.standard_normal(period)
    s = np.tile(one, n // period + 1)[:n]
    snr = 0.3
    x = math.sqrt(snr) * s + rng.standard_normal(n) + 1j * rng.standard_normal(n)
    lag, h = shape_free_period(_band(x, NOTCH), min_lag=4, max_lag=n // 4)
    assert lag == pytest.approx(period, abs=0.5)
    assert h > 0.5 * snr / (1 + snr)


def _noise_event(start_s, end_s, lo_hz, hi_hz, power_dbfs, noise_dbfs=-30.0):
    from rfkit.detection.events import Event

    return Event(start_s=start_s, end_s=end_s, freq_lo_hz=lo_hz, freq_hi_hz=hi_hz, kind="noise", jamming=True,
                 power_dbfs=power_dbfs, jn_db=power_dbfs - noise_dbfs, confidence=0.9,
                 params={"bandwidth_hz": hi_hz - lo_hz})


def test_a_floor_rise_and_the_noise_filling_its_band_are_one_event_with_both_powers():
    from rfkit.detection.online import merge_fragments

    # the rise's power leaves the band-filling noise out (notched): 1 % of the total outside it
    rise = _noise_event(0.26, 1.19, -500e3, 500e3, -50.0)
    fill = _noise_event(0.25, 1.03, -420e3, 420e3, -30.0 + 10 * math.log10(0.99))
    (ev,) = merge_fragments([rise, fill], hold_s=0.5)
    assert ev.jn_db == pytest.approx(0.0, abs=1e-9)  # J = N: all of it
    assert (ev.start_s, ev.end_s) == (0.25, 1.19)
    assert (ev.freq_lo_hz, ev.freq_hi_hz) == (-500e3, 500e3)
    # a rise that holds the band already (as strong as the other): its own power
    rise = _noise_event(0.26, 1.19, -500e3, 500e3, -40.0)
    fill = _noise_event(0.25, 1.03, -420e3, 420e3, -40.5)
    (ev,) = merge_fragments([rise, fill], hold_s=0.5)
    assert ev.power_dbfs == -40.0
    # two measures of one band (a floor fall's rows are measured whole, nothing notched): a rise
    # a little weaker than the other (their estimation noise) holds it too - one power, not two
    rise = _noise_event(0.26, 1.19, -500e3, 500e3, -40.2)
    fill = _noise_event(0.25, 1.03, -420e3, 420e3, -40.0)
    (ev,) = merge_fragments([rise, fill], hold_s=0.5)
    assert ev.power_dbfs == pytest.approx(-40.0, abs=1e-9)
    assert ev.jn_db == pytest.approx(-40.0 + 30.0, abs=1e-9)
    # a noise of half the band beside a rise: the rise is that noise's skirts (dropped)
    half = _noise_event(0.25, 1.18, -250e3, 250e3, -33.0)
    (ev,) = merge_fragments([_noise_event(0.26, 1.19, -500e3, 500e3, -50.0), half], hold_s=0.5)
    assert ev == half
