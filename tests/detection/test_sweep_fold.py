"""Folded sweep measurement on sweeps whose rate, period and shape are known by construction."""

import math

import numpy as np
import pytest

from rfkit.detection import sweep_fold as sf

RATE = 2e6


def _sweep(n, *, f_lo, band, period_s, shape, bend=0.0, rate=RATE, phase_jitter=0.0, seed=0):
    """Unit-power sweep of continuous phase (a VCO's: the phase is the exact integral of the
    frequency): frequency f_lo + band * r(v), r(v) = v + bend v (1 - v) (mean slope 1), v the
    position in a sawtooth period or in each half of a triangle's. `phase_jitter` (rad) adds a
    random phase step at every period boundary (a sweep whose phase does not carry over)."""
    t = np.arange(n) / rate
    k = np.floor(t / period_s)
    u = t / period_s - k

    def ramp_integral(v):  # integral of r from 0 to v
        return v * v / 2 + bend * (v * v / 2 - v ** 3 / 3)

    if shape == "triangle":
        within = np.where(u < 0.5, ramp_integral(2 * u) / 2,
                          ramp_integral(1.0) - ramp_integral(2 - 2 * u) / 2)
    else:
        within = ramp_integral(u)
    phase = 2 * np.pi * (f_lo * t + band * period_s * (k * ramp_integral(1.0) + within))
    if phase_jitter:
        rng = np.random.default_rng(seed + 99)
        steps = rng.uniform(-phase_jitter, phase_jitter, int(k.max()) + 1)
        phase = phase + steps[k.astype(np.int64)]
    return np.exp(1j * phase)


