"""A structured jammer on from the first sample over part of the band (online's probe, then
`_probe_band_raised`): the rows' floor-rise test reads a low quantile, which stays in the free
part of the band, so the probe's track is kept on by its own band's mean level over the floor
beside it, and ends where that band falls back. Ground truth: a recording of the independent
generator (benchmarks/altgen.py) rebuilt from its plan (seed 41's alt009, which rfkit reported
as a 0.25 s burst before), and the same plan with the jammer switched off half-way."""

import copy

import pytest
from independent import altgen

import rfkit


def _sweeps(tmp_path, spec):
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    return [e for e in d.jamming], d


def test_partial_band_fast_sweep_from_the_start_lasts_the_recording(tmp_path):
    # a triangle sweep over 58 % of the band, 26 us a period, 0 dB, on from 0 s to the end,
    # beside repeated LoRa packets
    spec = altgen().plan_set(100, seed=41)[9]
    jam = spec["jammers"][0]
    assert jam["on"] == [(0.0, spec["duration_s"])] and jam["bandwidth_hz"] < 0.6 * spec["rate_hz"]
    evs, d = _sweeps(tmp_path, spec)
    assert len(evs) == 1, [(e.kind, e.start_s, e.end_s) for e in d]
    ev = evs[0]
    assert ev.kind == "chirp"
    assert ev.start_s <= 0.05 and ev.end_s >= spec["duration_s"] - 0.05
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.05)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(2 * jam["bandwidth_hz"] / jam["period_s"], rel=0.1)


def test_partial_band_sweep_from_the_start_ends_where_it_stops(tmp_path):
    # the same sweep switched off at 1.2 s: its band falls back to the floor beside it, and the
    # LoRa packets that follow (beside the band) do not hold the event on
    spec = copy.deepcopy(altgen().plan_set(100, seed=41)[9])
    spec["jammers"][0]["on"] = [(0.0, 1.2)]
    evs, d = _sweeps(tmp_path, spec)
    assert len(evs) == 1, [(e.kind, e.start_s, e.end_s) for e in d]
    ev = evs[0]
    assert ev.kind == "chirp"
    assert ev.start_s <= 0.05 and ev.end_s == pytest.approx(1.2, abs=0.1)


def test_packets_in_the_band_of_a_probe_at_the_start_are_no_jammer(tmp_path):
    # seed 13's alt038 (traffic only): two 500 kHz LoRa packets at 0.10 and 0.13 s fill half the
    # band when the probe looks (a chirp found from the start), and a 250 kHz one falls in that
    # band at 0.72 s, within the hold time after the first ones end: the band fell back between
    # them, so the later packet does not carry the probe's find past min_jamming_s
    spec = altgen().plan_set(100, seed=13)[38]
    assert not spec["jammers"] and spec["traffic"]
    evs, d = _sweeps(tmp_path, spec)
    assert evs == [], [(e.kind, e.start_s, e.end_s) for e in d]
