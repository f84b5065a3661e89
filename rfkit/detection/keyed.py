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

__all__ = ["CHUNK_S", "ON_SIGMAS", "band_rise", "chunk_contrast", "on_chunks", "on_phases_at", "on_span"]

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


def on_chunks(contrast: np.ndarray, sigma: float, *, mute: np.ndarray | None = None) -> np.ndarray | None:
    """Chunks (bool each) where the train is on: ON_SIGMAS over noise and ON_SHARE of its
    upper-quartile contrast, single off chunks between on ones bridged; None where none is.
    Chunks `mute` (bool each) say nothing: each is on where the chunks read on both sides of it
    are (after the bridging, which passes over them)."""
    if contrast.shape[0] == 0 or not math.isfinite(sigma):
        return None
    level = float(np.percentile(contrast, 75))
    thr = max(ON_SIGMAS * sigma, ON_SHARE * level)
    on = contrast > thr
    if not on.any():
        return None
    read = np.flatnonzero(~mute) if mute is not None else np.arange(on.shape[0])
    if read.size == 0:
        return None
    r = on[read]
    # bridge single chunks that fall short (noise) between chunks that stand
    r[1:-1] |= r[:-2] & r[2:]
    on[read] = r
    if read.size < on.shape[0]:
        # a mute chunk between two read ones: on where both are (before the first or after the
        # last read chunk: as that one)
        i = np.searchsorted(read, np.arange(on.shape[0]))
        left = r[np.clip(i - 1, 0, r.size - 1)]
        right = r[np.clip(i, 0, r.size - 1)]
        muted = np.ones(on.shape[0], dtype=bool)
        muted[read] = False
        on[muted] = (left & right)[muted]
    return on


def band_rise(e: np.ndarray, rate_hz: float, *, noise: float, band_hz: float) -> int:
    """Sample of the power series `e` (one value per sample, of a band `band_hz` wide holding
    `noise` of noise power) at which an emission switches on and stays on to its end: its
    chunks' excess over the noise (`on_chunks`) off in every chunk before, on in every chunk
    from there; 0 where it is on from the first chunk, or does not rise once and stay."""
    c = max(1, round(CHUNK_S * rate_hz))
    k = e.shape[0] // c
    if k < 2 or not noise > 0:
        return 0
    excess = e[: k * c].reshape(k, c).mean(axis=1) - noise
    # noise alone: samples of power `noise` (exponential) correlated over rate/band samples
    on = on_chunks(excess, noise * math.sqrt(max(1.0, rate_hz / max(band_hz, 1.0)) / c))
    if on is None or on[0]:
        return 0
    i = int(np.argmax(on))
    return i * c if on[i:].all() else 0


def on_span(contrast: np.ndarray, sigma: float) -> tuple[int, int] | None:
    """(first, last) chunk of the longest run of chunks where the train is on (`on_chunks`), or
    None. A chunk whose contrast falls ON_SIGMAS below zero holds another emitter's packet in the
    train's off phases (a train alone never leaves them stronger than its pulses): it says
    nothing of the train (mute), and does not break a run of it."""
    if contrast.shape[0] == 0 or not math.isfinite(sigma):
        return None
    on = on_chunks(contrast, sigma, mute=contrast < -ON_SIGMAS * sigma)
    if on is None:
        return None
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
