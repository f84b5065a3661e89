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
from fractions import Fraction

import numpy as np
import scipy.fft as sfft
from scipy.ndimage import uniform_filter1d

__all__ = ["comb_lines", "frequency_period", "step_fold_swing", "step_lines_period", "sweep_fold",
           "sweep_fold_power", "sweep_fold_step"]

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
#: ... searched past the lags where it is still this share of its value FREQ_LOBE_BANDS / B on
#: (the central lobe, a tenth of a slow sweep's period wide; the noise's own correlation
#: through the band filter has died by then) ...
FREQ_LOBE_DROP = 0.5
FREQ_LOBE_BANDS = 8.0
#: ... and up to this share of the snippet (three periods in it at least; the repeat at 2, 4,
#: ... periods is checked up to a quarter of it) ...
FREQ_FAR_LAG = 1.0 / 3
#: ... its peaks smoothed over this share of its period for the refinement (they are as wide as
#: the period: a slow sweep's is flat over tens of samples).
FREQ_SMOOTH = 1.0 / 64
#: A spectrogram resolves a sweep into ~sqrt(B T) cells in time and in frequency at best: the
#: power fold wants at least 10 of each (its smeared ends must not weigh on the slopes).
POWER_MIN_BT = 100.0
#: Step fold (`sweep_fold_step`): the lag of the product x[n+L] x*[n] turns its phase by at most
#: this many cycles for a frequency at the edge of the band (mixed to its centre) ...
STEP_MAX_TURN = 0.4
#: ... and spans at most this share of the period (it smears a reset or turn over as much).
STEP_MAX_LAG_SHARE = 1.0 / 16
#: ... and its lines (exactly at k / T) are searched within this share of 1/T of the rough
#: period's, stand LINE_RATIO over the median of its spectrum, up to this many harmonics.
STEP_SEARCH = 0.1
STEP_MAX_HARMONICS = 8
#: A sweep's band spans at least this many lines of its comb (1/T apart): a periodic frequency
#: swing narrower than that is a carrier with sidebands (FM of a small index; FSK data folded on
#: a bit period), not a chirp.
STEP_MIN_BT = 2.0
#: Fewest samples a period (its ramp must span several products of the lag, 1 sample at least).
STEP_MIN_SAMPLES = 4
#: Most samples of the snippet the lag product is taken over (bounded work per classification).
STEP_MAX_SAMPLES = 1 << 18
#: The strongest line's period and its multiples up to this are folded.
STEP_FREE_MULTIPLES = 4
#: Its straight pieces must fit within this share of the span (noise at -5 dB in band leaves
#: ~0.02 over a few hundred thousand samples; tones beating trace no straight line: ~0.1 and more).
STEP_MAX_RESIDUAL = 0.06


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
        out["steady"] = _steadiness(amp ** 2, lag)
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
    slopes, lens, resid, mids, signs = [], [], [], [], []
    for idx, full in pieces:
        if idx.size < MIN_PIECE_BINS:
            return None
        x = np.arange(idx.size, dtype=np.float64)
        coef = np.polyfit(x, fi[idx], 1)
        slopes.append(abs(float(coef[0])))
        signs.append(float(coef[0]) > 0)
        lens.append(float(full))
        resid.append(float(np.std(fi[idx] - np.polyval(coef, x))))
        mids.append(float(np.polyval(coef, 0.5 * (idx.size - 1))))
    residual = max(resid) / span
    if residual > MAX_RESIDUAL or (shape == "triangle" and signs[0] == signs[1]):
        # (a triangle goes up, then down: two pieces sloping the same way are a sawtooth folded
        # on twice its period)
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
    starts = np.arange(0, n - nf, hop)
    # phase bins: as fine as the frames per period allow, and no more than the frames in y fill
    # with POWER_MIN_FRAMES_PER_BIN each (a snippet of a few long periods: 128 bins of a ramp
    # still trace its straight pieces, where 256 would leave a bin short of frames)
    most = min(spp / hop, starts.size / POWER_MIN_FRAMES_PER_BIN)
    bins = int(min(POWER_MAX_BINS, 2 ** math.floor(math.log2(most)))) if most >= 1 else 0
    if bins < FOLD_MIN_BINS // 4:
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


