"""noise: band-limited Gaussian noise, from a narrow partial band to the whole band.

Signature: a band of >= 2 fine bins (narrow lines only with a Gaussian envelope: a 2-bin
noise band looks like a line; two or more separate lines holding 70 % of the excess are
carriers), a Gaussian envelope (noise-corrected kappa in 1.6..2.8), no periodicity (no |R(tau)| peak of
a repeating waveform), no turn of its mean second-order lag product where a fast sweep's slopes
are read in the band (noise's mean is real, a moving frequency turns it: `Evidence.turn_sigmas`)
and no isolated cyclic-prefix peak (OFDM is ordinary traffic, see traffic.py). A rise of the
whole floor against the quiet reference is this kind. A tracked
band must hold excess power in the raw snippet (5 sigmas) and, where its in-band SNR >= 0 dB,
keep its row power within 5x a stationary noise's spread (packets merged by hold_s swing more)
and keep a quarter of its power in the raw samples of its rows' longest gap (packets leave the
band silent there).
The |R| peak is sought in what the band's smooth spectral shape leaves (notches cut around other
emissions, the roll-off and the tapered edges correlate noise at short lags too, and can hide a
waveform's true period behind theirs): the shape is the median of |X|^2 over blocks of
SHAPE_BLOCK bins, which the line spectrum of a repeating waveform does not reach. A band that
folds on its period into a sweep's straight pieces is no noise however small a share its |R|
peak holds (a slow sweep's carrier phase wanders over its period: `folds_straight`).
Params: `bandwidth_hz` between the quarter-power edges of the averaged spectrum.
Checked on: generated noise 1 %..100 % of the band (tests/detection/test_kinds.py);
lte-cell-scanner f2646 (saturated receiver noise, no reference: NOT reported, warned as clipped).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.ndimage import median_filter

from ..evidence import MAX_LAG_FRACTION, PERIOD_LAG_BANDS
from ._base import Match, gaussian_envelope, sustained

ID = "noise"
JAMMING = True
#: Significance (sigmas of |R| estimation noise) of a cyclic-prefix peak that rules out noise.
OFDM_SIGMA = 20.0
#: Bins of the snippet spectrum per block of its smooth shape (the median over the block).
SHAPE_BLOCK = 32
#: Blocks of the shape's running median (`_line_free`): wider than a phase-noise-broadened line's
#: skirts (one block each side), far narrower than any smooth shape.
SHAPE_SMOOTH_BLOCKS = 5
#: Probability that band noise shows an |R| peak (over the shape's) as high anywhere in the lags.
PERIOD_PFA = 1e-3
#: Sigmas of its estimation noise the snippet's in-band excess power must reach.
EXCESS_SIGMAS = 5.0
#: A stationary noise's row power keeps within its estimation noise, (S+N)/S/sqrt(cells) of it
#: (robust spread over the on-rows; measured 0.3..2.4 times that on generated noise jammers):
#: beyond this many times it, the emission is packets of different powers merged by hold_s.
SWING_MAX = 5.0
#: ... judged only where the in-band SNR (linear) is at least this: weaker, the CFAR keeps a
#: different share of the band each row and the row power swings whatever the emission.
SWING_MIN_SNR = 1.0
#: A gap of the rows this long inside an emission whose raw samples hold under SILENT_SHARE of the
#: snippet's in-band power (signal, over the noise) is silence: packets, not a stationary noise;
#: judged where the snippet's in-band SNR is at least SILENT_MIN_SNR (weaker, the rows' gaps are
#: the CFAR missing the noise, and its power estimate is too noisy to split).
SILENT_GAP_S = 0.05
SILENT_SHARE = 0.25
SILENT_MIN_SNR = 1.0
#: Share of the excess power held by two or more separate narrow lines above which the band is
#: carriers, not noise (multitone's own share for its tones).
LINES_HELD = 0.7
#: Sigmas by which the band's mean second-order lag product departs from a real, non-negative
#: value (`Evidence.turn_sigmas`) that rule out noise where a fast sweep's slopes were read in
#: the band (`_slopes_read`): noise's mean is 2 |r(L)|^2 whatever its band; a frequency that
#: moves continuously (a sweep) turns it. High enough for the 2 x 24
#: lags looked at (measured on generated noise bands: up to 4 before the band's correlation is
#: allowed for, under 2.5 after it; a whole-band sawtooth at 0 dB: 35).
TURN_SIGMAS = 8.0


def match(ev) -> Match | None:
    lo, hi = ev.band_bins
    if hi - lo < 1.5 and not ev.wide:
        return None
    sn = ev.snip
    g = gaussian_envelope(ev) if sn is not None else None
    if ev.tones.stationary and ev.tones.fraction >= 0.5 and not (g is not None and g > 0.5):
        return None  # lines, and nothing says the envelope is Gaussian
    if separate_lines(ev):
        return None  # carriers apart, with next to nothing between them, whatever kappa reads
    b0, b1 = ev.band_hz
    score = 0.6
    if not ev.wide and sn is not None and (no_excess(ev) or swinging(ev) or falls_silent(ev)):
        # the raw samples hold no power over the noise in the band (nothing is there), or its
        # power swings far beyond a stationary noise's, or the band falls silent between its
        # on-rows (packets, one after another)
        return None
    if sn is not None:
        if g is not None:
            if g < 0.1:
                return None
            score = g
        if sn.train is not None and sn.train.regular:
            return None
        if ev.ofdm:
            score *= 0.2
        # (the band filter's pass band, as the evidence takes it: the band and a margin each side)
        f0, f1 = ev.pass_band_hz
        bw = max(min(f1 - f0, ev.rate_hz), 1.0)
        min_lag, max_lag = max(2, math.ceil(PERIOD_LAG_BANDS * ev.rate_hz / bw)), int(sn.n * MAX_LAG_FRACTION)
        _, h = ev.shape_free_period  # (shape_free_period over those lags, read once per snippet)
        if h > 0.5 * max(sn.snr, 0.0) / (1 + max(sn.snr, 0.0)) and h > _period_noise(sn.n * bw / ev.rate_hz,
                                                                                       max_lag - min_lag):
            score *= 0.3
        elif folds_straight(ev) or ev.turn_sigmas > TURN_SIGMAS and _slopes_read(ev):
            # a sweep, by either tell: folded on its period the band traces one straight line, or
            # the lag product turns where a sweep's slopes were read (tones on together turn it
            # too, by their cross terms: the turn alone says only "no single noise band or carrier")
            score *= 0.3
    return Match(ID, score, {"bandwidth_hz": b1 - b0}, jamming=sustained(ev))


def _slopes_read(ev) -> bool:
    """Did the fast-sweep reading (`Evidence.sweep_fast`) follow a sweep's slopes: a sawtooth's
    phase, a triangle's phase folded on its period, or a fold of its instantaneous frequency
    (`slopes_read`; the folds' readings carry none and traced it)? A "triangle" that is only the
    shape left where the phase is no sawtooth's says nothing of a sweep."""
    fast = ev.sweep_fast() if ev.snip is not None else None
    return fast is not None and bool(fast.get("slopes_read", True))


def folds_straight(ev) -> bool:
    """Does the band, folded on its repetition period, trace a sweep's straight pieces (a fast
    sweep whose params came from a fold, its residual within sweep_fold.STEP_MAX_RESIDUAL) with a
    coherent second-order phase (pulsed.SWEEP_COHERENCE: noise's averages to ~0)? A noise's
    instantaneous frequency wanders at random, whatever period its |R| offers; a sweep whose
    carrier phase wanders over a slow period keeps only a small share of its power in its |R|
    peak (under half its share: gen3 5's 019, a -10 dB sawtooth of 37 ms, 0.06 of 0.15), yet
    folds into one straight line (residual 0.0003, coherence 0.09)."""
    from ..sweep_fold import STEP_MAX_RESIDUAL
    from .pulsed import SWEEP_COHERENCE

    fast = ev.sweep_fast()
    fold = ev._folded(fast) if fast is not None else None
    return fold is not None and fold["residual"] <= STEP_MAX_RESIDUAL and fast["coherence"] > SWEEP_COHERENCE


def separate_lines(ev) -> bool:
    """Do two or more narrow lines, apart (separate channels), hold LINES_HELD of the excess? A
    noise band spreads its power evenly over its band; a narrow one may pose as one line (its
    Gaussian envelope says noise), but lines apart with next to nothing between them are carriers
    (the noise-corrected kappa of weak tones is no guide: at an in-band SNR of 0.3 a 1 % error in
    the noise level moves it by several tenths)."""
    t = ev.tones
    return t.stationary and t.count >= 2 and t.fraction >= LINES_HELD and ev.separate_channels


def shape_free_period(spectrum: np.ndarray, *, min_lag: int, max_lag: int) -> tuple[float, float]:
    """(lag in samples, height) of the first strong peak of |R(tau)|/R(0) past min_lag, once
    the correlation of the band's smooth spectral shape is taken out (`features.periodic_lag`
    on the rest); (nan, 0) where there is none.

    spectrum: |X|^2 of the band in FFT order (0 elsewhere). The shape is the median over blocks
    of SHAPE_BLOCK bins (median of a chi-square 2-dof bin: ln 2 of its mean), whose inverse FFT,
    moved to the blocks' centres and weighted by the block's Dirichlet kernel, is its R at lags
    below half the blocks' count (beyond, the shape holds nothing fine enough to correlate).
    It carries the continuous part of the power; the lines of a repeating waveform (one in a
    block at most, for lags up to a quarter of the snippet) stay in the rest.
    """
    from ..features import periodic_lag

    spec = np.asarray(spectrum, dtype=np.float64)
    nfft = spec.shape[0]
    total = float(spec.sum())
    max_lag = min(int(max_lag), nfft - 1)
    if not total > 0 or max_lag <= min_lag + 2:
        return math.nan, 0.0
    r = np.fft.ifft(spec)[: max_lag + 1] * (nfft / total)  # R(tau) / R(0)
    m = nfft // SHAPE_BLOCK
    if m >= 8:
        coarse = _line_free(np.median(spec[: m * SHAPE_BLOCK].reshape(m, SHAPE_BLOCK), axis=1))
        cont = float(coarse.sum()) * SHAPE_BLOCK / math.log(2.0)  # the continuous power
        lags = np.arange(min(m // 2, max_lag + 1))
        if cont > 0 and lags.size > 1:
            rs = np.fft.ifft(coarse)[: lags.size] * (m / float(coarse.sum()))
            u = np.pi * lags / nfft
            dirichlet = np.ones(lags.size)
            dirichlet[1:] = np.sin(SHAPE_BLOCK * u[1:]) / (SHAPE_BLOCK * np.sin(u[1:]))
            rs = rs * dirichlet * np.exp(1j * (SHAPE_BLOCK - 1) * u)
            r[: lags.size] -= min(1.0, cont / total) * rs
    ac = np.abs(r)
    ac[0] = 1.0
    return periodic_lag(ac, int(min_lag))


def _line_free(coarse: np.ndarray) -> np.ndarray:
    """The blocks' medians with a running median over SHAPE_SMOOTH_BLOCKS of them (circular, as
    the spectrum): a line broadened by its oscillator's phase noise (a Lorentzian tens of Hz wide
    at FWHM: a third of its power beyond a 32-bin block of a few Hz a bin) lifts the blocks beside
    it, and those lifted blocks, repeating 1/T apart, would carry part of the comb's |R(T)| into
    the shape taken out; the smooth shape (a receiver's tilt and ripple, a noise's slope or
    ripple of a few cycles across its band, its edges: a median keeps a step) passes."""
    if coarse.shape[0] < 2 * SHAPE_SMOOTH_BLOCKS:
        return coarse
    return median_filter(coarse, size=SHAPE_SMOOTH_BLOCKS, mode="wrap")


def _period_noise(n_eff: float, lags: int) -> float:
    """|R(tau)|/R(0) that band noise of n_eff independent samples exceeds with probability
    PERIOD_PFA at one of `lags` lags (|R| of noise: Rayleigh, P(|R| > x) = exp(-n_eff x^2))."""
    return math.sqrt(math.log(max(lags, 1) / PERIOD_PFA) / max(n_eff, 1.0))


def no_excess(ev) -> bool:
    """The snippet's in-band power stands less than EXCESS_SIGMAS estimation sigmas over the
    noise (the mean of n * band / rate independent values has a relative spread 1/sqrt of that)."""
    sn = ev.snip
    lo, hi = ev.band_hz
    indep = max(sn.n * max(hi - lo, ev.bin_hz) / ev.rate_hz, 1.0)
    return not sn.snr * math.sqrt(indep) >= EXCESS_SIGMAS


def falls_silent(ev) -> bool:
    """Where the rows leave a gap of SILENT_GAP_S or more inside the emission, do the raw samples
    of that gap hold under SILENT_SHARE of the in-band power the snippet holds? A stationary noise
    the rows miss now and then (a weak one) keeps its power there; packets joined up by the hold
    time leave the band empty. False where it cannot tell (no such gap, no raw samples, a band
    too weak for its snippet to stand SILENT_MIN_SNR over the noise)."""
    sn, read = ev.snip, getattr(ev, "read_raw", None)
    if sn is None or read is None or not sn.snr >= SILENT_MIN_SNR:
        return False
    on = np.flatnonzero(ev.row_on)
    if on.size < 2:
        return False
    gaps = np.diff(on) - 1
    # (only where the raw samples are still held: live, a ring of the last few seconds)
    held_s = read(0, 0)[0] / ev.rate_hz
    gaps[ev.row_times_s[on[:-1]] < held_s] = 0
    k = int(np.argmax(gaps))
    if gaps[k] * ev.row_s < SILENT_GAP_S:
        return False
    # the gap's rows, less one at each end (a packet's edges)
    t0, t1 = ev.row_times_s[on[k] + 2], ev.row_times_s[on[k + 1] - 1]
    n = min(int((t1 - t0) * ev.rate_hz), sn.n)
    if n < 64:
        return False
    y = ev.read_band(round(0.5 * (t0 + t1) * ev.rate_hz) - n // 2, n)
    if y is None:
        return False
    excess = float(np.mean(y.real ** 2 + y.imag ** 2)) - sn.noise
    return excess < SILENT_SHARE * sn.signal


def swinging(ev) -> bool:
    """The robust row-to-row spread of the in-band power over the on-rows exceeds SWING_MAX times what a
    stationary noise of the measured SNR shows (each row averages frames x bins/enbw cells);
    False where the band is too weak (SWING_MIN_SNR) for the rows to tell."""
    ex = ev.row_excess[ev.row_on]
    if ex.size < 8 or not math.isfinite(ev.snr_db):
        return False
    med = float(np.median(ex))
    if med <= 0:
        return False
    # (from row to row: a jammer switched on over a carrier already there steps once, and a
    # step is no swing; packets one after another change the power every few rows)
    spread = 1.4826 * float(np.median(np.abs(np.diff(ex)))) / math.sqrt(2.0) / med
    lo, hi = ev.band_idx
    cells = max(ev.frames_per_row, 1) * max((hi - lo + 1) / ev.enbw, 1.0)
    snr = 10 ** (ev.snr_db / 10)
    if snr < SWING_MIN_SNR:
        return False
    return spread > SWING_MAX * (1 + 1 / snr) / math.sqrt(cells)
