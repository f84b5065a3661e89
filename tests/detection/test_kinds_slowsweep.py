"""Slow sweeps (periods of milliseconds: lines on a fine waterfall, a flat band in its 10 ms rows)
found from their repeating instantaneous frequency (rfkit.detection.sweep_fold.frequency_period
past its central lobe, up to a third of the snippet; evidence's `_sweep_incoherent`). Ground
truth: recordings of the independent generator (benchmarks/altgen.py, which accumulates a
sweep's phase on its own sample clock) that rfkit missed before these tests' changes, rebuilt
from its plan (same seed, same spec)."""

import pytest
from independent import one_jammer, recording


def _chirp(tmp_path, seed, index):
    spec, d = recording(tmp_path, seed, index)
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    rate = (2 if jam["shape"] == "triangle" else 1) * jam["bandwidth_hz"] / jam["period_s"]
    return ev, jam, rate


def test_sawtooth_of_six_milliseconds_through_an_8_bit_receiver(tmp_path):
    # seed 41's alt033: a 1.69 MHz sawtooth of period 6.38 ms at 0 dB, 2.048 MS/s cu8, on all
    # along: its lag-1 phase correlates over a lobe a tenth of its period wide (wider than the
    # shortest lag searched), whose flank stood highest; its peaks, flat over tens of samples,
    # were found at noise ripples (the fold then smeared); seen as unknown before
    ev, jam, rate = _chirp(tmp_path, 41, 33)
    assert jam["period_s"] > 1e-3 and jam["shape"] == "sawtooth"
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.01)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)


def test_triangle_of_43_ms_at_3_2_msps(tmp_path):
    # seed 23's alt025: a 1.48 MHz triangle of period 43 ms at +10 dB, 3.2 MS/s: four rows a
    # period (too few for the rows' straight pieces), and more than a quarter of the 164 ms
    # snippet (the longest lag searched before); seen as unknown, jamming=false before
    ev, jam, rate = _chirp(tmp_path, 23, 25)
    assert jam["period_s"] > 0.04 and jam["shape"] == "triangle"
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.02)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)

