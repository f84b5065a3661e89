"""Repeated ordinary packets are not jamming (rfkit/detection/packets.py and its uses): beacons
whose intervals carry a random delay vs a clock-driven pulsed jammer, chirp-spread-spectrum
packets vs a slow sweep, a receiver's DC spike vs a hopper's hand-overs. Ground truth is built
here (numpy), with other constants than benchmarks/ag.py's; the altgen recordings where the
detector once called such traffic jamming are replayed at the end."""

from __future__ import annotations

import numpy as np
import pytest
from bursts import fsk_bursts, white_noise
from independent import altgen, one_jammer, recording

import rfkit
from rfkit.detection import packets

RATE = 2.0e6


def _reader(x):
    def read(a, b):
        a = max(a, 0)
        return a, (x[a:b] if b > a else None)
    return read


def _fsk_bursts(n, rng, starts_s, width_s, *, f0, snr_db, rate=RATE):
    return fsk_bursts(n, rng, starts_s, width_s, f0=f0, snr_db=snr_db, rate=rate, dev_hz=25e3)


def _starts(rng, first_s, period_s, delay_s, end_s):
    t, out = first_s, []
    while t < end_s:
        out.append(t)
        t += period_s + rng.uniform(0, delay_s)
    return out


# -- the pieces ---------------------------------------------------------------------------------

def test_interval_jitter_tells_a_clock_from_random_delays():
    rng = np.random.default_rng(1)
    clock = np.arange(12) * 0.0625 + rng.normal(0, 2e-6, 12)  # a crystal and 2 us of timing noise
    assert packets.interval_jitter(clock, 0.0625) == (0.0, 11)
    beacon = np.cumsum(0.0625 + rng.uniform(0, 0.008, 12))
    spread, n = packets.interval_jitter(beacon, 0.066)
    assert n == 11 and spread > 0.25  # (a regular train's pri_spread is at most 0.25)
    # a missed pulse spans two periods and still counts as one clock interval
    missed = np.delete(clock, 5)
    assert packets.interval_jitter(missed, 0.0625) == (0.0, 10)
    # too few intervals, or starts that are not one a period (an envelope crossing its level at
    # random): no verdict
    assert np.isnan(packets.interval_jitter(clock[:4], 0.0625)[0])
    assert np.isnan(packets.interval_jitter(np.sort(rng.uniform(0, 1, 16)), 0.0625)[0])


@pytest.mark.parametrize("delay_s, want_jittered", [(0.0, False), (0.008, True)])
def test_pulse_jitter_on_raw_samples(delay_s, want_jittered):
    rng = np.random.default_rng(2)
    n = int(1.2 * RATE)
    st = _starts(rng, 0.03, 0.07, delay_s, 1.15)
    x = white_noise(n, rng) + _fsk_bursts(n, rng, st, 0.012, f0=300e3, snr_db=6)
    noise = 1e-6 * 100e3 / RATE  # noise power in the 100 kHz band
    spread, k = packets.pulse_jitter(_reader(x), 0, n, RATE, 250e3, 350e3, noise, 0.07 + delay_s / 2)
    assert k >= 10
    assert (spread > 0.5) if want_jittered else (spread == 0.0)


def _keyed_tone_pair(n, rng, *, prf_hz, duty, tone_power, rate=RATE):
    """Noise and two tones 1.2 MHz apart keyed together by a crystal clock (`tone_power` each,
    the noise's power 1e-6 over the whole band)."""
    t = np.arange(n) / rate
    gate = ((t * prf_hz) % 1.0) < duty
    a = np.sqrt(tone_power)
    tones = sum(np.exp(2j * np.pi * f * t + 1j * rng.uniform(0, 2 * np.pi)) for f in (-600e3, 600e3))
    return white_noise(n, rng) + gate * a * tones


