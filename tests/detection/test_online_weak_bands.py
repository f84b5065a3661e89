"""An emitter switched on over a weak steady band (a receiver's passband hump the row CFAR lights
in some rows) is followed as its own track, not taken as the band grown (online's
`_denser_over`): a steady band holds its power density from row to row, and a segment ten times
denser per bin is another emitter; packets so followed are still packets (`kinds.pulsed`'s
`_packets_keyed_inside`). Ground truth: gen3 and independent-generator recordings rebuilt from
their plans (same seed, same spec)."""

import pytest
from independent import gen3_run, recording


def _overlapping(d, t0, t1):
    """Jamming events over more than half of t0..t1."""
    return [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]


def test_weak_fast_triangle_switched_on_over_a_passband_hump_is_its_own_chirp(tmp_path):
    # gen3 seed 17's 053: -4.8 dB, 849 kHz swept up and down (1.536 MS/s, 16-bit), on from
    # 1.18 s to the end, over the lower of the receiver's passband humps (a ~1 dB rise of the
    # floor its row CFAR lit in some rows since the start). The hump's track, long-lived, took
    # the sweep's rows (ten times denser per bin) as its own, and the two became one band
    # 1.35 MHz wide from the start of the hump's track: "unknown", no jamming
    (t,), d = gen3_run(tmp_path, 17, 53)
    (ev,) = _overlapping(d, t.start_s, t.end_s)
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.start_s == pytest.approx(t.start_s, abs=0.05)
    width = t.freq_hi_hz - t.freq_lo_hz
    assert ev.freq_lo_hz == pytest.approx(t.freq_lo_hz, abs=0.1 * width)
    assert ev.freq_hi_hz == pytest.approx(t.freq_hi_hz, abs=0.1 * width)


def test_strong_hopper_switched_on_over_a_passband_hump_is_a_hopper(tmp_path):
    # gen3 seed 17's 023: +9.9 dB hopper over 1.08 MHz (2.4 MS/s, 8-bit) from 0.28 s to 1.02 s.
    # Its channels in the upper 0.5 MHz fell on the track of a passband hump at the band's
    # edge (on since the first row), which took them as its own; the rest were read as an
    # "unknown" band and a weak noise piece: no hopper
    (t,), d = gen3_run(tmp_path, 17, 23)
    (ev,) = _overlapping(d, t.start_s, t.end_s)
    assert ev.kind == "hopping", (ev.kind, ev.params)
    assert ev.start_s == pytest.approx(t.start_s, abs=0.05)
    assert ev.end_s == pytest.approx(t.end_s, abs=0.05)


def test_lora_bursts_followed_on_their_own_are_no_pulsed_jammer(tmp_path):
    # independent seed 127's alt010: traffic only - LoRa bursts (125 and 500 kHz) seconds apart
    # on a weak band there from the start. Once the bursts are their own track, the envelope
    # folds each burst's chirps into a 9.2 kHz "train" (94 pulses a row, which would light every
    # row), yet the bursts light 55 % of their span's rows: packets, not a keyed jammer
    spec, d = recording(tmp_path, 127, 10)
    assert spec["jammers"] == []
    assert d.jamming == [], [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]
    assert any(e.kind == "burst" and 914.7e6 < e.freq_lo_hz < 914.8e6 for e in d)  # the bursts are seen


def test_a_weak_fast_keyed_sweep_lighting_few_rows_is_still_pulsed(tmp_path):
    # gen3 seed 4's 070: a -5.2 dB keyed sweep (PRF 1.16 kHz, 12 pulses a row) that lights under
    # 60 % of its rows - at random, never 0.2 s of them dark in a row - is a keyed jammer still
    (t,), d = gen3_run(tmp_path, 4, 70)
    hits = _overlapping(d, t.start_s, t.end_s)
    assert [e.kind for e in hits] == ["pulsed"], [(e.kind, e.start_s, e.end_s) for e in d]
    assert hits[0].params["prf_hz"] == pytest.approx(t.params["prf_hz"], rel=0.05)


@pytest.mark.xfail(strict=True, reason="one row where the carrier's pulse edge (a few bins beside the "
                   "hump's segment) joined the hump's row entry doubles the hump's mean level, and the "
                   "carrier's later rows no longer stand ten times denser. The hump's median level "
                   "finds it (lanes-out16/lead-median-band-snr.patch) but then two -5 dB slow "
                   "sawtooths over humps (independent 127's alt079, 151's alt031), no longer taken by "
                   "the hump's track, are read as unknown emissions and missed")
def test_keyed_carrier_switched_on_over_a_passband_hump_is_pulsed(tmp_path):
    # gen3 seed 4's 044: a carrier at +975 kHz (2.4 MS/s, 8-bit) keyed at 104 Hz, duty 0.48,
    # J/N -0.2 dB, from 0.53 s to 1.33 s, on the receiver's upper passband hump (a ~1 dB rise
    # its row CFAR lit in some rows since the start): found as one burst, the jammer missed
    (t,), d = gen3_run(tmp_path, 4, 44)
    (ev,) = _overlapping(d, t.start_s, t.end_s)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "cw", (ev.kind, ev.params)
    assert ev.start_s == pytest.approx(t.start_s, abs=0.05)
    assert ev.params["prf_hz"] == pytest.approx(t.params["prf_hz"], rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(t.params["duty_cycle"], abs=0.05)
    assert ev.end_s == pytest.approx(t.end_s, abs=0.05)
