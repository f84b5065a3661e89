"""Emitters' waveforms against their physics, measured with plain numpy on the generated samples.

Each emitter is isolated by generating the scenario twice with the same seed, with and
without the emitter: the thermal noise stream is the same, so the difference is the emitter.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rfkit.errors import ParameterError
from rfkit.synth import CW, Chirp, Hopping, Multitone, Noise, Pulsed, Scenario, generate

RATE = 1.0e6
SEED = 3


def isolated(emitter, *, duration_s=0.2, rate=RATE, noise_dbfs=-30.0):
    """(emitter-only samples as complex128, noise-only samples, truth) of a one-emitter scenario."""
    with_e = Scenario(emitters=(emitter,), rate_hz=rate, duration_s=duration_s, noise_dbfs=noise_dbfs)
    without = Scenario(emitters=(), rate_hz=rate, duration_s=duration_s, noise_dbfs=noise_dbfs)
    x, truth = generate(with_e, seed=SEED)
    n, _ = generate(without, seed=SEED)
    return x.astype(np.complex128) - n.astype(np.complex128), n.astype(np.complex128), truth


def inst_freq(x, rate):
    """Instantaneous frequency between consecutive samples, Hz (phase difference × rate / 2π)."""
    return np.angle(x[1:] * np.conj(x[:-1])) * rate / (2 * np.pi)


def test_cw_frequency_and_power():
    e, n, truth = isolated(CW(jn_db=-3.0, offset_hz=123_456.0))
    f = np.mean(inst_freq(e, RATE))
    assert f == pytest.approx(123_456.0, abs=0.05)
    jn = 10 * np.log10(np.mean(np.abs(e) ** 2) / np.mean(np.abs(n) ** 2))
    assert jn == pytest.approx(-3.0, abs=0.05)
    assert truth[0].params["tones_hz"] == [1575.42e6 + 123_456.0]
    assert truth[0].kind == "cw" and truth[0].jamming


def test_multitone_tones_equal_power():
    tones = (-200e3, 50e3, 310e3)
    e, n, truth = isolated(Multitone(jn_db=0.0, offsets_hz=tones), duration_s=0.1)
    spec = np.abs(np.fft.fft(e)) ** 2 / e.size ** 2  # 0.1 s: bins 10 Hz apart, tones on bins
    freqs = np.fft.fftfreq(e.size, 1 / RATE)
    top = np.sort(freqs[np.argsort(spec)[-3:]])
    np.testing.assert_allclose(top, tones, atol=1e-6)
    p = np.mean(np.abs(n) ** 2)
    for f in tones:
        k = np.argmin(np.abs(freqs - f))
        assert 10 * np.log10(spec[k] / p) == pytest.approx(10 * np.log10(1 / 3), abs=0.05)
    assert truth[0].params["tones_hz"] == [1575.42e6 + f for f in tones]


def expected_chirp_freq(t, f_lo, bw, period, shape):
    u = (t / period) % 1.0
    if shape == "sawtooth":
        return f_lo + bw * u
    return f_lo + bw * np.where(u < 0.5, 2 * u, 2 - 2 * u)


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
@pytest.mark.parametrize("period", [2e-3, 40e-6])  # slow (a line) and fast (shorter than a 1024-point frame)
def test_chirp_instantaneous_frequency(shape, period):
    bw, off = 600e3, 50e3
    e, _, truth = isolated(Chirp(jn_db=10.0, offset_hz=off, bandwidth_hz=bw, period_s=period, shape=shape),
                           duration_s=0.05)
    f = inst_freq(e, RATE)
    t_mid = (np.arange(f.size) + 0.5) / RATE  # the phase step of a linear sweep is f at the midpoint
    want = expected_chirp_freq(t_mid, off - bw / 2, bw, period, shape)
    err = np.abs(f - want)
    # exact except for the sample pairs that straddle a sawtooth jump or a triangle apex
    assert np.mean(err < 1.0) > 1 - 2.5 * (1 / RATE) / (period / 2)
    assert np.median(err) < 0.01
    p = truth[0].params
    assert p["sweep_period_s"] == period and p["sweep_shape"] == shape and p["bandwidth_hz"] == bw
    assert p["sweep_rate_hz_per_s"] == pytest.approx(bw / period * (2 if shape == "triangle" else 1))


def test_chirp_phase_is_continuous_over_a_long_recording():
    """Late in a long recording the phase still steps by the instantaneous frequency (no drift)."""
    c = Chirp(jn_db=120.0, bandwidth_hz=400e3, period_s=30e-6, shape="sawtooth")  # noise far below float32
    sc = Scenario(emitters=(c,), rate_hz=RATE, duration_s=3.0, noise_dbfs=-150.0)
    x, _ = generate(sc, seed=1)
    tail = x[-20000:].astype(np.complex128)
    f = inst_freq(tail, RATE)
    t_mid = (x.size - 20000 + np.arange(f.size) + 0.5) / RATE
    want = expected_chirp_freq(t_mid, -200e3, 400e3, 30e-6, "sawtooth")
    assert np.median(np.abs(f - want)) < 5.0


def test_noise_bandwidth_and_power():
    bw, off = 100e3, -150e3
    e, n, truth = isolated(Noise(jn_db=0.0, offset_hz=off, bandwidth_hz=bw), duration_s=0.5)
    # Welch-style average spectrum, 1 kHz bins
    frames = e[: (e.size // 1000) * 1000].reshape(-1, 1000) * np.hanning(1000)
    psd = np.fft.fftshift(np.mean(np.abs(np.fft.fft(frames, axis=1)) ** 2, axis=0))
    freqs = np.fft.fftshift(np.fft.fftfreq(1000, 1 / RATE))
    inside = np.abs(freqs - off) < 0.4 * bw
    outside = np.abs(freqs - off) > 0.6 * bw
    assert 10 * np.log10(np.mean(psd[inside]) / np.mean(psd[outside])) > 40
    # half the power inside ±B/2 ... almost all of it: −6 dB edges make the equivalent width B
    occupied = np.sum(psd[np.abs(freqs - off) <= bw / 2]) / np.sum(psd)
    assert occupied > 0.93
    jn = 10 * np.log10(np.mean(np.abs(e) ** 2) / np.mean(np.abs(n) ** 2))
    assert jn == pytest.approx(0.0, abs=0.1)
    assert truth[0].freq_lo_hz == pytest.approx(1575.42e6 + off - bw / 2)
    assert truth[0].params["bandwidth_hz"] == bw


def test_whole_band_noise_is_white():
    e, n, _ = isolated(Noise(jn_db=-5.0, bandwidth_hz=RATE), duration_s=0.5)
    jn = 10 * np.log10(np.mean(np.abs(e) ** 2) / np.mean(np.abs(n) ** 2))
    assert jn == pytest.approx(-5.0, abs=0.05)
    c = np.mean(e[1:] * np.conj(e[:-1])) / np.mean(np.abs(e) ** 2)
    assert abs(c) < 0.01  # white: no correlation between neighbours


@pytest.mark.parametrize("base", [CW(offset_hz=100e3), Chirp(bandwidth_hz=300e3, period_s=50e-6),
                                  Noise(offset_hz=-100e3, bandwidth_hz=50e3)])
def test_pulsed_duty_and_prf(base):
    prf, duty, start = 500.0, 0.3, 0.013
    e, n, truth = isolated(Pulsed(jn_db=10.0, base=base, prf_hz=prf, duty=duty, start_s=start), duration_s=0.2)
    on = np.abs(e) > 1e-6
    assert not on[: int(start * RATE)].any()
    seg = on[int(np.ceil(start * RATE)):]
    whole = int(seg.size // (RATE / prf) * (RATE / prf))  # whole pulse periods only
    assert np.mean(seg[:whole]) == pytest.approx(duty, abs=1 / (RATE / prf))
    rises = np.flatnonzero(np.diff(seg.astype(np.int8)) == 1) + 1
    if isinstance(base, Noise):  # filtered noise may dip near zero inside a pulse; use the gate edges only
        rises = rises[np.diff(np.concatenate([[-10**9], rises])) > 0.5 * RATE / prf]
    np.testing.assert_allclose(np.diff(rises), RATE / prf, atol=1.5)
    # power while on is J
    p_on = np.mean(np.abs(e[np.ceil(start * RATE).astype(int):][seg]) ** 2)
    assert 10 * np.log10(p_on / np.mean(np.abs(n) ** 2)) == pytest.approx(10.0, abs=0.15)
    p = truth[0].params
    assert truth[0].kind == "pulsed" and p["base_kind"] == base.kind
    assert p["prf_hz"] == prf and p["duty_cycle"] == duty and p["pulse_width_s"] == pytest.approx(duty / prf)


def test_hopping_dwell_and_channels():
    ch = (-300e3, -100e3, 150e3, 320e3)
    dwell = 2e-3
    e, _, truth = isolated(Hopping(jn_db=10.0, channels_hz=ch, dwell_s=dwell), duration_s=0.1)
    per = int(dwell * RATE)
    hops = e[: (e.size // per) * per].reshape(-1, per)
    seen = [np.mean(inst_freq(h, RATE)) for h in hops]
    nearest = [min(ch, key=lambda c: abs(c - f)) for f in seen]
    np.testing.assert_allclose(seen, nearest, atol=1.0)
    assert all(a != b for a, b in itertools.pairwise(nearest))  # never the same channel twice in a row
    assert set(nearest) == set(ch)
    assert truth[0].params["hop_rate_hz"] == pytest.approx(1 / dwell)
    assert truth[0].params["channels_hz"] == [1575.42e6 + c for c in ch]


def test_switch_on_and_off_times():
    e, _, truth = isolated(CW(jn_db=0.0, offset_hz=1e3, start_s=0.05, end_s=0.12), duration_s=0.2)
    on = np.flatnonzero(np.abs(e) > 1e-6)
    assert on[0] == 50_000 and on[-1] == 119_999
    assert truth[0].start_s == pytest.approx(0.05) and truth[0].end_s == pytest.approx(0.12)


@pytest.mark.parametrize("make, match", [
    (lambda: Chirp(shape="square"), "shape='square'"),
    (lambda: Pulsed(duty=1.5), "duty=1.5"),
    (lambda: Pulsed(base=Pulsed()), "other than Pulsed"),
    (lambda: Multitone(offsets_hz=(1.0,)), "at least two"),
    (lambda: Hopping(channels_hz=(1.0, 1.0)), "at least two channels"),
    (lambda: CW(start_s=0.5, end_s=0.2), "end_s=0.2"),
    (lambda: Noise(bandwidth_hz=0), "bandwidth_hz=0"),
    (lambda: Scenario(emitters=(CW(offset_hz=2e6),), rate_hz=1e6), "outside"),
])
def test_bad_parameters(make, match):
    with pytest.raises(ParameterError, match=match):
        make()