def _noise(n, p, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * math.sqrt(p / 2)


def _true_rate(band, period_s, shape):
    return band / period_s * (2.0 if shape == "triangle" else 1.0)


@pytest.mark.parametrize("shape,band,period_s,bend", [
    ("sawtooth", 600e3, 30e-6, 0.0),     # 60 samples a period
    ("triangle", 900e3, 40e-6, 0.06),    # bent ramps: the mean slope is still 2 B / T
    ("sawtooth", 300e3, 10.3e-6, -0.05),  # 20.6 samples a period, B T ~ 3
])
def test_coherent_fold_measures_rate_period_and_shape(shape, band, period_s, bend):
    n = 1 << 18
    x = _sweep(n, f_lo=-band / 2 + 50e3, band=band, period_s=period_s, shape=shape, bend=bend)
    y = x + _noise(n, 1.0, 3)  # 0 dB in the whole 2 MHz: J/N above 0 dB in the band
    # the rough period the autocorrelation gives (0.3 % off) and band edges read 10 % narrow
    lo, hi = -band / 2 + 50e3 + 0.05 * band, band / 2 + 50e3 - 0.05 * band
    got = sf.sweep_fold(y, RATE, period_s * 1.003, lo, hi)
    assert got is not None
    assert got["sweep_shape"] == shape
    assert got["sweep_period_s"] == pytest.approx(period_s, rel=1e-4)
    assert got["sweep_rate_hz_per_s"] == pytest.approx(_true_rate(band, period_s, shape), rel=0.03)


def test_comb_lines_period_and_offset():
    n = 1 << 18
    period_s = 25.3e-6
    x = _sweep(n, f_lo=-300e3, band=500e3, period_s=period_s, shape="sawtooth") + _noise(n, 1.0, 4)
    per, off, lines = sf.comb_lines(x, RATE, period_s * 0.997, -300e3, 200e3)
    assert per == pytest.approx(period_s, rel=1e-5)
    assert lines >= 5
    # every line sits at the mean frequency plus a multiple of 1/T
    mean_f = -300e3 + 250e3
    k = (off - mean_f) * period_s
    assert abs(k - round(k)) < 0.02


def test_power_fold_slow_sweep_and_jittered_phase():
    """A slow sweep (B T ~ 2000, too many bins for a coherent fold) whose phase jumps at every
    period: only the power fold measures it, and it measures the slope."""
    n = 1 << 19
    band, period_s = 800e3, 2.5e-3
    x = _sweep(n, f_lo=-400e3, band=band, period_s=period_s, shape="triangle", phase_jitter=math.pi)
    y = x + _noise(n, 3.0, 5)
    assert sf.sweep_fold(y, RATE, period_s, -400e3, 400e3) is None
    got = sf.sweep_fold_power(y, RATE, period_s, -400e3, 400e3)
    assert got is not None and got["sweep_shape"] == "triangle"
    want = _true_rate(band, period_s, "triangle")
    assert got["sweep_rate_hz_per_s"] == pytest.approx(want, rel=0.02)


def test_power_fold_over_a_few_long_periods_takes_fewer_phase_bins():
    """A snippet holding under three periods of a slow triangle (rfkit scenario seed 97's 018:
    B 2.5 MHz, T 18 ms, 52 ms at 10 MS/s, J/N -5 dB) has too few frames for 256 phase bins of 8
    frames each: folded into 128 it traces the sweep (each bin 0.14 ms, a frame 0.1 ms)."""
    rate = 10e6
    n = 1 << 19
    band, period_s = 2.5e6, 17.97e-3
    x = _sweep(n, f_lo=-1.25e6, band=band, period_s=period_s, shape="triangle", rate=rate)
    y = x + _noise(n, 10 ** 0.5, 8)
    got = sf.sweep_fold_power(y, rate, period_s, -1.27e6, 1.27e6)
    assert got is not None and got["sweep_shape"] == "triangle"
    assert got["sweep_rate_hz_per_s"] == pytest.approx(_true_rate(band, period_s, "triangle"), rel=0.02)


def test_sweep_leaving_the_band_is_not_measured():
    """A sweep wider than the receiver's band is seen only part of each period: no slope from
    the fold (the in-band pulses are another estimate's)."""
    n = 1 << 18
    band, period_s = 3.0e6, 40e-6
    x = _sweep(n, f_lo=-1.5e6, band=band, period_s=period_s, shape="sawtooth", rate=4 * RATE)
    # receive at RATE through an ideal +-0.8 MHz filter: the sweep is out of band 47 % of the time
    spec = np.fft.fft(x)
    f = np.fft.fftfreq(n, 1 / (4 * RATE))
    spec[np.abs(f) > 0.8e6] = 0
    y = np.fft.ifft(spec)[::4] + _noise(n // 4, 0.01, 6)
    assert sf.sweep_fold(y, RATE, period_s, -0.8e6, 0.8e6) is None
    assert sf.sweep_fold_power(y, RATE, period_s, -0.8e6, 0.8e6) is None


def test_noise_and_a_tone_give_no_sweep():
    n = 1 << 18
    t = np.arange(n) / RATE
    noise = _noise(n, 1.0, 7)
    assert sf.sweep_fold(noise, RATE, 30e-6, -400e3, 400e3) is None
    assert sf.sweep_fold_power(noise, RATE, 3e-3, -400e3, 400e3) is None
    tone = np.exp(2j * np.pi * 123e3 * t) + noise
    assert sf.sweep_fold(tone, RATE, 30e-6, -400e3, 400e3) is None


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
def test_detect_measures_a_sweep_reaching_into_the_roll_off(shape):
    """End to end at J/N -5 dB: a fast sweep whose low end lies in a receiver roll-off (its band
    edge reads inside the swept band) is reported with its true rate, not band / period."""
    import rfkit

    n = int(1.2 * RATE)
    band, period_s = 700e3, 23.7e-6
    x = _sweep(n, f_lo=-520e3, band=band, period_s=period_s, shape=shape, bend=0.05)
    t = np.arange(n) / RATE
    x = x * ((t >= 0.2) & (t < 1.0))
    noise = _noise(n, 1.0, 8)
    # J/N -5 dB over the swept band (the noise is white over the whole 2 MHz)
    y = x * math.sqrt(10 ** -0.5 * band / RATE) + noise
    # receiver response: flat to 0.3 fs, then a raised-cosine fall to -10 dB at the band edge
    f = np.abs(np.fft.fftfreq(n, 1 / RATE)) / RATE
    tilt = np.clip((f - 0.3) / 0.2, 0.0, 1.0)
    gain = 10 ** (-10 / 20 * (0.5 - 0.5 * np.cos(np.pi * tilt)))
    y = np.fft.ifft(np.fft.fft(y) * gain).astype(np.complex64)
    dets = rfkit.detect(y, rate_hz=RATE, center_hz=433.92e6)
    jam = [e for e in dets if e.jamming]
    assert len(jam) == 1 and jam[0].kind == "chirp"
    p = jam[0].params
    assert p["sweep_shape"] == shape
    assert p["sweep_period_s"] == pytest.approx(period_s, rel=1e-3)
    assert p["sweep_rate_hz_per_s"] == pytest.approx(_true_rate(band, period_s, shape), rel=0.02)


def test_frequency_period_of_a_sweep_whose_phase_jumps_every_period():
    """A sweep whose phase starts afresh each period has no comb and no |R| peak at its period,
    but its instantaneous frequency repeats: the period to 1e-4, then the power fold's rate."""
    n = 1 << 19
    band, period_s = 1.2e6, 100.3e-6  # 200.6 samples a period, B T ~ 120
    x = _sweep(n, f_lo=-570e3, band=band, period_s=period_s, shape="sawtooth", phase_jitter=math.pi)
    y = x + _noise(n, 1.0, 12)  # 0 dB in the whole 2 MHz
    min_lag = math.ceil(sf.POWER_MIN_BT * RATE / band)
    per = sf.frequency_period(y, RATE, min_lag)
    assert per == pytest.approx(period_s, rel=1e-4)
    assert sf.comb_lines(y, RATE, per, -570e3, 630e3) is None
    got = sf.sweep_fold_power(y, RATE, per, -570e3, 630e3)
    assert got is not None and got["sweep_shape"] == "sawtooth"
    assert got["sweep_rate_hz_per_s"] == pytest.approx(band / period_s, rel=0.02)
    assert got["centre_hz"] == pytest.approx(30e3, abs=0.02 * band)


def _band(y, lo_hz, hi_hz, rate=RATE):
    """y through an ideal band filter [lo_hz, hi_hz] (as the detector's snippet filter)."""
    f = np.fft.fftfreq(y.size, 1.0 / rate)
    Y = np.fft.fft(y)
    Y[(f < lo_hz) | (f > hi_hz)] = 0
    return np.fft.ifft(Y)


@pytest.mark.parametrize("shape,band,period_s,tol", [
    ("sawtooth", 1.6e6, 6.3837e-3, 1e-3),   # 12767.4 samples a period: a lobe ~1300 samples wide
    ("triangle", 1.1e6, 1.3127e-3, 1e-3),   # 2625.4 samples a period
    ("sawtooth", 1.2e6, 75.3e-3, 5e-3),     # 0.29 of the snippet: past a quarter, within a third
    ("triangle", 1.5e6, 71.9e-3, 5e-3),     # (one peak, no multiple to refine it on)
])
def test_frequency_period_of_slow_sweeps(shape, band, period_s, tol):
    """Sweeps of milliseconds, their phase accumulated on the sample clock, at about -1 dB in their
    band: the lag-1 phase correlates over a central lobe wider than the shortest lag searched,
    and its peaks are as wide as the period; the period past the lobe (to 1e-3 where multiples
    of it refine it), and the power fold then traces the sweep (rate to 2 %)."""
    n = 1 << 19
    lo = -0.45 * band
    x = _sweep_sample_clock(n, f_lo=lo, band=band, period_s=period_s, shape=shape)
    y = _band(x + _noise(n, 1.6, 21), lo - 0.1 * band, lo + 1.1 * band)
    min_lag = math.ceil(sf.POWER_MIN_BT * RATE / band)
    per = sf.frequency_period(y, RATE, min_lag, band_hz=1.2 * band)
    assert per == pytest.approx(period_s, rel=tol)
    got = sf.sweep_fold_power(y, RATE, per, lo, lo + band)
    assert got is not None and got["sweep_shape"] == shape
    assert got["sweep_rate_hz_per_s"] == pytest.approx(_true_rate(band, period_s, shape), rel=0.02)


def test_frequency_period_of_a_band_of_noise_is_none():
    n = 1 << 19
    y = _band(_noise(n, 1.0, 22), -600e3, 600e3)
    assert sf.frequency_period(y, RATE, 200, band_hz=1.2e6) is None


def test_frequency_period_of_noise_and_a_tone_is_none():
    n = 1 << 19
    t = np.arange(n) / RATE
    noise = _noise(n, 1.0, 13)
    assert sf.frequency_period(noise, RATE, 200) is None
    tone = np.exp(2j * np.pi * 77e3 * t) + noise
    assert sf.frequency_period(tone, RATE, 200) is None


def test_detect_measures_a_sweep_whose_phase_jumps_every_period():
    """End to end at J/N 0 dB: a fast sweep without phase continuity (a band of noise to the
    band's |R| and comb) is reported as a chirp with its rate and period."""
    import rfkit

    n = int(1.2 * RATE)
    band, period_s = 1.6e6, 80.2e-6
    x = _sweep(n, f_lo=-770e3, band=band, period_s=period_s, shape="sawtooth", phase_jitter=math.pi, seed=3)
    t = np.arange(n) / RATE
    y = (x * ((t >= 0.2) & (t < 1.0)) + _noise(n, 1.0, 14)).astype(np.complex64)
    dets = rfkit.detect(y, rate_hz=RATE, center_hz=433.92e6)
    jam = [e for e in dets if e.jamming]
    assert len(jam) == 1 and jam[0].kind == "chirp"
    p = jam[0].params
    assert p["sweep_period_s"] == pytest.approx(period_s, rel=1e-3)
    assert p["sweep_rate_hz_per_s"] == pytest.approx(band / period_s, rel=0.02)
    assert jam[0].start_s == pytest.approx(0.2, abs=0.05) and jam[0].end_s == pytest.approx(1.0, abs=0.05)


def test_frequency_period_of_chirp_spread_packets_is_none():
    """LoRa-like packets: 8 identical up-chirps, then data symbols (up-chirps cyclically shifted
    by random amounts): the frequency repeats over the preamble only, not all along."""
    rng = np.random.default_rng(15)
    bw, sym_s = 250e3, 1.024e-3
    ns = round(sym_s * RATE)
    u = np.arange(ns) / ns
    parts = []
    for k in range(8 + 200):
        shift = 0.0 if k < 8 else rng.integers(0, 256) / 256
        f = -bw / 2 + bw * ((u + shift) % 1.0)
        parts.append(f)
    f = np.concatenate(parts)
    x = np.exp(2j * np.pi * np.cumsum(f) / RATE)
    y = x + _noise(x.size, 0.3, 16)
    assert sf.frequency_period(y, RATE, math.ceil(sf.POWER_MIN_BT * RATE / bw)) is None
    # the same symbols all unshifted (a sweep jammer) repeat all along
    z = np.exp(2j * np.pi * np.cumsum(np.tile(parts[0], 208)) / RATE) + _noise(x.size, 0.3, 16)
    assert sf.frequency_period(z, RATE, math.ceil(sf.POWER_MIN_BT * RATE / bw)) == pytest.approx(sym_s, rel=1e-4)


def _sweep_sample_clock(n, *, f_lo, band, period_s, shape, rate=RATE, wander_rad=0.0, seed=0):
    """Unit-power sweep whose phase is accumulated on the sample clock (a digital generator's:
    phase[n] = 2 pi sum f(t_k) / fs), so a period of no whole number of samples adds a different
    phase each period; `wander_rad` adds a random-walk phase (its step's std per sample)."""
    t = np.arange(n) / rate
    u = (t / period_s) % 1.0
    if shape == "triangle":
        u = np.where(u < 0.5, 2 * u, 2 - 2 * u)
    f = f_lo + band * u
    phase = 2 * np.pi * np.cumsum(f) / rate
    if wander_rad:
        phase = phase + np.cumsum(np.random.default_rng(seed + 77).normal(0.0, wander_rad, n))
    return np.exp(1j * phase)


@pytest.mark.parametrize("shape,band,period_s,wander", [
    ("sawtooth", 880e3, 6.75e-6, 0.0),     # 13.5 samples a period over ~half the band
    ("triangle", 1.7e6, 5.13e-6, 0.0),     # 10.3 samples a period over most of the band
    ("sawtooth", 760e3, 5.3e-6, 3e-3),     # a carrier whose phase wanders (lines ~1 kHz wide)
])
def test_step_fold_measures_sweeps_the_coherent_fold_cannot(shape, band, period_s, wander):
    n = 1 << 19
    x = _sweep_sample_clock(n, f_lo=-band / 2 - 40e3, band=band, period_s=period_s, shape=shape,
                            wander_rad=wander)
    y = x + _noise(n, 1.0, 21)  # 0 dB in the whole 2 MHz
    lo, hi = -0.98e6, 0.98e6  # the band read: the whole band (a floor rise)
    got = sf.sweep_fold_step(y, RATE, period_s * 1.004, lo, hi)
    assert got is not None
    assert got["sweep_shape"] == shape
    assert got["sweep_period_s"] == pytest.approx(period_s, rel=1e-5)
    assert got["sweep_rate_hz_per_s"] == pytest.approx(_true_rate(band, period_s, shape), rel=0.04)
    assert got["bandwidth_hz"] == pytest.approx(band, rel=0.05)
    assert got["centre_hz"] == pytest.approx(-40e3, abs=0.03 * band)
    # no rough period: the strongest line of the lag product gives it
    free = sf.sweep_fold_step(y, RATE, None, lo, hi, min_period_s=4 / (hi - lo))
    assert free is not None and free["sweep_shape"] == shape
    assert free["sweep_period_s"] == pytest.approx(period_s, rel=1e-5)


def test_step_fold_takes_the_noise_correlation_off():
    """-5 dB in a band filtered to 1.2 MHz: band-limited noise correlates over one sample and
    pulls every bin's frequency toward the filter's centre unless its own correlation is taken off."""
    n = 1 << 19
    band, period_s = 780e3, 7.88e-6
    x = _sweep_sample_clock(n, f_lo=-240e3, band=band, period_s=period_s, shape="sawtooth")
    noise = _noise(n, 1.0, 22)
    lo, hi = -600e3, 600e3
    f = np.fft.fftfreq(n, 1 / RATE)
    keep = (f >= lo) & (f <= hi)
    y = np.fft.ifft(np.fft.fft(x * math.sqrt(10 ** -0.5 * (hi - lo) / RATE) + noise) * keep)
    dens = 1.0 / RATE  # white noise of unit power over the sampled band, per Hz
    fk = f[keep]

    def corr(lag, centre):
        return complex(np.sum(dens * (RATE / n) * np.exp(2j * np.pi * (fk - centre) * lag / RATE)))

    got = sf.sweep_fold_step(y, RATE, period_s, -240e3, 540e3, noise_corr=corr, pass_hz=hi - lo)
    assert got is not None and got["sweep_shape"] == "sawtooth"
    assert got["sweep_rate_hz_per_s"] == pytest.approx(band / period_s, rel=0.04)


@pytest.mark.parametrize("k,seed", [(3, 1), (4, 2), (6, 3), (5, 5)])
def test_step_fold_of_evenly_spaced_tones_that_beat_is_no_steady_sweep(k, seed):
    """Tones 1/T apart with random phases repeat every T like a sweep's comb, but they beat:
    their frequency follows no straight line, or their folded power swings (the evidence's
    TRACE_STEADY_MIN)."""
    from rfkit.detection.evidence import TRACE_STEADY_MIN

    n = 1 << 19
    rng = np.random.default_rng(seed)
    spacing = 120e3
    t = np.arange(n) / RATE
    x = sum(np.exp(1j * (2 * np.pi * (-300e3 + i * spacing) * t + rng.uniform(0, 2 * np.pi)))
            for i in range(k))
    y = x + _noise(n, 0.3, 23)
    got = sf.sweep_fold_step(y, RATE, 1 / spacing, -320e3, -300e3 + (k - 1) * spacing + 20e3)
    assert got is None or got["steady"] < TRACE_STEADY_MIN


def test_step_fold_of_noise_is_none():
    n = 1 << 19
    assert sf.sweep_fold_step(_noise(n, 1.0, 24), RATE, None, -900e3, 900e3, min_period_s=4 / 1.8e6) is None
    assert sf.sweep_fold_step(_noise(n, 1.0, 25), RATE, 7e-6, -900e3, 900e3) is None


def test_sawtooth_folded_on_twice_its_period_is_no_triangle():
    """Two rising ramps in one fold (a sawtooth folded on 2 T) have a triangle's extremes half
    a fold apart, but a triangle's pieces slope opposite ways."""
    bins = 64
    ramp = np.linspace(-400e3, 400e3, bins // 2, endpoint=False)
    fi = np.concatenate([ramp, ramp])
    amp = np.ones(bins)
    assert sf._fit_pieces(fi, amp, 1, 3) is None
    tri = np.concatenate([ramp, ramp[::-1]])
    got = sf._fit_pieces(tri, amp, 1, 3)
    assert got is not None and got[0] == "triangle"
