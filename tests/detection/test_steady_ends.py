"""A steady jammer's evidence ends where its own rows do (rfkit.detection.online._steady_ends): the
packets the hold time joins to it after it stopped are not judged with it. Ground truth: the
independent generator's recording (benchmarks/altgen.py) that rfkit missed before, and row series
built to the rule's cases."""

import numpy as np
import pytest
from independent import one_jammer, recording, tuned_hz

from rfkit.detection.online import _steady_ends

GAP = 15  # rows (OFF_GAP_S at 10 ms rows)


def _series(n=150, body=(20, 110), level=4e-3, width=830, seed=0):
    rng = np.random.default_rng(seed)
    excess = np.zeros(n)
    on = np.zeros(n, dtype=bool)
    wid = np.ones(n)
    a, b = body
    excess[a:b] = level * rng.uniform(0.9, 1.1, b - a)
    on[a:b] = True
    wid[a:b] = width
    return excess, on, wid


def test_a_stronger_packet_beside_a_stopped_noise_band_is_cut():
    # a noise band over 830 bins on rows 20..109, then a few noise cells and a LoRa packet (4x its
    # level, 250 bins) 40 rows after it stopped
    excess, on, wid = _series()
    for r in (112, 121, 128):
        excess[r], on[r], wid[r] = 3.5e-5, True, 64
    excess[135:149], on[135:149], wid[135:149] = 1.7e-2, True, 250
    assert _steady_ends(excess, on, wid, gap_rows=GAP) == (0, 109)  # (nothing on before it: its start stays)


def test_a_steady_jammer_switched_on_again_is_not_cut():
    excess, on, wid = _series()
    excess[135:149], on[135:149], wid[135:149] = 4e-3, True, 830  # back on at its level
    assert _steady_ends(excess, on, wid, gap_rows=GAP) == (0, 149)


def test_its_own_weaker_rows_across_its_band_are_not_cut():
    # a sweep's weak rows spanning its whole band after its strong ones (another track took those)
    excess, on, wid = _series()
    excess[110:118], on[110:118], wid[110:118] = 2.3e-4, True, 2560
    wid[:110][on[:110]] = 2560
    assert _steady_ends(excess, on, wid, gap_rows=GAP) == (0, 149)


def test_an_unsteady_emission_is_left_whole():
    excess, on, wid = _series()
    excess[20:110] *= np.tile([0.2, 1.0, 3.0], 30)  # packets of different powers
    excess[135:149], on[135:149], wid[135:149] = 1.7e-2, True, 250
    assert _steady_ends(excess, on, wid, gap_rows=GAP) == (0, 149)


def test_noise_band_beside_a_lora_packet_after_it_stopped(tmp_path):
    # seed 37's alt040: a 0 dB noise band 914.34-915.08 MHz on 1.21-2.10 s beside a +6 dB LoRa
    # packet at 915.20-915.32 MHz that came 0.42 s after it stopped (within the hold time): judged
    # with it, the band took in the packet and fell silent in between, and no kind matched
    spec, d = recording(tmp_path, 37, 40)
    ev = one_jammer(d, spec)
    assert ev.kind == "noise"
    jam = spec["jammers"][0]
    tuned = tuned_hz(spec)
    lo, hi = tuned + jam["center_hz"] - 0.5 * jam["bandwidth_hz"], tuned + jam["center_hz"] + 0.5 * jam["bandwidth_hz"]
    assert ev.freq_lo_hz == pytest.approx(lo, abs=50e3)
    assert ev.freq_hi_hz == pytest.approx(hi, abs=50e3)


def test_packets_on_its_first_rows_do_not_hide_its_start():
    # a fast sweep's comb line over 830 bins from row 20 (altgen seed 79's alt027), FSK packets
    # (64 bins, 3x its level) in every other row from row 10 and in its first ten rows, where the
    # two add up: those rows span its band - its own, a packet on them - and the packets' rows
    # before it are cut
    excess, on, wid = _series()
    for r in list(range(10, 20, 2)) + list(range(20, 30)):
        excess[r] += 1.2e-2
        on[r] = True
        wid[r] = 64 if r < 20 else 830
    assert _steady_ends(excess, on, wid, gap_rows=GAP) == (20, 149)
