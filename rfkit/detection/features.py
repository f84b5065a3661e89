"""Physical features of one emission, from its raw IQ snippet and its spectrogram rows.

Units: powers are linear (full scale 1.0), times s, frequencies Hz (offsets from the centre).

* `band_filter`: the emission alone, by masking one long FFT of the snippet to its band.
* `envelope_kappa`: noise-corrected normalised fourth moment of the envelope,
  kappa = E|s|^4 / (E|s|^2)^2, with E|y|^4 = E|s|^4 + 4 S N + 2 N^2 for y = s + circular Gaussian
  noise of power N. kappa = 1 for a constant envelope (CW, chirp), 2 for Gaussian noise (also
  OFDM), 1/d for an on/off carrier with duty d, 2/d for gated noise.
* `pulse_train`: on/off analysis of a power series (PRF by a straight-line fit of the pulse
  starts, duty from the mean power over the on-level, pulse widths and PRI spreads).
* `autocorr`: |R(tau)|/R(0) of the band signal from the same FFT (Wiener-Khinchin): a periodic
  waveform (a repeating sweep) peaks at its period; OFDM peaks once at its useful-symbol time
  (the cyclic prefix repeats the symbol's tail), with a height of at most CP/(Tu+CP) <= 0.25.
* `chirp_rate`: second-order phase difference x[n] x*[n-L]^2 x[n-2L] = |x|^4 exp(j 2 pi R L^2/fs^2)
  for a linear sweep of rate R; its mean over the snippet is unbiased in circular noise.
* `line_track`: peak frequency per spectrogram row and straight-line (saw/triangle) fits.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import scipy.fft as sfft
from scipy import ndimage

__all__ = [
    "PulseTrain",
    "autocorr",
    "band_filter",
    "channel_activity",
    "chirp_rate",
    "envelope_kappa",
    "envelope_series",
    "lag_products",
    "ofdm_lag",
    "periodic_lag",
    "prefix_steadiness",
    "pulse_fold",
    "pulse_train",
    "sweep_track",
]

#: A regular train spends at most this share of its folded period in flat intermediate plateaus
#: (DCF77's 100/200 ms dips: ~10 %; a keyed jammer: 0, its edges are ramps).
SPREAD_MAX = 0.05
#: Beyond its edges, a regular train may spend this much of its period at intermediate levels
#: (a sweep passing through the receiver's roll-off ramps in and out) before it counts as spread.
FUZZ_ALLOWANCE = 0.1
#: A train must be present in this share of the stretches (PERSISTENCE_CHUNKS) of its series.
PERSISTENCE_MIN = 0.8
PERSISTENCE_CHUNKS = 8
#: The cyclic-prefix correlation is read in this many stretches of the snippet, those whose
#: band power is at least PREFIX_ON times the noise (the emission is on there).
PREFIX_CHUNKS = 8
PREFIX_ON = 1.5
#: A train's first and last FILL_RUN periods in a row that hold their pulse mark its life in a fold.
FILL_RUN = 3
#: Smallest number of whole pulses for a pulse train.
MIN_PULSES = 4
#: A pulse train's PRIs must lie within this relative spread of their median (fraction).
PRI_TOLERANCE = 0.1
#: On/off contrast: the off level must sit below this fraction of the on level (above noise).
OFF_RATIO_MAX = 0.15
#: Relative error of the band's noise reference (the floor estimate's, ~0.1): a fold's off level
#: within it of the noise is at the noise, however weak the train's on level (a weak keyed band,
#: on a fraction of the noise above it, must not read as riding on a steady emission because the
#: reference is a few per cent low: an uneven ADC, a ripple the reference smooths).
FLOOR_ERROR = 0.1
#: ... but however weak the train, its off level stands at most this share of the way up to its
#: on level (a fold whose "off" is halfway up is the noise's own fluctuation, not keying).
OFF_RATIO_FLOOR_MAX = 0.3
#: Blocks of the snippet whose envelope moments are taken apart (median over blocks) ...
KAPPA_BLOCKS = 16
#: ... among those holding at least this share of the strongest block's signal power.
KAPPA_LIVE = 0.25
#: Share of the band over which the spectrum is tapered at each edge before autocorrelation.
TAPER = 0.1
#: Prominent |R| peaks examined for an isolated cyclic-prefix peak, and the largest |R| near
#: twice the lag (relative) for a peak to count as isolated.
OFDM_CANDIDATES = 8
OFDM_REPEAT_MAX = 0.4
#: Largest whole number of periods a fold's first lag may span and still be traced back to the
#: period (`pulse_fold`): the noisy autocorrelation of a train of narrow pulses (a low duty)
#: may score best at a multiple of its period, seven or more of them.
SUBHARMONIC_MAX = 8
#: Most periods folded together.
FOLD_MAX_PERIODS = 512
#: A period's autocorrelation peak must exceed this many standard errors (1/sqrt(n)) ...
FOLD_SIGMAS = 6.0
#: A slow sweep's straight pieces each cross at least this share of its span.
SWEEP_COVER = 0.3
#: Longest frame of the channel-activity analysis, s (half of a 1 ms dwell).
MAX_FRAME_S = 0.5e-3
#: Pulses of one folded profile count as evenly spaced when their spacings and widths lie within
#: this share of the mean spacing (a fold on k periods of a keyer shows k pulses alike).
EVEN_SPACING = 0.1
#: Per-point SNR (after averaging) wanted from an envelope series.
ENVELOPE_SNR = 4.0


def snippet_fft(x: np.ndarray) -> np.ndarray:
    """The FFT (complex64, length next_fast_len) of a snippet less its mean, for `band_filter`."""
    nfft = sfft.next_fast_len(x.shape[0])
    return sfft.fft(x.astype(np.complex64) - np.mean(x), nfft, workers=2)


_FREQS: dict = {}


def _fft_freqs(nfft: int, rate_hz: float) -> np.ndarray:
    """`fftfreq(nfft, 1 / rate_hz)` (Hz), kept for the last few sizes (read-only)."""
    key = (nfft, rate_hz)
    f = _FREQS.get(key)
    if f is None:
        if len(_FREQS) >= 4:
            _FREQS.clear()
        f = sfft.fftfreq(nfft, 1.0 / rate_hz)
        f.flags.writeable = False
        _FREQS[key] = f
    return f


def band_filter(x: np.ndarray, rate_hz: float, lo_hz: float, hi_hz: float, *, notch=(), X=None):
    """(y, spectrum, nfft): x masked to [lo_hz, hi_hz] (offsets) through one FFT; |X|^2 of the band.

    y is complex128 of x's length; spectrum is float64[nfft] of the band (FFT order, others 0),
    its edges tapered (`TAPER`) for autocorrelation. `notch` lists (lo_hz, hi_hz) stretches
    removed from the band. `X` is the snippet's `snippet_fft`, where already at hand.
    """
    n = x.shape[0]
    if X is None:
        X = snippet_fft(x)
    nfft = X.shape[0]
    f = _fft_freqs(nfft, float(rate_hz))
    keep = (f >= lo_hz) & (f <= hi_hz)
    for a, b in notch:  # other emissions inside the band (a floor rise around a broadcast)
        keep &= ~((f >= a) & (f <= b))
    idx = np.flatnonzero(keep)
    Xb = X[idx]
    Y = np.zeros_like(X)
    Y[idx] = Xb
    y = sfft.ifft(Y, workers=2)[:n]
    # the power spectrum for autocorrelations: edges tapered (raised cosine over TAPER of the
    # band) so that the brick wall's sinc side lobes, 1/(pi B tau), do not pose as structure
    # (computed on the pass band only: it is 0 elsewhere)
    pb = Xb.real ** 2 + Xb.imag ** 2
    fb = f[idx]
    width = max(hi_hz - lo_hz, 1e-9)
    d = np.minimum(fb - lo_hz, hi_hz - fb)
    # (only the edges: elsewhere u = 1 and the factor is exactly 1)
    edge = np.flatnonzero(d < TAPER * width)
    u = np.clip(d[edge] / (TAPER * width), 0.0, 1.0)
    pb[edge] *= ((0.5 - 0.5 * np.cos(np.pi * u)) ** 2).astype(np.float32)
    p = np.zeros(nfft, dtype=pb.dtype)
    p[idx] = pb
    return y, p, nfft


#: (envelope_kappa) A median block this many robust spreads above zero holds a steady emission.
KAPPA_STEADY = 5.0


def envelope_kappa(e: np.ndarray, noise: float, *, blocks: int = KAPPA_BLOCKS) -> tuple[float, float]:
    """(kappa, S): noise-corrected E|s|^4/(E|s|^2)^2 and the signal power S, from e = |y|^2.

    The fourth moment is taken per block and the median kept over the blocks where the signal is
    present, so a strong packet that falls into the snippet does not pose as a fluctuating
    envelope (and silent blocks do not divide by ~0). Where most blocks hold a steady level (a
    stationary emission: its median block stands KAPPA_STEADY robust spreads clear of zero), the
    blocks at that level are where it is present, however many hold packets far above it (short
    packets, a beacon every ~0.1 s, fall into a few blocks of any snippet; the sustained emission
    under them is what is judged, not the packets).
    """
    n = e.shape[0]
    b = blocks if n >= 64 * blocks else 1
    k = n // b
    eb = e[: k * b].reshape(b, k).astype(np.float64)
    m1 = eb.mean(axis=1)
    m2 = (eb * eb).mean(axis=1)
    s_all = float(np.mean(m1)) - noise
    sb = m1 - noise
    med = float(np.median(sb))
    if b > 1 and med > KAPPA_STEADY * 1.4826 * float(np.median(np.abs(sb - med))):
        live = (sb > KAPPA_LIVE * med) & (sb < med / KAPPA_LIVE)  # the steady emission's blocks
    else:
        live = sb > KAPPA_LIVE * max(float(np.max(sb)), 0.0)  # blocks where the signal is present
    if live.sum() >= 3:
        kap = (m2[live] - 4 * sb[live] * noise - 2 * noise * noise) / (sb[live] * sb[live])
        k = float(np.median(kap))
    elif s_all > 0:
        mm2 = float(np.mean(m2))
        k = (mm2 - 4 * s_all * noise - 2 * noise * noise) / (s_all * s_all)
    else:
        return math.nan, s_all
    return (k if k > 0 else math.nan), s_all


def envelope_series(e: np.ndarray, rate_hz: float, snr: float, band_hz: float, *,
                    max_window: int | None = None) -> tuple[np.ndarray, float, int]:
    """(w, dt, L): block means of e over L samples, L the power of two giving ENVELOPE_SNR per point.

    Band-filtered noise stays correlated over ~rate/band samples, so L samples hold about
    L*band/rate independent values; the per-point SNR is snr * sqrt(that).
    """
    snr = max(snr, 1e-3)
    indep = rate_hz / max(band_hz, 1.0)
    need = (ENVELOPE_SNR / snr) ** 2 * indep
    L = 1 << max(0, math.ceil(math.log2(max(need, 1.0))))
    if max_window is not None:
        L = min(L, max_window)
    L = max(1, min(L, e.shape[0] // 16))
    k = e.shape[0] // L
    w = e[: k * L].reshape(k, L).mean(axis=1)
    return w, L / rate_hz, L


@dataclass(frozen=True)
class PulseTrain:
    """A periodic on/off train: rate, duty, width, spreads, how many pulses, off/on contrast."""

    prf_hz: float
    duty: float
    width_s: float
    pri_spread: float  # fraction of PRIs off the median by more than PRI_TOLERANCE
    width_cv: float  # robust spread of the pulse widths / their median
    gap_cv: float  # robust spread of the off times / their median (keyed data has two or more)
    n_pulses: int
    off_ratio: float  # (off level - noise) / (on level - noise)
    period_points: float = 0.0  # period in points of the folded series (pulse_fold)
    persistence: float = 1.0  # share of the series' stretches in which the train is present
    on_phases: np.ndarray | None = None  # bool per fold bin: the pulse is on there
    fill: float = 1.0  # share of the folded periods that hold their pulse (pulse_fold)
    # (periods judged, empty ones before the train's first run of held pulses, after its last):
    # a train that began or ended inside the folded series (pulse_fold)
    held_gaps: tuple[int, int, int] = (0, 0, 0)
    # the noise reference's own error (FLOOR_ERROR of the noise) as a share of the on level over
    # the noise: an off level within it of the noise is at the noise (pulse_fold)
    floor_share: float = 0.0

    @property
    def regular(self) -> bool:
        return (self.n_pulses >= MIN_PULSES and self.pri_spread <= 0.25 and self.width_cv <= SPREAD_MAX
                and self.gap_cv <= SPREAD_MAX and self.persistence >= PERSISTENCE_MIN
                and self.fill >= PERSISTENCE_MIN and self.off_ratio - self.floor_share <= OFF_RATIO_MAX
                and self.off_ratio <= OFF_RATIO_FLOOR_MAX and 0.02 <= self.duty <= 0.97)


def pulse_train(w: np.ndarray, dt: float, noise: float) -> PulseTrain | None:
    """The on/off pulse train in a power series `w` (step dt s) above a noise level, or None."""
    if w.shape[0] < 2 * MIN_PULSES + 2:
        return None
    hi = float(np.percentile(w, 97))
    lo = float(np.percentile(w, 3))
    if hi - max(lo, noise) <= 0:
        return None
    thr = 0.5 * (hi + max(lo, noise))
    b = w > thr
    d = np.diff(b.astype(np.int8))
    starts = np.flatnonzero(d == 1) + 1
    ends = np.flatnonzero(d == -1) + 1
    if starts.size < 2 or ends.size < 1:
        return None
    ends = ends[ends > starts[0]]
    n = min(starts.size, ends.size)
    if n < MIN_PULSES:
        return None
    starts, ends = starts[:n], ends[:n]
    widths = (ends - starts).astype(np.float64)
    pri = np.diff(starts).astype(np.float64)
    med = float(np.median(pri))
    if med <= 0:
        return None
    spread = float(np.mean(np.abs(pri - med) > PRI_TOLERANCE * med + 1.0))
    wmed = float(np.median(widths))
    wcv = float(1.4826 * np.median(np.abs(widths - wmed)) / max(wmed, 1.0))
    gaps = (starts[1:] - ends[:-1]).astype(np.float64)
    gmed = float(np.median(gaps)) if gaps.size else 0.0
    gcv = float(max(np.percentile(np.abs(gaps - gmed), 75), 0.0) / max(gmed, 1.0)) if gaps.size else 0.0
    # PRF from a straight line through the starts of the regular pulses (index by PRI multiples)
    idx = np.concatenate([[0], np.cumsum(np.maximum(1, np.round(pri / med)))])
    if idx[-1] >= 1:
        slope = np.polyfit(idx, starts.astype(np.float64), 1)[0]
    else:
        slope = med
    prf = 1.0 / (slope * dt)
    on = w[b]
    off = w[~b]
    on_level = float(np.median(on)) if on.size else hi
    off_level = float(np.median(off)) if off.size else lo
    base = min(max(noise, 0.0), off_level)
    if on_level - base <= 0:
        return None
    if (off_level - base) > 0.5 * (on_level - base):
        return None  # no on/off contrast: fluctuations of a steady emission
    duty = float(np.clip((np.mean(w) - base) / (on_level - base), 0.0, 1.0))
    off_ratio = max(0.0, (off_level - base) / (on_level - base))
    return PulseTrain(prf_hz=prf, duty=duty, width_s=duty / prf, pri_spread=spread, width_cv=wcv,
                      gap_cv=gcv, n_pulses=int(n), off_ratio=off_ratio)


def pulse_fold(w: np.ndarray, dt: float, noise: float, *, rise_s: float = 0.0) -> PulseTrain | None:
    """A periodic on/off train in a power series, by epoch folding (synchronous averaging).

    The period comes from the strongest comb of the series' autocorrelation peaks (refined on
    ever higher multiples), then from the fold with the most contrast within +-1 period over
    the span; folding over
    all periods averages the noise away, so trains far below the per-point SNR are measured.
    The folded profile gives the on and off levels (medians of the bins above and below the
    midpoint), the duty (mean
    power over the on level, above the off level) and the regularity: a keyed train has only
    its two edge bins between 20 % and 80 % of the swing, data keying (two gap lengths) or a
    sinusoidal beat (two tones) spends much of the period there. `rise_s` is the smoothing of
    the series (1/bandwidth of its filter): each edge takes that long, whatever the keying.
    """
    n = w.shape[0]
    if n < 64:
        return None
    x = w - w.mean()
    if not x.any():  # a constant series holds no train
        return None
    nfft = sfft.next_fast_len(2 * n)
    X = sfft.rfft(x, nfft)
    ac = sfft.irfft(X.real ** 2 + X.imag ** 2, nfft)[: n // 3]
    ac = ac / ac[0]
    neg = np.flatnonzero(ac < 0)
    if neg.size == 0:
        return None
    start = int(neg[0])
    seg = ac[start:]
    if seg.size < 3:
        return None
    floor_ac = max(FOLD_SIGMAS / math.sqrt(n), 0.5 * float(seg.max()) if seg.size else 0.0)
    peaks = np.flatnonzero((seg[1:-1] >= seg[:-2]) & (seg[1:-1] >= seg[2:]) & (seg[1:-1] > floor_ac)) + 1
    if peaks.size == 0 or seg.max() < FOLD_SIGMAS / math.sqrt(n):
        return None
    # the period: the shortest peak lag whose multiples all correlate (harmonic comb sum);
    # a multiple of the period scores as well, a fraction of it does not
    cand = start + peaks[np.argsort(-seg[peaks])[:64]]
    scores = []
    last = ac.shape[0] - 1
    for p in cand:
        # the peak's sub-sample lag: an integer lag's error grows k-fold at the k-th multiple
        # (a period of 24.76 points read as 25 misses its 16th multiple by 4)
        pf = p + _parabola(ac, int(p))
        ks = np.arange(1, max(2, int((last - 1) // pf)) + 1)
        ks = ks[ks * pf < last][:16]
        if ks.size == 0:
            scores.append(-1.0)
            continue
        pos = np.rint(ks * pf).astype(np.int64)
        # the refined lag is still uncertain by ~1/4 point: search wider at higher multiples,
        # never wider than a quarter period (or every candidate would find every peak)
        tol = np.minimum(1 + ks // 4, max(1, int(pf / 4)))
        scores.append(float(np.mean([ac[max(0, c - t):min(last, c + t) + 1].max() for c, t in zip(pos, tol)])))
    scores = np.asarray(scores)
    if scores.max() <= 0:
        return None
    ok = cand[scores >= 0.85 * scores.max()]
    i0 = int(ok.min())
    # a subharmonic (the period a whole number of times too long) correlates as well at
    # every multiple: take the shortest divisor lag that correlates nearly as well
    for d in range(SUBHARMONIC_MAX, 1, -1):
        c = round(i0 / d)
        if c >= 4:
            a, b = max(1, c - 1), min(ac.shape[0] - 2, c + 1)
            j = a + int(np.argmax(ac[a:b + 1]))
            if ac[j] >= 0.8 * ac[i0]:
                i0 = j
                break
    lag = i0 + _parabola(ac, i0)
    if lag < 4:
        return None
    # refine on ever higher multiples (x2 each step keeps the search window +-2 points valid)
    h0 = float(ac[round(lag)])
    m = 2
    while m * lag < ac.shape[0] - 3:
        c = round(m * lag)
        a, b = max(1, c - 2), min(ac.shape[0] - 2, c + 2)
        j = a + int(np.argmax(ac[a:b + 1]))
        if ac[j] < 0.5 * h0:
            break
        lag = (j + _parabola(ac, j)) / m
        m *= 2
    train, mid = _fold_at(w, lag, dt, noise, rise_s)
    if train is None:
        return None
    # a keyer makes one pulse per period: a profile holding k evenly spaced pulses was folded
    # on k periods (a noisy autocorrelation may peak highest at a multiple of the period)
    k = _even_pulses(mid)
    if k >= 2 and lag / k >= 4:
        t2, _ = _fold_at(w, lag / k, dt, noise, rise_s)
        if t2 is not None and t2.regular:
            return t2
    return train


def _fold_at(w: np.ndarray, lag: float, dt: float, noise: float, rise_s: float):
    """(PulseTrain, normalised folded profile) of the series `w` folded on about `lag` points
    (refined within +-1 period over the span), or (None, None)."""
    n = w.shape[0]
    # fold over at most FOLD_MAX_PERIODS periods (a real emitter's period may drift)
    w_all = w
    n = min(n, int(FOLD_MAX_PERIODS * lag))
    w = w[:n]
    periods = n / lag
    if periods < MIN_PULSES:
        return None, None
    nb = int(np.clip(round(lag), 8, 64))
    idx = np.arange(n, dtype=np.float64)
    best = None
    for f in 1.0 + np.linspace(-1.0, 1.0, 21) / periods if periods >= 6 else (1.0,):
        ph = ((idx / (lag * f)) % 1.0 * nb).astype(np.int64)
        cnt = np.bincount(ph, minlength=nb)
        prof = np.bincount(ph, weights=w, minlength=nb) / np.maximum(cnt, 1)
        var = float(np.var(prof))
        if best is None or var > best[0]:
            best = (var, f, prof)
    _, f, prof = best
    lag *= f
    srt = np.sort(prof)
    off = float(srt[: max(1, nb // 5)].mean())
    on = float(srt[-max(1, nb // 10):].mean())
    # robust levels: the medians of the bins either side of the midpoint
    half = 0.5 * (on + off)
    if (prof > half).any() and (prof <= half).any():
        on, off = float(np.median(prof[prof > half])), float(np.median(prof[prof <= half]))
    base = min(max(noise, 0.0), off)
    if on - base <= 0 or on - off <= 0:
        return None, None
    off_ratio = (off - base) / (on - base)
    duty = float(np.clip((prof.mean() - off) / (on - off), 0.0, 1.0))
    mid = (prof - off) / (on - off)
    # data keying leaves flat plateaus at intermediate levels (DCF77: the 100-200 ms stretch is
    # a dip in some seconds only); the edges of a keyed or swept-through pulse are ramps
    inter = float(np.mean((mid > 0.2) & (mid < 0.8)))
    edge_bins = max(1.0, (rise_s + dt) / (lag * dt) * nb)
    fuzz = max(0.0, inter - 2.0 * edge_bins / nb)
    spread = max(_plateau_share(mid), fuzz - FUZZ_ALLOWANCE)
    # a jammer keeps keying; a device's packet train (OOK bits at a steady rate) comes and goes
    chunks = np.array_split(w_all, PERSISTENCE_CHUNKS) if w_all.shape[0] >= PERSISTENCE_CHUNKS * 2 * lag else [w_all]
    want = off + 0.5 * duty * (on - off)
    persistence = float(np.mean([c.mean() >= want for c in chunks]))
    on_phases = mid >= 0.8
    fill, gaps = _fill(w, lag, nb, on_phases, on, off)
    return PulseTrain(prf_hz=1.0 / (lag * dt), duty=duty, width_s=duty * lag * dt, pri_spread=0.0,
                      width_cv=spread, gap_cv=spread, n_pulses=int(periods), off_ratio=off_ratio,
                      period_points=lag, on_phases=on_phases, persistence=persistence,
                      fill=fill, held_gaps=gaps, floor_share=FLOOR_ERROR * max(noise, 0.0) / (on - base)), mid


def _fill(w: np.ndarray, lag: float, nb: int, on_phases: np.ndarray, on: float,
          off: float) -> tuple[float, tuple[int, int, int]]:
    """(fill, held gaps). Fill: share of the whole periods of `w` (folded on `lag` points into
    `nb` bins), from its first pulse to its last, whose on-phase mean stands above the midpoint
    of the fold's `off` and `on` levels, or within two standard errors below it (the off phases'
    spread over the period's on-phase points): a keyer pulses in every period while it is on;
    packets of devices that happened to fall on a few periods' phase do not. 0 where fewer than
    MIN_PULSES hold one, or none FILL_RUN running. Held gaps: (periods judged, periods before
    the first run none of which holds its pulse, after the last likewise; 0 where one there
    holds it)."""
    k = int(w.shape[0] // lag)
    if k < 1 or not on_phases.any() or on_phases.all():
        return 1.0, (0, 0, 0)
    n = int(k * lag)
    ph = ((np.arange(n) / lag) % 1.0 * nb).astype(np.int64)
    per = (np.arange(n) / lag).astype(np.int64)
    sel = on_phases[ph]
    cnt = np.bincount(per[sel], minlength=k)
    sums = np.bincount(per[sel], weights=w[:n][sel], minlength=k)
    off_w = w[:n][~sel]
    # (no off-phase sample - a fold finer than its bins - gives no spread to judge by: nan, so no
    # period counts as holding its pulse)
    sd = float(np.std(off_w)) if off_w.size else math.nan
    m = sums / np.maximum(cnt, 1)
    full = (m >= 0.5 * (on + off) - 2.0 * sd / np.sqrt(np.maximum(cnt, 1)))[cnt > 0]
    # from the first run of FILL_RUN periods that hold their pulse to the last (before and
    # after them the emission was off: it began or ended in the series)
    from .frontend import segments

    runs = [(a, b) for a, b in segments(full, 0) if b - a + 1 >= FILL_RUN]
    if full.sum() < MIN_PULSES or not runs:
        return 0.0, (0, 0, 0)  # a pulse or two (or scattered ones): no train
    a, b = int(runs[0][0]), int(runs[-1][1]) + 1
    gaps = (int(full.size), 0 if full[:a].any() else a, 0 if full[b:].any() else int(full.size) - b)
    return float(np.mean(full[a:b])), gaps


def _even_pulses(mid: np.ndarray) -> int:
    """How many pulses (runs above half the swing) a circular folded profile holds where they are
    alike and evenly spaced (starts within EVEN_SPACING of the mean spacing, or a bin and a half;
    widths within that of each other); 1 otherwise."""
    nb = mid.shape[0]
    up = mid >= 0.5
    if up.all() or not up.any():
        return 1
    up = np.roll(up, -int(np.argmin(up)))  # begin outside a pulse: runs are then linear
    d = np.diff(np.concatenate([[0], up.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    k = starts.size
    if k < 2:
        return 1
    widths = (ends - starts).astype(np.float64)
    gaps = np.diff(np.concatenate([starts, [starts[0] + nb]])).astype(np.float64)
    tol = max(1.5, EVEN_SPACING * nb / k)
    if np.all(np.abs(gaps - nb / k) <= tol) and float(np.ptp(widths)) <= tol:
        return k
    return 1


def _plateau_share(mid: np.ndarray) -> float:
    """Share of a (circular) folded profile in flat runs (>= 3 bins, spread < 0.2) at
    intermediate levels (0.25..0.75 of the on/off swing)."""
    nb = mid.shape[0]
    inter = (mid > 0.25) & (mid < 0.75)
    if not inter.any() or inter.all():
        return float(inter.all())
    start = int(np.argmin(inter))  # rotate to begin outside a run
    m = np.roll(mid, -start)
    it = np.roll(inter, -start)
    total = 0
    i = 0
    while i < nb:
        if it[i]:
            j = i
            while j + 1 < nb and it[j + 1]:
                j += 1
            run = m[i:j + 1]
            if j - i + 1 >= 3 and run.max() - run.min() < 0.2:
                total += j - i + 1
            i = j + 1
        else:
            i += 1
    return total / nb


def autocorr(spectrum: np.ndarray, max_lag: int) -> np.ndarray:
    """|R(tau)|/R(0) for tau = 0..max_lag from a band power spectrum |X|^2 (FFT order)."""
    r = sfft.ifft(spectrum.astype(np.complex64, copy=False), workers=2)[: max_lag + 1]
    a = np.abs(r)
    return a / a[0] if a[0] > 0 else a


def periodic_lag(ac: np.ndarray, min_lag: int) -> tuple[float, float]:
    """(lag, height) of the first strong peak of |R| past min_lag (sub-sample), or (nan, 0).

    A repeating waveform correlates at its period and every multiple; the first peak within
    half the height of the highest one is the period, refined by parabolic interpolation.
    """
    if ac.shape[0] <= min_lag + 2:
        return math.nan, 0.0
    seg = ac[min_lag:]
    top = float(seg.max())
    if top <= 0:
        return math.nan, 0.0
    # local maxima above half the top
    peaks = np.flatnonzero((seg[1:-1] >= seg[:-2]) & (seg[1:-1] >= seg[2:]) & (seg[1:-1] >= 0.5 * top)) + 1
    if peaks.size == 0:
        return math.nan, 0.0
    i = int(peaks[0])
    lag0 = min_lag + i + _parabola(seg, i)
    height = float(seg[i])
    # refine on the highest multiple of the period that the lags reach: error / m
    m = int((ac.shape[0] - 3) // lag0)
    if m >= 2:
        c = round(m * lag0)
        a, b = max(1, c - 2), min(ac.shape[0] - 2, c + 2)
        j = a + int(np.argmax(ac[a:b + 1]))
        if ac[j] >= 0.5 * height:
            return (j + _parabola(ac, j)) / m, height
    return lag0, height


def _parabola(y: np.ndarray, i: int) -> float:
    """Offset (-0.5..0.5) of the vertex of the parabola through y[i-1], y[i], y[i+1]."""
    if i <= 0 or i >= y.shape[0] - 1:
        return 0.0
    y0, y1, y2 = float(y[i - 1]), float(y[i]), float(y[i + 1])
    den = y0 - 2 * y1 + y2
    return float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den != 0 else 0.0


def ofdm_lag(ac: np.ndarray, min_lag: int, n_eff: float) -> tuple[float, float, float, float]:
    """(lag, height, significance, repeat) of the most significant ISOLATED |R| peak: a cyclic
    prefix's signature.

    The cyclic prefix repeats the end of each OFDM symbol at its start, so |R| peaks at the
    useful-symbol time Tu - and not at 2 Tu. Peaks that recur at twice their lag (a pilot comb,
    a repeating sweep, a keyed train) are structure of another kind. Significance is the
    prominence over both neighbourhoods (64 lags each side) in units of the estimation noise
    1/sqrt(n_eff); `repeat` is |R| near twice the lag over |R| at it.
    """
    if ac.shape[0] <= min_lag + 8:
        return math.nan, 0.0, 0.0, math.nan
    seg = ac[min_lag:]
    side = 64
    pad = np.concatenate([np.full(side, seg[0]), seg, np.full(side, seg[-1])])
    # medians of the side - 3 lags left of each lag (pad[i : i + side - 3]) and right of it
    # (pad[i + side + 4 : i + 2 side + 1]): one running median of that (odd) width, read at
    # both centres (all windows lie inside pad, so the filter's edge mode never matters)
    w = side - 3
    run = ndimage.median_filter(pad, size=w, mode="nearest")
    n = seg.shape[0]
    left = run[w // 2: w // 2 + n]
    right = run[side + 4 + w // 2: side + 4 + w // 2 + n]
    prom = seg - np.maximum(left, right)
    scale = math.sqrt(max(n_eff, 1.0))
    best = (math.nan, 0.0, 0.0, math.nan)
    for i in np.argsort(-prom)[:OFDM_CANDIDATES]:
        lag = min_lag + int(i)
        sig = float(prom[i]) * scale
        if sig <= 0:
            break
        c = 2 * lag
        rep = float(ac[max(0, c - 2):c + 3].max()) / float(seg[i]) if c + 3 < ac.shape[0] else math.nan
        isolated = rep < OFDM_REPEAT_MAX  # (False for NaN)
        if isolated and sig > best[2]:
            best = (float(lag), float(seg[i]), sig, rep)
    if not best[2] > 0:
        i = int(np.argmax(prom))
        c = 2 * (min_lag + i)
        rep = float(ac[max(0, c - 2):c + 3].max()) / float(seg[i]) if c + 3 < ac.shape[0] and seg[i] > 0 else math.nan
        best = (float(min_lag + i), float(seg[i]), float(prom[i]) * scale, rep)
    return best


def prefix_steadiness(y: np.ndarray, lag: int, noise: float, *, chunks: int = PREFIX_CHUNKS) -> float:
    """Median over the snippet's stretches where the band is on of |R(lag)| / R(0), or nan when
    fewer than two stretches are on.

    A cyclic prefix belongs to every OFDM symbol: each on-stretch of an OFDM emission shows the
    same correlation at its useful-symbol time. A peak that comes from a short repeating burst
    inside a longer emission (a chirp-spread packet under a band of noise) shows in one or two
    stretches and leaves the median at the estimation noise.
    """
    L = int(lag)
    n = (y.shape[0] - L) // chunks
    if L < 1 or n < 16:
        return math.nan
    a = y[: chunks * n].reshape(chunks, n)
    b = y[L: L + chunks * n].reshape(chunks, n)
    pa = np.mean(a.real ** 2 + a.imag ** 2, axis=1)
    pb = np.mean(b.real ** 2 + b.imag ** 2, axis=1)
    on = np.minimum(pa, pb) >= PREFIX_ON * noise
    if on.sum() < 2:
        return math.nan
    r = np.abs(np.mean(a[on] * np.conj(b[on]), axis=1)) / np.sqrt(pa[on] * pb[on])
    return float(np.median(r))


def lag_products(y: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    """(d1, d2) of the band signal `y` at lag L: d1[n] = y[n+L] y*[n] (its mean is the signal's
    correlation at L) and the second-order product d2[n] = d1[n+L] d1*[n] = y[n+2L] y*[n+L]^2 y[n]
    (a linear sweep of rate R turns it by 2 pi R L^2 / fs^2; a frequency holding still, by 0)."""
    L = int(lag)
    d1 = y[L:] * np.conj(y[:-L])
    return d1, d1[L:] * np.conj(d1[:-L])


def chirp_rate(y: np.ndarray, rate_hz: float, lag: int) -> tuple[float, float]:
    """(rate_hz_per_s, coherence) from mean(x[n] x*[n-L]^2 x[n-2L]); coherence = |mean|/mean|.|.

    A linear sweep gives a constant phase 2 pi R L^2 / fs^2; a triangle sweep alternates its
    sign, so the mean turns real and `rate` comes out near 0 with coherence cos(phase).
    """
    L = int(lag)
    if L < 1 or y.shape[0] <= 2 * L + 16:
        return math.nan, 0.0
    d2 = lag_products(y, L)[1]
    m = complex(np.mean(d2))
    a = float(np.mean(np.abs(d2)))
    if a <= 0:
        return math.nan, 0.0
    phase = math.atan2(m.imag, m.real)
    return phase * rate_hz * rate_hz / (2 * math.pi * L * L), abs(m) / a


def chirp_rate_folded(y: np.ndarray, rate_hz: float, lag: int, period: float, *,
                      bins: int = 16) -> tuple[float, float]:
    """(|rate_hz_per_s|, coherence) of the second-order phase of `chirp_rate`, folded on a
    sweep's period (`period` samples) into `bins` phase bins, each averaged on its own.

    A triangle's two halves turn the phase opposite ways, so its plain mean cancels; within
    one bin the slope is one, so the coherence of the bins (less each bin's noise bias,
    mean|.|/sqrt(count)) stays. The rate comes from the median |phase| of the coherent bins.
    """
    L = int(lag)
    if L < 1 or y.shape[0] <= 2 * L + 16 * bins or not period > 2 * L:
        return math.nan, 0.0
    d2 = lag_products(y, L)[1]
    a = float(np.mean(np.abs(d2)))
    if a <= 0:
        return math.nan, 0.0
    n = d2.shape[0]
    ph = ((np.arange(n) / period) % 1.0 * bins).astype(np.int64)
    cnt = np.maximum(np.bincount(ph, minlength=bins), 1)
    sums = (np.bincount(ph, weights=d2.real, minlength=bins)
            + 1j * np.bincount(ph, weights=d2.imag, minlength=bins))
    mag = np.maximum(np.abs(sums) / cnt - a / np.sqrt(cnt), 0.0)
    if not mag.any():
        return math.nan, 0.0
    # the median over the coherent bins: a sawtooth's reset and a triangle's turns garble the
    # few bins holding them (2 lags of each period), the rest hold the true slope
    strong = mag >= 0.5 * mag.max()
    phase = float(np.median(np.abs(np.angle(sums[strong]))))
    coherence = float(np.sum(cnt * mag) / (n * a))
    return phase * rate_hz * rate_hz / (2 * math.pi * L * L), coherence


def sweep_track(times_s: np.ndarray, freqs_hz: np.ndarray, span_hz: float) -> dict | None:
    """Fit a slow sweep to a per-row peak-frequency track: shape, rate, period, or None.

    Resets of a sawtooth are jumps of more than half the swept span against the sweep; a
    triangle reverses the sign of its slope. Slopes are least-squares fits between breaks.
    """
    if times_s.shape[0] < 8 or span_hz <= 0:
        return None
    df = np.diff(freqs_hz)
    jumps = np.flatnonzero(np.abs(df) > 0.5 * span_hz)
    cuts = np.concatenate([[0], jumps + 1, [times_s.shape[0]]])
    slopes, lens, firsts = [], [], []
    for a, b in itertools.pairwise(cuts):
        if b - a < 4:
            continue
        t, f = times_s[a:b], freqs_hz[a:b]
        # a triangle inside one run: split where the slope turns
        sgn = np.sign(np.convolve(np.diff(f), np.ones(3), "same"))
        turns = np.flatnonzero(np.diff(sgn) != 0) + 1
        sub = np.concatenate([[0], turns[np.diff(np.concatenate([[0], turns])) >= 4], [b - a]])
        for c, e in itertools.pairwise(sub):
            if e - c < 4:
                continue
            p = np.polyfit(t[c:e], f[c:e], 1)
            resid = f[c:e] - np.polyval(p, t[c:e])
            if np.std(resid) > 0.1 * span_hz:
                continue
            slopes.append(p[0])
            lens.append(e - c)
            firsts.append(t[c])
    if not slopes:
        return None
    slopes = np.asarray(slopes)
    lens = np.asarray(lens)
    pos = slopes > 0
    both = pos.any() and (~pos).any() and min(lens[pos].sum(), lens[~pos].sum()) > 0.25 * lens.sum()
    rate = float(np.average(np.abs(slopes), weights=lens))
    # a sweep moves: each straight piece must cross a good part of the span
    covered = rate * float(np.median(lens)) * float(np.median(np.diff(times_s))) if times_s.size > 1 else 0.0
    if rate <= 0 or covered < SWEEP_COVER * span_hz:
        return None
    shape = "triangle" if both else "sawtooth"
    period = span_hz / rate * (2.0 if shape == "triangle" else 1.0)
    return {"sweep_shape": shape, "sweep_rate_hz_per_s": rate, "sweep_period_s": period,
            "fit_rows": int(lens.sum())}


def frame_channel_powers(P: np.ndarray, rate_hz: float, ch: np.ndarray, widths_hz: np.ndarray | None,
                         spacing_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """(power of each channel in each frame [k, K], bins summed for each channel [K]) from frame
    spectra P [k, nfft] in FFT order: the bins within 1.5 bins of each centre in `ch` (Hz,
    ascending), or half its width in `widths_hz` and a bin, but within 0.45 of `spacing_hz` (the
    closest channels' spacing, or an array: each channel's own); the nearest bin where none is
    that close."""
    nfft = P.shape[1]
    f = sfft.fftfreq(nfft, 1.0 / rate_hz)
    binw = rate_hz / nfft
    pw = np.empty((P.shape[0], ch.size))
    nb = np.empty(ch.size)
    sp = np.broadcast_to(np.asarray(spacing_hz, dtype=np.float64), ch.shape)
    for i, c in enumerate(ch):
        half = 1.5 * binw if widths_hz is None else max(1.5 * binw, 0.5 * widths_hz[i] + binw)
        half = min(half, 0.45 * sp[i]) if ch.size > 1 else half
        sel = np.abs(f - c) <= half
        if not sel.any():
            sel = np.abs(f - c) == np.min(np.abs(f - c))
        pw[:, i] = P[:, sel].sum(axis=1)
        nb[i] = sel.sum()
    return pw, nb


def channel_activity(y: np.ndarray, rate_hz: float, channels_hz: np.ndarray,
                     noise_per_hz: float, signal: float, *,
                     widths_hz: np.ndarray | None = None) -> tuple[float, float, float]:
    """(mean channels on per frame, channel changes per second, share of the frames with
    anything on that have two or more on) in short frames of y.

    Frames resolve the closest two channels with two bins between them, and are long enough
    for a channel holding 1/K of the signal power to stand 10 dB over its bin's noise, but no
    longer than `MAX_FRAME_S` (half the shortest dwell worth resolving); a channel is on in a frame where its power exceeds 4x its noise share and a tenth of the
    strongest channel. A multitone has all its channels on at once; a hopper one at a time.
    """
    order = np.argsort(np.asarray(channels_hz, dtype=np.float64))
    ch = np.asarray(channels_hz, dtype=np.float64)[order]
    wid = None if widths_hz is None or len(widths_hz) != ch.size else np.asarray(widths_hz)[order]
    spacing = float(np.min(np.diff(ch))) if ch.size > 1 else rate_hz
    need_res = 3.0 * rate_hz / max(spacing, 1.0)
    need_snr = 20.0 * noise_per_hz * rate_hz * ch.size / max(signal, 1e-30)
    need = max(need_res, min(need_snr, MAX_FRAME_S * rate_hz), 16.0)
    nfft = 1 << math.ceil(math.log2(need))
    k = y.shape[0] // nfft
    if k < 8:
        return math.nan, math.nan, math.nan
    w = np.hanning(nfft + 1)[:-1]
    Y = sfft.fft(y[: k * nfft].reshape(k, nfft) * w, axis=1, workers=2)
    P = (Y.real ** 2 + Y.imag ** 2) / np.sum(w * w)
    pw, nb = frame_channel_powers(P, rate_hz, ch, wid, spacing)
    # |Y|^2 / sum(w^2) of noise of density N0 (per Hz) is N0 * rate in every bin: a channel
    # of nb bins sums to nb * N0 * rate with a spread of sqrt(nb) of that; on = 4 spreads above
    mu = noise_per_hz * rate_hz
    on = (pw > mu * (nb + 4.0 * np.sqrt(nb))) & (pw > 0.1 * pw.max(axis=1, keepdims=True))
    pw, on = _one_carrier_lobes(ch, pw, on)
    cnt = on.sum(axis=1)
    mean_on = float(cnt.mean())
    active = cnt > 0
    multi = float(np.mean(cnt[active] >= 2)) if active.any() else 0.0
    dom = np.where(on.any(axis=1), np.argmax(pw, axis=1), -1)
    valid = dom[dom >= 0]
    if valid.size < 4:
        return mean_on, math.nan, multi
    # drop one-frame blips, then count changes
    keep = np.ones(valid.size, dtype=bool)
    keep[1:-1] = ~((valid[1:-1] != valid[:-2]) & (valid[1:-1] != valid[2:]))
    v = valid[keep]
    changes = int(np.count_nonzero(np.diff(v) != 0))
    return mean_on, changes / (k * nfft / rate_hz), multi


#: Frames of the channel-turns analysis resolve the closest two channels with this many bins
#: between their centres: each channel's bins (1.5 bins each side) then lie 3 bins or more from
#: the next channel's, where a Hann window leaves no noise correlation between bins.
TURNS_SPACING_BINS = 6.0
#: Fewest frames for the channels' power covariances, and most samples taken (the cost: an FFT).
TURNS_MIN_FRAMES = 16
TURNS_MAX_SAMPLES = 1 << 18


def channel_turns(y: np.ndarray, rate_hz: float, channels_hz: np.ndarray,
                  noise_per_hz: float, *, widths_hz: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(c, sigma, c_all, sigma_all): for each pair of channels (i < j, ascending centres;
    flattened upper triangle) the covariance of their powers across short frames of y over the
    product of their mean excess powers, and the standard error of that ratio; then the same
    over all pairs (their covariances summed over their products summed: a hopper among many
    channels holds each a small share of the time, and only the sum reads it well).

    A hopper's channels take turns: in a frame where one is on the others are off, so
    E[s_i s_j] = 0 and the covariance of their powers is -m_i m_j exactly (c = -1), whatever the
    share of the time each holds. Carriers on together hold their power in every frame: c = 0
    (a common fade: > 0). The noise adds variance but no covariance between bins 3 or more apart
    (Hann), and the signal-noise cross terms average out, so c needs no per-frame detection: it
    holds where each frame is far too weak to tell whether a weak tone is on (thresholding each
    frame then counts about one tone on at a time for tones all on). Frames are as long as a
    half-dwell of 1 ms allows (`MAX_FRAME_S`), and long enough to resolve the channels
    (TURNS_SPACING_BINS). nan where there are too few frames."""
    ch = np.sort(np.asarray(channels_hz, dtype=np.float64))
    n_pairs = ch.size * (ch.size - 1) // 2
    nan = np.full(n_pairs, np.nan)
    if ch.size < 2:
        return nan, nan, math.nan, math.nan
    order = np.argsort(np.asarray(channels_hz, dtype=np.float64))
    wid = None if widths_hz is None or len(widths_hz) != ch.size else np.asarray(widths_hz, dtype=np.float64)[order]
    spacing = float(np.min(np.diff(ch)))
    need = max(TURNS_SPACING_BINS * rate_hz / max(spacing, 1.0), 16.0)
    nfft = max(1 << math.ceil(math.log2(need)), 1 << int(math.log2(max(MAX_FRAME_S * rate_hz, 16.0))))
    k = min(y.shape[0], TURNS_MAX_SAMPLES) // nfft
    if k < TURNS_MIN_FRAMES:
        return nan, nan, math.nan, math.nan
    w = np.hanning(nfft + 1)[:-1].astype(np.float32)
    Y = sfft.fft(y[: k * nfft].astype(np.complex64, copy=False).reshape(k, nfft) * w, axis=1, workers=2)
    P = (Y.real ** 2 + Y.imag ** 2).astype(np.float64) / float(np.sum(w * w))
    f = sfft.fftfreq(nfft, 1.0 / rate_hz)
    binw = rate_hz / nfft
    pw = np.empty((k, ch.size))
    nb = np.empty(ch.size)
    for i, c in enumerate(ch):
        half = 1.5 * binw if wid is None else max(1.5 * binw, 0.5 * wid[i] + binw)
        half = min(half, max(1.5 * binw, 0.5 * spacing - 1.5 * binw))
        sel = np.abs(f - c) <= half
        if not sel.any():
            sel = np.abs(f - c) == np.min(np.abs(f - c))
        pw[:, i] = P[:, sel].sum(axis=1)
        nb[i] = sel.sum()
    m = np.maximum(pw.mean(axis=0) - nb * noise_per_hz * rate_hz, 0.0)
    C = np.cov(pw, rowvar=False)
    iu = np.triu_indices(ch.size, 1)
    den = m[iu[0]] * m[iu[1]]
    var = np.diag(C)[iu[0]] * np.diag(C)[iu[1]] / k
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(den > 0, C[iu] / den, np.nan)
        s = np.where(den > 0, np.sqrt(var) / den, np.nan)
    total = float(den.sum())
    if not total > 0:
        return c, s, math.nan, math.nan
    return c, s, float(C[iu].sum()) / total, math.sqrt(float(var.sum())) / total


