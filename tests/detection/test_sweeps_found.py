"""Sweeps missed, misplaced or misnamed, and tones taken for one: a strong fast sweep whose
averaged band is one flat band of comb lines, with a bin or two split off its edge, is no
hopper's comb (kinds.chirp's channels-are-lines test); a sweep that stopped, and traffic the
tracker joined to it after, is judged where the sweep is, not on the traffic (packets.same_band);
a resolved sweep's comb line is no carrier nested in it (online's nested-line window); the probe
for a jammer on from the start leaves one whose band rises inside its snippet to the tracks
(keyed.band_rise); the keyed look's onset survives a packet in the train's off phases
(keyed.on_span), and the look reads the train's band against its own off phases (online's gated
look); a short sweep's power stays steady through its fold while steady tones beat
(sweep_fold.step_fold_swing, tested with the tones in test_kinds_tones.py and
test_kinds_gen3.py); a multitone read over a floor rise whose tones lie on a concurrent
chirp's comb is that chirp (online's `_sweep_lines`); a sweep of B T ~3, a middle line with one
6.7 dB under it each side, is read over its comb, not as a carrier (evidence's `_comb_band`).
Ground truth: recordings of the three generators rebuilt from their plans
(same seed, same spec), the shipped synthetic capture, and small arrays."""

from pathlib import Path

import numpy as np
import pytest
from independent import gen3_run, recording

import rfkit
from rfkit.detection.keyed import band_rise, on_span
from rfkit.synth.scenario import write_scenario
from rfkit.synth.sets import plan_set

ROOT = Path(__file__).resolve().parents[2]


def _overlapping(d, t0, t1, kind=None):
    """Jamming events (of `kind`) over more than half of t0..t1."""
    return [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)
            and (kind is None or e.kind == kind)]


def test_strong_fast_sawtooth_with_a_sliver_beside_its_band_is_a_chirp(tmp_path):
    # gen3 seed 5's 022: +10 dB, 652 kHz swept every 209 us (2.4 MS/s, 8-bit). Its comb (lines
    # 4.8 kHz apart, 4 bins) stands 25 dB over the noise, valleys and all: one flat band, but
    # for 2 bins split off at its edge. Short frames saw the sweep in one "channel" or the other
    # in turn, and the resolved-comb test took the two for a hopper's channels: "unknown"
    (t,), d = gen3_run(tmp_path, 5, 22)
    (ev,) = _overlapping(d, t.start_s, t.end_s)
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(t.params["sweep_rate_hz_per_s"], rel=0.05)


def test_fast_triangle_joined_to_traffic_after_it_stopped_is_a_chirp(tmp_path):
    # altgen seed 89's alt062: +10 dB, 800 kHz swept up and down every 23 us, on 0.15-0.80 s and
    # 1.26-1.77 s, among GFSK beacons, OOK and LoRa packets that join both stretches into one
    # emission to 2.71 s. Its rows left gaps, so the sweep test looked again on the on-rows
    # farthest from the snippet: a LoRa packet, 125 kHz of the 760 kHz, whose nothing-repeats
    # took the whole emission for chirp-spread packets ("unknown"). Called a chirp, its comb's
    # strongest line (lines 43 kHz apart, the window 40 bins) stood as a nested carrier
    spec, d = recording(tmp_path, 89, 62)
    jam = spec["jammers"][0]
    (t0, t1), _ = jam["on"]
    (ev,) = _overlapping(d, t0, t1)
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.01)
    assert not [e for e in d.jamming if e.kind == "cw"], [(e.kind, e.params) for e in d]


