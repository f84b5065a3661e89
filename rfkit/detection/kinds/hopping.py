"""hopping: one narrow emission at a time, jumping among a set of channels.

Signature: >= 3 channels (separate narrow sub-bands of the averaged spectrum, filling at most
half the span between the outer two), one on at a
time in short frames (0.6 <= mean channels on <= 1.5: always one, rarely two) with >= 4
channel changes, or the tracker saw >= 4 hand-overs (one narrow emission ending in the row
another begins) and something is on in >= 60 % of the rows (packets of several devices are
sparse). The envelope is constant (kappa <= 1.35
where the band SNR allows: tones on together beat - unless the channels' powers take turns,
`Evidence.channels_together`: the carrier leaving for channels beyond the band read gates it),
and the channels' powers do not show them all on together (weak tones, whose short frames see
one or another of them at random). Two channels
alternating irregularly is 2-FSK data (ordinary traffic), not a hopper; two channels taken in turn
at a fixed period (one tone's regular pulse train while the band stays on, or - dwells spanning
rows - the rows' peak changing channel on a clock, its changes within dwell / sqrt(12) rms
of it, what changes scattered evenly over each dwell show), sustained, are one - unless the
band's second-order phase turns coherently as a sawtooth's (a sweep over a band whose spectrum
dips in its middle lights its two halves in turn, as regularly).
Two hoppers on at once in one emission (two channels on in most frames) are hopping too where
the channels fall into two sets that each take turns and are on together at random with the
other's (`hops.two_hoppers`): one event over both, its rate the larger set's. So is one hopper
whose dwells are hardly longer than the frames (0.5..1 ms), which straddle its hops: at most two
channels on per frame on average, and the channels' powers still taking turns over all pairs
(`features.channel_turns`). Channels that all pair up as FSK tones (`_fsk_pairs`) are counted
on per frame as one channel each (both tones of a keyed carrier are in most short frames).
Params: `channels_hz` (centroids), `hop_rate_hz` (channel changes per second in short frames,
or hand-overs per second at row resolution for slow hoppers), `bandwidth_hz` of one channel.
Checked on: generated hoppers, 4..10 channels, dwell 1..20 ms (tests/detection/test_kinds.py);
the independent generator's, 2..9 channels, dwell 4..26 ms (tests/detection/test_kinds_hopping.py);
gen3's FSK hoppers, 4 and 15 channels, dwell 0.6 and 7 ms (tests/detection/test_kinds_hopping_gen3.py).
"""

from __future__ import annotations

import math

import numpy as np

from ..evidence import TURNS_SIGMA, TURNS_SPLIT
from ..features import LOBE_SPACING, channel_activity, channel_turns
from ..hops import (
    MIN_RUN_ROWS,
    SAME_CHANNEL,
    frame_hops,
    row_alternation,
    row_hop_rate,
    two_hoppers,
)
from ._base import Match, margin, sustained

