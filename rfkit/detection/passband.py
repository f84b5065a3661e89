"""The receiver's own passband: a weak broad rise of the floor that is no emission.

A tuner's IF filter and a dongle's decimator leave a passband that is not flat: a gain tilt (a
short FIR: one slow cycle of gain across the band) and filter ripple, 2-3 dB across the band in
all. The floor shape the front end learns may stand at most `frontend.SHAPE_MAX` over its flat
middle (so that a broad emission present from the start is never learnt as floor), so the humps
above that cap stand out as weak broad bands. Such a band is told from an emission by physics:

* it is smooth across frequency: the long-term spectrum departs from a local quadratic over
  SMOOTH_FRACTION of the band by less than SMOOTH_MAX_DB anywhere in and beside it (a jammer's
  band ends within a few bins, far narrower than any ripple period of a receiver's filter; a
  sweep or a band of lines is no smooth curve either); where the band reaches into the roll-off
  (not judged so), no bin of it stands LINE_DB over the median of its neighbours (a receiver's
  response holds no line; a carrier there is an emission);
* it has no onset: its band held the same power (within ONSET_ABS_DB: a receiver's gain and
  noise are steady) and stood as high over the floor beside it (within ONSET_DB) in the input's
  first FIRST_S as over its life; an emission switched on later did neither (a band's power is
  its mean over its bins: a fast sweep's lines leave the median of its bins at the floor); nor
  an end: the caller checks the band's power in the latest rows too (`same_power`: a broad
  jammer on from the first sample that stopped leaves the passband's humps standing on it);
* it is weak: its top stands at most PASSBAND_MAX_DB over the central band's median (a
  receiver's passband varies by no more across its central band).

Only the central bins are judged (the band-edge roll-off is steep by design), clear of a window's
half at either side; a band reaching into the roll-off (a filter's last ripple peak stands at its
shoulder) is judged on its part inside them, however small. Where the band leaves some of them
free, its onset is also measured against the floor beside it; where it leaves none, there is no
floor to measure it on, present or absent, and its unchanged power is all that can be told. The
band's spectrum in the first and latest rows, and over its life, is read without the rows (or
chunks of rows) a packet fell on in it (`quiet_rows_mean`): a keyfob's packet in the input's last
0.1 s is no change of the band's level, and packets in half the chunks of a weak hump the row
CFAR finds mostly while they are on are no part of its shape.
"""

from __future__ import annotations

import numpy as np
import scipy.fft as sfft
from scipy import ndimage

from .frontend import HANN_SUM_VARIANCE, segments

__all__ = ["FIRST_S", "LINE_DB", "ONSET_ABS_DB", "ONSET_DB", "PACKET_SIGMAS", "PASSBAND_MAX_DB", "SMOOTH_FRACTION",
           "SMOOTH_MAX_DB", "lines_on", "packet_rows", "quiet_rows_mean", "receiver_passband", "same_power"]

#: Span of the input's first rows whose averaged spectrum is kept to tell an onset, s.
FIRST_S = 0.1
#: Window of the local quadratic (Savitzky-Golay) the passband follows, fraction of the band.
SMOOTH_FRACTION = 0.1
#: Light smoothing of the spectrum before its departure is read (noise), fraction of the band.
FINE_FRACTION = 0.01
#: Largest departure of a receiver's passband from its local quadratic, dB.
SMOOTH_MAX_DB = 0.3
#: A bin this far over the median of its neighbours is a line (no receiver's response; the
#: long-term spectrum's estimation noise is a few tenths of a dB), dB.
LINE_DB = 3.0
#: ... sought where the roll-off has fallen less than this under the central band's median
#: (further out, a filter's stopband holds notches and lobes of its own), dB.
LINE_PASS_DB = 10.0
#: The receiver's response has begun to roll off where its long-term spectrum has fallen this far
#: under the central band's median (its tilt and ripple hold within it), dB.
ROLL_DB = 1.0
#: Largest rise of a receiver's passband over its central band's median, dB.
PASSBAND_MAX_DB = 2.5
#: A band whose rise over the floor beside it (its mean over their median) stood this much
#: lower in the first FIRST_S than over its life was switched on since, dB.
ONSET_DB = 0.5
#: ... and whose power (mean over its bins) moved by this much from the first FIRST_S, dB.
ONSET_ABS_DB = 0.25
#: A row whose power in the band stands this many sigmas of its estimation noise (chi-square)
#: over the median row's holds a packet: left out of the band's first / latest spectrum.
PACKET_SIGMAS = 6.0


