"""chirp: a carrier swept linearly across a band, repeating (sawtooth or triangle).

Signature: a band wider than 4 fine bins with a near-constant envelope (kappa <= 1.65: a sweep
through a receiver whose response is not flat is amplitude-modulated by it, noise is at 2) and
either
* fast sweeps (period shorter than ~1/4 of the snippet): the band signal repeats, so |R(tau)|
  peaks at the period T with >= 0.3 of its signal share; the second-order phase difference
  at the lag where a sawtooth turns 1 rad tells sawtooth (mean phase ~1 rad) from triangle
  (a real mean: 0 or pi); rate = B/T (sawtooth) or 2B/T (triangle), B between the quarter-power
  edges of the averaged spectrum;
* slow sweeps (lines on the waterfall): the per-row peak frequency fits straight lines
  (residual < 10 % of the span), with resets (sawtooth) or slope reversals (triangle).
A periodic sweep's spectrum is a comb of lines 1/T apart: three or more lines under a constant
envelope are a sweep, not a multitone (whose tones beat).
A sweep wider than the receiver's band enters and leaves it once a period: in-band it is a
train of pulses (real GNSS jammer captures JamData400/500); it is still reported as a chirp,
with the in-band `duty_cycle`, since the emitter sweeps, it is not keyed.
The frequency must move: FSK holds still between jumps (the second-order phase averages to ~0,
where a triangle's averages near pi), and a slow track must not leave a hole in the middle of
the band (FSK's two tones).
A sweep jammer repeats in every period; chirp-spread-spectrum packets (LoRa-like) only in their
preamble, and their rows alias into a false slow sweep (rfkit/detection/packets.py tells both).
Params: `sweep_rate_hz_per_s`, `sweep_period_s`, `sweep_shape`, `bandwidth_hz`.
Checked on: generated sawtooth/triangle chirps, periods 10 us..50 ms (tests/detection/
test_kinds.py); gnss_jamming_demo JammerData.bin (real chirp jammer, 10 MS/s).
"""

from __future__ import annotations

import math

import numpy as np

from ..packets import slow_sweep_aliased, sweep_not_repeating
from ._base import KAPPA_SWEEP_MAX, Match, constant_envelope, margin, sustained
from .hopping import GAP_SHARE_APART, MAX_MULTI, MAX_SIMULTANEOUS
from .multitone import KAPPA_MIN as TONES_BEAT_KAPPA
from .pulsed import repeats_in_pulse

ID = "chirp"
JAMMING = True
MIN_BINS = 4
#: A swept band is flat: its smoothed excess across the middle 80 % stays above this share of
#: its median (FSK's two tones leave a hole between them).
FLAT_MIN = 0.3
#: A slow sweep passes through every frequency between its ends: between separate sub-bands of
#: its averaged spectrum there is as much excess as in them (a patchy mask of a weak sweep), or,
#: where its period is a whole number of frames, the tails of each frame's window (a comb of
#: humps, 0.1..0.2 of their excess between them). Below this share there is next to nothing
#: between them (the skirts of modulated carriers): channels (a hopper), not a sweep.
GAP_SHARE_MIN = GAP_SHARE_APART
#: Channels on per short frame, on average, above which frames see the lines at all (a weak
#: sweep's comb may show none or one in a frame; a hopper always has one on).
TURNS_ON_MIN = 0.6
#: A sweep's comb (lines 1/period apart) is resolved, and its lines all on in every short frame,
#: where 1/period spans at least this many fine bins (a slower sweep's frames see one frequency).
COMB_RESOLVED_BINS = 3.0
#: A waveform repeating every T puts the power that repeats (the share of the band's power its
#: |R| peak at T stands at) on lines 1/T apart, B T of them: each stands share (1 + snr) / (T bin)
#: over the noise in a fine bin. Where that is this many dB or more (the Hann window's loss and
#: scalloping, 3 dB at most, leave it well over a line's 3 dB), the averaged spectrum shows them.
COMB_SHOWS_DB = 10.0
#: The snippet's |R| period is the fast sweep's where the two agree within this share.
PERIOD_AGREE = 0.03
#: The channels whose turns are counted are the comb's lines only where each is narrower than
#: this many line spacings (1/period; a line is narrower than one, a found period may be a
#: multiple of the true one): a channel wider than that holds a band of lines - a strong
#: sweep's comb whose valleys stay over the noise, with a sliver split off at its ragged edge.
COMB_LINE_SPACINGS = 4.0
#: Coherence of the second-order phase a sweep passing through the band keeps (OFDM: ~0).
THROUGH_COHERENCE = 0.05
#: Share of its rows an emission with lines must be on for its envelope to tell beats from a comb.
STEADY_ON = 0.9