#: Two neighbouring channels at most LOBE_SPACING of the spacing to their other neighbours, on
#: together in LOBE_TOGETHER of the frames either is on, are two lobes of one carrier's spectrum.
#: (A hopper's neighbours share only a frame straddling a hop from one to the other; a weak FSK
#: carrier's two tones, each holding its bits' share of a frame, both pass the frames' on-test in
#: 0.6..0.85 of them at -5 dB.)
LOBE_SPACING = 0.5
LOBE_TOGETHER = 0.5


def _one_carrier_lobes(ch: np.ndarray, pw: np.ndarray, on: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(powers, on-states) per frame with each pair of neighbouring channels (ascending `ch`) that
    are two lobes of one carrier's spectrum joined into one: much closer to each other than to the
    channels beside them (LOBE_SPACING) and on together (LOBE_TOGETHER of the frames either is on).
    A hopper's channels take turns (together only at a hop); the two tones of an FSK-modulated
    carrier, or the lobes either side of its centre, are on in every frame it is."""
    n = ch.shape[0]
    if n < 3:
        return pw, on
    gaps = np.diff(ch)
    k = 0
    cols_pw, cols_on = [], []
    while k < n:
        if k + 1 < n:
            left = gaps[k - 1] if k > 0 else np.inf
            right = gaps[k + 1] if k + 1 < n - 1 else np.inf
            either = on[:, k] | on[:, k + 1]
            both = on[:, k] & on[:, k + 1]
            if (gaps[k] <= LOBE_SPACING * min(left, right) and either.any()
                    and np.count_nonzero(both) >= LOBE_TOGETHER * np.count_nonzero(either)):
                cols_pw.append(pw[:, k] + pw[:, k + 1])
                cols_on.append(either)
                k += 2
                continue
        cols_pw.append(pw[:, k])
        cols_on.append(on[:, k])
        k += 1
    if len(cols_pw) == n:
        return pw, on
    return np.stack(cols_pw, axis=1), np.stack(cols_on, axis=1)


#: A sub-multiple T/k of a found repetition period is the period where the chunked |R| there is
#: at least this share of the chunked |R| at T (after each one's noise bias).
SUBPERIOD_SHARE = 0.5
#: Sub-multiples tried (T/2 .. T/SUBPERIOD_MAX_K), each over at most this many chunks ...
SUBPERIOD_MAX_K = 16
SUBPERIOD_CHUNKS = 64
#: ... and none shorter than this many samples (slow sweeps): at a lag of L samples that is no
#: period, a sweep's lag product turns L/pi cycles per chunk (it must average out) against the
#: radian a half-sample miss of the true period turns it, and the chunks (L rate / (2 pi band)
#: samples) must be long enough for their noise bias to be small.
SUBPERIOD_MIN_LAG = 1024


def chunked_corr(y: np.ndarray, lag: int, chunk: int) -> float:
    """mean over chunks of |mean(y[n+lag] y*[n])| / mean|y[n+lag] y*[n]|, less its noise bias
    (2 / sqrt(pi chunk)): the correlation of a waveform with itself `lag` samples on, insensitive to a
    slow rotation of the lag product (a fractional lag turns a sweep's product into a tone)."""
    L, c = int(lag), max(int(chunk), 16)
    if L < 1 or y.shape[0] - L < 4 * c:
        return 0.0
    d = y[L:] * np.conj(y[:-L])
    a = float(np.mean(np.abs(d)))
    if a <= 0:
        return 0.0
    k = d.shape[0] // c
    m = np.abs(d[: k * c].reshape(k, c).mean(axis=1))
    # (noise alone: the product of two complex Gaussians, E|mean of c| / E|.| = 2 / sqrt(pi c))
    return max(float(np.mean(m)) / a - 2.0 / math.sqrt(math.pi * c), 0.0)


def shortest_period(y: np.ndarray, rate_hz: float, period_s: float, band_hz: float, *,
                    min_period_s: float = 0.0) -> float:
    """The shortest sub-multiple period_s / k (k = 2..SUBPERIOD_MAX_K) at which the band-filtered
    snippet `y` repeats as well as at period_s (chunked |R|, `chunked_corr`), else period_s.

    |R| at a sweep's true period T collapses where T is not a whole number of samples: the
    product x[n+L] x*[n] of a sweep of rate r is then a tone of r * (L - T * rate) / rate Hz,
    which averages out over a long snippet, while a multiple kT that falls near a whole number of
    samples correlates fully, so the first strong |R| peak may be kT. Over chunks of
    rate^2 / (pi r) samples (the tone turns less than a radian) each chunk keeps its
    correlation; r is the fastest a sweep across `band_hz` in T/k can be (a triangle's 2B k / T).
    """
    fs = float(rate_hz)
    if not (period_s > 0 and band_hz > 0) or y.shape[0] < 64 or period_s * fs / 2 < SUBPERIOD_MIN_LAG:
        return period_s  # (no sub-multiple long enough to try: fast sweeps)

    def corr(lag_f: float) -> float:
        r = 2.0 * band_hz / (lag_f / fs)
        c = int(min(fs * fs / (math.pi * r), y.shape[0] / 8))
        # (SUBPERIOD_CHUNKS chunks past the lag are plenty: bounded work per candidate)
        z = y[: math.ceil(lag_f) + SUBPERIOD_CHUNKS * max(c, 16)]
        return max(chunked_corr(z, math.floor(lag_f), c), chunked_corr(z, math.ceil(lag_f), c))

    top = corr(period_s * fs)
    if not top > 0:
        return period_s
    for k in range(SUBPERIOD_MAX_K, 1, -1):
        lag_f = period_s * fs / k
        if lag_f / fs < min_period_s or lag_f < SUBPERIOD_MIN_LAG:
            continue
        if corr(lag_f) >= SUBPERIOD_SHARE * top:
            return period_s / k
    return period_s