ID = "hopping"
JAMMING = True
MIN_CHANNELS = 3
#: A hopper is always on somewhere: channels on per frame (and rows on) at least this.
MIN_ON = 0.6
#: One carrier at a time has a constant envelope; above this kappa several are on at once ...
KAPPA_MAX = 1.35
#: ... where the band SNR (linear) is enough to tell.
KAPPA_MIN_SNR = 0.2
#: Most share of the active frames with two or more channels on (hop boundaries only).
MAX_MULTI = 0.3
#: Most channels on at once, on average, for a hopper.
MAX_SIMULTANEOUS = 1.5
#: Share of the on-rows whose peak lies on one of the channels.
PEAKS_ON_CHANNELS = 0.5
#: The snippet's frames see dwells shorter than 1 / this many rows: too fast for rows to count.
ROWS_FAST = 0.8
#: Two channels taken in turn, seen in the rows: each dwell spans at least this many rows (a
#: carrier switched within a row puts both channels in it); the score halves its margin where the
#: changes' rms misfit to a clock reaches this (rows; rounding to whole rows alone leaves ~0.3).
MIN_DWELL_ROWS = 2.0
ROW_MISFIT_MAX = 0.6
#: Row and frame rates agreeing within this share are the same count (the rows' is longer).
ROWS_AGREE = 0.25
#: Most channels on per short frame, on average, of a hopper whose frames straddle its hops (the
#: channel left and the channel taken).
STRADDLED_ON = 2.0
#: Hand-overs (one narrow emission ending in the row another begins) the tracker must see for a
#: group to be taken as one hopper's channels (fewer: a line missing a row as a packet begins).
MIN_HAND_OVERS = 4
#: One transmitter's channels are alike in width (one modulation on each): a channel more than
#: this many times wider than their median is another emission's (a beacon's packets in the
#: band) and is left out of the hops' count. (Narrower ones are kept: an FSK carrier's two tones
#: are each a narrower channel, and the count joins them as one.)
WIDTH_UNLIKE = 3.0
#: Channels with next to nothing between them (mean excess there under this share of that in
#: them, `Evidence.channel_gap_share`: the skirts of modulated carriers) are apart however much
#: of the span they fill: a strong carrier reads as wide as its window's main lobe (3-4 fine
#: bins), so closely spaced channels fill over half of it; a sweep's band, or a fast sweep's comb
#: of humps (0.1..0.2 between them), is not so empty (kinds/chirp.py reads the same share).
GAP_SHARE_APART = 0.05
#: Share of a sweep's second-order phase coherence at the band's SNR, (S / (S + N))^2, that a
#: sawtooth read by `Evidence.sweep_fast` must keep for the emission to be taken as sweeping,
#: not hopping: a hopper's frequency holds still within its dwells (their products turn by 0),
#: and only the products straddling a jump turn, up and down alike for two channels in turn.
SWEEP_COHERENCE_SHARE = 0.5
#: An FSK-keyed carrier's two tones lie one deviation apart on every channel it hops to (one
#: transmitter, one keying): pairs of neighbouring channels whose gaps all lie within this share
#: of their median are its tones, where that median is at most LOBE_SPACING of the median gap
#: between pairs (`_fsk_pairs`; centroids read to a fine bin or so: gen3's -10 dB 16-FSK
#: hoppers' pairs 4.2..4.7 kHz and 10.7..12.2 kHz apart, a pair's nearest neighbour 5.7 and
#: 11.9 kHz off - no spacing of the channels themselves keeps that close to one number).
FSK_DEVIATION_TOL = 0.15


def match(ev) -> Match | None:
    ch = ev.channels
    if ch.size == 2:
        return _two_channels(ev)
    if ch.size < MIN_CHANNELS or not _apart(ev):  # (a sweep's spectrum is contiguous)
        return None
    if not _peaks_on_channels(ev):
        return None
    sn = ev.snip
    paired = _fsk_pairs(ch, ev.channel_widths_hz)
    act = ev.channel_activity if paired is None else _paired_activity(ev, paired)
    straddled = False
    if act is not None and (act[0] > MAX_SIMULTANEOUS or act[2] > MAX_MULTI):
        # several channels on at once: a multitone or a line spectrum - or two hoppers at once
        # (whose two carriers beat, so before the envelope's test) - or one hopper whose dwells
        # are hardly longer than the frames, which straddle its hops
        two = _two_hoppers(ev, act)
        if two is not None or not _hops_straddled(ev, act, paired):
            return two
        straddled = True
    if sn is not None and sn.snr > KAPPA_MIN_SNR and sn.kappa > KAPPA_MAX and ev.channels_together is not False:
        # the envelope beats: several carriers at once (a multitone), not one hopping (unless the
        # channels' powers take turns: the carrier leaving for channels outside the band read
        # gates the envelope, which lifts kappa as beats would)
        return None
    rate = None
    score = 0.0
    if act is not None and math.isfinite(act[0]) and math.isfinite(act[1]):
        mean_on, changes, _ = act
        # (channels whose powers do not take turns are tones all on, in frames too weak to see
        # each every time: the count of channels on then changes at random)
        if straddled:
            rate = changes  # (a count the frames blur: measured_rate counts it again)
            score = margin(-mean_on, -STRADDLED_ON, 0.15)
        elif (MIN_ON <= mean_on <= MAX_SIMULTANEOUS and changes * ev.snip.n / ev.rate_hz >= 4
                and ev.channels_together is not True):
            rate = changes
            score = margin(-mean_on, -MAX_SIMULTANEOUS, 0.15)
    if rate is None and ev.hand_overs >= MIN_HAND_OVERS and ev.duration_s > 0 and ev.on_fraction >= MIN_ON:
        rate = ev.hand_overs / ev.duration_s
        score = margin(ev.hand_overs, MIN_HAND_OVERS, 2)
    if rate is None:
        return None
    if paired is not None:
        # each channel an FSK-keyed carrier's two tones: its bits are no hops
        ch = paired[0]
        rate = measured_rate(ev, rate, channels=paired)
    else:
        rate = measured_rate(ev, rate)
    params = {"channels_hz": sorted(float(f) for f in ch), "hop_rate_hz": float(rate)}
    return Match(ID, score, params, jamming=sustained(ev))


