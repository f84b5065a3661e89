"""noise: band-limited Gaussian noise, from a narrow partial band to the whole band.

Signature: a band of >= 2 fine bins (narrow lines only with a Gaussian envelope: a 2-bin
noise band looks like a line), a Gaussian envelope (noise-corrected kappa in 1.6..2.8), no periodicity (no |R(tau)| peak of
a repeating waveform) and no isolated cyclic-prefix peak (OFDM is ordinary traffic, see
traffic.py). A rise of the whole floor against the quiet reference is this kind.
Params: `bandwidth_hz` between the quarter-power edges of the averaged spectrum.
Checked on: generated noise 1 %..100 % of the band (tests/detection/test_kinds.py);
lte-cell-scanner f2646 (saturated receiver noise, no reference: NOT reported, warned as clipped).
"""

from __future__ import annotations

from ._base import Match, gaussian_envelope, sustained

ID = "noise"
JAMMING = True
#: Significance (sigmas of |R| estimation noise) of a cyclic-prefix peak that rules out noise.
OFDM_SIGMA = 20.0


def match(ev) -> Match | None:
    lo, hi = ev.band_bins
    if hi - lo < 1.5 and not ev.wide:
        return None
    sn = ev.snip
    g = gaussian_envelope(ev) if sn is not None else None
    if ev.tones.stationary and ev.tones.fraction >= 0.5 and not (g is not None and g > 0.5):
        return None  # lines, and nothing says the envelope is Gaussian
    score = 0.6
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
