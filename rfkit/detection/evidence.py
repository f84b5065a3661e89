"""What the detector knows about one emission, and its features, computed once on demand.

An `Evidence` holds the emission's averaged spectrum against the noise reference (fine bins),
its per-row series (in-band excess power, peak frequency), and a raw IQ snippet; the kind
modules (`rfkit.detection.kinds`) read the lazily computed features from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import scipy.fft as sfft

from . import combs
from . import features as ft

__all__ = ["Evidence", "Snippet", "Tones"]

#: A spectral peak is a tone when it stands this far above the reference (dB; the averaged
#: spectrum's own spread is a fraction of a dB) ...
TONE_MIN_DB = 3.0
#: ... and within this many dB of the strongest peak.
TONE_RANGE_DB = 20.0
#: Half-width (fine bins) of the power counted as one tone (Hann main lobe +- 2 bins).
TONE_HALF_BINS = 2
#: Two channels are separate where the mean excess between them is below this share of theirs.
ALTERNATION_GAP_MAX = 0.2
#: Sub-bands are separate channels where they fill at most this share of the span between the
#: outer ones (a sweep's or a noise band's spectrum is contiguous; a gap of a few bins is no gap).
SEPARATE_FILL = 0.5
#: Channels' power covariance over the product of their mean powers (`channel_turns`): -1 for
#: channels taking turns, 0 for channels on together; a pair is read where its standard error
#: is at most TURNS_SIGMA (the two cases 8 errors apart), and takes turns below TURNS_SPLIT.
TURNS_SIGMA = 0.125
TURNS_SPLIT = -0.5
#: The snippet's band filter passes the band and this share of its width each side (two bins at
#: least): a sweep's skirts, a keyed emission's spread.
PASS_MARGIN = 0.1
#: More narrow lines than this are the line spectrum of a periodic waveform, not tones.
MAX_TONES = 16
#: Edges of an emission: where its excess falls to this fraction of its plateau.
EDGE_LEVEL = 0.25
#: Lines of a comb (evenly spaced) beside the one line a band was read at are the emission's own
#: where they stand within this share of its peak (`_comb_band`; a sweep of B T ~3: 0.2).
COMB_SIDE_SHARE = 0.1
#: Runs above the edge level with less than this share of the largest run's excess are noise.
RUN_SHARE = 0.1
#: A coherent second-order phase this near 0 (rad) means the frequency does not sweep but
#: holds between jumps (FSK, a hopper); a triangle's averages to near pi, a sawtooth's to 1.
STEADY_PHASE = 0.35
STEADY_COHERENCE = 0.3
#: The noise reference density is known to about this share (`_noise_corr`): the band noise's
#: own terms in a lag product's mean are taken out only to within it (`_holds_still`) ...
NOISE_REF_ERR = 0.1
#: ... and what is left must stand this many sigmas of its scatter over the noise.
STEADY_SIGMAS = 4.0
#: Folded second-order-phase coherence above which a fast sweep's rate comes from its phase
#: slope rather than from its band edges over its period (edges read wide in noise).
RATE_FROM_PHASE_COHERENCE = 0.05
#: ... and where a period spans at least this many times the 2 lags a reset or turn garbles
#: (shorter periods: too few clean bins to take the median of).
RATE_FROM_PHASE_SPAN = 16
#: Room (share of the band's width, each side) around a fast sweep's band when its folded
#: instantaneous frequency is measured.
FOLD_MARGIN = 0.3
#: A fast sweep's folded band narrower than this share of the band read is the sweep's own
#: (the rest: emissions grouped with it); its event band and power are taken there.
SWEPT_NARROWER = 0.7
#: A sweep found only from its repeating instantaneous frequency (`_sweep_incoherent`) must
#: fold into straight pieces within this share of its span (a jammer's: ~0.002 at 0 dB in band;
#: chirp-spread packets, whose data symbols start at random frequencies, blur to ~0.2) ...
INCOHERENT_MAX_RESIDUAL = 0.05
#: ... and sweep at least this share of the band read (a sweep jammer's band is its sweep).
INCOHERENT_MIN_SPAN = 0.7
#: The |R| period replaces the frequency's where the two agree within this share (the latter's
#: error with a few tens of periods in the snippet: ~1 %; |R|'s next peak is a whole period off).
PERIOD_AGREE = 0.03
#: A flat-topped band of width B (a sweep's spectrum) correlates with itself at lag tau to at most
#: ~1 / (pi B tau) (its sinc's side lobes); an |R| peak under this many times that may be one
#: of them, and the period is read again with the band's smooth shape taken out.
SIDE_LOBE_MARGIN = 2.0
#: A period within this share of a whole number of a band's keying periods is the keying's.
KEYING_MULTIPLE_TOL = 0.05
#: It is looked for only under a sweep's constant envelope (kappa at most chirp's
#: KAPPA_SWEEP_MAX; noise: 2), at an in-band SNR where kappa is known (kinds' KAPPA_MIN_SNR).
INCOHERENT_KAPPA_MAX = 1.65
INCOHERENT_MIN_SNR = 0.05
#: Tones closer than this many fine bins merge into one hump there (`Evidence._close_tones`) ...
CLOSE_TONES_BINS = 3
#: ... and are looked for at this many times the fine bins' resolution, in the snippet's spectrum,
#: in an emission on in at least this share of its rows, where the fine bins' lines hold less than
#: this share of its excess (the kinds' TONE_FRACTION_MIN).
ZOOM = 4
CLOSE_TONES_ON = 0.9
CLOSE_TONES_SHARE = 0.7
#: Two peaks closer than 3 bins are both tones only where their powers lie within this of each other.
TWIN_DB = 3.0
#: Side lines mirrored about a carrier are its keying only where the envelope through the three
#: lines swings as keying makes it: keying modulates the amplitude, so the pair stands in AM
#: phase about the carrier, and the envelope's kappa is (1 + 12 r + 6 r^2) / (1 + 2 r)^2 for a
#: pair r (power) below it (2.09 at duty 0.5); tones of their own phases beat less (2 -
#: (1 + 2 r^2) / (1 + 2 r)^2 on average, ~1 in quadrature). Lines whose envelope rises less than
#: this share of keying's rise over 1 are tones ...
KEYING_KAPPA_SHARE = 0.6
#: ... judged where the three lines' band stands this far over its noise (linear; the
#: noise-corrected kappa is then known within a few hundredths).
KEYING_KAPPA_MIN_SNR = 10.0
#: A fast sweep's comb reaches this many line spacings (1/T) past the band edges read (its
#: skirts): the lag-product fold (`sweep_fold.sweep_fold_step`) passes them.
STEP_SKIRT_LINES = 4.0
#: ... and the band it swept holds at least this share of the emission's power.
STEP_POWER_SHARE = 0.5
#: A fold traces a sweep where its power holds above this share of its median all period
#: (-2.2 dB: a receiver's ripple over the band; tones beating fall below 0.4).
TRACE_STEADY_MIN = 0.6
#: A fold whose straight pieces miss by more than this share of the span traces no sweep (twice
#: sweep_fold.STEP_MAX_RESIDUAL), judged where the band's in-band SNR (linear) is at least
#: REFUTE_MIN_SNR (`fold_refutes_sweep`).
REFUTE_RESIDUAL = 0.12
REFUTE_MIN_SNR = 1.0
#: ... or its power, folded on the period, swings below this share of its highest (a sweep's is
#: steady: 0.83..0.98 through receivers with ripple, down to an in-band SNR of 0.7; three tones
#: 5.5 dB apart in FM-like phases: 0.40..0.53; see `sweep_fold.step_fold_swing`).
REFUTE_SWING = 0.65
#: ... looked at only where the band read (its skirts with it) times the period is at most this:
#: a comb of a few lines (some 6), which tones in FM-like phases can stand for (three tones read
#: 5.0; a sweep of B T ~2-3 is FM of index ~1). A longer sweep's many equal lines are told by the
#: line tests, and its fold crosses the receiver's response (a wide band's gain falling into the
#: roll-off, a sawtooth's flyback), which swings its power as the tones' beat does (gen3 seed 13's
#: 037, a +10 dB sawtooth of B T 11 reaching into the roll-off: 0.39).
SWING_MAX_BT = 8.0
#: Share of a band's excess whose span is its occupied bandwidth (`occupied_share`).
OCCUPIED_POWER = 0.9
#: Snippets shorter than this many samples are not analysed.
MIN_SNIPPET = 256
#: Keying spreads a carrier over about this many / pulse width (Hz) each side.
KEYING_WIDEN = 3.0
#: Keying lines about a carrier are looked for up to this multiple of the PRF, ...
KEYING_LINES_MAX = 8
#: ... each within a bin of where the spacing puts it, and this many bins per multiple (the
#: spacing read from a pair of lines placed to a bin each), over the square root of the pairs;
#: lines this many spacings out or more need no mirror (`_keying_clusters`).
KEYING_SPACING_ERR = 0.5
KEYING_FAR_LINES = 3
#: One tone's keying is read through a filter reaching at most this share of the way to its
#: nearest neighbour ...
NEIGHBOUR_SHARE = 0.45
#: ... and the whole band's train is the same where its PRF is within this share of the tone's.
KEYED_PRF_TOL = 0.05
#: Lags shorter than this many 1/bandwidth are the band shape's own correlation (for the
#: isolated cyclic-prefix peak, which must stand clear of it) ...
MIN_LAG_BANDS = 32
#: ... and for a repeating waveform, whose peaks at every multiple of its period stand out.
PERIOD_LAG_BANDS = 4
#: An isolated |R| peak of at least this significance (sigmas) and at most this height is a
#: cyclic prefix (CP / (Tu + CP) <= 0.25 for every common OFDM standard).
OFDM_SIGMA = 20.0
OFDM_HEIGHT_MAX = 0.3
#: ... and at least this height: the prefix is >= 1/32 of the symbol (DVB-T's shortest), seen at
#: an SNR of 0 dB or more (a band of noise shaped by the receiver's filter leaves less).
OFDM_HEIGHT_MIN = 0.03
#: ... and an envelope no steadier than this kappa (E|x|^4 / E|x|^2^2, noise removed): hundreds of
#: independent subcarriers sum to a Gaussian-like envelope (kappa ~2, more when bursty), while a
#: constant-envelope emission (a hopper, FM, a sweep: kappa ~1) may correlate at a lag set by
#: its channel grid but is no OFDM.
OFDM_KAPPA_MIN = 1.5
#: OFDM keyed into frames is on for whole symbols (each Tu plus its prefix), so its cyclic-prefix
#: lag Tu is shorter than the pulses; a lag beyond this many measured pulse widths (a margin for
#: widths read short on ramped, noisy edges) is no prefix.
OFDM_PULSE_SLACK = 2.0
#: Every on-stretch of an OFDM emission shows its prefix: the median stretch's correlation is at
#: least this share of the whole snippet's peak height.
OFDM_STEADY_MIN = 0.4
#: Averaging time of the activity envelope (s): a few microseconds of an ADS-B pulse, and at
#: least ACTIVITY_INDEP independent values of the band.
ACTIVITY_S = 10e-6
ACTIVITY_INDEP = 32
#: An emission's band holds the peaks of at least this share of its on-rows (a band read at a
#: strong packet repeating in part of a weak wide jammer's band holds those of the packet's
#: rows only: `Evidence._band_beside`) ...
ROW_PEAKS_HELD = 0.5
#: ... judged over at least this many on-rows, of an emission on in this share of its rows
#: (a steady one: intermittent packets beside a wide jammer are read at their own band).
ROW_PEAKS_MIN = 16
ROW_PEAKS_STEADY = 0.9
#: The rows peaking in such a strong part stand this many times (6 dB) over the others: another
#: emitter's packets on top of the steady emission.
ROW_PEAKS_LIFT = 4.0
#: Mean excess over the noise (per bin, linear) of a band read beside a strong part of it.
ROW_PEAKS_LEVEL = 0.2
ROW_PEAKS_CONTRAST = 3.0
#: Between packets the band is at the noise floor: the mean off level within this factor of it.
OFF_AT_NOISE = 1.1
#: A band holding at least this share of its in-pulse power (above the noise) while one of its
#: tones is off was not switched off: its carrier moved to another tone (a hop), no keying.
BAND_HOLDS = 0.5
#: Most points of the envelope series folded for pulse trains.
MAX_ENVELOPE_POINTS = 1 << 16
#: Envelope folds are tried at steps this many times coarser each, down to FOLD_MIN_POINTS steps.
FOLD_LADDER = 4
FOLD_MIN_POINTS = 256
#: Lags searched for periodicity, as a fraction of the snippet.
MAX_LAG_FRACTION = 0.25
#: Lags L = 1..TURN_MAX_LAG (samples) of the second-order lag product whose mean is checked for a
#: turn (`turn_sigmas`): a fast sweep's curvature c L^2 reaches ~1 rad within them (a sawtooth of
#: B T ~10 over the whole band turns by 2 pi B / (T fs^2) ~0.2 rad at L = 1).
TURN_MAX_LAG = 24


@dataclass
class Tones:
    """Narrow peaks of an emission's spectrum: offsets (Hz), powers (linear), their share of the excess."""

    offsets_hz: np.ndarray
    powers: np.ndarray
    fraction: float
    #: per tone, the spacing (Hz) of the side lines about it that keying puts there (nan: none)
    side_hz: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def count(self) -> int:
        """How many tones; more than MAX_TONES lines is a periodic wideband waveform, not tones."""
        return int(self.offsets_hz.size)

    @property
    def stationary(self) -> bool:
        """1..MAX_TONES narrow lines holding the power (a line spectrum of a sweep has many)."""
        return 1 <= self.count <= MAX_TONES


