"""Hoppers through gen3's imperfect receiver (benchmarks/gen3.py): two hoppers on at once in one
band are hopping (rfkit.detection.hops.two_hoppers), not an unknown two-carrier emission; a hopper
two of whose channels run together in the averaged spectrum keeps the hops between them
(hops._split_wide). Ground truth: recordings of gen3's sets rebuilt from their plan (same seed,
same spec) that rfkit got wrong before these changes."""

from __future__ import annotations

import pytest
from independent import gen3_run as _run


def _hopping_over(truth, d):
    """The hopping detections overlapping the truth in time (over half of it) and in band."""
    return [e for e in d.jamming if e.kind == "hopping"
            and min(e.end_s, truth.end_s) - max(e.start_s, truth.start_s) > 0.5 * (truth.end_s - truth.start_s)
            and e.freq_lo_hz <= truth.freq_hi_hz and e.freq_hi_hz >= truth.freq_lo_hz]


def test_two_hoppers_at_once_are_hopping(tmp_path):
    # seed 3's 010: a -5 dB hopper over 5 channels and a -10 dB one over 4, on together for 1.3 s
    # (2.4 MS/s, cs8): two channels on at once in every frame, so no single hopper - it was an
    # unknown emission and both hoppers were missed
    truth, d = _run(tmp_path, 3, 10)
    assert len(truth) == 2 and all(t.kind == "hopping" for t in truth)
    for t in truth:
        assert _hopping_over(t, d), [(e.kind, e.jamming, e.start_s, e.end_s) for e in d]
    strong = max(truth, key=lambda t: t.jn_db)
    ev = _hopping_over(strong, d)[0]
    assert ev.params["hop_rate_hz"] == pytest.approx(strong.params["hop_rate_hz"], rel=0.1)


def test_hopper_with_two_channels_run_together_counts_their_hops(tmp_path):
    # seed 2's 094: six channels, two of them 25 kHz apart seen as one channel twice as wide as
    # the others; the hops between them were not counted (rate 9.5 % low)
    (t,), d = _run(tmp_path, 2, 94)
    (ev,) = _hopping_over(t, d)
    assert ev.params["hop_rate_hz"] == pytest.approx(t.params["hop_rate_hz"], rel=0.05)
