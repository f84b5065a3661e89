"""Where a keyed train is on: its folded on/off contrast, chunk by chunk (the keyed look's edges).

A pulse train too weak for the per-row CFAR (a low duty dilutes each row's average) still shows
once its envelope is folded on its period (`features.pulse_fold`): on-phase power minus off-phase
power, averaged over a chunk of many pulses, stands several sigmas above zero while the train is
on and falls to zero when it is off. The chunks where it stands give the train's onset and end
at chunk resolution (well inside the 50 ms target), where the rows show nothing.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["CHUNK_S", "ON_SIGMAS", "chunk_contrast", "on_phases_at", "on_span"]

#: Chunk over which the on/off contrast is averaged (s): several pulses of any train worth
#: looking for, short against the 50 ms edge tolerance.
CHUNK_S = 0.02
#: A chunk is on where its contrast exceeds this many standard errors of a noise-only chunk ...
ON_SIGMAS = 3.0
#: ... and this share of the train's typical (upper-quartile) contrast.
ON_SHARE = 0.35


def chunk_contrast(e: np.ndarray, rate_hz: float, *, period_samples: float, on_phases: np.ndarray,
                   band_hz: float, offset: float = 0.0) -> tuple[np.ndarray, np.ndarray, float]:
    """(chunk start sample, contrast, sigma): the on-phase mean power minus the off-phase mean
    power of the power series `e` (one value per sample, band `band_hz` wide), chunk by chunk,
    folded on `period_samples` (phase 0 at sample -`offset`) with the on phases `on_phases` (bool
    per fold bin); sigma is the
    standard error of a chunk's contrast in noise alone (from the off phases' own spread)."""
    n = e.shape[0]
    nb = on_phases.shape[0]
    if n == 0 or nb == 0 or not on_phases.any() or on_phases.all() or period_samples <= 0:
        return np.zeros(0, np.int64), np.zeros(0), math.inf
    ph = (((np.arange(n) + offset) / period_samples) % 1.0 * nb).astype(np.int64)
    on = on_phases[np.minimum(ph, nb - 1)]
    c = max(1, round(CHUNK_S * rate_hz))
    k = n // c
    if k < 1:
        return np.zeros(0, np.int64), np.zeros(0), math.inf
    e2 = e[: k * c].reshape(k, c)
    on2 = on[: k * c].reshape(k, c)
    n_on = np.maximum(on2.sum(axis=1), 1)
    n_off = np.maximum((~on2).sum(axis=1), 1)
    s_on = np.where(on2, e2, 0.0).sum(axis=1)
    s_off = np.where(on2, 0.0, e2).sum(axis=1)
    contrast = s_on / n_on - s_off / n_off
    # noise alone: samples of power P0 (exponential, std P0) correlated over rate/band samples
    p0 = float(np.median(s_off / n_off))
    corr = max(1.0, rate_hz / max(band_hz, 1.0))
    sigma = p0 * math.sqrt(corr * (1.0 / float(np.median(n_on)) + 1.0 / float(np.median(n_off))))
    return np.arange(k, dtype=np.int64) * c, contrast, sigma


def on_span(contrast: np.ndarray, sigma: float) -> tuple[int, int] | None:
    """(first, last) chunk of the longest run of chunks where the train is on (ON_SIGMAS over
    noise and ON_SHARE of its upper-quartile contrast; single off chunks inside are bridged),
    or None."""
    if contrast.shape[0] == 0 or not math.isfinite(sigma):
        return None
    level = float(np.percentile(contrast, 75))
    thr = max(ON_SIGMAS * sigma, ON_SHARE * level)
    on = contrast > thr
    if not on.any():
        return None
    # bridge single chunks that fall short (noise) between chunks that stand
    on[1:-1] |= on[:-2] & on[2:]
    best, cur = None, None
    for i, v in enumerate(on.tolist()):
        if v:
            cur = (cur[0], i) if cur is not None else (i, i)
            if best is None or cur[1] - cur[0] > best[1] - best[0]:
                best = cur
        else:
            cur = None
    return best


def on_phases_at(e: np.ndarray, period_samples: float, *, bins: int = 64) -> np.ndarray | None:
    """On phases (bool per fold bin, above half the swing) of `e` folded on a known period
    (phase 0 at its first sample), or None where the fold shows no pulse."""
    n = e.shape[0]
    if n < 2 * period_samples or period_samples <= 0:
        return None
    nb = int(np.clip(round(period_samples), 8, bins))
    ph = ((np.arange(n) / period_samples) % 1.0 * nb).astype(np.int64)
    prof = np.bincount(ph, weights=e, minlength=nb) / np.maximum(np.bincount(ph, minlength=nb), 1)
    lo, hi = float(np.percentile(prof, 20)), float(prof.max())
    if hi <= lo:
        return None
    on = prof >= lo + 0.5 * (hi - lo)
    return on if 0 < on.sum() < nb else None
