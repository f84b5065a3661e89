"""NumPy kernels of the spectral engine: the numba kernels' twins, for processes without numba.

Same names, signatures and contracts as `kernels.py` (windowed frames into a caller's float32
buffer; |X|^2 folded into fftshifted, scaled rows with a float64 partial row `acc`), built from
numpy ufuncs writing through `out=` (spec's rows in `_power_rows` are used as scratch), so they need no compilation and no `import numba`: loading
numba and its cached kernels costs a fixed ~0.55 s a process, which a short job never repays
(see `engine.KERNELS_BREAK_EVEN_SAMPLES`). Per sample they are slower (50-65 % of numba's
throughput at nfft 256..4096, 80-90 % above: 2-4 passes over each batch instead of one). The arithmetic is the kernels' own
(float32 products in the same order; `_power_rows` sums a row's frames in float32 where
the kernel uses float64), so rows agree to float32 rounding (1e-6 relative);
tests/dsp/test_kernels_numpy.py compares the two on every window, stat, dc and raw dtype.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = []

_ONES2 = np.ones(2, dtype=np.float32)


def _frame_view(x, first, hop, nb, n2):
    """Read-only [nb, n2] view of interleaved components x: frame f is x[2*(first + f*hop) :][:n2]."""
    step = x.strides[0]
    start = x[2 * first:]
    return as_strided(start, shape=(nb, n2), strides=(2 * hop * step, step), writeable=False)


def _frame_means(o, nb, n2, wsum):
    """Per-frame, per-component sums of o (float32[nb, n2], interleaved) in float64, / wsum: float64[nb, 1, 2]."""
    s = np.add.reduce(o[:nb].reshape(nb, n2 // 2, 2), axis=1, dtype=np.float64)
    s /= wsum
    return s.reshape(nb, 1, 2)


def _frames_c64(x, first, hop, nb, w2, dc, out):
    """out[f, :] = w * (x[first + f*hop : +nfft] - m_f), m_f = 0 or the w-weighted frame mean.

    x: float32[2n] (complex64 viewed), w2: float32[2*nfft] (each window value twice),
    out: float32[>=nb, 2*nfft]; dc: bool. Rows of out past nb are not touched.
    """
    n2 = w2.shape[0]
    if nb <= 0:
        return
    frames = _frame_view(x, first, hop, nb, n2)
    o = out[:nb]
    np.multiply(frames, w2, out=o)
    if dc:
        wsum = float(np.sum(w2[0::2], dtype=np.float64))
        m = _frame_means(o, nb, n2, wsum).astype(np.float32)  # sum(w * x) / sum(w), as the kernel
        o3 = o.reshape(nb, n2 // 2, 2)
        np.subtract(frames.reshape(nb, n2 // 2, 2), m, out=o3)
        np.multiply(o, w2, out=o)


def _frames_raw(raw, first, hop, nb, w2, offset, dc, out):
    """Like `_frames_c64` straight from interleaved stored components: out = w * (raw - offset - m_f).

    raw: uint8, int8, int16 or uint16 [2n], w2: float32[2*nfft] (each value twice, already
    holding 1/scale), offset: float32, out: float32[>=nb, 2*nfft]. The conversion is numpy's
    cast inside the subtraction (one pass), then the window (a second).
    """
    n2 = w2.shape[0]
    if nb <= 0:
        return
    frames = _frame_view(raw, first, hop, nb, n2)
    o = out[:nb]
    off = np.float32(offset)
    np.subtract(frames, off, out=o, dtype=np.float32)
    np.multiply(o, w2, out=o)
    if dc:
        wsum = float(np.sum(w2[0::2], dtype=np.float64))
        m = _frame_means(o, nb, n2, wsum)  # relative to the offset, as the kernel
        m0 = (off + m.astype(np.float32)).astype(np.float32)
        o3 = o.reshape(nb, n2 // 2, 2)
        np.subtract(frames.reshape(nb, n2 // 2, 2), m0, out=o3, dtype=np.float32)
        np.multiply(o, w2, out=o)


def _emit(rows, factor, dc_fill, out, r):
    """Write float32/float64 rows [k, nfft] (FFT order) scaled by factor, fftshifted, into out[r:]."""
    k, nfft = rows.shape
    half = nfft // 2
    f = np.float64(factor)  # the kernel scales in float64, then rounds to float32
    np.multiply(rows[:, half:], f, out=out[r : r + k, :half], casting="same_kind")
    np.multiply(rows[:, :half], f, out=out[r : r + k, half:], casting="same_kind")
    if dc_fill:
        o = out[r : r + k]
        o[:, half] = 0.5 * (o[:, half - 1].astype(np.float64) + o[:, half + 1].astype(np.float64))


def _power_rows(spec, nb, avg, use_max, dc_fill, factor, acc, acc_n, out, row0):
    """Fold |spec|^2 of nb frames into rows of `avg` frames (sum or max), fftshifted, scaled.

    spec: complex64[>=nb, nfft] (FFT order; its first nb rows are used as scratch and left
    holding re^2, im^2), acc: float64[nfft] (partial row, acc_n frames in it), out:
    float32[rows, nfft], written from row row0; factor: float64 (scale, / avg for means).
    dc_fill: fill the centre bin of each row with the mean of its neighbours.
    Returns (rows written, frames now in acc). NaN propagates through sum and max alike.

    |X|^2 is float32, as in the kernel; a row's frames are summed in float32, frame after frame
    (numpy reduces an outer axis in order), where the kernel sums in float64: a relative
    difference of at most ~avg * 6e-8. The partial row in `acc` holds that float32 sum, so a
    row comes out bit for bit the same whether its frames arrive in one call or several (block
    sizes, batches and worker threads do not change the rows).
    """
    nfft = spec.shape[1]
    if nb <= 0:
        return 0, acc_n
    sq = spec[:nb].view(np.float32)  # [nb, 2*nfft]
    np.square(sq, out=sq)  # re^2, im^2 in place (float32, as the kernel)
    sq3 = sq.reshape(nb, nfft, 2)
    # |X|^2 = re^2 + im^2 as a product with [1, 1]: the same single rounding as the kernel's sum,
    # twice as fast as adding the two strided halves (numpy's matmul loop over contiguous pairs)
    p = np.matmul(sq3, _ONES2)  # float32[nb, nfft]
    reduce = np.maximum.reduce if use_max else np.add.reduce
    r = row0
    f = 0
    if acc_n:  # complete the partial row first, continuing its float32 sum (or max)
        take = min(avg - acc_n, nb)
        part = np.empty((take + 1, nfft), np.float32)
        part[0] = acc
        part[1:] = p[:take]
        acc[:] = reduce(part, axis=0)
        acc_n += take
        f = take
        if acc_n == avg:
            _emit(acc[None, :], factor, dc_fill, out, r)
            r += 1
            acc_n = 0
    whole = (nb - f) // avg
    if whole:
        rows = p[f : f + whole]
        if avg > 1:
            rows = reduce(p[f : f + whole * avg].reshape(whole, avg, nfft), axis=1)
        _emit(rows, factor, dc_fill, out, r)
        r += whole
        f += whole * avg
    if f < nb:  # frames of a row not complete yet
        acc[:] = reduce(p[f:nb], axis=0)
        acc_n = nb - f
    return r - row0, acc_n
