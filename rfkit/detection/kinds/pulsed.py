"""pulsed: any other kind switched on and off periodically (a keyed jammer).

Signature: the band envelope is a regular pulse train: folded on its period (epoch folding over
up to 512 periods) it spends <= 5 % of the period at intermediate levels beyond its two edges
(keyed data - DCF77's 100/200 ms dips, OOK/PWM packets - has two widths and spends more), off level < 15 %
of the on level above the noise, duty 0.02..0.97; sustained. Fast trains come from the band-
filtered snippet (envelope averaged to 4x SNR per point), slow ones (PRF below ~25 Hz) from
the row series. The base kind is what is on during a pulse: narrow lines (within ~4 / pulse
width, the keying's spread) -> cw/multitone, a constant envelope during the pulse (kappa *
duty < 1.4) or a coherent sweep -> chirp, else noise. A sweep crossing the whole band is chirp's.
Where the period fold finds no sweep, a sawtooth's rate is measured inside the pulses from its
second-order phase at several lags (sweep_lags.py; noise gives none, so a rough in-pulse envelope
holding one repeating inside each pulse is a chirp base, not noise).
Params: `prf_hz` (straight-line fit of pulse starts), `duty_cycle` (mean power / on power),
`pulse_width_s` = duty / PRF, `base_kind`, and the base's own params.
Checked on: generated pulsed cw/chirp/noise/multitone, PRF 100..2000 Hz, duty 0.1..0.6
(tests/detection/test_kinds.py); gnss_jamming_demo JamData400/500 (-> chirp, see chirp.py).
"""

from __future__ import annotations

import math

import numpy as np

from .. import features as ft
from ..evidence import KEYING_LINES_MAX
from ._base import Match, margin, sustained
from .cw import ON_ROWS_MIN

