"""Numba kernels of `rfkit.dsp.convert`: stored integer components <-> complex64 (full scale 1.0).

Private `@njit(cache=True)` functions writing into outputs their caller allocated; `convert.py`
validates and imports this module on first use.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = []


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