def match(ev) -> Match | None:
    lo, hi = ev.band_bins
    if hi - lo < MIN_BINS:
        return None
    sn = ev.snip
    if sn is not None and sn.train is not None and sn.train.regular:
        # in-band pulses: a sweep wider than the band passing through it once a period, or a
        # keyed jammer (pulsed's); the envelope during the pulses says which
        through = _through_band(ev) if not ev.ofdm else None
        if through is not None and repeats_in_pulse(ev, sn.train):
            # the sweep repeats inside each pulse: a sweeper keyed on and off (pulsed's); one wider
            # than the band, passing through it, makes one pulse a period and repeats in none
            return None
        if through is not None:
            kon = ev.kappa_on
            score = margin(-kon, -KAPPA_SWEEP_MAX, 0.08) if math.isfinite(kon) else 0.5
            params = {k: through[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape",
                                              "bandwidth_hz")}
            params["duty_cycle"] = sn.train.duty
            return Match(ID, score, params, jamming=sustained(ev))
        # else: a sweep in the band whose envelope ripples with the receiver's response, or a
        # keyed jammer (pulsed's): the sweep tests below decide
    env = constant_envelope(ev, KAPPA_SWEEP_MAX)
    # a fast sweep's comb has every line in every frame longer than its period; a hopper's
    # channels take turns (one on at a time in short frames; a slow sweep's frames see one
    # frequency at a time too: the gap test below tells those)
    act = ev.channel_activity
    turns = act is not None and act[2] < MAX_MULTI and act[0] < MAX_SIMULTANEOUS
    if ev.tones.stationary and ev.tones.fraction > 0.7:
        if not (ev.tones.count >= 3 and env is not None and env > 0.5 and (_comb_steady(ev) or ev.traces_sweep())
                and not ev.fold_refutes_sweep()):
            # lines; but 3 or more under a constant envelope are a periodic sweep's (where the
            # band read holds only part of a short sweep's comb, its filter gates the sweep and
            # lifts kappa: the fold on the period tells, one carrier tracing straight pieces)
            return None
        if turns:
            return None
    fast = ev.sweep_fast() if sn is not None else None
    if (fast is not None and turns and act[0] >= TURNS_ON_MIN
            and fast["sweep_period_s"] * ev.bin_hz * COMB_RESOLVED_BINS <= 1.0
            and _channels_are_lines(ev, fast)):
        return None  # a comb the spectrum resolves, whose lines take turns (always one on): hops
    if fast is not None and _comb_missing(ev, fast):
        return None  # a repetition that short would stand as lines; the band shows none
    if sweep_not_repeating(ev, fast):
        return None  # symbols that start at different frequencies: chirp-spread-spectrum packets
    through = False
    slow = ev.sweep if fast is None else None
    if fast is None and slow is None:
        return None
    if fast is None and ev.flatness < FLAT_MIN:
        return None  # humps, not a swept band: FSK dwells on its two tones, a sweep passes evenly
    if fast is None and ev.separate_channels and ev.channel_gap_share < GAP_SHARE_MIN:
        return None  # separate channels with nothing between: a hopper's, not a sweep's band
    if env is not None and env < 0.2 and not through:
        return None
    score = env if env is not None else 0.6
    if fast is not None:
        score *= margin(fast["coherence"], 0.02, 0.02) if not through else 0.9
        params = {k: fast[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape", "bandwidth_hz")}
        if through:
            params["duty_cycle"] = sn.train.duty
    else:
        if slow_sweep_aliased(ev, slow):
            return None  # the band fills within a frame: faster sweeps (CSS packets) the rows alias
        score *= margin(slow["fit_rows"], 8, 4)
        b0, b1 = ev.band_hz
        params = {k: slow[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape")}
        params["bandwidth_hz"] = b1 - b0
    return Match(ID, score, params, jamming=sustained(ev))


def _through_band(ev) -> dict | None:
    """A sweep crossing the whole receiver band once per pulse: rate from the phase curvature."""
    from .. import features as ft

    sn = ev.snip
    b0, b1 = ev.band_hz
    if b1 - b0 < 0.7 * ev.rate_hz:
        return None
    t = sn.train
    # the band (b1 - b0) is crossed in one pulse: rate ~ B / width; confirm from the phase
    r_guess = (b1 - b0) / max(t.width_s, 1e-12)
    lag = max(1, round(ev.rate_hz / math.sqrt(2 * math.pi * r_guess)))
    rate, coh = ft.chirp_rate(sn.y, ev.rate_hz, lag)
    if not math.isfinite(rate) or abs(rate) < 0.3 * r_guess or coh < THROUGH_COHERENCE:
        return None
    return {"sweep_rate_hz_per_s": abs(rate), "sweep_period_s": 1.0 / t.prf_hz,
            "sweep_shape": "sawtooth", "bandwidth_hz": abs(rate) / t.prf_hz, "coherence": coh}



def _comb_missing(ev, fast: dict) -> bool:
    """Does the averaged spectrum lack the comb that a coherent repetition at the fast sweep's
    period (read from the snippet's |R| peak) must make - its lines resolved (1/T over
    COMB_RESOLVED_BINS fine bins) and each expected COMB_SHOWS_DB or more over the noise in its
    bin, yet fewer than `combs.MIN_LINES` lines stand in the band? A sweep repeating every T is a
    comb of lines 1/T apart; where the band is flat (noise through a receiver whose response is
    not flat correlates at a lag of a few samples: gen3 seed 19's 013, the whole band at 960 kS/s
    read as a 5 us triangle) the |R| peak is no repetition. Judged only where that peak stands
    no higher than the side lobe the band's own shape allows at its lag
    (`Evidence.band_side_lobe`): a sweep whose carrier phase wanders smears its
    lines over many bins, yet its |R| stands well over that (altgen seed 127's alt095)."""
    from .. import combs

    sn = ev.snip
    T = fast["sweep_period_s"]
    if (sn is None or not sn.snr > 0 or not T > 0 or T * ev.bin_hz * COMB_RESOLVED_BINS > 1.0
            or not math.isfinite(sn.period_s) or abs(sn.period_s - T) > PERIOD_AGREE * T):
        return False
    if sn.period_height > ev.band_side_lobe(T):
        return False  # (a peak over what the band's own shape allows at that lag: a repetition)
    line = sn.period_height * (1.0 + sn.snr) / (T * ev.bin_hz)
    if line < 10 ** (COMB_SHOWS_DB / 10):
        return False
    lo, hi = ev.band_idx
    return combs.line_positions(ev.spec_on, ev.ref, [(lo, hi)]).size < combs.MIN_LINES


def _channels_are_lines(ev, fast: dict) -> bool:
    """Are the channels whose turns `channel_activity` counted lines of the comb (each narrower
    than COMB_LINE_SPACINGS spacings 1/period), so that their turns are the comb's? A strong fast
    sweep's averaged spectrum is one flat band over all its lines (their valleys stay over the
    noise), and a bin or two split off at its edge make two "channels": short frames see the
    sweep in one or the other in turn, as they see any sweep anywhere - no hopper's channels."""
    w = ev.channel_widths_hz
    return w.size == 0 or float(np.max(w)) * fast["sweep_period_s"] <= COMB_LINE_SPACINGS


def _comb_steady(ev) -> bool:
    """Is the envelope of the band's lines as steady as a sweep's comb must be? A sweep's power at
    each instant is its spectral density where it is (it dwells evenly across its band), so its
    kappa is at most the lines' own: K sum(p^2) / sum(p)^2 of their powers p (1 for equal lines;
    the Fresnel ripple of a short sweep's lines only adds to it). Tones on together beat above it
    (K equal tones with random phases: 2 - 1/K; evenly spaced, >= 1.16 whatever their phases).
    Below TONES_BEAT_KAPPA (multitone's own limit) the envelope is steady whatever the lines say.
    Only an emission on all the time (STEADY_ON of its rows) is judged: where it starts or stops
    within the snippet, or the band holds only part of a wider sweep (which passes through it,
    in pulses), its kappa holds that gating, not beats."""
    p = np.asarray(ev.tones.powers, dtype=np.float64)
    kappa = ev.snip.kappa
    if p.size < 2 or not p.sum() > 0 or not math.isfinite(kappa) or not ev.on_fraction >= STEADY_ON:
        return True
    lines = p.size * float(np.sum(p * p)) / float(p.sum()) ** 2
    return kappa <= max(TONES_BEAT_KAPPA, lines)
