"""Fixtures for the figure tests: Agg backend, small recordings in every input format, a scenario
with every kind of interference and its ground truth."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in tests; figures render to PNG through Agg

import numpy as np  # noqa: E402
import pytest  # noqa: E402

RATE = 1.0e6
CENTER = 433.92e6
TONE_HZ = 125e3  # offset of the test tone from the centre
BURST = (0.30, 0.302)  # a 2 ms burst (s)


def tone_samples(n: int = 1 << 19, *, rate: float = RATE, seed: int = 0, burst: bool = True) -> np.ndarray:
    """Noise at -40 dBFS, a tone at +TONE_HZ (-10 dBFS), and (burst) a 2 ms wideband burst at BURST."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate
    x = 0.3 * np.exp(2j * np.pi * TONE_HZ * t)
    x += 0.007 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    a, b = (min(n, int(v * rate)) for v in BURST) if burst else (0, 0)
    x[a:b] += 0.5 * (rng.standard_normal(b - a) + 1j * rng.standard_normal(b - a)) / np.sqrt(2)
    return x.astype(np.complex64)


def write_format(tmp_path, fmt: str, x: np.ndarray):
    """Write `x` in one input format; return (path, open-kwargs)."""
    from rfkit.io.writers import write_raw, write_sigmf

    if fmt in ("cu8", "cs8", "cs16", "cf32"):
        p = tmp_path / f"tone_{CENTER / 1e6:.2f}M_{RATE / 1e3:.0f}k.{fmt}"
        write_raw(p, x, dtype=fmt)
        return p, {}
    if fmt == "sigmf":
        p = tmp_path / "tone"
        write_sigmf(p, x, sample_rate=RATE, dtype="cs16", center_freq=CENTER)
        return tmp_path / "tone.sigmf-meta", {}
    if fmt == "wav":
        from scipy.io import wavfile

        p = tmp_path / f"tone_{int(CENTER)}Hz_IQ.wav"
        st = np.stack([np.round(x.real * 32767), np.round(x.imag * 32767)], axis=1).astype(np.int16)
        wavfile.write(p, int(RATE), st)
        return p, {}
    raise AssertionError(fmt)


FORMATS = ("cu8", "cs8", "cs16", "cf32", "sigmf", "wav")


@pytest.fixture(scope="session")
def all_kinds_scenario(tmp_path_factory):
    """(meta path, ground-truth events): one emitter of each kind plus bursty traffic, 2 s at 2.4 MS/s."""
    synth = pytest.importorskip("rfkit.synth", reason="rfkit.synth (scenario generator) is not installed")
    from rfkit.detection.events import annotation_to_event

    sc = synth.Scenario(rate_hz=2.4e6, duration_s=2.0, center_freq_hz=433.92e6, emitters=(
        synth.CW(jn_db=0, offset_hz=-900e3, start_s=0.1, end_s=0.8),
        synth.Multitone(jn_db=0, offsets_hz=(-600e3, -560e3, -520e3), start_s=0.3, end_s=1.2),
        synth.Chirp(jn_db=5, bandwidth_hz=400e3, offset_hz=-100e3, period_s=20e-3, start_s=0.5, end_s=1.5),
        synth.Noise(jn_db=0, bandwidth_hz=200e3, offset_hz=350e3, start_s=1.0, end_s=1.8),
        synth.Pulsed(jn_db=5, base=synth.CW(offset_hz=650e3), prf_hz=100, duty=0.3, start_s=0.05, end_s=0.9),
        synth.Hopping(jn_db=5, channels_hz=(800e3, 900e3, 1000e3), dwell_s=20e-3, start_s=1.1, end_s=1.95)),
        traffic=synth.Traffic(rate_per_s=3.0))
    meta = synth.write_scenario(tmp_path_factory.mktemp("scn") / "all_kinds", sc, seed=7)
    import rfkit

    with rfkit.open(meta) as cap:
        truth = [annotation_to_event(a, sample_rate=cap.info.sample_rate) for a in cap.annotations]
    return meta, truth
