"""Pulse starts timed as the stream passes (rfkit/detection/onsets.py): the band windows against
a numpy twin, a start timed against the one built in, and end to end a slow beacon whose
intervals carry a random delay (traffic) against pulses of the same shape on a fixed clock (a
keyed jammer), judged on every interval of a 4 s train (the ring holds about a second)."""

from __future__ import annotations

import numpy as np
import pytest
from bursts import fsk_bursts, white_noise

import rfkit
from rfkit.detection import onsets

RATE = 2.4e6


def _fsk_pulses(n, rng, starts_s, width_s, *, f0, snr_db, rate=RATE):
    return fsk_bursts(n, rng, starts_s, width_s, f0=f0, snr_db=snr_db, rate=rate, dev_hz=20e3)


def test_band_windows_match_a_numpy_twin():
    rng = np.random.default_rng(1)
    x = (white_noise(50_000, rng) + 0.01 * np.exp(2j * np.pi * 123e3 * np.arange(50_000) / RATE)).astype(np.complex64)
    got, m = onsets.band_windows(x, RATE, 100e3, 150e3)
    assert m == int(RATE / 50e3)
    k = x.shape[0] // m
    mixed = x[: k * m].astype(np.complex128) * np.exp(-2j * np.pi * 125e3 * np.arange(k * m) / RATE)
    want = np.abs(mixed.reshape(k, m).mean(axis=1)) ** 2
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-12)


@pytest.mark.parametrize("start_s", [0.0061, 0.0123, 0.0157])
def test_fine_onset_finds_the_start_of_a_pulse(start_s):
    rng = np.random.default_rng(2)
    n = int(0.02 * RATE)
    x = white_noise(n, rng) + _fsk_pulses(n, rng, [start_s], 0.004, f0=300e3, snr_db=10)
    first = 1_000_000  # the stretch's place in the stream
    t = onsets.fine_onset(x.astype(np.complex64), first, RATE, 250e3, 350e3)
    assert t == pytest.approx(first / RATE + start_s, abs=3e-5)


def test_fine_onset_gives_nothing_for_a_pulse_on_from_the_start_ornoise():
    rng = np.random.default_rng(3)
    n = int(0.02 * RATE)
    on = white_noise(n, rng) + _fsk_pulses(n, rng, [0.0], 0.015, f0=300e3, snr_db=10)
    assert np.isnan(onsets.fine_onset(on.astype(np.complex64), 0, RATE, 250e3, 350e3))
    assert np.isnan(onsets.fine_onset(white_noise(n, rng).astype(np.complex64), 0, RATE, 250e3, 350e3))


def _starts(rng, first_s, period_s, delay_s, end_s):
    t, out = first_s, []
    while t < end_s:
        out.append(t)
        t += period_s + (rng.uniform(-delay_s, delay_s) if delay_s else 0.0)
    return out


@pytest.mark.parametrize("delay_s, jammer", [(0.008, False), (0.0, True)], ids=["beacon", "clock"])
def test_slow_beacon_with_random_delays_vs_the_same_pulses_on_a_clock(delay_s, jammer):
    # 30 ms pulses every ~0.2 s from 0.3 s to 4 s, then silence: with +-8 ms of random delay in
    # each interval (a beacon) they are traffic, on a fixed clock (a keyed jammer's keyer) a pulsed
    # jammer. When the emission closes (hold_s after its last pulse) the ring holds three of its
    # intervals: too few to judge the clock there, so the starts timed as they came decide
    rng = np.random.default_rng(5)
    n = int(5.0 * RATE)
    x = white_noise(n, rng) + _fsk_pulses(n, rng, _starts(rng, 0.3, 0.2, delay_s, 4.0), 0.03, f0=-250e3,
                                     snr_db=14)
    dets = rfkit.detect(x.astype(np.complex64), rate_hz=RATE, center_hz=1575.42e6)
    assert dets, "the pulses were not seen"
    if jammer:
        jam = [e for e in dets.jamming if e.kind == "pulsed"]
        assert jam, [(e.kind, e.jamming, e.start_s, e.end_s) for e in dets]
        assert jam[0].params["prf_hz"] == pytest.approx(1 / 0.2, rel=0.05)
    else:
        assert not dets.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in dets.jamming]
