"""Slow, obviously right twins of the detector's kernels and features (for comparison in tests)."""

from __future__ import annotations

import numpy as np


def segments(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True joined across at most `gap` False values, by a plain loop."""
    runs = []
    start = None
    for i, v in enumerate(list(mask) + [False]):
        if v and start is None:
            start = i
        if not v and start is not None:
            runs.append([start, i - 1])
            start = None
    out = []
    for a, b in runs:
        if out and a - out[-1][1] - 1 <= gap:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [tuple(r) for r in out]


def kappa(s: np.ndarray) -> float:
    """E|s|^4 / (E|s|^2)^2 of a noiseless signal."""
    e = np.abs(s) ** 2
    return float(np.mean(e * e) / np.mean(e) ** 2)


def autocorr(x: np.ndarray, max_lag: int) -> np.ndarray:
    """|sum x[n] conj(x[n+k])| / sum |x|^2 for k = 0..max_lag, by direct sums."""
    x = x - x.mean()
    r0 = np.sum(np.abs(x) ** 2)
    return np.array([abs(np.sum(x[: x.size - k] * np.conj(x[k:]))) / r0 for k in range(max_lag + 1)])
