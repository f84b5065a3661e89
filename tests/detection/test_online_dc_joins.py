"""Two emissions on either side of the receiver's DC should not be joined through it: the DC
offset and its wander light the bins beside 0 Hz on their own, in weak pieces the tracker gives
to whatever emission is beside them (co-onset pieces born together side by side, `_link`; groups
whose bands meet, `_join_neighbours`), so a keyed sweep above 0 Hz and LoRa packets below it are
joined as one group, read in the LoRa's band. Not yet told apart (strict xfail).
Recording of the independent generator (benchmarks/altgen.py, set seed 113, as
/work/sets/h113) rebuilt from its plan."""

import pytest
from independent import altgen

import rfkit


@pytest.mark.xfail(strict=True, reason=(
    "groups either side of 0 Hz are joined through the receiver's DC-wander pieces; requiring "
    "their usual rows (median row edges) to meet at 0 Hz fixes this recording but splits a keyed "
    "sweep across 0 Hz whose rows also stop short of the DC (gen3 set 3's 070: J/N read 3.7 dB "
    "low): the two sides' own levels (power per bin) would tell a second emission from the far "
    "side of one"))
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
