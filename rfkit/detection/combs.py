"""Line combs: pieces of one periodic emission's spectrum seen as separate emissions.

A waveform repeating every T seconds (a fast sweep, above all) has a spectrum of lines exactly
1/T apart. Their strengths follow the waveform (a triangle sweep's comb has deep dips), so the
row CFAR may miss a line or two and the tracker then sees separate stretches of one comb, born
in the same row. Stretches whose lines are evenly spaced with one spacing, lie on one grid (the
offset between them a whole number of spacings) and are apart by no more than MAX_GAP_LINES
spacings are one emission. Two independent emitters born in the same row almost never share a
grid to a fraction of a bin.
"""

from __future__ import annotations

import numpy as np

__all__ = ["comb_of", "line_positions", "same_comb"]

#: A line stands this far over the reference (linear: 3 dB, as a tone in the evidence).
LINE_MIN_RATIO = 2.0
#: ... and holds at least this share of the strongest line's excess (noise cells don't count).
LINE_MIN_SHARE = 0.05
#: Fewest lines that make a comb, and the narrowest spacing (bins: the lines are resolved).
MIN_LINES = 3
MIN_SPACING_BINS = 3.0
#: Every gap between neighbouring lines is a whole number of spacings within this fraction of one,
#: and at least half the gaps are a single spacing (a dense comb, not scattered tones).
GRID_TOLERANCE = 0.15
#: Two stretches' spacings agree within this fraction, their grids within GRID_TOLERANCE.
SPACING_AGREE = 0.03
#: Most spacings between two stretches of one comb (a missing line or two).
MAX_GAP_LINES = 3.0


def line_positions(spec: np.ndarray, ref: np.ndarray, bands: list[tuple[int, int]]) -> np.ndarray:
    """Fractional fine bins of the lines of a mean spectrum `spec` over its noise reference
    `ref` (linear, same bins) within `bands` (inclusive bin ranges), ascending: local maxima
    standing LINE_MIN_RATIO over the reference with LINE_MIN_SHARE of the strongest's excess,
    each refined to the vertex of the parabola through the log spectrum."""
    n = spec.shape[0]
    pos = []
    for lo, hi in bands:
        a, b = max(1, lo), min(n - 2, hi)
        if b < a:
            continue
        i = np.arange(a, b + 1)
        p = spec[i]
        pos.extend(int(k) for k in i[(p >= spec[i - 1]) & (p > spec[i + 1]) & (p > LINE_MIN_RATIO * ref[i])])
    if not pos:
        return np.zeros(0)
    pk = np.asarray(sorted(set(pos)))
    ex = np.maximum(spec[pk] - ref[pk], 0.0)
    pk = pk[ex >= LINE_MIN_SHARE * ex.max()]
    y0, y1, y2 = (np.log(np.maximum(spec[pk + o], 1e-300)) for o in (-1, 0, 1))
    den = y0 - 2 * y1 + y2
    return pk + np.where(den < 0, np.clip(0.5 * (y0 - y2) / np.where(den < 0, den, -1.0), -0.5, 0.5), 0.0)


def comb_of(f: np.ndarray) -> tuple[float, float] | None:
    """(spacing, position of one line), in fine bins, of evenly spaced lines at positions f
    (`line_positions`); None where they are not a comb."""
    if f.size < MIN_LINES:
        return None
    d = np.diff(f)
    s = float(np.median(d))
    if not s >= MIN_SPACING_BINS:
        return None
    k = np.round(d / s)
    if np.any(k < 1) or np.any(np.abs(d / s - k) > GRID_TOLERANCE) or np.mean(k == 1) < 0.5:
        return None
    # spacing and grid by least squares over the line numbers
    idx = np.concatenate([[0.0], np.cumsum(k)])
    slope, off = np.polyfit(idx, f, 1)
    return float(slope), float(off)


def same_comb(a: tuple, b: tuple) -> bool:
    """Are two stretches one comb? Each is (lines, bands): line positions (`line_positions`)
    and its bands (inclusive bin ranges). Where both are combs (`comb_of`): one spacing and
    one grid; where one holds too few lines to be a comb of its own: its lines on the other's
    grid; and at most MAX_GAP_LINES spacings between their bands."""
    ca, cb = comb_of(a[0]), comb_of(b[0])
    if ca is not None and cb is not None:
        if abs(ca[0] - cb[0]) > SPACING_AGREE * max(ca[0], cb[0]):
            return False
        s = 0.5 * (ca[0] + cb[0])
        pos = np.array([cb[1]])
        grid = ca
    elif ca is not None or cb is not None:
        grid = ca if ca is not None else cb
        pos = (b if ca is not None else a)[0]
        s = grid[0]
        if pos.size == 0:
            return False
    else:
        return False
    x = (pos - grid[1]) / s
    if np.any(np.abs(x - np.round(x)) > GRID_TOLERANCE):
        return False
    gap = min(max(lo2, lo1) - min(hi1, hi2) for lo1, hi1 in a[1] for lo2, hi2 in b[1])
    return gap <= MAX_GAP_LINES * s
