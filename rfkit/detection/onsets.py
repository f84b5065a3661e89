"""Pulse onsets timed finely as the stream passes: a slow train's clock judged on all its intervals.

A keyed jammer is driven by a clock: the interval between its pulse starts is constant to far
better than 1 %. A beacon adds a random delay to every interval (a few % of it) so that beacons
do not collide for ever (`packets.pulse_jitter`). The rows (10 ms) cannot show that, and the raw
samples the ring still holds when an emission is classified cover only a few of a slow train's
intervals. So each time a track comes back on in a row after being off (a pulse starts), its
start is timed on the raw samples of that row and the one before, which the ring still holds
then: the band is mixed to 0 Hz and averaged over windows of about one independent value each
(`band_windows`, one product of the stretch's windows with the mixing phasor), the windows summed until a start can be decided
(`packets.WINDOW_INDEP_*`), and the crossing of the half level between the off level (the first
quarter, before the start) and the on level is interpolated (`fine_onset`). The classification
then judges the jitter of every interval the emission has shown (`packets.interval_jitter`).

Units: samples (absolute indices), s, Hz offsets from the centre, linear power.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError
from .packets import WINDOW_INDEP_MIN, WINDOW_INDEP_SNR1

__all__ = ["MAX_WINDOW_S", "MIN_ROW_SNR", "band_windows", "fine_onset"]

#: Longest window a start is timed in (s): well under the 1 % tolerance of any slow train's
#: period (slow: over 40 ms, 4 rows).
MAX_WINDOW_S = 2e-4
#: In-band SNR (linear) a row's excess must reach for its start to be timed: the pulse's own SNR
#: is at least that (a pulse filling part of the row), and fine timing needs a few; weaker rows
#: (a flickering noise cell, a weak line) are not worth the samples.
MIN_ROW_SNR = 1.0
#: Share of the stretch at its start that must lie below the half level (the pulse was off there).
OFF_SHARE = 0.25


def band_windows(x: np.ndarray, rate_hz: float, lo_hz: float, hi_hz: float) -> tuple[np.ndarray, int]:
    """(power per window, window length in samples) of the band [lo_hz, hi_hz] in `x`: mixed to
    0 Hz from the band's centre and averaged over windows of rate/width samples (a boxcar whose
    first null lies one band width from the centre: about one independent value per window)."""
    x = np.asarray(x, dtype=np.complex64)
    if not (rate_hz > 0 and hi_hz >= lo_hz):
        raise ParameterError(f"{rate_hz=} must be positive and {lo_hz=} <= {hi_hz=}")
    m = max(1, int(rate_hz / max(hi_hz - lo_hz, 1.0)))
    k = x.shape[0] // m
    # (the mixing phasor restarts in each window: a window's phase does not change its power)
    tab = np.exp(-2j * np.pi * 0.5 * (lo_hz + hi_hz) / rate_hz * np.arange(m)).astype(np.complex64)
    s = (x[: k * m].reshape(k, m) * tab).sum(axis=1)
    return (s.real.astype(np.float64) ** 2 + s.imag.astype(np.float64) ** 2) / (m * m), m


def fine_onset(x: np.ndarray, first: int, rate_hz: float, lo_hz: float, hi_hz: float) -> float:
    """Time (s, absolute) at which a pulse in the band [lo_hz, hi_hz] starts in the stretch `x`
    (first sample `first`): the interpolated crossing of the half level between the off level of
    the stretch's first OFF_SHARE and the on level (its 95th percentile); nan where the pulse was
    already on in that first part, too weak to time within MAX_WINDOW_S, or not there.
    A band narrower than WINDOW_INDEP_MIN / MAX_WINDOW_S is widened to that about its centre."""
    # (a band narrower than the windows resolve - a keyed carrier - is widened to what they do:
    # less SNR, but the keying's edges are as wide)
    wide = WINDOW_INDEP_MIN / MAX_WINDOW_S
    if hi_hz - lo_hz < wide:
        mid = 0.5 * (lo_hz + hi_hz)
        lo_hz, hi_hz = mid - 0.5 * wide, mid + 0.5 * wide
    base, m = band_windows(x, rate_hz, lo_hz, hi_hz)
    L = math.ceil(WINDOW_INDEP_MIN)
    for _ in range(2):  # the on level from windows of the fewest values, then the windows it asks
        k = base.shape[0] // L
        q = int(OFF_SHARE * k)
        if q < 4 or L * m > MAX_WINDOW_S * rate_hz:
            return math.nan
        w = base[: k * L].reshape(k, L).mean(axis=1)
        off = float(np.mean(w[:q]))
        top = float(np.percentile(w, 95))
        if not (off > 0 and top > off):
            return math.nan
        snr = (top - off) / off
        need = math.ceil(max(WINDOW_INDEP_MIN, WINDOW_INDEP_SNR1 / (snr * snr)))
        if need <= L:
            break
        L = need
    else:
        return math.nan
    half = off + 0.5 * (top - off)
    above = np.flatnonzero(w > half)
    if above.size == 0 or above[0] < q:
        return math.nan  # on from the start (a gap inside a pulse), or nothing
    s = int(above[0])
    a, b = w[s - 1], w[s]
    frac = (half - a) / (b - a) if b > a else 0.0
    return (first + (s - 1 + min(max(frac, 0.0), 1.0) + 0.5) * L * m) / rate_hz
