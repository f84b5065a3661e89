"""A noise band present from the first sample: a flat plateau standing on the receiver's floor.

Without a quiet stretch before it, a partial-band noise jammer that fills most of the band sets
the row's noise quantile itself and passes for the floor. What still tells it apart is in the
spectrum: its power spectral density stands flat across its band and drops, at an edge as steep
as its own filter makes it, onto the receiver's floor, which shows FLAT beside it inside the
band's central part (where the receiver's response is flat). A receiver's roll-off instead
falls smoothly all the way to the band edge, with no floor level beside any step; packets come
and go, so the stationary spectrum is taken as the per-block minimum over time chunks (a packet
that leaves one chunk free does not count).

`noise_plateau` finds such a plateau in a snippet of samples; the classifier (`kinds.noise`) still
has to call the band noise (Gaussian envelope, no periodicity, no cyclic prefix).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from .frontend import HANN_SUM_VARIANCE, longest_run

__all__ = ["Plateau", "noise_plateau", "tilt_departure_db"]

#: Blocks across the band whose mean levels the plateau is sought in.
PLATEAU_BLOCKS = 64
#: Time chunks of the snippet; each block's level is its lowest chunk mean (stationary part).
PLATEAU_CHUNKS = 8
#: The plateau stands at least this far above the floor blocks beside its edge, dB (more than
#: a receiver's ripple over its flat part; a noise band at J/N -5 dB over half the band: 2 dB).
FLOOR_STEP_DB = 1.5
#: The floor beside the edge: FLOOR_BLOCKS blocks spread over at most FLOOR_FLAT_SHARE of the
#: step down to them, in dB (a roll-off keeps falling across them), inside the central part or
#: with the band edge's roll-off still FLOOR_FLAT_DB lower further out (the flat bottom of a
#: roll-off is no floor beside a band) ...
FLOOR_BLOCKS = 3
FLOOR_FLAT_SHARE = 0.25
FLOOR_FLAT_DB = 0.5
#: ... reached within EDGE_BLOCKS blocks of the plateau (its edge is a filter's transition) ...
EDGE_BLOCKS = 3
#: ... or within EDGE_SHARE of the plateau's own width, where more: a band-limited jammer's
#: transition (a raised-cosine roll-off of factor up to ~0.3, split across its nominal edge)
#: scales with its bandwidth, not with the sample rate. So gentle an edge is also what the
#: receiver's gain tilt makes of its floor, so a floor found only that far out counts where the
#: tilt cannot explain the central blocks (`tilt_departure_db` at least TILT_DEPARTURE_DB) ...
EDGE_SHARE = 0.15
#: ... a receiver's central band departs from its fitted tilt by its filter's ripple (a tenth or
#: two of a dB) and the blocks' estimation noise; a band jammer's two edges, steps of 1.5 dB or
#: more that one cycle across the band cannot follow, by a third of a dB or more (dB, RMS over
#: the central blocks); and by no less than one chunk's block mean varies by noise alone
#: (HANN_SUM_VARIANCE over its frames times bins, chi-square): a departure within the estimation
#: noise is no step (a short snippet at a low rate: few frames, few bins a block).
TILT_DEPARTURE_DB = 0.25
#: Blocks standing this far over the fitted tilt (a carrier, a packet) are left out of its fit, dB.
TILT_LINE_DB = 1.0
#: The plateau: blocks over half its excess, a run at least MIN_WIDTH of the band, whose inner
#: blocks (EDGE_BLOCKS from its ends) lie within FLAT_DB of their median, FLAT_SHARE of them
#: (a packet on the jammer, the DC spike and a roll-off under an end may lift a few).
MIN_WIDTH = 0.5
FLAT_DB = 0.5
FLAT_SHARE = 0.8


@dataclass(frozen=True)
class Plateau:
    """A flat noise band on the floor: its fine-bin edges, its level and the floor's (per bin)."""

    lo_bin: int  # first fine bin of the plateau (ascending frequency, fftshifted)
    hi_bin: int  # last fine bin (inclusive)
    level: float  # per-bin power on the plateau (noise included)
    floor: float  # per-bin power of the flat floor beside it


