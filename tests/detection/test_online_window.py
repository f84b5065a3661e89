"""The stretch of an emission that the online detector analyses (its snippet): rows that hold
another emission are cut from its ends and kept out of the analysis window, packets beside its
band do not fill it, and a floor rise is not notched for tracks that were not on at the time."""

from __future__ import annotations

import numpy as np
import pytest
from independent import altgen

import rfkit
from rfkit.detection.online import ISLAND_ROWS, _foreign_ends
from rfkit.detection.score import load_truth


def _detect_plan(tmp_path, seed: int, index: int, category: str):
    """(jamming events, the one jamming truth event) of recording `index` of the independent
    generator's set `seed`."""
    ag = altgen()
    spec = ag.plan_set(100, seed=seed)[index]
    assert spec["category"] == category
    meta = ag.write_recording(tmp_path, spec)
    with rfkit.open(meta) as cap:
        truth = [t for t in load_truth(cap.annotations, sample_rate=cap.info.sample_rate) if t.jamming]
    (want,) = truth
    return [e for e in rfkit.detect(meta) if e.jamming], want


def _assert_sweep(ev, want):
    assert ev.kind == "chirp"
    assert ev.params["sweep_shape"] == want.params["sweep_shape"]
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(want.params["sweep_rate_hz_per_s"], rel=0.05)
    assert ev.params["sweep_period_s"] == pytest.approx(want.params["sweep_period_s"], rel=0.05)


@pytest.mark.parametrize(("seed", "index"), [(7, 34), (9, 55)])
def test_packet_before_a_slow_sweep_is_cut_from_it_and_not_analysed(tmp_path, seed, index):
    # a LoRa-like packet in the next channel, on just before a -5 dB triangle sweep (37 ms and
    # 10 ms periods) begins, is tracked as the sweep's first rows: its chirp symbols, seen at the
    # edge of the sweep's band filter, are a regular pulse train (called pulsed) unless the rows
    # whose strongest bin lies outside the sweep's band are cut and kept out of the snippet
    jams, want = _detect_plan(tmp_path, seed, index, "chirp-tri-slow")
    (ev,) = jams
    _assert_sweep(ev, want)
    assert ev.start_s == pytest.approx(want.start_s, abs=0.05)
    assert ev.end_s == pytest.approx(want.end_s, abs=0.05)


def test_packets_beside_a_slow_sweep_stay_out_of_its_analysis_window(tmp_path):
    # an 11.6 ms sawtooth at -5 dB with LoRa and FSK packets just past its upper edge, inside
    # the band filter's margin: a window holding them has a bursty envelope (kappa ~2, "noise")
    jams, want = _detect_plan(tmp_path, 9, 47, "chirp-saw-slow")
    (ev,) = jams
    _assert_sweep(ev, want)


def test_strong_sweep_taken_as_floor_rise_is_not_notched_for_later_tracks(tmp_path):
    # a +10 dB sawtooth over 70 % of the band lifts the whole floor: a wide track takes it over.
    # Tracks born after it ended must not be notched out of its snippet (the sweep, passing the
    # holes, would be a pulse train at its own period)
    jams, want = _detect_plan(tmp_path, 7, 82, "chirp-saw-slow")
    assert all(e.kind == "chirp" for e in jams)
    ev = max(jams, key=lambda e: e.end_s - e.start_s)
    _assert_sweep(ev, want)


def test_foreign_ends_cuts_another_emitters_rows_at_either_end():
    n = 60
    on = np.ones(n, dtype=bool)
    foreign = np.zeros(n, dtype=bool)
    excess = np.ones(n)
    foreign[:8] = True
    excess[:8] = 5.0  # a packet 7 dB stronger than the emission
    foreign[3] = False  # a packet row peaking inside the band does not stop the cut
    on[8:11] = False  # the gap before the emission begins
    excess[8:11] = 0.0
    foreign[40] = True  # a lone row in the body: no cut there
    side = np.where(foreign, -1.0, 0.0)  # the packet's channel is below the band
    assert _foreign_ends(foreign, on, excess, side) == (11, n - 1)
    assert _foreign_ends(foreign[::-1].copy(), on[::-1].copy(), excess[::-1].copy(), side[::-1].copy()) == (0, n - 12)
    # peaks on noise bins either side of the band: no emitter beside it, kept
    side[:8:2] = 1.0
    assert _foreign_ends(foreign, on, excess, side) == (0, n - 1)
    # rows no stronger than the rest that peak outside the band are the emission's own (a weak
    # or fading sweep's row peak lands on a noise bin): kept
    side[:8] = -1.0
    excess[:8] = 1.2
    assert _foreign_ends(foreign, on, excess, side) == (0, n - 1)


def test_foreign_ends_keeps_rows_when_too_little_would_be_left_or_nothing_is_foreign():
    on = np.ones(30, dtype=bool)
    excess = np.linspace(10.0, 1.0, 30)
    side = np.ones(30)
    assert _foreign_ends(np.zeros(30, dtype=bool), on, excess, side) == (0, 29)
    mostly = np.ones(30, dtype=bool)
    mostly[25:] = False
    assert _foreign_ends(mostly, on, excess, side) == (0, 29)
    few = np.zeros(30, dtype=bool)
    few[: ISLAND_ROWS - 1] = True  # fewer foreign rows than an island: left alone
    assert _foreign_ends(few, on, excess, side) == (0, 29)