def _apart(ev) -> bool:
    """Are the channels separate sub-bands: filling at most half the span between the outer ones
    (`Evidence.separate_channels`), or with next to nothing between them (GAP_SHARE_APART)?"""
    return ev.separate_channels or (ev.channels.size >= 2 and ev.channel_gap_share < GAP_SHARE_APART)


def _fsk_pairs(ch: np.ndarray, widths_hz: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(centres, widths) of the channels where ALL of them (ascending, at least 2 * MIN_CHANNELS)
    pair up into neighbours much closer to each other than to the channels beside them
    (features.LOBE_SPACING), or one deviation apart in every pair (FSK_DEVIATION_TOL; a few
    channels may then lie closer to a neighbouring pair than the rule of the closest allows):
    each hop's carrier FSK-keyed, its two tones seen as two channels - one channel centred between
    them, as wide as both; else None. (The frames' one-carrier test,
    `features._one_carrier_lobes`, already counts such a pair as one carrier on.)"""
    n = ch.shape[0]
    if n < 2 * MIN_CHANNELS or n % 2 or widths_hz.shape[0] != n:
        return None
    gaps = np.diff(ch)
    inner, outer = gaps[0::2], gaps[1::2]
    if not (float(inner.max()) <= LOBE_SPACING * float(outer.min()) or _one_deviation(inner, outer)):
        return None
    centres = 0.5 * (ch[0::2] + ch[1::2])
    widths = inner + 0.5 * (widths_hz[0::2] + widths_hz[1::2])
    return centres, widths


def _one_deviation(inner: np.ndarray, outer: np.ndarray) -> bool:
    """Are the gaps within pairs (`inner`, Hz) one FSK deviation - each within FSK_DEVIATION_TOL
    of their median - and that median at most LOBE_SPACING of the median gap between pairs
    (`outer`)? One keyed carrier puts its two tones the same distance apart wherever it hops; a
    hopper's own channels on a grid are as far apart within a "pair" as between pairs."""
    dev = float(np.median(inner))
    return bool(dev > 0 and np.all(np.abs(inner - dev) <= FSK_DEVIATION_TOL * dev)
                and dev <= LOBE_SPACING * float(np.median(outer)))


def _hops_straddled(ev, act, paired) -> bool:
    """Are the several channels on in the short frames (`act`: `Evidence.channel_activity`) one
    hopper's whose dwells are hardly longer than a frame? Then most frames straddle a hop and
    hold the channel left and the channel taken: at most STRADDLED_ON channels on per frame on
    average, and the channels' powers still take turns (`features.channel_turns`: their
    covariance over all pairs at most TURNS_SPLIT of the product of their means, read to
    TURNS_SIGMA; tones on together hold 0, a hopper's channels -1 but for the frames straddling
    its hops). `paired`: FSK pairs (`_fsk_pairs`) to judge as one channel each, or None."""
    sn = ev.snip
    if sn is None or not act[0] <= STRADDLED_ON:
        return False
    ch, wid = paired if paired is not None else (ev.channels, ev.channel_widths_hz)
    _c, _s, c_all, s_all = channel_turns(sn.y, ev.rate_hz, ch, ev.noise_density, widths_hz=wid)
    return bool(s_all <= TURNS_SIGMA and c_all <= TURNS_SPLIT)


def _paired_activity(ev, paired: tuple[np.ndarray, np.ndarray]) -> tuple[float, float, float] | None:
    """`Evidence.channel_activity` counted over FSK pairs (`_fsk_pairs`: centres, widths) each
    taken as one channel: a carrier keyed between its two tones puts both in most short frames
    (a few bits each), so counted apart a hopper would seem to have two channels on at once."""
    sn = ev.snip
    if sn is None:
        return None
    return channel_activity(sn.y, ev.rate_hz, paired[0], ev.noise_density, max(sn.signal, 0.0),
                            widths_hz=paired[1])


def _two_hoppers(ev, act) -> Match | None:
    """Two hoppers on at once in one emission (`hops.two_hoppers`: two sets of channels, each
    taking turns, on together at random with the other's): at most two channels on at a time
    (2 MAX_SIMULTANEOUS), the larger set of MIN_CHANNELS or more, the other of two or more. One
    event over both; its hop rate that of the larger set."""
    sn = ev.snip
    if sn is None or not act[0] <= 2 * MAX_SIMULTANEOUS:
        return None
    ch = np.asarray(ev.channels, dtype=np.float64)
    wid = np.asarray(ev.channel_widths_hz, dtype=np.float64)
    sets = two_hoppers(sn.y, ev.rate_hz, ch, ev.noise_density, max(sn.signal, 0.0), widths_hz=wid)
    if sets is None or sets[0].size < MIN_CHANNELS or sets[1].size < 2:
        return None
    own = np.isin(ch, sets[0])
    got = frame_hops(sn.y, ev.rate_hz, ch[own], ev.noise_density, max(sn.signal, 0.0), widths_hz=wid[own])
    rate = got[0] if got is not None and got[0] > 0 else 0.5 * act[1]
    if not rate > 0:
        return None
    score = margin(-act[0], -2 * MAX_SIMULTANEOUS, 0.15)
    params = {"channels_hz": sorted(float(f) for f in ch), "hop_rate_hz": float(rate)}
    return Match(ID, score, params, jamming=sustained(ev))


def _two_channels(ev) -> Match | None:
    """Two channels taken in turn at a fixed period (a regular train on one tone while the band
    stays on, one carrier at a time): a two-channel hopper. 2-FSK data alternates irregularly
    (its bits carry information), so only a regular, sustained alternation counts."""
    sn = ev.snip  # (its look at the tones sets ev.alternation)
    if sn is None or not sustained(ev):
        return None
    if sn.snr > KAPPA_MIN_SNR and sn.kappa > KAPPA_MAX:
        return None  # the envelope beats: both carriers on at once
    if _sweeps(ev):
        return None  # one carrier moving through both halves of its band: a sweep, no hops
    channels = sorted(float(f) for f in ev.channels)
    alt = getattr(ev, "alternation", None)
    if alt is not None and alt.regular:
        score = margin(-alt.pri_spread, -0.25, 0.08) * margin(-alt.width_cv, -0.25, 0.06)
        return Match(ID, min(1.0, 0.3 + score), {"channels_hz": channels, "hop_rate_hz": 2.0 * float(alt.prf_hz)},
                     jamming=True)
    # dwells too long for the snippet to hold a train: the rows' clock of channel changes
    rows = row_alternation(ev.row_peak_hz, ev.row_on, ev.channels)
    if rows is None or not rows[0] >= MIN_DWELL_ROWS:
        return None
    dwell_rows, misfit, _ = rows
    if misfit >= dwell_rows / math.sqrt(12.0):
        return None  # changes scattered over whole dwells (uniformly: dwell / sqrt 12 rms): no clock
    score = margin(-misfit, -ROW_MISFIT_MAX, 0.1)
    return Match(ID, min(1.0, 0.3 + score), {"channels_hz": channels, "hop_rate_hz": 1.0 / (dwell_rows * ev.row_s)},
                 jamming=True)


def _sweeps(ev) -> bool:
    """Does the band's second-order phase turn as a sawtooth's, coherently (`Evidence.sweep_fast`:
    a sawtooth whose coherence keeps SWEEP_COHERENCE_SHARE of (S / (S + N))^2)? A sawtooth
    sweeping over a band whose averaged spectrum dips in its middle reads as two channels, each
    lit once a period, in turn, as regularly as a two-channel hopper's; but its frequency moves
    all the time, where a hopper's holds still between jumps (the products within a dwell turn
    by 0, and the jumps of two channels taken in turn go up and down alike)."""
    sn = ev.snip
    fast = ev.sweep_fast() if sn is not None else None
    if fast is None or fast["sweep_shape"] != "sawtooth" or not sn.snr > 0:
        return False
    share = sn.snr / (1.0 + sn.snr)
    return fast["coherence"] >= SWEEP_COHERENCE_SHARE * share * share


def _peaks_on_channels(ev) -> bool:
    """Do the emission's own rows peak on its channels (in PEAKS_ON_CHANNELS of them or more)?
    A hopper's tracks are its channels; a group of flickering lines whose averaged spectrum
    merely holds another emission's tones (taken in the same rows) is not a hopper."""
    pk = ev.row_peak_hz[ev.row_on & np.isfinite(ev.row_peak_hz)]
    ch = ev.channels  # (ascending)
    if pk.size < 8 or ch.size < 2:
        return True  # too few rows to tell
    # on a channel: within its own occupied band (a modulated carrier's row peak wanders over
    # it), or two bins of a narrow one; and no farther than SAME_CHANNEL of the spacing to the
    # nearest other channel
    gaps = np.diff(ch)
    spacing = np.minimum(np.concatenate([[np.inf], gaps]), np.concatenate([gaps, [np.inf]]))
    tol = np.minimum(np.maximum(2 * ev.bin_hz, 0.5 * ev.channel_widths_hz + ev.bin_hz), SAME_CHANNEL * spacing)
    near = np.any(np.abs(pk[:, None] - ch[None, :]) <= tol[None, :], axis=1)
    return float(np.mean(near)) >= PEAKS_ON_CHANNELS


def measured_rate(ev, first_rate: float, *, channels: tuple[np.ndarray, np.ndarray] | None = None) -> float:
    """Hop rate (channel changes per second): counted in the rows of the whole emission where its
    dwells span rows (a count over seconds), else in overlapping short frames of the snippet;
    `first_rate` (the classification's own count) where neither can tell. `channels`: (centres,
    widths) to count among instead of the emission's own (`_fsk_pairs`)."""
    ch, wid = channels if channels is not None else (ev.channels, ev.channel_widths_hz)
    ch, wid = _alike_channels(ch, wid)
    sn = ev.snip
    r_f = None
    if sn is not None and ch.size >= 2:
        got = frame_hops(sn.y, ev.rate_hz, ch, ev.noise_density, max(sn.signal, 0.0), widths_hz=wid,
                         dwell_s=1.0 / first_rate if first_rate > 0 else None)
        if got is not None:
            # the rows count among the channels the frames told apart (an FSK carrier's row peak
            # wanders between its tones within a dwell: one channel; two run together: two)
            r_f, ch = got
    rr = row_hop_rate(ev.row_peak_hz, ev.row_on, ev.row_s, ch)
    if rr is not None:
        r_r, med = rr
        if r_f is None:
            if med >= MIN_RUN_ROWS or sn is None:
                return r_r
        elif r_f * ev.row_s <= ROWS_FAST and (med >= MIN_RUN_ROWS or abs(r_r - r_f) <= ROWS_AGREE * r_f):
            return r_r
    return r_f if r_f is not None and r_f > 0 else first_rate


def _alike_channels(ch: np.ndarray, wid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centres, widths) of the channels `ch` (widths `wid`, Hz) no wider than WIDTH_UNLIKE
    times their median. One transmitter hops with one modulation, so its channels are about as
    wide as each other; a much wider one is another emission in the band (a beacon's packets),
    whose frames would count as hops - and whose lobes' close pair would set the frames' length.
    (A narrower one may be one tone of an FSK carrier's pair: kept.) All of them where fewer than
    MIN_CHANNELS would be left."""
    ch = np.asarray(ch, dtype=np.float64)
    wid = np.asarray(wid, dtype=np.float64)
    if wid.shape != ch.shape or ch.size < MIN_CHANNELS:
        return ch, wid
    med = float(np.median(wid))
    alike = wid <= WIDTH_UNLIKE * med
    if np.count_nonzero(alike) < MIN_CHANNELS:
        return ch, wid
    return ch[alike], wid[alike]
