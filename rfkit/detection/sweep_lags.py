"""A sweep's rate from its second-order phase at several lags, inside the pulses of a keyed sweeper.

A linear sweep of rate R turns the second-order product d2_L[n] = y[n+2L] y*[n+L]^2 y[n] by the
constant phase c L^2 (c = 2 pi R / fs^2). A sawtooth keeps that sign all the time; a triangle
alternates it on its two slopes, so the plain mean of d2 turns real (`features.chirp_rate` then
reads ~0). For either shape and any share p of the down slope
  mean d2_L = A [(1 - p) e^{+i c L^2} + p e^{-i c L^2}],  Re = A cos(c L^2),  Im = A (1 - 2p) sin(c L^2),
so fitting cos(c L^2) to the real parts over L = 1..L_max gives |R| without knowing the period,
and the imaginary parts give 1 - 2p (+-1: sawtooth, 0: triangle). Only a sawtooth's rate is
returned: a triangle turns twice a period, and the products spanning its turns pull the fit off.
Noise, whatever its band, and a steady carrier give a real mean (band-limited noise 2 |r(L)|^2,
decaying with L): no imaginary turn, never a sawtooth. The products are taken only where all three
samples are inside a pulse (the off time holds noise alone). A share 2L / period of them straddles
a sawtooth's reset, so the lags stay below a sixth of the period where it is known, and the fit
takes that share off the amplitude.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Samples of on-time used (the mean's scatter falls as 1/sqrt of them; the cost grows with them).
MAX_ON_SAMPLES = 1 << 16
#: Longest lag tried (samples).
MAX_LAG = 24
#: Fewest lags the fit needs.
MIN_LAGS = 4
#: Lags are kept below the period over this: the products d2_L span 2L samples, so a share
#: 2L / period of them straddles a sawtooth's reset (at most 1/3 here).
TURN_LAGS_SAWTOOTH = 6.0
#: Candidate phase curvatures c (rad per lag^2), log-spaced: from a first zero of cos(c L^2) at
#: L_max down to L = 1.
C_STEPS = 400
#: Share of the fitted amplitude the real parts must keep (their fit's residual below it).
FIT_RESIDUAL_MAX = 0.35
#: Significance of the fitted amplitude over the scatter of the means (sigmas).
MIN_SIGMAS = 6.0


@njit(cache=True)
def _lag_means(y, on, max_lag):  # pragma: no cover - compiled
    n = y.shape[0]
    out = np.zeros(max_lag, dtype=np.complex128)
    scatter = np.zeros(max_lag, dtype=np.float64)
    for L in range(1, max_lag + 1):
        s = 0j
        a2 = 0.0
        k = 0
        for i in range(n - 2 * L):
            if on[i] and on[i + L] and on[i + 2 * L]:
                d1a = y[i + L] * np.conj(y[i])
                d1b = y[i + 2 * L] * np.conj(y[i + L])
                d = d1b * np.conj(d1a)
                s += d
                a2 += d.real * d.real + d.imag * d.imag
                k += 1
        if k > 0:
            out[L - 1] = s / k
            scatter[L - 1] = math.sqrt(a2 / k / k)
    return out, scatter


def lag_means(y: np.ndarray, on: np.ndarray, max_lag: int) -> tuple[np.ndarray, np.ndarray]:
    """(mean d2_L, its scatter) for L = 1..max_lag over the samples `on` (bool, as y)."""
    y = np.ascontiguousarray(y, dtype=np.complex128)
    on = np.ascontiguousarray(on, dtype=np.bool_)
    if y.shape != on.shape or max_lag < 1:
        from ..errors import ParameterError

        raise ParameterError(f"{y.shape=} and {on.shape=} must match, {max_lag=} >= 1")
    return _lag_means(y, on, int(max_lag))


def sweep_rate_in_pulses(y: np.ndarray, on: np.ndarray | None, rate_hz: float, *,
                         period_s: float = math.nan) -> dict | None:
    """{'sweep_rate_hz_per_s', 'sweep_shape', 'saw_share', 'fit_sigmas'} of a sawtooth sweep in
    the band signal `y` (complex, at `rate_hz`) over the samples `on` (None: all), or None where
    the real parts do not follow cos(c L^2) significantly or the sweep is no sawtooth.
    `period_s` (the waveform's repetition, where known) caps the lags at 1/TURN_LAGS_SAWTOOTH
    of it."""
    n = y.shape[0]
    if on is None:
        on = np.ones(n, dtype=bool)
    idx = np.flatnonzero(on)
    if idx.size < 64:
        return None
    # the first MAX_ON_SAMPLES on-samples (and the off ones between them)
    stop = int(idx[min(idx.size, MAX_ON_SAMPLES) - 1]) + 1
    y, on = y[:stop], on[:stop]
    max_lag = MAX_LAG
    if math.isfinite(period_s) and period_s > 0:
        max_lag = min(max_lag, int(period_s * rate_hz / TURN_LAGS_SAWTOOTH))
    if max_lag < MIN_LAGS:
        return None
    m, sc = lag_means(y, on, max_lag)
    # the products straddling a reset (2L of every period's samples) turn by other phases, which
    # average out: they take their share off the amplitude
    keep = np.ones(max_lag)
    if math.isfinite(period_s) and period_s > 0:
        keep = np.clip(1.0 - 2.0 * np.arange(1, max_lag + 1) / (period_s * rate_hz), 0.0, 1.0)
    fit = _fit(m, sc, max_lag, keep)
    if fit is None:
        return None
    c, A, noise, shape, saw = fit
    if shape != "sawtooth":
        # a triangle turns twice a period, and the products spanning a turn pull the fit off
        # (>10 % at 7 lags over an 85-sample period): its rate is left to the period fold
        return None
    return {"sweep_rate_hz_per_s": c * rate_hz * rate_hz / (2 * math.pi), "sweep_shape": shape,
            "saw_share": saw, "fit_sigmas": A / noise if noise > 0 else math.inf}


def _fit(m: np.ndarray, sc: np.ndarray, max_lag: int, keep: np.ndarray):
    """(c, A, scatter, shape, saw share) of Re m(L) = A keep(L) cos(c L^2) over L = 1..max_lag,
    or None."""
    L = np.arange(1, max_lag + 1, dtype=np.float64)
    re = m.real
    cs = np.geomspace(0.5 * math.pi / (max_lag * max_lag), math.pi, C_STEPS)
    V = keep[None, :] * np.cos(cs[:, None] * (L * L)[None, :])  # one model row per candidate c
    vv = np.einsum("ij,ij->i", V, V)
    A_all = np.where(vv > 0, V @ re / np.where(vv > 0, vv, 1.0), 0.0)
    res_all = np.sum((re[None, :] - A_all[:, None] * V) ** 2, axis=1)
    res_all[A_all <= 0] = np.inf
    k = int(np.argmin(res_all))
    if not math.isfinite(res_all[k]):
        return None
    res, c, A = float(res_all[k]), float(cs[k]), float(A_all[k])
    rms = math.sqrt(res / max_lag)
    noise = float(np.sqrt(np.mean(sc * sc)))
    if not (A > MIN_SIGMAS * noise and rms < FIT_RESIDUAL_MAX * A):
        return None
    # 1 - 2p from the imaginary parts where sin(c L^2) is well away from 0
    s = keep * np.sin(c * L * L)
    strong = np.abs(s) > 0.3 * keep
    saw = float(np.sum(m.imag[strong] * s[strong]) / (A * np.sum(s[strong] ** 2))) if strong.any() else math.nan
    shape = "sawtooth" if math.isfinite(saw) and abs(saw) > 0.5 else "triangle"
    return c, A, noise, shape, saw