def test_chirp_starting_after_a_carrier_in_its_band_starts_at_its_onset():
    # the shipped synthetic capture: a -5 dB CW from 0 s, a +5 dB sawtooth over 1.8 of 2.4 MHz
    # from 0.1 s. The probe for a jammer on from the start (whose first look, at 0.25 s, takes
    # the snippet from 0 s) found the sweep, and a track it opens starts at row 0
    d = rfkit.detect(ROOT / "captures" / "gps-l1-chirp-jammer.sigmf-meta")
    (ch,) = [e for e in d.jamming if e.kind == "chirp"]
    assert ch.start_s == pytest.approx(0.1, abs=0.05)
    assert ch.params["sweep_period_s"] == pytest.approx(25e-6, rel=0.01)
    (cw,) = [e for e in d.jamming if e.kind == "cw"]
    assert cw.start_s == pytest.approx(0.0, abs=0.05)


def test_weak_pulsed_chirp_starts_where_it_switches_on_and_in_its_own_band(tmp_path):
    # rfkit set seed 71's 024: a sawtooth over 428 kHz keyed at 301 Hz with duty 0.12 (-4.4 dB
    # while on, -14 dB on average) from 0.663 s, beside OOK/FSK packets, through an 8-bit
    # receiver. Only the keyed look sees it (at 1.05 s); looking back, a packet in the off
    # phases of one chunk (contrast -19 sigma) cut the run: found from 1.05 s. Its band was read
    # against a floor learnt earlier, 3-5 % under the real one: the whole band (901 kHz)
    item = plan_set(120, seed=71)[24]
    meta = write_scenario(tmp_path / f"{item['name']}.sigmf-meta", item["scenario"], seed=item["seed"])
    d = rfkit.detect(meta)
    (ev,) = _overlapping(d, 0.663, 2.252)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp", (ev.kind, ev.params)
    assert ev.start_s == pytest.approx(0.663, abs=0.05)
    assert ev.params["prf_hz"] == pytest.approx(301.39, rel=0.01)
    assert ev.freq_hi_hz - ev.freq_lo_hz < 0.7 * 1.024e6  # (428 kHz swept; not the whole band)


@pytest.mark.parametrize(("seed", "index"), [(53, 16), (5, 45), (89, 18)])
def test_short_sweeps_whose_fold_keeps_their_power_are_chirps(tmp_path, seed, index):
    # a few lines under a steady envelope that the tones' test must leave to chirp: altgen seed
    # 53's alt016 (+10 dB triangle, B T ~3, 14.5 samples a period, found at twice it), seed 5's
    # alt045 (-5 dB sawtooth, B T ~3, 18.8 samples a period, read as a triangle at twice it),
    # seed 89's alt018 (-5 dB triangle, B T 2.3: three lines -5.7, 0, -5.7 dB, as the tones'
    # of test_kinds_gen3's). No fold traces straight pieces; their power folded on the period
    # stays within 0.83 of its top (the lag product's magnitude, whose noise correlation is
    # taken off as estimated, swung to 0.57 for alt018 at an in-band SNR of 2.3)
    spec, d = recording(tmp_path, seed, index)
    (t0, t1), = spec["jammers"][0]["on"]
    assert _overlapping(d, t0, t1, "chirp"), [(e.kind, e.start_s, e.end_s, e.params) for e in d]


def test_a_packet_in_the_off_phases_does_not_cut_a_keyed_run():
    # chunks' on/off contrast in sigmas: on throughout, but a strong packet in the off phases of
    # chunk 6 (its contrast far below zero) and partly in chunk 5 (its contrast low)
    c = np.array([9.0, 10, 11, 12, 11, 1.5, -19, 10, 12, 11, 10, 9])
    assert on_span(c, 1.0) == (0, 11)
    # off before chunk 4, on after: the run starts there (a packet in the off phases is no onset)
    c2 = np.array([0.2, -0.5, 0.3, -19.0, 10, 11, 12, 11, 10, 9])
    assert on_span(c2, 1.0) == (4, 9)


