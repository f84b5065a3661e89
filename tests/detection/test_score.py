"""Scoring maths on hand-made detections against hand-made truth (no detector involved)."""

from __future__ import annotations

import json
import math

import pytest

from rfkit.detection.events import Detections, Event
from rfkit.detection.score import (
    MatchRules,
    Recording,
    load_truth,
    match_recording,
    score_directory,
    score_recordings,
    truth_variant,
)
from rfkit.synth import CW, Chirp, Scenario, Traffic, write_scenario

RATE = 1e6
FC = 100e6


def ev(kind, t0, t1, f0, f1, *, jamming=True, jn=0.0, **params):
    return Event(start_s=t0, end_s=t1, freq_lo_hz=FC + f0, freq_hi_hz=FC + f1, kind=kind, jamming=jamming,
                 power_dbfs=-30 + jn, jn_db=jn, confidence=1.0, params=params)


def rec(name, truth, detected, duration_s=60.0):
    return Recording(name=name, truth=truth, detected=detected, duration_s=duration_s, sample_rate=RATE,
                     center_freq=FC, bin_hz=1000.0)


def test_hit_kind_and_parameter_errors():
    truth = [ev("cw", 1.0, 5.0, 2e5, 2e5, jn=-5.0, tones_hz=[FC + 2e5])]
    det = [ev("cw", 1.03, 5.2, 2e5 + 600, 2e5 + 600, jn=-3.5, tones_hz=[FC + 2e5 + 600])]
    f = match_recording(rec("a", truth, det))
    (row,) = f.truths
    assert row["detected"] and row["detected_kind"] == "cw" and row["jn_level"] == -5
    e = row["errors"]
    assert e["tone_bins"] == pytest.approx(0.6)
    assert e["jn_db"] == pytest.approx(1.5)
    assert e["start_ms"] == pytest.approx(30.0) and e["end_ms"] == pytest.approx(200.0)
    assert f.false_alarms == [] and f.category == "jamming"


def test_time_and_frequency_guards_decide_a_match():
    truth = [ev("cw", 1.0, 2.0, 0.0, 0.0)]
    near = ev("cw", 2.04, 3.0, 9e3, 9e3)  # 40 ms after the end, 9 kHz away: within 50 ms and 1 % of 1 MHz
    far_t = ev("cw", 2.2, 3.0, 0.0, 0.0)  # 200 ms after
    far_f = ev("cw", 1.0, 2.0, 3e4, 3e4)  # 30 kHz away (guards add 10 kHz each side: 20 kHz)
    f = match_recording(rec("a", truth, [near, far_t, far_f]))
    assert f.truths[0]["detected"]
    assert f.false_alarms == [far_t, far_f]
    f2 = match_recording(rec("a", truth, [far_t]), rules=MatchRules(time_guard_s=0.15))
    assert f2.truths[0]["detected"]


def test_non_jamming_detection_does_not_count_as_detection_nor_false_alarm():
    truth = [ev("noise", 0.0, 10.0, -1e5, 1e5)]
    f = match_recording(rec("a", truth, [ev("burst", 1.0, 1.01, 0, 1e3, jamming=False)]))
    assert not f.truths[0]["detected"] and f.false_alarms == []
    assert f.truths[0]["seen_as"] == "burst"
    r = score_recordings([rec("a", truth, [ev("burst", 1.0, 1.01, 0, 1e3, jamming=False)]),
                          rec("b", truth, [])])
    assert r.confusion() == {"noise": {"not-jamming": 1, "missed": 1}}


def test_packet_under_a_jammer_is_not_called_jamming():
    """A whole-band jammer's detection covers a packet too: that is not 'traffic called jamming'."""
    truth = [ev("noise", 0.0, 10.0, -5e5, 5e5), ev("burst", 2.0, 2.01, 1e5, 1.1e5, jamming=False)]
    f = match_recording(rec("a", truth, [ev("noise", 0.0, 10.0, -5e5, 5e5)]))
    assert f.bursts[0] == {"recording": "a", "seen": True, "called_jamming": False}
    f = match_recording(rec("a", truth, [ev("noise", 0.0, 10.0, -5e5, 5e5), ev("cw", 2.0, 2.01, 1e5, 1e5)]))
    assert not f.bursts[0]["called_jamming"] and f.false_alarms == []  # the cw is inside the jammer's band
    truth = [ev("noise", 0.0, 10.0, -5e5, -2e5), ev("burst", 2.0, 2.01, 1e5, 1.1e5, jamming=False)]
    cw = ev("cw", 2.0, 2.01, 1e5, 1e5)
    f = match_recording(rec("a", truth, [ev("noise", 0.0, 10.0, -5e5, -2e5), cw]))
    assert f.bursts[0]["called_jamming"] and f.false_alarms == [cw]