ID = "pulsed"
JAMMING = True
#: A train seen only at row resolution (10 ms) counts only where the raw snippet holds fewer than
#: this many of its periods (a repeated OOK packet is regular in rows, keyed inside).
ROW_TRAIN_MAX_PERIODS = 4
#: ... unless the snippet's fold, over fewer than SNIPPET_FEW_PERIODS periods (too few to average
#: a noise-keyed envelope's own fluctuation out of its profile), finds the rows' train: its PRF
#: within SNIPPET_PRF_TOL, its duty within SNIPPET_DUTY_TOL, its off level deep (OFF_RATIO_MAX).
SNIPPET_FEW_PERIODS = 8
SNIPPET_PRF_TOL = 0.1
SNIPPET_DUTY_TOL = 0.1
#: A train read through notches keeps at least this share of its on/off contrast without them
#: where it is keyed (`_notch_made`).
NOTCH_CONTRAST_SHARE = 0.5
#: Cyclic-prefix significance (sigmas) that marks OFDM (see traffic.py).
OFDM_SIGMA = 20.0
#: Keying spreads a carrier over about this many / pulse width (Hz): main lobe and first side lobes.
KEYING_SPREAD = 4.0
#: In-pulse envelope kappa above which a keyed carrier carries data inside its bursts (OOK bits:
#: ~1/bit duty, 2..4) - a sensor repeating its packet, not a jammer (CW: 1; K tones: <= 2 - 1/K).
KAPPA_ON_CW_MAX = 1.5
KAPPA_ON_MULTITONE_MAX = 2.3
#: Three or more lines under a constant in-pulse envelope (kappa_on below this) are a sweep's comb;
#: tones on together beat (kappa_on ~ 2 - 1/K >= 1.5).
KAPPA_ON_COMB = 1.25
#: Envelope kappa during a pulse below which the pulse holds a constant-envelope sweep.
KAPPA_ON_SWEEP = 1.4
#: Coherence of the second-order phase above which the band holds a sweep (noise, OFDM: ~0).
SWEEP_COHERENCE = 0.02
#: Share of the sampled band above which in-band pulses of a constant envelope may be a sweep
#: wider than the band passing through it once a period (chirp's), not keying.
WHOLE_BAND = 0.7
#: A sweep passing through the band pulses it at the sweep's period (or half of it, a triangle's
#: two passes) within this share (the fold's period accuracy, a few %, and a triangle whose band
#: read is off its middle); pulses at neither come from a keyer (`_pulses_off_sweep`).
PASS_PERIOD_TOL = 0.1
#: A sweep whose period is below this share of the pulse width repeats inside each pulse: the
#: sweeper itself is keyed (a sweep passing through the band makes one pulse per period).
SWEEPS_IN_PULSE = 0.5
#: A sweep whose period is FRAME_LOCK_FRAMES whole FFT frames (within FRAME_LOCK_TOL), pulsing
#: once a period and running FRAME_LOCK_BEYOND times the band read per period, is a continuous
#: sweep read through a frame-locked spectrum (`_frame_locked_sweep`).
FRAME_LOCK_FRAMES = (1, 2)
FRAME_LOCK_TOL = 0.01
FRAME_LOCK_BEYOND = 1.25
#: A sweep whose band read reaches past RX_EDGE_SHARE of the Nyquist frequency (the receiver's
#: band-edge filter: -6 dB at ~0.8..0.9 of it) and which runs past that band between its
#: pulses, pulsing once a sweep period, leaves the receiver's band once a period
#: (`_sweep_past_edge`): a continuous sweep tuned partly outside the band, not a keyed one.
RX_EDGE_SHARE = 0.8
#: ... running past the band read by this share at least (the measured rate's accuracy, ~5 %).
RX_EDGE_BEYOND = 1.05
#: ... and whose pulses are its passes over the band read: the span swept while on (span x duty)
#: is the band read within this share (the band's quarter-power edges, the duty's fold).
RX_EDGE_FILL_TOL = 0.15
#: A row train of at most this duty leaves its band at the noise over most of any stretch of one
#: period; blocks under OFF_SHARE of the on level are off (`_row_train_unseen`).
ROW_TRAIN_DUTY_MAX = 0.5
OFF_SHARE = 0.25
#: ... and at the noise: within this share of the band's noise power over it (the floor's own
#: error is ~0.1; a jammer that stays on between another emitter's packets stands clear of it).
OFF_NOISE_SHARE = 0.2
#: The raw samples of a row train's longest off-stretch, in this many blocks, holding over
#: GAP_HELD_SHARE of the snippet's in-band signal (median block) say the band was on there
#: (`_row_gap_held`); judged where the snippet's in-band SNR (linear) is at least GAP_MIN_SNR.
GAP_BLOCKS = 16
GAP_HELD_SHARE = 0.5
GAP_MIN_SNR = 1.0
#: A row train's pulses are read again in windows of 1/FINE_WINDOWS_PER_ROW of a row (up to
#: 1/4 of one where the noise needs longer), judged only where a window inside a pulse stands
#: FINE_SIGMAS of its own spread (signal and noise) over the noise: a keyed band is on for about
#: its duty there too (at least half of it in a snippet holding one period or more); under
#: FINE_DUTY_SHARE of it, the rows were lit by packets much shorter than them
#: (`_row_pulses_unfilled`).
FINE_WINDOWS_PER_ROW = 8
FINE_SIGMAS = 5.0
FINE_DUTY_SHARE = 1.0 / 3.0
#: A row train's pulse rows are timed to within this many rows each side (the fold's phase bins).
PULSE_ROW_SLACK = 1
#: A snippet's train began or ended inside it where, before its first run of held pulses (or
#: after its last), at least LIFE_GAP_SHARE of the periods folded (and 2) hold no pulse at all.
LIFE_GAP_SHARE = 0.25
#: Fewest pulses of a train whose life is shorter than min_jamming_s (as `sustained`'s rule).
LIFE_MIN_PULSES = 8
#: Pulses and gaps shorter than this many samples are no keying: a band-limited signal's envelope
#: wanders on its own over a few samples (1 / its bandwidth), and a "train" read at that scale is
#: that wander (a LoRa packet's, at a PRF near its bandwidth), not a keyer's on and off.
MIN_PULSE_SAMPLES = 8
#: Significance (|R| peak height times sqrt(independent samples)) of a waveform's repetition
#: period: above the largest peak a noise band's |R| reaches over its ~1e5 lags (~5 sigmas).
IN_PULSE_SIGMAS = 8.0
#: Chunks per pulse in which a slow sweep's slopes are read (`_slopes_in_pulses`), the least
#: turn (rad) of its second-order phase at the lag guessed for ~1 rad, and the agreement of the
#: rates read at that lag and half of it.
SLOPE_CHUNKS_PER_PULSE = 4
SLOPE_TURN_MIN = 0.25
SLOPE_RATE_TOL = 0.2
#: Most chunks read (the first inside pulses): enough for the median turn, a bounded cost.
SLOPE_MAX_CHUNKS = 64
#: Tones on a common grid within this share of its spacing, whose band repeats within this share
#: of the grid's period (`tones_beat`).
BEAT_PERIOD_TOL = 0.05
#: A train with this many pulses a row or more lights every row it is on in, and one too weak
#: for that misses rows at random - never this many in a row (0.2 s of 10 ms rows; 0.7 ** 20 ~
#: 1e-3 for a jammer lit in 30 % of its rows) (`_packets_keyed_inside`): pulses a row, and
#: silent rows in a row.
ROW_PULSES_MIN = 4.0
SILENT_ROWS_MIN = 20
#: ... told only where its rows light in this share of the span or more (fewer: the train was
#: found in the raw snippet, too weak for the rows, whose silences then say nothing).
ROWS_TOLD_MIN = 0.25