def test_band_rise_finds_a_band_that_switches_on_and_stays():
    rate = 1e5
    rng = np.random.default_rng(1)
    n = int(0.4 * rate)
    e = rng.exponential(1.0, n)  # noise power 1 per sample
    e[int(0.13 * rate):] += 3.0
    assert band_rise(e, rate, noise=1.0, band_hz=rate) == pytest.approx(0.13 * rate, abs=0.02 * rate)
    assert band_rise(e[int(0.13 * rate):], rate, noise=1.0, band_hz=rate) == 0  # on from the start
    e2 = e.copy()
    e2[int(0.3 * rate):] = rng.exponential(1.0, n - int(0.3 * rate))
    assert band_rise(e2, rate, noise=1.0, band_hz=rate) == 0  # on, then off: no rise that stays


def _event(kind, lo_hz, hi_hz, params, start_s=0.0, end_s=1.3):
    from rfkit.detection.events import Event

    return Event(start_s=start_s, end_s=end_s, freq_lo_hz=lo_hz, freq_hi_hz=hi_hz, kind=kind, jamming=True,
                 power_dbfs=-25.0, jn_db=10.0, confidence=0.9, params=params)


def test_tones_on_a_concurrent_chirps_comb_are_its_lines():
    from rfkit.detection.online import _sweep_lines

    period = 16.34e-6  # (a period read twice the true 8.17 us: a grid of half the lines' spacing)
    chirp = _event("chirp", 419e3, 721e3, {"sweep_period_s": period, "sweep_rate_hz_per_s": 3.7e10,
                                           "sweep_shape": "triangle", "bandwidth_hz": 3e5}, end_s=1.31)
    # five lines 122.3 kHz apart, and three spurs 34.1 kHz off them (the reset between samples)
    comb = [324.7e3, 447.0e3, 535.2e3, 569.3e3, 603.4e3, 657.4e3, 691.5e3, 813.8e3]
    lines = _event("multitone", 282e3, 858e3, {"tones_hz": comb}, end_s=1.32)
    out = _sweep_lines([lines, chirp])
    assert [e.kind for e in out] == ["chirp"]
    assert out[0].end_s == 1.32 and out[0].params is chirp.params
    # tones of another emitter fall anywhere on the grid; a multitone at other times stays
    other = _event("multitone", 282e3, 858e3, {"tones_hz": [330e3, 471e3, 588e3, 702e3]})
    later = _event("multitone", 282e3, 858e3, {"tones_hz": comb}, start_s=2.0, end_s=3.0)
    assert [e.kind for e in _sweep_lines([other, later, chirp])] == ["multitone", "multitone", "chirp"]


def test_fast_sawtooth_whose_skirts_lift_the_floor_is_a_chirp(tmp_path):
    # altgen seed 113's alt036: a +10 dB sawtooth of 8.18 us (14.7 samples) over 422 kHz; its comb's
    # skirts lift the whole band, and the floor rise, judged with the sweep's middle lines notched
    # (tracked apart, a chirp), read the rest as eight tones: called multitone
    spec, d = recording(tmp_path, 113, 36)
    jam = spec["jammers"][0]
    on = jam["on"][0]
    hits = _overlapping(d, on[0], on[1])
    assert hits and {e.kind for e in hits} == {"chirp"}, [(e.kind, e.freq_lo_hz, e.freq_hi_hz) for e in hits]


def test_fast_sawtooth_of_three_lines_is_no_carrier(tmp_path):
    # altgen seed 89's alt089: a +10 dB sawtooth of 13.7 us over 200 kHz (B T 2.7): its comb is a
    # middle line with one 6.7 dB under it each side (FM of index ~1); the band was read at the
    # quarter-power edge round the middle line alone, and called a CW. Read over its comb
    # (evidence's `_comb_band`), it folds into the sawtooth.
    spec, d = recording(tmp_path, 89, 89)
    jam = spec["jammers"][0]
    on = jam["on"][0]
    hits = _overlapping(d, on[0], on[1])
    assert [e.kind for e in hits] == ["chirp"], [(e.kind, e.freq_lo_hz, e.freq_hi_hz) for e in hits]
    assert hits[0].params["sweep_shape"] == "sawtooth"
    assert hits[0].params["sweep_rate_hz_per_s"] == pytest.approx(jam["bandwidth_hz"] / jam["period_s"], rel=0.05)
