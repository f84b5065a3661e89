"""Stored IQ components -> complex64 at full scale 1.0: numba kernels and their wrapper."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import ParameterError
from ..io.formats import SampleFormat

__all__ = ["from_complex64", "to_complex64"]


@njit(cache=True, nogil=True)
def _u8_to_c64(raw, offset, inv_scale, out):  # raw: uint8[2n], out: complex64[n]
    for i in range(out.shape[0]):
        re = (np.float32(raw[2 * i]) - offset) * inv_scale
        im = (np.float32(raw[2 * i + 1]) - offset) * inv_scale
        out[i] = complex(re, im)


@njit(cache=True, nogil=True)
def _i8_to_c64(raw, inv_scale, out):  # raw: int8[2n], out: complex64[n]
    for i in range(out.shape[0]):
        out[i] = complex(np.float32(raw[2 * i]) * inv_scale, np.float32(raw[2 * i + 1]) * inv_scale)


@njit(cache=True, nogil=True)
def _i16_to_c64(raw, offset, inv_scale, out):  # raw: int16/uint16[2n] (native order), out: complex64[n]
    for i in range(out.shape[0]):
        re = (np.float32(raw[2 * i]) - offset) * inv_scale
        im = (np.float32(raw[2 * i + 1]) - offset) * inv_scale
        out[i] = complex(re, im)


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
    if kind == "u" and size == 1:
        _u8_to_c64(raw, off, inv, out)
    elif kind == "i" and size == 1:
        _i8_to_c64(raw, inv, out)
    elif kind in "iu" and size == 2:
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


@njit(cache=True, nogil=True)
def _c64_to_int(x, scale, offset, lo, hi, out):  # x: complex64[n], out: uint8/int8/int16/uint16[2n]
    for i in range(x.shape[0]):
        for k in range(2):
            v = np.float64(x[i].real if k == 0 else x[i].imag)
            if np.isnan(v):
                v = 0.0
            v = np.rint(v * scale + offset)
            if v < lo:
                v = lo
            elif v > hi:
                v = hi
            out[2 * i + k] = v


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
    _c64_to_int(np.ascontiguousarray(x), float(fmt.scale), float(fmt.offset), float(info.min),
                float(info.max), work)
    if comp.isnative:
        return work
    if out is None:
        return work.astype(comp)
    out[:] = work
    return out
