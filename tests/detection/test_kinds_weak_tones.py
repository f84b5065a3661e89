"""Weak tones (J/N -10 dB over the sampled band): carriers on together whose short frames are too
weak to see each one every time (rfkit.detection.features.channel_turns, Evidence.channels_together,
kinds.multitone, kinds.hopping). Ground truth from rfkit.synth scenarios (impaired receiver)."""

import numpy as np
import pytest

import rfkit
from rfkit.detection import features as ft
from rfkit.detection.events import annotation_to_event
from rfkit.synth.emitters import Hopping
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate, scenario_from_dict, write_scenario

RATE = 250e3
ON, OFF = 0.35, 1.1


def _found(d, t):
    """The one jamming event over more than half of the truth `t`, its edges within 50 ms."""
    end = t.end_s
    jam = [e for e in d.jamming if min(e.end_s, end) - max(e.start_s, t.start_s) > 0.5 * (end - t.start_s)]
    assert len(jam) == 1, [(e.kind, e.jamming, e.start_s, e.end_s, e.params) for e in d]
    ev = jam[0]
    assert abs(ev.start_s - t.start_s) <= 0.05 and abs(ev.end_s - end) <= 0.05
    return ev


def _one_jammer(emitter, *, seed):
    sc = Scenario(emitters=(emitter,), rate_hz=RATE, duration_s=1.4, center_freq_hz=2.44e9,
                  impairments=Impairments())
    x, truth = generate(sc, seed=seed)
    d = rfkit.detect(x.astype("complex64"), rate_hz=RATE, center_hz=2.44e9)
    (t,) = truth
    return _found(d, t), t, d.stats["bin_hz"]


def _tones(rate_hz, duration_s, center_hz, offsets_hz, start_s, end_s=None, traffic=None):
    return {"rate_hz": rate_hz, "duration_s": duration_s, "center_freq_hz": center_hz, "noise_dbfs": -30.0,
            "emitters": [{"kind": "multitone", "jn_db": -10.0, "start_s": start_s, "end_s": end_s,
                          "offsets_hz": list(offsets_hz)}],
            "impairments": None, "traffic": traffic, "background": None}


@pytest.mark.parametrize(("scenario", "seed"), [
    # two tones 111 kHz apart: a 0.5 ms frame sees each about a third of the time (rfkit set 61's 057)
    (_tones(RATE, 1.21, 2.44e9, (-65572.1, 45911.3), 0.4183), 6100057),
    # three unevenly spaced: no sweep's comb, whatever kappa reads at this SNR (rfkit set 47's 057)
    (_tones(RATE, 1.085, 433.92e6, (-65694.3, 30141.2, 55793.6), 0.3773), 4700057),
    # four tones over 1.35 MHz among OOK/FSK packets: kappa reads 2.1, as noise's (rfkit set 47's 001)
    (_tones(2.4e6, 1.223, 1575.42e6, (-570271.1, 56912.9, 621345.8, 777080.2), 0.3704, 1.1095,
            {"rate_per_s": 2.0, "jn_db_range": [-5.0, 10.0], "modulations": ["ook", "fsk"], "min_gap_s": 0.02}),
     4700001),
])
def test_weak_tones_on_together_are_multitone(scenario, seed, tmp_path):
    # written as 8-bit samples, as the scoring sets are
    sc = scenario_from_dict(scenario)
    path = write_scenario(tmp_path / "tones.sigmf-meta", sc, seed=seed, dtype="cu8")
    d = rfkit.detect(path)
    truth = [annotation_to_event(a, sample_rate=sc.rate_hz) for a in rfkit.open(path).annotations]
    (t,) = [e for e in truth if e.jamming]
    ev = _found(d, t)
    assert ev.kind == "multitone", (ev.kind, ev.params)
    offsets = scenario["emitters"][0]["offsets_hz"]
    assert len(ev.params["tones_hz"]) == len(offsets)
    for f in offsets:
        assert min(abs(sc.center_freq_hz + f - g) for g in ev.params["tones_hz"]) <= d.stats["bin_hz"]


def test_weak_hopper_stays_hopping():
    # the naive twin: one carrier at a time among six channels, as weak over the band as the tones
    # above (but all its power in one channel at a time): its channels take turns
    chans = tuple(-100e3 + 40e3 * k for k in range(6))
    ev, t, bin_hz = _one_jammer(Hopping(channels_hz=chans, dwell_s=5e-3, jn_db=-10.0, start_s=ON, end_s=OFF), seed=5)
    assert ev.kind == "hopping", (ev.kind, ev.params)
    for f in t.params["channels_hz"]:
        assert min(abs(f - g) for g in ev.params["channels_hz"]) <= 2 * bin_hz


def _turns_input(together: bool, *, n=1 << 16, snr_per_tone=0.03, seed=1):
    """Two tones at -20, +30 kHz in unit noise, on together or taking turns every 2 ms."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE
    a = np.sqrt(snr_per_tone * (1 if together else 2))
    s1 = a * np.exp(2j * np.pi * -20e3 * t)
    s2 = a * np.exp(2j * np.pi * 30e3 * t + 1.0)
    if not together:
        first = (np.floor(t / 2e-3) % 2) == 0
        s1, s2 = s1 * first, s2 * ~first
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5)
    return (noise + s1 + s2).astype(np.complex64)


@pytest.mark.parametrize("together", [True, False])
def test_channel_turns_tells_tones_from_turns_below_frame_detection(together):
    # per-tone SNR 0.03 (-15 dB per sample): a 0.5 ms frame holds each tone ~4x its bin's noise,
    # too weak to call it on or off frame by frame; the covariance of the two channels' powers
    # is 0 for tones on together and -1 (their mean powers' product) for a carrier taking turns
    y = _turns_input(together)
    c, s, c_all, s_all = ft.channel_turns(y, RATE, np.array([-20e3, 30e3]), 1.0 / RATE)
    assert c.shape == (1,) and s[0] < 0.15
    assert c_all == pytest.approx(c[0]) and s_all == pytest.approx(s[0])  # (one pair: the sum is it)
    if together:
        assert abs(c[0]) < 4 * s[0] + 0.1
    else:
        assert abs(c[0] + 1.0) < 4 * s[0] + 0.1


@pytest.mark.parametrize("bit_s", [1.5e-3, 26e-3])
def test_two_tone_fsk_is_no_jammer(bit_s):
    # 2-FSK with random bits: two lines holding all the power, but one on at a time (the channels'
    # powers take turns: c = -1), at no clock - data, neither a multitone nor a hopper
    rate = 1.024e6
    rng = np.random.default_rng(4)
    n = int(1.2 * rate)
    bit = int(bit_s * rate)
    bits = rng.integers(0, 2, n // bit + 1).repeat(bit)[:n]
    phase = 2 * np.pi * np.cumsum(np.where(bits == 1, 150e3, -200e3)) / rate
    t = np.arange(n) / rate
    on = (t >= ON) & (t < OFF)
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5)
    x = (noise + on * np.sqrt(10 ** (-5 / 10) * rate / 20e3) * 0.3 * np.exp(1j * phase)).astype("complex64")
    d = rfkit.detect(x, rate_hz=rate, center_hz=433.92e6)
    assert [e for e in d if e.start_s < OFF and e.end_s > ON], "the FSK emission was not seen"
    assert not d.jamming, [(e.kind, e.params) for e in d.jamming]
