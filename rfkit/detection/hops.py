"""Hop rate of a frequency hopper: channel changes per second, from short frames or from rows.

A hopper is on one channel at a time and jumps to another one every dwell (a hop to the channel
it is already on is no hop: nothing changes). Its rate is counted as changes of the channel
that holds the emission's power:

- `frame_hop_rate`: in overlapping short frames of the raw IQ (fast hoppers, dwells shorter
  than a spectrogram row). Frames overlap (a step of FRAME_STEP of a frame), so a dwell no
  shorter than a frame is the dominant channel of more consecutive frames than one noise event
  (or a short packet of another emitter) can take over: shorter runs are dropped.
- `row_hop_rate`: in the spectrogram rows of the whole emission (slow hoppers: a count over
  seconds, not over a snippet of a fraction of one, holds enough hops for a rate to a few %).
  A dwell of at least one row holds more than half of one row or more, so it is the row's
  strongest channel at least once; a one-row run between longer runs (where runs are typically
  MIN_RUN_ROWS or more) is another emitter's packet that outshone the hopper in that row.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft as sfft

from .features import LOBE_SPACING, frame_channel_powers

__all__ = ["frame_hop_rate", "frame_hops", "row_alternation", "row_hop_rate", "two_hoppers"]

#: Frames advance by this share of their length.
FRAME_STEP = 0.125
#: Dominance runs shorter than this many frames are dropped: one noise event lies in the
#: 1 / FRAME_STEP frames that share its samples, a dwell of one frame or more spans more.
MIN_RUN_FRAMES = 9
#: Longest frame (s), as in the channel-activity analysis: half of a 1 ms dwell.
MAX_FRAME_S = 0.5e-3
#: The channel on stands this many times its bin's noise per channel in a frame (up to MAX_FRAME_S).
FRAME_SNR = 20.0
#: Where typical runs are this many rows long, one-row runs are another emitter's packets.
MIN_RUN_ROWS = 3
#: A gap of more rows than this in the row sequence ends a stretch (the hopper was off).
ROW_GAP = 2
#: Row peaks within this share of the closest channels' spacing are one channel.
SAME_CHANNEL = 0.45
#: Off for more than this many typical dwells (rows): the hopper was switched off, not elsewhere.
OFF_DWELLS = 3.0
#: Two channels taken in turn: the rows on one of them (not off, not elsewhere) at least this
#: share of the stretch, and at least this many changes to fit a clock to.
ALTERNATION_ON = 0.9
ALTERNATION_MIN_CHANGES = 8
#: Two close channels (features.LOBE_SPACING) whose stays hold this many runs on one or the
#: other on average are one keyed carrier's two tones (a hopper's: (K - 1) / (K - 2), <= 2).
PAIR_FLIPS = 3.0
#: A channel this many times the median width of three or more is two channels run together.
WIDE_CHANNEL = 1.75
#: Two hoppers at once: a channel is judged where on in this many frames or more; two channels
#: are on together where the frames with both on are at least TOGETHER_SHARE of what channels
#: on independently would give (and at least 2): one hopper's channels share only the frame
#: straddling a hop between them, two hoppers' are on together at random. Within each set so
#: found, the frames with two on are at most WITHIN_SHARE of the independent count (a keyed
#: carrier's skirts reach a close neighbour's bins). A channel on is one at least SETS_LEAK of
#: the strongest in its frame (well above a Hann window's sidelobes).
SETS_MIN_FRAMES = 8
TOGETHER_SHARE = 0.75
WITHIN_SHARE = 0.3
SETS_LEAK = 0.01
#: Fewest frames / rows to count on.
MIN_POINTS = 16


def _runs(seq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values, lengths) of the runs of equal values of a sequence."""
    if seq.size == 0:
        return seq, np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(seq) != 0) + 1])
    return seq[starts], np.diff(np.concatenate([starts, [seq.size]]))


def _changes(seq: np.ndarray, min_run: int) -> int:
    """Channel changes of a sequence of channel indices, after dropping runs shorter than
    `min_run` and merging the neighbours they separated."""
    vals, lengths = _runs(seq)
    keep = lengths >= min_run
    if min_run > 1 and keep.any():
        vals = vals[keep]
    return int(np.count_nonzero(np.diff(vals) != 0)) if vals.size else 0


