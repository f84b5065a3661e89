"""multitone: two or more stationary carriers at once.

Signature: >= 2 narrow peaks (each >= 10 dB over the noise, within 20 dB of the strongest)
holding >= 70 % of the excess power, all on at once: in short frames the mean number of
channels on is >= 70 % of the tones (a hopper has one), or, where short frames are too weak
to tell, the band envelope beats (K equal tones: kappa = 2 - 1/K >= 1.5 > 1.25; a hopper's is 1),
or, where frames are too weak to see each tone every time (J/N -10 dB over the band), the
channels' powers across frames do not take turns (`Evidence.channels_together`: covariance 0,
not -1 times their means' product). Channels whose powers take turns are a hopper's, whatever
the envelope; three or more lines under a constant envelope are a sweep's comb only where they
lie evenly spaced, none missing (`even_grid`).
Params: `tones_hz`.
Checked on: generated 2..6-tone scenarios (tests/detection/test_kinds.py).
"""

from __future__ import annotations

import math

import numpy as np

from ._base import KAPPA_SWEEP_MAX, Match, margin, sustained
from .cw import ON_ROWS_MIN

ID = "multitone"
JAMMING = True
TONE_FRACTION_MIN = 0.7
#: Mean fraction of the tones on in each short frame.
SIMULTANEOUS_MIN = 0.7
#: Envelope kappa above which the tones beat (several on at once); a hopper's is 1.
KAPPA_MIN = 1.25
#: Neighbouring lines of a sweep's comb are one spacing apart within this many fine bins (the
#: lines' peak interpolation and the frames' resolution).
COMB_SPACING_BINS = 2.0
#: Score factor where the channels' powers show them on together though the frames count fewer.
TOGETHER_SCORE = 0.9


def even_grid(offsets_hz, bin_hz: float) -> bool:
    """Do the lines lie evenly spaced, none missing between the outer two (neighbours' spacings
    within COMB_SPACING_BINS fine bins of each other)? A linear sweep of period T dwells evenly
    across its band: its comb holds every line 1/T apart across it, of like power. Lines with a
    gap of several spacings among them are no sweep's comb, whatever their envelope reads."""
    d = np.diff(np.sort(np.asarray(offsets_hz, dtype=np.float64)))
    return d.size == 0 or float(d.max() - d.min()) <= COMB_SPACING_BINS * bin_hz


def match(ev) -> Match | None:
    tones = ev.tones
    k = tones.offsets_hz.size
    if k < 2 or not tones.stationary or tones.fraction < TONE_FRACTION_MIN:
        return None
    if tones.powers.max() >= 0.8 * tones.powers.sum():
        return None  # one tone holds the power: a CW beside weak spurs
    if ev.on_fraction < ON_ROWS_MIN:
        return None  # off in much of its span's rows, and no train pulsed claimed: packets' tones
        # (FSK bursts and an OOK sender's repeats joined), not carriers held on (as cw.keyed)
    score = margin(tones.fraction, TONE_FRACTION_MIN, 0.08)
    sn = ev.snip
    kappa = sn.kappa if sn is not None else math.nan
    if (k >= 3 and sn is not None and sn.snr > 0.1 and kappa < KAPPA_MIN and even_grid(tones.offsets_hz, ev.bin_hz)
            and not ev.fold_refutes_sweep()):
        return None  # many lines under a constant envelope: the comb of a periodic sweep (unless
        # its fold on the period traces no sweep: tones in quadrature keep a steady envelope too)
    if k >= 3 and sn is not None and kappa < KAPPA_SWEEP_MAX and ev.traces_sweep():
        return None  # lines of one carrier sweeping linearly over the period (tones beat instead)
    if ev.channels_together is False:
        return None  # channels whose powers take turns: one carrier hopping among them
    act = ev.channel_activity
    if act is not None and act[0] >= 0.6:
        frac = act[0] / max(k, ev.channels.size, 1)
        # frames too weak to see each tone every time count a few on at random: the channels'
        # powers, not taking turns, say they are all on (`Evidence.channels_together`)
        together = frac < SIMULTANEOUS_MIN and ev.channels_together is True
        if frac < 0.5 and not kappa > KAPPA_MIN and not together:
            return None
        score *= max(margin(frac, SIMULTANEOUS_MIN - 0.15, 0.08), margin(kappa, KAPPA_MIN, 0.1),
                     TOGETHER_SCORE if together else 0.0)
    elif math.isfinite(kappa):
        # too weak for short frames, or too close for them to count: the envelope of tones on
        # together beats (two always: kappa = 2 - sum p^2 / (sum p)^2 >= 1.5 for equal ones,
        # whatever their phases; three or more on average) - or, three or more, which their
        # phases may set to a near-constant envelope (a comb in quadrature), their powers do
        # not take turns
        together = k >= 3 and ev.channels_together is True
        score *= max(margin(kappa, KAPPA_MIN, 0.1), TOGETHER_SCORE if together else 0.0)
    if ev.hand_overs >= 4 and ev.members >= 2 and not (act is not None and act[0] >= 0.6):
        score *= 0.3  # the tracker saw hops and short frames cannot tell
    return Match(ID, score, {"tones_hz": sorted(float(f) for f in tones.offsets_hz)}, jamming=sustained(ev))
