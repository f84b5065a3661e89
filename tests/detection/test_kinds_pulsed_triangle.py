"""A keyed triangle sweep whose |R| period is no sweep's (benchmarks/gen3.py): at J/N -5 dB and
duty ~0.3 the band-filtered snippet's |R| has its highest peak a few samples out (B T ~5, the
band's own correlation), where neither the fold of the instantaneous frequency nor the phase
folded on that lag turns as a triangle's slopes do; the plain phase being no sawtooth's, the
"triangle" there is only the shape left over. Its rate (B / T x 2) was read 130 times the
truth. A pulsed chirp reports no rate from such a period: the rate it reports, if any, is the
sweep's. Recordings rebuilt from gen3's plans (sets seed 7 and 4, /work/sets/g3s7 and g3s4)."""

import pytest
from independent import gen3_jammed


@pytest.mark.parametrize("seed,index", [(7, 13), (4, 70)])
def test_keyed_triangle_rate_is_not_read_from_a_band_sidelobe(seed, index, tmp_path):
    # 7/13: triangle of 427 us over 1.1 MHz of 1.536 MS/s keyed at 500 Hz, duty 0.26, -5 dB;
    # 4/70: triangle of 523 us over 0.91 MHz of 1.2 MS/s keyed at 1.16 kHz, duty 0.29, -5 dB
    truth, jam = gen3_jammed(tmp_path, seed, index, "pulsed-chirp")
    want = truth["rfkit:params"]
    ev = max(jam, key=lambda e: e.end_s - e.start_s)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp", (ev.kind, ev.params)
    assert ev.params["prf_hz"] == pytest.approx(want["prf_hz"], rel=0.05)
    rate = ev.params.get("sweep_rate_hz_per_s")
    assert rate is None or rate == pytest.approx(want["sweep_rate_hz_per_s"], rel=0.1), ev.params
    period = ev.params.get("sweep_period_s")
    assert period is None or period == pytest.approx(want["sweep_period_s"], rel=0.1), ev.params
