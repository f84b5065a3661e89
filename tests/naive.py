"""Slow, obviously right NumPy twins of rfkit's numba kernels (anyone may add to this file).

Each twin follows the definition with plain loops or whole-array numpy, in float64.
"""

from __future__ import annotations

import numpy as np

# -- rfkit.dsp (spectral engine) -----------------------------------------------------------


def window(name: str, nfft: int) -> np.ndarray:
    """The periodic window through scipy (the reference for rfkit's cosine sums)."""
    import scipy.signal

    scipy_name = {"rect": "boxcar"}.get(name, name)
    return scipy.signal.get_window(scipy_name, nfft, fftbins=True)


def frame_power(x, *, nfft, hop, window_name="hann", density=False, rate=1.0, dc_remove=False):
    """Per-frame calibrated power, float64[frames, nfft], fftshifted: a loop of np.fft.fft."""
    w = window(window_name, nfft).astype(np.float32).astype(np.float64)
    scale = 1.0 / (rate * np.sum(w * w)) if density else 1.0 / np.sum(w) ** 2
    x = np.asarray(x, dtype=np.complex128)
    n_frames = 0 if len(x) < nfft else (len(x) - nfft) // hop + 1
    out = np.empty((n_frames, nfft))
    for f in range(n_frames):
        seg = x[f * hop : f * hop + nfft]
        if dc_remove:
            seg = seg - np.sum(w * seg) / np.sum(w)
        out[f] = np.fft.fftshift(np.abs(np.fft.fft(w * seg)) ** 2) * scale
    return out


def rows(frames, *, avg, stat="mean", dc_fill=False):
    """Group frame powers into rows of `avg` (mean or max), dropping an incomplete last group."""
    n = frames.shape[0] // avg
    g = frames[: n * avg].reshape(n, avg, -1)
    r = g.mean(axis=1) if stat == "mean" else g.max(axis=1)
    if dc_fill and n:
        c = r.shape[1] // 2
        r[:, c] = 0.5 * (r[:, c - 1] + r[:, c + 1])
    return r


def decimate_rows(p, factor, how="max"):
    """np.nanmax / nanmean / nanmin of each group of `factor` rows (all-NaN group -> NaN)."""
    import warnings

    fn = {"max": np.nanmax, "mean": np.nanmean, "min": np.nanmin}[how]
    out = []
    for i in range(0, p.shape[0], factor):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out.append(fn(p[i : i + factor].astype(np.float64), axis=0))
    return np.array(out).reshape(-1, p.shape[1])


def running_stats(p):
    """(count, mean, var, max, min, S1, S2) per bin over rows, ignoring non-finite values."""
    p = np.asarray(p, dtype=np.float64)
    ok = np.isfinite(p)
    q = np.where(ok, p, np.nan)
    count = ok.sum(axis=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(q, axis=0)
        var = np.nanvar(q, axis=0, ddof=1)
        mx = np.nanmax(q, axis=0)
        mn = np.nanmin(q, axis=0)
    s1 = np.nansum(q, axis=0)
    s2 = np.nansum(q * q, axis=0)
    return count, mean, np.where(count > 1, var, np.nan), mx, mn, s1, s2


def u8_to_complex(raw):
    """cu8 components -> complex128 at full scale 1.0: (u - 127.5) / 127.5."""
    v = (np.asarray(raw, dtype=np.float64) - 127.5) / 127.5
    return v[0::2] + 1j * v[1::2]