class BandEnvelope(NamedTuple):
    """The raw snippet through a band filter (`Evidence._band_envelope`)."""

    y: np.ndarray  # the filtered samples
    spec: np.ndarray  # their spectrum
    nfft: int
    e: np.ndarray  # |y|^2
    noise: float  # noise power in the band (the reference's)
    kappa: float  # noise-corrected envelope kappa
    s: float  # signal power in the band


@dataclass
class Snippet:
    """Features of the raw IQ of an emission, band-filtered to it."""

    n: int
    noise: float  # noise power in the band
    signal: float  # mean signal power in the band (noise subtracted)
    snr: float
    kappa: float
    train: ft.PulseTrain | None
    period_s: float
    period_height: float
    ofdm_lag_s: float
    ofdm_height: float
    ofdm_sig: float
    ofdm_repeat: float  # |R| at twice the OFDM lag over |R| at it: ~0 for OFDM, ~1 for a periodic wave
    y: np.ndarray = field(repr=False)
    spectrum: np.ndarray = field(repr=False)
    nfft: int = 0


@dataclass
class Evidence:
    """One emission (a track or a group of tracks) as the classifier sees it."""

    rate_hz: float
    bin_hz: float
    enbw: float
    offsets_hz: np.ndarray  # fine bin centres (offsets), ascending
    spec_on: np.ndarray  # mean fine spectrum while on, per bin (linear)
    ref: np.ndarray  # noise reference per bin (linear), same rows
    lo_bin: int
    hi_bin: int
    row_s: float
    row_times_s: np.ndarray  # start of each row of the span
    row_excess: np.ndarray  # in-band excess power per row (linear power, noise subtracted)
    row_peak_hz: np.ndarray  # peak offset per row (nan where off)
    row_on: np.ndarray  # bool per row
    snippet: np.ndarray | None
    start_s: float
    end_s: float
    bounded: bool  # at least one of its edges lies inside the input (not cut by both)
    noise_total: float  # whole-band noise power
    wide: bool = False  # a whole-band floor rise or probe
    members: int = 1  # tracks in the group
    hand_overs: int = 0  # hops seen by the tracker (one narrow emission ending as another begins)
    min_jamming_s: float = 0.4  # shortest sustained emission that may be jamming (DetectorOptions)
    frames_per_row: int = 1  # periodograms averaged in each row (for the detection statistics)
    kappa_on: float = math.nan  # envelope kappa during the pulses of a pulse train (set by snip)
    alternation: ft.PulseTrain | None = None  # one tone's pulses while the band stays on (snip)
    notch: tuple = ()  # (lo_hz, hi_hz) stretches of other emissions to leave out of the snippet
    read_raw: object = None  # callable(a, b) -> (first index held, samples a..b held) or None
    snippet_start: int = -1  # the snippet's first sample in the input (-1: not known)
    alt_windows: tuple = ()  # (first, end) samples of other analysis windows, steadiest first
    onsets_s: np.ndarray | None = None  # pulse starts (s) timed as the stream passed (onsets.py)

    # -- spectrum ---------------------------------------------------------------------------
    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @cached_property
    def excess(self) -> np.ndarray:
        """Mean excess power per bin while on (linear, clipped at 0)."""
        return np.maximum(self.spec_on - self.ref, 0.0)

    @cached_property
    def band_bins(self) -> tuple[float, float]:
        """(lo, hi) fractional fine bins of the emission's edges: where its smoothed excess
        crosses `EDGE_LEVEL` of its plateau (a sweep's and a filtered noise's edges sit at
        half amplitude, a quarter of the plateau's power)."""
        n = self.spec_on.shape[0]
        lo, hi = self.lo_bin, self.hi_bin
        width = hi - lo + 1
        pad = max(3, width // 8)
        a, b = max(0, lo - pad), min(n - 1, hi + pad)
        exc = self.excess[a:b + 1]
        w = max(1, width // 32)
        sm = np.convolve(exc, np.ones(w) / w, mode="same") if w > 1 else exc
        inner = sm[lo - a:hi - a + 1]
        top = float(inner.max()) if inner.size else 0.0
        # the plateau: the median level of the part that stands out (a track's band may hold
        # empty stretches, and a triangle sweep's turning points stand above its middle)
        plateau = float(np.median(inner[inner >= EDGE_LEVEL * top])) if top > 0 else 0.0
        if self.wide:
            # a floor rise: the level over the whole band (short strong bursts inside do not count)
            plateau = float(np.median(inner)) if inner.size else 0.0
        if plateau <= 0:
            return float(lo), float(hi)
        span = _band_runs(sm >= EDGE_LEVEL * plateau, sm, w)
        if span is None:
            return float(lo), float(hi)
        i, j = span
        # interpolate the crossings between bins
        fl = float(i)
        if i > 0 and sm[i] != sm[i - 1]:
            fl = i - (sm[i] - EDGE_LEVEL * plateau) / (sm[i] - sm[i - 1])
        fh = float(j)
        if j < sm.shape[0] - 1 and sm[j] != sm[j + 1]:
            fh = j + (sm[j] - EDGE_LEVEL * plateau) / (sm[j] - sm[j + 1])
        if not self.wide:
            beside = self._band_beside(sm, a, a + fl, a + fh, w)
            if beside is not None:
                return beside
            return self._comb_band(a + fl, a + fh)
        return a + fl, a + fh

    def _comb_band(self, lo: float, hi: float) -> tuple[float, float]:
        """(lo, hi) fine bins: the band read, or, where it holds one line only - the strongest of
        a comb of three or more evenly spaced lines standing within COMB_SIDE_SHARE of it (10 dB) -
        that comb's span, half a spacing past its outer lines. A periodic waveform's lines 1/T
        apart are one emission: a sweep of B T ~3 has a middle line some 6 dB over the two beside
        it (it is FM of index ~1), which the quarter-power edge leaves out, and read on its middle
        line alone it is a carrier. An unmodulated carrier has no such lines beside it."""
        pos = combs.line_positions(self.spec_on, self.ref, [(self.lo_bin, self.hi_bin)])
        if pos.size < combs.MIN_LINES:
            return lo, hi
        peak = self.excess[np.round(pos).astype(np.int64)]
        strong = pos[peak >= COMB_SIDE_SHARE * peak.max()]
        top = float(pos[int(np.argmax(peak))])
        comb = combs.comb_of(strong) if strong.size >= combs.MIN_LINES else None
        if comb is None or not lo <= top <= hi or hi - lo >= comb[0]:
            return lo, hi
        return float(strong[0]) - 0.5 * comb[0], float(strong[-1]) + 0.5 * comb[0]

    def _band_beside(self, sm: np.ndarray, a: int, fl: float, fh: float, w: int) -> tuple[float, float] | None:
        """(lo, hi) fine bins of the emission whose rows peak beside a strong part its band was
        read at, or None. `sm`: the smoothed excess from bin `a`, (fl, fh): the band read from it
        (fine bins), `w`: the smoothing. A strong packet repeating in part of a weak wide
        jammer's band (a beacon) sets the plateau of the averaged spectrum, and the band read is
        its; but the jammer is on in every row and the packet in few, so most of the emission's
        on-rows peak outside that band (ROW_PEAKS_HELD), and those peaking in it stand well over
        the rest (ROW_PEAKS_LIFT). The band of an emission on in most of its
        rows (ROW_PEAKS_STEADY) is then read again with that part left out of the plateau, and
        kept where its rows peak in it."""
        on = self.row_on & np.isfinite(self.row_peak_hz) if self.row_peak_hz.size else None
        if on is None or on.sum() < ROW_PEAKS_MIN or self.on_fraction < ROW_PEAKS_STEADY:
            return None  # (packets themselves, or too few rows to tell)
        pk = self.row_peak_hz[on]
        f0, bh = float(self.offsets_hz[0]), self.bin_hz

        def held(lo: float, hi: float) -> float:
            return float(np.mean((pk >= f0 + (lo - 1) * bh) & (pk <= f0 + (hi + 1) * bh)))

        if held(fl, fh) >= ROW_PEAKS_HELD:
            return None
        # ... and the rows whose peaks it holds are the ones another emitter lifts: their median
        # excess stands ROW_PEAKS_LIFT times the rest's (a comb's or a keyed sweep's rows peak
        # on its lines and skirts here and there at one level)
        ex = self.row_excess[on]
        ins = (pk >= f0 + (fl - 1) * bh) & (pk <= f0 + (fh + 1) * bh)
        if not ins.any() or not float(np.median(ex[ins])) >= ROW_PEAKS_LIFT * float(np.median(ex[~ins])):
            return None
        rest = np.ones(sm.shape[0], dtype=bool)
        rest[max(0, math.floor(fl) - a - w):max(0, math.ceil(fh) - a + w + 1)] = False
        inner = sm[self.lo_bin - a:self.hi_bin - a + 1][rest[self.lo_bin - a:self.hi_bin - a + 1]]
        top = float(inner.max()) if inner.size else 0.0
        if not top > 0:
            return None
        plateau = float(np.median(inner[inner >= EDGE_LEVEL * top]))
        span = _band_runs((sm >= EDGE_LEVEL * plateau) & rest, sm, w)
        if span is None:
            return None
        lo, hi = float(a + span[0]), float(a + span[1])
        if hi - lo <= fh - fl or held(lo, hi) < ROW_PEAKS_HELD:
            return None
        # the emission beside the strong part fills its band: its mean excess over the noise
        # there is ROW_PEAKS_LEVEL or more, and ROW_PEAKS_CONTRAST times that of the bins beyond
        # it (rows peaking on noise cells across a wide track make no band of the noise beside
        # a wide jammer read right; one reaching the receiver's edges has no floor to stand on)
        rel = self.excess / np.maximum(self.ref, 1e-30)
        strong = np.zeros(rel.shape[0], dtype=bool)
        strong[max(0, math.floor(fl) - w):math.ceil(fh) + w + 1] = True
        inside = np.zeros(rel.shape[0], dtype=bool)
        inside[int(lo):int(hi) + 1] = True
        sel, beyond = inside & ~strong, ~inside & ~strong
        if sel.sum() < 2 * w or beyond.sum() < 2 * w:
            return None
        level = float(np.mean(rel[sel]))
        if level < ROW_PEAKS_LEVEL or level < ROW_PEAKS_CONTRAST * float(np.mean(rel[beyond])):
            return None
        return lo, hi

    @property
    def band_idx(self) -> tuple[int, int]:
        """(lo, hi) whole fine bins covering the emission."""
        lo, hi = self.band_bins
        n = self.spec_on.shape[0]
        return max(0, math.floor(lo + 0.5)), min(n - 1, math.ceil(hi - 0.5))

    @property
    def band_hz(self) -> tuple[float, float]:
        """(lo, hi) edge offsets in Hz (a single tone: its bin's edges)."""
        lo, hi = self.band_bins
        f0 = float(self.offsets_hz[0])
        if hi - lo < 1.0:
            c = 0.5 * (lo + hi)
            return f0 + (c - 0.5) * self.bin_hz, f0 + (c + 0.5) * self.bin_hz
        return f0 + lo * self.bin_hz, f0 + hi * self.bin_hz

    @cached_property
    def power_on(self) -> float:
        """Mean power of the emission while on (noise subtracted), linear."""
        lo, hi = self.band_idx
        pad = 2  # the Hann main lobe reaches one bin past the edges
        lo, hi = max(0, lo - pad), min(self.excess.shape[0] - 1, hi + pad)
        return float(self.excess[lo:hi + 1].sum() / self.enbw)

    @cached_property
    def snr_db(self) -> float:
        """In-band SNR of the averaged spectrum (excess over noise in the band), dB."""
        lo, hi = self.band_idx
        n = float(self.ref[lo:hi + 1].sum())
        p = float(self.excess[lo:hi + 1].sum())
        return 10 * math.log10(p / n) if p > 0 and n > 0 else -math.inf

    @cached_property
    def deflection(self) -> float:
        """Excess over noise in units of its estimation noise: SNR * sqrt(independent cells).

        The averaged spectrum holds on-rows * frames_per_row periodograms of the band's bins
        (Hann neighbours correlated: bins / enbw independent ones); each cell's relative noise
        is 1, so the mean excess stands SNR * sqrt(cells) standard deviations above zero.
        """
        lo, hi = self.band_idx
        n_rows = max(int(np.count_nonzero(self.row_on)), 1)
        cells = n_rows * max(self.frames_per_row, 1) * max((hi - lo + 1) / self.enbw, 1.0)
        snr = 10 ** (self.snr_db / 10) if math.isfinite(self.snr_db) else 0.0
        return snr * math.sqrt(cells)

    @cached_property
    def tones(self) -> Tones:
        """Narrow peaks holding the emission's power (fine-bin resolution, parabolic refinement)."""
        lo, hi = self.band_idx
        lo, hi = max(lo - TONE_HALF_BINS, 0), min(hi + TONE_HALF_BINS, self.spec_on.shape[0] - 1)
        p = self.spec_on[lo:hi + 1]
        r = np.maximum(self.ref[lo:hi + 1], 1e-30)
        z = p / r
        n = p.shape[0]
        if n < 1:
            return Tones(np.zeros(0), np.zeros(0), 0.0)
        left = np.concatenate([[-np.inf], p[:-1]])
        right = np.concatenate([p[1:], [-np.inf]])
        cand = np.flatnonzero((p >= left) & (p > right) & (z > 10 ** (TONE_MIN_DB / 10)))
        if cand.size == 0:
            return Tones(np.zeros(0), np.zeros(0), 0.0)
        top = p[cand].max()
        cand = cand[p[cand] >= top * 10 ** (-TONE_RANGE_DB / 10)]
        # a tone is narrow: its excess 3 bins away has fallen by 6 dB (Hann leakage: -30 dB; a
        # keyed carrier's sinc side lobes stay below that) - or, where a tone of like power
        # (within TWIN_DB) stands that close, at the dip between the two
        keep, side = [], {}
        ex = np.maximum(p - r, 0.0)
        pairs = {int(c): _side_pair(ex, cand, c) for c in cand}
        lines = set()  # lines mirrored about a carrier that its envelope says are no keying's
        for c, pair in pairs.items():
            if pair is not None and self._keying_refuted(ex, c, pair, lo):
                lines.update(pair)
                pairs[c] = None
        for c in cand:
            pair = pairs[int(c)]
            if pair is not None:
                keep.append(c)  # a keyed carrier: its side lines are no tones
                side[c] = pair[1] - c
            elif int(c) in lines or _narrow_line(ex, cand, int(c)):
                keep.append(c)
        cand = np.asarray(keep, dtype=np.int64)
        if cand.size == 0:
            return self._close_tones() or Tones(np.zeros(0), np.zeros(0), 0.0)
        exc = np.maximum(p - r, 0)
        tot = exc.sum()
        used = np.zeros(n, dtype=bool)
        freqs, pows = [], []
        for c in cand:
            half = TONE_HALF_BINS + side.get(c, 0)  # (with its side lines: the carrier's power)
            a, b = max(c - half, 0), min(c + half, n - 1)
            used[a:b + 1] = True
            pw = float(exc[a:b + 1].sum() / self.enbw)
            frac = 0.0
            if 0 < c < n - 1 and p[c - 1] > 0 and p[c + 1] > 0:
                y0, y1, y2 = np.log(p[c - 1]), np.log(p[c]), np.log(p[c + 1])
                den = y0 - 2 * y1 + y2
                frac = float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den != 0 else 0.0
            freqs.append(float(self.offsets_hz[lo + c] + frac * self.bin_hz))
            pows.append(pw)
        fraction = float(exc[used].sum() / tot) if tot > 0 else 0.0
        side_hz = np.array([side[c] * self.bin_hz if c in side else math.nan for c in cand])
        if fraction < CLOSE_TONES_SHARE:
            # lines that hold little of the power: where the rest is tones too close to resolve
            # (a hump beside them), the snippet's own spectrum holds more of it in its lines
            close = self._close_tones()
            if close is not None and close.fraction > fraction:
                return close
        return Tones(np.asarray(freqs), np.asarray(pows), fraction, side_hz)

    def _keying_refuted(self, ex: np.ndarray, c: int, pair: tuple[int, int], lo: int) -> bool:
        """Does the envelope refute on/off keying as the source of the side lines `pair` about
        the carrier at bin `c` (bins of `ex`, the excess from fine bin `lo`)? Keying is an
        amplitude modulation: through a band holding the three lines, its envelope's kappa is
        that of a carrier with a pair in AM phase, r below it (KEYING_KAPPA_SHARE); lines that
        beat far less are tones of their own phases beside it (a multitone's comb). False where
        the snippet can't tell (none, or its band too weak for kappa)."""
        pc = _line_power(ex, c)
        if not pc > 0:
            return False
        r = 0.5 * (_line_power(ex, pair[0]) + _line_power(ex, pair[1])) / pc
        i0 = max(lo + pair[0] - TONE_HALF_BINS, 0)
        i1 = min(lo + pair[1] + TONE_HALF_BINS, self.offsets_hz.shape[0] - 1)
        env = self._band_envelope(float(self.offsets_hz[i0]) - 0.5 * self.bin_hz,
                                  float(self.offsets_hz[i1]) + 0.5 * self.bin_hz)
        if env is None:
            return False
        noise, kappa, s = env.noise, env.kappa, env.s
        if not (noise > 0 and s >= KEYING_KAPPA_MIN_SNR * noise and math.isfinite(kappa)):
            return False
        keyed = (1 + 12 * r + 6 * r * r) / (1 + 2 * r) ** 2
        return kappa < 1 + KEYING_KAPPA_SHARE * (keyed - 1)

    def _close_tones(self) -> Tones | None:
        """Tones closer together than the fine bins resolve (under CLOSE_TONES_BINS apart: their
        Hann main lobes merge into one hump no narrower than a modulated carrier), from the
        snippet's own spectrum at ZOOM fine bins' resolution, or None. A carrier stays a narrow
        line through a real receiver: its oscillators' phase noise and drift widen it by tens of
        Hz, a fraction of a zoomed bin, while modulation or noise spreads over many. Looked for
        only in a band at most CLOSE_TONES_BINS * MAX_TONES fine bins wide, and kept only where
        two to MAX_TONES lines hold the band's power (one line is resolved by the fine bins), of
        an emission on in CLOSE_TONES_ON of its rows: a carrier keyed on and off (a keyfob's
        packets, pulled in frequency from one to the next) leaves lines of its keying instead,
        and so does one keyed at a PRF of under two fine bins, lines mirrored about it
        (`_keying_clusters`: pulsed's, not tones). Two or more carriers keyed together at such
        a PRF each carry a cluster of them: the carriers are the tones, each with the power of
        its cluster, and `side_hz` the clusters' spacing (the PRF)."""
        lo, hi = self.band_idx
        x = self.snippet
        if (x is None or x.shape[0] < MIN_SNIPPET or hi - lo + 1 > CLOSE_TONES_BINS * MAX_TONES
                or not self.on_fraction >= CLOSE_TONES_ON):
            return None
        n = x.shape[0]
        if n * self.bin_hz < ZOOM * self.rate_hz:
            return None  # the snippet is too short to resolve them
        X = self._X
        nx = X.shape[0]
        g = max(1, int(nx * self.bin_hz / (ZOOM * self.rate_hz)))  # FFT bins per zoomed bin
        f0 = self.offsets_hz[max(lo - TONE_HALF_BINS, 0)] - 0.5 * self.bin_hz
        f1 = self.offsets_hz[min(hi + TONE_HALF_BINS, self.offsets_hz.shape[0] - 1)] + 0.5 * self.bin_hz
        k0 = math.floor(f0 * nx / self.rate_hz)
        m = max((math.ceil(f1 * nx / self.rate_hz) - k0) // g, 0)
        if m < 8:
            return None
        k = (k0 + np.arange(m * g)) % nx
        P = (X[k].real.astype(np.float64) ** 2 + X[k].imag.astype(np.float64) ** 2).reshape(m, g).sum(axis=1)
        fz = (k0 + g * np.arange(m) + 0.5 * (g - 1)) * self.rate_hz / nx  # zoomed bin centres (Hz)
        # the noise in each zoomed bin: the reference density (per Hz) at its frequency, scaled to
        # the unnormalised FFT (E|X|^2 = n * rate * density per FFT bin)
        dens = np.interp(fz, self.offsets_hz, self.ref / (self.enbw * self.bin_hz))
        R = g * n * self.rate_hz * dens
        ex = np.maximum(P - R, 0.0)
        left = np.concatenate([[-np.inf], P[:-1]])
        right = np.concatenate([P[1:], [-np.inf]])
        cand = np.flatnonzero((P >= left) & (P > right) & (P > 10 ** (TONE_MIN_DB / 10) * R))
        if cand.size < 2:
            return None
        cand = cand[ex[cand] >= ex[cand].max() * 10 ** (-TONE_RANGE_DB / 10)]
        # narrow: the excess within 3 zoomed bins has fallen below a quarter each side (by the
        # third, or at a dip before another line there: a keyed carrier's side lines)
        keep = [c for c in cand if (c < 3 or ex[c - 3:c].min() < 0.25 * ex[c])
                and (c + 3 >= m or ex[c + 1:c + 4].min() < 0.25 * ex[c])]
        if len(keep) < 2:
            return None
        owner, side = {c: c for c in keep}, math.nan
        keyed = _keying_clusters(keep, ex)
        if keyed is not None:
            owner, spacing = keyed
            if len(set(owner.values())) < 2:
                return None  # one keyed carrier: the fine bins hold its hump (pulsed's, not tones)
            side = spacing * g * self.rate_hz / nx
        if len(set(owner.values())) > MAX_TONES:
            return None
        # each carrier's power: its line and its keying lines (each bin counted once, for the
        # strongest carrier claiming it)
        lines = sorted(set(owner.values()), key=lambda c: -ex[c])
        used = np.zeros(m, dtype=bool)
        pows = {}
        for c in lines:
            mine = np.zeros(m, dtype=bool)
            for i in (i for i in keep if owner[i] == c):
                mine[max(i - TONE_HALF_BINS, 0):min(i + TONE_HALF_BINS, m - 1) + 1] = True
            mine &= ~used
            used |= mine
            pows[c] = float(ex[mine].sum()) / (nx * n)  # |X|^2 summed over a line: nx n A^2
        keep = sorted(lines)
        pows = [pows[c] for c in keep]
        tot = float(ex.sum())
        fraction = float(ex[used].sum()) / tot if tot > 0 else 0.0
        freqs = []
        for c in keep:
            frac = 0.0
            if 0 < c < m - 1 and P[c - 1] > 0 and P[c + 1] > 0:
                y0, y1, y2 = np.log(P[c - 1]), np.log(P[c]), np.log(P[c + 1])
                den = y0 - 2 * y1 + y2
                frac = float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den != 0 else 0.0
            freqs.append(float(fz[c] + frac * g * self.rate_hz / nx))
        fr = np.asarray(freqs)
        fr = np.where(fr > 0.5 * self.rate_hz, fr - self.rate_hz, fr)
        return Tones(fr, np.asarray(pows), fraction, np.full(len(keep), side))

    @cached_property
    def channels(self) -> np.ndarray:
        """Centres (Hz) of the separate narrow sub-bands the emission occupies (hop channels, tones)."""
        from .frontend import segments

        lo, hi = self.band_idx
        lo, hi = max(0, lo - 2), min(self.spec_on.shape[0] - 1, hi + 2)
        z = self.spec_on[lo:hi + 1] / np.maximum(self.ref[lo:hi + 1], 1e-30)
        exc = self.excess[lo:hi + 1]
        if exc.size == 0 or exc.max() <= 0:
            return np.zeros(0)
        mask = (z > 2.0) & (exc > 0.01 * exc.max())
        segs = segments(mask, 1)
        self._channel_segs = segs + lo
        out = []
        self._channel_fill = 1.0
        if segs.shape[0] >= 2:
            width = float(np.sum(segs[:, 1] - segs[:, 0] + 1))
            self._channel_fill = width / float(segs[-1, 1] - segs[0, 0] + 1)
        widths = []
        for a, b in segs:
            w = exc[a:b + 1]
            if w.sum() > 0:
                out.append(float(np.average(self.offsets_hz[lo + a:lo + b + 1], weights=w)))
                widths.append(float(b - a + 1) * self.bin_hz)
        self._channel_widths = np.asarray(widths)
        return np.asarray(out)

    @property
    def channel_widths_hz(self) -> np.ndarray:
        """Widths (Hz) of the sub-bands of `channels`, in the same order."""
        _ = self.channels
        return getattr(self, "_channel_widths", np.zeros(0))

    @property
    def channel_gap_share(self) -> float:
        """Mean excess between the channels over the mean excess in them, across the span of
        the outer channels (0: nothing between separate channels; ~1: one contiguous band, or
        a band whose weak excess the channel mask finds only in patches); nan for one channel."""
        _ = self.channels
        segs = getattr(self, "_channel_segs", None)
        if segs is None or segs.shape[0] < 2:
            return math.nan
        a, b = int(segs[0, 0]), int(segs[-1, 1])
        inside = np.zeros(b - a + 1, dtype=bool)
        for s0, s1 in segs:
            inside[s0 - a:s1 - a + 1] = True
        exc = self.excess[a:b + 1]
        on = float(exc[inside].mean())
        return float(exc[~inside].mean()) / on if on > 0 and (~inside).any() else math.nan

    @property
    def channel_fill(self) -> float:
        """Share of the span between the outer channels that the channels occupy (1: contiguous)."""
        _ = self.channels
        return self._channel_fill

    @property
    def separate_channels(self) -> bool:
        """Two or more channels filling at most SEPARATE_FILL of the span between the outer ones."""
        return self.channels.size >= 2 and self.channel_fill <= SEPARATE_FILL

    @cached_property
    def noise_density(self) -> float:
        """Noise power per Hz in the band (the reference's median there)."""
        lo, hi = self.band_idx
        return float(np.median(self.ref[lo:hi + 1])) / (self.enbw * self.bin_hz)

    @cached_property
    def channel_activity(self) -> tuple[float, float, float] | None:
        """(mean channels on at once, channel changes per second, share of active frames with
        two or more on) from the snippet, or None."""
        ch = self.channels
        sn = self.snip
        if sn is None or ch.size < 2:
            return None
        return ft.channel_activity(sn.y, self.rate_hz, ch, self.noise_density, max(sn.signal, 0.0),
                                   widths_hz=self.channel_widths_hz)

    @cached_property
    def channels_together(self) -> bool | None:
        """Are the channels on together (True), taking turns (False), or can't the snippet tell
        (None)? From the covariance of the channels' powers across short frames
        (`features.channel_turns`: c = -1 for turns, 0 together): a pair is read where the
        standard error of its c is at most TURNS_SIGMA; the channels take turns where any pair
        read, or all pairs taken together (read so), lie below TURNS_SPLIT, and are together
        where every pair read lies above it. A count of channels on per frame cannot tell this
        for weak tones (each frame sees a few at random). Where the channels' skirts join into
        one sub-band (lines a few fine bins apart), the resolved tones are the channels."""
        ch, widths = self.channels, self.channel_widths_hz
        if ch.size < 2 and self.tones.stationary and self.tones.count >= 2:
            ch, widths = self.tones.offsets_hz, None
        sn = self.snip
        if sn is None or ch.size < 2:
            return None
        c, s, c_all, s_all = ft.channel_turns(sn.y, self.rate_hz, ch, self.noise_density, widths_hz=widths)
        read = np.isfinite(c) & (s <= TURNS_SIGMA)
        if np.any(c[read] < TURNS_SPLIT) or (s_all <= TURNS_SIGMA and c_all < TURNS_SPLIT):
            return False
        if not read.any():
            return None
        return True

    @property
    def pass_band_hz(self) -> tuple[float, float]:
        """(lo, hi) offsets of the snippet's band filter: the band, PASS_MARGIN of it each side."""
        lo, hi = self.band_hz
        m = max(2 * self.bin_hz, PASS_MARGIN * (hi - lo))
        return lo - m, hi + m

    def read_band(self, start: int, n: int) -> np.ndarray | None:
        """The raw samples start .. start+n, as far as `read_raw` still holds them, through the
        snippet's band filter (its notches too); None where under half of them are held."""
        got = self.read_raw(start, start + n) if self.read_raw is not None else None
        x = None if got is None else got[1]
        if x is None or x.shape[0] < 0.5 * n:
            return None
        return ft.band_filter(x, self.rate_hz, *self.pass_band_hz, notch=self.notch)[0]

    # -- row series ------------------------------------------------------------------------------
    @cached_property
    def on_fraction(self) -> float:
        return float(np.mean(self.row_on)) if self.row_on.size else 0.0

    @cached_property
    def row_train(self) -> ft.PulseTrain | None:
        """Pulse train at row resolution (slow pulsing, PRF below ~1/(4 rows)), by folding."""
        if self.row_excess.shape[0] < 64:
            return None
        from .packets import clock_check

        # a slow train's pulse starts timed finely on the raw samples: a beacon's random delays
        return clock_check(self, ft.pulse_fold(self.row_excess, self.row_s, 0.0))

    @cached_property
    def sweep(self) -> dict | None:
        """Slow sweep fitted to the per-row peak frequency (lines on a waterfall)."""
        on = self.row_on & np.isfinite(self.row_peak_hz)
        if on.sum() < 8 or self.wide:
            return None
        lo, hi = self.band_hz
        return ft.sweep_track(self.row_times_s[on], self.row_peak_hz[on], hi - lo)

    # -- snippet ---------------------------------------------------------------------------------
    @cached_property
    def _X(self) -> np.ndarray | None:
        """One FFT of the raw snippet (`features.snippet_fft`), masked for every band filter of
        it; None without a snippet."""
        return None if self.snippet is None else ft.snippet_fft(self.snippet)

    def _band_envelope(self, flo: float, fhi: float) -> BandEnvelope | None:
        """The raw snippet through a band filter flo..fhi (offsets, Hz; the notches too), its
        envelope and the noise in the band; None without a snippet. Needs nothing of the
        emission's tones."""
        x = self.snippet
        if x is None or x.shape[0] < MIN_SNIPPET:
            return None
        y, spec, nfft = ft.band_filter(x, self.rate_hz, flo, fhi, notch=self.notch, X=self._X)
        # noise in the pass band: the reference density (per Hz) times the pass band
        dens = self.ref / (self.enbw * self.bin_hz)
        inband = (self.offsets_hz >= flo) & (self.offsets_hz <= fhi)
        for a, b in self.notch:
            inband &= ~((self.offsets_hz >= a) & (self.offsets_hz <= b))
        noise = float(np.sum(dens[inband]) * self.bin_hz) if inband.any() else float(np.min(dens) * (fhi - flo))
        e = (y.real ** 2 + y.imag ** 2)
        kappa, s = ft.envelope_kappa(e, noise)
        return BandEnvelope(y, spec, nfft, e, noise, kappa, s)

    @cached_property
    def snip(self) -> Snippet | None:
        """Band-filtered features of the raw snippet (None when there is none)."""
        flo, fhi = self.pass_band_hz
        env = self._band_envelope(flo, fhi)
        if env is None:
            return None
        x = self.snippet
        y, spec, nfft, e, noise, kappa, s = env
        snr = s / noise if noise > 0 else math.inf
        bw = min(fhi - flo, self.rate_hz)
        train = self._pulses(x, y, e, noise, s, bw) if s > 0 else None
        if train is not None and train.regular:
            from .packets import clock_check

            train = clock_check(self, train, snippet_s=x.shape[0] / self.rate_hz)
        n = x.shape[0]
        max_lag = int(n * MAX_LAG_FRACTION)
        ac = ft.autocorr(spec, max_lag)
        min_lag = max(2, math.ceil(MIN_LAG_BANDS * self.rate_hz / max(bw, 1.0)))
        lag, height = ft.periodic_lag(ac, max(2, math.ceil(PERIOD_LAG_BANDS * self.rate_hz / max(bw, 1.0))))
        n_eff = n * bw / self.rate_hz
        olag, oh, osig, rep = ft.ofdm_lag(ac[: max(min_lag + 16, int(min(max_lag, 0.005 * self.rate_hz)))],
                                          min_lag, n_eff)
        return Snippet(n=n, noise=noise, signal=s, snr=snr, kappa=kappa, train=train, ofdm_repeat=rep,
                       period_s=lag / self.rate_hz, period_height=height,
                       ofdm_lag_s=olag / self.rate_hz, ofdm_height=oh, ofdm_sig=osig,
                       y=y, spectrum=spec, nfft=nfft)

    def _pulses(self, x, y, e, noise, s, bw) -> ft.PulseTrain | None:
        """Pulse train of the envelope: of one tone alone where there are tones (the beat of
        several tones is not keying) - the strongest, else the one with most room around it -
        or of the whole band. Keying spreads the spectrum over ~ KEYING_WIDEN / pulse width;
        where that is wider than the band filter, the train is measured again through a
        filter that wide (or the edges are blurred and the duty is wrong)."""
        tones = self.tones
        lo_hz, hi_hz = self.band_hz
        if tones.stationary and tones.count >= 2 and tones.fraction >= 0.5:
            f = tones.offsets_hz
            room = np.array([np.min(np.abs(np.delete(f, i) - f[i])) for i in range(f.size)])
            strong = tones.powers >= 0.5 * tones.powers.max()
            order = [int(np.argmax(tones.powers)), int(np.argmax(np.where(strong, room, -1.0)))]
            for i0 in dict.fromkeys(order):
                f0, sp = float(f[i0]), float(room[i0])
                half = max(3 * self.bin_hz, min(0.4 * sp, 20 * self.bin_hz))
                train = self._keyed(x, f0 - half, f0 + half, sp)
                if train is not None and self._band_moves(train, e, noise) and self._lines_hold(train, e.shape[0]):
                    self.alternation = train
                    return None  # one tone's pulses while the band stays on: a hop, not keying
                if train is not None:
                    whole = self._keyed_together(x, y, e, noise, bw, train, sp)
                    if whole is not None:
                        return whole
                    # the envelope during the pulses of all the tones together: tones on at
                    # once beat (kappa ~ 2 - 1/K), a sweep's comb of lines does not (1)
                    self._kappa_during(train, e, noise)
                    return train
            return None
        if self._alternates(x, e, noise):
            return None
        return self._keyed(x, lo_hz, hi_hz, None, y=y, e=e, noise=noise)

    def _keyed_together(self, x, y, e, noise, bw, train: ft.PulseTrain, spacing: float) -> ft.PulseTrain | None:
        """The train of the whole band (`y`, its power `e`) where one tone's train (`train`, its
        nearest neighbour `spacing` Hz away) was read through a filter too narrow for its keying
        spread (KEYING_WIDEN / pulse width beyond NEIGHBOUR_SHARE of the spacing: a PRF near
        the tones' spacing) and all the tones are keyed together: the band's fold finds the same
        PRF (within KEYED_PRF_TOL) and falls to the noise between the pulses (its off level
        within the floor's error, FLOOR_ERROR, of it). A filter that cuts the keying's side lines
        rounds the pulses and takes their power: the duty read through it is short. Else None
        (the tone's fold, `_fold_L`, stands)."""
        if KEYING_WIDEN / max(train.width_s, 1e-12) <= NEIGHBOUR_SHARE * spacing:
            return None
        fold_L, kappa_on = self._fold_L, self.kappa_on
        lo_hz, hi_hz = self.band_hz
        whole = self._keyed(x, lo_hz, hi_hz, None, y=y, e=e, noise=noise)
        if (whole is not None and whole.regular and abs(whole.prf_hz / train.prf_hz - 1.0) < KEYED_PRF_TOL
                and whole.off_ratio <= ft.FLOOR_ERROR):
            return whole
        self._fold_L, self.kappa_on = fold_L, kappa_on
        return None

    def _alternates(self, x, e, noise) -> bool:
        """Two separate channels (nothing between them; modulated carriers, so not tones) where
        one channel's pulses come while the band stays on: one carrier moving between them.
        Sets `alternation` to that channel's train."""
        ch = self.channels
        if ch.size != 2 or not self.separate_channels or not self.channel_gap_share < ALTERNATION_GAP_MAX:
            return False
        widths = self.channel_widths_hz
        sp = float(abs(ch[1] - ch[0]))
        i0 = int(np.argmax(widths))  # (the wider: more of its own power through its filter)
        half = min(max(3 * self.bin_hz, float(widths[i0])), 0.4 * sp)
        train = self._keyed(x, float(ch[i0]) - half, float(ch[i0]) + half, sp)
        if train is not None and self._band_moves(train, e, noise):
            self.alternation = train
            return True
        return False

    def _keyed(self, x, lo_hz, hi_hz, spacing, *, y=None, e=None, noise=None) -> ft.PulseTrain | None:
        """The pulse train seen through [lo_hz, hi_hz] (widened for the keying spread, within
        +-NEIGHBOUR_SHARE `spacing` of the centre where neighbours are that close), with kappa_on."""
        if e is None:
            y, _, _ = ft.band_filter(x, self.rate_hz, lo_hz, hi_hz, X=self._X)
            e = y.real ** 2 + y.imag ** 2
            noise = self._band_noise(lo_hz, hi_hz)
        bw = hi_hz - lo_hz
        train = self._fold(e, noise, bw)
        if train is not None and train.width_s > 0:
            widen = KEYING_WIDEN / train.width_s
            if widen > 0.25 * bw and bw < 0.9 * self.rate_hz:
                a, b = lo_hz - widen, hi_hz + widen
                if spacing is not None:
                    f0 = 0.5 * (lo_hz + hi_hz)
                    a, b = max(a, f0 - NEIGHBOUR_SHARE * spacing), min(b, f0 + NEIGHBOUR_SHARE * spacing)
                y2, _, _ = ft.band_filter(x, self.rate_hz, a, b, X=self._X)
                e2 = y2.real ** 2 + y2.imag ** 2
                t2 = self._fold(e2, self._band_noise(a, b), b - a)
                if t2 is not None and abs(t2.prf_hz - train.prf_hz) < KEYED_PRF_TOL * train.prf_hz:
                    train, e, noise = t2, e2, self._band_noise(a, b)
        if train is not None:
            self._kappa_during(train, e, noise)
        return train

    def _band_moves(self, train: ft.PulseTrain, e: np.ndarray, noise: float) -> bool:
        """Does the whole band keep BAND_HOLDS of its pulse power (above `noise`, linear) while
        one tone's pulses (`train`, phases from the last fold) are off? A keyed jammer switches
        its band off; a hopper or FSK moves its one carrier to another tone and the band stays on."""
        if train.on_phases is None or not train.on_phases.any() or train.on_phases.all():
            return False
        k = e.shape[0] // self._fold_L
        on = self.pulse_on(train, k * self._fold_L)
        e = e[: on.shape[0]]
        if on.sum() < 64 or (~on).sum() < 64:
            return False
        p_on = float(np.mean(e[on])) - noise
        p_off = float(np.mean(e[~on])) - noise
        return p_on > 0 and p_off >= BAND_HOLDS * p_on

    def _lines_hold(self, train: ft.PulseTrain, n: int) -> bool:
        """Does the power on the emission's own lines (windows around its tones and channels,
        widened by the keying spread) also hold while one tone's pulses are off (`_band_moves`
        on it)? A hopper's carrier is on one of its lines all the time; other emissions in the
        band (packets, a beacon: traffic is not folded on the jammer's period) fill the band
        between its lines, which keeps the whole band on while a keyed multitone is off."""
        pad = max(3 * self.bin_hz, KEYING_WIDEN / max(train.width_s, 1e-12))
        centres = np.concatenate([self.tones.offsets_hz, self.channels])
        halves = np.concatenate([np.zeros(self.tones.count), 0.5 * self.channel_widths_hz]) + pad
        nfft = self._X.shape[0]
        f = ft._fft_freqs(nfft, float(self.rate_hz))
        keep = np.zeros(nfft, dtype=bool)
        near = np.zeros(self.offsets_hz.shape[0], dtype=bool)
        for c, h in zip(centres, halves):
            keep |= np.abs(f - c) <= h
            near |= np.abs(self.offsets_hz - c) <= h
        if not keep.any() or not near.any():
            return True
        y = sfft.ifft(np.where(keep, self._X, 0), workers=2)[:n]
        dens = self.ref / (self.enbw * self.bin_hz)
        return self._band_moves(train, y.real ** 2 + y.imag ** 2, float(np.sum(dens[near]) * self.bin_hz))

    def _kappa_during(self, train: ft.PulseTrain, e: np.ndarray, noise: float) -> None:
        """Set kappa_on: the noise-corrected kappa of the envelope `e` during the train's pulses
        (phases from the last fold, whose step is `_fold_L` samples)."""
        if train.on_phases is None or not train.on_phases.any():
            return
        k = e.shape[0] // self._fold_L
        eon = e[: k * self._fold_L][self.pulse_on(train, k * self._fold_L)]
        if eon.size > 64:
            self.kappa_on = ft.envelope_kappa(eon, noise)[0]

    def pulse_on(self, train: ft.PulseTrain, n: int) -> np.ndarray:
        """bool[n]: the snippet's first n samples that lie inside the pulses of `train` (its on
        phases, from the last fold, whose step is `_fold_L` samples; phase 0 at sample 0)."""
        nb = train.on_phases.shape[0]
        ph = ((np.arange(n) / self._fold_L / train.period_points) % 1.0 * nb).astype(np.int64)
        return train.on_phases[ph]

    def _band_noise(self, lo_hz: float, hi_hz: float) -> float:
        """Noise power (linear) in [lo_hz, hi_hz] from the reference density."""
        dens = self.ref / (self.enbw * self.bin_hz)
        near = (self.offsets_hz >= lo_hz) & (self.offsets_hz <= hi_hz)
        if near.any():
            return float(np.sum(dens[near]) * self.bin_hz)
        return float(np.min(dens) * (hi_hz - lo_hz))

    def _fold(self, e, noise, bw) -> ft.PulseTrain | None:
        """Fold the envelope: first finely (steps of ~1/(4 band), the first MAX_ENVELOPE_POINTS
        of them: fast trains), then ever more coarsely (FOLD_LADDER times each step) up to the
        whole snippet in MAX_ENVELOPE_POINTS steps. A weak train shows only once each step
        averages enough of the band's independent values; its pulses must still span steps."""
        L_fine = max(1, int(self.rate_hz / (4 * max(bw, 1.0))))
        L_coarse = max(L_fine, math.ceil(e.shape[0] / MAX_ENVELOPE_POINTS))
        ladder = [L_fine]
        while ladder[-1] * FOLD_LADDER * FOLD_MIN_POINTS <= e.shape[0]:
            ladder.append(ladder[-1] * FOLD_LADDER)
        for L in sorted(set(ladder) | {L_coarse}):
            k = min(e.shape[0] // L, MAX_ENVELOPE_POINTS)
            if k < 64:
                continue
            w = e[: k * L].reshape(k, L).mean(axis=1)
            train = ft.pulse_fold(w, L / self.rate_hz, noise, rise_s=1.0 / max(bw, 1.0))
            if train is not None and train.regular:
                self._fold_L = L
                return train
        self._fold_L = L_coarse
        k = e.shape[0] // L_coarse
        if k < 64:
            return None
        w = e[: k * L_coarse].reshape(k, L_coarse).mean(axis=1)
        return ft.pulse_fold(w, L_coarse / self.rate_hz, noise, rise_s=1.0 / max(bw, 1.0))

    @cached_property
    def clipped_fraction(self) -> float:
        """Share of the snippet's samples at a converter rail (|I| or |Q| >= CLIP_LEVEL of full
        scale); 0 where the samples are not on a full-scale-1 grid (float captures > 1)."""
        x = self.snippet
        if x is None or x.shape[0] == 0:
            return 0.0
        from ..config import CLIP_LEVEL

        v = np.abs(x.view(np.float32))
        if v.max() > 1.0 + 1e-6:
            return 0.0
        c = v >= CLIP_LEVEL
        return float(np.mean(c[0::2] | c[1::2]))

    @cached_property
    def ofdm(self) -> bool:
        """An isolated |R| peak (a cyclic prefix's) that no periodicity of the emission explains:
        not a multiple of its pulse period or of its repetition period, height <= 0.3, from an
        envelope as unsteady as a sum of many subcarriers."""
        sn = self.snip
        if sn is None or not sn.ofdm_sig >= OFDM_SIGMA or not OFDM_HEIGHT_MIN <= sn.ofdm_height <= OFDM_HEIGHT_MAX:
            return False
        if not sn.kappa >= OFDM_KAPPA_MIN:
            return False  # a constant envelope: not a sum of many subcarriers
        if self.tones.stationary and self.tones.fraction >= 0.5:
            return False  # a few lines hold the power: tones beating, not hundreds of subcarriers
        lag = sn.ofdm_lag_s
        if sn.train is not None and sn.train.regular and lag > OFDM_PULSE_SLACK * sn.train.width_s:
            return False  # longer than the pulses: OFDM is keyed whole symbols (prefix lag < symbol)
        periods = []
        if sn.train is not None and sn.train.regular:
            periods.append(1.0 / sn.train.prf_hz)
        if math.isfinite(sn.period_s) and sn.period_height > 0.5 * sn.ofdm_height:
            periods.append(sn.period_s)
        for p in periods:
            k = round(lag / p)
            if k >= 1 and abs(lag - k * p) <= 0.03 * p:
                return False
        steady = ft.prefix_steadiness(sn.y, round(lag * self.rate_hz), sn.noise)
        return not steady < OFDM_STEADY_MIN * sn.ofdm_height  # (nan: too few on-stretches to tell)

    @cached_property
    def activity(self) -> float:
        """Share of the snippet's time the band envelope (~10 us averages) is above half its
        on-level, or nan where the on-level does not stand clearly (10 sigmas) over the noise:
        ordinary packets keep it low and irregular; a jammer is on, or regularly keyed."""
        sn = self.snip
        if sn is None or sn.noise <= 0:
            return math.nan
        lo, hi = self.band_hz
        bw = max(hi - lo, self.bin_hz)
        # long enough to hold ACTIVITY_INDEP independent values of the band (noise's own
        # exponential fluctuations must not look like packets)
        L = max(1, round(ACTIVITY_S * self.rate_hz), math.ceil(ACTIVITY_INDEP * self.rate_hz / bw))
        e = sn.y.real ** 2 + sn.y.imag ** 2
        k = e.shape[0] // L
        if k < 16:
            return math.nan
        w = e[: k * L].reshape(k, L).mean(axis=1)
        indep = max(1.0, L * bw / self.rate_hz)
        top = float(np.percentile(w, 97))
        if top < sn.noise * (1.0 + 10.0 / math.sqrt(indep)):
            return math.nan
        on = w > sn.noise + 0.5 * (top - sn.noise)
        if (~on).any() and float(np.mean(w[~on])) > OFF_AT_NOISE * sn.noise:
            return math.nan  # something stays on between the strong moments: not packets
        return float(np.mean(on))

    @cached_property
    def occupied_share(self) -> float:
        """Share of the band read (its bins) spanned by the middle OCCUPIED_POWER of its excess
        (the occupied bandwidth, over the band's width): ~0.9 for a sweep or a noise band filling
        it (a sweep dwells as long at each frequency it passes; a fast sweep's comb of lines
        spreads across it too), a few hundredths where one narrow emission holds the power and the
        band's edges are read off a floor the reference does not match."""
        lo, hi = self.band_bins
        a, b = max(0, math.floor(lo)), min(self.excess.shape[0] - 1, math.ceil(hi))
        ex = np.maximum(self.excess[a:b + 1], 0.0)
        if ex.size < 2 or not ex.sum() > 0:
            return math.nan
        c = np.cumsum(ex) / ex.sum()
        tail = 0.5 * (1.0 - OCCUPIED_POWER)
        i, j = int(np.searchsorted(c, tail)), int(np.searchsorted(c, 1.0 - tail))
        return (j - i + 1) / ex.size

    @cached_property
    def flatness(self) -> float:
        """Lowest smoothed excess across the middle 80 % of the band over its median: ~1 for a
        sweep or a noise band, near 0 for two humps (FSK's two tones)."""
        lo, hi = self.band_bins
        a, b = math.ceil(lo + 0.1 * (hi - lo)), math.floor(hi - 0.1 * (hi - lo))
        if b - a < 4:
            return math.nan
        exc = self.excess[a:b + 1]
        w = max(1, (b - a) // 8)  # wide enough to bridge a periodic sweep's comb of lines
        sm = np.convolve(exc, np.ones(w) / w, mode="valid")
        med = float(np.median(sm))
        return float(sm.min() / med) if med > 0 else math.nan

    @cached_property
    def turn_sigmas(self) -> float:
        """How far (in sigmas of its scatter) the mean second-order lag product of the band
        signal, d2_L = y[n+2L] y*[n+L]^2 y[n] (`sweep_lags.lag_means`, L = 1..TURN_MAX_LAG),
        departs from what stationary noise and steady carriers give. Circular Gaussian noise of
        any band and shape averages to 2 |r(L)|^2 (real, >= 0; one carrier: its power squared,
        real, > 0, as a frequency holding still between jumps): a frequency that moves
        continuously turns the mean, by c L^2 (c = 2 pi R / fs^2): an imaginary part (a
        sawtooth, one sign of slope), or a negative real part (cos(c L^2) < 0, either shape).
        (Tones on together turn it too: their cross terms, at the differences of their
        frequencies times L.)
        The scatter of each mean is from its products, widened by sqrt(fs / B) for the band's
        correlated samples (n B / fs independent ones). 0 without a snippet."""
        from .sweep_lags import MAX_ON_SAMPLES, lag_means

        sn = self.snip
        if sn is None:
            return 0.0
        y = sn.y[:MAX_ON_SAMPLES]
        m, sc = lag_means(y, np.ones(y.shape[0], dtype=np.bool_), TURN_MAX_LAG)
        lo, hi = self.band_hz
        sc = sc * math.sqrt(max(1.0, self.rate_hz / max(hi - lo, self.bin_hz)))
        ok = sc > 0
        if not ok.any():
            return 0.0
        turn = np.maximum(np.abs(m.imag[ok]), -m.real[ok]) / sc[ok]
        return float(turn.max())

    def sweep_fast(self) -> dict | None:
        """Fast sweep (period shorter than a few rows) from the snippet: period, rate, shape;
        from its |R| period (`_sweep_fast_lag`), else from the lines of its lag product
        (`_sweep_traced`). Read once per snippet: every kind asks (the dict is not to be
        changed)."""
        return self._sweep_fast_reading

    @cached_property
    def _sweep_fast_reading(self) -> dict | None:
        """`sweep_fast`'s reading."""
        out = self._sweep_fast_lag()
        if out is not None and self._folded(out):
            return out
        # no fold confirmed the |R| period's sweep (its rate is then the band read over that
        # period): a sweep traced from its instantaneous frequency is the better measure
        traced = self._sweep_traced
        return traced if traced is not None else out

    def _folded(self, params: dict) -> dict | None:
        """The fold (`_sweep_fold`, `_sweep_traced`) that gave a fast sweep's params, or None."""
        folds = self.__dict__.get("_sweep_folds", {})
        return next((f for f in folds.values() if f is not None
                     and f["sweep_period_s"] == params["sweep_period_s"]
                     and f["bandwidth_hz"] == params["bandwidth_hz"]), None)

    @cached_property
    def _sweep_traced(self) -> dict | None:
        """A fast sweep whose |R| period is missing or wrong (a period of no whole number of
        samples, a carrier phase that wanders) found from its instantaneous frequency: the lag
        product's strongest line gives the period (`sweep_fold.sweep_fold_step`), between
        PERIOD_LAG_BANDS / B and one fine frame (a longer period is seen on the waterfall, and a
        hopper stepping through its channels traces a staircase a straight line fits too), and
        its fold must trace straight pieces, over a band that holds the emission's power
        (`_holds_power`). Looked for only under a sweep's constant envelope, as
        `_sweep_incoherent`. Its coherence: 1 less the fit's residual over
        sweep_fold.MAX_RESIDUAL."""
        from . import sweep_fold

        out = None
        sn = self.snip
        lo, hi = self.band_hz
        if sn is not None and hi - lo > 0 and self._may_trace():
            m = max(2 * self.bin_hz, FOLD_MARGIN * (hi - lo))
            fold = sweep_fold.sweep_fold_step(self._fold_input(m), self.rate_hz, None, lo, hi,
                                              noise_corr=self._noise_corr(lo - m, hi + m),
                                              min_period_s=PERIOD_LAG_BANDS / (hi - lo),
                                              max_period_s=1.0 / self.bin_hz, pass_hz=hi - lo + 2 * m)
            if fold is not None and self._holds_power(fold):
                self.__dict__.setdefault("_sweep_folds", {})[fold["sweep_period_s"]] = fold
                out = {k: fold[k] for k in ("sweep_shape", "sweep_rate_hz_per_s", "sweep_period_s", "bandwidth_hz")}
                out["coherence"] = 1.0 - fold["residual"] / sweep_fold.MAX_RESIDUAL
                out["rate_measured"] = fold["sweep_rate_hz_per_s"]
        return out

    def _sweep_fast_lag(self) -> dict | None:
        """Fast sweep from the snippet's |R| period: period, rate, shape. Where that period may be
        a side lobe of the band's own shape (under SIDE_LOBE_MARGIN times the lobe its lag
        allows, or too low to be a sweep's), the period read with the shape taken out
        (`shape_free_period`; no multiple of the band's keying) is tried first, and kept where a
        sweep is read at it. A snippet whose band holds no power over the noise (an emission off
        all through it: packets joined over a silence, the ring holding only that silence) has no
        sweep to read: a sweep's |R| peak stands at its share of the band's power, and the noise's
        own correlation at a short lag makes its lag product as coherent as a sweep's."""
        sn = self.snip
        if sn is None or not sn.snr > 0:
            return None  # nothing over the noise in the band: any |R| peak is the noise's own
        least = 0.3 * sn.snr / (1 + sn.snr)
        T, height = sn.period_s, sn.period_height
        plain = math.isfinite(T) and height >= least
        lobe = self.band_side_lobe(T) if math.isfinite(T) else 1.0
        if not (plain and height > lobe):
            T2, h2 = self.shape_free_period
            if math.isfinite(T2) and h2 >= least and not self._keying_multiple(T2):
                out = self._sweep_at(T2)
                if out is not None:
                    return out
        if not plain:
            return self._sweep_incoherent()
        return self._sweep_at(T)

    def _sweep_at(self, T: float) -> dict | None:
        """`_sweep_fast_lag`'s reading of a sweep repeating with period T (s), or None."""
        sn = self.snip
        lo, hi = self.band_hz
        B = hi - lo
        if B <= 0 or T <= 0:
            return None
        # |R| at a period that is no whole number of samples collapses; a multiple may stand first
        T = ft.shortest_period(sn.y, self.rate_hz, T, B, min_period_s=PERIOD_LAG_BANDS / B)
        r_saw = B / T
        # lag where a sawtooth's second-order phase is 1 rad; a triangle (twice the rate, both
        # signs) then averages to a real mean: angle 0 or pi, never near 1 rad
        lag = max(1, round(self.rate_hz / math.sqrt(2 * math.pi * r_saw)))
        lag = min(lag, max(1, int(0.2 * T * self.rate_hz)))
        rate, coh = ft.chirp_rate(sn.y, self.rate_hz, lag)
        if not math.isfinite(rate):
            return None
        expect = 2 * math.pi * r_saw * lag * lag / self.rate_hz ** 2  # saw phase, rad
        phase = 2 * math.pi * abs(rate) * lag * lag / self.rate_hz ** 2
        if 0.5 * expect < phase < min(1.6 * expect, 2.6):
            shape = "sawtooth"
        elif ((phase < STEADY_PHASE and coh > STEADY_COHERENCE or self._holds_still(lag))
              and self._sweep_fold(T) is None):
            # the frequency holds still between jumps (FSK, hopping): no sweep; unless the band
            # folded on the period holds one (the plain phase is a mean over all the band holds:
            # packets grouped with a sweep's band pull it to 0, the fold sees only the sweep)
            return None
        else:
            shape = "triangle"
        # folded on the period, each stretch of one slope keeps its phase (a triangle's two
        # slopes cancel in the plain mean; a sawtooth's resets bias it)
        frate, fcoh = ft.chirp_rate_folded(sn.y, self.rate_hz, lag, T * self.rate_hz)
        fphase = 2 * math.pi * frate * lag * lag / self.rate_hz ** 2
        slope = 2 * expect if shape == "triangle" else expect
        folded_ok = 0.5 * slope < fphase < min(1.6 * slope, math.pi)
        if shape == "triangle" and folded_ok and fcoh > coh:
            coh = fcoh
        # the band edges sit half a Hann main lobe outside the swept band; where the phase is
        # coherent enough, the slope it gives does not depend on where the edges are read
        B_true = max(B - self.bin_hz, self.bin_hz)
        sweep_rate = B_true / T * (2.0 if shape == "triangle" else 1.0)
        if folded_ok and fcoh >= RATE_FROM_PHASE_COHERENCE and T * self.rate_hz >= RATE_FROM_PHASE_SPAN * 2 * lag:
            sweep_rate = frate
            B_true = frate * T / (2.0 if shape == "triangle" else 1.0)
        fold = self._sweep_fold(T)
        if fold is not None:
            # the instantaneous frequency over the folded period: the slopes themselves
            plain_shape = shape
            shape, sweep_rate, T, B_true = (fold[k] for k in ("sweep_shape", "sweep_rate_hz_per_s",
                                                               "sweep_period_s", "bandwidth_hz"))
            if shape == "triangle" and plain_shape != "triangle":
                coh = _triangle_coherence(coh, fphase, fcoh, expect)
        # a triangle is the shape left where the plain phase is no sawtooth's; its slopes are
        # seen only where the phase folded on the period turns as they do, or the fold traces them
        slopes_read = shape == "sawtooth" or folded_ok or fold is not None
        return {"sweep_shape": shape, "sweep_rate_hz_per_s": sweep_rate, "sweep_period_s": T,
                "bandwidth_hz": B_true, "coherence": coh,
                "rate_measured": _rate_measured(shape, abs(rate), abs(frate) if folded_ok else math.nan, fold),
                "slopes_read": slopes_read}

    def _holds_still(self, lag: int) -> bool:
        """Does the band's own signal hold its frequency still at `lag` (samples), however weak?
        With y = s + n (n circular Gaussian noise of correlation r_n(L), `_noise_corr` over the
        snippet's pass band) the second-order product's mean is
          E d2_L = E[s[2L] s*[L]^2 s[0]] + 4 Re(r_n(L) r_s*(L)) + 2 |r_n(L)|^2,
        the noise's terms real and positive where the band is narrow against 1/L. Taken out, the
        signal's own mean is S^2 e^{i c L^2} for a sweep (a triangle's two slopes: S^2 cos(c L^2),
        negative at the lag `_sweep_at` reads a triangle at) and ~S^2, real, for a frequency held
        between jumps (a hopper, FSK: only the products straddling a jump turn). At low SNR the
        plain coherence |E d2| / E|d2| falls as (S / (S + N))^2 whatever the signal does (a -10 dB
        hopper's 0.02..0.2, under STEADY_COHERENCE): the signal's own mean is judged against S^2
        instead - real and positive (within STEADY_PHASE), at least STEADY_COHERENCE S^2 once the
        noise's terms are allowed NOISE_REF_ERR of error, and STEADY_SIGMAS over its scatter (the
        products' spread over the band's n B / fs independent samples). Judged only where the
        averaged spectrum shows separate channels (`separate_channels`: the lines a frequency held
        between jumps leaves); a band without them (a keyed sweep whose |R| peaked at a stray
        lag of a few samples, over which any sweep holds nearly still) is left to the tests
        that follow."""
        sn = self.snip
        L = int(lag)
        if (sn is None or L < 1 or sn.y.shape[0] <= 2 * L + 16 or not sn.signal > 0
                or not self.separate_channels):
            return False
        d1, d2 = ft.lag_products(sn.y, L)
        m = complex(np.mean(d2))
        f0, f1 = self.pass_band_hz
        r_n = self._noise_corr(f0, f1)(L, 0.0)
        r_s = complex(np.mean(d1)) - r_n
        noise_only = 2.0 * abs(r_n) ** 2
        cross = 4.0 * (r_n * r_s.conjugate()).real
        own = m - noise_only - cross
        err = NOISE_REF_ERR * (2.0 * noise_only + abs(cross))  # (N^2 and N terms)
        scatter = math.sqrt(float(np.mean(d2.real ** 2 + d2.imag ** 2)) / d2.shape[0]
                            * max(1.0, self.rate_hz / max(f1 - f0, self.bin_hz)))
        return bool(abs(math.atan2(own.imag, own.real)) < STEADY_PHASE
                    and own.real - err >= STEADY_COHERENCE * sn.signal ** 2
                    and own.real >= STEADY_SIGMAS * scatter)

    def band_side_lobe(self, lag_s: float) -> float:
        """The |R| a side lobe of the band's own flat spectrum may reach at lag `lag_s`:
        SIDE_LOBE_MARGIN times 1 / (pi B tau), B the band's width (at most the sample rate). A
        peak no higher is no repetition of the waveform."""
        f0, f1 = self.pass_band_hz
        return SIDE_LOBE_MARGIN / (math.pi * max(lag_s * min(f1 - f0, self.rate_hz), 1.0))

    @cached_property
    def shape_free_period(self) -> tuple[float, float]:
        """(period s, height) of the snippet's |R| once the correlation of the band's smooth
        spectral shape is taken out (`kinds.noise.shape_free_period`), or (nan, 0). A sweep's
        spectrum is a flat top with sharp edges: its |R| near lag 0 is a sinc whose side lobes,
        ~share / (pi B tau), stand above half a weak sweep's period peak for several 1/B (its
        carrier phase wanders over a slow period, lowering that peak), and the first of them
        was read as the period (gen3 17's 010: 23 samples for 15066, a -10 dB sawtooth of
        6.3 ms; gen3 5's 019: 22 samples for 44122, one side lobe standing at 0.06, under
        SIDE_LOBE_MARGIN times the 1 / (pi B tau) its lag allows). The line spectrum of a
        repeating waveform is what the shape leaves. Read once per snippet (noise's periodicity
        test reads it too)."""
        from .kinds.noise import shape_free_period

        sn = self.snip
        f0, f1 = self.pass_band_hz
        bw = max(min(f1 - f0, self.rate_hz), 1.0)
        lag, height = shape_free_period(sn.spectrum, min_lag=max(2, math.ceil(PERIOD_LAG_BANDS * self.rate_hz / bw)),
                                        max_lag=int(sn.n * MAX_LAG_FRACTION))
        return lag / self.rate_hz, height

    def _keying_multiple(self, period_s: float) -> bool:
        """Is `period_s` a whole number of the keying periods of a regular pulse train the band
        shows (the snippet's or the rows'), within KEYING_MULTIPLE_TOL? The |R| of a keyed band
        peaks at every multiple of its keying period, whatever is keyed: such a peak says
        nothing of a sweep inside the pulses (gen3 4's 070, a keyed triangle of 523 us, read as
        a sweep of 2.6 ms: three keying periods)."""
        if not (math.isfinite(period_s) and period_s > 0):
            return False
        for train in (self.snip.train if self.snip is not None else None, self.row_train):
            if train is not None and train.regular and train.prf_hz > 0:
                k = period_s * train.prf_hz
                if round(k) >= 1 and abs(k - round(k)) <= KEYING_MULTIPLE_TOL * round(k):
                    return True
        return False

    def _sweep_incoherent(self) -> dict | None:
        """A fast sweep whose phase does not continue from period to period (no |R| peak at its
        period, no comb of lines): its period from the repeating instantaneous frequency
        (`sweep_fold.frequency_period`, periods of at least POWER_MIN_BT / B: shorter ones the
        power fold cannot resolve), then its shape and rate from the power fold at it."""
        from . import sweep_fold

        if "_incoherent" in self.__dict__:
            return self.__dict__["_incoherent"]
        out = None
        sn = self.snip
        lo, hi = self.band_hz
        if sn is not None and hi - lo > 0 and sn.snr >= INCOHERENT_MIN_SNR and sn.kappa <= INCOHERENT_KAPPA_MAX:
            min_lag = math.ceil(sweep_fold.POWER_MIN_BT * self.rate_hz / (hi - lo))
            T = sweep_fold.frequency_period(sn.y, self.rate_hz, min_lag, band_hz=hi - lo)
            T = self._sharper_period(T)
            fold = self._sweep_fold(T) if T is not None else None
            if fold is not None and (fold["residual"] > INCOHERENT_MAX_RESIDUAL
                                     or fold["bandwidth_hz"] < INCOHERENT_MIN_SPAN * (hi - lo)):
                fold = None  # a blurred or partial sweep: chirp-spread packets' shifted symbols
            if fold is not None:
                out = {k: fold[k] for k in ("sweep_shape", "sweep_rate_hz_per_s", "sweep_period_s", "bandwidth_hz")}
                out["coherence"] = 1.0 - fold["residual"] / sweep_fold.MAX_RESIDUAL
                out["rate_measured"] = fold["sweep_rate_hz_per_s"]
        self.__dict__["_incoherent"] = out
        return out

    def _sharper_period(self, period_s: float | None) -> float | None:
        """The snippet's |R| period (`Snippet.period_s`) where it lies within PERIOD_AGREE of
        `period_s` (the instantaneous frequency's), else `period_s`. Where the carrier phase
        carries over from one period to the next, |R| peaks at the period however weak that
        peak is beside the noise (too low to call the sweep coherent), and its peak is ~1/B wide,
        where the frequency's autocorrelation peaks over a share of the period (a triangle's
        round top): a fold on the period's small error drifts across the periods it averages
        and bends the straight pieces (a -5 dB triangle of B T ~2000: 0.3 % off, a residual of
        0.07 against 0.0005)."""
        sn = self.snip
        if period_s is None or sn is None or not math.isfinite(sn.period_s):
            return period_s
        return sn.period_s if abs(sn.period_s - period_s) <= PERIOD_AGREE * period_s else period_s

    def swept_band_hz(self, params: dict) -> tuple[float, float, float] | None:
        """(lo, hi, power) of the band a fast sweep's fold measured (offsets in Hz: its centre
        +- half its swept width) and of the sweep's power there (linear), where `params` (a
        chirp's) are that fold's and its band is narrower than `SWEPT_NARROWER` of the band
        read: other emissions (packets) were grouped with the sweep's band, and the sweep's own
        band is the one folded on its period. The power: the larger of the coherent fold's
        template power (the sweep alone, the noise averaged out; phase wander between periods
        takes some off) and the averaged spectrum's excess over the swept band (less what a
        reference lifted by the sweep hides). None where there is no such fold, or it fills
        the band."""
        folds = self.__dict__.get("_sweep_folds", {})
        fold = next((f for f in folds.values() if f is not None and "centre_hz" in f
                     and f["bandwidth_hz"] == params.get("bandwidth_hz")
                     and f["sweep_period_s"] == params.get("sweep_period_s")), None)
        if fold is None:
            return None
        lo, hi = self.band_hz
        c, w = fold["centre_hz"], fold["bandwidth_hz"]
        if not (w > 0 and w < SWEPT_NARROWER * (hi - lo) and lo <= c <= hi):
            return None
        a, b = c - 0.5 * w, c + 0.5 * w
        return a, b, max(self.power_between(a, b), fold.get("power", 0.0))

    def traces_sweep(self) -> bool:
        """Does the band, folded on its period, trace a sweep: a fast sweep (`sweep_fast`) whose
        parameters come from a fold of its instantaneous frequency into straight pieces
        (residual within sweep_fold.STEP_MAX_RESIDUAL) at a steady power (its lowest at least
        TRACE_STEADY_MIN of its median)? Lines 1/T apart from tones on together beat through
        such a fold (three equal tones: their folded power falls to ~0.4 of its median whatever
        their phases), while a sweep's comb is one carrier moving linearly at a constant power."""
        fast = self.sweep_fast() if self.snip is not None else None
        if fast is None:
            return False
        from .sweep_fold import STEP_MAX_RESIDUAL

        f = self._folded(fast)
        return f is not None and f["residual"] <= STEP_MAX_RESIDUAL and f.get("steady", 0.0) >= TRACE_STEADY_MIN

    def fold_refutes_sweep(self) -> bool:
        """Does the band's fold on its own period (`sweep_fast`'s) trace no sweep where it would
        see one: at an in-band SNR of at least REFUTE_MIN_SNR its straight pieces miss by over
        REFUTE_RESIDUAL of the span, or (under a sweep's constant envelope, `_may_trace`) its
        power swings through the period below REFUTE_SWING of its highest? One carrier moving
        linearly fits the pieces (noise at -5 dB in band leaves ~0.02) at a steady power; tones
        on together beat through the fold. Three evenly spaced tones in quadrature (FM-like)
        keep a near-constant envelope, so neither their kappa nor their even spacing tells them
        from a short sweep's comb, and their frequency swings across the band nearly linearly
        (a sweep of B T ~2 is itself FM of index ~1, the same three lines): their power at each
        phase does, twice as high where the frequency passes the middle tone as at the swing's
        ends, where a sweep's stays at its level. False where there is no fold, or the band is
        too weak for it to tell. The swing is read on a few lines only (SWING_MAX_BT)."""
        sn = self.snip
        if sn is None or not sn.snr >= REFUTE_MIN_SNR:
            return False
        fast = self.sweep_fast()
        f = self._folded(fast) if fast is not None else None
        res = f.get("residual") if f is not None else None
        if res is not None and res > REFUTE_RESIDUAL:
            return True
        if fast is None or not self._may_trace():
            return False
        lo, hi = self.band_hz
        T = fast["sweep_period_s"]
        return (hi - lo) * T <= SWING_MAX_BT and self._fold_swing(T) < REFUTE_SWING

    def _fold_swing(self, period_s: float) -> float:
        """Lowest over highest power of the band folded on `period_s` (`sweep_fold.step_fold_swing`,
        through the filter the step fold takes, less the noise the reference puts there); nan
        where there is no such fold."""
        from . import sweep_fold

        lo, hi = self.band_hz
        m = max(2 * self.bin_hz, FOLD_MARGIN * (hi - lo), STEP_SKIRT_LINES / period_s)
        noise = self._noise_corr(lo - m, hi + m)(0, 0.0).real  # (at lag 0: the noise's power)
        out = sweep_fold.step_fold_swing(self._fold_input(m), self.rate_hz, period_s, lo, hi,
                                         noise=noise, pass_hz=hi - lo + 2 * m)
        return out if out is not None else math.nan

    def power_between(self, lo_hz: float, hi_hz: float) -> float:
        """Mean power (linear, noise subtracted) of the averaged spectrum between two offsets (Hz),
        the Hann main lobe's 2 bins past each edge included (as `power_on`)."""
        f0 = float(self.offsets_hz[0])
        n = self.excess.shape[0]
        a = max(0, math.floor((lo_hz - f0) / self.bin_hz + 0.5) - 2)
        b = min(n - 1, math.ceil((hi_hz - f0) / self.bin_hz - 0.5) + 2)
        return float(self.excess[a:b + 1].sum() / self.enbw) if b >= a else 0.0

    def _sweep_fold(self, period_s: float) -> dict | None:
        """`sweep_fold.sweep_fold` (else `sweep_fold_power`) of the snippet filtered to the
        band with `FOLD_MARGIN` of its width each side (a sweep reaching into the receiver's
        roll-off runs past the edges read at `EDGE_LEVEL` of the plateau); once per period."""
        from . import sweep_fold

        cache = self.__dict__.setdefault("_sweep_folds", {})
        if period_s not in cache:
            lo, hi = self.band_hz
            m = max(2 * self.bin_hz, FOLD_MARGIN * (hi - lo))
            y = self._fold_input(m)
            out = (sweep_fold.sweep_fold(y, self.rate_hz, period_s, lo, hi)
                   or sweep_fold.sweep_fold_power(y, self.rate_hz, period_s, lo, hi))
            if out is None and self._may_trace():
                # the instantaneous frequency: through a filter that passes the comb's skirts too
                # (a sweep of a few 1/T: lines STEP_SKIRT_LINES / T past the edges read at the
                # plateau's quarter), or its steps smear over the filter's 1/width
                m2 = max(m, STEP_SKIRT_LINES / period_s)
                y2 = self._fold_input(m2)
                out = sweep_fold.sweep_fold_step(y2, self.rate_hz, period_s, lo, hi,
                                                 noise_corr=self._noise_corr(lo - m2, hi + m2),
                                                 pass_hz=hi - lo + 2 * m2)
                if out is not None and not self._holds_power(out):
                    out = None
            cache[period_s] = out
        return cache[period_s]

    def _fold_input(self, margin_hz: float) -> np.ndarray:
        """The snippet through the band widened by `margin_hz` each side (its notches too), as
        the sweep folds take it; once per margin."""
        cache = self.__dict__.setdefault("_fold_inputs", {})
        if margin_hz not in cache:
            lo, hi = self.band_hz
            cache[margin_hz] = ft.band_filter(self.snippet, self.rate_hz, lo - margin_hz, hi + margin_hz,
                                              notch=self.notch, X=self._X)[0]
        return cache[margin_hz]

    def _may_trace(self) -> bool:
        """Is the lag-product fold (`sweep_fold.sweep_fold_step`) looked for? Under a sweep's
        constant envelope (as `_sweep_incoherent`: kappa at most INCOHERENT_KAPPA_MAX, at an
        in-band SNR where kappa is known; traffic's packets switch on and off, noise is at 2),
        and not in a regular pulse train: the lag product folded on a sweep's period averages
        the pulse-off stretches into every bin, the sweep's share falls to the duty, and the
        noise's correlation (known to ~10 % from the reference) then bends the frequency curve."""
        sn = self.snip
        return (sn is not None and sn.snr >= INCOHERENT_MIN_SNR and sn.kappa <= INCOHERENT_KAPPA_MAX
                and not (sn.train is not None and sn.train.regular))

    def _holds_power(self, fold: dict) -> bool:
        """Does the band a lag-product fold swept (its centre +- half its span, its skirts of
        STEP_SKIRT_LINES / T and the Hann main lobe besides) hold STEP_POWER_SHARE of the
        emission's power in the averaged spectrum? A slower sweep folded on a whole fraction
        of its period also traces a ramp, over that fraction of its band, while its power fills
        the whole band."""
        c, w, T = fold["centre_hz"], fold["bandwidth_hz"], fold["sweep_period_s"]
        lo, hi = self.band_hz
        total = self.power_between(lo, hi)
        pad = STEP_SKIRT_LINES / T if T > 0 else 0.0
        return total > 0 and self.power_between(c - 0.5 * w - pad, c + 0.5 * w + pad) >= STEP_POWER_SHARE * total

    def _noise_corr(self, lo_hz: float, hi_hz: float):
        """The noise's own correlation over a lag, E[n[t+L] n*[t]] (complex, linear power), once
        filtered to [lo_hz, hi_hz] (less the notches) and mixed down by a centre frequency: a
        callable (L, centre_hz) -> complex, from the reference density (white noise through a
        band filter correlates over lags shorter than 1/band, turning at the band's centre)."""
        dens = self.ref / (self.enbw * self.bin_hz)
        f = self.offsets_hz
        keep = (f >= lo_hz) & (f <= hi_hz)
        for a, b in self.notch:
            keep &= ~((f >= a) & (f <= b))
        f, w = f[keep], dens[keep] * self.bin_hz

        def corr(lag: int, centre_hz: float) -> complex:
            return complex(np.sum(w * np.exp(2j * np.pi * (f - centre_hz) * lag / self.rate_hz)))

        return corr


def _keying_clusters(cand: list, ex: np.ndarray) -> tuple[dict, float] | None:
    """({line: its carrier}, the spacing in bins) where the lines (indices `cand` into the excess
    `ex`, ascending) are those of one or more carriers keyed on and off at one PRF, else None.
    A carrier keyed periodically has lines at multiples of the PRF whose powers mirror about it
    (the spectrum of a real pulse envelope is even) and stay below it (sinc^2 of k times the
    duty); carriers keyed together (a keyed multitone) each carry such a cluster, at one
    spacing. The spacing is first that of the strongest line's nearest mirrored pair
    (`_mirrored`); a carrier is a line with its own pair at that spacing (within a bin), and the
    spacing is then the median of the carriers' pairs' (their lines' centroids). Every other
    line lies a whole 1..KEYING_LINES_MAX spacings from a stronger carrier (the nearest such;
    within a bin, and the spacing's error, KEYING_SPACING_ERR, per spacing) and is mirrored
    about it by a peak no weaker than TWIN_DB under it (it may be stronger, where another
    carrier's line falls there too) - or its mirror lies outside `ex`, or it is a far line
    (KEYING_FAR_LINES spacings or more) TWIN_DB under the carrier's first pair at least (the
    keying's lines fall as 1/k^2, and far ones of carriers keyed together overlap and add, so
    their mirror may be lost) -, two mirrored pairs at least; the peaks mirrored stand within
    TWIN_DB of the weakest line at least (lines, not the noise's wander). Tones of independent
    powers rarely do, all of them."""
    c0 = max(cand, key=lambda i: ex[i])
    least = min(ex[i] for i in cand) * 10 ** (-TWIN_DB / 10)  # (a line, not the noise's wander)
    first = next((p for s in range(2, ex.shape[0]) if (p := _mirrored(ex, c0, s, least)) is not None), None)
    if first is None:
        return None
    d0 = round(0.5 * (first[1] - first[0]))
    pair = {c: p for c in cand if (p := _mirrored(ex, c, d0, least)) is not None}
    carriers = sorted(pair, key=lambda c: -ex[c])
    d = float(np.median([0.5 * (_centroid(ex, hi) - _centroid(ex, lo)) for lo, hi in pair.values()]))
    err = KEYING_SPACING_ERR / math.sqrt(len(pair))
    owner, pairs = {c: c for c in carriers}, {(c, 1) for c in carriers}
    for i in cand:
        if i in owner:
            continue
        for c in sorted(carriers, key=lambda c: abs(c - i)):  # (the nearest first)
            gap = abs(_centroid(ex, i) - _centroid(ex, c))
            k = round(gap / d)
            if not (ex[i] < ex[c] and 1 <= k <= KEYING_LINES_MAX and abs(gap - k * d) <= 1.0 + k * err):
                continue
            j = 2 * c - i
            m = _peak_near(ex, j, least)
            if m is not None and ex[m] >= 10 ** (-TWIN_DB / 10) * ex[i]:
                pairs.add((c, k))  # (the mirror may be stronger: another carrier's line falls there)
            elif 2 <= j < ex.shape[0] - 2 and not (
                    k >= KEYING_FAR_LINES and ex[i] <= 10 ** (-TWIN_DB / 10) * min(ex[v] for v in pair[c])):
                continue  # (unless its mirror lies outside `ex`, or it is a far line, as weak)
            owner[i] = c
            break
        else:
            return None
    return (owner, d) if len(pairs) >= 2 else None


def _mirrored(ex: np.ndarray, c: int, s: int, least: float) -> tuple[int, int] | None:
    """(lo, hi) bins of the peaks of `ex` s bins each side of line `c` (`_peak_near`), of like
    power (within TWIN_DB of each other) and both weaker than it - a pair of keying lines about
    a carrier - or None."""
    if s < 2:
        return None
    lo, hi = _peak_near(ex, c - s, least), _peak_near(ex, c + s, least)
    if lo is None or hi is None:
        return None
    if not max(ex[lo], ex[hi]) < ex[c] or min(ex[lo], ex[hi]) < 10 ** (-TWIN_DB / 10) * max(ex[lo], ex[hi]):
        return None
    return lo, hi


def _peak_near(ex: np.ndarray, j: int, least: float) -> int | None:
    """The strongest peak of `ex` within a bin of bin `j` standing at `least` or more, or None
    (None too where that reaches past either end of `ex`)."""
    if j - 1 < 1 or j + 2 >= ex.shape[0]:
        return None
    peaks = [i for i in range(j - 1, j + 2)
             if ex[i] >= least and ex[i] > 0 and ex[i] >= ex[i - 1] and ex[i] >= ex[i + 1]]
    return max(peaks, key=lambda i: ex[i]) if peaks else None


def _centroid(ex: np.ndarray, i: int) -> float:
    """Bin of the line at peak `i` of `ex`: the power centroid of it and its two neighbours (a
    line a bin or two wide, its neighbours' lines further out)."""
    a, b = max(i - 1, 0), min(i + 2, ex.shape[0])
    w = ex[a:b]
    return float(np.sum(np.arange(a, b) * w) / np.sum(w)) if np.sum(w) > 0 else float(i)


def _side_pair(ex: np.ndarray, cand: np.ndarray, c: int) -> tuple[int, int] | None:
    """Bins (c1, c2) of a pair of side lines about peak `c`, 2..4 bins away - weaker peaks of
    `cand` mirrored about it (within a bin), the excess dipping below a quarter of each between -
    or None. A carrier keyed on and off at a PRF of that many bins has them (-3.9 dB at duty 0.5,
    less at lower duty); they overlap its Hann main lobe's flanks, and are its power, not tones
    (unless its envelope says otherwise: `Evidence._keying_refuted`)."""
    for c2 in _near(cand, c + 2, c + 4):
        d = c2 - c
        if not ex[c2] < ex[c] or not ex[c + 1:c2].min() < 0.25 * ex[c2]:
            continue
        for c1 in _near(cand, c - d - 1, min(c - 2, c - d + 1)):  # (mirrored within a bin)
            if ex[c1] < ex[c] and ex[c1 + 1:c].min() < 0.25 * ex[c1]:
                return c1, c2
    return None


def _near(cand: np.ndarray, lo: int, hi: int) -> list[int]:
    """The peaks of `cand` (ascending bins) from `lo` to `hi`."""
    return [int(v) for v in cand[np.searchsorted(cand, lo):np.searchsorted(cand, hi, side="right")]]


def _line_power(ex: np.ndarray, i: int) -> float:
    """Power of the line peaking at bin `i`: its excess summed over the peak and its two
    neighbours. A Hann-windowed tone's peak bin alone reads up to 1.42 dB low where the tone
    falls between two bins (scalloping); the three bins hold its power within 0.1 dB."""
    return float(ex[max(i - 1, 0):i + 2].sum())


def _narrow_line(ex: np.ndarray, cand: np.ndarray, c: int) -> bool:
    """Is the peak at bin `c` of `ex` (excess, linear) narrow as a tone, on each side: its excess
    3 bins away under a quarter of its own (a Hann main lobe: -30 dB; a keyed carrier's sinc side
    lobes stay below that), or a twin's dip between them (`_twin_dip`), or the end of `ex`?"""
    n = ex.shape[0]
    a, b = max(c - 3, 0), min(c + 3, n - 1)
    return bool((ex[a] < 0.25 * ex[c] or a == 0 or _twin_dip(ex, cand, c, -1))
                and (ex[b] < 0.25 * ex[c] or b == n - 1 or _twin_dip(ex, cand, c, 1)))


def _twin_dip(ex: np.ndarray, cand: np.ndarray, c: int, side: int) -> bool:
    """Is there a peak of like power (the two lines' `_line_power` within TWIN_DB) among `cand`
    within 4 bins of bin `c` on `side` (-1, +1), with the excess between the two falling below
    a quarter of the weaker, and no mirror of the weaker about the stronger (`_side_pair`:
    keying, not a second tone)? Two tones 3-4 bins apart (each Hann main lobe is 2 bins wide)
    overlap in their flanks."""
    for c2 in _near(cand, c + 2, c + 4) if side > 0 else _near(cand, c - 4, c - 2):
        if not ex[min(c, c2) + 1:max(c, c2)].min() < 0.25 * min(ex[c], ex[c2]):
            continue
        pc, pc2 = _line_power(ex, c), _line_power(ex, c2)
        strong, weak = (c, c2) if pc >= pc2 else (c2, c)
        if min(pc, pc2) >= 10 ** (-TWIN_DB / 10) * max(pc, pc2) and not np.any(np.abs(cand - (2 * strong - weak)) <= 1):
            return True
    return False


def _triangle_coherence(coh: float, fphase: float, fcoh: float, expect: float) -> float:
    """Coherence (0..1) of the second-order phase of a sweep its fold traced as a triangle where
    the plain mean's angle read a sawtooth: the folded coherence `fcoh` where the folded phase
    `fphase` (rad) is a triangle's slope (twice a sawtooth's `expect` over the same band and
    period), else `coh`. The plain mean of a triangle is A cos(c L^2) (its two slopes turn
    opposite ways), and the lag picked for a sawtooth's 1 rad turns a triangle by ~2 rad, near
    pi/2, where that mean vanishes: its angle is then the noise's, and may fall in the
    sawtooth's window by chance (a +10 dB triangle at 36 samples a period read ~0.002)."""
    slope = 2.0 * expect
    if 0.5 * slope < fphase < min(1.6 * slope, math.pi) and fcoh > coh:
        return fcoh
    return coh


def _rate_measured(shape: str, plain: float, folded: float, fold: dict | None) -> float:
    """The sweep rate (Hz/s) read from the instantaneous frequency itself (nan where none was):
    a sawtooth's from the plain second-order phase (`plain`: one slope, its turn c L^2); a
    triangle's from its fold (`fold`, the traced slopes) or from the phase folded on the period
    (`folded`, each slope keeping its own turn; nan where that fold did not read a slope). The
    plain mean over a triangle's two slopes is A cos(c L^2), a real number: its angle (0 or pi)
    is no turn, and read as one it gave a rate 30 % off (rfkit 131's 088, a slow triangle
    running past a 250 kS/s receiver's band edge, was then no sweep past the edge)."""
    if shape != "triangle":
        return plain
    if fold is not None:
        return abs(fold["sweep_rate_hz_per_s"])
    return folded


def _band_runs(above: np.ndarray, sm: np.ndarray, w: int) -> tuple[int, int] | None:
    """(first, last) bin of the runs of `above` (gaps under 2w bridged) that hold at least
    RUN_SHARE of the largest run's smoothed excess `sm`: noise cells far out in a wide track's
    band do not stretch it, a hopper's channels do (the components of one emission); None
    where there is no run."""
    from .frontend import segments

    runs = segments(above, 2 * w)
    if runs.shape[0] == 0:
        return None
    sums = np.array([float(sm[a_:b_ + 1].sum()) for a_, b_ in runs])
    keep = runs[sums >= RUN_SHARE * sums.max()]
    return int(keep[0, 0]), int(keep[-1, 1])