def _changes_off(seq: np.ndarray, min_on: int, min_off: int, smear: float = 0.0) -> int:
    """Changes of a channel sequence where -1 marks 'no known channel on': a hopper is always on
    somewhere, so an off run as long as half a typical dwell (and at least `min_off`) is a dwell
    on a channel out of sight (under the receiver's DC guard, too rare to stand in the averaged
    spectrum); shorter off runs and on runs shorter than `min_on` are dropped. `smear`: points
    by which the frames straddling a hop lengthen the on runs (and shorten the off runs)."""
    vals, lengths = _runs(seq)
    # on runs too short for a dwell (noise, another emitter's packet) are 'off' first: an unseen
    # channel's dwell is not cut into short off runs by them
    vals = np.where((vals >= 0) & (lengths < min_on), -1, vals)
    vals, lengths = _runs(np.repeat(vals, lengths))
    inner_on = lengths[1:-1][vals[1:-1] >= 0]
    med = float(np.median(inner_on)) if inner_on.size else math.inf
    keep = np.where(vals >= 0, True, lengths >= max(min_off, 0.5 * (med - smear)))
    if keep.any():
        vals = vals[keep]
    return int(np.count_nonzero(np.diff(vals) != 0)) if vals.size else 0


def _join_keyed_pairs(dom: np.ndarray, ch: np.ndarray, min_run: int) -> tuple[np.ndarray, list[int]]:
    """The dominant-channel sequence `dom` (-1: none on) with each close pair of neighbouring
    channels (ascending `ch`; their gap at most LOBE_SPACING of the gaps beside them) that are
    one keyed carrier's two tones labelled as one channel. A hopper's stay on either of two close
    channels is one dwell (the next hop leaves for the partner only one time in K - 1); an FSK
    carrier's stay flips between its two tones at its bit rate, many times a dwell: joined where
    its stays (runs of at least `min_run` on either, other runs dropped) hold PAIR_FLIPS runs
    on one tone or the other on average. Needs three channels or more (a reference elsewhere).
    Also the lower channels' indices of the pairs joined."""
    if ch.size < 3:
        return dom, []
    vals, lengths = _runs(dom)
    vals = vals[(vals >= 0) & (lengths >= min_run)]
    vals = vals[np.concatenate([[True], np.diff(vals) != 0])] if vals.size else vals
    gaps = np.diff(ch)
    left = np.concatenate([[np.inf], gaps[:-1]])
    right = np.concatenate([gaps[1:], [np.inf]])
    out, joined = dom, []
    for i in np.flatnonzero(gaps <= LOBE_SPACING * np.minimum(left, right)):
        inside = (vals == i) | (vals == i + 1)
        stays = np.count_nonzero(inside & ~np.concatenate([[False], inside[:-1]]))
        if stays and np.count_nonzero(inside) >= PAIR_FLIPS * stays:
            out = np.where(out == i + 1, i, out)
            joined.append(int(i))
    return out, joined


def _split_wide(ch: np.ndarray, wid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centres, widths) with each channel of three or more
    (ascending `ch`) at least WIDE_CHANNEL times as wide as their median split into its two
    halves. A hopper sends one waveform on every channel, so its channels are alike in width; one
    twice as wide (two of width w, at least w apart) is two neighbouring channels the averaged
    spectrum ran together (hops between them are hops). Halves of one modulated carrier flip at
    its modulation's pace and are joined again (`_join_keyed_pairs`)."""
    if ch.size < 3:
        return ch, wid
    wide = wid >= WIDE_CHANNEL * float(np.median(wid))
    if not wide.any():
        return ch, wid
    reps = np.where(wide, 2, 1)
    origin = np.repeat(np.arange(ch.size), reps)
    first = np.concatenate([[True], origin[1:] != origin[:-1]])
    quarter = 0.25 * wid[origin]
    c = ch[origin] + np.where(wide[origin], np.where(first, -quarter, quarter), 0.0)
    return c, np.where(wide[origin], 0.5 * wid[origin], wid[origin])


