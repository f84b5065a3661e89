"""A sweep whose period is one or two FFT frames (1 ms at 1.024 or 2.048 MS/s, where the frames
are 1 ms) meets every frame at the same phase: the averaged spectrum rises in the middle of
its band, the band is read too narrow, and the sweep leaves it once a period like a keyed one
(kinds.pulsed._frame_locked_sweep). Ground truth: rfkit.synth, no impairments."""

import pytest

import rfkit
from rfkit.synth.emitters import Chirp
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate


def _jammers(rate_hz, chirp, duration_s=3.0):
    sc = Scenario(emitters=(chirp,), rate_hz=rate_hz, duration_s=duration_s, center_freq_hz=433.92e6,
                  impairments=Impairments())
    x, _ = generate(sc, seed=5)
    d = rfkit.detect(x.astype("complex64"), rate_hz=rate_hz, center_hz=433.92e6)
    assert d.stats["bin_hz"] * chirp.period_s == pytest.approx(round(d.stats["bin_hz"] * chirp.period_s))
    return d.jamming


@pytest.mark.parametrize(("rate_hz", "bandwidth_hz", "period_s"), [
    (1.024e6, 512e3, 1e-3), (2.048e6, 1e6, 1e-3), (2.048e6, 1e6, 2e-3)])
def test_frame_locked_sawtooth_is_a_chirp_at_its_rate(rate_hz, bandwidth_hz, period_s):
    jam = _jammers(rate_hz, Chirp(offset_hz=0.0, bandwidth_hz=bandwidth_hz, period_s=period_s, jn_db=0.0,
                                  start_s=0.5, end_s=2.5))
    assert [e.kind for e in jam] == ["chirp"], [(e.kind, e.params) for e in jam]
    assert jam[0].params["sweep_rate_hz_per_s"] == pytest.approx(bandwidth_hz / period_s, rel=0.05)
    assert abs(jam[0].start_s - 0.5) <= 0.05


def test_frame_locked_triangle_is_a_chirp():
    jam = _jammers(2.048e6, Chirp(offset_hz=0.0, bandwidth_hz=1.5e6, period_s=2e-3, shape="triangle",
                                  jn_db=0.0, start_s=0.5, end_s=2.5))
    assert [e.kind for e in jam] == ["chirp"], [(e.kind, e.params) for e in jam]
