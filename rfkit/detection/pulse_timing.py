"""Whether two pulse trains at one rate pulse together or in turn.

A keyed emitter seen in two pieces of its band (the tracker split it) switches every piece on
and off at the same moments. A slow sweep seen only where it dwells (a triangle's turning
regions, at the two ends of its band) also gives two trains at one rate - its period - but the
sweep is at one end, then at the other: the pieces pulse in turn, the time between them set by
the sweep (half the period for a triangle).

Both pieces' band envelopes are folded on the one period over the same samples, so an error
in the period moves both profiles alike: their relative phase is read without extrapolating
either train's epoch over time.
"""

from __future__ import annotations

import numpy as np

from . import features as ft

__all__ = ["in_turn", "relative_phase", "triangle_turns"]

#: Fold bins per period.
BINS = 64
#: Fewest periods folded for a relative phase (each profile averages that many pulses).
MIN_PERIODS = 8
#: Phase (cycles) a profile's peak may be off by: a bin or two of a noisy fold.
PHASE_SLACK = 0.04


def relative_phase(x: np.ndarray, rate_hz: float, band_a: tuple[float, float], band_b: tuple[float, float],
                   period_s: float) -> float | None:
    """The phase (cycles, in [0, 1)) by which the pulses in `band_b` (offsets, Hz) follow those
    in `band_a` in the raw samples `x`, both envelopes folded on `period_s`: the lag of the
    peak of their profiles' circular cross-correlation. None where `x` holds under MIN_PERIODS
    periods or a profile is flat."""
    n = x.shape[0]
    P = period_s * rate_hz
    if P < 2 or n < MIN_PERIODS * P:
        return None
    X = ft.snippet_fft(x)
    ph = ((np.arange(n) / P) % 1.0 * BINS).astype(np.int64)
    cnt = np.maximum(np.bincount(ph, minlength=BINS), 1)
    prof = []
    for lo, hi in (band_a, band_b):
        y, _, _ = ft.band_filter(x, rate_hz, lo, hi, X=X)
        p = np.bincount(ph, weights=y.real ** 2 + y.imag ** 2, minlength=BINS) / cnt
        p = p - p.mean()
        if not p.any():
            return None
        prof.append(p)
    cc = np.fft.irfft(np.conj(np.fft.rfft(prof[0])) * np.fft.rfft(prof[1]), BINS)
    return float(np.argmax(cc)) / BINS


def in_turn(d: float, duty_a: float, duty_b: float) -> bool:
    """Do pulses `d` cycles apart (`relative_phase`), of the given duties, fall clear of each
    other (apart by more than half the two pulse widths, and the slack)? A keyed emitter's
    pieces pulse together (d ~ 0)."""
    d = min(d, 1.0 - d)
    return d > 0.5 * (duty_a + duty_b) + PHASE_SLACK


def triangle_turns(d: float, duty_a: float, duty_b: float) -> bool:
    """Pulses in turn half a period apart: a triangle sweep's two turning regions, one at each
    end of its band (each turn lies in the middle of its pulse)."""
    return in_turn(d, duty_a, duty_b) and abs(d - 0.5) <= PHASE_SLACK + 0.25 * (duty_a + duty_b)