def _sorted_channels(channels_hz, widths_hz) -> tuple[np.ndarray, np.ndarray | None]:
    """(channel centres ascending, their widths in the same order or None where not given)."""
    c = np.asarray(channels_hz, dtype=np.float64)
    order = np.argsort(c)
    wid = None
    if widths_hz is not None and len(widths_hz) == c.size:
        wid = np.asarray(widths_hz, dtype=np.float64)[order]
    return c[order], wid


def _frame_length(rate_hz: float, spacing_hz: float, n_channels: int, noise_per_hz: float,
                  signal: float) -> int:
    """Samples per frame: enough to resolve channels `spacing_hz` apart (3 bins) and for the
    channel on to outshine the noise of every other channel in almost every frame (its SNR grows
    with their number, as where each of K channels holds 1/K of the power), up to MAX_FRAME_S."""
    need_res = 3.0 * rate_hz / max(spacing_hz, 1.0)
    need_snr = FRAME_SNR * n_channels * noise_per_hz * rate_hz / signal
    return sfft.next_fast_len(math.ceil(max(need_res, min(need_snr, MAX_FRAME_S * rate_hz), 16.0)))


def _frame_spectra(y: np.ndarray, nfft: int, step: int, k: int) -> np.ndarray:
    """Power spectra [k, nfft] (FFT order) of `k` Hann-windowed frames of `y`, `step` apart."""
    idx = np.arange(nfft)[None, :] + step * np.arange(k)[:, None]
    w = np.hanning(nfft + 1)[:-1].astype(np.float32)
    Y = sfft.fft(y[idx] * w, axis=1, workers=2)
    return (Y.real ** 2 + Y.imag ** 2) / float(np.sum(w * w))


def frame_hop_rate(y: np.ndarray, rate_hz: float, channels_hz: np.ndarray, noise_per_hz: float,
                   signal: float, *, widths_hz: np.ndarray | None = None) -> float | None:
    """Channel changes per second of the band-filtered snippet `y` (complex, `rate_hz`), among
    `channels_hz` (offsets, Hz); noise density `noise_per_hz` (power per Hz), `signal` the
    emission's mean power. None where the snippet is too short or nothing is on."""
    got = frame_hops(y, rate_hz, channels_hz, noise_per_hz, signal, widths_hz=widths_hz)
    return None if got is None else got[0]


def frame_hops(y: np.ndarray, rate_hz: float, channels_hz: np.ndarray, noise_per_hz: float,
               signal: float, *, widths_hz: np.ndarray | None = None,
               dwell_s: float | None = None) -> tuple[float, np.ndarray] | None:
    """(`frame_hop_rate`, the channel centres it counted among, ascending: wide channels split in
    two (`_split_wide`), close pairs that are one keyed carrier's two tones joined into one
    (`_join_keyed_pairs`)). `dwell_s`: a first estimate of the dwell, if any."""
    ch, wid = _sorted_channels(channels_hz, widths_hz)
    if ch.size < 2 or y.shape[0] < 64 or not signal > 0:
        return None
    if wid is not None:
        split = _split_wide(ch, wid)
        # halves are told apart by frames that resolve them (3 bins) within half a dwell: of
        # `dwell_s` where known, else of 1 ms (MAX_FRAME_S), or no closer than the channels are
        reach = 3.0 / (0.5 * dwell_s) if dwell_s else min(float(np.min(np.diff(ch))), 3.0 / MAX_FRAME_S)
        if float(np.min(np.diff(split[0]))) >= reach:
            ch, wid = split
    spacing = float(np.min(np.diff(ch)))
    nfft = _frame_length(rate_hz, spacing, ch.size, noise_per_hz, signal)
    step = max(1, int(nfft * FRAME_STEP))
    k = (y.shape[0] - nfft) // step + 1
    if k < MIN_POINTS:
        return None
    P = _frame_spectra(y, nfft, step, k)
    # each channel's bins within its own neighbours' reach: one close pair (an FSK carrier's two
    # tones) does not narrow a wide channel elsewhere to a share of its band
    gaps = np.diff(ch)
    own = np.minimum(np.concatenate([[np.inf], gaps]), np.concatenate([gaps, [np.inf]]))
    if wid is not None:  # (only where the closest pair's reach would cut into its own band)
        own = np.where(0.5 * wid > 0.45 * spacing, own, spacing)
    else:
        own = np.full(ch.size, spacing)
    pw, nb = frame_channel_powers(P, rate_hz, ch, wid, own)
    mu = noise_per_hz * rate_hz  # a bin's mean noise (see features.channel_activity)
    top = pw.max(axis=1)
    on = top > mu * (nb[np.argmax(pw, axis=1)] + 4.0 * np.sqrt(nb[np.argmax(pw, axis=1)]))
    frames = np.flatnonzero(on)
    if frames.size < MIN_POINTS:
        return None
    a, b = frames[0], frames[-1] + 1
    dom, joined = _join_keyed_pairs(np.where(on[a:b], np.argmax(pw[a:b], axis=1), -1), ch, MIN_RUN_FRAMES)
    changes = _changes_off(dom, MIN_RUN_FRAMES, MIN_RUN_FRAMES, smear=1.0 / FRAME_STEP)
    span_s = (b - a) * step / rate_hz
    # the channels counted among: halves kept apart, pairs joined (as one, centred between them)
    counted = np.delete(ch, [i + 1 for i in joined])
    for n, i in enumerate(joined):
        counted[i - n] = 0.5 * (ch[i] + ch[i + 1])
    return (changes / span_s, counted) if span_s > 0 else None


