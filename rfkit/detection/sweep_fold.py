"""A fast periodic sweep measured from its instantaneous frequency over one folded period.

A sweep repeating every T seconds is periodic once its mean frequency is taken out, so its
spectrum is a comb of lines 1/T apart. Their positions give the period and the comb's offset to
a small fraction of a spectral bin (`comb_lines`); the snippet, shifted down by one comb line and
folded on that period, averages coherently into one period of the sweep, its noise falling with
the number of periods folded, and without the noise bias of a product of noisy samples (the
template's mean noise is 0). The phase step of the template over a short lag is the
instantaneous frequency across the period (`sweep_fold`): straight pieces between a sawtooth's
reset, or between a triangle's turns. Their slopes are the sweep rate, independent of where the
band edges are read and of the receiver's response (an amplitude, not a phase, across the band).

Shape: a sawtooth's highest and lowest frequencies sit side by side (the reset between them), a
triangle's half a period apart. Rate: the least-squares slope of each straight piece, without the
bins the reset or turn smears (the lag, and 1/B, the time resolution of a band B wide); a
triangle's pieces weighted by their length, so the rate is the mean |df/dt| over the period.
A sweep whose phase does not continue from one period to the next gives no coherent template
(no exact comb, or a fit residual that shows it). Where B T is large (a slow sweep, or one whose
phase does not carry over), `sweep_fold_power` folds short spectra by power instead: the peak of
each phase bin's mean spectrum is the frequency there, fitted the same way.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft as sfft

__all__ = ["comb_lines", "frequency_period", "sweep_fold", "sweep_fold_power"]

#: A comb line stands this many times above the median of the band's spectrum (a noise bin
#: exceeds 30 x its median with probability ~1e-9).
LINE_RATIO = 30.0
#: Strongest lines used for the comb fit.
MAX_LINES = 64
#: Lines within this fraction of the line spacing of the comb fitted count as its lines.
LINE_TOLERANCE = 0.08
#: ... and within this fraction after a first fit (the lines of the comb itself, not side lines).
FINE_TOLERANCE = 0.005
#: Fewest comb lines that make a periodic sweep.
MIN_LINES = 3
#: Phase bins per period: at least this many, and this many per cycle of the sweep's
#: time-bandwidth product (the phase may turn less than pi per lag of bins) ...
FOLD_MIN_BINS = 64
FOLD_BINS_PER_BT = 4
FOLD_MAX_BINS = 4096
#: ... with at least this many samples folded into each bin.
FOLD_MIN_COUNT = 32
#: Straight-line fit residual (std over the swept span) above which the template is not a
#: sweep's (a sweep whose phase jumps from period to period, a wrong period).
MAX_RESIDUAL = 0.2
#: The folded sweep's amplitude stays above this share of its median all period (a sweep in the
#: receiver's roll-off is dimmed a few dB; one leaving the band falls to the noise).
MIN_AMPLITUDE = 0.2
#: Share of 1/B (s) trimmed off each end of a straight piece besides the lag: a step through a
#: band B wide rises over ~0.44/B, half of it on each side.
TRIM_BT = 0.25
#: Fewest bins a straight piece must keep after trimming its ends.
MIN_PIECE_BINS = 4
#: Power fold: frame lengths (samples), fewest frames (by hop) per period and per phase bin,
#: most phase bins.
POWER_MIN_FRAME = 16
POWER_MAX_FRAME = 4096
POWER_MIN_FRAMES_PER_PERIOD = 8
POWER_MIN_FRAMES_PER_BIN = 8
POWER_MAX_BINS = 256
#: Frequency period: the lag-1 phase's autocorrelation peak must stand this many of its
#: estimation noise (1/sqrt(samples)) above 0.
FREQ_PERIOD_SIGMAS = 20.0
#: ... and hold at least this share of its height at 2, 4, 8, ... periods: a sweep generator's
#: frequency repeats for as long as it is on (0.85 after 512 periods on a real-world-like
#: capture), chirp-spread packets' only over their preamble (their data symbols start at
#: random frequencies: ~0 a few symbols on).
FREQ_REPEAT_MIN = 0.5
#: A whole fraction of the highest peak's lag standing this high is its period (a sawtooth's
#: frequency correlates at -0.5 of its peak half a period off, a triangle's at -1).
FREQ_TOP_SHARE = 0.8
#: A spectrogram resolves a sweep into ~sqrt(B T) cells in time and in frequency at best: the
#: power fold wants at least 10 of each (its smeared ends must not weigh on the slopes).
POWER_MIN_BT = 100.0


def comb_lines(y: np.ndarray, rate_hz: float, period_s: float, lo_hz: float,
               hi_hz: float) -> tuple[float, float, int] | None:
    """(period_s, offset_hz, lines) of the comb of lines a periodic signal makes, or None.

    `period_s` is the rough period (from the autocorrelation); the lines are the strongest
    local maxima of the Hann-windowed spectrum of y standing `LINE_RATIO` over the median of the
    band [lo_hz, hi_hz], at most one per 0.3/period; those on a common comb (within
    `LINE_TOLERANCE` of a spacing) are fitted by least squares, nearest first, refining the
    spacing as farther lines join. offset_hz is the frequency of one line of the comb.
    """
    n = y.shape[0]
    if n < 1024 or not period_s > 0 or not hi_hz > lo_hz:
        return None
    w = np.hanning(n)
    p = np.abs(sfft.fft(y * w, workers=2)) ** 2
    f = sfft.fftfreq(n, 1.0 / rate_hz)
    inb = (f >= lo_hz) & (f <= hi_hz)
    if inb.sum() < 16:
        return None
    floor = float(np.median(p[inb]))
    if not floor > 0:
        return None
    loc = np.flatnonzero((p[1:-1] > p[:-2]) & (p[1:-1] >= p[2:])) + 1
    loc = loc[p[loc] > LINE_RATIO * floor]
    if loc.size < MIN_LINES:
        return None
    loc = loc[np.argsort(p[loc])[::-1]]
    guard = 0.3 / period_s
    picked: list[int] = []
    for i in loc:
        if all(abs(f[i] - f[j]) > guard for j in picked):
            picked.append(int(i))
            if len(picked) >= MAX_LINES:
                break
    pk = np.asarray(picked)
    if pk.size < MIN_LINES:
        return None
    # the peak between bins: a parabola through the log power of the three bins around it
    a, b, c = np.log(p[pk - 1]), np.log(p[pk]), np.log(p[pk + 1])
    den = a - 2 * b + c
    shift = np.where(den < 0, 0.5 * (a - c) / np.where(den < 0, den, -1.0), 0.0)
    fr = f[pk] + shift * (rate_hz / n)
    # the reference: the one of the strongest lines with the most others on its comb
    best_ref, best_in = 0, None
    for r in range(min(5, fr.size)):
        x = (fr - fr[r]) * period_s
        inl = np.abs(x - np.round(x)) < LINE_TOLERANCE
        if best_in is None or inl.sum() > best_in.sum():
            best_ref, best_in = r, inl
    if best_in is None or best_in.sum() < MIN_LINES:
        return None
    fl = fr[best_in]
    ref = fr[best_ref]
    order = np.argsort(np.abs(fl - ref))
    per, off = period_s, ref
    for m in (4, 8, 16, MAX_LINES):
        sel = order[:m]
        k = np.round((fl[sel] - ref) * per)
        if np.unique(k).size < 2:
            continue
        A = np.vstack([k, np.ones_like(k)]).T
        (slope, off), *_ = np.linalg.lstsq(A, fl[sel], rcond=None)
        if not slope > 0:
            return None
        per = 1.0 / slope
    k = np.round((fl - ref) * per)
    res = np.abs(fl - off - k / per) * per
    if np.max(res) > LINE_TOLERANCE:
        return None
    # keyed or jittered sweeps grow side lines beside each comb line (PRF lines): where the
    # strongest near a comb line is a side line, it is off the comb; the rest fix it exactly
    keep = res <= max(FINE_TOLERANCE, 3.0 * float(np.median(res)))
    if keep.sum() >= MIN_LINES and np.unique(k[keep]).size >= 2 and not keep.all():
        A = np.vstack([k[keep], np.ones(int(keep.sum()))]).T
        (slope, off), *_ = np.linalg.lstsq(A, fl[keep], rcond=None)
        if not slope > 0:
            return None
        per = 1.0 / slope
    return float(per), float(off), int(keep.sum())


def _fold_frequency(y: np.ndarray, rate_hz: float, period_s: float, f0_hz: float, idx: np.ndarray,
                    bins: int, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """(instantaneous frequency (Hz), amplitude) over one period in `bins` phase bins: y shifted
    down by f0_hz (a comb line), folded on the period (idx: each sample's bin); the frequency
    from the phase step of the template over `lag` bins, the amplitude its magnitude."""
    n = y.shape[0]
    z = y * np.exp(-2j * np.pi * (f0_hz / rate_hz) * np.arange(n))
    cnt = np.maximum(np.bincount(idx, minlength=bins), 1)
    tm = (np.bincount(idx, weights=z.real, minlength=bins)
          + 1j * np.bincount(idx, weights=z.imag, minlength=bins)) / cnt
    d = np.roll(tm, -lag) * np.conj(tm)
    # the step over lag bins sits between them: centre it
    fi = f0_hz + np.angle(d) / (2 * np.pi * lag * period_s / bins)
    return np.roll(fi, lag // 2), np.abs(tm)


def _arc(a: int, b: int, bins: int, trim: int) -> tuple[np.ndarray, int]:
    """Bins from a forward (circularly) to b, less `trim` at each end; and the full length."""
    n = (b - a) % bins
    idx = (a + np.arange(n + 1)) % bins
    return idx[trim:idx.size - trim], n


def sweep_fold(y: np.ndarray, rate_hz: float, period_s: float, lo_hz: float,
               hi_hz: float) -> dict | None:
    """Shape, rate (Hz/s), period (s) and swept band (Hz) of a fast periodic sweep in y, from
    its folded instantaneous frequency; None where y holds no coherent periodic sweep.

    y holds the sweep's band with room around it (a sweep reaching into the receiver's roll-off
    runs past the edges read at a fraction of the plateau); [lo_hz, hi_hz] is the band read.
    """
    comb = comb_lines(y, rate_hz, period_s, lo_hz, hi_hz)
    if comb is None:
        return None
    per, off, lines = comb
    width = hi_hz - lo_hz
    bt = width * per
    bins = int(max(FOLD_MIN_BINS, 2 ** math.ceil(math.log2(FOLD_BINS_PER_BT * (bt + 1)))))
    if bins > FOLD_MAX_BINS or y.shape[0] < FOLD_MIN_COUNT * bins:
        # a slow sweep (its lines on the waterfall are the better measure), or too few periods
        return None
    ph = (np.arange(y.shape[0]) / (per * rate_hz)) % 1.0
    idx = np.minimum((ph * bins).astype(np.int64), bins - 1)
    occupied = int(np.count_nonzero(np.bincount(idx, minlength=bins)))
    if occupied < bins:
        # a period of a whole (or half, ...) number of samples visits only `occupied` phases,
        # 1/occupied apart: one bin each
        bins = occupied
        idx = np.round(ph * bins).astype(np.int64) % bins
    # lag: the phase turns at most ~0.8 pi over it anywhere in the band (f0 within 1/(2T) of
    # the band's centre, the band within +-(B/2) of it)
    if 0.8 * bins / (bt + 1) < 1:
        return None
    # (at most 1/8 of the period: the lag smears a reset or turn over as much)
    lag = min(int(0.8 * bins / (bt + 1)), max(1, bins // 8))
    f0 = off + round((0.5 * (lo_hz + hi_hz) - off) * per) / per
    fi, amp = _fold_frequency(y, rate_hz, per, f0, idx, bins, lag)
    # a reset or turn is smeared over the lag and over 1/B (the band's time resolution)
    trim = lag + math.ceil(TRIM_BT * bins / max(bt, 1.0))
    out = _sweep(_fit_pieces(fi, amp, lag, trim), bins, per, lines)
    if out is not None:
        # the folded template is the sweep alone (the noise averages out): its power
        out["power"] = float(np.mean(amp ** 2))
    return out


def _smooth(v: np.ndarray, k: int) -> np.ndarray:
    """Circular moving average of v over k bins."""
    if k <= 1:
        return v
    ext = np.concatenate([v[-k:], v, v[:k]])
    return np.convolve(ext, np.ones(k) / k, mode="same")[k:k + v.shape[0]]


def _fit_pieces(fi: np.ndarray, amp: np.ndarray, smooth: int,
                trim: int) -> tuple[str, float, float, float] | None:
    """(shape, mean |slope| in Hz per bin, residual, centre in Hz) of a folded frequency curve
    fi (one period, circular) with its amplitude amp; None where it is not a sweep within the
    band. The centre is the mean of the straight pieces' midpoints (a linear sweep's middle)."""
    bins = fi.shape[0]
    amp_sm = _smooth(amp, smooth)
    if amp_sm.min() < MIN_AMPLITUDE * np.median(amp_sm):
        # the sweep leaves the band for part of its period: its slope there is not seen (the
        # in-band pulses are `chirp._through_band`'s)
        return None
    # extremes of the lightly smoothed curve (single noisy bins must not pose as them)
    sm = _smooth(fi, smooth)
    imax, imin = int(np.argmax(sm)), int(np.argmin(sm))
    span = float(sm[imax] - sm[imin])
    if not span > 0:
        return None
    d = (imax - imin) % bins
    if min(d, bins - d) < bins / 4:
        shape = "sawtooth"
        pieces = [_arc(imin, imax, bins, trim) if d > bins / 2 else _arc(imax, imin, bins, trim)]
    else:
        shape = "triangle"
        pieces = [_arc(imin, imax, bins, trim), _arc(imax, imin, bins, trim)]
    slopes, lens, resid, mids = [], [], [], []
    for idx, full in pieces:
        if idx.size < MIN_PIECE_BINS:
            return None
        x = np.arange(idx.size, dtype=np.float64)
        coef = np.polyfit(x, fi[idx], 1)
        slopes.append(abs(float(coef[0])))
        lens.append(float(full))
        resid.append(float(np.std(fi[idx] - np.polyval(coef, x))))
        mids.append(float(np.polyval(coef, 0.5 * (idx.size - 1))))
    residual = max(resid) / span
    if residual > MAX_RESIDUAL:
        return None
    return shape, float(np.dot(slopes, lens) / np.sum(lens)), residual, float(np.dot(mids, lens) / np.sum(lens))


def sweep_fold_power(y: np.ndarray, rate_hz: float, period_s: float, lo_hz: float,
                     hi_hz: float) -> dict | None:
    """Shape, rate (Hz/s), period (s) and swept band (Hz) of a periodic sweep in y from short
    spectra folded on its period by power (no phase kept from one frame to the next); None
    where y holds no such sweep.

    For sweeps whose phase does not continue from period to period (a pulsed sweep restarted
    each pulse, a sweep generator with jitter) and sweeps too long for a coherent fold. Frames of
    ~1/sqrt(rate) s (the length that resolves a sweep best: its frequency moves by one bin over
    one frame) are placed by their centre's phase in the period, their power spectra averaged
    per phase bin; the peak of each bin's spectrum is the frequency there.
    """
    n = y.shape[0]
    width = hi_hz - lo_hz
    if not (period_s > 0 and width > 0):
        return None
    spp = period_s * rate_hz
    if width * period_s < POWER_MIN_BT:
        return None
    r0 = width / period_s
    nf = int(2 ** round(math.log2(rate_hz / math.sqrt(r0))))
    nf = max(POWER_MIN_FRAME, min(nf, POWER_MAX_FRAME))
    hop = nf // 4
    if spp < POWER_MIN_FRAMES_PER_PERIOD * hop:
        return None
    bins = int(min(POWER_MAX_BINS, 2 ** math.floor(math.log2(spp / hop))))
    starts = np.arange(0, n - nf, hop)
    if bins < FOLD_MIN_BINS // 4 or starts.size < POWER_MIN_FRAMES_PER_BIN * bins:
        return None
    w = np.hanning(nf + 1)[:-1].astype(np.float32)
    ph = (((starts + 0.5 * nf) / spp) % 1.0 * bins).astype(np.int64)
    ph = np.minimum(ph, bins - 1)
    acc = np.zeros((bins, nf))
    cnt = np.bincount(ph, minlength=bins)
    if cnt.min() < 1:
        return None
    chunk = 4096  # frames per FFT call (memory)
    for a in range(0, starts.size, chunk):
        st = starts[a:a + chunk]
        seg = y[st[:, None] + np.arange(nf)] * w
        X = sfft.fft(seg, axis=1, workers=2)
        p = X.real ** 2 + X.imag ** 2
        onehot = np.zeros((bins, st.size))
        onehot[ph[a:a + chunk], np.arange(st.size)] = 1.0
        acc += onehot @ p  # (each frame's spectrum into its phase bin: a sum by matrix product)
    acc /= cnt[:, None]
    f = sfft.fftfreq(nf, 1.0 / rate_hz)
    order = np.argsort(f)
    acc, f = acc[:, order], f[order]
    k = np.argmax(acc, axis=1)
    kk = np.clip(k, 1, nf - 2)
    rows = np.arange(bins)
    a_, b_, c_ = (np.log(np.maximum(acc[rows, kk + o], 1e-300)) for o in (-1, 0, 1))
    den = a_ - 2 * b_ + c_
    shift = np.where(den < 0, 0.5 * (a_ - c_) / np.where(den < 0, den, -1.0), 0.0)
    fi = f[kk] + np.clip(shift, -0.5, 0.5) * (rate_hz / nf)
    amp = np.sqrt(acc[rows, k])
    # a frame smears the curve over its length: nf / spp of the period
    smear = nf / spp * bins
    return _sweep(_fit_pieces(fi, amp, max(1, round(0.5 * smear)), math.ceil(0.5 * smear) + 1), bins, period_s, 0)


def frequency_period(y: np.ndarray, rate_hz: float, min_lag: int) -> float | None:
    """Period (s) of y's instantaneous frequency, or None where it does not repeat.

    A sweep whose carrier phase does not continue from one period to the next (a generator that
    restarts each period, phase noise, a reset falling between samples: the phase steps by up to
    B / rate cycles there) has no comb of lines and no |R| peak at its period, yet its
    instantaneous frequency repeats: the phase step of y over one sample, angle(y[t+1] y*[t]),
    is periodic whatever the carrier phase does. Its autocorrelation (mean removed; real: a
    sawtooth's correlates positively only near multiples of its period, with a cusp there) has
    its highest peak past `min_lag` samples at a multiple of the period, the period the
    shortest whole fraction of it that stands as high (FREQ_TOP_SHARE); refined on the peaks at 2, 4,
    8, ... periods (each known to a sample or so from the last, so its error shrinks as the
    multiple grows), each of which must keep FREQ_REPEAT_MIN of the first's height. Noise
    gives a peak below FREQ_PERIOD_SIGMAS / sqrt(n).
    """
    n = y.shape[0] - 1
    max_lag = n // 4
    if n < 1024 or not 2 <= min_lag < max_lag - 4:
        return None
    z = np.angle(y[1:] * np.conj(y[:-1])).astype(np.float64)
    z -= z.mean()
    nfft = sfft.next_fast_len(n + max_lag + 1, real=True)
    Z = sfft.rfft(z, nfft, workers=2)
    r = sfft.irfft(Z.real ** 2 + Z.imag ** 2, nfft, workers=2)[:max_lag + 1]
    if not r[0] > 0:
        return None
    r = np.maximum(r / r[0], 0.0)
    seg = r[min_lag:]
    top = float(seg.max())
    if top * math.sqrt(n) < FREQ_PERIOD_SIGMAS:
        return None
    # the highest peak is at some multiple of the period: the period is the shortest of its
    # whole fractions where the correlation stands as high (within FREQ_TOP_SHARE)
    i = min_lag + int(np.argmax(seg))
    for k in range(i // min_lag, 1, -1):
        a = int(i / k) - 3
        j = a + int(np.argmax(r[a:a + 8]))
        if a < j < a + 7 and j >= min_lag and r[j] >= FREQ_TOP_SHARE * top:
            i = j  # (a peak inside the window, not the flank of one beside it)
            break
    per = i + _vertex(r, i)
    m = 2
    while m * per < max_lag - 4:
        c = m * per
        w = 3
        while True:  # widened until the peak lies inside (the last step's error, doubled)
            a = max(min_lag, int(c) - w)
            j = a + int(np.argmax(r[a:int(c) + w + 1]))
            if a < j < int(c) + w or w >= per / 4:
                break
            w *= 2
        if r[j] < FREQ_REPEAT_MIN * r[i]:
            return None  # it stops repeating: a preamble's symbols, not a sweep generator
        per = (j + _vertex(r, j)) / m
        m *= 2
    return per / rate_hz


def _vertex(y: np.ndarray, i: int) -> float:
    """Offset (-0.5..0.5) of the vertex of the parabola through y[i-1], y[i], y[i+1]."""
    if i <= 0 or i >= y.shape[0] - 1:
        return 0.0
    den = float(y[i - 1] - 2 * y[i] + y[i + 1])
    return float(np.clip(0.5 * (y[i - 1] - y[i + 1]) / den, -0.5, 0.5)) if den != 0 else 0.0


def _sweep(fit, bins: int, period_s: float, lines: int) -> dict | None:
    """The sweep's parameters from a `_fit_pieces` result over `bins` phase bins of period_s
    (None where there is no fit): rate in Hz/s, swept band (a triangle sweeps it twice a period)."""
    if fit is None:
        return None
    shape, slope_per_bin, residual, centre = fit
    rate = slope_per_bin * bins / period_s
    swept = rate * period_s / (2.0 if shape == "triangle" else 1.0)
    return {"sweep_shape": shape, "sweep_rate_hz_per_s": rate, "sweep_period_s": period_s,
            "bandwidth_hz": swept, "residual": residual, "lines": lines, "centre_hz": centre}
