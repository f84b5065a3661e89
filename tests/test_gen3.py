"""benchmarks/gen3.py, the third scenario generator: its truth reads back through `rfkit score`'s
reader, and the J/N it labels is what the stored samples hold."""

from __future__ import annotations

from pathlib import Path

import independent
import numpy as np
import pytest

from rfkit.detection.score import load_truth, truth_variant
from rfkit.io import open as open_capture


@pytest.fixture(scope="module")
def gen3():
    return independent.gen3()


def _read(meta: Path):
    with open_capture(meta) as cap:
        info = cap.info
        truth = load_truth(cap.annotations, sample_rate=info.sample_rate)
        x = cap.read()
    return info, truth, x.astype(np.complex128)


def _measured_jn(x: np.ndarray, rate: float, on: tuple[float, float], quiet: tuple[float, float]) -> float:
    """J/N from the samples: power with the jammer on less the power of noise alone, over the latter.
    The (slowly wandering) DC offset is taken out block by block (2 ms)."""
    blk = int(2e-3 * rate)
    m = x.size // blk * blk
    y = x[:m].reshape(-1, blk)
    y = (y - y.mean(axis=1, keepdims=True)).ravel()

    def power(a, b):
        return float(np.mean(np.abs(y[int(a * rate):int(b * rate)]) ** 2))

    n = power(*quiet)
    return 10 * np.log10((power(*on) - n) / n)


@pytest.mark.parametrize(("variant", "dtype", "gain", "jn"), [
    ("cw", "cu8", "low", 0.0),       # noise of 1-2.5 LSB: quantisation noise counts in N
    ("noise-narrow", "cs8", "high", -5.0),
])
def test_labelled_jn_is_in_the_samples(gen3, tmp_path, variant, dtype, gain, jn):
    spec = gen3.jammer_recording(variant, jn_db=jn, rate_hz=0.96e6, duration_s=1.0, dtype=dtype,
                                 gain=gain, on=(0.4, 2.0), seed=3)
    meta = gen3.write_recording(tmp_path, spec)
    info, truth, x = _read(meta)
    assert info.sample_rate == 0.96e6 and len(truth) == 1
    ev = truth[0]
    assert ev.jamming and ev.kind == variant.split("-")[0]
    assert truth_variant(ev, info.sample_rate) == variant
    assert ev.jn_db == pytest.approx(jn)
    assert abs(ev.start_s - 0.4) < 2e-3 and ev.end_s == pytest.approx(1.0, abs=2e-6)
    got = _measured_jn(x, info.sample_rate, on=(0.42, 1.0), quiet=(0.0, 0.38))
    assert abs(got - jn) < 0.5, f"{variant}: labelled {jn:+.2f} dB, measured {got:+.2f} dB"


def test_truth_reads_back_through_the_score_reader(gen3, tmp_path):
    specs = gen3.plan_set(12, seed=7)
    assert [s["index"] for s in specs] == list(range(12))
    assert gen3.plan_set(12, seed=7) == specs  # deterministic
    cats = [s["category"] for s in specs]
    assert cats.count("noise-only") == 2 and cats.count("traffic") == 2
    # one short recording: a pulsed CW jammer beside ordinary packets of every kind that fits
    s = gen3.jammer_recording("pulsed-cw", jn_db=10.0, rate_hz=0.96e6, duration_s=1.0, seed=5)
    s["traffic"] = gen3._traffic_packets(np.random.default_rng(2), 0.96e6, 1.0, [s["jammers"][0]["band"]],
                                         types=["gmsk", "ofdm", "keyfob"])
    assert s["traffic"]
    info, truth, _ = _read(gen3.write_recording(tmp_path, s))
    assert len(truth) == 1 + len(s["traffic"])
    for ev in truth:
        assert ev.jamming == (ev.kind != "burst")
        assert 0 <= ev.start_s < ev.end_s <= info.duration_s + 1e-9
        assert info.center_freq - 0.48e6 <= ev.freq_lo_hz <= ev.freq_hi_hz <= info.center_freq + 0.48e6
    jam = [ev for ev in truth if ev.jamming]
    p = jam[0].params
    assert p["base_kind"] == "cw" and p["prf_hz"] > 0 and 0 < p["duty_cycle"] < 1 and len(p["tones_hz"]) == 1
    assert truth_variant(jam[0], info.sample_rate) == "pulsed-cw"
    assert {ev.params["modulation"] for ev in truth if not ev.jamming} <= {"gmsk", "ofdm", "keyfob"}
