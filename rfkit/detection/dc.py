"""The receiver's DC offset removed along a track: linear between estimates at known samples.

A direct-conversion receiver's DC offset (LO leakage, ADC offset) sits at exactly 0 Hz but its
level wanders with temperature, gain and AGC, over fractions of a second. One constant taken out
of a whole block leaves the wander as a line at 0 Hz; `subtract_track` takes out the offset
estimated at several points (the means of short stretches), joined by straight lines.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

__all__ = ["TRACK_STEP", "subtract_track"]

#: The track is taken out in steps of this many samples, each its value at the step's middle
#: (one vectorised subtraction per step). A wander of 30 % of an offset 2.5 times the noise at
#: 2 Hz moves it by under 5 % of the noise amplitude in a step at 1 MS/s, the ramp it leaves
#: 30 dB and more under the noise power, spread over the step's harmonics.
TRACK_STEP = 4096


def subtract_track(x: np.ndarray, at: np.ndarray, values: np.ndarray, *, out: np.ndarray | None = None,
                   step: int = TRACK_STEP) -> np.ndarray:
    """`x` (complex64) less the offset that is `values[j]` at sample `at[j]` (positions relative to
    x[0], ascending, any of them outside x), linear between points and held beyond the first and
    the last, taken out in steps of `step` samples at the value of each step's middle; written to
    `out` (may be `x` itself) or a new array. One point: its value throughout."""
    x = np.asarray(x)
    at = np.asarray(at, dtype=np.float64)
    values = np.asarray(values, dtype=np.complex128)
    if x.ndim != 1 or x.dtype != np.complex64:
        raise ParameterError(f"x (shape {x.shape}, dtype {x.dtype}) must be one-dimensional complex64")
    if at.ndim != 1 or at.shape != values.shape or at.shape[0] == 0:
        raise ParameterError(f"at.shape={at.shape} and values.shape={values.shape} must be one non-empty length")
    if not (np.all(np.isfinite(at)) and np.all(np.diff(at) > 0)):
        raise ParameterError("at must be finite and strictly increasing")
    if not (isinstance(step, (int, np.integer)) and step >= 1):
        raise ParameterError(f"{step=} must be a positive whole number of samples")
    if out is None:
        out = np.empty_like(x)
    elif out.shape != x.shape or out.dtype != np.complex64:
        raise ParameterError(f"out (shape {out.shape}, dtype {out.dtype}) must match x")
    if at.shape[0] == 1:
        return np.subtract(x, np.complex64(values[0]), out=out)
    n = x.shape[0]
    edges = np.arange(0, n + step, step)
    edges[-1] = n
    edges = np.unique(edges)
    mid = 0.5 * (edges[:-1] + edges[1:] - 1)
    d = (np.interp(mid, at, values.real) + 1j * np.interp(mid, at, values.imag)).astype(np.complex64)
    for i in range(d.shape[0]):
        a, b = edges[i], edges[i + 1]
        np.subtract(x[a:b], d[i], out=out[a:b])
    return out
