"""features.shortest_period / chunked_corr: a sweep's period from its self-correlation where the
period is no whole number of samples (|R| at it collapses, a multiple may stand first)."""

from __future__ import annotations

import numpy as np
import pytest

from rfkit.detection import features as ft

FS = 1.0e6


def _sweep(shape: str, period_samples: float, band_hz: float, n: int, seed: int, snr: float = 1.0):
    """Unit-power sawtooth/triangle sweep across band_hz (centred) plus complex noise of power 1/snr."""
    t = np.arange(n)
    u = (t / period_samples) % 1.0
    if shape == "sawtooth":
        f = (u - 0.5) * band_hz
    else:
        f = (np.abs(2 * u - 1) - 0.5) * band_hz
    x = np.exp(2j * np.pi * np.cumsum(f) / FS)
    rng = np.random.default_rng(seed)
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5 / snr)
    return x + noise


def _naive_corr(y, lag):
    d = y[lag:] * np.conj(y[:-lag])
    return abs(d.mean()) / np.mean(np.abs(d))


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
def test_period_off_the_sample_grid_is_found_under_its_multiple(shape):
    T = 10760.556  # samples: 9 T is within 0.005 of a whole number, T itself half a sample off
    y = _sweep(shape, T, 800e3, 400_000, seed=1)
    if shape == "sawtooth":
        # the plain |R| at T has collapsed below half of that at 9 T (why the multiple is taken;
        # a triangle's product turns one way, then back, and keeps more)
        assert _naive_corr(y, round(T)) < 0.5 * _naive_corr(y, round(9 * T))
    got = ft.shortest_period(y, FS, 9 * T / FS, 800e3)
    assert got == pytest.approx(T / FS, rel=1e-3)


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
def test_true_period_is_kept(shape):
    T = 4000.0
    y = _sweep(shape, T, 600e3, 300_000, seed=2)
    assert ft.shortest_period(y, FS, T / FS, 600e3) == pytest.approx(T / FS)


def test_noise_has_no_sub_period_and_no_chunked_correlation():
    rng = np.random.default_rng(3)
    y = rng.standard_normal(200_000) + 1j * rng.standard_normal(200_000)
    assert ft.chunked_corr(y, 1234, 1000) < 0.02
    assert ft.shortest_period(y, FS, 0.02, 500e3) == pytest.approx(0.02)
