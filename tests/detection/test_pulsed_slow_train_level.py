"""J/N of a slow keyed jammer (benchmarks/gen3.py). A train whose period is longer than its
pulse plus one row (10 ms) leaves rows dark between its pulses; the tracker keeps only the lit
rows, so the averaged spectrum's mean power is the mean over them - above the mean over time by
the share of rows they are. Divided by the duty (a share of time) it read the power while on
2..3 dB high (gen3 13's 057: a cw keyed at 37 Hz, 3.8 ms pulses, -5.3 dB read -2.5 dB; gen3
3's 030: six tones keyed at 43 Hz, 4.2 ms pulses, -0.4 dB read +1.9 dB). The mean over time is
the lit rows' mean times their share. Recordings rebuilt from gen3's plans."""

import pytest
from independent import gen3_jammed

from rfkit.detection.score import TOLERANCES


@pytest.mark.parametrize("seed,index,variant", [(13, 57, "pulsed-cw"), (3, 30, "pulsed-multitone")])
def test_slow_keyed_jammer_reads_its_power_while_on(seed, index, variant, tmp_path):
    truth, jam = gen3_jammed(tmp_path, seed, index, variant)
    ev = max(jam, key=lambda e: e.end_s - e.start_s)
    assert ev.kind == "pulsed", (ev.kind, ev.params)
    # the train is slow: rows of 10 ms fall between its pulses
    p = truth["rfkit:params"]
    assert p["prf_hz"] * (p["pulse_width_s"] + 0.01) < 1.0
    assert abs(ev.jn_db - truth["rfkit:jn_db"]) <= TOLERANCES["jn_db"][0], (ev.jn_db, truth["rfkit:jn_db"])
