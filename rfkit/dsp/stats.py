"""Per-bin running statistics of power spectra (mean, variance, spectral kurtosis, max/min hold)
and max-hold decimation of waterfall rows for display. Powers are linear (or dB for decimation).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import ParameterError

__all__ = ["DECIMATE_HOW", "RunningStats", "decimate_rows"]

#: Ways `decimate_rows` combines the rows of a group.
DECIMATE_HOW = ("max", "mean", "min")


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


class RunningStats:
    """Per-bin count, mean, variance, max, min and spectral kurtosis of a stream of power rows.

    `update(rows)` folds float[k, nbins] rows in; non-finite values are skipped (per-bin `count`
    says how many were used). Sums are kept in float64.
    """

    def __init__(self, nbins: int):
        if not isinstance(nbins, (int, np.integer)) or nbins < 1:
            raise ParameterError(f"{nbins=} must be a positive number of bins")
        self.nbins = int(nbins)
        self.count = np.zeros(self.nbins, dtype=np.int64)
        self._s1 = np.zeros(self.nbins, dtype=np.float64)
        self._s2 = np.zeros(self.nbins, dtype=np.float64)
        self._max = np.full(self.nbins, np.nan)
        self._min = np.full(self.nbins, np.nan)

    def update(self, rows: np.ndarray) -> None:
        """Fold in power rows, float32 or float64 [k, nbins] (or one row [nbins])."""
        p = np.asarray(rows)
        if p.ndim == 1:
            p = p[None, :]
        if p.ndim != 2 or p.shape[1] != self.nbins:
            raise ParameterError(f"rows.shape={np.shape(rows)} must be (k, {self.nbins})")
        if p.dtype not in (np.float32, np.float64):
            p = p.astype(np.float64)
        _stats_update(np.ascontiguousarray(p), self.count, self._s1, self._s2, self._max, self._min)

    def _div(self, a):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.count > 0, a / np.maximum(self.count, 1), np.nan)

    @property
    def mean(self) -> np.ndarray:
        """Per-bin mean, float64[nbins] (NaN where no value was seen)."""
        return self._div(self._s1)

    @property
    def var(self) -> np.ndarray:
        """Per-bin sample variance (n - 1 in the denominator), float64[nbins]."""
        n = self.count
        with np.errstate(invalid="ignore", divide="ignore"):
            v = (self._s2 - self._s1 * self._s1 / np.maximum(n, 1)) / (n - 1)
        return np.where(n > 1, np.maximum(v, 0.0), np.nan)

    @property
    def max(self) -> np.ndarray:
        """Per-bin maximum (max-hold), float64[nbins]."""
        return self._max.copy()

    @property
    def min(self) -> np.ndarray:
        """Per-bin minimum (min-hold), float64[nbins]."""
        return self._min.copy()

    def kurtosis(self, *, frames_per_row: int = 1) -> np.ndarray:
        """Spectral kurtosis per bin, float64[nbins]: about 1 for Gaussian noise, 0 for a steady tone.

        The unbiased estimator of Nita & Gary (2010) for M rows each the mean of N = frames_per_row
        periodograms (d = 1): SK = (M N + 1) / (M - 1) * (M S2 / S1^2 - 1), with S1 = sum p and
        S2 = sum p^2. Pulsed or bursty signals read above 1. NaN where M < 2 or S1 = 0.
        """
        if not isinstance(frames_per_row, (int, np.integer)) or frames_per_row < 1:
            raise ParameterError(f"{frames_per_row=} must be a positive whole number")
        m = self.count.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            sk = (m * frames_per_row + 1) / (m - 1) * (m * self._s2 / (self._s1 * self._s1) - 1)
        return np.where((self.count > 1) & (self._s1 > 0), sk, np.nan)


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


def decimate_rows(power: np.ndarray, factor: int, *, how: str = "max") -> np.ndarray:
    """Combine each `factor` consecutive rows into one, for display: float[ceil(rows/factor), nbins].

    how="max" (default) keeps a 20 ms burst visible in an hour-long waterfall; "mean" and "min"
    also exist. Works on dB or linear power alike for max and min (the mean of dB values is not
    the dB of the mean power: decimate linear power for "mean"). NaN values are ignored (a group of
    NaN only gives NaN). The output has the input's float dtype (float64 for other inputs);
    factor 1 returns a copy.
    """
    p = np.asarray(power)
    if p.ndim != 2:
        raise ParameterError(f"power.shape={p.shape} must be (rows, nbins)")
    if not isinstance(factor, (int, np.integer)) or isinstance(factor, bool) or factor < 1:
        raise ParameterError(f"{factor=} must be a positive whole number of rows")
    if how not in DECIMATE_HOW:
        raise ParameterError(f"{how=} must be one of {', '.join(DECIMATE_HOW)}")
    if p.dtype not in (np.float32, np.float64):
        p = p.astype(np.float64)
    p = np.ascontiguousarray(p)
    out = np.empty((-(-p.shape[0] // factor), p.shape[1]), dtype=p.dtype)
    if p.shape[0]:
        _decimate_rows(p, int(factor), DECIMATE_HOW.index(how), out)
    return out
