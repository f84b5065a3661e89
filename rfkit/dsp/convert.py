"""Stored IQ components <-> complex64 at full scale 1.0: the wrappers of the kernels in `kernels_convert`.

The numba kernels load on first use: reading integer samples in a process that has not loaded
numba takes numpy's casts instead (the same float32 arithmetic, so the same numbers, at about
half numba's speed: 1.3 GS/s against 2.6 for cu8), because importing numba and loading a cached
kernel costs ~0.7 s, more than converting a whole hour of 2.4 MS/s costs either way.
"""

from __future__ import annotations

import sys

import numpy as np

from ..errors import ParameterError
from ..io.formats import SampleFormat

__all__ = ["from_complex64", "to_complex64"]


def to_complex64(raw: np.ndarray, fmt: SampleFormat, *, out: np.ndarray | None = None) -> np.ndarray:
    """Convert interleaved stored components to complex64 samples.

    Parameters
    ----------
    raw : np.ndarray [shape=(2*n,), dtype=fmt.component]
        Interleaved I, Q components as stored (a memmap slice is fine).
    fmt : SampleFormat
        How the components map to full scale 1.0.
    out : np.ndarray [shape=(n,), dtype=complex64], optional
        Where to write; allocated when None.
    """
    if raw.ndim != 1 or raw.shape[0] % 2:
        raise ParameterError(f"raw.shape={raw.shape} must be one-dimensional with an even length")
    n = raw.shape[0] // 2
    if out is None:
        out = np.empty(n, dtype=np.complex64)
    elif out.dtype != np.complex64 or out.shape != (n,):
        raise ParameterError(f"out must be complex64 of shape ({n},), got {out.dtype} {out.shape}")
    if not raw.dtype.isnative:
        raw = raw.astype(raw.dtype.newbyteorder("="))
    kind, size = raw.dtype.kind, raw.dtype.itemsize
    inv = np.float32(1.0 / fmt.scale)
    off = np.float32(fmt.offset)
    if kind in "iu" and size <= 2 and "numba" not in sys.modules:
        o = out.view(np.float32)  # (float32(raw) - offset) * inv, as the kernels
        np.subtract(raw, off, out=o, dtype=np.float32)
        np.multiply(o, inv, out=o)
    elif kind == "u" and size == 1:
        from .kernels_convert import _u8_to_c64

        _u8_to_c64(raw, off, inv, out)
    elif kind == "i" and size == 1:
        from .kernels_convert import _i8_to_c64

        _i8_to_c64(raw, inv, out)
    elif kind in "iu" and size == 2:
        from .kernels_convert import _i16_to_c64

        _i16_to_c64(raw, off, inv, out)
    elif kind == "f":
        pairs = raw.reshape(n, 2)
        with np.errstate(over="ignore"):  # cf64 beyond float32 range becomes Inf, counted by the reader
            out.real[:] = pairs[:, 0]
            out.imag[:] = pairs[:, 1]
    else:  # cs32 and anything wider: plain numpy, rare enough
        pairs = (raw.astype(np.float64) - fmt.offset) / fmt.scale
        out.real[:] = pairs[0::2]
        out.imag[:] = pairs[1::2]
    return out


# -- complex64 -> stored integers (writers): x * scale + offset, rounded half to even, clipped.
# NaN is written as amplitude 0, +-Inf as the rails (the numpy twin in the tests does the same).


def from_complex64(x: np.ndarray, fmt: SampleFormat, *, out: np.ndarray | None = None) -> np.ndarray:
    """Convert complex64 samples (full scale 1.0) to interleaved stored integer components.

    Parameters
    ----------
    x : np.ndarray [shape=(n,), dtype=complex64]
    fmt : SampleFormat
        An integer format of 1 or 2 bytes a component (cu8, cs8, cs16, cu16, and their _be forms).
    out : np.ndarray [shape=(2*n,), dtype=fmt.component], optional

    Values are rounded half to even and clipped to the component's range; NaN becomes 0.
    """
    x = np.asarray(x)
    if x.ndim != 1 or x.dtype != np.complex64:
        raise ParameterError(f"x must be one-dimensional complex64, got {x.dtype} {x.shape}")
    comp = fmt.component
    if comp.kind not in "iu" or comp.itemsize > 2:
        raise ParameterError(f"fmt={fmt.name!r} is not a 1- or 2-byte integer format")
    native = comp.newbyteorder("=")
    if out is None:
        work = np.empty(2 * x.shape[0], dtype=native)
    elif out.shape != (2 * x.shape[0],) or out.dtype != comp:
        raise ParameterError(f"out must be {comp} of shape ({2 * x.shape[0]},), got {out.dtype} {out.shape}")
    else:
        work = out if comp.isnative else np.empty(2 * x.shape[0], dtype=native)
    info = np.iinfo(comp)
    from .kernels_convert import _c64_to_int

    _c64_to_int(np.ascontiguousarray(x), float(fmt.scale), float(fmt.offset), float(info.min),
                float(info.max), work)
    if comp.isnative:
        return work
    if out is None:
        return work.astype(comp)
    out[:] = work
    return out