def match(ev) -> Match | None:
    sn = ev.snip
    train = sn.train if sn is not None else None
    if train is None or not train.regular:
        rt = ev.row_train
        if rt is None or not rt.regular:
            return None
        if (sn is not None and sn.n / ev.rate_hz * rt.prf_hz >= ROW_TRAIN_MAX_PERIODS
                and not _snippet_confirms(sn.train, rt)):
            return None  # the raw snippet holds enough periods to see it finely, and did not
        if _row_train_unseen(ev, rt):
            return None  # the band read is on, steady, through a whole period: not keyed
        if _row_pulses_unfilled(ev, rt):
            return None  # short packets lighting the rows, far shorter than the pulses read there
        if _row_gap_held(ev, rt):
            return None  # the band holds its power where the rows are off: another group took them
        if _snippet_between_pulses(ev, rt):
            return None  # the snippet's power lies between the rows' pulses: another emitter's
        train = rt
    if not sustained(ev) and train.n_pulses < 8:
        return None
    if sn is not None and train is sn.train and _train_life_short(ev, train):
        return None  # a device's few repeated packets the tracker held on after (or before)
    if _packets_keyed_inside(ev, train):
        return None  # packets with structure inside them (LoRa's chirps), not a train held on
    if min(train.width_s, 1.0 / train.prf_hz - train.width_s) * ev.rate_hz < MIN_PULSE_SAMPLES:
        return None  # "pulses" of a few samples: the envelope's own fluctuation, not keying
    if ev.ofdm and not (math.isfinite(ev.kappa_on) and ev.kappa_on < 1.4):
        return None  # a cyclic prefix: OFDM whose frames gate it (traffic), not a keyed jammer
    if _notch_made(ev, train):
        return None  # a sweep crossing the notches of the band read: the notches make the pulses
    b0, b1 = ev.band_hz
    tones = ev.tones
    params = {"prf_hz": train.prf_hz, "duty_cycle": train.duty, "pulse_width_s": train.width_s}
    # what is on during a pulse: a constant envelope (kappa_on ~ 1) is a carrier (narrow) or
    # a sweep (wide); a Gaussian one (~2) is noise; tones in the spectrum say which carriers
    kappa_on = ev.kappa_on
    if not math.isfinite(kappa_on) and sn is not None and math.isfinite(sn.kappa):
        kappa_on = sn.kappa * train.duty
    constant = math.isfinite(kappa_on) and kappa_on < KAPPA_ON_SWEEP
    spread = max(KEYING_SPREAD / max(train.width_s, 1e-12), 4 * ev.bin_hz)
    peaks = ev.channels
    # narrow: a few separate lines, each no wider than a keyed carrier's spread (tones far apart
    # span the band between them, yet each is a carrier)
    narrow = 0 < peaks.size <= 16 and (b1 - b0 <= spread * peaks.size or (
        peaks.size >= 2 and float(np.max(ev.channel_widths_hz)) <= spread))
    fast = None if narrow else ev.sweep_fast()
    comb = tones.stationary and tones.count >= 3 and math.isfinite(kappa_on) and kappa_on < KAPPA_ON_COMB
    # (K carriers on together beat: their envelope is constant for one, kappa ~ 2 - 1/K for more)
    steady = constant or peaks.size >= 2 and kappa_on <= KAPPA_ON_MULTITONE_MAX
    lines = tones.stationary and tones.fraction >= 0.5
    carriers, keyed = keyed_carriers(tones, train.prf_hz, ev.bin_hz) if lines else (None, False)
    if keyed or not comb and (lines or (narrow and (steady or not math.isfinite(kappa_on)))
                              or _keyed_lines(ev, spread, kappa_on)):
        f = carriers if lines else peaks
        base = "cw" if len(f) == 1 else "multitone"
        limit = KAPPA_ON_CW_MAX if base == "cw" else KAPPA_ON_MULTITONE_MAX
        if not keyed and math.isfinite(kappa_on) and kappa_on > limit and not tones_beat(ev, f):
            return None  # the carrier is keyed inside each burst too: OOK data, not a keyed jammer
        params["tones_hz"] = sorted(float(v) for v in f)
    else:
        if (fast is not None and fast["coherence"] > SWEEP_COHERENCE) or constant:
            if (b1 - b0 >= WHOLE_BAND * ev.rate_hz and constant and not _sweeps_in_pulse(fast, train)
                    and not repeats_in_pulse(ev, train) and not _pulses_off_sweep(fast, train)):
                return None  # a sweep wider than the band passing through it (chirp's), or no sweep
            base = "chirp"
            if fast is not None and fast.get("slopes_read", True):
                params.update({k: fast[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape")})
            else:
                params.update(_sweep_in_pulses(ev, train))
        else:
            # an envelope the receiver or the keying's ramps roughen inside the pulses can still
            # hold a sawtooth sweep repeating inside each pulse: its second-order phase turns as
            # c L^2 with lag L (noise, whatever its band, gives a real mean: no turn)
            swept = _sweep_in_pulses(ev, train) if sn is not None else {}
            if "sweep_period_s" not in swept:
                swept = _slopes_in_pulses(ev, train)
            base = "chirp" if "sweep_period_s" in swept or "sweep_rate_hz_per_s" in swept else "noise"
            params.update(swept if base == "chirp" else {})
        params["bandwidth_hz"] = b1 - b0
    params["base_kind"] = base
    score = (margin(-train.pri_spread, -0.25, 0.08) * margin(-train.width_cv, -0.25, 0.06)
             * margin(-train.off_ratio, -0.15, 0.04))
    score = min(1.0, 0.3 + score)
    swept = (_frame_locked_sweep(ev, params) or _sweep_past_edge(ev, params)) if base == "chirp" else None
    if swept is not None:
        return Match("chirp", score, swept, jamming=sustained(ev))
    if base == "chirp" and (params.get("sweep_period_s") or 0.0) >= train.width_s:
        # a "sweep period" no shorter than the pulses is no sweep repeating inside them (the fold
        # found the keying): the slopes read inside the pulses give the rate, where they turn
        slopes = _slopes_in_pulses(ev, train)
        if slopes:
            for k in ("sweep_period_s", "sweep_shape"):
                params.pop(k, None)
            params.update(slopes)
    return Match(ID, score, params, jamming=sustained(ev))


def _sweep_in(params: dict) -> tuple[float, float] | None:
    """(period s, rate Hz/s) of the sweep measured inside the pulses, or None where there is none."""
    period = params.get("sweep_period_s")
    rate = params.get("sweep_rate_hz_per_s")
    if not (period and rate and math.isfinite(period) and math.isfinite(rate) and period > 0):
        return None
    return period, rate


def _frame_locked_sweep(ev, params: dict) -> dict | None:
    """The params of a continuous sweep whose "pulses" are its own passes through a band read too
    narrow, or None. A sweep whose period is one or two FFT frames long meets every frame at the
    same phase: the window weights the same stretch of each sweep in every frame, so the
    averaged spectrum rises in the middle of the swept band and its edges are read inside it;
    the sweep then leaves that band once a period (a sawtooth) or twice (a triangle), like a
    keyed one. It is such a sweep where the pulses come once or twice per sweep period, that
    period is FRAME_LOCK_FRAMES whole frames within FRAME_LOCK_TOL, and the sweep runs
    FRAME_LOCK_BEYOND times the band read from one pulse to the next."""
    sweep = _sweep_in(params)
    if sweep is None:
        return None
    period, rate = sweep
    passes = round(params["prf_hz"] * period)
    if passes not in (1, 2) or abs(params["prf_hz"] * period - passes) > FRAME_LOCK_TOL * passes:
        return None  # keyed at a rate of its own: the pulses are no passes of the sweep
    frames = period * ev.bin_hz  # the sweep's period in frames (a frame lasts 1 / bin_hz)
    k = round(frames)
    if k not in FRAME_LOCK_FRAMES or abs(frames - k) > FRAME_LOCK_TOL * k:
        return None
    b0, b1 = ev.band_hz
    if abs(rate) / params["prf_hz"] < FRAME_LOCK_BEYOND * (b1 - b0):
        return None
    # (the shape as measured inside the pulses: a triangle meets a band read at its turning
    # point once a period, as a sawtooth meets any)
    shape = params.get("sweep_shape", "sawtooth")
    return {"sweep_rate_hz_per_s": abs(rate), "sweep_period_s": period, "sweep_shape": shape,
            "bandwidth_hz": abs(rate) * period / (2.0 if shape == "triangle" else 1.0)}


def _sweep_past_edge(ev, params: dict) -> dict | None:
    """The params of a continuous sweep that runs past the edge of the receiver's band once a
    period, or None. A sweep tuned partly outside the sampled band (a wide sweep, or a tuner's
    frequency error) is attenuated by the receiver's band-edge filter for the part of each period
    it spends beyond it: in the band it pulses once per sweep period, the pulses' gap sitting at
    the band's edge. It is such a sweep where the pulses come exactly once per sweep period
    (FRAME_LOCK_TOL), the band read reaches RX_EDGE_SHARE of the Nyquist frequency, and the
    sweep runs past the band read from one pulse to the next, sweeping the band read while on
    (span x duty, RX_EDGE_FILL_TOL: a slice of a wider sweep near a turn is passed for a far
    smaller share of the period). A keyed sweeper's keying is its own clock, which does not
    meet its sweep period (sweeps repeat inside its pulses), and is keyed wherever its band lies. The bandwidth reported is the whole swept span (rate x
    period), not its in-band part."""
    sweep = _sweep_in(params)
    if sweep is None:
        return None
    period, rate = sweep
    if abs(params["prf_hz"] * period - 1.0) > FRAME_LOCK_TOL:
        return None  # keyed at a rate of its own (or twice a period: a triangle's turns)
    b0, b1 = ev.band_hz
    if max(-b0, b1) < RX_EDGE_SHARE * 0.5 * ev.rate_hz:
        return None  # inside the receiver's band: the gaps are keying
    # (a rate read as the band over the period says nothing of a sweep beyond the band: only
    # one its fold measured from the instantaneous frequency does)
    fast = ev.sweep_fast()
    measured = fast.get("rate_measured") if fast is not None else None
    if not (measured and math.isfinite(measured)):
        return None
    shape = params.get("sweep_shape", "sawtooth")
    turns = 2.0 if shape == "triangle" else 1.0
    if abs(measured) * period / turns < RX_EDGE_BEYOND * (b1 - b0):
        return None
    if abs(abs(rate) / abs(measured) - 1.0) > RX_EDGE_BEYOND - 1.0:
        rate = measured  # (the rate given was the band read over the period: too low)
    span = abs(rate) * period / turns
    if abs(span * params["duty_cycle"] / (b1 - b0) - 1.0) > RX_EDGE_FILL_TOL:
        return None  # its pulses are no passes over the band read: a slice of it, or keying
    return {"sweep_rate_hz_per_s": abs(rate), "sweep_period_s": period, "sweep_shape": shape,
            "bandwidth_hz": span}


def keyed_carriers(tones, prf_hz: float, bin_hz: float) -> tuple[np.ndarray, bool]:
    """(offsets of the carriers, whether keying lines were seen): the tones less those a whole
    1..KEYING_LINES_MAX PRFs (within a bin) from a stronger one - the lines at the PRF's
    multiples about a carrier keyed periodically, weaker than it - and whether any tone had such
    lines (folded here, or its close side lines, `Tones.side_hz`). OOK data spreads a continuum:
    lines at the PRF prove the keying periodic, whatever the envelope inside a pulse. Only a PRF
    of 2 bins or more resolves them."""
    f = tones.offsets_hz
    if f.size == 0 or not prf_hz >= 2 * bin_hz:
        return f, False

    def on_grid(d):
        k = np.rint(np.abs(d) / prf_hz)
        return (k >= 1) & (k <= KEYING_LINES_MAX) & (np.abs(np.abs(d) - k * prf_hz) <= bin_hz)

    kept = []
    for i in np.argsort(-tones.powers):
        if not kept or not np.any(on_grid(f[i] - f[kept])):
            kept.append(int(i))
    keyed = len(kept) < f.size or bool(np.any(on_grid(tones.side_hz[np.isfinite(tones.side_hz)])))
    return np.sort(f[kept]), keyed


def tones_beat(ev, tones_hz) -> bool:
    """Is the band's waveform periodic at the reciprocal of its tones' spacing (a significant |R|
    peak, IN_PULSE_SIGMAS, at 1/spacing within BEAT_PERIOD_TOL)? Two or more carriers on a grid
    of spacing d sum to a waveform repeating every 1/d: their envelope is their beat, fixed by
    their phases (tones started in phase peak together: kappa up to (2K^2 + 1) / 3K, above the
    2 - 1/K of random phases). Data keyed onto a carrier changes from bit to bit: it repeats
    at no such period."""
    f = np.sort(np.asarray(tones_hz, dtype=np.float64))
    sn = ev.snip
    if f.size < 2 or sn is None or not math.isfinite(sn.period_s):
        return False
    d = np.diff(f)
    spacing = float(d.min())
    if not spacing > 0 or np.any(np.abs(d / spacing - np.rint(d / spacing)) > BEAT_PERIOD_TOL):
        return False  # no common grid
    if abs(sn.period_s * spacing - 1.0) > BEAT_PERIOD_TOL:
        return False
    b0, b1 = ev.band_hz
    n_eff = sn.n * min(max(b1 - b0, ev.bin_hz), ev.rate_hz) / ev.rate_hz
    return sn.period_height * math.sqrt(max(n_eff, 1.0)) >= IN_PULSE_SIGMAS


def repeats_in_pulse(ev, train) -> bool:
    """The band waveform repeats (a significant periodic |R| peak, IN_PULSE_SIGMAS over the
    largest a noise band's |R| reaches) with a period below SWEEPS_IN_PULSE of the pulse width,
    and its second-order phase is coherent (it sweeps): a sweeper keyed on and off. A sweep
    wider than the band, passing through it, repeats only once a pulse period."""
    sn = ev.snip
    if sn is None:
        return False
    b0, b1 = ev.band_hz
    n_eff = sn.n * min(b1 - b0, ev.rate_hz) / ev.rate_hz
    return _repeats_at(ev, train, sn.y, sn.period_s, sn.period_height, n_eff)


def _repeats_at(ev, train, y, period_s: float, height: float, n_eff: float) -> bool:
    """`repeats_in_pulse` for one reading of the repetition (period, |R| height over n_eff
    independent samples) of the band signal `y`."""
    if not math.isfinite(period_s) or not period_s < SWEEPS_IN_PULSE * train.width_s:
        return False
    if not height * math.sqrt(max(n_eff, 1.0)) >= IN_PULSE_SIGMAS:
        return False
    b0, b1 = ev.band_hz
    # the lag at which a sawtooth of that period across the band turns the phase by ~1 rad
    rate = max(b1 - b0, ev.bin_hz) / period_s
    lag = max(1, min(round(ev.rate_hz / math.sqrt(2 * math.pi * rate)), int(0.2 * period_s * ev.rate_hz)))
    _, coherence = ft.chirp_rate(y, ev.rate_hz, lag)
    if coherence > SWEEP_COHERENCE:
        return True
    # a triangle's two slopes turn the phase opposite ways and its plain mean cancels: folded on
    # its period (on the snippet itself, whose samples keep their times), each slope keeps its own;
    # it crosses the band twice a period, at twice the rate (the lag for ~1 rad: 1/sqrt(2) of it)
    lag = max(1, round(lag / math.sqrt(2.0)))
    _, coherence = ft.chirp_rate_folded(ev.snip.y, ev.rate_hz, lag, period_s * ev.rate_hz)
    return coherence > SWEEP_COHERENCE


def _sweep_in_pulses(ev, train) -> dict:
    """The sweep's rate (and its period, where the band repeats) measured inside the pulses, from
    the second-order phase at several lags (`sweep_lags`), where the snippet's period fold found
    none: a sweep whose comb of lines looks like keyed carriers, or whose |R| peak the off time
    dilutes. {} where it finds no sawtooth."""
    from ..sweep_lags import MAX_ON_SAMPLES, sweep_rate_in_pulses

    sn = ev.snip
    if sn is None:
        return {}
    y, on = sn.y, None
    if train is sn.train and train.on_phases is not None and train.period_points > 0 and getattr(ev, "_fold_L", 0) > 0:
        # the samples inside the pulses (the fold's phases, as evidence's kappa_on takes them),
        # over the stretch that holds about as many as the estimate uses
        y = y[: int(2 * MAX_ON_SAMPLES / max(train.duty, 0.02))]
        on = ev.pulse_on(train, y.shape[0])
    period = sn.period_s if math.isfinite(sn.period_s) and sn.period_s < SWEEPS_IN_PULSE * train.width_s else math.nan
    found = sweep_rate_in_pulses(y, on, ev.rate_hz, period_s=period)
    if found is None:
        return {}
    out = {"sweep_rate_hz_per_s": found["sweep_rate_hz_per_s"], "sweep_shape": found["sweep_shape"]}
    if math.isfinite(period):
        out["sweep_period_s"] = period
    return out


def _slopes_in_pulses(ev, train) -> dict:
    """{'sweep_rate_hz_per_s'} of a sweep whose slopes run through the pulses (a triangle of a
    period near the pulse width or longer: it repeats too seldom in a pulse for |R|), or {}.
    Inside one slope the second-order phase d2_L turns by c L^2 (c = 2 pi R / fs^2), its sign
    the slope's; chunks of SLOPE_CHUNKS_PER_PULSE a pulse each mostly hold one slope, so each
    chunk's mean keeps its turn where the plain mean over both slopes cancels. The chunks'
    coherence (their means' excess over their own noise, mean|d2|/sqrt(n)) must reach
    SWEEP_COHERENCE and their median |turn| SLOPE_TURN_MIN (keyed noise: a real mean, no turn),
    at lags L and L/2 agreeing on the rate within SLOPE_RATE_TOL. L turns ~1 rad for a sweep
    crossing the band once a pulse (the slowest that sweeps it while on)."""
    sn = ev.snip
    if (sn is None or train is not sn.train or train.on_phases is None or train.period_points <= 0
            or getattr(ev, "_fold_L", 0) <= 0):
        return {}
    b0, b1 = ev.band_hz
    width = train.width_s * ev.rate_hz
    chunk = int(width / SLOPE_CHUNKS_PER_PULSE)
    rate_guess = max(b1 - b0, ev.bin_hz) / max(train.width_s, 1e-12)
    lag = round(ev.rate_hz / math.sqrt(2 * math.pi * rate_guess))
    if lag < 2 or chunk < 8 * lag:
        return {}
    y = sn.y
    k = (y.shape[0] - 2 * lag) // chunk
    nb = train.on_phases.shape[0]
    step = ev._fold_L * train.period_points

    def on_at(i):  # inside a pulse (the fold's on phases, as `Evidence.pulse_on`)
        return train.on_phases[((i / step) % 1.0 * nb).astype(np.int64)]

    # the chunks inside a pulse (half of them on at least, read on 16 points each), the first
    # SLOPE_MAX_CHUNKS
    probe = np.arange(k)[:, None] * chunk + (np.arange(16) * (chunk // 16))[None, :]
    starts = np.flatnonzero(on_at(probe).sum(axis=1) >= 8)[:SLOPE_MAX_CHUNKS] * chunk
    if starts.size < 8:
        return {}
    idx = starts[:, None] + np.arange(chunk)[None, :]
    on0 = on_at(idx)
    rates = []
    for L in (lag, lag // 2):
        d2 = y[idx + 2 * L] * np.conj(y[idx + L]) ** 2 * y[idx]
        inside = on0 & on_at(idx + 2 * L)  # all three samples inside a pulse
        cnt = np.maximum(inside.sum(axis=1), 1)
        m = (d2 * inside).sum(axis=1) / cnt
        a = (np.abs(d2) * inside).sum(axis=1) / cnt
        mag = np.maximum(np.abs(m) - a / np.sqrt(cnt), 0.0)
        coherence = float(np.sum(cnt * mag) / np.sum(cnt * a))
        if not coherence > SWEEP_COHERENCE or not mag.any():
            return {}
        strong = mag >= 0.5 * mag.max()
        turn = float(np.median(np.abs(np.angle(m[strong]))))
        if not turn >= SLOPE_TURN_MIN * (L / lag) ** 2:
            return {}
        rates.append(turn * ev.rate_hz * ev.rate_hz / (2 * math.pi * L * L))
    if abs(rates[1] / rates[0] - 1.0) > SLOPE_RATE_TOL:
        return {}
    return {"sweep_rate_hz_per_s": rates[0]}


def _pulses_off_sweep(fast, train) -> bool:
    """The band holds a coherent sweep whose passes cannot be the pulses: a sweep wider than the
    band, passing through it, lights it once a sweep period (a sawtooth) or twice (a triangle),
    so its pulses come at that period or half of it; pulses at neither (beyond PASS_PERIOD_TOL)
    are keyed by a clock of their own."""
    if fast is None or not fast["coherence"] > SWEEP_COHERENCE:
        return False  # no sweep read: nothing to compare the pulses with
    period = 1.0 / train.prf_hz
    return all(abs(period * k / fast["sweep_period_s"] - 1.0) > PASS_PERIOD_TOL for k in (1, 2))


def _sweeps_in_pulse(fast, train) -> bool:
    """The band holds a coherent sweep that repeats several times inside each pulse."""
    return (fast is not None and fast["coherence"] > SWEEP_COHERENCE
            and fast["sweep_period_s"] < SWEEPS_IN_PULSE * train.width_s)


def _keyed_lines(ev, spread: float, kappa_on: float) -> bool:
    """Two or more separate lines (filling at most half the span between the outer two), each no
    wider than twice the keying spread, beating during the pulses (kappa_on between the comb's
    1.25 and a multitone's 2.3): carriers keyed together, whose spread hides them as tones."""
    ch = ev.channels
    widths = ev.channel_widths_hz
    return (ch.size <= 16 and ev.separate_channels and len(widths) == ch.size
            and float(max(widths)) <= 2 * spread and math.isfinite(kappa_on)
            and KAPPA_ON_COMB <= kappa_on <= KAPPA_ON_MULTITONE_MAX)


def _notch_made(ev, train) -> bool:
    """Are the snippet train's pulses made by the notches of the band read (other emissions'
    bands left out of a floor rise's snippet)? A sweep crossing a notch leaves the band read
    once a period: pulses at its own rate; a keyed jammer is off between pulses in the notched
    parts too. Folded on the train's on phases, the band's on-less-off power read without the
    notches keeps at least NOTCH_CONTRAST_SHARE of what it is with them for a keyer (the
    notched parts key along; a packet there falls on either phase alike); a sweep's, whole
    again, falls to the noise's fluctuation."""
    sn = ev.snip
    if (not ev.notch or sn is None or train is not sn.train or train.on_phases is None
            or train.period_points <= 0 or getattr(ev, "_fold_L", 0) <= 0 or ev._X is None):
        return False
    n = sn.y.shape[0]
    on = ev.pulse_on(train, n)
    if on.all() or not on.any():
        return False
    y, _, _ = ft.band_filter(ev.snippet, ev.rate_hz, *ev.pass_band_hz, X=ev._X)
    e1 = sn.y.real ** 2 + sn.y.imag ** 2
    e2 = (y.real ** 2 + y.imag ** 2)[:n]
    c1 = float(e1[on].mean() - e1[~on].mean())
    c2 = float(e2[on].mean() - e2[~on].mean())
    return c1 > 0 and c2 < NOTCH_CONTRAST_SHARE * c1


def _snippet_confirms(train, rt) -> bool:
    """Does the snippet's own fold (`train`, not regular) find the train the rows show (`rt`),
    where it holds too few periods to call it regular? A band keyed with noise fluctuates inside
    each pulse as much as the noise (kappa ~2): folded on a handful of periods its profile is
    rough and reads as spread, though its rate, duty and deep off level are the rows'. A packet
    repeated in the rows and keyed inside (OOK bits) folds on its bits instead: another rate."""
    if train is None or not (rt.prf_hz > 0 and train.prf_hz > 0):
        return False
    return (ft.MIN_PULSES <= train.n_pulses < SNIPPET_FEW_PERIODS
            and abs(train.prf_hz / rt.prf_hz - 1.0) <= SNIPPET_PRF_TOL
            and abs(train.duty - rt.duty) <= SNIPPET_DUTY_TOL and train.off_ratio <= ft.OFF_RATIO_MAX)


def _row_train_unseen(ev, rt) -> bool:
    """Is a regular train seen in the rows (`rt`) absent from the raw snippet of the band read,
    which spans at least one of its periods? Any stretch of one period holds its duty on and the
    rest off, so a band keyed at a duty of at most ROW_TRAIN_DUTY_MAX falls to the noise over
    most of it: cut into blocks of a quarter of the off time, over half the share (1 - duty) of
    them stand under OFF_SHARE of the on level (the blocks' 1 - duty/2 quantile) and within
    OFF_NOISE_SHARE of the noise. A band that holds its level there is not keyed at that rate:
    the rows pulse with another emitter's packets that repeat in the group's band (a beacon in
    part of a weak wide jammer's band lifts the rows it falls on, the jammer stays on between)."""
    sn = ev.snip
    if sn is None or sn.y is None or not (rt.duty <= ROW_TRAIN_DUTY_MAX and rt.prf_hz > 0):
        return False
    n = sn.y.shape[0]
    if n / ev.rate_hz * rt.prf_hz < 1.0:
        return False
    k = int((1.0 - rt.duty) / rt.prf_hz * ev.rate_hz / 4)
    if k < 64 or n // k < 8:
        return False
    y = sn.y[: (n // k) * k]
    sb = (y.real ** 2 + y.imag ** 2).reshape(-1, k).mean(axis=1) - sn.noise
    on = float(np.quantile(sb, 1.0 - 0.5 * rt.duty))
    if not on > 0:
        return False
    off = float(np.mean(sb < min(OFF_SHARE * on, OFF_NOISE_SHARE * sn.noise)))
    return off < 0.5 * (1.0 - rt.duty)


def _row_gap_held(ev, rt) -> bool:
    """Does the band read hold its power in the raw samples of the rows' longest off-stretch?
    A keyed jammer leaves its band at the noise between pulses; where the raw samples of an
    off-stretch (its rows less one at each end, cut into GAP_BLOCKS blocks: their median, so a
    packet falling there does not count) hold over GAP_HELD_SHARE of the snippet's in-band
    signal, the emission was on all along and the rows were off only because the tracker gave
    them to another group (a wide sweep read in turns by a tracked band and the floor-rise probe).
    Judged where the snippet's in-band SNR is at least GAP_MIN_SNR and the stretch is held."""
    sn = ev.snip
    if sn is None or not sn.snr >= GAP_MIN_SNR or ev.read_raw is None or rt.duty >= 1.0:
        return False
    on = np.flatnonzero(ev.row_on)
    if on.size < 2:
        return False
    gaps = np.diff(on) - 1
    y = None
    for k in np.argsort(-gaps, kind="stable"):
        # (the longest the raw samples still hold: live, a ring of the last few seconds)
        if gaps[k] < 3:
            return False
        t0, t1 = ev.row_times_s[on[k] + 2], ev.row_times_s[on[k + 1] - 1]
        n = min(int((t1 - t0) * ev.rate_hz), sn.n)
        if n < 64 * GAP_BLOCKS:
            return False
        y = ev.read_band(round(0.5 * (t0 + t1) * ev.rate_hz) - n // 2, n)
        if y is not None:
            break
    if y is None:
        return False
    m = (y.shape[0] // GAP_BLOCKS) * GAP_BLOCKS
    e = (y[:m].real ** 2 + y[:m].imag ** 2).reshape(GAP_BLOCKS, -1).mean(axis=1)
    return float(np.median(e)) - sn.noise > GAP_HELD_SHARE * sn.signal


def _snippet_between_pulses(ev, rt) -> bool:
    """Does the raw snippet hold its band's power between the pulses of the row train `rt` as
    much as inside them? A keyed jammer's power lies in its pulses: rows outside them (the
    fold's on phases, PULSE_ROW_SLACK rows each side) stand at the noise. Rows lit by short
    packets that repeat (or happen to fall on one phase: ADS-B replies, a beacon) make a row
    train while the snippet, taken from the emission's steadiest stretch, may hold another
    emitter inside the group's band (a key fob's burst) whose power falls between those pulses.
    Judged where the snippet spans a period and its mean excess between the pulses stands
    FINE_SIGMAS of the noise's spread above it: where it is as strong there as inside them (or
    the snippet holds no pulse row at all), the snippet shows no keying at the train's rate (a
    jammer keyed under a steady emitter in its band still stands higher in its pulses)."""
    sn = ev.snip
    if (sn is None or sn.y is None or ev.snippet_start < 0 or rt.on_phases is None
            or not (rt.prf_hz > 0 and rt.period_points > 0 and 0 < rt.duty < 1 and sn.noise > 0)):
        return False
    rate, n = ev.rate_hz, sn.y.shape[0]
    if n / rate * rt.prf_hz < 1.0 or ev.row_times_s.shape[0] == 0:
        return False
    # each sample's row of the event (row 0 at the event's first row: the fold's phase 0)
    row_len = ev.row_s * rate
    rows = ((ev.snippet_start + np.arange(n)) / row_len - ev.row_times_s[0] / ev.row_s + 1e-9).astype(np.int64)
    inside = (rows >= 0) & (rows < ev.row_excess.shape[0])
    if not inside.all():
        return False
    nb = rt.on_phases.shape[0]
    r_all = np.arange(ev.row_excess.shape[0])
    pulse = rt.on_phases[((r_all / rt.period_points) % 1.0 * nb).astype(np.int64)]
    pulse = np.convolve(pulse, np.ones(2 * PULSE_ROW_SLACK + 1), mode="same") > 0.5
    sel = pulse[rows]
    if sel.all():
        return False
    e = sn.y.real ** 2 + sn.y.imag ** 2
    lo, hi = ev.pass_band_hz
    bw = min(hi - lo, rate)
    off = float(e[~sel].mean()) - sn.noise
    if not off > FINE_SIGMAS * sn.noise / math.sqrt(max(np.count_nonzero(~sel) * bw / rate, 1.0)):
        return False
    on = float(e[sel].mean()) - sn.noise if sel.any() else 0.0
    return off >= on


def _row_pulses_unfilled(ev, rt) -> bool:
    """Does the raw snippet show the band on for far less time than a regular train seen in the
    rows (`rt`) claims? A jammer keyed at a duty D holds its power through each pulse, so read in
    windows much shorter than a row its band stands at its on level for about D of the time (at
    least D/2 in a snippet spanning a period or more). Packets much shorter than a row that
    repeat (a beacon, two sensors beaconing together whose packets drift apart) light whole rows:
    their row train's pulses span rows, and the band is on for a small part of them. Such a train
    holds the band above half its on level (the windows' 99.5th percentile) in under
    FINE_DUTY_SHARE x D of the windows. Judged only where the windows are long enough for a window
    inside a pulse to stand FINE_SIGMAS of its own spread above half that level."""
    sn = ev.snip
    if sn is None or sn.y is None or not (rt.prf_hz > 0 and 0 < rt.duty < 1 and sn.noise > 0):
        return False
    y, rate = sn.y, ev.rate_hz
    n = y.shape[0]
    if n / rate * rt.prf_hz < 1.0:
        return False
    lo, hi = ev.pass_band_hz
    bw = min(hi - lo, rate)
    e = y.real ** 2 + y.imag ** 2
    row = ev.row_s * rate
    for share in (1.0 / FINE_WINDOWS_PER_ROW, 0.25):
        k = int(share * row)
        if k < 16 or n // k < 32:
            return False
        w = e[: (n // k) * k].reshape(-1, k).mean(axis=1) - sn.noise
        top = float(np.percentile(w, 99.5))
        if not top > 0:
            return False
        # a window inside a pulse: signal and noise each spread 1/sqrt(independent values)
        spread = (top + sn.noise) / math.sqrt(max(k * bw / rate, 1.0))
        if top - FINE_SIGMAS * spread >= 0.5 * top:
            return float(np.mean(w > 0.5 * top)) < FINE_DUTY_SHARE * rt.duty
    return False


def _packets_keyed_inside(ev, train) -> bool:
    """Is the train fast enough to light every row it is on in (ROW_PULSES_MIN pulses a row or
    more), yet its rows lit in under ON_ROWS_MIN of its span (cw's) with a silence of
    SILENT_ROWS_MIN rows or more among them? A jammer keyed that fast lights every row for as long
    as it is on; one too weak for that misses rows at random, never so many in a row (and one
    lighting under ROWS_TOLD_MIN of them is too weak for the rows to tell). What falls
    silent for a fifth of a second and more between lit rows, with "pulses" inside them, is
    packets whose symbols or chirps the envelope folds (LoRa bursts 0.2-0.6 s apart, each a run
    of chirps: a 9 kHz "PRF")."""
    on = np.flatnonzero(ev.row_on)
    if on.size < 2 or not (train.prf_hz * ev.row_s >= ROW_PULSES_MIN
                           and ROWS_TOLD_MIN <= ev.on_fraction < ON_ROWS_MIN):
        return False
    return bool(np.max(np.diff(on)) - 1 >= SILENT_ROWS_MIN)


def _train_life_short(ev, train) -> bool:
    """Did the snippet's train begin or end inside the snippet, living less than min_jamming_s
    with fewer than LIFE_MIN_PULSES pulses? A jammer keys on for as long as it is on: periods
    with no pulse at all after its last held one (LIFE_GAP_SHARE of those folded) mean the train
    stopped there, whatever span the tracker gave the emission (its rows may stay lit by the
    noise floor's wander near the band edge); its life runs from the event's start (or where
    the train began inside the snippet) to there. A device repeating its packet a few times
    (OOK sensors: 3..10 repeats) makes such a short train."""
    n_folded, before, after = train.held_gaps
    if n_folded < 1 or not train.prf_hz > 0 or ev.snippet_start < 0:
        return False
    least = max(2.0, LIFE_GAP_SHARE * n_folded)
    began, ended = before >= least, after >= least
    if not (began or ended):
        return False
    period = 1.0 / train.prf_hz
    t0 = ev.snippet_start / ev.rate_hz
    start = t0 + before * period if began else ev.start_s
    end = t0 + (n_folded - after) * period if ended else ev.end_s
    return end - start < ev.min_jamming_s and n_folded - before - after < LIFE_MIN_PULSES
