"""Signals and files shared by the figure tests: a tone with a short burst, written in every
input format; the real recordings beside the project."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "captures-real"
RATE = 1.0e6
CENTER = 433.92e6
TONE_HZ = 125e3  # offset of the test tone from the centre
BURST = (0.30, 0.302)  # a 2 ms burst (s)


def tone_samples(
    n: int = 1 << 19, *, rate: float = RATE, seed: int = 0, burst: bool = True
) -> np.ndarray:
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


def real(relpath: str) -> Path:
    """One real recording under captures-real/, skipping the test where it is absent."""
    p = REAL / relpath
    if not p.exists():
        pytest.skip(f"real recording {relpath} not found under {REAL}")
    return p
