"""Numba kernels of `rfkit.dsp.stats`: per-bin running sums of power rows, and row decimation.

Private `@njit(cache=True)` functions writing into outputs their caller allocated; `stats.py`
validates and imports this module only when numba serves (see `engine.choose_kernels`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = []


@njit(cache=True, nogil=True)
def _stats_update(p, n, s1, s2, mx, mn):
    """Fold rows of p into per-bin counts and sums, skipping non-finite values.

    p: float32 or float64[rows, nbins]; n: int64[nbins]; s1, s2, mx, mn: float64[nbins].
    """
    for r in range(p.shape[0]):
        for k in range(p.shape[1]):
            v = np.float64(p[r, k])
            if not np.isfinite(v):
                continue
            if n[k] == 0:
                mx[k] = v
                mn[k] = v
            else:
                mx[k] = max(mx[k], v)
                mn[k] = min(mn[k], v)
            n[k] += 1
            s1[k] += v
            s2[k] += v * v


@njit(cache=True, nogil=True)
def _decimate_rows(p, factor, how, out):
    """out[i] = max/mean/min of rows i*factor .. (i+1)*factor (last group may be short), NaN ignored.

    p: float32 or float64[rows, nbins]; out: same dtype [ceil(rows/factor), nbins]; how: 0 max, 1 mean,
    2 min. A group whose values are all NaN gives NaN.
    """
    rows, nbins = p.shape
    for i in range(out.shape[0]):
        r0 = i * factor
        r1 = min(r0 + factor, rows)
        for k in range(nbins):
            acc = 0.0
            cnt = 0
            for r in range(r0, r1):
                v = np.float64(p[r, k])
                if np.isnan(v):
                    continue
                if cnt == 0:
                    acc = v
                elif how == 0:
                    acc = max(acc, v)
                elif how == 2:
                    acc = min(acc, v)
                else:
                    acc += v
                cnt += 1
            if cnt == 0:
                out[i, k] = np.nan
            elif how == 1:
                out[i, k] = acc / cnt
            else:
                out[i, k] = acc
