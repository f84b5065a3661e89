"""noise: band-limited Gaussian noise, from a narrow partial band to the whole band.

Signature: a band of >= 2 fine bins (narrow lines only with a Gaussian envelope: a 2-bin
noise band looks like a line), a Gaussian envelope (noise-corrected kappa in 1.6..2.8), no periodicity (no |R(tau)| peak of
a repeating waveform) and no isolated cyclic-prefix peak (OFDM is ordinary traffic, see
traffic.py). A rise of the whole floor against the quiet reference is this kind. A tracked
band must hold excess power in the raw snippet (5 sigmas) and, where its in-band SNR >= 0 dB,
keep its row power within 5x a stationary noise's spread (packets merged by hold_s swing more).
Params: `bandwidth_hz` between the quarter-power edges of the averaged spectrum.
Checked on: generated noise 1 %..100 % of the band (tests/detection/test_kinds.py);
lte-cell-scanner f2646 (saturated receiver noise, no reference: NOT reported, warned as clipped).
"""

from __future__ import annotations

import math

import numpy as np

from ._base import Match, gaussian_envelope, sustained

ID = "noise"
JAMMING = True
#: Significance (sigmas of |R| estimation noise) of a cyclic-prefix peak that rules out noise.
OFDM_SIGMA = 20.0
#: Sigmas of its estimation noise the snippet's in-band excess power must reach.
EXCESS_SIGMAS = 5.0
#: A stationary noise's row power keeps within its estimation noise, (S+N)/S/sqrt(cells) of it
#: (robust spread over the on-rows; measured 0.3..2.4 times that on generated noise jammers):
#: beyond this many times it, the emission is packets of different powers merged by hold_s.
SWING_MAX = 5.0
#: ... judged only where the in-band SNR (linear) is at least this: weaker, the CFAR keeps a
#: different share of the band each row and the row power swings whatever the emission.
SWING_MIN_SNR = 1.0


def match(ev) -> Match | None:
    lo, hi = ev.band_bins
    if hi - lo < 1.5 and not ev.wide:
        return None
    sn = ev.snip
    g = gaussian_envelope(ev) if sn is not None else None
    if ev.tones.stationary and ev.tones.fraction >= 0.5 and not (g is not None and g > 0.5):
        return None  # lines, and nothing says the envelope is Gaussian
    score = 0.6
    if not ev.wide and sn is not None and (no_excess(ev) or swinging(ev)):
        # the raw samples hold no power over the noise in the band (nothing is there), or its
        # power swings far beyond a stationary noise's (packets, one after another)
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
        if sn.period_height > 0.5 * max(sn.snr, 0.0) / (1 + max(sn.snr, 0.0)) and sn.period_height > 0.1:
            score *= 0.3
    b0, b1 = ev.band_hz
    return Match(ID, score, {"bandwidth_hz": b1 - b0}, jamming=sustained(ev))


def no_excess(ev) -> bool:
    """The snippet's in-band power stands less than EXCESS_SIGMAS estimation sigmas over the
    noise (the mean of n * band / rate independent values has a relative spread 1/sqrt of that)."""
    sn = ev.snip
    lo, hi = ev.band_hz
    indep = max(sn.n * max(hi - lo, ev.bin_hz) / ev.rate_hz, 1.0)
    return not sn.snr * math.sqrt(indep) >= EXCESS_SIGMAS


def swinging(ev) -> bool:
    """The robust spread of the in-band power over the on-rows exceeds SWING_MAX times what a
    stationary noise of the measured SNR shows (each row averages frames x bins/enbw cells);
    False where the band is too weak (SWING_MIN_SNR) for the rows to tell."""
    ex = ev.row_excess[ev.row_on]
    if ex.size < 8 or not math.isfinite(ev.snr_db):
        return False
    med = float(np.median(ex))
    if med <= 0:
        return False
    spread = 1.4826 * float(np.median(np.abs(ex - med))) / med
    lo, hi = ev.band_idx
    cells = max(ev.frames_per_row, 1) * max((hi - lo + 1) / ev.enbw, 1.0)
    snr = 10 ** (ev.snr_db / 10)
    if snr < SWING_MIN_SNR:
        return False
    return spread > SWING_MAX * (1 + 1 / snr) / math.sqrt(cells)
