"""The receiver's DC offset removed along a track (rfkit.detection.dc) and a wandering offset in
detect(): no line at 0 Hz left to be called a jammer, a carrier near 0 Hz still found."""

import numpy as np
import pytest

import rfkit
from rfkit.detection.dc import TRACK_STEP, subtract_track
from rfkit.errors import ParameterError

RATE = 1.2e6
SIGMA = 0.01


def _naive_track(n, at, values, step):
    # the line through the points (np.interp holds the end values beyond the first and last, as
    # the track must), read at the middle of each step of `step` samples, sample by sample
    t = np.arange(n)
    mid = (t // step) * step + 0.5 * (np.minimum((t // step + 1) * step, n) - 1 - (t // step) * step)
    return np.interp(mid, at, values.real) + 1j * np.interp(mid, at, values.imag)


@pytest.mark.parametrize("at", [[-40.5, 10.0, 333.3, 900.0], [120.0, 121.0], [-9.0, -2.0], [1500.0, 2000.0]])
@pytest.mark.parametrize("step", [1, 7, 64, 4096])
def test_subtract_track_matches_its_naive_twin(at, step):
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(1000) + 1j * rng.standard_normal(1000)).astype(np.complex64)
    at = np.asarray(at)
    values = rng.standard_normal(at.size) + 1j * rng.standard_normal(at.size)
    want = x - _naive_track(x.size, at, values, step)
    got = subtract_track(x, at, values, step=step)
    assert np.allclose(got, want, atol=1e-5)
    y = x.copy()
    subtract_track(y, at, values, out=y, step=step)  # in place
    assert np.allclose(y, want, atol=1e-5)


def test_subtract_track_in_steps_stays_near_the_line():
    # the default steps: within half a step's change of the exact line, and one point is a constant
    n = 200_000
    x = np.zeros(n, np.complex64)
    at = np.array([1e3, 9e4, 1.9e5])
    values = np.array([0.02 + 0.01j, 0.03 - 0.01j, 0.015 + 0.0j])
    line = np.interp(np.arange(n), at, values.real) + 1j * np.interp(np.arange(n), at, values.imag)
    slope = np.max(np.abs(np.diff(values) / np.diff(at)))
    assert np.max(np.abs(subtract_track(x, at, values) + line)) <= 0.5 * TRACK_STEP * slope + 1e-6
    assert np.array_equal(subtract_track(x, np.array([5.0]), np.array([0.5j])), np.full(n, -0.5j, np.complex64))


def test_subtract_track_rejects_bad_points():
    x = np.zeros(10, np.complex64)
    with pytest.raises(ParameterError):
        subtract_track(x, np.array([3.0, 2.0]), np.array([0j, 1j]))
    with pytest.raises(ParameterError):
        subtract_track(x, np.zeros(0), np.zeros(0, complex))
    with pytest.raises(ParameterError):
        subtract_track(x.astype(np.complex128), np.array([1.0]), np.array([1j]))
    with pytest.raises(ParameterError):
        subtract_track(x, np.array([1.0, 2.0]), np.array([0j, 1j]), step=0)


def _wandering_dc(n, rng, *, level=1.5, wander=0.25, wander_hz=1.2):
    # a direct-conversion receiver's offset: `level` times the noise amplitude, its size swinging
    # by `wander` at `wander_hz` (temperature, gain) - stored as floats, so no 8-bit DC guard
    t = np.arange(n) / RATE
    noise = SIGMA * (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)
    dc = level * SIGMA * np.exp(0.7j) * (1 + wander * np.sin(2 * np.pi * wander_hz * t + 0.3))
    return t, noise + dc


@pytest.mark.parametrize("seed", [2, 3])
def test_wandering_dc_offset_is_no_jammer(seed):
    rng = np.random.default_rng(seed)
    _t, x = _wandering_dc(int(3.0 * RATE), rng)
    d = rfkit.detect(x.astype(np.complex64), rate_hz=RATE)
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.center_hz, e.jn_db) for e in d.jamming]


@pytest.mark.parametrize("offset_hz", [2.5e3, -4.0e3])
def test_carrier_near_a_wandering_dc_offset_is_found(offset_hz):
    # a carrier a few kHz off the tuned frequency (the oscillators' ppm error), J/N -5 dB, on for
    # 1.2 s beside the wandering offset: one CW with its own times and frequency, nothing else
    rng = np.random.default_rng(4)
    t, x = _wandering_dc(int(3.0 * RATE), rng)
    on = (t >= 0.8) & (t < 2.0)
    x[on] += SIGMA * 10 ** (-5 / 20) * np.exp(2j * np.pi * offset_hz * t[on])
    d = rfkit.detect(x.astype(np.complex64), rate_hz=RATE)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "cw", [(e.kind, e.start_s, e.end_s, e.center_hz) for e in jam]
    assert abs(jam[0].start_s - 0.8) <= 0.05 and abs(jam[0].end_s - 2.0) <= 0.05
    assert abs(jam[0].params["tones_hz"][0] - offset_hz) <= d.stats["bin_hz"]
