"""In-memory sample arrays as Captures, and the one place that turns any source argument into a Capture."""

from __future__ import annotations

import os

import numpy as np

from ..errors import ParameterError
from .capture import Capture, CaptureInfo

__all__ = ["ArrayCapture", "as_capture"]


class ArrayCapture(Capture):
    """A one-dimensional complex array (full scale 1.0) as a Capture; NaN/Inf read as 0 and counted."""

    def __init__(self, x: np.ndarray, *, rate_hz: float, center_hz: float | None = None):
        if x.ndim != 1 or not (np.issubdtype(x.dtype, np.complexfloating) or np.issubdtype(x.dtype, np.floating)):
            raise ParameterError(f"samples must be a one-dimensional complex array, got {x.dtype} {x.shape}")
        if rate_hz is None:
            raise ParameterError("rate_hz is required when the source is an array of samples")
        if not (np.isfinite(rate_hz) and rate_hz > 0):
            raise ParameterError(f"{rate_hz=} must be a positive sample rate in Hz")
        super().__init__(CaptureInfo(format="array", dtype="cf32", sample_rate=float(rate_hz),
                                     center_freq=center_hz, n_samples=int(x.shape[0])))
        self._x = x

    def _read(self, start: int, count: int) -> np.ndarray:
        return np.asarray(self._x[start : start + count], dtype=np.complex64)


def as_capture(source, *, rate_hz: float | None = None, center_hz: float | None = None) -> tuple[Capture, bool]:
    """(capture, opened here so the caller closes it) for a Capture, a path, or a complex array.

    A Capture is used as it is; a path is opened with `rfkit.open(rate=, freq=)`; an array becomes
    an `ArrayCapture` and needs `rate_hz`.
    """
    if isinstance(source, Capture):
        return source, False
    if isinstance(source, np.ndarray):
        return ArrayCapture(source, rate_hz=rate_hz, center_hz=center_hz), True
    if isinstance(source, (str, os.PathLike)):
        from . import open as open_capture

        return open_capture(source, rate=rate_hz, freq=center_hz), True
    raise ParameterError(f"source must be a Capture, a path or a complex array, got {type(source).__name__}")
