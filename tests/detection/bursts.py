"""Test signals shared by the packet and onset tests: complex white noise and FSK bursts."""

import numpy as np


def white_noise(n, rng, power=1e-6):
    """n samples of complex white Gaussian noise of power `power`."""
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(power / 2)


def fsk_bursts(n, rng, starts_s, width_s, *, f0, snr_db, rate, dev_hz):
    """FSK bursts (random bits at 50 kb/s, +-dev_hz about f0) of width_s starting at `starts_s`,
    at an in-band SNR (over 100 kHz) against a noise of 1e-6 spread over `rate`."""
    gate = np.zeros(n)
    for s in starts_s:
        a = round(s * rate)
        gate[a:a + int(width_s * rate)] = 1.0
    spb = int(rate / 50e3)
    bits = np.repeat(rng.integers(0, 2, n // spb + 1) * 2 - 1, spb)[:n]
    ph = 2 * np.pi * np.cumsum(f0 + dev_hz * bits) / rate
    amp = np.sqrt(1e-6 * 100e3 / rate * 10 ** (snr_db / 10))
    return amp * gate * np.exp(1j * ph)