def _row_labels(peak_hz: np.ndarray, on: np.ndarray, ch: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(label per row: index of the channel its peak is on, another number for a peak on no
    channel, -1 where off; the on rows), or (empty, None) where too few rows are on. One channel:
    peaks closer than SAME_CHANNEL of the closest channels' spacing (a carrier's FM moves its row
    peak; a channel too rare for the averaged spectrum is still told apart)."""
    pk = np.asarray(peak_hz, dtype=np.float64)
    ok = np.asarray(on, dtype=bool) & np.isfinite(pk)
    rows = np.flatnonzero(ok)
    if ch.size < 2 or rows.size < MIN_POINTS:
        return np.zeros(0, dtype=np.int64), None
    tol = SAME_CHANNEL * float(np.min(np.diff(ch)))
    lab = np.full(pk.shape[0], -1, dtype=np.int64)
    cur, ref = -1, math.nan
    for r in rows:
        if not abs(pk[r] - ref) <= tol:
            hit = np.flatnonzero(np.abs(ch - pk[r]) <= tol)
            cur = int(hit[np.argmin(np.abs(ch[hit] - pk[r]))]) if hit.size else ch.size + int(r)
            ref = pk[r] if not hit.size else ch[cur]
        lab[r] = cur
    return lab, rows


def row_alternation(peak_hz: np.ndarray, on: np.ndarray, channels_hz: np.ndarray) -> tuple[float, float, int] | None:
    """(rows per dwell, rms misfit in rows, changes) of two channels taken in turn at a fixed
    period in the rows: the rows where the peak changes channel fitted by a straight line (one
    change per dwell). None where the rows are not all on one of the two channels or too few.

    A two-channel hopper whose dwell spans rows moves its row peak between the channels on a
    regular clock; 2-FSK data alternates at its bit rate (within a row: both channels in it) and
    at irregular times."""
    ch = np.sort(np.asarray(channels_hz, dtype=np.float64))
    if ch.size != 2:
        return None
    lab, rows = _row_labels(peak_hz, on, ch)
    if rows is None:
        return None
    seq = lab[rows[0]:rows[-1] + 1]
    if np.mean((seq == 0) | (seq == 1)) < ALTERNATION_ON:
        return None  # off, or on neither channel, too often: not one carrier always on
    vals, lengths = _runs(seq)
    starts = (np.cumsum(lengths) - lengths)[vals >= 0]
    vals = vals[vals >= 0]  # (an off row inside a dwell is no change)
    change = starts[1:][np.diff(vals) != 0].astype(np.float64)
    if change.size < ALTERNATION_MIN_CHANGES:
        return None
    k = np.arange(change.size, dtype=np.float64)
    slope, icpt = np.polyfit(k, change, 1)
    misfit = float(np.sqrt(np.mean((change - (icpt + slope * k)) ** 2)))
    return float(slope), misfit, int(change.size)


def row_hop_rate(peak_hz: np.ndarray, on: np.ndarray, row_s: float,
                 channels_hz: np.ndarray) -> tuple[float, float] | None:
    """(channel changes per second, median rows per dwell) from the per-row peak offsets
    `peak_hz` (Hz, nan where off) of the rows `on`, each mapped to the nearest of
    `channels_hz`; None where too few rows."""
    ch = np.sort(np.asarray(channels_hz, dtype=np.float64))
    lab, rows = _row_labels(peak_hz, on, ch)
    if rows is None:
        return None
    # stretches: off for longer than a few dwells between them (the hopper was switched off)
    vals, lengths = _runs(lab[rows[0]:rows[-1] + 1])
    inner_on = lengths[1:-1][vals[1:-1] >= 0]
    med = float(np.median(inner_on)) if inner_on.size else math.nan
    gap_max = max(ROW_GAP, OFF_DWELLS * med) if math.isfinite(med) else ROW_GAP
    cuts = np.flatnonzero(np.diff(rows) > gap_max + 1) + 1
    min_on = 2 if med >= MIN_RUN_ROWS else 1
    changes, span = 0, 0
    for part in np.split(rows, cuts):
        if part.size < 2:
            continue
        changes += _changes_off(lab[part[0]:part[-1] + 1], min_on, min_on)
        span += part[-1] - part[0] + 1
    if span <= 0:
        return None
    return changes / (span * row_s), med


def two_hoppers(y: np.ndarray, rate_hz: float, channels_hz: np.ndarray, noise_per_hz: float,
                signal: float, *, widths_hz: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """(channel offsets of one hopper, of the other), the larger set first, where the channels
    `channels_hz` (Hz) of the band-filtered snippet `y` are two hoppers on at once: in short
    frames, the pairs of channels on together (TOGETHER_SHARE) join the two sets and no pair
    within one set is on together - the graph of pairs on together is two-coloured, and
    connected over the channels judged - and each set's channels take turns (WITHIN_SHARE).
    None where they are not, or too few frames.

    One hopper is on one channel at a time, so its channels take turns; two independent ones are
    each on one of their own, so each channel of one is on together with the other's channels
    at random. Several tones on together (a multitone) put odd cycles in that graph; packets of
    one device at a time put no edge in it."""
    ch, wid = _sorted_channels(channels_hz, widths_hz)
    if ch.size < 4 or y.shape[0] < 64 or not signal > 0:
        return None
    spacing = float(np.min(np.diff(ch)))
    nfft = _frame_length(rate_hz, spacing, ch.size, noise_per_hz, signal)
    k = y.shape[0] // nfft
    if k < 4 * MIN_POINTS:
        return None
    P = _frame_spectra(y, nfft, nfft, k)
    pw, nb = frame_channel_powers(P, rate_hz, ch, wid, spacing)
    mu = noise_per_hz * rate_hz
    on = (pw > mu * (nb + 4.0 * np.sqrt(nb))) & (pw > SETS_LEAK * pw.max(axis=1, keepdims=True))
    n_on = on.sum(axis=0).astype(np.float64)
    judged = np.flatnonzero(n_on >= SETS_MIN_FRAMES)
    if judged.size < 4:
        return None
    o = on[:, judged].astype(np.float64)
    both = o.T @ o
    expect = np.outer(n_on[judged], n_on[judged]) / k
    edge = (both >= 2) & (both >= TOGETHER_SHARE * expect)
    np.fill_diagonal(edge, False)
    # two-colour the graph of pairs on together (breadth first from the first channel)
    colour = np.full(judged.size, -1)
    colour[0] = 0
    queue = [0]
    while queue:
        i = queue.pop()
        for j in np.flatnonzero(edge[i]):
            if colour[j] < 0:
                colour[j] = 1 - colour[i]
                queue.append(int(j))
            elif colour[j] == colour[i]:
                return None  # on together within one set: not two hoppers
    if (colour < 0).any():
        return None  # a channel never on together with any other: not judged two hoppers
    within = colour[:, None] == colour[None, :]
    np.fill_diagonal(within, False)
    if not float(both[within].sum()) <= WITHIN_SHARE * float(expect[within].sum()):
        return None  # each set's channels do not take turns
    sets = [ch[judged[colour == c]] for c in (0, 1)]
    sets.sort(key=lambda s: -s.size)
    return sets[0], sets[1]
