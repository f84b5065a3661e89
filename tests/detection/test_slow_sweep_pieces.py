"""Slow sweeps the rows see in pieces: a triangle seen only at its two turning regions (two pulse
trains at one rate that pulse in turn, rfkit.detection.pulse_timing and online.merge_fragments),
and a sawtooth whose group took in a sensor's packets after it ended (online's band read without
the tracks of the islands cut off its ends). Ground truth: recordings of the independent
generator (benchmarks/altgen.py) that rfkit got wrong before, rebuilt from its plan."""

import numpy as np
import pytest
from independent import recording

from rfkit.detection.events import Event
from rfkit.detection.online import merge_fragments
from rfkit.detection.pulse_timing import in_turn, relative_phase, triangle_turns


def _truth(spec):
    tuned = spec["center_hz"] + spec["receiver"]["freq_offset_hz"]
    return spec["jammers"][0], tuned


def _pulsed(lo, hi, t0, t1, prf):
    return Event(start_s=t0, end_s=t1, freq_lo_hz=lo, freq_hi_hz=hi, kind="pulsed", jamming=True,
                 power_dbfs=-30.0, jn_db=0.0, confidence=1.0,
                 params={"prf_hz": prf, "duty_cycle": 0.1, "pulse_width_s": 0.1 / prf, "base_kind": "chirp"})


def _two_trains(lag_cycles, *, rate=1e6, prf=1000.0, duty=0.1, n_periods=40, snr_db=0.0, seed=1):
    """Noise in two bands (-300..-250 kHz, +250..+300 kHz) keyed at one rate, b's pulses
    `lag_cycles` after a's, in white noise."""
    rng = np.random.default_rng(seed)
    n = int(n_periods * rate / prf)
    t = np.arange(n) / rate
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)
    amp = 10 ** (snr_db / 20)
    for f, lag in ((-275e3, 0.0), (275e3, lag_cycles)):
        gate = ((t * prf - lag) % 1.0) < duty
        s = amp * np.exp(2j * np.pi * f * t + 1j * rng.uniform(0, 6.3))
        x = x + gate * s
    return x.astype(np.complex64), rate, prf


@pytest.mark.parametrize("lag", [0.0, 0.25, 0.5])
def test_relative_phase_of_two_keyed_bands(lag):
    x, rate, prf = _two_trains(lag)
    d = relative_phase(x, rate, (-300e3, -250e3), (250e3, 300e3), 1 / prf)
    assert min(abs(d - lag), 1 - abs(d - lag)) <= 2 / 64
    assert in_turn(d, 0.1, 0.1) == (lag != 0.0)
    assert triangle_turns(d, 0.1, 0.1) == (lag == 0.5)
    # too few periods: no reading
    assert relative_phase(x[: int(4 * rate / prf)], rate, (-300e3, -250e3), (250e3, 300e3), 1 / prf) is None


def test_merge_fragments_keeps_keyed_pieces_and_joins_turns():
    prf = 1000.0
    a, b = _pulsed(0.0, 50e3, 0.0, 2.0, prf), _pulsed(900e3, 950e3, 0.1, 2.0, prf)
    # pulsing together: one keyed emitter, one event over both pieces
    out = merge_fragments([a, b], hold_s=0.5, phase=lambda p, q: 0.01)
    assert len(out) == 1 and out[0].kind == "pulsed" and out[0].freq_hi_hz == 950e3
    # half a period apart at the two ends of the band: a triangle sweep's turning regions
    out = merge_fragments([a, b], hold_s=0.5, phase=lambda p, q: 0.5)
    assert len(out) == 1 and out[0].kind == "chirp"
    p = out[0].params
    assert p["sweep_shape"] == "triangle" and p["bandwidth_hz"] == pytest.approx(950e3)
    assert p["sweep_period_s"] == pytest.approx(1 / prf) and p["sweep_rate_hz_per_s"] == pytest.approx(2 * 950e3 * prf)
    # half a period apart, but each on far longer than a sweep spends in so narrow a piece of
    # the band (a hopper's two channels, on for a dwell each): not a triangle's turns
    a2, b2 = (_pulsed(0.0, 10e3, 0.0, 2.0, prf), _pulsed(940e3, 950e3, 0.1, 2.0, prf))
    for x in (a2, b2):
        x.params["duty_cycle"] = 0.25
    assert [e.kind for e in merge_fragments([a2, b2], hold_s=0.5, phase=lambda p, q: 0.5)] == ["pulsed", "pulsed"]
    # in turn but not half a period apart: two emitters, kept apart
    assert [e.kind for e in merge_fragments([a, b], hold_s=0.5, phase=lambda p, q: 0.3)] == ["pulsed", "pulsed"]
    # timing unknown: as before
    assert [e.kind for e in merge_fragments([a, b], hold_s=0.5, phase=lambda p, q: None)] == ["pulsed"]
    assert [e.kind for e in merge_fragments([a, b], hold_s=0.5)] == ["pulsed"]


def test_slow_triangle_seen_at_its_turns_is_a_chirp(tmp_path):
    # seed 19's alt033: a triangle over 0.88 MHz every 1.3 ms, 0 dB; the rows' CFAR sees only its
    # two turning regions, each a train at 1/T, pulsing T/2 apart (was: one pulsed emitter)
    spec, d = recording(tmp_path, 19, 33)
    jam, tuned = _truth(spec)
    assert jam["shape"] == "triangle"
    ev, = d.jamming
    assert ev.kind == "chirp"
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.02)
    assert ev.params["bandwidth_hz"] == pytest.approx(jam["bandwidth_hz"], rel=0.1)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(2 * jam["bandwidth_hz"] / jam["period_s"], rel=0.05)
    assert abs(ev.freq_lo_hz - (tuned + jam["f_lo_hz"])) <= 0.05 * jam["bandwidth_hz"]


def test_slow_sawtooth_band_not_set_by_a_later_packet(tmp_path):
    # seed 13's alt096: a sawtooth over 1.23 MHz every 38 ms, -5 dB; an OOK sensor's packets
    # (+10 dB, 7 kHz) came 0.5 s after it ended, within the hold: its band must stay the sweep's
    # (was: the packets' line, called cw)
    spec, d = recording(tmp_path, 13, 96)
    jam, tuned = _truth(spec)
    ev, = d.jamming
    assert ev.kind == "chirp"
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.02)
    assert ev.freq_hi_hz - ev.freq_lo_hz == pytest.approx(jam["bandwidth_hz"], rel=0.1)
    assert abs(ev.freq_lo_hz - (tuned + jam["f_lo_hz"])) <= 0.05 * jam["bandwidth_hz"]
    (t0, t1), = jam["on"]
    assert abs(ev.start_s - t0) <= 0.05 and abs(ev.end_s - t1) <= 0.05