def block_levels(x: np.ndarray, *, nfft: int, window: np.ndarray, scale: float) -> np.ndarray | None:
    """Per-block stationary level (the lowest of PLATEAU_CHUNKS chunk means), float64[blocks],
    blocks of nfft // PLATEAU_BLOCKS fine bins in ascending frequency; None if x is too short."""
    x = np.asarray(x)
    nb = min(PLATEAU_BLOCKS, nfft)
    k = x.shape[0] // nfft
    per = k // PLATEAU_CHUNKS
    if per < 1 or nfft % nb:
        return None
    f = x[: per * PLATEAU_CHUNKS * nfft].reshape(per * PLATEAU_CHUNKS, nfft) * window
    X = np.fft.fft(f, axis=1)
    P = (X.real ** 2 + X.imag ** 2).reshape(PLATEAU_CHUNKS, per, nfft).mean(axis=1)
    P = np.fft.fftshift(P, axes=1) * scale
    return P.reshape(PLATEAU_CHUNKS, nb, nfft // nb).mean(axis=2).min(axis=0)


def noise_plateau(x: np.ndarray, *, nfft: int, window: np.ndarray, scale: float,
                  central: slice) -> Plateau | None:
    """The flat noise plateau standing on the floor in samples x (complex), or None.

    `central` is the slice of fine bins where the receiver's response is flat. The plateau is
    the longest run of blocks above half its excess over the lowest central block, at least
    MIN_WIDTH of the band, flat (FLAT_DB, FLAT_SHARE); on at least one side it falls within
    EDGE_BLOCKS blocks onto FLOOR_BLOCKS flat floor blocks FLOOR_STEP_DB or more below it, which
    lie inside the central part or above the band edge's roll-off; or, on neither side so near,
    within EDGE_SHARE of its width where the receiver's tilt cannot explain the central blocks.
    """
    if nfft < PLATEAU_BLOCKS or window.shape != (nfft,):
        raise ParameterError(f"{nfft=} must be >= {PLATEAU_BLOCKS} and match window.shape={window.shape}")
    c = block_levels(x, nfft=nfft, window=window, scale=scale)
    if c is None or not np.all(np.isfinite(c)) or c.min() <= 0:
        return None
    nb = c.shape[0]
    bw = nfft // nb
    c0 = -(-central.start // bw)  # blocks wholly inside the central bins
    c1 = central.stop // bw
    if c1 - c0 < 2 * FLOOR_BLOCKS + 1:
        return None
    floor = float(c[c0:c1].min())
    level = float(np.median(c[c0:c1]))
    for _ in range(2):  # the run over half the excess, then its own median level
        above = c - floor >= 0.5 * (level - floor)
        run = longest_run(above)
        if run is None or run[1] - run[0] + 1 < MIN_WIDTH * nb:
            return None
        level = float(np.median(c[run[0]:run[1] + 1]))
    if not level > floor * 10 ** (FLOOR_STEP_DB / 10):
        return None
    a, b = run
    inner = c[a + EDGE_BLOCKS:b - EDGE_BLOCKS + 1]
    if inner.size < 3 or np.mean(np.abs(10 * np.log10(inner / level)) <= FLAT_DB) < FLAT_SHARE:
        return None
    beside, near = [], False
    reach = max(EDGE_BLOCKS, int(EDGE_SHARE * (b - a + 1)))
    for step in (-1, 1):
        edge = a if step < 0 else b
        for t in range(1, reach + 2):
            blocks = [edge + step * (t + i) for i in range(FLOOR_BLOCKS)]
            if min(blocks) < 0 or max(blocks) >= nb:
                break
            v = c[blocks]
            step_db = 10 * math.log10(level / v.max())
            if not (step_db >= FLOOR_STEP_DB and 10 * math.log10(v.max() / v.min()) <= FLOOR_FLAT_SHARE * step_db):
                continue
            # the receiver's floor: inside its flat central part, or with its roll-off still
            # to come further out (the bottom of a roll-off is no floor beside a band)
            rest = c[:min(blocks)] if step < 0 else c[max(blocks) + 1:]
            if (c0 <= min(blocks) and max(blocks) < c1
                    or rest.size and 10 * math.log10(v.min() / rest.min()) >= FLOOR_FLAT_DB):
                beside.append(float(np.mean(v)))
                near = near or t <= EDGE_BLOCKS + 1
            break
    if not beside:
        return None
    if not near:
        per = (x.shape[0] // nfft) // PLATEAU_CHUNKS
        noise_db = 10 * math.log10(1 + math.sqrt(HANN_SUM_VARIANCE / (per * bw)))
        if tilt_departure_db(c, c0, c1) < max(TILT_DEPARTURE_DB, noise_db):
            return None  # the floor found far out is the receiver's tilted response
    return Plateau(lo_bin=a * bw, hi_bin=(b + 1) * bw - 1, level=level, floor=max(beside))


def tilt_departure_db(c: np.ndarray, c0: int, c1: int) -> float:
    """RMS departure (dB) of the block levels c[c0:c1] (linear power, blocks evenly spanning the
    sampled band in ascending frequency) from the receiver's gain tilt fitted to them.

    A receiver's tilt is a short FIR ahead of its filter, h = 1 + t z^-1: its power response
    1 + |t|^2 + 2 |t| cos(w - arg t) is one sinusoidal cycle across the sampled band, linear in
    (A, B, C) as A + B cos w + C sin w, so it is fitted by least squares in linear power. Blocks
    standing TILT_LINE_DB over the fit (a carrier, a packet) are left out, twice refitted. What
    is left over is the filter's ripple and the estimation noise - or a band's edges."""
    nb = c.shape[0]
    idx = np.arange(c0, c1)
    w = 2 * np.pi * (idx + 0.5 - nb / 2) / nb
    a = np.stack([np.ones(idx.size), np.cos(w), np.sin(w)], axis=1)
    d = 10 * np.log10(c[idx])
    keep = np.ones(idx.size, dtype=bool)
    r = np.zeros(idx.size)
    for _ in range(3):
        if np.count_nonzero(keep) < 4:
            return 0.0
        coef = np.linalg.lstsq(a[keep], c[idx][keep], rcond=None)[0]
        r = d - 10 * np.log10(np.maximum(a @ coef, 1e-30))
        keep = r < float(np.median(r)) + TILT_LINE_DB
    return float(np.sqrt(np.mean(r[keep] ** 2)))