@pytest.mark.parametrize("tone_power, judged", [(0.19e-6, False), (1e-6, True)])
@pytest.mark.parametrize("seed", [0, 3])
def test_pulse_jitter_of_keyed_tones_read_across_the_band_between_them(tone_power, judged, seed):
    # two keyed tones far apart are timed through the whole span between them, which holds
    # mostly noise: its top windows lie well over the pulses' level (independent 127's alt066,
    # read at an SNR of 2.2 where the pulses stood at 0.58), and noise crossing the half level
    # then timed a crystal's train as jittered (a beacon). With the train's duty the pulses'
    # level comes from the band's mean excess: too weak to time finely, no verdict; strong
    # enough, a clock.
    rng = np.random.default_rng(seed)
    n = int(1.2 * RATE)
    prf, duty = 64.0, 0.32
    x = _keyed_tone_pair(n, rng, prf_hz=prf, duty=duty, tone_power=tone_power)
    lo, hi = -620e3, 620e3
    noise = 1e-6 * (hi - lo) / RATE
    spread, k = packets.pulse_jitter(_reader(x), 0, n, RATE, lo, hi, noise, 1 / prf, duty=duty)
    if judged:
        assert k >= 60 and spread <= 0.05
    else:
        assert np.isnan(spread)


def _lora_like(n, rng, *, starts_s, symbol_s, bw, f0, n_symbols, rate=RATE):
    """Up-chirp symbols over bw (8 plain, then cyclically shifted at random), packets at starts_s."""
    x = np.zeros(n, dtype=np.complex128)
    m = round(symbol_s * rate)
    tau = np.arange(m) / rate
    for s in starts_s:
        a = round(s * rate)
        for k in range(n_symbols):
            shift = 0.0 if k < 8 else rng.uniform()
            f = f0 - bw / 2 + bw * np.mod(tau / symbol_s + shift, 1.0)
            seg = np.exp(2j * np.pi * np.cumsum(f) / rate)
            b = a + k * m
            if b + m > n:
                break
            x[b:b + m] = seg
    return x


def test_sweep_in_frame_slow_sweep_vs_css_symbols():
    rng = np.random.default_rng(3)
    n = int(0.4 * RATE)
    t = np.arange(n) / RATE
    bw, period = 200e3, 0.08
    f = -100e3 + bw * np.mod(t / period, 1.0)
    slow = np.exp(2j * np.pi * np.cumsum(f) / RATE) * 0.01 + white_noise(n, rng)
    css = 0.01 * _lora_like(n, rng, starts_s=[0.0], symbol_s=0.004, bw=bw, f0=0.0, n_symbols=100) + white_noise(n, rng)
    noise = 1e-6 * bw / RATE
    frame = bw / (8 * bw / period)  # an eighth of the sweep's period
    assert packets.sweep_in_frame(slow, RATE, -100e3, 100e3, noise, frame) > 0.8
    assert packets.sweep_in_frame(css, RATE, -100e3, 100e3, noise, frame) < 0.4


def test_period_repeat_spread_sweep_vs_css_symbols():
    rng = np.random.default_rng(8)
    n = int(0.26 * RATE)
    t = np.arange(n) / RATE
    bw, period = 125e3, 0.016
    f = -bw / 2 + bw * np.mod(t / period * (1 + 1e-5), 1.0)  # a sweep whose clock is 10 ppm off
    saw = 0.01 * np.exp(2j * np.pi * np.cumsum(f) / RATE) + white_noise(n, rng)
    css = 0.01 * _lora_like(n, rng, starts_s=[0.0], symbol_s=period, bw=bw, f0=0.0, n_symbols=17) + white_noise(n, rng)
    snr = 1e-4 / (1e-6 * bw / RATE)
    assert packets.period_repeat_spread(saw, RATE, period, bw, snr) > 0.8
    assert packets.period_repeat_spread(css, RATE, period, bw, snr) < packets.REPEAT_SPREAD_MIN


# -- end to end ---------------------------------------------------------------------------------

def test_beacon_with_random_delays_is_not_a_pulsed_jammer():
    rng = np.random.default_rng(4)
    n = int(2.5 * RATE)
    x = white_noise(n, rng)
    x += _fsk_bursts(n, rng, _starts(rng, 0.2, 0.06, 0.01, 2.4), 0.022, f0=-400e3, snr_db=8)
    dets = rfkit.detect(x.astype(np.complex64), rate_hz=RATE, center_hz=868e6)
    assert dets, "the beacon was not seen"
    assert not dets.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in dets.jamming]


def test_clocked_pulses_of_the_same_shape_are_a_pulsed_jammer():
    rng = np.random.default_rng(4)
    n = int(2.5 * RATE)
    x = white_noise(n, rng)
    x += _fsk_bursts(n, rng, list(np.arange(0.2, 2.4, 0.065)), 0.022, f0=-400e3, snr_db=8)
    dets = rfkit.detect(x.astype(np.complex64), rate_hz=RATE, center_hz=868e6)
    jam = [e for e in dets.jamming if e.kind == "pulsed"]
    assert jam, [(e.kind, e.jamming, e.start_s, e.end_s) for e in dets]
    assert jam[0].params["prf_hz"] == pytest.approx(1 / 0.065, rel=0.05)