def frequency_period(y: np.ndarray, rate_hz: float, min_lag: int, *, band_hz: float | None = None) -> float | None:
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
    gives a peak below FREQ_PERIOD_SIGMAS / sqrt(n). With `band_hz` (the band y holds), lags
    still on the central lobe are passed over (a slow sweep's: periods of milliseconds). The
    period may lie up to FREQ_FAR_LAG of the snippet on (three periods in it).
    """
    n = y.shape[0] - 1
    max_lag = n // 4
    if n < 1024 or not 2 <= min_lag < max_lag - 4:
        return None
    z = np.angle(y[1:] * np.conj(y[:-1])).astype(np.float64)
    z -= z.mean()
    far = int(n * FREQ_FAR_LAG)  # (the period itself may lie past max_lag: a slow sweep's)
    nfft = sfft.next_fast_len(n + far + 1, real=True)
    Z = sfft.rfft(z, nfft, workers=2)
    r = sfft.irfft(Z.real ** 2 + Z.imag ** 2, nfft, workers=2)[:far + 1]
    if not r[0] > 0:
        return None
    r = np.maximum(r / r[0], 0.0)
    if band_hz is not None and band_hz > 0:
        # past the central lobe: a frequency that repeats decorrelates first (a sawtooth's to
        # half its lobe a tenth of its period on, a triangle's too); a slow sweep's lobe, wider
        # than min_lag, would otherwise give its own flank as the highest peak. Traced from
        # FREQ_LOBE_BANDS / band on (shorter lags hold the band-limited noise's own correlation)
        l0 = min(math.ceil(FREQ_LOBE_BANDS * rate_hz / band_hz), far - 4)
        if r[l0] > 0:
            drop = np.flatnonzero(r[l0:] <= FREQ_LOBE_DROP * r[l0])
            if drop.size == 0 or l0 + drop[0] >= far - 4:
                return None  # it never decorrelates: no period
            min_lag = max(min_lag, l0 + int(drop[0]))
    seg = r[min_lag:]
    top = float(seg.max())
    if top * math.sqrt(n) < FREQ_PERIOD_SIGMAS:
        return None
    # the highest peak is at some multiple of the period: the period is the shortest of its
    # whole fractions where the correlation stands as high (within FREQ_TOP_SHARE)
    i = min_lag + int(np.argmax(seg))
    if i >= far - 1:
        return None  # (still rising at the last lag: no peak)
    for k in range(i // min_lag, 1, -1):
        a = int(i / k) - 3
        j = a + int(np.argmax(r[a:a + 8]))
        if a < j < a + 7 and j >= min_lag and r[j] >= FREQ_TOP_SHARE * top:
            i = j  # (a peak inside the window, not the flank of one beside it)
            break
    per = i + _vertex(r, i)
    # the peaks are as wide as the period (the frequency decorrelates linearly with the offset
    # from a multiple of it: a cusp of slope ~6/T at a sawtooth's): averaged over FREQ_SMOOTH of
    # the period, their noise falls and their centre stays (a slow sweep's, flat over tens of
    # samples, would otherwise be found at a noise ripple of its top)
    k = 2 * int(0.5 * per * FREQ_SMOOTH) + 1
    if k >= 3:
        r = uniform_filter1d(r, k, mode="nearest")
        # (located on the mean product over the overlap: r's taper (n - lag) / n would pull a
        # round peak, a triangle's, short by ~T^2 / 12 n)
        a = max(min_lag, int(per) - k)
        u = r[a:int(per) + k + 1] / (n - np.arange(a, a + r[a:int(per) + k + 1].shape[0]))
        j = int(np.argmax(u))
        i = a + j
        per = i + _vertex(u, j)
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


def _lag_product(y: np.ndarray, rate_hz: float, centre_hz: float, width_hz: float,
                 period_s: float) -> tuple[np.ndarray, int]:
    """(d, L): y mixed down by centre_hz, times itself L samples earlier, conjugated: d[n] =
    z[n+L] z*[n]. L is as long as lets a frequency at the band's edge turn the phase by at most
    STEP_MAX_TURN cycles, and at most STEP_MAX_LAG_SHARE of the period (the product averages the
    frequency over its lag)."""
    n = y.shape[0]
    z = y * np.exp(-2j * np.pi * (centre_hz / rate_hz) * np.arange(n))
    L = _lag_product_lag(rate_hz, width_hz, period_s)
    return z[L:] * np.conj(z[:-L]), L


def _lag_product_lag(rate_hz: float, width_hz: float, period_s: float) -> int:
    """The lag of `_lag_product` (samples)."""
    return max(1, min(int(STEP_MAX_TURN * rate_hz / max(0.5 * width_hz, 1.0)),
                      int(STEP_MAX_LAG_SHARE * period_s * rate_hz)))


def step_lines_period(d: np.ndarray, rate_hz: float, period_s: float | None, band_hz: float,
                      min_period_s: float = 0.0, max_period_s: float = math.inf) -> float | None:
    """Period (s) of a lag product d (`_lag_product`) from its spectrum's lines, or None.

    A sweep's instantaneous frequency repeats every T whatever its carrier phase does (phase noise,
    drift, a generator accumulating phase on its own clock), so the lag product, which keeps only
    the phase turned over L samples, is periodic: its spectrum is lines exactly at k / T, with no
    offset and no line width from the carrier. With `period_s` (a rough period) the strongest
    line near k / period_s (within STEP_SEARCH of it, k up to STEP_FREE_MULTIPLES) is taken;
    without, the strongest line of a period between min_period_s and max_period_s (and a quarter
    of d): the fundamental, or a harmonic (`sweep_fold_step` tries multiples of its period).
    Its harmonics that stand out refine T by least squares through 0 Hz. The lines stand over
    the median of the product's spectrum within +-band_hz (the product of a signal band_hz
    wide: 0 beyond twice that).
    """
    n = d.shape[0]
    if n < 1024:
        return None
    p = np.abs(sfft.fft(d * np.hanning(n), workers=2)) ** 2
    f = sfft.fftfreq(n, 1.0 / rate_hz)
    af = np.abs(f)
    floor = float(np.median(p[af <= band_hz]))
    if not floor > 0:
        return None
    i = -1
    if period_s is not None:
        # the rough period may be a multiple of the true one (|R| collapses at a period of no
        # whole number of samples): the strongest line near k / period_s
        for k in range(1, STEP_FREE_MULTIPLES + 1):
            cand = np.flatnonzero(np.abs(af * period_s - k) <= STEP_SEARCH * k)
            if cand.size:
                j = int(cand[np.argmax(p[cand])])
                if p[j] > LINE_RATIO * floor and (i < 0 or p[j] > p[i]):
                    i = j
    else:
        f_max = 1.0 / min_period_s if min_period_s > 0 else 0.5 * rate_hz
        cand = np.flatnonzero((af >= max(4.0 * rate_hz / n, 1.0 / max_period_s)) & (af <= f_max))
        if cand.size:
            i = int(cand[np.argmax(p[cand])])
    if i <= 0 or i >= n - 1 or not p[i] > LINE_RATIO * floor:
        return None
    f1 = abs(float(f[i]) + _vertex(np.log(p), i) * rate_hz / n)
    ks, fs = [], []
    for k in range(-STEP_MAX_HARMONICS, STEP_MAX_HARMONICS + 1):
        if k == 0 or abs(k * f1) >= 0.5 * rate_hz:
            continue
        j = round(k * f1 * n / rate_hz) % n
        w = max(2, int(0.01 * abs(k) * f1 * n / rate_hz))
        idx = (j + np.arange(-w, w + 1)) % n
        m = int(idx[np.argmax(p[idx])])
        if p[m] > LINE_RATIO * floor and 0 < m < n - 1:
            ks.append(k)
            fs.append(float(f[m]) + _vertex(np.log(p), m) * rate_hz / n)
    if not ks:
        return None
    ks_, fs_ = np.asarray(ks, dtype=np.float64), np.asarray(fs)
    slope = float(np.dot(ks_, fs_) / np.dot(ks_, ks_))
    return 1.0 / slope if slope > 0 else None


def sweep_fold_step(y: np.ndarray, rate_hz: float, period_s: float | None, lo_hz: float,
                    hi_hz: float, *, noise_corr=None, min_period_s: float = 0.0,
                    max_period_s: float = math.inf, pass_hz: float = 0.0) -> dict | None:
    """Shape, rate (Hz/s), period (s) and swept band (Hz) of a fast periodic sweep in y from its
    lag product folded on its period; None where y holds no such sweep.

    The product z[n+L] z*[n] (z: y mixed to the band's centre) turns by 2 pi f(t) L / fs, the
    instantaneous frequency where the sweep is, whatever its carrier phase did before: a sweep
    whose phase wanders or jumps from period to period (a generator's phase noise; one that
    accumulates its phase on its own clock) folds into its frequency curve over one period,
    straight pieces between a sawtooth's reset or a triangle's turns, where the coherent fold
    of the samples themselves (`sweep_fold`) smears. Its folded magnitude is the sweep's power
    at each phase: steady for a sweep, while tones 1/T apart beat through it. The noise's own
    lag-L correlation (`noise_corr(L, centre_hz)`, complex: a band-filtered noise correlates
    over short lags) is taken off each bin's mean. The period is refined on the product's lines
    (`step_lines_period`; `period_s` rough, or None to find it). `pass_hz`: the width of the
    filter y went through, where wider than the band read (its time resolution).
    """
    width = hi_hz - lo_hz
    if not width > 0 or y.shape[0] < 1024:
        return None
    # (the period's relative precision from its lines does not depend on the length: the fold
    # drifts by a like share of a period however many periods it holds; a longer stretch only
    # averages more noise)
    y = y[:STEP_MAX_SAMPLES]
    centre = 0.5 * (lo_hz + hi_hz)
    # (no rough period: its lines are looked for on the one-sample product, which any period of
    # 8 samples or more keeps)
    d, L = _lag_product(y, rate_hz, centre, width, period_s if period_s is not None else 8.0 / rate_hz)
    per = step_lines_period(d, rate_hz, period_s, width, min_period_s, max_period_s)
    if per is None:
        return None
    # the strongest line may be a harmonic (a period of p / 2 samples also repeats every p
    # samples, aliased): the shortest multiple of its period that folds into a sweep
    for k in range(1, STEP_FREE_MULTIPLES + 1):
        if k * per * rate_hz < STEP_MIN_SAMPLES or k * per > max_period_s:
            continue
        if _lag_product_lag(rate_hz, width, k * per) != L:
            d, L = _lag_product(y, rate_hz, centre, width, k * per)
        out = _step_fold_at(d, L, k * per, rate_hz, centre, width, noise_corr, pass_hz)
        if out is not None:
            return out
    return None


def _phase_bins(n: int, spp: float, offset: float) -> tuple[np.ndarray, int] | None:
    """(phase bin of each of n samples, bins) of a fold on a period of spp samples (phase 0 at
    sample -offset), FOLD_MIN_BINS bins; None where too few samples, or some bin gets none."""
    bins = FOLD_MIN_BINS
    if n < FOLD_MIN_COUNT * bins:
        return None
    ph = ((np.arange(n) + offset) / spp) % 1.0
    near = Fraction(spp).limit_denominator(bins)
    if near.numerator <= bins and n * abs(1.0 / spp - 1.0 / near) < 1.0 / near.numerator:
        # p / q samples a period (a whole, half, ... number): the snippet visits p phases only,
        # 1/p apart, drifting less than one of them: one bin each
        bins = near.numerator
        idx = np.round(ph * bins).astype(np.int64) % bins
    else:
        idx = np.minimum((ph * bins).astype(np.int64), bins - 1)
    if int(np.count_nonzero(np.bincount(idx, minlength=bins))) < bins:
        return None
    return idx, bins


def _fold_product(d: np.ndarray, L: int, per: float, rate_hz: float, centre: float,
                  noise_corr) -> tuple[np.ndarray, np.ndarray] | None:
    """(instantaneous frequency (Hz), power) over one period per (s) in phase bins: the lag
    product d (lag L, mixed down by `centre`) folded on it, the noise's own correlation taken off
    each bin's mean; None where too few samples, or some bin gets none."""
    pb = _phase_bins(d.shape[0], per * rate_hz, 0.5 * L)
    if pb is None:
        return None
    idx, bins = pb
    cnt = np.maximum(np.bincount(idx, minlength=bins), 1)
    tm = (np.bincount(idx, weights=d.real, minlength=bins)
          + 1j * np.bincount(idx, weights=d.imag, minlength=bins)) / cnt
    if noise_corr is not None:
        tm = tm - noise_corr(L, centre)
    return centre + np.angle(tm) * rate_hz / (2 * np.pi * L), np.abs(tm)


def _step_fold_at(d: np.ndarray, L: int, per: float, rate_hz: float, centre: float, width: float,
                  noise_corr, pass_hz: float) -> dict | None:
    """`sweep_fold_step`'s fold of the lag product d (lag L) on the period per (s)."""
    folded = _fold_product(d, L, per, rate_hz, centre, noise_corr)
    if folded is None:
        return None
    fi, amp = folded
    bins = fi.shape[0]
    spp = per * rate_hz
    # a reset or turn is smeared over the lag and over 1/B (the band's time resolution)
    lag_bins = L * bins / spp
    trim = math.ceil(lag_bins) + math.ceil(TRIM_BT * bins / max(max(width, pass_hz) * per, 1.0))
    fit = _fit_pieces(fi, amp, max(1, round(0.5 * lag_bins)), trim)
    if fit is None or fit[2] > STEP_MAX_RESIDUAL:
        return None
    out = _sweep(fit, bins, per, 0)
    if out["bandwidth_hz"] * per < STEP_MIN_BT:
        return None  # it swings across less than two lines of its comb: a carrier's small FM
    out["power"] = float(np.median(amp))
    out["steady"] = _steadiness(amp, max(1, round(0.5 * lag_bins)))
    return out


def step_fold_swing(y: np.ndarray, rate_hz: float, period_s: float, lo_hz: float, hi_hz: float, *,
                    noise: float, pass_hz: float) -> float | None:
    """Lowest over highest of y's power (less `noise`, the noise power y holds) folded on
    period_s, refined on its lag product's lines (`step_lines_period`) to the whole multiple of
    their period nearest it, and smoothed over y's time resolution (1 / `pass_hz`, the width y
    was filtered to); None where the product shows no lines or the fold has too few samples.

    A sweep's power at each phase of its period is its constant power (times the receiver's gain
    where it is: flat to a fraction of a dB across a narrow band): ~1. Tones on together beat:
    the power of their sum swings with their relative phases however these are set (three
    tones, the outer two 5.5 dB under the middle one, in the FM-like phases that keep their
    kappa lowest: 1 to 1 + 4 a^2 = 2.1). The fold averages the noise out where the envelope's
    kappa keeps it. A multiple of the period folds a sweep as steadily, while a fraction of it
    (a harmonic line taken for the fundamental) would overlay different phases: hence the
    multiple nearest the period the |R| or fold found.
    """
    width = hi_hz - lo_hz
    if not (width > 0 and period_s > 0 and pass_hz > 0) or y.shape[0] < 1024:
        return None
    y = y[:STEP_MAX_SAMPLES]
    d, _ = _lag_product(y, rate_hz, 0.5 * (lo_hz + hi_hz), width, period_s)
    per = step_lines_period(d, rate_hz, period_s, width)
    if per is None:
        return None
    per *= max(1, round(period_s / per))
    pb = _phase_bins(y.shape[0], per * rate_hz, 0.0)
    if pb is None:
        return None
    idx, bins = pb
    e = y.real.astype(np.float64) ** 2 + y.imag.astype(np.float64) ** 2
    power = np.bincount(idx, weights=e, minlength=bins) / np.maximum(np.bincount(idx, minlength=bins), 1)
    sm = _smooth(power - noise, max(1, round(bins / (pass_hz * per))))
    return float(sm.min() / sm.max()) if sm.max() > 0 else None


def _steadiness(power: np.ndarray, smooth: int) -> float:
    """Lowest over median of a folded power (circularly smoothed over `smooth` bins)."""
    sm = _smooth(power, smooth)
    med = float(np.median(sm))
    return float(sm.min()) / med if med > 0 else 0.0


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
