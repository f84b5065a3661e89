"""Steady carriers beside ordinary traffic (rfkit.detection.online's tracker and grouping): a
tone or two on while packets of another emitter come and go beside them stay their own emission,
called cw/multitone at their own frequencies. Recordings of the independent generator
(benchmarks/altgen.py): scenarios built by hand, and ones rfkit got wrong before, rebuilt from
their plan (same seed, same spec)."""

from __future__ import annotations

import independent
import pytest
from independent import recording, tuned_hz

import rfkit

altgen = independent.altgen()


def _fsk(freq_hz, start_s, *, reps=5, jn_db=13.4):
    """An FSK sensor's message repeated `reps` times (38.4 kb/s, 37 kHz deviation)."""
    return [{"kind": "burst", "modulation": "fsk", "freq_hz": freq_hz, "half_width_hz": 75e3, "bitrate": 38400.0,
             "deviation_hz": 36.8e3, "jn_db": jn_db, "start_s": start_s + k * 9.727e-3, "payload_seed": 7}
            for k in range(reps)]


def _lora(freq_hz, start_s, *, bandwidth_hz=125e3, sf=9, n_payload=25, jn_db=9.5):
    return {"kind": "burst", "modulation": "lora", "start_s": start_s, "freq_hz": freq_hz,
            "half_width_hz": bandwidth_hz / 2, "bandwidth_hz": bandwidth_hz, "sf": sf, "n_payload": n_payload,
            "jn_db": jn_db}


def _jamming_over(d, t0, t1):
    """The jamming events over more than half of t0..t1."""
    return [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_tones_beside_strong_packets_are_one_multitone(tmp_path, seed):
    # two tones at 0 dB J/N (together), on 0.125..0.58 s; an FSK sensor (+13 dB) and then two
    # LoRa packets (+9.5 dB) just below the lower tone while it is on. The packets' row segments
    # touch the tone's, and once merged with its track they set the band and waveform it was
    # judged on (one 'unknown' at the packets' band: the tones were lost)
    rate = 1.8e6
    tones = [-524e3, 780e3]
    t0, t1 = 0.125, 0.58
    jam = altgen.jammer_spec("multitone", rate_hz=rate, jn_db=0.0, on=[(t0, t1)], tones_hz=tones,
                             powers_db=[0.0, 0.0], seed=seed)
    traffic = _fsk(-644e3, 0.187) + [_lora(-672e3, 0.30), _lora(-672e3, 0.44)]
    spec = altgen.recording_spec(rate_hz=rate, duration_s=0.9, dtype="cu8", jammers=[jam], traffic=traffic,
                                 seed=seed)
    d = rfkit.detect(altgen.write_recording(tmp_path, spec))
    jam_ev = _jamming_over(d, t0, t1)
    assert [e.kind for e in jam_ev] == ["multitone"], [(e.kind, e.jamming, e.start_s, e.end_s) for e in d]
    ev = jam_ev[0]
    assert abs(ev.start_s - t0) <= 0.05 and abs(ev.end_s - t1) <= 0.05
    found = sorted(ev.params["tones_hz"])
    want = [tuned_hz(spec) + f for f in tones]
    assert len(found) == 2 and all(abs(a - b) <= 2 * d.stats["bin_hz"] for a, b in zip(found, want)), (found, want)
    # the packets are no jamming
    assert len(d.jamming) == 1, [(e.kind, e.start_s, e.end_s) for e in d.jamming]


def test_a_carrier_ending_as_a_wide_packet_blob_begins_is_no_hop(tmp_path):
    # seed 53's alt071: a CW at -1131 kHz, J/N -10 dB (17 dB over the floor in its bin) on
    # 0.388..0.98 s, while 500 kHz LoRa packets run at the centre; as the CW ended, a one-row
    # 100 kHz blob of another emission came on elsewhere, and the tracker took it for the CW's
    # next hop: their group spanned the LoRa band, whose power set what it was judged on (an
    # 'unknown' twice over the LoRa, no CW)
    spec, d = recording(tmp_path, 53, 71)
    (t0, t1), = spec["jammers"][0]["on"]
    jam_ev = _jamming_over(d, t0, t1)
    assert [e.kind for e in jam_ev] == ["cw"], [(e.kind, e.jamming, e.start_s, e.end_s) for e in d]
    ev = jam_ev[0]
    assert abs(ev.start_s - t0) <= 0.05 and abs(ev.end_s - t1) <= 0.05
    f = tuned_hz(spec) + spec["jammers"][0]["freq_hz"]
    assert abs(ev.params["tones_hz"][0] - f) <= 2 * d.stats["bin_hz"]
    assert len(d.jamming) == 1, [(e.kind, e.start_s, e.end_s) for e in d.jamming]


def test_a_steady_line_keeps_to_its_own_bins():
    from rfkit.detection.online import _line_elsewhere, _steady_line, _Track

    t = _Track(0, 0, 100, 102, 2048)
    for r in range(12):
        pk = 101 if r != 7 else 130  # (one row a packet merged with it peaks elsewhere)
        t.rows.append(r)
        t.peak.append(pk)
        t.row_lo.append(100)
        t.row_hi.append(102 if r != 7 else 160)
        t.n_on += 1
    assert _steady_line(t)[:2] == (101, 101)
    assert _line_elsewhere(t, 103, 200)  # a wide segment beside the line, not holding it
    assert not _line_elsewhere(t, 40, 140)  # one holding the line
    assert not _line_elsewhere(t, 104, 108)  # a narrow one beside it (a hopper's next channel)
    # a track whose row peaks wander (a sweep, a comb, an FSK) is no steady line
    w = _Track(1, 0, 100, 160, 2048)
    for r in range(12):
        w.rows.append(r)
        w.peak.append(100 + 5 * r)
        w.row_lo.append(100 + 5 * r)
        w.row_hi.append(102 + 5 * r)
        w.n_on += 1
    assert _steady_line(w) is None and not _line_elsewhere(w, 200, 300)


def test_widths_compared_only_between_like_hops():
    from rfkit.detection.online import _last_run, _same_width, _Track

    def track(widths, rows):
        t = _Track(0, rows[0], 0, max(widths), 2048)
        t.rows = list(rows)
        t.row_lo = [0] * len(widths)
        t.row_hi = [w - 1 for w in widths]
        t.n_on = len(rows)
        return t

    line = track([3] * 40, range(40))
    blob = track([63], [40])
    assert not _same_width(line, blob) and _same_width(line, track([6, 5], [40, 41]))
    assert _last_run(line) >= 10 and _last_run(track([3] * 6, [1, 2, 5, 6, 7, 9])) == 1
