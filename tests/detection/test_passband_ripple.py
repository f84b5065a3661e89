"""A receiver whose passband is not flat (Chebyshev ripple and a tilt across the band, as a
tuner's IF filter and a dongle's decimator give): its humps are no noise jammer, and a noise
jammer as weak as the ripple, switched on in the recording, or standing over it from the first
sample, is found. (Stronger tilts, up to 2.5 dB across the band as benchmarks/gen3.py's receivers
have, stand over the floor shape's 0.5 dB cap: test_passband.py.)"""

import numpy as np
import pytest
from receivers import band_noise, rippled, white
from scipy import signal

import rfkit

RATE = 1.2e6
SECONDS = 3.0


def _receiver(x: np.ndarray, seed: int) -> np.ndarray:
    """x through a 1 dB-ripple Chebyshev band-edge filter and a tilt of ~1.5 dB across the band,
    8-bit."""
    return rippled(x, ripple_db=1.0, tilt=0.09)


def _band_noise(rng, n, lo_hz, hi_hz, jn_db):
    return band_noise(rng, n, lo_hz, hi_hz, jn_db, RATE)


def _jamming(x):
    return [e for e in rfkit.detect(x, rate_hz=RATE, center_hz=433.92e6) if e.jamming]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_rippled_passband_alone_is_no_jammer(seed):
    rng = np.random.default_rng(seed)
    x = _receiver(white(rng, int(SECONDS * RATE)), seed)
    # (the ripple is there: the averaged spectrum's central part spans over a dB)
    f, p = signal.welch(x, RATE, nperseg=1024, return_onesided=False)
    mid = np.abs(f) < 0.4 * RATE
    assert 10 * np.log10(p[mid].max() / np.median(p[mid])) > 0.7
    assert _jamming(x) == []


@pytest.mark.parametrize(("on_s", "jn_db"), [(1.0, -10.0), (0.0, -5.0)])
def test_noise_jammers_on_a_rippled_passband_are_still_found(on_s, jn_db):
    # -10 dB over 40 % of the band (in-band excess ~1 dB, as the ripple) switched on at 1 s: the
    # quiet part before it is the reference; -5 dB from the first sample: it stands over the
    # ripple (in-band ~2.5 dB)
    rng = np.random.default_rng(7)
    n = int(SECONDS * RATE)
    lo, hi = -420e3, 60e3
    jam = _band_noise(rng, n, lo, hi, jn_db)
    jam[: int(on_s * RATE)] = 0
    x = _receiver(white(rng, n) + jam, 7)
    found = _jamming(x)
    assert len(found) == 1, found
    e = found[0]
    assert e.kind == "noise"
    assert abs(e.start_s - on_s) <= 0.05 and abs(e.end_s - SECONDS) <= 0.05
    centre = 433.92e6 + 0.5 * (lo + hi)
    assert e.freq_lo_hz < centre < e.freq_hi_hz
