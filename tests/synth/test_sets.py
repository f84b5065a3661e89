"""Scoring sets: every variant at every J/N level, quiet references, rates, quiet recordings."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from rfkit.detection.score import load_truth, truth_variant
from rfkit.synth import Pulsed, ground_truth
from rfkit.synth.sets import JN_LEVELS_DB, VARIANTS, plan_set, write_set


@pytest.fixture(scope="module")
def plan():
    return plan_set(120, seed=1)


def test_every_variant_at_every_level(plan):
    cells = Counter((it["variant"], it["jn_db"]) for it in plan if it["jn_db"] is not None)
    for v in VARIANTS:
        for jn in JN_LEVELS_DB:
            assert cells[(v, jn)] >= 1, (v, jn)


def test_quiet_recordings_for_false_alarm_rates(plan):
    kinds = Counter(it["variant"] for it in plan if it["jn_db"] is None)
    assert kinds["noise-only"] >= 10 and kinds["traffic"] >= 10
    for it in plan:
        if it["variant"] == "noise-only":
            assert not it["scenario"].emitters and it["scenario"].traffic is None
        if it["variant"] == "traffic":
            assert not it["scenario"].emitters and it["scenario"].traffic is not None


def test_rates_lengths_impairments_and_quiet_reference(plan):
    rates = Counter(it["scenario"].rate_hz for it in plan)
    assert set(rates) == {250e3, 1.024e6, 2.4e6, 10e6}
    assert sum(it["scenario"].impairments is not None for it in plan) > 30
    for it in plan:
        sc = it["scenario"]
        assert 0.5 <= sc.duration_s <= 3.0
        for e in sc.emitters:
            end = sc.duration_s if e.end_s is None else e.end_s
            assert e.start_s >= 0.2 * sc.duration_s  # quiet time before the jammer switches on
            assert end - e.start_s >= 0.5  # sustained
            lo, hi = e.band_hz()
            if it["variant"] != "noise-whole":  # clear of the band-edge roll-off
                assert -0.4 * sc.rate_hz - 1 <= lo and hi <= 0.4 * sc.rate_hz + 1


@pytest.mark.parametrize("seed", [1, 97])
def test_the_dongles_frequency_error_keeps_every_jammer_inside_the_band(seed):
    """30 ppm at 2.44 GHz is 73 kHz: it must not carry a jammer past a 250 kS/s recording's edge."""
    plan = plan_set(120, seed=seed)
    shifted = 0
    for it in plan:
        sc = it["scenario"]
        if it["jn_db"] is None or sc.impairments is None or it["variant"] == "noise-whole":
            continue
        shifted += abs(sc.impairments.shift_hz(sc.center_freq_hz)) > 0.02 * sc.rate_hz
        for t in ground_truth(sc, seed=it["seed"]):
            if t.jamming:
                assert abs(t.freq_lo_hz - sc.center_freq_hz) < 0.5 * sc.rate_hz, it["name"]
                assert abs(t.freq_hi_hz - sc.center_freq_hz) < 0.5 * sc.rate_hz, it["name"]
    assert shifted >= 3  # the error is still drawn, and still moves emissions


def test_variants_are_what_the_scorer_calls_them(plan):
    """The scorer's variant label, derived from the truth alone, agrees with the plan's."""
    for it in plan:
        if it["jn_db"] is None:
            continue
        truth = ground_truth(it["scenario"], seed=it["seed"])
        jam = [t for t in truth if t.jamming]
        assert len(jam) == 1
        assert truth_variant(jam[0], it["scenario"].rate_hz) == it["variant"]
        if isinstance(it["scenario"].emitters[0], Pulsed):
            assert jam[0].params["base_kind"] == it["scenario"].emitters[0].base.kind


def test_fast_chirps_are_shorter_than_a_frame_and_slow_ones_longer(plan):
    for it in plan:
        if it["variant"].startswith("chirp") and it["jn_db"] is not None:
            period = it["scenario"].emitters[0].period_s
            frame = 1024 / it["scenario"].rate_hz
            assert (period < frame) == it["variant"].endswith("fast")


def test_plan_is_deterministic():
    a = plan_set(30, seed=5)
    b = plan_set(30, seed=5)
    c = plan_set(30, seed=6)
    assert [x["scenario"] for x in a] == [x["scenario"] for x in b]
    assert [x["scenario"] for x in a] != [x["scenario"] for x in c]


def test_write_small_set(tmp_path):
    paths = write_set(tmp_path, count=2, seed=3)
    assert len(paths) == 2 and all(p.exists() and p.with_suffix(".sigmf-data").exists() for p in paths)
    index = json.loads((tmp_path / "set.json").read_text())
    assert [r["file"] for r in index["recordings"]] == [p.name for p in paths]
    meta = json.loads(paths[0].read_text())
    truth = load_truth(meta["annotations"], sample_rate=meta["global"]["core:sample_rate"])
    assert len([t for t in truth if t.jamming]) == 1
