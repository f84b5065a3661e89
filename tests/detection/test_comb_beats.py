"""Tones evenly spaced d apart beat with period 1/d: the whole band's envelope is then a train
at PRF d though nothing is keyed (online `_comb_beats`). Ground truth from gen3 (seed 17's 044:
five tones 3.45 kHz apart, +10 dB, on to 1.53 s, beside a pulsed multitone from 1.42 s; the
keyed look read the five as a carrier keyed at 3453 Hz, and its train took the multitone's place
- called pulsed, J/N 5 dB over the truth)."""

import pytest
from independent import gen3_run


def test_gen3_a_comb_of_tones_is_no_carrier_keyed_at_their_spacing(tmp_path):
    truth, d = gen3_run(tmp_path, 17, 44)
    (mt,) = [t for t in truth if t.kind == "multitone"]
    over = [e for e in d.jamming if e.start_s < mt.end_s and e.end_s > mt.start_s
            and e.freq_lo_hz <= mt.freq_hi_hz and e.freq_hi_hz >= mt.freq_lo_hz]
    assert [e.kind for e in over] == ["multitone"], [(e.kind, e.start_s, e.end_s, e.params) for e in over]
    want = mt.params["tones_hz"]
    got = over[0].params["tones_hz"]
    assert len(got) == len(want) == 5
    for f in want:
        assert min(abs(f - g) for g in got) <= 0.5 * d.stats["bin_hz"]
    assert over[0].jn_db == pytest.approx(mt.jn_db, abs=2.0)
