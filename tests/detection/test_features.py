"""Features on signals whose answer is known by construction, and against naive twins."""

import math

import naive_detect as naive
import numpy as np
import pytest

from rfkit.detection import features as ft

RATE = 1e6


def _noise(n, p, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * math.sqrt(p / 2)


def test_kappa_constant_gaussian_and_keyed():
    n = 400_000
    t = np.arange(n) / RATE
    cw = np.exp(2j * np.pi * 1e4 * t)
    noise = _noise(n, 1.0, 1)
    # noiseless: the definition
    assert naive.kappa(cw) == pytest.approx(1.0, abs=1e-6)
    assert naive.kappa(noise) == pytest.approx(2.0, abs=0.03)
    # noise-corrected: a CW at SNR 1 in noise of known power still reads 1, gated at duty d reads 1/d
    k, s = ft.envelope_kappa(np.abs(cw + _noise(n, 1.0, 2)) ** 2, 1.0)
    assert k == pytest.approx(1.0, abs=0.05) and s == pytest.approx(1.0, rel=0.02)
    gate = (np.arange(n) % 1000) < 250
    k, _ = ft.envelope_kappa(np.abs(cw * gate + _noise(n, 0.1, 3)) ** 2, 0.1)
    assert k == pytest.approx(4.0, rel=0.05)


@pytest.mark.parametrize("prf,duty", [(1000.0, 0.3), (333.0, 0.1), (2500.0, 0.6)])
def test_pulse_fold_measures_prf_and_duty(prf, duty):
    n = 400_000
    t = np.arange(n) / RATE
    gate = ((t * prf) % 1.0) < duty
    x = gate * 1.0 + _noise(n, 0.2, 4)
    e = np.abs(x) ** 2
    L = 10
    w = e[: n // L * L].reshape(-1, L).mean(axis=1)
    tr = ft.pulse_fold(w, L / RATE, 0.2)
    assert tr is not None and tr.regular
    assert tr.prf_hz == pytest.approx(prf, rel=0.005)
    assert tr.duty == pytest.approx(duty, abs=0.02)


@pytest.mark.parametrize("seed", [7, 8])
def test_pulse_fold_weak_train_with_a_fractional_period(seed):
    # period 24.77 points: read as 25, its 16th multiple would be 4 points off; at -3 dB per
    # point only the comb of many multiples finds it
    n, period, width = 40_000, 24.77, 5
    gate = (np.arange(n) % period) < width
    rng = np.random.default_rng(seed)
    w = rng.exponential(1.0, n) + 0.5 * gate
    tr = ft.pulse_fold(w, 1e-4, 1.0)
    assert tr is not None and tr.regular
    assert tr.period_points == pytest.approx(period, rel=0.002)


def test_pulse_fold_needs_a_pulse_in_most_periods():
    # the same gate with its pulses in only a third of the periods (packets of devices that
    # happen to fall on one phase of a period): folded it looks keyed, but a keyer pulses in
    # every period; with every pulse there (and weak: -3 dB a point), it is a train
    n, period, width = 40_000, 50, 5
    idx = np.arange(n)
    rng = np.random.default_rng(11)
    some = rng.random(n // period + 1) < 1 / 3
    gate = ((idx % period) < width) & some[idx // period]
    w = rng.exponential(1.0, n) + 8.0 * gate
    tr = ft.pulse_fold(w, 1e-4, 1.0)
    assert tr is None or not tr.regular and tr.fill < ft.PERSISTENCE_MIN
    full = rng.exponential(1.0, n) + 0.5 * ((idx % period) < width)
    tr = ft.pulse_fold(full, 1e-4, 1.0)
    assert tr is not None and tr.regular and tr.fill >= 0.8
    # a keyer switched on a third of the way in: the periods before its first pulse don't count
    late = rng.exponential(1.0, n) + 8.0 * (((idx % period) < width) & (idx >= n // 3))
    tr = ft.pulse_fold(late, 1e-4, 1.0)
    assert tr is not None and tr.fill == 1.0
    # one strong pulse in the series: no train, however it folds
    one = rng.exponential(1.0, n) + 40.0 * ((idx >= 1000) & (idx < 1000 + width))
    tr = ft.pulse_fold(one, 1e-4, 1.0)
    assert tr is None or not tr.regular


def test_even_pulses_counts_pulses_of_a_fold_on_several_periods():
    # a profile folded on 7 periods of a keyer holds 7 pulses alike; one pulse, or two unlike
    # pulses (data keying), is one period
    seven = np.zeros(64)
    for i in range(7):
        a = int(i * 64 / 7)
        seven[a:a + 3] = 1.0
    assert ft._even_pulses(seven) == 7
    one = np.zeros(64)
    one[10:20] = 1.0
    assert ft._even_pulses(one) == 1
    unlike = one.copy()
    unlike[40:42] = 1.0
    assert ft._even_pulses(unlike) == 1
    wrapped = np.zeros(64)
    wrapped[[62, 63, 0, 1, 30, 31, 32, 33]] = 1.0  # one pulse across the profile's wrap
    assert ft._even_pulses(wrapped) == 2


@pytest.mark.parametrize("k", [3, 7])
def test_pulse_fold_on_a_multiple_of_the_period_finds_the_period(k):
    # folded on k periods, the profile shows k pulses; the train is then measured at the period
    rng = np.random.default_rng(k)
    n, period, width = 60_000, 40.0, 14
    w = rng.exponential(1.0, n) + 1.0 * ((np.arange(n) % period) < width)
    tr, mid = ft._fold_at(w, k * period, 1e-5, 1.0, 0.0)
    assert tr is not None and ft._even_pulses(mid) == k
    tr = ft.pulse_fold(w, 1e-5, 1.0)
    assert tr is not None and tr.regular
    assert tr.period_points == pytest.approx(period, rel=0.002)
    assert tr.duty == pytest.approx(width / period, abs=0.03)


def test_pulse_fold_rejects_noise_and_two_widths():
    rng = np.random.default_rng(5)
    assert ft.pulse_fold(rng.exponential(1.0, 40_000), 1e-5, 1.0) is None
    # a carrier dipped 100 ms or 200 ms each second (data keying, like DCF77): not a regular train
    dt = 0.01
    w = np.ones(3000)
    bits = rng.random(30) < 0.5  # random data bits: 100 ms dip for a 0, 200 ms for a 1
    for s in range(30):
        dip = 20 if bits[s] else 10
        w[s * 100: s * 100 + dip] = 0.02
    tr = ft.pulse_fold(w + rng.normal(0, 0.01, w.size), dt, 0.0)
    assert tr is not None and tr.prf_hz == pytest.approx(1.0, rel=0.01)
    assert not tr.regular


@pytest.mark.parametrize("rate_hz_per_s", [2e10, -5e9])
def test_chirp_rate_from_second_order_phase(rate_hz_per_s):
    n = 200_000
    t = np.arange(n) / RATE
    x = np.exp(1j * np.pi * rate_hz_per_s * t ** 2) + _noise(n, 1.0, 6)  # one long linear sweep, SNR 0 dB
    lag = int(RATE / math.sqrt(2 * math.pi * abs(rate_hz_per_s)))
    r, coh = ft.chirp_rate(x, RATE, lag)
    assert r == pytest.approx(rate_hz_per_s, rel=0.03)
    assert coh > 0.1


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
def test_chirp_rate_folded_keeps_a_triangle_coherent(shape):
    # a triangle's two slopes cancel in the plain mean of the second-order phase; folded on the
    # period, each half keeps its own, and |rate| comes back
    n, period, bw = 200_000, 70.0, 0.8 * RATE
    ph = (np.arange(n) / period) % 1.0
    if shape == "sawtooth":
        f = bw * (ph - 0.5)
        rate = bw / (period / RATE)
    else:
        f = bw * (np.abs(2 * ph - 1) - 0.5)
        rate = 2 * bw / (period / RATE)
    x = np.exp(2j * np.pi * np.cumsum(f) / RATE) + _noise(n, 1.0, 8)
    lag = 3
    _, coh = ft.chirp_rate(x, RATE, lag)
    r, fcoh = ft.chirp_rate_folded(x, RATE, lag, period)
    assert r == pytest.approx(rate, rel=0.15)  # the resets of a sawtooth bias it a little
    assert fcoh > 0.15
    if shape == "triangle":
        assert fcoh > 2 * coh
    noise = _noise(n, 1.0, 9)
    assert ft.chirp_rate_folded(noise, RATE, lag, period)[1] < 0.02


def test_autocorr_matches_direct_sums_and_finds_period():
    n = 20_000
    period = 37  # samples
    rng = np.random.default_rng(7)
    base = np.exp(2j * np.pi * rng.random(period))
    x = np.tile(base, n // period + 1)[:n] + _noise(n, 0.5, 8)
    _y, spec, _nfft = ft.band_filter(x, RATE, -RATE, RATE)  # the whole band: no taper inside it
    ac = ft.autocorr(spec, 200)
    want = naive.autocorr(x, 200)
    np.testing.assert_allclose(ac[1:120], want[1:120], atol=0.01)
    lag, _h = ft.periodic_lag(ac, 4)
    assert lag == pytest.approx(period, abs=0.05)


def test_ofdm_cyclic_prefix_is_found_and_noise_has_none():
    rng = np.random.default_rng(9)
    tu, cp, nsym = 128, 9, 2000
    syms = []
    for _ in range(nsym):
        X = np.zeros(tu, complex)
        X[4:60] = np.exp(2j * np.pi * rng.random(56))
        X[-60:-4] = np.exp(2j * np.pi * rng.random(56))
        s = np.fft.ifft(X)
        syms.append(np.concatenate([s[-cp:], s]))
    x = np.concatenate(syms)
    x = x / np.sqrt(np.mean(np.abs(x) ** 2)) + _noise(x.size, 0.3, 10)
    _y, spec, _ = ft.band_filter(x, RATE, -0.47 * RATE, 0.47 * RATE)
    ac = ft.autocorr(spec, 2000)
    lag, h, sig, rep = ft.ofdm_lag(ac, 40, x.size)
    assert lag == pytest.approx(tu, abs=1)
    assert 0.03 < h < 0.1 and sig > 10 and rep < 0.4
    z = _noise(x.size, 1.0, 11)
    _, spec, _ = ft.band_filter(z, RATE, -0.47 * RATE, 0.47 * RATE)
    _, h, sig, _ = ft.ofdm_lag(ft.autocorr(spec, 2000), 40, z.size)
    assert sig < 10


def test_prefix_steadiness_holds_for_ofdm_not_for_a_packet_in_noise():
    rng = np.random.default_rng(12)
    tu, cp, nsym = 128, 9, 2000
    syms = []
    for _ in range(nsym):
        s = np.fft.ifft(np.exp(2j * np.pi * rng.random(tu)))
        syms.append(np.concatenate([s[-cp:], s]))
    ofdm = np.concatenate(syms)
    ofdm = ofdm / np.sqrt(np.mean(np.abs(ofdm) ** 2))
    x = ofdm + _noise(ofdm.size, 0.3, 13)
    # every stretch shows the prefix: |R(Tu)| = CP / (Tu + CP) at this SNR
    assert ft.prefix_steadiness(x, tu, 0.3) == pytest.approx(cp / (tu + cp) / 1.3, abs=0.01)
    # a band of noise (a jammer, ten times the receiver's noise) with a stretch of OFDM (an
    # eighth) inside: the median stretch shows nothing
    z = _noise(ofdm.size, 1.0, 14) + _noise(ofdm.size, 0.1, 17)
    part = slice(0, ofdm.size // 8)
    z[part] += ofdm[part]
    assert ft.prefix_steadiness(z, tu, 0.1) < 0.01
    # silent stretches are no evidence either way (an OFDM burst with pauses)
    gated = x.copy()
    gated[ofdm.size // 2:] = _noise(ofdm.size - ofdm.size // 2, 0.3, 15)
    assert ft.prefix_steadiness(gated, tu, 0.3) > 0.04
    assert math.isnan(ft.prefix_steadiness(_noise(ofdm.size, 0.3, 16), tu, 0.3))


def test_sweep_track_saw_and_triangle():
    t = np.arange(300) * 0.01
    saw = (t % 0.5) / 0.5 * 1e6 - 5e5
    tri = np.abs(((t % 1.0) / 1.0) * 2 - 1) * 1e6 - 5e5
    s = ft.sweep_track(t, saw, 1e6)
    assert s["sweep_shape"] == "sawtooth" and s["sweep_rate_hz_per_s"] == pytest.approx(2e6, rel=0.05)
    s = ft.sweep_track(t, tri, 1e6)
    assert s["sweep_shape"] == "triangle" and s["sweep_rate_hz_per_s"] == pytest.approx(2e6, rel=0.05)
    assert ft.sweep_track(t, np.full(t.size, 1e5) + np.random.default_rng(0).normal(0, 1e3, t.size), 1e6) is None


def _ofdm_lag_naive(ac, min_lag, n_eff, side=64, candidates=ft.OFDM_CANDIDATES):
    """Twin of ft.ofdm_lag with explicit per-lag neighbourhood medians."""
    seg = ac[min_lag:]
    pad = np.concatenate([np.full(side, seg[0]), seg, np.full(side, seg[-1])])
    prom = np.array([seg[i] - max(np.median(pad[i:i + side - 3]), np.median(pad[i + side + 4:i + 2 * side + 1]))
                     for i in range(seg.size)])
    best = (np.nan, 0.0, 0.0, np.nan)
    for i in np.argsort(-prom)[:candidates]:
        lag, sig = min_lag + int(i), float(prom[i]) * np.sqrt(max(n_eff, 1.0))
        if sig <= 0:
            break
        c = 2 * lag
        rep = float(ac[max(0, c - 2):c + 3].max()) / float(seg[i]) if c + 3 < ac.shape[0] else np.nan
        if rep < ft.OFDM_REPEAT_MAX and sig > best[2]:
            best = (float(lag), float(seg[i]), sig, rep)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ofdm_lag_matches_naive_twin(seed):
    rng = np.random.default_rng(seed)
    ac = np.abs(rng.standard_normal(700)) * 0.05
    ac[0] = 1.0
    ac[200 + seed * 37] = 0.4  # an isolated peak
    got, want = ft.ofdm_lag(ac, 40, 1e5), _ofdm_lag_naive(ac, 40, 1e5)
    np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)


def test_band_filter_equals_plain_mask():
    rng = np.random.default_rng(5)
    x = (rng.standard_normal(3000) + 1j * rng.standard_normal(3000)).astype(np.complex64)
    lo, hi = -0.2 * RATE, 0.1 * RATE
    y, spec, nfft = ft.band_filter(x, RATE, lo, hi, notch=((0.0, 0.02 * RATE),))
    X = ft.snippet_fft(x)
    f = np.fft.fftfreq(nfft, 1.0 / RATE)
    keep = (f >= lo) & (f <= hi) & ~((f >= 0.0) & (f <= 0.02 * RATE))
    np.testing.assert_allclose(y, np.fft.ifft(np.where(keep, X, 0))[:3000], atol=1e-5)
    assert np.all(spec[~keep] == 0) and np.all(spec[keep] <= np.abs(X[keep]) ** 2 * (1 + 1e-6))


@pytest.mark.parametrize("seed", range(4))
def test_band_filter_taper_matches_raised_cosine_everywhere(seed):
    # the taper is computed on the band edges only; the whole band must equal the definition
    rng = np.random.default_rng(seed)
    n = int(rng.integers(500, 5000))
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    lo = rng.uniform(-0.5, 0.3) * RATE
    hi = lo + rng.uniform(0.01, 0.5) * RATE
    _, spec, nfft = ft.band_filter(x, RATE, lo, hi)
    X = ft.snippet_fft(x)
    f = np.fft.fftfreq(nfft, 1.0 / RATE)
    keep = (f >= lo) & (f <= hi)
    u = np.clip(np.minimum(f - lo, hi - f) / (ft.TAPER * (hi - lo)), 0.0, 1.0)
    want = np.where(keep, (X.real ** 2 + X.imag ** 2) * ((0.5 - 0.5 * np.cos(np.pi * u)) ** 2).astype(np.float32), 0)
    np.testing.assert_array_equal(spec, want)
    assert (u[keep] < 1).any() and (u[keep] == 1).any()
