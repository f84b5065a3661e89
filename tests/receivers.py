"""A receiver whose passband is not flat, for the tests: thermal noise, sharp-edged band noise, and
a tuner's band-edge filter (Chebyshev ripple), a gain tilt and an 8-bit converter."""

from __future__ import annotations

import numpy as np
from scipy import signal


def white(rng, n: int) -> np.ndarray:
    """Unit-power complex white noise."""
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)


def band_noise(rng, n: int, lo_hz: float, hi_hz: float, jn_db: float, rate_hz: float) -> np.ndarray:
    """Noise over lo..hi (sharp edges) of power 10**(jn_db/10) against unit-power noise."""
    spec = np.fft.fft(white(rng, n))
    f = np.fft.fftfreq(n, 1 / rate_hz)
    spec[(f < lo_hz) | (f > hi_hz)] = 0
    y = np.fft.ifft(spec)
    return y * np.sqrt(10 ** (jn_db / 10) / np.mean(np.abs(y) ** 2))


def rippled(x: np.ndarray, *, ripple_db: float, tilt: float) -> np.ndarray:
    """x through a Chebyshev band-edge filter of `ripple_db` ripple (passband edge at 0.45 of the
    rate) and a 2-tap tilt (gain 1 + tilt * z^-1: about 17 * tilt dB across the band), then 8-bit
    quantisation (noise ~6 LSB), as complex64."""
    b, a = signal.cheby1(5, ripple_db, 0.9)
    y = signal.lfilter(b, a, x)
    y = y + tilt * 1j * np.roll(y, 1)
    scale = 6 / 127.5 / np.std(y)
    q = np.clip(np.round(y.real * scale * 127.5), -128, 127) + 1j * np.clip(np.round(y.imag * scale * 127.5), -128, 127)
    return (q / 127.5).astype(np.complex64)
