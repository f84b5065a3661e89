"""Two emissions on either side of the receiver's DC should not be joined through it: the DC
offset and its wander light the bins beside 0 Hz on their own, in weak pieces the tracker gives
to whatever emission is beside them (co-onset pieces born together side by side, `_link`; groups
whose bands meet, `_join_neighbours`), so a keyed sweep above 0 Hz and LoRa packets below it were
joined as one group, read in the LoRa's band. Groups that would join across 0 Hz must hold one
power per bin on both sides (`OnlineDetector._meet_beside_dc`): one emission split by the DC
guard does, two emissions meeting at its wander's pieces do not.
Recording of the independent generator (benchmarks/altgen.py, set seed 113, as
/work/sets/h113) rebuilt from its plan: missed before the change."""

import pytest
from independent import altgen, gen3_jammed

import rfkit


def test_keyed_sweep_beside_lora_across_dc_is_found_in_its_own_band(tmp_path):
    # 013: a 547 kHz sawtooth sweep (+282..+829 kHz) keyed at 277 Hz, duty 0.16, J/N +10 dB, on
    # for the first 0.48 s; +14 dB LoRa packets at -510..-260 kHz and a GFSK beacon below 0 Hz.
    # Its row segments and the LoRa's each reached the DC bins in a few rows (the DC wander's
    # pieces): the joined group was read as the LoRa's band (`unknown`, no jamming).
    ag = altgen()
    spec = ag.plan_set(100, seed=113)[13]
    assert spec["name"].startswith("alt013_pulsed-chirp"), spec["name"]
    meta = ag.write_recording(tmp_path, spec)
    cap = rfkit.open(meta)
    (truth,) = [a for a in cap.annotations if a.get("rfkit:jamming")]
    lo, hi = truth["core:freq_lower_edge"], truth["core:freq_upper_edge"]
    t0 = truth["core:sample_start"] / cap.info.sample_rate
    t1 = t0 + truth["core:sample_count"] / cap.info.sample_rate
    d = rfkit.detect(meta)
    found = [e for e in d.jamming if e.freq_hi_hz > lo and e.freq_lo_hz < hi]
    assert len(found) == 1, [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz) for e in d]
    ev = found[0]
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp", (ev.kind, ev.params)
    assert ev.params["prf_hz"] == pytest.approx(truth["rfkit:params"]["prf_hz"], rel=0.05)
    assert ev.freq_lo_hz == pytest.approx(lo, abs=50e3) and ev.freq_hi_hz == pytest.approx(hi, abs=50e3)
    assert abs(ev.start_s - t0) <= 0.05 and abs(ev.end_s - t1) <= 0.05
    # the LoRa packets below 0 Hz are no jamming
    assert not [e for e in d.jamming if e.freq_hi_hz < cap.info.center_freq]


def test_keyed_sweep_across_dc_stays_one_emission(tmp_path):
    # gen3 seed 3's 070: a -5 dB triangle sweep over 0.91 MHz across 0 Hz (-387..+523 kHz),
    # keyed at 36 Hz; its rows stop short of the DC guard on either side, and the two sides, at
    # one power per bin, are still one emission (read over both sides, at its own J/N)
    truth, jam = gen3_jammed(tmp_path, 3, 70, "pulsed-chirp")
    assert len(jam) == 1, [(e.kind, e.freq_lo_hz, e.freq_hi_hz) for e in jam]
    ev = jam[0]
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp", (ev.kind, ev.params)
    assert ev.freq_lo_hz <= truth["core:freq_lower_edge"] and ev.freq_hi_hz >= truth["core:freq_upper_edge"]
    assert ev.jn_db == pytest.approx(truth["rfkit:jn_db"], abs=2.0)