@pytest.mark.parametrize("starts_s,symbol_s,f0,n_symbols,seed", [
    # two chirp-spread-spectrum packets (8 ms symbols over 125 kHz, 0.22 s each) 8 ms apart: one
    # 0.46 s emission, whose per-row peak (10 ms rows) aliases into straight pieces (slow path)
    ([0.5, 0.732], 0.008, 250e3, 28, 5),
    # two packets of 16 ms symbols (8 repeated up-chirps, then 8 data symbols) back to back: the
    # snippet repeats at 16 ms in its preamble, but a sweep jammer repeats in every period (fast path)
    ([0.5, 0.758], 0.016, -300e3, 16, 7),
], ids=["back-to-back-is-no-slow-sweep", "slow-symbols-are-no-fast-sweep"])
def test_css_packets_are_not_a_sweep(starts_s, symbol_s, f0, n_symbols, seed):
    rng = np.random.default_rng(seed)
    n = int(2.0 * RATE)
    x = white_noise(n, rng) + 0.004 * _lora_like(n, rng, starts_s=starts_s, symbol_s=symbol_s, bw=125e3,
                                            f0=f0, n_symbols=n_symbols)
    dets = rfkit.detect(x.astype(np.complex64), rate_hz=RATE, center_hz=915e6)
    assert dets, "the packets were not seen"
    assert not dets.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in dets.jamming]


def test_a_dc_spike_does_not_join_a_packet_train():
    # a receiver's DC spike (a weak line at 0 Hz, flickering at the CFAR) beside strong packets:
    # a hand-over needs the channel left to stay silent and the two to be alike in power
    rng = np.random.default_rng(6)
    n = int(2.5 * RATE)
    x = white_noise(n, rng) + 3e-5  # DC: ~+2.5 dB in its 1 kHz bin, J/N -30 dB
    x += _fsk_bursts(n, rng, _starts(rng, 0.2, 0.06, 0.01, 2.4), 0.022, f0=-400e3, snr_db=25)
    dets = rfkit.detect(x.astype(np.complex64), rate_hz=RATE, center_hz=868e6)
    assert not dets.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in dets.jamming]


def test_weak_keyed_tones_far_apart_are_a_pulsed_multitone(tmp_path):
    # independent 127's alt066: two tones 1.28 MHz apart keyed together at 64 Hz, J/N -5 dB;
    # their train, timed across the band between them, was judged jittered (a beacon) and the
    # tones called a steady multitone
    spec, dets = recording(tmp_path, 127, 66)
    jam = spec["jammers"][0]
    assert spec["name"].startswith("alt066_pulsed-multitone") and jam["kind"] == "pulsed"
    ev = one_jammer(dets, spec)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "multitone", (ev.kind, ev.params)
    assert ev.params["prf_hz"] == pytest.approx(jam["prf_hz"], rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(jam["duty"], abs=0.05)


# -- the independent generator's traffic recordings once called jamming -------------------------


@pytest.mark.parametrize(("seed", "index"), [(5, 16), (5, 38), (5, 48), (5, 75), (13, 19), (17, 84)])
def test_lora_runs_and_beacons_of_the_independent_set_are_traffic(seed, index, tmp_path):
    # seed-5 set: LoRa-like packets merged by hold_s (16: two devices side by side; 75: a DC
    # spike's hand-over made 3 s of them), 100 ms beacons with 0-10 ms random delays (38, 48);
    # seed 13's 19: two overlapping LoRa packets and a third 0.4 s later, joined by a beacon in
    # the band between them, judged in their preambles (which repeat) until the emission's gaps
    # sent the sweep test to look again where the packets carry data; seed 17's 84: beacons and two
    # SF12 LoRa packets in one band, 1.3 s joined up by the hold time, of mixed powers (kappa 1.7:
    # a noise band?) - but the band falls silent between them, as no stationary noise does
    ag = altgen()
    spec = ag.plan_set(100, seed=seed)[index]
    assert spec["category"] == "traffic"
    dets = rfkit.detect(ag.write_recording(tmp_path, spec))
    assert dets, "the packets were not seen at all"
    assert not dets.jamming, [(e.kind, e.start_s, e.end_s) for e in dets.jamming]
