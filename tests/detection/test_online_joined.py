"""A packet the tracker joined to a jammer beside it does not set the jammer's start or end
(rfkit.detection.online's `_own_times`, `_narrow_ends`): rows at a jammer's ends whose segments
span a small part of what its rows span, always the same part, are another, narrower emitter.
Ground truth: numpy row extents, and a recording of the independent generator
(benchmarks/altgen.py) rebuilt from its plan."""

import numpy as np
from independent import altgen

import rfkit
from rfkit.detection.online import NARROW_END_MIN_ROWS, NARROW_END_SHARE, _narrow_ends


def _ends(occ, lo=None):
    """`_narrow_ends` of rows spanning `occ` bins from bin `lo` (100 where not given)."""
    occ = np.asarray(occ, dtype=np.float64)
    lo = np.full(occ.size, 100.0) if lo is None else np.asarray(lo, dtype=np.float64)
    return _narrow_ends(lo, lo + occ - 1, occ > 0)


def test_narrow_lead_and_tail_are_cut_with_their_gaps():
    # 10 rows of a 250-bin packet, 2 rows off, 60 rows of a 1300-bin jammer, 1 row off,
    # 5 rows of a 200-bin packet
    occ = np.r_[np.full(10, 250.0), np.zeros(2), np.full(60, 1300.0), np.zeros(1), np.full(5, 200.0)]
    assert _ends(occ) == (12, 71)


def test_a_jammers_partial_first_row_after_the_packets_gap_stays_with_it():
    # 29 rows of a 650-bin packet (bins 300..949), 7 rows off, the jammer's first row partly on
    # (190 bins elsewhere: 500..689), 100 rows of a 1600-bin jammer, then 1 row off and its own
    # partial last row: the packet is cut up to the gap; the jammer's edge rows stay its own
    occ = np.r_[np.full(29, 650.0), np.zeros(7), 190.0, np.full(100, 1600.0), 0.0, 300.0]
    lo = np.r_[np.full(29, 300.0), np.zeros(7), 500.0, np.full(100, 50.0), 0.0, 1200.0]
    assert _ends(occ, lo) == (36, occ.size - 1)
    # without the gap, the row beside the body is one of the packet's stretch: cut with it
    occ2 = np.r_[np.full(29, 650.0), 190.0, np.full(100, 1600.0)]
    lo2 = np.r_[np.full(29, 300.0), 500.0, np.full(100, 50.0)]
    assert _ends(occ2, lo2) == (0, occ2.size - 1)


def test_a_weak_emissions_patchy_rows_are_kept():
    # its first rows hold small pieces of its band at different places each: its own
    occ = np.r_[np.full(6, 150.0), np.full(60, 1300.0)]
    lo = np.r_[[100, 900, 400, 1100, 250, 700], np.full(60, 100)]
    assert _ends(occ, lo) == (0, 65)
    # the same rows all on one stretch of it: another emitter's band
    assert _ends(occ, np.r_[np.full(6, 600), np.full(60, 100)]) == (6, 65)


def test_a_jammers_own_partial_edge_rows_and_a_steady_emission_are_kept():
    # a row or two partly on at its switching edges: under NARROW_END_MIN_ROWS, its own
    k = NARROW_END_MIN_ROWS - 1
    occ = np.r_[np.full(k, 100.0), np.full(50, 1000.0), np.full(k, 100.0)]
    assert _ends(occ) == (0, occ.size - 1)
    # a slow sweep's rows each hold its stretch of the band: one extent throughout
    rng = np.random.default_rng(1)
    occ = rng.uniform(0.8, 1.2, 80) * 300
    assert _ends(occ) == (0, 79)
    # rows at NARROW_END_SHARE of the median or more are the emission's own
    occ = np.r_[np.full(10, NARROW_END_SHARE * 1000.0), np.full(50, 1000.0)]
    assert _ends(occ) == (0, 59)


def test_narrow_majority_is_not_cut_away():
    # most rows narrow: the narrow rows are the emission (its median), the wide ones are not cut
    occ = np.r_[np.full(40, 200.0), np.full(10, 1000.0)]
    assert _ends(occ) == (0, 49)


def test_packet_beside_a_fast_sweep_does_not_set_its_start(tmp_path):
    # seed 29's alt022: a +10 dB triangle sweep (1.29 MHz, 67 us) from 1.048 s; a LoRa-like packet
    # 32 kHz above its top edge from 0.862 s was tracked with it (the sweep's top joined the
    # packet's row segment): the event started at the packet, 189 ms early. Again so once the
    # packet's track, on since before, absorbed the top piece of the sweep born beside it and the
    # piece left the sweep's pieces born with it (online's _leave_group): the sweep's first rows
    # closed apart and the event was the packet's track alone; a band born in pieces keeps them
    # (online's _band_born_with)
    ag = altgen()
    spec = ag.plan_set(100, seed=29)[22]
    d = rfkit.detect(ag.write_recording(tmp_path, spec))
    (t0, t1), = spec["jammers"][0]["on"]
    jam = [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s) for e in d]
    assert jam[0].kind == "chirp"
    assert abs(jam[0].start_s - t0) <= 0.05 and abs(jam[0].end_s - t1) <= 0.05


def test_a_band_born_in_pieces_is_born_whatever_older_track_one_piece_touches():
    # online's _band_born_with: a +10 dB sweep switched on beside a packet (alt022 of seed 29)
    # is split by the row CFAR into pieces side by side, born in one row; the packet's track,
    # on since before, absorbs the top piece - a piece of the band born then, not of the packet
    # (`_leave_group` keeps it with its band). A slow sweep's piece joined as a tone to a beacon
    # born in its row (alt037 of seed 151), or to a carrier switched on far from it (gen3 19's
    # 064), is no such band: it leaves them
    from types import SimpleNamespace

    from rfkit.detection.online import OnlineDetector, _Track

    def det(*tracks):
        d = SimpleNamespace(tracks={t.id: t for t in tracks},
                            groups={0: SimpleNamespace(members=[t.id for t in tracks])})
        d._find = lambda tid: 0
        d._group_tracks = lambda tid: OnlineDetector._group_tracks(d, tid)
        return d

    def track(tid, first, lo, hi):
        return _Track(tid, first, lo, hi, 2048)

    def born(t, keep, *group):
        return OnlineDetector._band_born_with(det(t, *group), t, keep)

    packet = track(0, 84, 1593, 1919)
    pieces = [track(1, 102, 610, 774), track(2, 102, 809, 1068), track(3, 102, 1085, 1356),
              track(5, 102, 1373, 1518)]
    top = track(6, 102, 1535, 1576)
    assert born(top, packet, *pieces)
    # the same pieces lit inside an older band that held their bins (its own, or noise cells)
    assert not born(top, track(0, 0, 64, 1983), *pieces)
    sweep = track(0, 0, 400, 1240)
    sweep_piece, beacon = track(7, 7, 972, 1002), track(8, 5, 300, 420)
    assert not born(sweep_piece, sweep, beacon)
    keyed_sweep = track(0, 172, 640, 1535)
    skirt, carrier = track(9, 223, 512, 575), track(10, 224, 1856, 1919)
    assert not born(skirt, keyed_sweep, carrier)
    assert not born(skirt, keyed_sweep)  # alone: no band born with it
    late = track(11, 230, 440, 511)  # side by side, but born 7 rows later: no co-born piece
    assert not born(skirt, keyed_sweep, late)