def test_fragments_primary_and_confusion():
    truth = [ev("hopping", 0.0, 10.0, -3e5, 3e5, hop_rate_hz=100.0)]
    dets = [ev("cw", 0.0, 10.0, -3e5, -3e5), ev("hopping", 0.0, 9.9, -3e5, 3e5, hop_rate_hz=104.0)]
    f = match_recording(rec("a", truth, dets))
    row = f.truths[0]
    assert row["detected_kind"] == "hopping"  # the better overlap is primary
    assert row["fragments"] == 1 and f.fragments == 1
    assert row["errors"]["hop_rate_pct"] == pytest.approx(4.0)
    report = score_recordings([rec("a", truth, dets)])
    assert report.confusion() == {"hopping": {"hopping": 1}}


def test_false_alarms_per_minute_by_category_and_traffic_called_jamming():
    quiet = rec("q", [], [ev("noise", 1, 2, 0, 1e3)], duration_s=120.0)  # 1 in 2 min
    burst = ev("burst", 3.0, 3.01, 1e5, 1.1e5, jamming=False)
    traffic = rec("t", [burst], [ev("burst", 3.0, 3.01, 1e5, 1.1e5, jamming=False),
                                 ev("pulsed", 3.0, 3.01, 1e5, 1.1e5)], duration_s=30.0)  # 1 in 0.5 min
    jam = rec("j", [ev("cw", 0, 60, 0, 0)], [ev("cw", 0, 60, 0, 0)], duration_s=60.0)
    r = score_recordings([quiet, traffic, jam])
    fa = r.false_alarm_rates()
    assert fa["noise-only"]["per_min"] == pytest.approx(0.5)
    assert fa["traffic"]["per_min"] == pytest.approx(2.0)
    assert fa["all"]["per_min"] == pytest.approx(2 / 3.5)
    d = r.to_dict()
    assert d["bursts"] == {"total": 1, "seen": 1, "called_jamming": 1}
    assert r.targets()["false_alarms_per_min_max"]["value"] == pytest.approx(2.0)
    assert r.targets()["false_alarms_per_min_max"]["met"] is False


def test_image_of_a_jammer_is_not_a_false_alarm():
    truth = [ev("cw", 0.0, 5.0, 2.5e5, 2.5e5)]
    dets = [ev("cw", 0.0, 5.0, 2.5e5, 2.5e5), ev("cw", 0.0, 5.0, -2.5e5, -2.5e5)]
    f = match_recording(rec("a", truth, dets))
    assert len(f.images) == 1 and f.false_alarms == []


def test_pd_and_kind_accuracy_tables_by_level():
    recs = []
    for i, (jn, found, kind) in enumerate([(-10, True, "cw"), (-10, False, None), (-9, True, "multitone"),
                                           (0.4, True, "cw"), (10, True, "cw")]):
        t = [ev("cw", 0, 10, 1e5, 1e5, jn=jn, tones_hz=[FC + 1e5])]
        d = [ev(kind, 0, 10, 1e5, 1e5, jn=jn, tones_hz=[FC + 1e5])] if found else []
        recs.append(rec(f"r{i}", t, d))
    r = score_recordings(recs)
    assert r.pd_table("kind")["cw"] == {-10: (2, 3), 0: (1, 1), 10: (1, 1)}
    assert r.kind_accuracy() == {-10: (1, 2), 0: (1, 1), 10: (1, 1)}
    t = r.targets()
    assert t["pd_min_at_or_above_-5db"]["value"] == 1.0 and t["pd_min_at_or_above_-5db"]["met"]
    assert t["pd_min_narrowband_at_-10db"]["value"] == pytest.approx(2 / 3)
    assert t["kind_accuracy_at_or_above_-5db"]["value"] == 1.0
    d = json.loads(r.to_json())
    assert d["pd_by_kind"]["cw"]["-10"] == {"detected": 2, "total": 3, "pd": pytest.approx(2 / 3)}
    assert d["confusion"]["cw"] == {"cw": 3, "multitone": 1, "missed": 1}
    text = r.format_table(details=True)
    assert "Pd by kind" in text and "missed: r1" in text and "NOT met" in text
    assert "wrong kind: r2" in text and "called multitone" in text and "wrong kind: r0" not in text


