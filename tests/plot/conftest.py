"""Fixtures for the figure tests: the Agg backend, a scenario with every kind of interference."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in tests; figures render to PNG through Agg

import pytest


@pytest.fixture(scope="session")
def all_kinds_scenario(tmp_path_factory):
    """(meta path, ground-truth events): one emitter of each kind plus bursty traffic, 2 s at 2.4 MS/s."""
    synth = pytest.importorskip(
        "rfkit.synth", reason="rfkit.synth (scenario generator) is not installed"
    )
    from rfkit.detection.events import annotation_to_event

    sc = synth.Scenario(
        rate_hz=2.4e6,
        duration_s=2.0,
        center_freq_hz=433.92e6,
        emitters=(
            synth.CW(jn_db=0, offset_hz=-900e3, start_s=0.1, end_s=0.8),
            synth.Multitone(jn_db=0, offsets_hz=(-600e3, -560e3, -520e3), start_s=0.3, end_s=1.2),
            synth.Chirp(
                jn_db=5,
                bandwidth_hz=400e3,
                offset_hz=-100e3,
                period_s=20e-3,
                start_s=0.5,
                end_s=1.5,
            ),
            synth.Noise(jn_db=0, bandwidth_hz=200e3, offset_hz=350e3, start_s=1.0, end_s=1.8),
            synth.Pulsed(
                jn_db=5,
                base=synth.CW(offset_hz=650e3),
                prf_hz=100,
                duty=0.3,
                start_s=0.05,
                end_s=0.9,
            ),
            synth.Hopping(
                jn_db=5, channels_hz=(800e3, 900e3, 1000e3), dwell_s=20e-3, start_s=1.1, end_s=1.95
            ),
        ),
        traffic=synth.Traffic(rate_per_s=3.0),
    )
    meta = synth.write_scenario(tmp_path_factory.mktemp("scn") / "all_kinds", sc, seed=7)
    import rfkit

    with rfkit.open(meta) as cap:
        truth = [annotation_to_event(a, sample_rate=cap.info.sample_rate) for a in cap.annotations]
    return meta, truth
