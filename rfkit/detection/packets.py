"""Cues that tell repeated ordinary packets from a jammer: clock regularity and in-frame sweep span.

* `pulse_jitter`: a keyed jammer is driven by a clock: the interval between its pulse starts is
  constant to far better than 1 %. A beacon (BLE advertising, many telemetry devices) adds a
  random delay to every interval on purpose (BLE: 0-10 ms on top of the advertising interval,
  i.e. a few % of a 100 ms interval) so that beacons do not collide for ever. A train seen only
  at row resolution (10 ms) cannot show that: the pulse starts are measured here on the raw IQ
  of as long a stretch as is at hand (in windows of tens of microseconds), the band envelope
  streamed through in chunks (bounded memory).
* `sweep_in_frame`: a slow sweep (lines on the waterfall) covers only a small part of its band in
  a short frame (rate x frame). Chirp-spread-spectrum packets (LoRa-like) sweep their band in
  every symbol (1..30 ms): the per-row peak frequency then aliases into straight pieces that look
  like a slow sweep, but within a frame of an eighth of that sweep's period the band is filled.

Units: samples (absolute indices), s, Hz offsets from the centre, linear power.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import features as ft

__all__ = ["PRI_JITTER_TOLERANCE", "clock_check", "interval_jitter", "onset_jitter", "period_repeat_spread", "pulse_jitter",
           "slow_sweep_aliased", "sweep_in_frame", "sweep_not_repeating"]

#: An interval between pulse starts off the train's period by more than this share of it is
#: not clock-driven. A crystal keyer: < 0.1 %; a keyer that jitters its period (a free-running
#: timer's drift, a deliberately jittered PRI) spreads its intervals by up to ~1 % rms, so a
#: third of them lie beyond 1 % and a few beyond 2 %; BLE's random delay of 0..10 ms spreads
#: a 100 ms interval uniformly over +-5 %: most lie beyond 2 %.
PRI_JITTER_TOLERANCE = 0.02
#: The envelope window times a start to this share of the period (WINDOW_SHARE of 1 %).
TIMING_SHARE = 0.01
#: Fewest intervals between pulse starts for the jitter to be judged.
MIN_INTERVALS = 4
#: Share of the intervals between starts that must be one or two periods for them to be judged.
CONSISTENT = 0.8
#: A snippet's train is timed on the raw samples only where the snippet holds fewer periods.
SLOW_TRAIN_PERIODS = 16
#: The envelope window must resolve a start to this share of TIMING_SHARE (window / period).
WINDOW_SHARE = 0.2
#: Independent values of the band per envelope window needed for an on/off decision at an
#: in-band SNR of 1 (scaled by 1/snr^2), and at least this many at any SNR.
WINDOW_INDEP_SNR1 = 100.0
WINDOW_INDEP_MIN = 4.0
#: Percentile of the window powers read as the pulses' level (at most: `_pulse_level`).
PULSE_TOP_PERCENTILE = 99.5
#: Raw samples band-filtered at a time (the rest stream through chunk by chunk).
CHUNK = 1 << 18
#: Gaps shorter than this share of the period inside a pulse are its own modulation, not an end.
GAP_SHARE = 0.1
#: Sub-bands the band is split into, and how many of them a slow sweep may fill in a frame
#: covering an eighth of its period (its span there is 1/8 of the band: 2 of 16, 3 with an edge).
SUB_BANDS = 16
SWEEP_SUB_BANDS = 4
#: Share of a frame's signal power that a slow sweep keeps in its SWEEP_SUB_BANDS strongest
#: sub-bands; a sweep that fills the band in every frame leaves ~SWEEP_SUB_BANDS / SUB_BANDS.
SWEEP_FRAME_SHARE = 0.6
#: Relative estimation noise wanted of each period pair's correlation, fewest pairs judged, and
#: the median/p90 of the pairs' correlations below which a sweep does not repeat every period.
PAIR_NOISE = 0.1
MIN_PAIRS = 6
REPEAT_SPREAD_MIN = 0.3
#: Share of its rows an emission is on in, below which a fast sweep is judged in a second place.
GAPPY_ON = 0.9
#: Overlap of the far window's spread of excess power over the SUB_BANDS with the snippet's
#: (sum of the smaller shares) below which the far window holds another emitter than the one
#: judged in the snippet: chirp-spread-spectrum packets fill the same band in their preambles
#: and data (~0.8), a narrower packet joined to a sweep that stopped fills a few sub-bands (~0.2).
SAME_BAND_MIN = 0.5
#: Fewest frames with significant signal (sigmas of the frame's noise) for `sweep_in_frame`.
MIN_FRAMES = 4
FRAME_SIGMAS = 5.0


def band_envelope(read, start: int, stop: int, rate_hz: float, lo_hz: float, hi_hz: float,
                  window: int) -> tuple[int, np.ndarray]:
    """(first sample, power per window) of the band [lo_hz, hi_hz] over samples start..stop.

    `read(a, b)` returns (first index it holds, complex samples) of a..b, or (a, None); windows
    are `window` samples long, aligned on the first sample held. Each chunk is band-filtered
    through one FFT with a margin on both sides that is thrown away (the brick wall's ringing).
    """
    bw = max(hi_hz - lo_hz, 1.0)
    margin = int(min(CHUNK // 4, max(256, math.ceil(32 * rate_hz / bw))))
    first = max(read(start, min(stop, start + 1))[0], start)  # the first sample held
    core = max(window, (CHUNK // window) * window)
    out = []
    pos = first
    while pos + window <= stop:
        end = min(stop, pos + core)
        a0 = max(first, pos - margin)
        got_a, x = read(a0, min(stop, end + margin))
        if x is None or got_a > pos or x.shape[0] < end - got_a:
            break
        y, _, _ = ft.band_filter(x, rate_hz, lo_hz, hi_hz)
        e = (y.real ** 2 + y.imag ** 2)[pos - got_a:end - got_a]
        k = e.shape[0] // window
        if k == 0:
            break
        out.append(e[: k * window].reshape(k, window).mean(axis=1))
        pos += k * window
    return first, (np.concatenate(out) if out else np.zeros(0))


def _pulse_level(w: np.ndarray, noise: float, duty: float) -> float:
    """The pulses' power level in the window powers `w` (linear, `noise` the band's noise power):
    the top of the windows (PULSE_TOP_PERCENTILE), but no higher than the noise plus the band's
    mean excess over it spread over the train's `duty` alone (where the duty is known). In a
    band much wider than a weak train's own lines (two tones far apart, read through the span
    between them) the noise's own fluctuation reaches well over the pulses' level in the top
    windows: an SNR read there is several times too high, the windows too short, and noise
    crossing the half level times starts at random (independent 127's alt066: read at 2.2, the
    pulses stand at 0.58). The mean is not lifted by the fluctuation."""
    top = float(np.percentile(w, PULSE_TOP_PERCENTILE))
    if not 0.0 < duty <= 1.0:
        return top
    return min(top, noise + max(float(np.mean(w)) - noise, 0.0) / duty)


def interval_jitter(starts_s: np.ndarray, period_s: float) -> tuple[float, int]:
    """(share of intervals off the period by more than PRI_JITTER_TOLERANCE, intervals judged).

    Intervals spanning two periods (a pulse missed) count per period; the period is the median
    of the per-period intervals (the train's own, not the coarse estimate given). Where fewer
    than CONSISTENT of the intervals are one or two periods (within a quarter), the starts are
    not those of this train (a weak or beating envelope crossing its level at random): nan.
    """
    d = np.diff(np.asarray(starts_s, dtype=np.float64))
    if d.size == 0 or not period_s > 0:
        return math.nan, 0
    k = np.round(d / period_s)
    ok = (k >= 1) & (k <= 2) & (np.abs(d / np.maximum(k, 1) - period_s) < 0.25 * period_s)
    per = d[ok] / k[ok]
    if per.size < MIN_INTERVALS or per.size < CONSISTENT * d.size:
        return math.nan, int(per.size)
    p = float(np.median(per))
    return float(np.mean(np.abs(per - p) > PRI_JITTER_TOLERANCE * p)), int(per.size)


def pulse_jitter(read, start: int, stop: int, rate_hz: float, lo_hz: float, hi_hz: float,
                 noise: float, period_s: float, *, duty: float = math.nan) -> tuple[float, int]:
    """(share of jittered intervals, intervals judged) of the pulse starts of a slow train in the
    band, measured on the raw samples start..stop that `read` holds; (nan, n) where the stretch
    holds fewer than MIN_INTERVALS intervals or the pulses are too weak to time finely.

    `noise` is the noise power in the band, `period_s` the train's period from the rows, `duty`
    its duty cycle where known (`_pulse_level`).
    """
    bw = max(hi_hz - lo_hz, 1.0)
    if not (period_s > 0 and noise > 0 and stop - start > (MIN_INTERVALS + 1) * period_s * rate_hz):
        return math.nan, 0
    w_max = WINDOW_SHARE * TIMING_SHARE * period_s * rate_hz
    w0 = max(1, math.ceil(WINDOW_INDEP_MIN * rate_hz / bw))
    if w0 > w_max:
        return math.nan, 0
    first, w = band_envelope(read, start, stop, rate_hz, lo_hz, hi_hz, w0)
    if w.shape[0] < 16:
        return math.nan, 0
    # the on level, and the SNR during the pulses: windows long enough for it, else give up
    top = _pulse_level(w, noise, duty)
    snr = (top - noise) / noise
    if not snr > 0:
        return math.nan, 0
    indep = max(WINDOW_INDEP_MIN, WINDOW_INDEP_SNR1 / (snr * snr))
    L = max(1, math.ceil(indep * rate_hz / bw / w0))
    if L * w0 > w_max:
        return math.nan, 0
    if L > 1:
        k = w.shape[0] // L
        w = w[: k * L].reshape(k, L).mean(axis=1)
    win = L * w0
    on = w > noise + 0.5 * (top - noise)
    # close gaps inside a pulse (its own keying or data), then take the rising edges
    gap = max(1, int(GAP_SHARE * period_s * rate_hz / win))
    idx = np.flatnonzero(on)
    if idx.size < 2:
        return math.nan, 0
    breaks = np.flatnonzero(np.diff(idx) > gap)
    starts = idx[np.concatenate([[0], breaks + 1])]
    starts = starts[starts > 0]  # a pulse already on at the stretch's start has no start here
    expect = w.shape[0] * win / rate_hz / period_s  # periods in the stretch
    if starts.size < MIN_INTERVALS + 1 or not 0.5 * expect <= starts.size <= 1.5 * expect + 1:
        return math.nan, int(max(starts.size - 1, 0))  # too few, or not one start a period
    # the crossing of the half level, interpolated between windows
    t = []
    half = noise + 0.5 * (top - noise)
    for s in starts:
        a, b = w[s - 1], w[s]
        frac = (half - a) / (b - a) if b > a else 0.0
        t.append((first + (s - 1 + min(max(frac, 0.0), 1.0) + 0.5) * win) / rate_hz)
    return interval_jitter(np.asarray(t), period_s)


def sweep_in_frame(y: np.ndarray, rate_hz: float, lo_hz: float, hi_hz: float, noise: float,
                   frame_s: float) -> float:
    """Median share of a frame's signal power in its SWEEP_SUB_BANDS strongest of SUB_BANDS
    sub-bands of [lo_hz, hi_hz], frames `frame_s` long (at most an eighth of y); nan where
    fewer than MIN_FRAMES frames hold significant signal.

    `y` is the band-filtered snippet, `noise` the noise power in [lo_hz, hi_hz].
    """
    n = y.shape[0]
    bw = hi_hz - lo_hz
    if not (bw > 0 and noise > 0 and frame_s > 0):
        return math.nan
    m = int(min(frame_s * rate_hz, n // 8))
    if m < 4 * SUB_BANDS * rate_hz / bw:
        return math.nan  # frames too short to resolve the sub-bands
    E = _sub_band_powers(y, rate_hz, lo_hz, hi_hz, m)
    k = E.shape[0]
    # noise in each sub-band (per frame, mean of |.|^2 over m samples): noise / SUB_BANDS, with a
    # relative spread 1/sqrt(m * bw / rate / SUB_BANDS) (independent values in the sub-band)
    nsub = noise / SUB_BANDS
    indep = max(m * bw / rate_hz / SUB_BANDS, 1.0)
    S = np.maximum(E - nsub, 0.0)
    tot = S.sum(axis=1)
    sig = FRAME_SIGMAS * nsub * math.sqrt(SUB_BANDS / indep)
    live = tot > sig
    if live.sum() < MIN_FRAMES:
        return math.nan
    top = np.sort(S[live], axis=1)[:, -SWEEP_SUB_BANDS:].sum(axis=1)
    return float(np.median(top / tot[live]))


def _sub_band_powers(y: np.ndarray, rate_hz: float, lo_hz: float, hi_hz: float, m: int) -> np.ndarray:
    """Power [k, SUB_BANDS] of each of SUB_BANDS sub-bands of [lo_hz, hi_hz] in each of the
    k = len(y) // m frames of y, `m` samples each (mean of |.|^2 over the frame)."""
    k = y.shape[0] // m
    X = np.fft.fft(y[: k * m].reshape(k, m), axis=1)
    P = (X.real ** 2 + X.imag ** 2) / (m * m)  # power per bin; a frame's total = sum
    f = np.fft.fftfreq(m, 1.0 / rate_hz)
    sub = np.floor((f - lo_hz) / (hi_hz - lo_hz) * SUB_BANDS).astype(np.int64)
    inb = (sub >= 0) & (sub < SUB_BANDS)
    E = np.zeros((k, SUB_BANDS))
    for j in range(SUB_BANDS):
        sel = inb & (sub == j)
        if sel.any():
            E[:, j] = P[:, sel].sum(axis=1)
    return E


def same_band(y0: np.ndarray, y1: np.ndarray, rate_hz: float, lo_hz: float, hi_hz: float,
              noise: float) -> float:
    """Overlap (0..1: the sum over SUB_BANDS sub-bands of [lo_hz, hi_hz] of the smaller of the two
    shares) of how two band-filtered stretches spread their excess power over the noise (`noise`:
    the noise power in the band) across the band; nan where either holds no excess or the
    stretches are too short to resolve the sub-bands. One emitter looked at twice spreads its
    power alike; a narrower emitter in the other stretch fills only its own few sub-bands."""
    bw = hi_hz - lo_hz
    m = 1 << math.ceil(math.log2(max(4 * SUB_BANDS * rate_hz / bw, 2.0))) if bw > 0 else 0
    if not m or min(y0.shape[0], y1.shape[0]) < m:
        return math.nan
    shares = []
    for y in (y0, y1):
        s = np.maximum(_sub_band_powers(y, rate_hz, lo_hz, hi_hz, m).mean(axis=0) - noise / SUB_BANDS, 0.0)
        if not s.sum() > 0:
            return math.nan
        shares.append(s / s.sum())
    return float(np.minimum(*shares).sum())


def clock_check(ev, train, *, snippet_s: float = 0.0):
    """`train` (a pulse train of `ev`, from its rows or from a snippet `snippet_s` long) with its
    `pri_spread` measured finely on the raw samples where they can tell: the share of its
    intervals off the period by more than PRI_JITTER_TOLERANCE (a clock-driven jammer: 0; a
    beacon's random delays: most). Trains of which the snippet holds SLOW_TRAIN_PERIODS or more
    periods are left as they are (their fold over that many periods already shows them regular)."""
    read = getattr(ev, "read_raw", None)
    if train is None or not train.regular or read is None or not train.prf_hz > 0:
        return train
    if snippet_s * train.prf_hz >= SLOW_TRAIN_PERIODS:
        return train
    lo, hi = ev.band_hz
    rate = ev.rate_hz
    spread, _ = pulse_jitter(read, round(ev.start_s * rate), round(ev.end_s * rate), rate, lo, hi,
                             ev._band_noise(lo, hi), 1.0 / train.prf_hz, duty=train.duty)
    # ... and on every pulse start timed as the stream passed (the ring holds only the last few)
    seen, _ = onset_jitter(getattr(ev, "onsets_s", None), ev.start_s, ev.end_s, 1.0 / train.prf_hz)
    judged = [v for v in (spread, seen) if math.isfinite(v)]
    if not judged:
        return train
    return dataclasses.replace(train, pri_spread=max([train.pri_spread, *judged]))


def onset_jitter(onsets_s, start_s: float, end_s: float, period_s: float) -> tuple[float, int]:
    """`interval_jitter` of the pulse starts `onsets_s` (s) timed as the stream passed, those
    inside start_s..end_s, a start within a quarter period of the one before it dropped (the
    same pulse seen twice); (nan, 0) where there are none."""
    if onsets_s is None or not period_s > 0:
        return math.nan, 0
    t = np.sort(np.asarray(onsets_s, dtype=np.float64))
    t = t[(t >= start_s - period_s) & (t <= end_s)]
    if t.size < 2:
        return math.nan, 0
    keep = np.concatenate([[True], np.diff(t) > 0.25 * period_s])
    return interval_jitter(t[keep], period_s)


def slow_sweep_aliased(ev, slow: dict) -> bool:
    """A slow sweep fitted to the rows whose band is filled within frames covering an eighth of
    it at the fitted rate: the rows alias a sweep faster than they are (chirp-spread-spectrum
    symbols), not a slow sweep. False where the snippet cannot tell."""
    sn = ev.snip
    rate = slow.get("sweep_rate_hz_per_s", 0.0) if slow else 0.0
    if sn is None or not rate > 0:
        return False
    lo, hi = ev.band_hz
    share = sweep_in_frame(sn.y, ev.rate_hz, lo, hi, ev._band_noise(lo, hi), (hi - lo) / (8.0 * rate))
    return share < SWEEP_FRAME_SHARE


def period_repeat_spread(y: np.ndarray, rate_hz: float, period_s: float, bw_hz: float,
                         snr: float, *, nothing: float = math.nan) -> float:
    """Median / 90th percentile of the correlation of each stretch of whole periods with the next
    (|.| each, normalised by their energies): ~1 for a waveform repeating every period (a sweep
    jammer, whatever its drift: each pair is judged alone; packets falling into up to half of
    the pairs do not matter), near 0 for chirp-spread-spectrum packets (preamble symbols repeat,
    the data symbols - cyclically shifted chirps, most of a packet - do not); nan where the
    snippet holds too few stretches, `nothing` where nothing repeats at all.

    A stretch holds m periods, m the fewest for the pair's correlation to be estimated within
    PAIR_NOISE (in-band `snr`, linear; bw_hz / rate_hz independent values per sample).
    """
    P = period_s * rate_hz
    if not (P >= 2 and bw_hz > 0 and snr > 0):
        return math.nan
    need = (1.0 + 1.0 / snr) ** 2 / PAIR_NOISE ** 2  # independent values per stretch
    m = max(1, math.ceil(need / max(P * bw_hz / rate_hz, 1e-9)))
    L = m * P
    k = int(y.shape[0] // L) - 1
    if k < MIN_PAIRS:
        return math.nan
    n = int(L)
    lag = round(L)
    c = np.empty(k)
    en = np.empty(k)
    for i in range(k):
        a = round(i * L)
        s0, s1 = y[a:a + n], y[a + lag:a + lag + n]
        e0, e1 = float(np.vdot(s0, s0).real), float(np.vdot(s1, s1).real)
        c[i] = abs(np.vdot(s1, s0)) / math.sqrt(e0 * e1) if e0 > 0 and e1 > 0 else 0.0
        en[i] = min(e0, e1)
    live = en >= 0.5 * float(np.median(en))  # pairs where the emission is on in both stretches
    c = c[live]
    if c.size < MIN_PAIRS:
        return math.nan
    mid, top = np.percentile(c, [50, 90])
    if top < 3.0 / math.sqrt(max(n * bw_hz / rate_hz, 1.0)):
        return nothing  # nothing repeats (of a sweep seen elsewhere: it is not one there)
    return float(mid / top)


def sweep_not_repeating(ev, fast: dict) -> bool:
    """A fast sweep whose periods do not all repeat (`period_repeat_spread` < REPEAT_SPREAD_MIN):
    chirp-spread-spectrum packets (a sweep jammer starts every period at the same frequency).
    Where the emission's rows leave gaps (on in less than GAPPY_ON of them: packets that other
    traffic in the band joined up?), its on-rows farthest from the snippet are judged too, unless
    the snippet's sweep was seen to repeat and they hold another emitter (`same_band`: its power
    spread over the band unlike the snippet's): a sweep jammer repeats wherever it is looked at,
    packets only in their preambles."""
    sn = ev.snip
    if sn is None or fast is None:
        return False
    lo, hi = ev.band_hz
    period = fast["sweep_period_s"]
    spread = period_repeat_spread(sn.y, ev.rate_hz, period, hi - lo, max(sn.snr, 0.0))
    if spread < REPEAT_SPREAD_MIN:
        return True
    y = _far_window(ev) if ev.on_fraction < GAPPY_ON else None
    if y is None:
        return False
    noise = ev._band_noise(*ev.pass_band_hz)
    if (spread >= REPEAT_SPREAD_MIN  # (seen to repeat: not nan, where the snippet cannot tell)
            and same_band(sn.y, y, ev.rate_hz, lo, hi, ev._band_noise(lo, hi)) < SAME_BAND_MIN):
        # the snippet's sweep repeats, and another emitter is there (a packet the tracker joined
        # to a sweep that stopped): it says nothing of whether the sweep repeats
        return False
    snr = max(float(np.mean(y.real ** 2 + y.imag ** 2)) - noise, 0.0) / noise if noise > 0 else 0.0
    return period_repeat_spread(y, ev.rate_hz, period, hi - lo, snr, nothing=0.0) < REPEAT_SPREAD_MIN


def _far_window(ev) -> np.ndarray | None:
    """Samples (as many as the snippet, through its band filter) centred on the emission's on-row
    farthest from its snippet, where they lie at least a snippet's length from it; else None."""
    sn, x = ev.snip, ev.snippet
    if sn is None or ev.snippet_start < 0:
        return None
    rate, n = ev.rate_hz, x.shape[0]
    rows = ev.row_times_s[ev.row_on] + 0.5 * ev.row_s
    if rows.size == 0:
        return None
    centre = (ev.snippet_start + 0.5 * n) / rate
    t = float(rows[np.argmax(np.abs(rows - centre))])
    if abs(t - centre) < n / rate:
        return None
    a = int(np.clip(round(t * rate - 0.5 * n), round(ev.start_s * rate), max(round(ev.end_s * rate) - n, 0)))
    return ev.read_band(a, n)