def test_missing_parameter_counts_as_out_of_tolerance():
    truth = [ev("chirp", 0, 10, -4e5, 4e5, sweep_rate_hz_per_s=1e10, sweep_period_s=8e-5)]
    dets = [ev("chirp", 0, 10, -4e5, 4e5)]  # no sweep rate measured
    r = score_recordings([rec("a", truth, dets)])
    s = r.param_stats()["sweep_rate_pct"]
    assert s["n"] == 1 and s["missing"] == 1 and s["within_tolerance"] == 0.0
    dets = [ev("chirp", 0, 10, -4e5, 4e5, sweep_rate_hz_per_s=1.04e10)]
    s = score_recordings([rec("a", truth, dets)]).param_stats()["sweep_rate_pct"]
    assert s["median"] == pytest.approx(4.0) and s["within_tolerance"] == 1.0


def test_pulsed_parameters():
    truth = [ev("pulsed", 0, 10, 1e5, 1e5, base_kind="cw", prf_hz=500.0, duty_cycle=0.3, tones_hz=[FC + 1e5])]
    dets = [ev("pulsed", 0, 10, 1e5, 1e5, prf_hz=530.0, duty_cycle=0.36, tones_hz=[FC + 1e5 + 1500])]
    e = match_recording(rec("a", truth, dets)).truths[0]["errors"]
    assert e["prf_pct"] == pytest.approx(6.0) and e["duty_abs"] == pytest.approx(0.06)
    assert e["tone_bins"] == pytest.approx(1.5)


@pytest.mark.parametrize("params, rate, want", [
    ({"sweep_shape": "triangle", "sweep_period_s": 50e-6}, 2.4e6, "chirp-tri-fast"),
    ({"sweep_shape": "sawtooth", "sweep_period_s": 20e-3}, 2.4e6, "chirp-saw-slow"),
    ({"bandwidth_hz": 2.4e6}, 2.4e6, "noise-whole"),
    ({"bandwidth_hz": 1e5}, 2.4e6, "noise-narrow"),
    ({"bandwidth_hz": 1e6}, 2.4e6, "noise-partial"),
    ({"base_kind": "chirp"}, 1e6, "pulsed-chirp"),
])
def test_variants(params, rate, want):
    kind = want.split("-")[0]
    assert truth_variant(ev(kind, 0, 1, 0, 1, **params), rate) == want


def test_directory_scoring_with_an_oracle_detector(tmp_path):
    """A 'detector' that returns the truth itself scores perfectly; one that returns nothing scores 0."""
    sc1 = Scenario(emitters=(Chirp(jn_db=-5, start_s=0.1, bandwidth_hz=4e5, period_s=5e-5),), rate_hz=RATE,
                   duration_s=0.3)
    sc2 = Scenario(emitters=(CW(jn_db=-10, offset_hz=1e5),), rate_hz=RATE, duration_s=0.3, traffic=Traffic(rate_per_s=30))
    sc3 = Scenario(rate_hz=RATE, duration_s=0.3)
    for i, sc in enumerate((sc1, sc2, sc3)):
        write_scenario(tmp_path / f"r{i}", sc, seed=i)

    def oracle(cap, **_):
        return Detections(load_truth(cap.annotations, sample_rate=cap.info.sample_rate))

    r = score_directory(tmp_path, detect=oracle)
    assert len(r.files) == 3
    assert r.pd_table("kind") == {"chirp": {-5: (1, 1)}, "cw": {-10: (1, 1)}}
    assert all(v["false_alarms"] == 0 for v in r.false_alarm_rates().values())
    for k, s in r.param_stats().items():
        assert s["within_tolerance"] == 1.0, k
    r0 = score_directory(tmp_path, detect=lambda cap, **_: Detections([]))
    assert r0.targets()["pd_min_at_or_above_-5db"]["value"] == 0.0
    assert math.isclose(r0.false_alarm_rates()["noise-only"]["minutes"], 0.005)


def test_details_list_each_parameter_out_of_tolerance():
    truth = [ev("chirp", 1.0, 5.0, -2e5, 2e5, jn=-5.0, sweep_rate_hz_per_s=1e9),
             ev("cw", 1.0, 5.0, 3e5, 3e5, jn=0.0, tones_hz=[FC + 3e5])]
    det = [ev("chirp", 1.0, 5.2, -2e5, 2e5, jn=-5.0, sweep_rate_hz_per_s=1.2e9),  # 20 %, 200 ms late
           ev("cw", 1.0, 5.0, 3e5, 3e5, jn=0.5, tones_hz=[FC + 3e5 + 300])]  # all within tolerance
    text = score_recordings([rec("r1", truth, det)]).format_table(details=True)
    lines = [line for line in text.splitlines() if "out of tolerance" in line]
    assert len(lines) == 1
    assert "r1" in lines[0] and "sweep_rate_pct 20" in lines[0] and "end_ms 200" in lines[0]
    assert "start_ms" not in lines[0] and "jn_db" not in lines[0]
