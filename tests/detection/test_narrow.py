"""Narrowband jammers end to end on generated ground truth (rfkit.synth): a carrier inside a
wideband jammer's band is its own event, a steady jammer switched off and on again is two
events, a slow hopper's rate is counted over the whole emission."""

import pytest

import rfkit
from rfkit.synth.emitters import CW, Chirp, Hopping, Multitone, Noise
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate

RATE = 1.024e6


def _detect(*emitters, duration_s=1.6, seed=5):
    sc = Scenario(emitters=emitters, rate_hz=RATE, duration_s=duration_s, center_freq_hz=433.92e6,
                  impairments=Impairments())
    x, truth = generate(sc, seed=seed)
    dets = rfkit.detect(x.astype("complex64"), rate_hz=RATE, center_hz=433.92e6)
    return [e for e in dets if e.jamming], truth, dets.stats["bin_hz"]


def _near(events, t):
    return max(events, key=lambda e: min(e.end_s, t.end_s) - max(e.start_s, t.start_s))


@pytest.mark.parametrize("wide", [Chirp(offset_hz=0.0, bandwidth_hz=700e3, period_s=40e-6, jn_db=5.0,
                                        start_s=0.4, end_s=None),
                                  Noise(offset_hz=-50e3, bandwidth_hz=500e3, jn_db=5.0, start_s=0.4, end_s=None)])
def test_carrier_inside_a_wideband_jammer_is_its_own_event(wide):
    # (the README's example: a weaker carrier on from the start, a wideband jammer over it later)
    jam, truth, bin_hz = _detect(CW(offset_hz=123_456.0, jn_db=-5.0, start_s=0.0, end_s=None), wide)
    assert len(jam) == 2, [(e.kind, e.start_s, e.end_s) for e in jam]
    cw = [e for e in jam if e.kind == "cw"]
    other = [e for e in jam if e.kind == wide.kind]
    assert cw and other
    t_cw = next(t for t in truth if t.kind == "cw")
    t_wide = next(t for t in truth if t.kind == wide.kind)
    assert abs(cw[0].params["tones_hz"][0] - t_cw.params["tones_hz"][0]) <= bin_hz
    assert abs(cw[0].start_s - t_cw.start_s) <= 0.05 and abs(cw[0].end_s - t_cw.end_s) <= 0.05
    assert abs(other[0].start_s - t_wide.start_s) <= 0.05
    assert abs(cw[0].jn_db - t_cw.jn_db) <= 2.0


@pytest.mark.parametrize("wide", [Chirp(offset_hz=0.0, bandwidth_hz=700e3, period_s=40e-6, jn_db=5.0),
                                  Chirp(offset_hz=0.0, bandwidth_hz=600e3, period_s=0.2, jn_db=0.0),
                                  Noise(offset_hz=-50e3, bandwidth_hz=500e3, jn_db=5.0)])
def test_a_wideband_jammer_alone_spawns_no_tone(wide):
    jam, _truth, _ = _detect(wide.__class__(**{**wide.__dict__, "start_s": 0.3, "end_s": 1.3}))
    assert [e.kind for e in jam] == [wide.kind]


def test_multitone_switched_off_and_on_is_two_events():
    tones = (-250e3, -40e3, 180e3)
    jam, truth, _ = _detect(Multitone(offsets_hz=tones, jn_db=-5.0, start_s=0.2, end_s=0.75),
                                 Multitone(offsets_hz=tones, jn_db=-5.0, start_s=1.1, end_s=None))
    assert len(jam) == 2 and all(e.kind == "multitone" for e in jam)
    for t in truth:
        e = _near(jam, t)
        assert abs(e.start_s - t.start_s) <= 0.05 and abs(e.end_s - t.end_s) <= 0.05


def test_slow_hopper_rate_counted_over_the_emission():
    chans = tuple(-350e3 + 70e3 * k for k in range(11))
    jam, truth, _ = _detect(Hopping(channels_hz=chans, dwell_s=0.037, jn_db=-5.0, start_s=0.2, end_s=None),
                            duration_s=2.5)
    e = _near(jam, truth[0])
    assert e.kind == "hopping"
    assert e.params["hop_rate_hz"] == pytest.approx(1 / 0.037, rel=0.05)
