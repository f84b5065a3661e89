"""Per-bin running statistics of power spectra (mean, variance, spectral kurtosis, max/min hold)
and max-hold decimation of waterfall rows for display. Powers are linear (or dB for decimation).
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

__all__ = ["DECIMATE_HOW", "RunningStats", "decimate_rows"]

#: Ways `decimate_rows` combines the rows of a group.
DECIMATE_HOW = ("max", "mean", "min")


def _stats_update_numpy(p, n, s1, s2, mx, mn):
    """The numpy twin of `kernels_stats._stats_update` (same arguments, same float64 sums)."""
    if p.shape[0] == 0:
        return
    finite = np.isfinite(p)
    if finite.all():
        n += p.shape[0]
        p64 = p.astype(np.float64)
        hi = np.maximum.reduce(p64, axis=0)
        lo = np.minimum.reduce(p64, axis=0)
    else:
        n += np.count_nonzero(finite, axis=0)
        p64 = np.where(finite, p, 0.0).astype(np.float64, copy=False)
        hi = np.where(finite, p64, -np.inf).max(axis=0)
        lo = np.where(finite, p64, np.inf).min(axis=0)
        seen = finite.any(axis=0)
        hi[~seen] = np.nan  # fmax/fmin below keep what was there
        lo[~seen] = np.nan
    s1 += np.add.reduce(p64, axis=0)
    np.multiply(p64, p64, out=p64)
    s2 += np.add.reduce(p64, axis=0)
    np.fmax(mx, hi, out=mx)
    np.fmin(mn, lo, out=mn)


class RunningStats:
    """Per-bin count, mean, variance, max, min and spectral kurtosis of a stream of power rows.

    `update(rows)` folds float[k, nbins] rows in; non-finite values are skipped (per-bin `count`
    says how many were used). Sums are kept in float64. `kernels` ("auto", "numba", "numpy";
    see `rfkit.dsp.engine.choose_kernels`) picks the numba kernel or its numpy twin (same sums,
    float64, in the same order).
    """

    def __init__(self, nbins: int, *, kernels: str = "auto"):
        from .engine import choose_kernels

        if not isinstance(nbins, (int, np.integer)) or nbins < 1:
            raise ParameterError(f"{nbins=} must be a positive number of bins")
        self.kernels = choose_kernels(kernels)
        if self.kernels == "numba":
            from .kernels_stats import _stats_update
        else:
            _stats_update = _stats_update_numpy
        self._update = _stats_update
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
        self._update(np.ascontiguousarray(p), self.count, self._s1, self._s2, self._max, self._min)

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
        # numba: the display path (matplotlib is loaded anyway)
        from .kernels_stats import _decimate_rows

        _decimate_rows(p, int(factor), DECIMATE_HOW.index(how), out)
    return out
