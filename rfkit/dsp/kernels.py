"""Numba kernels of the spectral engine: windowed frames in, calibrated power rows out.

Private `@njit(cache=True)` functions over plain arrays and scalars, writing into outputs their
caller allocated; the wrappers in `engine.py`, `stats.py` and `floor.py` validate. Expected
types are given as comments. No fastmath: the numbers are compared with scipy to 1e-4.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = []


@njit(cache=True, nogil=True)
def _frames_c64(x, first, hop, nb, w2, dc, out):
    """out[f, :] = w * (x[first + f*hop : +nfft] - m_f), m_f = 0 or the w-weighted frame mean.

    Interleaved float32 views, so that the loops vectorise: x: float32[2n] (complex64 viewed),
    w2: float32[2*nfft] (each window value twice), out: float32[>=nb, 2*nfft]; dc: bool.
    """
    n2 = w2.shape[0]
    wsum = 0.0
    for i in range(0, n2, 2):
        wsum += w2[i]
    for f in range(nb):
        s = 2 * (first + f * hop)
        o = out[f]
        r = x[s : s + n2]
        m0 = np.float32(0.0)
        m1 = np.float32(0.0)
        if dc:
            mr = 0.0
            mi = 0.0
            for i in range(0, n2, 2):
                mr += w2[i] * r[i]
                mi += w2[i] * r[i + 1]
            m0 = np.float32(mr / wsum)
            m1 = np.float32(mi / wsum)
        if dc:
            for i in range(0, n2, 2):
                o[i] = w2[i] * (r[i] - m0)
                o[i + 1] = w2[i] * (r[i + 1] - m1)
        else:
            for j in range(n2):
                o[j] = w2[j] * r[j]


@njit(cache=True, nogil=True)
def _frames_raw(raw, first, hop, nb, w2, offset, dc, out):
    """Like `_frames_c64` straight from interleaved stored components: out = w * (raw - offset - m_f).

    raw: uint8, int8, int16 or uint16 [2n] (one compiled specialisation each, on use), w2: float32[2*nfft] (each value twice, already holding 1/scale), offset: float32,
    out: float32[>=nb, 2*nfft]. Fusing the conversion saves a pass over memory.
    """
    n2 = w2.shape[0]
    wsum = 0.0
    for i in range(0, n2, 2):
        wsum += w2[i]
    for f in range(nb):
        s = 2 * (first + f * hop)
        o = out[f]
        r = raw[s : s + n2]
        if dc:
            mr = 0.0
            mi = 0.0
            for i in range(0, n2, 2):
                mr += w2[i] * (np.float32(r[i]) - offset)
                mi += w2[i] * (np.float32(r[i + 1]) - offset)
            m0 = offset + np.float32(mr / wsum)
            m1 = offset + np.float32(mi / wsum)
            for i in range(0, n2, 2):
                o[i] = w2[i] * (np.float32(r[i]) - m0)
                o[i + 1] = w2[i] * (np.float32(r[i + 1]) - m1)
        else:
            for j in range(n2):
                o[j] = w2[j] * (np.float32(r[j]) - offset)


@njit(cache=True, nogil=True)
def _power_rows(spec, nb, avg, use_max, dc_fill, factor, acc, acc_n, out, row0):
    """Fold |spec|^2 of nb frames into rows of `avg` frames (sum or max), fftshifted, scaled.

    spec: complex64[>=nb, nfft] (FFT order), acc: float64[nfft] (partial row, acc_n frames in it),
    out: float32[rows, nfft], written from row row0; factor: float64 (scale, / avg for means).
    dc_fill: fill the centre bin of each row with the mean of its neighbours.
    Returns (rows written, frames now in acc).
    """
    nfft = spec.shape[1]
    half = nfft // 2
    r = row0
    for f in range(nb):
        if use_max:
            if acc_n == 0:
                for k in range(nfft):
                    v = spec[f, k]
                    acc[k] = v.real * v.real + v.imag * v.imag
            else:
                for k in range(nfft):
                    v = spec[f, k]
                    p = v.real * v.real + v.imag * v.imag
                    if p > acc[k] or np.isnan(p):  # NaN propagates, as it does in the sum
                        acc[k] = p
        else:
            if acc_n == 0:
                for k in range(nfft):
                    v = spec[f, k]
                    acc[k] = v.real * v.real + v.imag * v.imag
            else:
                for k in range(nfft):
                    v = spec[f, k]
                    acc[k] += v.real * v.real + v.imag * v.imag
        acc_n += 1
        if acc_n == avg:
            for j in range(half):
                out[r, j] = acc[j + half] * factor
                out[r, j + half] = acc[j] * factor
            if dc_fill:
                out[r, half] = np.float32(0.5 * (np.float64(out[r, half - 1]) + np.float64(out[r, half + 1])))
            r += 1
            acc_n = 0
    return r - row0, acc_n
