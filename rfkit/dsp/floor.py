"""Robust noise-floor estimate of power spectra, per bin and overall, in linear power.

Statistics
----------
Per bin, over time: the power of one periodogram bin of Gaussian noise is exponential
(chi-square with 2 degrees of freedom, scaled); the mean of N periodograms is chi-square with
2N degrees of freedom, divided by 2N: a gamma law of shape a = N and known form. Its median is
a fixed fraction of its mean: ln 2 = 0.693 for N = 1, `gammaincinv(N, 1/2) / N` in general
(0.979 for N = 16), so median / fraction is a first, robust estimate. The median alone is still
biased by contamination (strong bursts in 20 % of the rows move it to the 62.5 % point of the
noise: +1.5 dB for N = 1), so it is refined by a truncated mean: keep the values below the
noise's `NOISE_KEEP_QUANTILE` point T = c * mu (c = gammaincinv(a, q) / a, from the current
estimate mu), whose mean is, for pure noise, mu * P(a + 1, c a) / P(a, c a) (P the regularised
lower incomplete gamma function); dividing by that known ratio gives the next mu. A few such
steps converge; what stands more than T above the floor (bursts, passing signals) no longer
counts at all, and noise loses only the known 1 - q of its values.

Overall, across bins: a sigma-clipped median of the per-bin floors. Start from the median over
bins; estimate the spread from the median absolute deviation (1.4826 * MAD is sigma for a
Gaussian); drop the bins above median + `NOISE_CLIP_SIGMA` * sigma (strong narrow signals only
ever push bins up) and repeat on what is left until nothing more is dropped. The result comes
from the lower, noise-only part of the distribution of bins, yet is not biased low as a low
percentile would be (e.g. by the roll-off of the receiver's filter at the band edges). It holds
while signals occupy well under half of the bins, more when they stand clearly above the noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError

__all__ = ["NOISE_CLIP_SIGMA", "NoiseFloor", "clipped_median", "median_bias", "noise_floor"]

#: Bins further than this many robust sigmas above the median are signal, not noise (overall floor).
NOISE_CLIP_SIGMA = 3.0
#: Sigma of a Gaussian per unit of median absolute deviation.
MAD_TO_SIGMA = 1.4826
#: At most this many clipping passes.
NOISE_CLIP_ITERATIONS = 20
#: Per bin, values above this quantile of the noise law count as signal (truncated-mean step).
NOISE_KEEP_QUANTILE = 0.99
#: Truncated-mean refinement steps per bin.
NOISE_TRUNCATED_STEPS = 4


def median_bias(dof: float) -> float:
    """median / mean of a chi-square variable with `dof` degrees of freedom (ln 2 for dof = 2)."""
    from scipy.special import gammaincinv

    a = dof / 2.0
    return float(gammaincinv(a, 0.5) / a)


@dataclass(frozen=True)
class NoiseFloor:
    """A noise-floor estimate: `per_bin` float64[nbins] and `overall`, linear power (as given)."""

    per_bin: np.ndarray
    overall: float
    n_rows: int
    dof: float

    @property
    def per_bin_dbfs(self) -> np.ndarray:
        """Per-bin floor in dB (dBFS for rfkit's power spectra)."""
        with np.errstate(divide="ignore"):
            return 10.0 * np.log10(self.per_bin)

    @property
    def overall_dbfs(self) -> float:
        """Overall floor in dB."""
        return float(10.0 * np.log10(self.overall)) if self.overall > 0 else float("-inf")


def clipped_median(values: np.ndarray, *, nsigma: float = NOISE_CLIP_SIGMA) -> float:
    """Median of `values` after repeatedly dropping those above median + nsigma robust sigmas."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan")
    for _ in range(NOISE_CLIP_ITERATIONS):
        m = np.median(v)
        sigma = MAD_TO_SIGMA * np.median(np.abs(v - m))
        keep = v <= m + nsigma * sigma
        if keep.all() or keep.sum() < max(3, v.size // 10):
            break
        v = v[keep]
    return float(np.median(v))


def _truncated_mean(rows: np.ndarray, mu: np.ndarray, dof: float) -> np.ndarray:
    """Refine per-bin noise means `mu` from the values below the noise's NOISE_KEEP_QUANTILE point."""
    from scipy.special import gammainc, gammaincinv

    a = dof / 2.0
    c = gammaincinv(a, NOISE_KEEP_QUANTILE) / a  # threshold / mean
    ratio = gammainc(a + 1.0, c * a) / NOISE_KEEP_QUANTILE  # truncated mean / mean, for pure noise
    x = rows.astype(np.float64, copy=False)
    for _ in range(NOISE_TRUNCATED_STEPS):
        with np.errstate(invalid="ignore"):
            keep = x < c * mu  # NaN compares False: ignored
        n = keep.sum(axis=0)
        s = np.where(keep, x, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = np.where(n > 0, s / np.maximum(n, 1) / ratio, mu)
    return mu


def noise_floor(power_linear: np.ndarray, *, dof: float = 2.0) -> NoiseFloor:
    """Robust noise floor of power spectra (see the module docstring for the statistics).

    Parameters
    ----------
    power_linear : np.ndarray [shape=(..., nbins)]
        Linear power: rows in time of per-bin power (a waterfall's mean rows), leading axes
        flattened into time. A single spectrum (1-D) is one row.
    dof : float
        Degrees of freedom of each value: 2 for single periodograms, 2 * avg for rows that average
        `avg` frames (use 2 * n_frames for a Welch PSD). Sets the median-to-mean correction.
        Max-hold rows do not follow this law: pass mean rows.

    Returns
    -------
    NoiseFloor
        `per_bin`: per-bin median over time / median_bias(dof), refined by truncated means;
        `overall`: the sigma-clipped median of `per_bin`. NaN values are ignored; a bin with no finite value gives NaN.
    """
    p = np.asarray(power_linear)
    if p.ndim < 1 or p.shape[-1] < 1 or p.size == 0:
        raise ParameterError(f"power_linear.shape={p.shape} must be (..., nbins) with at least one value")
    if not np.issubdtype(p.dtype, np.floating):
        p = p.astype(np.float64)
    if not (np.isfinite(dof) and dof > 0):
        raise ParameterError(f"{dof=} must be a positive number of degrees of freedom")
    rows = p.reshape(-1, p.shape[-1])
    finite = np.isfinite(rows)
    if finite.all():
        med = np.median(rows, axis=0).astype(np.float64)
    else:
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                med = np.nanmedian(np.where(finite, rows, np.nan), axis=0).astype(np.float64)
    per_bin = _truncated_mean(rows, med / median_bias(dof), dof) if rows.shape[0] > 1 else med / median_bias(dof)
    return NoiseFloor(per_bin=per_bin, overall=clipped_median(per_bin), n_rows=rows.shape[0], dof=float(dof))