def receiver_passband(spec: np.ndarray, first: np.ndarray | None, lo: int, hi: int, *, central: slice,
                      dc_bins: int = 0, edges_seen: bool = False, skip: np.ndarray | None = None) -> bool:
    """Is the band lo..hi (bins, inclusive) of the long-term spectrum `spec` (linear power,
    float[nfft], ascending frequency) the receiver's own smooth passband rather than an emission?

    `first`: the averaged spectrum of the input's first FIRST_S (same bins), or None (unknown:
    False); `central`: the bins inside the receiver's band-edge roll-off; `dc_bins`: half-width
    of the DC spike around the middle bin, interpolated over; `edges_seen`: the band is no
    passband unless both its edges lie inside the judged bins (a band present from before the
    first sample: no onset tells it, and its edges, smooth or a filter's, are all that can);
    `skip`: bool per bin, those of other emissions told apart (a carrier classified on its own
    on the hump): interpolated over as the DC spike, and left out of its power and onset (an
    emission's line or its switching off is no change of the receiver's response under it;
    `lines_on`: only where they hold less than half the band).
    """
    spec = np.asarray(spec, dtype=np.float64)
    n = spec.shape[0]
    if first is None or hi < lo or n < 64 or not np.all(np.isfinite(spec)):
        return False
    first = np.asarray(first, dtype=np.float64)
    k = np.arange(n)
    d = 10 * np.log10(np.maximum(spec, 1e-30))
    dc = np.abs(k - n // 2) <= max(2, int(dc_bins))
    if skip is not None:
        dc = dc | skip
        if dc.all():
            return False  # nothing left to judge
    d = np.where(dc, np.interp(k, k[~dc], d[~dc]), d)
    wf = max(3, round(FINE_FRACTION * n) | 1)
    wc = max(7, round(SMOOTH_FRACTION * n) | 1)
    d = _without_lines_beside(d, lo, hi, wf)
    fine = ndimage.uniform_filter1d(d, wf, mode="nearest")
    # (the local quadratic by FFT convolution: its edge values are not used)
    smooth = _convolve_same(d, _quadratic_smoother(wc))
    c0, c1 = central.start + wc // 2, central.stop - wc // 2
    a, b = max(lo - wf, c0), min(hi + wf + 1, c1)
    if b - a < wf and (lo < c0 or hi >= c1):
        # (a band out in the band's shoulder, none of it where the quadratic's window lies in
        # the central bins: judged where it lies wholly in the receiver's passband instead)
        c0, c1 = _judged_bins(fine, central, wc)
        a, b = max(lo - wf, c0), min(hi + wf + 1, c1)
    if edges_seen and (lo - wf < c0 or hi + wf + 1 > c1):
        return False  # an edge in the roll-off or beyond: not seen smooth
    # (too little of the band inside the judged bins; a band reaching into the roll-off, where
    # a filter's last ripple peak stands, is judged on its part inside them - its inner edge
    # with it - and its part outside holds no line)
    if b - a < (wf if lo < c0 or hi >= c1 else wc):
        return False
    if float(np.max(np.abs(fine[a:b] - smooth[a:b]))) >= SMOOTH_MAX_DB:
        return False  # sharp edges, lines or a comb: an emission
    if _line_outside(d, lo, hi, a, b, wf):
        return False  # a carrier in the band's part in the roll-off: an emission
    ia, ib = max(lo, central.start), min(hi + 1, central.stop)
    if ib <= ia or float(np.max(fine[ia:ib]) - np.median(fine[central])) > PASSBAND_MAX_DB:
        return False
    if not same_power(spec, first, lo, hi, central=central, skip=skip):
        return False
    free = np.zeros(n, dtype=bool)
    free[central] = True
    free[max(0, lo - wf):hi + wf + 1] = False
    if skip is not None:
        free &= ~skip
    if np.count_nonzero(free) < wc:
        # nothing beside it: no floor to measure it on, when present or absent; it held the same
        # power from the first rows (and the caller checks the latest): a smooth, weak rise of
        # the whole band with no onset and no end is all a receiver's passband is
        return True
    life = _rise_db(spec, ia, ib, free, skip)
    start = _rise_db(first, ia, ib, free, skip)
    return bool(np.isfinite(life) and np.isfinite(start) and start > life - ONSET_DB)


def _judged_bins(fine: np.ndarray, central: slice, wc: int) -> tuple[int, int]:
    """The bins c0..c1 (exclusive) where the local quadratic over wc bins can be read with its
    whole window inside the receiver's passband: out beyond the central bins as far as the
    response (`fine`, dB) holds within ROLL_DB under the central band's median. A steep filter
    (an elliptic one: flat to within a few per cent of the band's edge) leaves its tilt and
    ripple readable out there, and a hump in the shoulder is judged by its inner edge - smooth
    for a receiver's tilt, a few bins wide for a jammer's band - like any other. (Only for a band
    wholly out there: where a gentler filter has begun to roll off inside ROLL_DB, the
    quadratic's last windows bend with it, so bands the central bins judge keep to them.)"""
    n = fine.shape[0]
    below = fine < float(np.median(fine[central])) - ROLL_DB
    a, b = central.start, central.stop
    while a > 0 and not below[a - 1]:
        a -= 1
    while b < n and not below[b]:
        b += 1
    return a + wc // 2, b - wc // 2


def _without_lines_beside(d: np.ndarray, lo: int, hi: int, wf: int) -> np.ndarray:
    """The spectrum `d` (dB) with its bins farther than wf from the band lo..hi read through a
    median over 2 wf + 1 bins: another emission's narrow lines beside the band (a hopper's
    channel, a carrier) are no part of the receiver's response there, yet within the local
    quadratic's window they would bend it and make a smooth hump seem to depart from it. The
    band and its edges (wf either side) are kept as they are (its own lines and sharp edges
    are what tell an emission)."""
    med = ndimage.median_filter(d, size=2 * wf + 1, mode="nearest")
    keep = np.zeros(d.shape[0], dtype=bool)
    keep[max(0, lo - wf):hi + wf + 1] = True
    return np.where(keep, d, med)


def _line_outside(d: np.ndarray, lo: int, hi: int, a: int, b: int, wf: int) -> bool:
    """Does a bin of the band lo..hi outside the judged bins a..b (the roll-off, where it has
    fallen less than LINE_PASS_DB) stand LINE_DB over the median of the wf bins each side of it
    (`d`: the spectrum, dB)? (A roll-off falls steadily: a bin keeps near its neighbours' median;
    a carrier stands far above it.)"""
    parts = [(lo, min(hi + 1, a)), (max(lo, b), hi + 1)]
    if all(q <= p for p, q in parts):
        return False
    med = ndimage.median_filter(d, size=2 * wf + 1, mode="nearest")
    up = np.where(med >= float(np.median(d[a:b])) - LINE_PASS_DB, d - med, 0.0)
    return any(q > p and float(np.max(up[p:q])) > LINE_DB for p, q in parts)


def _quadratic_smoother(m: int) -> np.ndarray:
    """Weights of the least-squares quadratic over m (odd) points, read at its middle
    (Savitzky-Golay, order 2), float64[m], in convolution order.

    The minimum-norm solution c of A c = e0, A[j, i] = x_i ** j (x = the points' offsets from the
    middle, reversed): c . p(x) is the fitted quadratic's value at the middle for any samples p.
    By hand rather than `scipy.signal.savgol_coeffs` (the same numbers: the same least-squares
    solve): importing scipy.signal costs ~0.35 s of CPU, a tenth of the whole `rfkit detect` on
    a minute of input; scipy.linalg is loaded already (numba's BLAS)."""
    from scipy.linalg import lstsq

    h = m // 2
    x = np.arange(-h, m - h, dtype=np.float64)[::-1]
    a = x ** np.arange(3, dtype=np.float64)[:, None]
    e0 = np.zeros(3)
    e0[0] = 1.0
    return lstsq(a, e0, cond=np.finfo(np.float64).eps * max(a.shape))[0]


def _convolve_same(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """x (float64[n]) convolved with w (float64[m], m <= n), the n values centred on the full
    convolution (zeros beyond x's ends), by real FFTs of the next fast length (float64[n]; the
    same numbers as `scipy.signal.fftconvolve(x, w, mode="same")`, without importing scipy.signal)."""
    n = x.shape[0] + w.shape[0] - 1
    nf = sfft.next_fast_len(n, True)
    full = sfft.irfft(sfft.rfft(x, nf) * sfft.rfft(w, nf), nf)
    a = (w.shape[0] - 1) // 2
    return full[a:a + x.shape[0]].copy()


def lines_on(skip: np.ndarray | None, lo: int, hi: int) -> np.ndarray | None:
    """The stretches of `skip` (the bins of other emissions told apart) narrower than the local
    quadratic's window (SMOOTH_FRACTION of the band: lines, narrow channels, over which the
    receiver's smooth response is interpolated), where they hold less than half the band lo..hi;
    else None. A broader emission (a jammer over the hump's band) is a band of its own, no line
    on the response: the band is judged whole, as it stands."""
    if skip is None:
        return None
    wc = max(7, round(SMOOTH_FRACTION * skip.shape[0]) | 1)
    out = np.zeros_like(skip)
    for a, b in segments(skip, 0):
        out[a:b + 1] = b + 1 - a < wc
    if not out.any() or 2 * np.count_nonzero(out[max(lo, 0):hi + 1]) >= hi + 1 - max(lo, 0):
        return None
    return out


def same_power(now: np.ndarray, first: np.ndarray, lo: int, hi: int, *, central: slice,
               skip: np.ndarray | None = None) -> bool:
    """Does the band lo..hi (inside `central`) hold the same power (mean over its bins, less those
    `skip` marks: other emissions') in the spectrum `now` as in `first`, within ONSET_ABS_DB? (A
    receiver's passband and noise do not change; where the band's power moved, an emission
    switched on or off.)"""
    ia, ib = max(lo, central.start), min(hi + 1, central.stop)
    if ib <= ia:
        return False
    keep = np.ones(ib - ia, dtype=bool) if skip is None else ~skip[ia:ib]
    if not keep.any():
        return False
    a, b = float(np.mean(now[ia:ib][keep])), float(np.mean(first[ia:ib][keep]))
    return bool(a > 0 and b > 0 and abs(10 * np.log10(a / b)) < ONSET_ABS_DB)


def packet_rows(rows: np.ndarray, lo: int, hi: int, *, central: slice, dof: float) -> np.ndarray:
    """bool[m]: the rows of `rows` (float[m, nfft], linear power, `dof` degrees of freedom per bin
    and row: rows or chunk means of rows) holding a packet in the band lo..hi (its central bins):
    anywhere in it, their power over FINE_FRACTION of the band stands PACKET_SIGMAS of its
    estimation noise over the rows' median there. A passband or a stationary jammer holds the
    same power in every row; a packet (a keyfob, a sensor: short, intermittent, narrow) falls on
    a few, and is no part of the band's level - nor of its shape (a weak hump the row CFAR finds
    mostly while packets are on holds them in half its chunks, which lifts even a median over
    them). No row where fewer than half would be left (no level held by most of them: a slow
    sweep's chunks each hold a different part), or too few rows to tell (under 3)."""
    rows = np.asarray(rows, dtype=np.float64)
    out = np.zeros(rows.shape[0], dtype=bool)
    ia, ib = max(lo, central.start), min(hi + 1, central.stop)
    if rows.shape[0] < 3 or ib <= ia:
        return out
    w = min(ib - ia, max(3, round(FINE_FRACTION * rows.shape[1])))
    p = ndimage.uniform_filter1d(rows[:, ia:ib], w, axis=1, mode="nearest")
    med = np.median(p, axis=0)
    # (the relative noise of a mean over w bins, Hann neighbours correlated)
    law = float(np.sqrt(2.0 * HANN_SUM_VARIANCE / (max(dof, 1.0) * w)))
    held = np.any(p > med * (1.0 + PACKET_SIGMAS * law), axis=1)
    return held if 2 * np.count_nonzero(~held) >= rows.shape[0] else out


def quiet_rows_mean(rows: np.ndarray, lo: int, hi: int, *, central: slice, dof: float) -> np.ndarray:
    """The mean spectrum (float64[nfft]) of `rows` less those holding a packet in the band lo..hi
    (`packet_rows`)."""
    rows = np.asarray(rows, dtype=np.float64)
    return rows[~packet_rows(rows, lo, hi, central=central, dof=dof)].mean(axis=0)


def _rise_db(p: np.ndarray, ia: int, ib: int, free: np.ndarray, skip: np.ndarray | None = None) -> float:
    """Mean of p[ia:ib] (less the bins `skip` marks) over the median of p's free bins (packets
    beside the band do not move it), dB; nan where not positive."""
    q = p[ia:ib] if skip is None else p[ia:ib][~skip[ia:ib]]
    inside = float(np.mean(q)) if q.size else 0.0
    floor = float(np.median(p[free]))
    if not (inside > 0 and floor > 0):
        return float("nan")
    return 10 * float(np.log10(inside / floor))
