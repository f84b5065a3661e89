"""The streaming detector: push blocks of IQ, get ("start", Event) / ("end", Event) as they happen.

`OnlineDetector` is THE detector: `rfkit.detect()` pushes every block of a recording through
it and calls `finish()`, so live monitoring and offline detection give the same events.

Per block: the front end (`frontend.py`) turns samples into fine spectrogram rows (~10 ms)
with a noise level and a CFAR mask per row. Per row, the occupied runs of bins (segments)
extend the tracks they overlap (or start new ones); a track ends when it has been silent for
`hold_s`, so a pulsed or hopping jammer stays one event. Tracks are grouped (union-find) when
one narrow emission ends in the rows another begins (a hop) or when narrow emissions of
similar power begin together (the tones of a multitone). A rise of the whole floor over the
quiet reference is a track of its own covering the band. A group is confirmed once it has
lasted `confirm_s`; it is then classified on the last `analysis_s` of raw IQ (kept in a ring
buffer) and, where it is jamming, reported with "start"; it is classified again every
`reclassify_s` and at its end ("end"). Bursts (ordinary traffic) are not alerted; they are
in `events` at the end.

A whole band occupied from the first sample by a structured jammer (a fast sweep, a pulse
train) has no quiet reference; a probe classifies the whole band at confirmation time and
every `reclassify_s`, and only positive structure (a periodic sweep, a regular pulse train)
makes it an event; so does a noise band filling most of the band that stands, flat, on a flat
floor beside it (`plateau.py`): it is handed to the tracker as on from the first row, with the
floor beside it as the quiet reference. Whole-band noise present from the first sample cannot be
told from thermal noise without a baseline.
"""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from dataclasses import replace

import numpy as np

from ..config import CLIP_LEVEL
from ..errors import FormatError, ParameterError
from . import combs
from . import features as ft
from .dc import subtract_track
from .events import Event
from .evidence import PASS_MARGIN, Evidence
from .frontend import (
    GROUPS,
    HANN_SUM_VARIANCE,
    FrontEnd,
    _chi2_isf,
    abs_stats,
    cell_powers,
    keep_segments,
    one_density,
    owners_in,
    row_segments,
    segments,
)
from .keyed import band_rise, chunk_contrast, on_phases_at, on_span
from .kinds import Match, burst, chirp, classify, detection_confidence, hopping, multitone, noise, pulsed
from .kinds._base import KAPPA_SWEEP_MAX
from .options import DetectorOptions, resolve_options
from .passband import FIRST_S, PASSBAND_MAX_DB, lines_on, packet_rows, quiet_rows_mean, receiver_passband, same_power
from .plateau import noise_plateau
from .pulse_timing import in_turn, relative_phase, triangle_turns

__all__ = ["IMAGE_REJECTION_DB", "RING_MAX_SAMPLES", "OnlineDetector"]

#: An end stretch of on-rows each covering under this share of the bins the emission's on-rows
#: cover (their median) is another, narrower emitter (`_narrow_ends`), where it lasts at least
#: NARROW_END_MIN_ROWS on-rows (fewer: a jammer's own switching edge, partly on in its rows)
NARROW_END_SHARE = 0.5
NARROW_END_MIN_ROWS = 3
#: ... and at least this long (s): a weak jammer's first rows, seen in patches, and a ramped
#: switch-on take a few tens of ms whatever the row length
NARROW_END_MIN_S = 0.05
#: Most raw samples analysed at a time (2^19: 0.22 s at 2.4 MS/s; 50 ms at 10 MS/s).
MAX_SNIPPET = 1 << 19
#: Most raw samples kept for classification (complex64: 64 MiB).
RING_MAX_SAMPLES = 1 << 23
#: Periods of two pulse trains' common stretch folded to tell whether they pulse together.
PAIR_PERIODS = 64
#: Largest ratio (either way) of a triangle's turning piece's duty to its share of the band
#: (edges read at the CFAR's threshold, pulses' edges widened by the band filter).
TURN_DUTY_RATIO = 3.0
#: A segment mirrored (-f) from one at least this much stronger in the same row is the IQ image.
IMAGE_REJECTION_DB = 20.0
IMAGE_RATIO = 10 ** (IMAGE_REJECTION_DB / 10)
#: An emission is an IQ image (`_mirror_stronger`) where this share or more of its excess lies in
#: bins whose mirror is IMAGE_REJECTION_DB stronger: most of it copies the mirror, bin by bin.
IMAGE_SHARE = 0.5
#: Narrow emissions (for hop and tone grouping): at most this fraction of the band wide.
NARROW_FRACTION = 0.05
#: Tones that begin within this many rows of each other, within this many dB, are one multitone.
CO_ONSET_ROWS = 2
CO_ONSET_DB = 10.0
#: A member of a group that stopped while another went on is an emission of its own where it
#: was on in at least this share of its rows until it stopped (`_split_stopped`).
STOPPED_HELD = 0.8
#: Members that were on long enough to be confirmed as emissions of their own are split off once
#: the others went on for more than this long (s) after they stopped (else: the hold time):
#: tones of one transmitter are keyed off together (its held tracks' last rows lie a row or two
#: apart).
STOPPED_APART_S = 0.1
#: A hopper's member still on, held, this many times longer after all its other channels stopped
#: than the hopper's mean dwell (its lifetime over its hand-overs) is no channel of it: a hopper
#: stops as a whole and dwells one dwell at a time; that member is a steady emission that came on
#: as the hopper ended, its onset taken for a hop (`_split_stopped`).
HOP_OUTLIVED_DWELLS = 4.0
#: Pulse trains whose rates agree this closely (relative) come from one emitter.
PRF_SAME = 0.01
#: A keyed train's PRF is a multitone's line spacing where the two agree within this many fine
#: bins (the tones' peak interpolation: a fraction of a bin each, over the mean spacing).
COMB_BEAT_BINS = 0.5
#: A keyed carrier holding at least this share of the power of a wider piece keyed at its rate
#: (`_carrier_of_spread`) is the emitter, the wider piece its keying spread.
CARRIER_HOLDS = 0.5
#: A multitone is a concurrent chirp's comb where at least this many of its tones (and half)
#: lie on one grid 1 / T apart, each within this share of a spacing (`_sweep_lines`).
COMB_TONES_MIN = 3
COMB_TONE_TOL = 0.05
#: An emission of an 8-bit receiver centred within this many bins of 0 Hz and narrower than
#: this share of the band is the receiver's DC offset / LO leakage.
DC_CENTRE_BINS = 2.0
DC_MAX_WIDTH = 0.1
#: Kinds a hump of the receiver's passband is taken for (broad bands: `_passband`).
PASSBAND_KINDS = ("noise", "chirp")
#: A receiver's passband is thermal noise through its filter: Gaussian whatever the filter's
#: shape, its envelope's noise-corrected kappa 2 (`features.envelope_kappa`; whatever noise is
#: subtracted, signal and noise sum to one Gaussian). The fourth moment of n_eff independent
#: samples of it scatters by sqrt(20 / n_eff) (E|x|^8 = 24 P^4), (P / S)^2 times that in kappa.
#: A band whose kappa stands at most chirp's KAPPA_SWEEP_MAX and this many of those standard
#: errors under 2 is steadier than any noise: an emission (a sweep's constant envelope), whatever
#: its smooth long-term spectrum (`_gaussian_band`).
PASSBAND_KAPPA_SIGMAS = 6.0
#: Narrow carriers starting and ending within this of each other are one multitone (s).
CO_TIMED_S = 0.05
#: A piece not called jamming that ends within this of a jammer's start (or begins within it of
#: its end), at its level within EDGE_LEVEL_DB of J/N, is its own onset (or end) seen by another
#: track (`_own_edge`): a couple of rows (s) ...
EDGE_GAP_S = 0.03
#: ... and two readings of one steady emission's level, each over many rows and bins (dB; a
#: piece that holds rows after it stopped reads lower) ...
EDGE_LEVEL_DB = 2.0
#: ... on in this share of its rows or more, as a steady emission's rows are (a piece on in
#: fewer is packets or noise cells that the hold time joined up, whatever its mean level)
EDGE_ON_SHARE = 0.9
#: Rows of a floor rise whose segments cover this share of the band are the rise, not emissions.
WHOLE_BAND = 0.8
#: Groups that began within this many rows of each other in adjacent bands are one emission.
CO_START_ROWS = 5
#: Tracks born together whose bands are closer than this share of their joint span are one.
ADJACENT_FRACTION = 0.15
#: A row's occupied run holding two emissions side by side, split apart: blocks of
#: SPLIT_BLOCK_BINS bins whose mean excess is at least SPLIT_HELD times the noise hold an emission;
#: two runs of such blocks whose excess densities (medians) differ by SPLIT_DENSITY_DB or more are
#: two emitters (one emitter has one density: a sweep's turning points stand a few dB over its
#: middle, the tones of a comb alike), though the coarse CFAR cells or the merging of many
#: segments bridged the gap between them. Runs of fewer than SPLIT_MIN_BLOCKS blocks are left.
SPLIT_BLOCK_BINS = 16
SPLIT_MIN_BLOCKS = 4
SPLIT_HELD = 0.5
SPLIT_DENSITY_DB = 10.0
#: ... only between broad parts, SPLIT_RUN_BLOCKS blocks or more each (narrow lines, hop channels
#: and packets are told apart by the tracker: a hopper's channels differ in power within a row
#: as its dwells fill it).
SPLIT_RUN_BLOCKS = 2
#: Another emission on in at least this share of a hopper's rows is a steady one beside it (each
#: of the hopper's channels is on for its dwells only): its bins are no channel of the hopper's.
STEADY_OTHER_SHARE = 0.5
#: Hand-over window: a track beginning up to this many rows before another ends is a hop.
HANDOVER_ROWS = 2
#: A steady emission silent for OFF_GAP_S or more, and OFF_GAP_RATIO times longer than any other
#: gap of its, was switched off: its on-periods are events of their own (at most MAX_OFF_GAPS gaps).
OFF_SPLIT_KINDS = ("cw", "multitone", "noise", "hopping")
#: ... and so does a pulse train that would send this many pulses or more in OFF_GAP_S.
OFF_GAP_PULSES = 10
OFF_GAP_S = 0.15
OFF_GAP_RATIO = 4.0
MAX_OFF_GAPS = 2
OFF_LEVEL = 0.1
#: A narrow line inside a wideband jammer's track (see OnlineDetector._nested_line): its excess
#: stands this many times above the wideband's within NESTED_WINDOW_BINS fine bins each side; the
#: track holds NESTED_MIN_CHUNKS chunk spectra or more; the wideband is on in a chunk where its
#: mean excess reaches NESTED_ON of its largest.
NESTED_LINE_OVER = 2.0
NESTED_WINDOW_BINS = 40
NESTED_MIN_CHUNKS = 3
NESTED_ON = 0.25
#: ... and, inside a sweep, within this many of its comb's line spacings (1/period) each side
#: (a triangle's odd lines may vanish: its lines then stand 2/period apart).
NESTED_COMB_LINES = 2.5
#: A nested line is checked on the raw samples in windows this long (s, under a packet's length);
#: it must be seen in LINE_MIN_WINDOWS of them, and its median window must hold LINE_MEDIAN_SHARE
#: of its mean excess (on in at least half of them, as a carrier is; a wideband jammer switching
#: under it adds at most its own share).
LINE_WINDOW_S = 0.002
LINE_MIN_WINDOWS = 32
LINE_MEDIAN_SHARE = 0.25
#: Tracks on together in this many rows well inside each other's runs (CONCURRENT_EDGE rows
#: from a run's ends), over their last CONCURRENT_LOOKBACK rows, are not hops of one emitter.
CONCURRENT_ROWS = 2
CONCURRENT_EDGE = 2
CONCURRENT_LOOKBACK = 400
#: A hop leaves its channel silent this many rows (a 3-channel hopper comes back after 2) ...
HOP_SILENT_ROWS = 2
#: ... and lands on one as strong: the strongest rows of the two within this many dB (receiver
#: ripple and a partly filled row; a DC spike beside a packet is 20-40 dB apart).
HOP_SAME_DB = 15.0
#: A channel taken that has grown past this many times the narrow width (NARROW_FRACTION) by the
#: time the hop is confirmed is a band emission whose first rows showed a narrow piece.
HOP_CHANNEL_MAX = 2.0
#: ... and keeps its bandwidth: the two channels' median row widths (each at least
#: HOP_WIDTH_MIN_BINS) within HOP_WIDTH_RATIO of each other (a carrier ending as a wide packet
#: begins elsewhere is no hop).
HOP_WIDTH_RATIO = 4.0
HOP_WIDTH_MIN_BINS = 4
#: ... told only where the channel left was on unbroken for this many rows or more before it
#: (a fast hopper's rows straddle its hops and hold two channels, or a packet beside them).
HOP_CLEAN_RUN_ROWS = 10
#: A hop channel stands clear of the floor: its strongest row's excess power at least this many
#: dB over the noise power in that row's band (a 1-dB rise over 64 bins that only the coarse
#: CFAR group marks, a piece of the receiver's passband ripple, is ~5 dB under it).
HOP_CLEAR_DB = 0.0
#: A track on in LINE_MIN_ROWS rows or more whose last LINE_RECENT_ROWS on-rows peak (LINE_HELD
#: of them) within LINE_STEADY_BINS of their median, with a median row width of LINE_MAX_BINS or
#: less, is a steady carrier: a segment over HOP_WIDTH_RATIO times as wide that does not hold its
#: line is no part of it, nor is a track of another group that shares a segment with it.
LINE_RECENT_ROWS = 20
LINE_HELD = 0.7
LINE_MIN_ROWS = 5
LINE_STEADY_BINS = 2
LINE_MAX_BINS = 8
#: A carrier's power lies within this many bins beyond its rows' segments (its window's main
#: lobe and a frame's drift).
LINE_LOBE_BINS = 2
#: Share of a carrier track's row segments that hold a bin of its own lines (`_line_bins`).
LINE_ROW_SHARE = 0.2
#: A member on in under this share of a steady carrier's rows, wider than a line, is a packet
#: beside the carrier, not a piece of it (`_packet_beside_line`).
PACKET_BESIDE_SHARE = 0.5
#: The second CFAR pass runs only where a row's level stands this far above the quiet reference.
SECOND_PASS_RISE = 1.05
#: Positions tried for the analysis window of an emission's final classification; a window
#: whose median row excess stands over WINDOW_OVER times the emission's typical one counts as
#: that much less steady.
WINDOW_CANDIDATES = 5
WINDOW_OVER = 2.0
#: ... counted for an emission on in WINDOW_STEADY_ON of its rows whose level holds within
#: WINDOW_STEADY_RATIO of its median in WINDOW_STEADY_LIFE of them (a jammer: a long packet on
#: its band fills a window with rows as steady as its own, yet far above them), or `wide`
WINDOW_STEADY_ON = 0.95
WINDOW_STEADY_RATIO = 1.5
WINDOW_STEADY_LIFE = 0.8
#: A candidate window in which more than this share of the on-rows peak outside the emission's
#: band mostly holds another emission that the tracker attached to it (a packet in the next
#: channel): not analysed where a cleaner one exists.
WINDOW_FOREIGN_MAX = 0.25
#: A window is clean where at most this share of its on-rows stand over WINDOW_OVER times the
#: emission's typical row excess; where the steadiest is not, WINDOW_VOTERS clean ones that all
#: name another jamming kind outvote it (`_second_opinion`).
WINDOW_DIRTY_SHARE = 0.1
WINDOW_VOTERS = 2
#: Where no kind fit the steadiest window at all (`_no_kind`), a clean window votes only where
#: the emission stands in its band there at this in-band SNR or more (a sweep at J/N -5 dB over
#: most of the band: ~0.35): a jammer a packet hid in one window holds its band in the others;
#: packets joined up by the hold time leave next to nothing between them (SNR ~0..0.05).
NO_KIND_VOTER_SNR = 0.25
#: A row's strongest bin belongs to the emission within this share of its width outside its band
#: edges (the edges sit at a quarter of the plateau; a weak emission's row peaks jitter).
FOREIGN_SLACK = 0.05
#: ... and its rows are cut from the emission's ends where their median excess is this many times
#: the rest's (3 dB: another emitter winning the rows' peaks, not the noise of a weak one's) and
#: this share of them peak on one side of the band (a neighbouring channel is in one place).
FOREIGN_LEVEL_RATIO = 2.0
FOREIGN_ONE_SIDE = 0.8
#: A floor rise folded with a noise filling >= 80 % of its band holds only the rest of the band
#: where its rows notched that noise out: then at least this much under the noise's power (the
#: rest is <= 20 % of the band); nearer, it measured the same band (`_fold_band_filling_noise`), dB.
NOTCHED_RISE_DB = 3.0
#: Closed events looked back over for emissions beside one being analysed.
CROWD_LOOKBACK = 200
#: A track takes new segments within the band its last RECENT_ROWS on-rows held.
RECENT_ROWS = 50
#: On-rows per chunk of a track's spectrum, and most chunks kept (pairs merge beyond).
CHUNK_ROWS = 8
MAX_CHUNKS = 64
#: The whole-band probe reports only clear structure: a score and a periodic correlation this high.
PROBE_SCORE_MIN = 0.5
PROBE_PERIOD_MIN = 0.2
#: ... or, for a weak one, this share of the band's signal (|R| peak over snr / (1 + snr)): a
#: jammer repeats all it sends every period (a sweep's |R| at its period holds ~0.7..1 of its
#: signal), traffic only parts (a packet's preamble), and the snippet's own noise is below it.
PROBE_REPEAT_SHARE = 0.5
#: ... and a pulse train whose pulses lift at least this share of the probe's band (90 % of the
#: power the pulses add, on-frames less off-frames): a structured jammer filling the band keys all
#: of it; packets repeating in one channel lift only that channel (the tracks' business).
PROBE_PULSE_FILL = 0.5
#: ... and its power spans at least this share of the band read (`Evidence.occupied_share`:
#: ~0.7..0.9 for a sweep or noise band, ~0.02 for one packet's band).
PROBE_OCCUPIED_MIN = 0.25
#: Least width (share of the band) of the central bins beside the probe's band, on one side,
#: read as the floor for its own rise test.
PROBE_BESIDE_MIN = 0.04
#: ... and the least rise of its band over that floor (dB) that keeps it on: above a receiver's
#: ripple, below what a jammer at J/N -5 dB on 90 % of the band adds to its band (1.3 dB).
PROBE_BAND_RISE_DB = 1.0
#: A noise band the probe found on from the start takes a row's segments only where together
#: they cover this share of its band (a row CFAR misses parts of a weak band, but not half of it).
PLATEAU_ROW_SHARE = 0.5
#: COMB_MIN or more segments of a row, evenly spaced (gaps' spread <= COMB_GAP_CV of their mean),
#: are the line comb of one emission and are joined.
COMB_MIN = 4
COMB_GAP_CV = 0.3
#: More segments than this in one row are merged across wider gaps (bounded work per row).
MAX_SEGMENTS = 12
#: An emission seen in a single row is kept only with at least this in-band SNR (dB).
SINGLE_ROW_SNR_DB = 6.0
#: Sigmas of the row noise level's estimation noise for a floor rise.
RISE_SIGMAS = 6.0
#: Rows over which the noise level is smoothed (median) for the floor-rise test.
RISE_ROWS = 5
#: Rows of history before the input's own quiet reference is trusted (no baseline).
REF_MIN_ROWS = 10
#: The quiet reference: this percentile of the smoothed levels so far ...
REF_PERCENTILE = 10.0
#: ... recomputed every REF_EVERY rows over at most REF_MAX_ROWS of them (evenly thinned).
REF_EVERY = 50
REF_MAX_ROWS = 5000
#: Runs of on-rows at either end of an emission shorter than ISLAND_ROWS (or a tenth of its
#: longest run) and apart from the rest by more than ISLAND_GAP_ROWS are not the emission.
ISLAND_ROWS = 3
ISLAND_GAP_ROWS = 2
#: ... unless every run is that short and they light at least this rate's share of the rows (Hz x
#: row_s): a pulse train keyed at SLOW_TRAIN_HZ or faster lights a row every period, so its runs are
#: its pulses (sparse packets and noise cells held in the band light far fewer).
SLOW_TRAIN_HZ = 10.0
#: The receiver's DC offset / LO leakage is removed from the samples before the spectra. It sits
#: at exactly 0 Hz (made inside the receiver, with no frequency error) and holds steady, so it is
#: taken as the median of the means of the last DC_KEEP quiet DC_CHUNK_S stretches: those whose
#: power (less their mean's) lies within DC_QUIET of the quietest stretch seen. An emission that
#: puts power on 0 Hz while it is on (a sweep's comb line) is left alone, and leaves nothing
#: behind; an outside carrier near the tuned frequency is off by the oscillators' ppm error, so
#: its stretch means turn with it and their median stays near 0.
DC_CHUNK_S = 0.05
DC_KEEP = 20
DC_QUIET = 1.25
#: Samples at the start of each stretch that its mean and power are taken over (the mean of 8192
#: noise samples is off by ~1 % of the noise amplitude, 20 dB under a fine bin's noise once the
#: median of DC_KEEP of them is taken).
DC_POINTS = 8192
#: The offset is left in where its line is this far below a fine bin's noise (nothing to remove).
DC_NEGLIGIBLE = 0.1
#: The offset wanders (temperature, gain, AGC): it is followed from stretch to stretch, each quiet
#: stretch's own mean (all its samples) taken at its middle and joined by straight lines; the
#: stretch begun at the end of a block gives a point where it holds this share of a stretch.
DC_TAIL = 0.25
#: ... and through a stretch with an emission on where its mean moves from the last point by at
#: most this share of the offset (its own drift from stretch to stretch; a carrier within a few Hz
#: of 0 Hz moves the mean more and is left alone)
DC_WANDER = 0.5
#: The keyed look (a pulse train below the per-row CFAR, found by folding the raw envelope of
#: what the tracks leave of the band) runs this often (s) over the last analysis_s of samples ...
KEYED_EVERY_S = 0.2
#: ... and reports only trains it saw repeat this many times in its window (a jammer keys fast;
#: a beacon every 100 ms or a sensor repeating its packet a few times does not fold to a train).
KEYED_MIN_PULSES = 8
#: Windows looked back (analysis_s each) for the onset of a train found on from its window's start.
KEYED_LOOKBACK = 3
#: ... and only trains of at least this many pulses per row: slower ones the rows resolve
#: themselves (their row train, timed on the raw samples, tells a jammer's clock from packets
#: that happen to repeat, which a 0.4 s fold cannot).
KEYED_ROW_PULSES = 2.0
#: Points of the whole-band envelope folded first, as a cheap test for any train at all.
KEYED_PRETEST_POINTS = 1 << 14
#: Ordinary traffic closed already is left out of a floor rise's snippet where it was on during
#: it and narrower than this share of the band; a track beside it, by its own band where that is
#: (`_track_notch`).
GONE_NOTCH_MAX = 0.25

#: A wide emission on from the first sample that stops (`_lead_row`): the rows' level falls by a
#: step. Rows of spectra held back before they join the stretch on from the start (the fall's
#: row is found this late: the level is smoothed over RISE_ROWS rows) ...
FALL_DELAY_ROWS = 2 * RISE_ROWS
#: ... sub-bands of the central bins in which the step's spectrum is read (the power it took away
#: over the floor left, per sub-band) ...
FALL_SUB_BANDS = 16
#: ... which must vary across them by this much (dB, smoothed over 3 sub-bands) and beyond their
#: estimation noise (chi-square of a constant fit, false-alarm probability FALL_PFA): an emission
#: stopping takes away its own spectrum (a slope, a ripple, its edges) from a floor that stays
#: put, while a change of the receiver's gain scales the floor as it is (the same ratio in every
#: sub-band, but for its fixed converter noise, a few tenths of a dB where the floor is low).
FALL_SHAPE_DB = 1.0
FALL_PFA = 1e-6
#: ... or, where its smoothed spread is less (a ripple of a few cycles across the band, as a
#: jammer's own shaping filter leaves), whose departure from a gain step's shape (the floor
#: scaled, less the converter's fixed white noise: `_gain_step_fit`) spans this much across the
#: sub-bands and beyond their estimation noise (chi-square at FALL_PFA): the receiver's gain
#: moves its floor's shape by a few hundredths of a dB; a 1 dB ripple is an emission's, dB.
FALL_RESIDUAL_DB = 0.5
#: The part of the band a fall took away: its sub-bands whose excess reaches this share of the
#: largest (a whole-band jammer's slope spans a few dB, a partial band's outside is ~nothing).
FALL_RAISED = 0.1


#: A track's start is timed finely (onsets.py) where its last two intervals between onsets agree
#: within this many rows or this share of the interval (a beacon's random delays: a few %).
TRAIN_ROWS = 2
TRAIN_SHARE = 0.1
#: A track with STEADY_FLOOR_ROWS on-rows or more at a mean excess (over its last ones) of at
#: most STEADY_FLOOR_SNR of the noise in its band (a receiver's passband hump, a weak steady band)
#: does not take a segment whose excess stands JUMP_RATIO times higher per bin than its own:
#: a steady emission holds its power density from row to row (a row's mean over many bins
#: scatters by well under 2x), so a band that comes on ten times denser over it is another
#: emitter switched on (a jammer over the hump), not the hump grown. Judged only where both the
#: band's rows and the segment span the CFAR's widest group (GROUPS[-1] bins): a few bins' mean
#: scatters too much from row to row (a weak hopper's or comb's lines) to tell a jump.
STEADY_FLOOR_ROWS = 20
STEADY_FLOOR_SNR = 1.0
JUMP_RATIO = 10.0
#: Starts timed per track at most: their intervals decide its clock (a beacon's random delays put
#: most of them off by over 1 %, a keyer's none), and the cost stays bounded on a long train.
MAX_TIMED_ONSETS = 32


class _Track:
    __slots__ = (
        "chunk_rows",
        "chunks",
        "cur",
        "cur_n",
        "db",
        "excess",
        "first",
        "hi",
        "id",
        "last",
        "line",
        "lo",
        "n_on",
        "onset_rows",
        "onsets",
        "peak",
        "prev_on",
        "ref",
        "row_hi",
        "row_lo",
        "rows",
        "seg_hi",
        "seg_lo",
        "spec",
        "wide",
    )

    def __init__(self, tid, r, lo, hi, nfft, wide=False):
        self.id = tid
        self.first = r
        self.last = r
        self.lo = lo
        self.hi = hi
        self.n_on = 0
        self.spec = np.zeros(nfft)
        self.ref = np.zeros(nfft)
        self.rows = []
        self.excess = []
        self.peak = []
        self.row_lo = []  # lowest and highest bin of its segments, per on-row
        self.row_hi = []
        self.wide = wide
        self.prev_on = -10
        self.db = -math.inf
        self.seg_lo = []  # segment edges of the recent on-rows (bins), for association
        self.seg_hi = []
        self.chunks = []  # mean spectra of CHUNK_ROWS on-rows each (merged pairwise when many)
        self.chunk_rows = CHUNK_ROWS
        self.cur = np.zeros(nfft)
        self.cur_n = 0
        self.onsets = []  # pulse starts (s) timed finely on the raw samples as they came (onsets.py)
        self.onset_rows = []  # rows of its last few onsets
        self.line = (-1, None)  # (n_on when judged, `_steady_line`'s answer then)

    def recent_band(self) -> tuple[int, int]:
        """(lo, hi) bins of the segments of its last RECENT_ROWS on-rows."""
        if not self.seg_lo:
            return self.lo, self.hi
        return min(self.seg_lo[-RECENT_ROWS:]), max(self.seg_hi[-RECENT_ROWS:])

    def add_row(self, r: int, excess: float, peak: int, lo: int, hi: int, P: np.ndarray, ref: np.ndarray) -> None:
        """Take on-row r: its excess power (linear), peak bin, lowest and highest bin, spectrum
        and noise reference."""
        self.rows.append(r)
        self.excess.append(excess)
        self.peak.append(peak)
        self.row_lo.append(lo)
        self.row_hi.append(hi)
        self.n_on += 1
        self.add_spectrum(P)
        self.ref += ref

    def add_spectrum(self, P: np.ndarray) -> None:
        self.spec += P
        self.cur += P
        self.cur_n += 1
        if self.cur_n >= self.chunk_rows:
            self.chunks.append(self.cur / self.cur_n)
            self.cur = np.zeros_like(self.cur)
            self.cur_n = 0
            if len(self.chunks) > MAX_CHUNKS:
                self.chunks = [0.5 * (a + b) for a, b in zip(self.chunks[0::2], self.chunks[1::2])]
                self.chunk_rows *= 2

    def robust_spectrum(self) -> np.ndarray:
        """Per-bin median of the chunk means: a strong short packet in the band does not count."""
        parts = list(self.chunks)
        if self.cur_n and (not parts or self.cur_n >= 0.5 * self.chunk_rows):
            parts.append(self.cur / self.cur_n)
        if len(parts) >= 3:
            return np.median(np.asarray(parts), axis=0)
        return self.spec / max(self.n_on, 1)


class _Group:
    __slots__ = (
        "alerted",
        "confirmed",
        "event",
        "hand_overs",
        "id",
        "keyed",
        "last_class",
        "match",
        "members",
        "probe",
        "score",
        "wide",
    )

    def __init__(self, gid, wide=False, probe=False):
        self.id = gid
        self.members = [gid]
        self.hand_overs = 0
        self.confirmed = False
        self.match = None
        self.score = -1.0
        self.event = None
        self.last_class = -1
        self.alerted = False
        self.wide = wide
        self.probe = probe
        self.keyed = False


def _pulse_width_share(ev: Evidence, fe: FrontEnd) -> float:
    """Share of the sampled band that holds 90 % of the power the pulses of the snippet's train
    add (the mean spectrum of the frames inside the pulses less that of the frames outside,
    smoothed over 16 bins); 1.0 where it cannot tell (no train folded, too few frames of either)."""
    sn = ev.snip
    train = sn.train if sn is not None else None
    x = ev.snippet
    if train is None or train.on_phases is None or not train.period_points > 0 or x is None \
            or getattr(ev, "_fold_L", 0) <= 0:
        return 1.0
    nfft = fe.nfft
    k = x.shape[0] // nfft
    share = ev.pulse_on(train, k * nfft).reshape(k, nfft).mean(axis=1)
    on, off = share >= 0.9, share <= 0.1
    if on.sum() < 4 or off.sum() < 4:
        return 1.0
    frames = x[: k * nfft].reshape(k, nfft)
    d = np.maximum(fe.mean_spectrum(frames[on].ravel()) - fe.mean_spectrum(frames[off].ravel()), 0.0)
    d = np.convolve(d, np.ones(16) / 16, mode="same")
    total = float(d.sum())
    if not total > 0:
        return 1.0
    c = np.cumsum(np.sort(d)[::-1])
    return float(np.searchsorted(c, 0.9 * total) + 1) / nfft


def _train_so_far(rows: list) -> bool:
    """Do a track's last three onsets (rows) come at about one interval (within TRAIN_ROWS rows or
    TRAIN_SHARE of it)? Only then is its start timed finely: a train's clock is in question,
    not a lone packet's."""
    if len(rows) < 3:
        return False
    a, b = rows[-2] - rows[-3], rows[-1] - rows[-2]
    return abs(a - b) <= max(TRAIN_ROWS, TRAIN_SHARE * b)


def _band_onsets(mem, lo: int, hi: int) -> np.ndarray:
    """The finely timed pulse starts (s) of the member track in the emission's band (fine bins
    lo..hi) that has most of them (another emission grouped with it has its own clock)."""
    inside = [t for t in mem if not t.wide and t.lo <= hi and t.hi >= lo]
    return np.asarray(max((t.onsets for t in inside), key=len) if inside else [], dtype=np.float64)


class _Lead:
    """What the detector keeps of the stretch on from the first sample while no quiet reference
    lies under it (`OnlineDetector._lead_row`): its spectra as chunk means (a _Track's bounded
    accumulator), the last FALL_DELAY_ROWS rows held back, and once the level has fallen, the
    spectra after the fall."""

    __slots__ = ("acc", "fall", "g", "gs", "level", "pending", "quiet", "ref")

    def __init__(self, nfft: int):
        self.acc = _Track(-1, 0, 0, nfft - 1, nfft, wide=True)
        self.pending: list[np.ndarray] = []  # (rows r - len + 1 .. r)
        self.fall = -1  # the first row after the fall (-1: none yet)
        self.level = math.nan  # the rows' level before it
        self.quiet: _Track | None = None
        self.g: list[float] = []  # the plain level of each row (a low quantile of its central bins)
        self.gs: list[float] = []  # ... smoothed (median of RISE_ROWS)
        self.ref = math.inf  # their low percentile (as the quiet reference's)


class _Ring:
    """The last `capacity` values of a stream, addressed by absolute index."""

    def __init__(self, capacity: int, dtype=np.complex64):
        self.buf = np.zeros(capacity, dtype=dtype)
        self.cap = capacity
        self.end = 0  # absolute index one past the newest value
        self.first = 0  # the oldest index ever held (a ring grown by `reserve` holds no older)

    def push(self, x: np.ndarray) -> None:
        n = x.shape[0]
        if n >= self.cap:
            self.buf[:] = x[-self.cap:]
            self.end += n
            self.buf = np.roll(self.buf, self.end % self.cap)
            return
        i = self.end % self.cap
        k = min(n, self.cap - i)
        self.buf[i:i + k] = x[:k]
        if k < n:
            self.buf[: n - k] = x[k:]
        self.end += n

    def reserve(self, capacity: int) -> None:
        """Hold at least `capacity` values from now on (keeping those held)."""
        if capacity > self.cap:
            kept = self.get(self.end - self.cap, self.end)
            end = self.end
            self.buf = np.zeros(capacity, dtype=self.buf.dtype)
            self.cap, self.end = capacity, end - (0 if kept is None else kept.shape[0])
            self.first = self.end
            if kept is not None:
                self.push(kept)

    def get(self, start: int, stop: int) -> np.ndarray | None:
        start = max(start, self.end - self.cap, self.first)
        stop = min(stop, self.end)
        if stop - start <= 0:
            return None
        i, j = start % self.cap, stop % self.cap
        if i < j or stop - start == 0:
            return self.buf[i:j].copy() if i < j else self.buf[i:i].copy()
        return np.concatenate([self.buf[i:], self.buf[:j]])


class OnlineDetector:
    """Streaming detection and classification of interfering emissions.

    Parameters
    ----------
    sample_rate : float
        Samples per second (Hz).
    center_freq : float or None
        Centre frequency (Hz); event frequencies are absolute where given, offsets otherwise.
    baseline : Baseline, optional
        A site's normal spectrum (`rfkit.detection.baseline`): its floor is the quiet reference
        and the emissions normally present are not reported.
    options : DetectorOptions, optional
        Thresholds and resolutions; keyword overrides go through `resolve_options`.
    dc_guard_hz : float, optional
        Half-width around 0 Hz ignored as the receiver's DC offset (None: `options.dc_guard_hz`,
        where 0 means two fine bins for 8-bit receivers and nothing otherwise).
    clip_level : float or None
        |I| or |Q| at or above this counts as clipped (None: don't count).
    fetch : callable(start, count) -> complex64, optional
        Reads past samples (offline), for classifying what the ring buffer no longer holds.
    alerts : bool
        False (offline, `rfkit.detect`): nobody reads the "start" alerts, so an emission is
        classified only once, when it ends (the final look decides the event anyway); the
        confirmation-time and periodic looks that serve live alerts are skipped.
    """

    def __init__(self, sample_rate: float, center_freq: float | None = None, *, baseline=None,
                 options: DetectorOptions | None = None, dc_guard_hz: float | None = None,
                 clip_level: float | None = CLIP_LEVEL, eight_bit: bool = False, fetch=None,
                 alerts: bool = True, **overrides):
        if not (isinstance(sample_rate, (int, float, np.integer, np.floating)) and math.isfinite(sample_rate)
                and sample_rate > 0):
            raise ParameterError(f"{sample_rate=} must be a positive number of Hz")
        self.opts = opts = resolve_options(options, **overrides)
        self.rate_hz = float(sample_rate)
        self.center_hz = None if center_freq is None else float(center_freq)
        self.baseline = baseline
        if baseline is not None:
            baseline.check(self.rate_hz, self.center_hz, opts)
        self.fetch = fetch
        self.alerts = bool(alerts)
        self.clip_level = clip_level
        self.fe = self._frontend(opts.row_s)
        fe = self.fe
        guard = opts.dc_guard_hz if dc_guard_hz is None else dc_guard_hz
        if guard == 0 and eight_bit and dc_guard_hz is None:
            guard = 1.5 * fe.bin_hz
        self.dc_guard_hz = guard
        self.eight_bit = eight_bit
        ring_s = opts.analysis_s + opts.hold_s + opts.confirm_s + 4 * fe.row_s
        # offline (a fetch and no alerts) every past sample is read back from the input: no ring
        # (what a ring would hold is read back instead, so the events are the same)
        self._ring_on = fetch is None or self.alerts
        self._ring_cap = int(min(RING_MAX_SAMPLES, max(4 * fe.row_len, ring_s * self.rate_hz)))
        self.ring = _Ring(self._ring_cap if self._ring_on else 1)
        # the keyed look's pretest envelope: mean power over cells of _cell_len samples, taken
        # once as the samples arrive (the look's windows overlap)
        n_an = min(int(opts.analysis_s * self.rate_hz), MAX_SNIPPET)
        self._cell_len = max(1, math.ceil(n_an / KEYED_PRETEST_POINTS))
        self._cells = _Ring(1, dtype=np.float64)
        self._cell_carry = (0.0, 0)
        self.n_in = 0
        self.r = 0  # rows processed
        self.first_buf = np.zeros((max(1, round(FIRST_S / fe.row_s)), fe.nfft))  # the first FIRST_S of rows
        self.first_rows = 0  # (how many of them so far)
        self.last_buf = np.zeros((max(1, round(FIRST_S / fe.row_s)), fe.nfft))  # the latest rows (a ring)
        self.last_n = 0  # (rows written to it)
        self.tracks: dict[int, _Track] = {}
        self.groups: dict[int, _Group] = {}
        self.parent: dict[int, int] = {}
        self.next_id = 0
        self.events: list[Event] = []
        self.wide_track: _Track | None = None
        self.g_hist: list[float] = []
        self.gs_hist: list[float] = []
        self.gt_hist: list[float] = []  # the last rows' levels outside lifted sub-bands (rise test)
        self.g_ref = fe.g_ref
        self.clipped = 0
        self.max_abs = 0.0
        self.nonzero = False
        self.recent_onsets: list[tuple[int, int]] = []  # (row, track id)
        self._pending_hops: list[tuple] = []  # (row, track left, track begun, their dB)
        self._inner_pieces: set[int] = set()  # pending hops' tracks absorbed by older ones
        self.last_probe = -1
        self.probe_floor = math.inf  # per-bin noise level under the band jammer the probe found
        self.probe_band = (0, -1)  # its band (fine bins), and the last rows' level there over
        self.pb_hist: list[float] = []  # the floor beside it (the band's own rise test)
        self.plateau_track: _Track | None = None  # a noise band the probe found on from the start
        self.plateau_floor = math.inf  # the floor beside it (per bin)
        self.plateau_band = (0, 0)  # its band (fine bins) when found
        self.last_keyed = -1
        self.keyed_track: _Track | None = None  # the train the keyed look follows, its period
        self.keyed_period = 0.0  # (samples) and band (lo_hz, hi_hz)
        self.keyed_band = (0.0, 0.0)
        self.keyed_events: list[Event] = []
        self.keyed_levels: list[float] = []  # on-phase less off-phase power of its on chunks
        # a train the probe found on from the start, closed as no jamming: (its event, PRF,
        # first and last row, fine bins lo, hi) - the keyed look may find it again (`_probe_lost`)
        self._lost: tuple | None = None
        self.finished = False
        self._dc_len = max(1, round(DC_CHUNK_S * self.rate_hz))
        self._dc_means: list[complex] = []  # means of the last quiet stretches (DC_KEEP)
        self._dc_quietest = math.inf  # lowest power (less the mean's) of a whole stretch
        self._dc = 0j
        self._dc_point: tuple[float, complex] | None = None  # the track's last point (sample, offset)
        self._dc_whole: list[complex] = []  # means (all samples) of the last quiet stretches (DC_KEEP)
        self._pieces: dict[int, tuple[Event, list[Event]]] = {}  # events switched off and on again
        # the stretch on from the first sample, followed for a fall (a wide emission stopping)
        self._lead = _Lead(fe.nfft) if baseline is None else None
        self._g_plain = np.zeros(0)  # the plain levels of the rows being processed
        self._remask = False  # (a noise band from the start just found: the rest of the block re-masked)

    # ------------------------------------------------------------------------------------
    def _frontend(self, row_s: float) -> FrontEnd:
        o = self.opts
        return FrontEnd(self.rate_hz, fine_bin_hz=o.fine_bin_hz, row_s=row_s, pfa=o.pfa,
                        min_excess_db=o.min_excess_db, baseline=self.baseline)

    @property
    def noise_power(self) -> float:
        """Whole-band noise power (linear, full scale 1): the quiet per-bin level over the band."""
        g = self.g_ref
        return g * self.fe.nfft / self.fe.enbw if math.isfinite(g) else math.nan

    @property
    def noise_dbfs(self) -> float:
        p = self.noise_power
        return 10 * math.log10(p) if p > 0 else -math.inf if p == 0 else math.nan

    def push(self, samples: np.ndarray, *, scratch: bool = False) -> list[tuple[str, Event]]:
        """Process a block of complex samples; return the ("start"|"end", Event) alerts it caused.

        `scratch`: the block is the caller's to discard: the receiver's DC offset is taken out of
        it in place (a copy of each block saved)."""
        if self.finished:
            raise ParameterError("push() after finish(): make a new OnlineDetector")
        x = np.asarray(samples)
        if x.ndim != 1:
            raise ParameterError(f"samples.shape={x.shape} must be one-dimensional")
        if x.dtype != np.complex64:
            if not np.issubdtype(x.dtype, np.complexfloating):
                raise ParameterError(f"samples.dtype={x.dtype} must be complex (complex64 preferred)")
            x = x.astype(np.complex64)
        if x.shape[0] == 0:
            return []
        self._stats(x)
        cells, self._cell_carry = cell_powers(x, self._cell_len, self._cell_carry)
        # (the rows of a block follow it: the look's window reaches back a block and more)
        self._cells.reserve(cells.shape[0] + KEYED_PRETEST_POINTS + self.fe.row_len // self._cell_len + 2)
        self._cells.push(cells)
        if self._ring_on:
            self.ring.push(x)
        rows = self.fe.push(self._remove_dc(x, self.n_in, in_place=scratch))
        self.n_in += x.shape[0]
        return self._rows(rows)

    def _remove_dc(self, x: np.ndarray, start: int, *, in_place: bool = False) -> np.ndarray:
        """`x` (input samples from `start` on) less the receiver's DC offset, estimated from the
        quiet DC_CHUNK_S stretches of the input (aligned to its start; DC_POINTS samples of each)
        up to the end of `x` (subtracted from `x` itself if `in_place`), and followed through
        each quiet stretch (`_dc_track`); `x` itself where that offset is negligible against a
        fine bin's noise."""
        n, L = x.shape[0], self._dc_len
        first = (-start) % L
        whole = (n - first) // L
        q = np.zeros(0, dtype=bool)
        if whole > 0:
            m = min(L, DC_POINTS)
            y = x[first:first + whole * L].reshape(whole, L)[:, :m]
            means = y.mean(axis=1, dtype=np.complex128)
            var = np.einsum("ij,ij->i", y.real, y.real, dtype=np.float64) / m
            var += np.einsum("ij,ij->i", y.imag, y.imag, dtype=np.float64) / m
            var -= np.abs(means) ** 2
            self._dc_quietest = min(self._dc_quietest, float(var.min()))
            q = var <= DC_QUIET * self._dc_quietest
            quiet = means[q]
            if quiet.shape[0]:
                self._dc_means.extend(quiet.tolist())
                del self._dc_means[:-DC_KEEP]
                self._dc = _complex_median(self._dc_means)
        elif not self._dc_means and n:
            self._dc = complex(x.mean(dtype=np.complex128))  # a first block shorter than a stretch
        at, values = self._dc_track(x, start, first, q)
        g = self.g_ref
        # (a line of power |dc|^2 against g, the noise a fine bin holds, in the same units)
        if math.isfinite(g) and np.max(np.abs(values)) ** 2 < DC_NEGLIGIBLE * g:
            return x
        return subtract_track(x, at, values, out=x if in_place else None)

    def _dc_track(self, x: np.ndarray, start: int, first: int, quiet: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions relative to x[0], offsets) of the receiver's DC offset through `x`.

        Where the offset holds steady, the one value `self._dc` (the median of the quiet stretches).
        Where it wanders - the means of the last quiet stretches (all their samples: their own
        noise is ~1 % of a fine bin's) stray from their median by DC_NEGLIGIBLE of a fine bin's
        noise or more, a line the median would leave - it is followed: the mean of each whole
        quiet stretch at its middle, and of the quiet stretch begun at the end of `x` where it
        holds DC_TAIL of one, after the last point of the blocks before. A stretch that is not
        quiet (an emission on, which may put power near 0 Hz) gives a point only where its mean
        stays within DC_WANDER of the offset; otherwise the offset is carried over it."""
        L, n = self._dc_len, x.shape[0]
        k = quiet.shape[0]
        # (sums in float32, pairwise: ~1e-6 of the offset, far below a stretch mean's own noise)
        means = (x[first:first + k * L].reshape(k, L).sum(axis=1) / L).astype(np.complex128) if k else np.zeros(0, complex)
        if quiet.any():
            self._dc_whole.extend(means[quiet].tolist())
            del self._dc_whole[:-DC_KEEP]
        a = first + k * L
        g = self.g_ref
        if not math.isfinite(g):  # (the first rows: a fine bin's share of the quietest stretch)
            g = self._dc_quietest * self.fe.enbw / self.fe.nfft
        moving = math.isfinite(g) and self._dc_scatter([]) >= DC_NEGLIGIBLE * g
        tail = None
        if 0 <= a and n - a >= DC_TAIL * L and (moving or len(self._dc_whole) < 2):
            y = x[a:a + min(n - a, DC_POINTS)]
            mean = complex(y.mean(dtype=np.complex128))
            calm = float(np.mean(y.real ** 2 + y.imag ** 2)) - abs(mean) ** 2 <= DC_QUIET * self._dc_quietest
            tail = (0.5 * (a + n), complex(x[a:].sum()) / (n - a), calm)
            if not moving and calm:
                # (the first block may hold one whole stretch: the one begun at its end is the second)
                moving = math.isfinite(g) and self._dc_scatter([tail[1]]) >= DC_NEGLIGIBLE * g
        if not moving:
            self._dc_point = (float(start + n), self._dc)
            return np.zeros(1), np.array([self._dc])
        pos: list[float] = []
        val: list[complex] = []
        if self._dc_point is not None:
            pos.append(self._dc_point[0] - start)
            val.append(self._dc_point[1])
        points = [(first + (i + 0.5) * L, complex(means[i]), bool(quiet[i])) for i in range(k)]
        for p, v, calm in points + ([tail] if tail is not None else []):
            # (an emission's stretch: its mean is the offset's unless the emission has power within
            # a few Hz of 0 Hz; the offset drifts by a share of itself, a carrier there moves it more)
            if (calm or val and abs(v - val[-1]) <= DC_WANDER * abs(val[-1])) and (not pos or p > pos[-1]):
                pos.append(p)
                val.append(v)
        if not pos:
            return np.zeros(1), np.array([self._dc])
        self._dc_point = (start + pos[-1], val[-1])
        return np.asarray(pos), np.asarray(val)

    def _dc_scatter(self, extra: list[complex]) -> float:
        """Mean power of the last quiet stretches' means (and `extra`) about their median (the
        receiver's DC offset wandering; their own noise is the input's power over a stretch's
        samples); 0 with fewer than two."""
        vals = self._dc_whole + extra
        if len(vals) < 2:
            return 0.0
        med = _complex_median(vals)
        return float(np.mean(np.abs(np.asarray(vals) - med) ** 2))

    def _raw(self, start: int, stop: int) -> np.ndarray | None:
        """Samples start..stop (absolute) the ring holds, as received (their clipping is evidence):
        from the ring, or offline the same stretch (clipped to the ring's reach exactly as the ring
        clips it) read back from the input."""
        if self._ring_on:
            return self.ring.get(start, stop)
        start = max(start, self.n_in - self._ring_cap, 0)
        stop = min(stop, self.n_in)
        return self.fetch(start, stop - start) if stop > start else None

    def _window(self, start: int, stop: int, held: np.ndarray | None) -> np.ndarray | None:
        """Offline, an analysis window start..stop whole: `held` (what `_raw` gave) where that
        holds half of it or more, else read back from the input."""
        if held is None or held.shape[0] < 0.5 * (stop - start):
            return self.fetch(start, stop - start)
        return held

    def _raw_from(self, start: int, stop: int) -> tuple[int, np.ndarray | None]:
        """(first index, samples) of start..stop that `_raw` gives (clipped to the ring's reach)."""
        first = max(start, self.n_in - self._ring_cap, 0)
        return first, self._raw(first, stop)

    def _stats(self, x: np.ndarray) -> None:
        m, c = abs_stats(x, self.clip_level)
        self.max_abs = max(self.max_abs, m)
        if m > 0:
            self.nonzero = True
        self.clipped += c

    # -- rows ---------------------------------------------------------------------------------
    def _rows(self, rows: np.ndarray) -> list[tuple[str, Event]]:
        alerts: list[tuple[str, Event]] = []
        if rows.shape[0] == 0:
            return alerts
        fe = self.fe
        self._first_rows(rows)
        self._last_rows(rows)
        g = fe.levels(rows)
        self._g_plain = g
        fe.update_shape(rows, g)
        return self._rows_tail(rows, *self._row_masks(rows, g))

    def _row_masks(self, rows: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(noise reference, CFAR mask, free level) of the rows (plain levels g) against the floor
        shape and quiet reference as they stand."""
        fe = self.fe
        bl = self.baseline
        if bl is not None and self.opts.reference != "input":
            ref = np.maximum(bl.typical[None, :], fe.shape[None, :] * g[:, None])
        else:
            ref = fe.shape[None, :] * g[:, None]
        dc = self._dc_bins()
        mask = fe.masks(rows, g, ref)
        if dc is not None:
            mask[:, dc] = False
        g_free = fe.levels_free(rows, mask, g)
        # once more against the free level where it stands above the quiet reference: a broad
        # emission lifts a row's quantile, hiding its own weaker parts from the first mask
        if math.isfinite(self.g_ref) and np.all(g_free <= SECOND_PASS_RISE * self.g_ref) and \
                np.all(g <= SECOND_PASS_RISE * self.g_ref):
            return ref, mask, g_free
        low = np.minimum(g, g_free)
        if math.isfinite(self.g_ref) and self.opts.reference != "none":
            low = np.minimum(low, self.g_ref)  # the quiet reference, where there is one
        if self.baseline is None or self.opts.reference == "input":
            ref = fe.shape[None, :] * low[:, None]
        else:
            ref = np.maximum(self.baseline.typical[None, :], fe.shape[None, :] * low[:, None])
        mask = fe.masks(rows, g, ref)
        if dc is not None:
            mask[:, dc] = False
        g_free = fe.levels_free(rows, mask, g)
        return ref, mask, g_free

    def _dc_bins(self) -> np.ndarray | None:
        """bool per fine bin inside the DC guard (the receiver's own offset and LO leakage there),
        or None where there is no guard."""
        return np.abs(self.fe.offsets_hz) <= self.dc_guard_hz if self.dc_guard_hz > 0 else None

    def _dc_as_ref(self, spec: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """`spec` with the bins inside the DC guard (`_dc_bins`) set to the reference `ref`: the
        receiver's offset is no emission's."""
        dc = self._dc_bins()
        return spec if dc is None else np.where(dc, ref, spec)

    def _first_rows(self, rows: np.ndarray) -> None:
        """Keep the rows of the input's first FIRST_S (the spectrum a band present from the start
        already held: `passband.receiver_passband`)."""
        want = self.first_buf.shape[0] - self.first_rows
        if want <= 0 or rows.shape[0] == 0:
            return
        part = rows[:want].astype(np.float64)
        self.first_buf[self.first_rows:self.first_rows + part.shape[0]] = part
        self.first_rows += part.shape[0]

    def _last_rows(self, rows: np.ndarray) -> None:
        """Keep the input's latest FIRST_S of rows (`_passband`: has a band's power moved since
        the start?)."""
        buf = self.last_buf
        k = buf.shape[0]
        for row in rows[-k:]:
            buf[self.last_n % k] = row
            self.last_n += 1

    def _passband(self, ev: Evidence, m, mem=None) -> bool:
        """Is a broad jamming band the receiver's own passband (`passband.receiver_passband`):
        smooth across frequency, weak, and as high in the input's first rows as over its life and
        in its latest rows (a receiver's passband never changes; a band whose power has moved
        since the start was, or stood on, an emission that switched on or off)? Its life's
        spectrum is its tracks' chunks (`mem`, where given) less those a packet fell on."""
        if ev.wide or m.kind not in PASSBAND_KINDS or ev.spec_on is None:
            return False
        if not _gaussian_band(ev):
            return False  # an envelope steadier than noise's (a sweep along the band): an emission
        lo, hi = int(ev.lo_bin), int(ev.hi_bin)
        if not mem:
            return self._passband_band(ev.spec_on, lo, hi)
        # (the other emissions told apart on the band - a carrier on the hump - are no part of it)
        skip = self._others_mask(mem, min(t.first for t in mem), max(t.last for t in mem), inside=True)
        return self._passband_band(self._quiet_spectrum(mem, lo, hi, ev), lo, hi, skip=skip)

    def _passband_band(self, spec: np.ndarray, lo: int, hi: int, *, edges_seen: bool = False,
                       skip: np.ndarray | None = None) -> bool:
        """Is the band lo..hi (bins) of the long-term spectrum `spec` the receiver's own passband
        (`passband.receiver_passband`, `edges_seen` and `skip` passed on), and as high in the
        input's latest rows as in its first?"""
        if self.first_rows == 0:
            return False
        fe = self.fe
        dc_bins = math.ceil(self.dc_guard_hz / fe.bin_hz)
        skip = lines_on(skip, lo, hi)
        # (the first and latest rows' spectra less the rows a packet fell on in the band)
        first = quiet_rows_mean(self.first_buf[: self.first_rows], lo, hi, central=fe._central, dof=fe.dof)
        if not receiver_passband(spec, first, lo, hi, central=fe._central, dc_bins=dc_bins, edges_seen=edges_seen,
                                 skip=skip):
            return False
        latest = quiet_rows_mean(self.last_buf[: min(self.last_n, self.last_buf.shape[0])], lo, hi,
                                 central=fe._central, dof=fe.dof)
        return same_power(latest, first, lo, hi, central=fe._central, skip=skip)

    def _quiet_spectrum(self, mem, lo: int, hi: int, ev: Evidence) -> np.ndarray:
        """The spectrum of a group's tracks as `_group_spectrum` takes it (per bin, the median
        of each track's chunk means, weighted by on-rows), each track's chunks that hold a packet
        in the band lo..hi left out (`passband.packet_rows`; where 3 or more are left); the
        evidence's own spectrum (`ev.spec_on`) where what is left holds under half its excess
        over the reference in the band: the chunks left out held the band's own emission (a
        jammer on for part of the event), not packets on a hump."""
        fe = self.fe
        n_on = sum(t.n_on for t in mem)
        spec = 0.0
        for t in mem:
            ch = _chunk_means(t)
            keep = ~packet_rows(ch, lo, hi, central=fe._central, dof=fe.dof * t.chunk_rows)
            quiet = np.median(ch[keep], axis=0) if np.count_nonzero(keep) >= 3 else t.robust_spectrum()
            spec = spec + quiet * t.n_on
        spec = self._dc_as_ref(spec / max(n_on, 1), sum(t.ref for t in mem) / max(n_on, 1))
        ia, ib = max(lo, fe._central.start), min(hi + 1, fe._central.stop)
        if ib <= ia:
            return ev.spec_on
        left = float(np.maximum(spec[ia:ib] - ev.ref[ia:ib], 0.0).sum())
        if not left >= 0.5 * float(np.maximum(ev.spec_on[ia:ib] - ev.ref[ia:ib], 0.0).sum()):
            return ev.spec_on
        return spec

    def _rows_tail(self, rows, ref, mask, g_free) -> list[tuple[str, Event]]:
        alerts: list[tuple[str, Event]] = []
        gap = max(1, round(self.opts.merge_gap_hz / self.fe.bin_hz))
        # a rise of the floor lifts every part of the band: its test also reads the level outside
        # the sub-bands a partial-band emission lifts (the CFAR misses a weak one in some rows)
        g_out = g_free
        if self.fe.lifted.shape[0] == rows.shape[0] and self.fe.lifted.any():
            g_out = self.fe.levels_free(rows, mask, g_free, exclude_lifted=True)
        for i in range(rows.shape[0]):
            self.gt_hist.append(float(g_out[i]))
            del self.gt_hist[:-RISE_ROWS]
            self._row(rows[i], ref[i], mask[i], g_free[i], gap)
            self._lead_row(rows[i], self._g_plain[i])
            alerts.extend(self._housekeeping())
            self.r += 1
            if self._remask and i + 1 < rows.shape[0]:
                # a noise band on from the start found in this row (`_probe_plateau`): the block's
                # later rows are judged against the floor beside it, not the band's level
                self._remask = False
                rest = rows[i + 1:]
                self._g_plain = self._g_plain[i + 1:]
                if self.fe.lifted.shape[0] == rows.shape[0]:
                    self.fe.lifted = self.fe.lifted[i + 1:]
                return alerts + self._rows_tail(rest, *self._row_masks(rest, self._g_plain))
        self._remask = False
        return alerts

    def _floor_rise(self, g: float) -> bool:
        """Is the row's noise level (smoothed over RISE_ROWS) above the quiet reference?

        The reference is a low percentile (REF_PERCENTILE) of the smoothed levels so far (a
        minimum of noisy values would sit several sigmas low and make rises out of nothing),
        or the baseline's level. The threshold is the larger of `floor_rise_db` and
        RISE_SIGMAS standard deviations of the smoothed level (a quantile of ~0.8*nfft bins of
        2*avg degrees of freedom each, halved for the Hann window's correlated neighbours).
        """
        self.g_hist.append(g)
        h = self.g_hist[-RISE_ROWS:]
        gs = float(statistics.median(h))  # (a median of a few values: plain Python, per row)
        self.gs_hist.append(gs)
        fe = self.fe
        if self.baseline is None or self.opts.reference == "input":
            n = len(self.gs_hist)
            if n <= REF_EVERY or n % REF_EVERY == 0 or not math.isfinite(self.g_ref):
                hist = np.asarray(self.gs_hist[:: max(1, n // REF_MAX_ROWS)])
                self.g_ref = float(np.percentile(hist, REF_PERCENTILE))
                if self._probe_group() is not None:
                    # a band jammer present from the start raised every level so far: the
                    # quiet reference is the floor the probe found under it
                    self.g_ref = min(self.g_ref, self.probe_floor)
                # (likewise the floor beside a noise band on from the start)
                self.g_ref = min(self.g_ref, self.plateau_floor)
        if self.opts.reference == "none" or not math.isfinite(self.g_ref) or self.g_ref <= 0:
            return False
        if self.baseline is None and len(self.g_hist) < REF_MIN_ROWS:
            return False  # no quiet reference yet: a few rows tell nothing
        n_eff = fe.avg * (fe.nfft * 0.8) * 0.5 * len(h)
        thr = max(10 ** (self.opts.floor_rise_db / 10), 1 + RISE_SIGMAS / math.sqrt(n_eff))
        if not gs > thr * self.g_ref:
            return False
        # ... and outside the sub-bands a partial-band emission lifts (the same smoothing)
        gt = float(statistics.median(self.gt_hist[-RISE_ROWS:] or [gs]))
        return gt > thr * self.g_ref

    @property
    def _confirm_rows(self) -> int:
        """Rows an emission is on for before it is confirmed (`confirm_s`; one at least)."""
        return max(1, math.ceil(self.opts.confirm_s / self.fe.row_s))

    def _row(self, P: np.ndarray, ref: np.ndarray, mask: np.ndarray, g: float, gap: int) -> None:
        fe = self.fe
        r = self.r
        nfft = fe.nfft
        rise = self._floor_rise(g)
        # (a band jammer the probe found on from the start, on part of the band: its own band)
        band_on = not rise and self._probe_band_raised(P)
        if self.plateau_track is not None and self.plateau_track.id not in self.tracks:
            # (absorbed by another track: no longer followed as the band found from the start)
            self.plateau_track = None
            fe.shape_hold = False
        if rise and self.plateau_track is not None:
            rise = False  # the rows' level is the noise band's, found standing on the floor beside it
        seg, val = row_segments(mask, gap, P, ref, comb_min=COMB_MIN, comb_cv=COMB_GAP_CV,
                                max_segments=MAX_SEGMENTS, image_ratio=IMAGE_RATIO)
        # emissions: wide enough; not the whole band risen (a floor rise, the wide track's
        # business); not the IQ image (mirrored about 0 Hz) of a much stronger segment
        keep = keep_segments(seg, val, nfft=nfft, min_bins=self.opts.min_bandwidth_bins,
                             whole_bins=WHOLE_BAND * nfft if rise else math.inf,
                             image_ratio=IMAGE_RATIO)
        info = [(int(a), int(b), float(e), int(pk)) for (a, b, pk), e, k in zip(seg.tolist(), val.tolist(), keep.tolist())
                if k]
        if any(b - a + 1 >= SPLIT_MIN_BLOCKS * SPLIT_BLOCK_BINS for a, b, _e, _pk in info):
            info = [part for item in info for part in _split_by_density(item, P, ref)]
        on_now = set()
        if info:
            tol = max(gap, 2)
            owner = np.full(nfft, -1, dtype=np.int64)
            for t in sorted((t for t in self.tracks.values() if not t.wide), key=lambda t: t.n_on):
                # associate with the band the track held lately (a packet that once fell beside
                # it does not widen its reach for ever)
                rlo, rhi = t.recent_band()
                if t is self.plateau_track:
                    # (the noise band found on from the start holds its band while the rows cover
                    # it: its rows' segments either side of the DC guard are both its own)
                    rlo, rhi = min(rlo, self.plateau_band[0]), max(rhi, self.plateau_band[1])
                owner[max(0, rlo - tol):rhi + tol + 1] = t.id
            pt = self.plateau_track
            if pt is not None and not self._plateau_in_row(info):
                owner[owner == pt.id] = -1  # what is left of its band is other emissions'
        confirm_rows = self._confirm_rows
        seen = {"row": r}  # what `_denser_over` reads once a row (the noise summed, each track's level)
        for lo, hi, e, pk in info:
            cands = [self.tracks[i] for i in owners_in(owner, lo, hi).tolist() if i in self.tracks]
            if cands:
                # (a steady carrier is at its own frequency in every row: a segment beside its
                # line, not holding it, is another emission that fell within its reach)
                cands = [c for c in cands if not _line_elsewhere(c, lo, hi)]
            if cands:
                cands = self._over_weak_bands(cands, lo, hi, e, ref, tol, seen)
            if cands:
                t = max(cands, key=lambda t: t.n_on)
                line = _steady_line(t) if len(cands) > 1 else None
                for o in cands:
                    if line is not None and self._find(o.id) != self._find(t.id):
                        # (a piece of another emission, born beside a steady carrier, on one
                        # segment with it in this row: the carrier keeps the row, the two
                        # emitters stay apart)
                        continue
                    if o is not t and not (o.n_on >= confirm_rows and t.n_on >= confirm_rows):
                        # (two established emissions are not merged by one segment touching both)
                        self._absorb(t, o)
                        owner[owner == o.id] = t.id
            else:
                t = self._new_track(r, lo, hi)
            owner[max(0, lo - tol):hi + tol + 1] = t.id
            if t.id in on_now:
                # a second segment of the same track in this row: widen the row's entry
                t.lo, t.hi = min(t.lo, lo), max(t.hi, hi)
                t.excess[-1] += e / self.fe.enbw
                t.row_lo[-1], t.row_hi[-1] = min(t.row_lo[-1], lo), max(t.row_hi[-1], hi)
                t.line = (-1, None)
                continue
            self._track_on(t, r, lo, hi, e, pk, P, ref)
            on_now.add(t.id)
        # the whole-band floor rise
        if rise or band_on:
            t = self.wide_track
            if t is None:
                t = self.wide_track = self._new_track(r, 0, nfft - 1, wide=True)
            rq = fe.shape * self.g_ref
            if self.baseline is not None:
                rq = np.maximum(rq, self.baseline.typical)
            # the floor is what the narrow emissions of this row leave free (the probe's jammer
            # held on by its own band: the segments in that band are its own lines)
            Pw = P.copy()
            plo, phi = self.probe_band if band_on else (1, 0)
            for lo, hi, _e, _pk in info:
                if not plo <= lo <= hi <= phi:
                    Pw[lo:hi + 1] = rq[lo:hi + 1]
            e = float(np.maximum(Pw - rq, 0).sum())
            self._track_on(t, r, 0, nfft - 1, e, int(np.argmax(Pw)), Pw, rq)
            on_now.add(t.id)
        self._link(r, on_now)

    # -- a wide emission on from the first sample that stops ---------------------------------------
    def _lead_row(self, P: np.ndarray, g: float) -> None:
        """Follow the stretch on from the first sample (row `self.r`: spectrum P, plain level g,
        the low quantile of all its central bins) for a fall of the rows' level: a wide emission
        (noise over most of the band) on from the first sample sets the rows' level, so the quiet
        reference is learnt at its level and nothing rises over it; when it stops, the level falls
        by a step. The rows before are kept as bounded summaries (their levels, chunk means of
        their spectra), the rows after the fall for up to hold_s; the stretch is reported
        (`_lead_event`) where the fall took away a spectrum of its own (`_fall_shape`), else
        dropped: a step of the receiver's gain scales the floor as it is. The plain level, not the
        free bins' (an emission the CFAR finds takes its band out of those: their level moves
        with it). Followed only while nothing else sets the reference (a floor rise, the probes'
        finds, a baseline)."""
        L = self._lead
        if L is None:
            return
        fe = self.fe
        # (a floor rise over the levels of the input's first rows, before the quiet reference
        # settled, is this stretch itself; a later one is another emission over its level)
        risen = self.wide_track is not None and not self._lead_rise()
        if (self.plateau_track is not None or self._probe_group() is not None or self.opts.reference == "none"
                or P.shape[0] != L.acc.spec.shape[0] or risen and L.fall >= 0):
            self._lead = None  # (the probes found it; or something came on as the level fell)
            return
        r = self.r
        L.g.append(float(g))
        gs = float(statistics.median(L.g[-RISE_ROWS:]))
        L.gs.append(gs)
        thr = self._fall_threshold()
        if L.fall < 0:
            n = len(L.gs)
            if n <= REF_EVERY or n % REF_EVERY == 0:
                L.ref = float(np.percentile(np.asarray(L.gs[:: max(1, n // REF_MAX_ROWS)]), REF_PERCENTILE))
            L.pending.append(np.array(P, dtype=np.float64))
            if len(L.pending) > FALL_DELAY_ROWS:
                L.acc.add_spectrum(L.pending.pop(0))
            jam_rows = math.ceil(self.opts.min_jamming_s / fe.row_s) + 1
            if r + 1 < max(jam_rows, REF_MIN_ROWS) + FALL_DELAY_ROWS or not gs * thr < L.ref or risen:
                return  # (no fall looked for while a floor rise over its level is on)
            n0 = r + 1 - len(L.pending)  # (the first row held back)
            level = float(np.median(L.gs[:n0]))
            mid = math.sqrt(level * gs)
            above = [k for k in range(n0, r + 1) if L.g[k] >= mid]
            f = above[-1] + 1 if above else n0
            pre = float(np.median(L.g[max(0, f - FALL_DELAY_ROWS):f])) if f > 0 else 0.0
            if not above or pre * math.sqrt(thr) < level or f > r:
                self._lead = None  # no step from the level held since the start (a drift)
                return
            L.fall, L.level = f, level
            # the rows before taught the floor shape under the level they held (an emission's, if
            # one stopped): learnt afresh from here, as after any step of the level
            fe.restart_shape()
            L.quiet = _Track(-1, f, 0, fe.nfft - 1, fe.nfft, wide=True)
            # (the rows of its switching off, RISE_ROWS each side of the fall, are neither's)
            for k, Pk in zip(range(n0, r + 1), L.pending):
                if k < f - RISE_ROWS:
                    L.acc.add_spectrum(Pk)
                elif k >= f + RISE_ROWS:
                    L.quiet.add_spectrum(Pk)
            L.pending = []
            return
        if r >= L.fall + RISE_ROWS:
            L.quiet.add_spectrum(P)
        q_rows = r - L.fall + 1
        if q_rows > RISE_ROWS and gs * thr >= L.level:
            # back at its level: no stop (a dip of the level's estimation noise, a gap), followed
            # on (the rows since the fall left out of its spectra)
            L.fall, L.quiet = -1, None
            return
        if q_rows < max(math.ceil(self.opts.confirm_s / fe.row_s), 3 * CHUNK_ROWS + RISE_ROWS):
            return
        if self._lead_decide():
            return
        if q_rows >= math.ceil(self.opts.hold_s / fe.row_s):
            self._lead = None  # no spectrum of its own taken away: the receiver's gain

    def _lead_rise(self) -> bool:
        """Is the floor rise being tracked one that began in the input's first rows (before the
        quiet reference settled: REF_MIN_ROWS + RISE_ROWS), so the stretch on from the start?"""
        t = self.wide_track
        return t is not None and t.first <= REF_MIN_ROWS + RISE_ROWS

    def _lead_end(self) -> None:
        """At the input's end: decide a fall followed for fewer rows than usual (3 chunks or more)."""
        L = self._lead
        if L is not None and L.fall >= 0 and self.r - L.fall >= 3 * CHUNK_ROWS + RISE_ROWS and (
                self.wide_track is None or self._lead_rise()):
            self._lead_decide()
        self._lead = None

    def _fall_threshold(self) -> float:
        """The least ratio of two smoothed row levels read as a step (as `_floor_rise`'s)."""
        fe = self.fe
        n_eff = fe.avg * (fe.nfft * 0.8) * 0.5 * RISE_ROWS
        return max(10 ** (self.opts.floor_rise_db / 10), 1 + RISE_SIGMAS / math.sqrt(n_eff))

    def _lead_decide(self) -> bool:
        """Report the stretch on from the start where the levels after its fall stand a step
        under its own and the fall took away a spectrum of its own; True where reported."""
        L = self._lead
        g_q = float(np.median(L.g[L.fall + RISE_ROWS:]))
        if not g_q * self._fall_threshold() < L.level:
            return False
        fe = self.fe
        dc = np.abs(fe.offsets_hz) <= max(self.dc_guard_hz, 2 * fe.bin_hz)
        lead, quiet = _chunk_means(L.acc), _chunk_means(L.quiet)
        if not _fall_shape(lead, quiet, fe._central, dc, dof_bin=fe.dof, min_db=FALL_SHAPE_DB, pfa=FALL_PFA):
            return False
        e, _sig, spans, _q = _fall_excess(lead, quiet, fe._central, dc, dof_bin=fe.dof)
        self._lead_event(L, g_q, _raised_span(e, spans, fe.nfft))
        self._lead = None
        return True

    def _lead_event(self, L: _Lead, g_q: float, band: tuple[int, int]) -> None:
        """The stretch on from the first sample to the fall as the wide track (a floor rise over
        the floor after it) over `band` (the bins it raised: its band's edges are read there),
        its rows' excess from their levels over that floor (g_q); that floor is the quiet
        reference from now on (the floor shape is learnt afresh since the fall was seen)."""
        fe = self.fe
        nfft, f = fe.nfft, L.fall
        Q = L.quiet.robust_spectrum()
        old = self.wide_track
        if old is not None:
            # (the floor rise over the first rows' levels: this stretch, seen in part)
            gid = self._find(old.id)
            grp = self.groups.get(gid)
            if grp is not None and grp.members == [old.id]:
                self.groups.pop(gid, None)
            elif grp is not None and old.id in grp.members:
                grp.members.remove(old.id)
            self.tracks.pop(old.id, None)
            self.wide_track = None
        t = self._new_track(0, 0, nfft - 1, wide=True)
        a = L.acc
        t.spec, t.chunks, t.chunk_rows, t.cur, t.cur_n = a.spec, a.chunks, a.chunk_rows, a.cur, a.cur_n
        t.ref = Q * f
        excess = np.maximum(np.asarray(L.g[:f]) / g_q - 1.0, 0.0) * float(Q.sum()) / fe.enbw
        t.excess = excess.tolist()
        t.rows = list(range(f))
        t.peak = [nfft // 2] * f
        lo, hi = band
        t.lo, t.hi = lo, hi
        t.row_lo, t.row_hi = [lo] * f, [hi] * f
        t.seg_lo, t.seg_hi = [lo], [hi]
        t.n_on, t.first, t.last, t.prev_on = f, 0, f - 1, f - 1
        t.db = 10 * math.log10(max(float(excess.max()) * fe.enbw, 1e-30))
        self.wide_track = t
        # the quiet reference: the rows' levels since the fall (the detector's own: free bins')
        del self.gs_hist[:f]
        self.g_ref = float(np.median(self.g_hist[f + RISE_ROWS:] or self.g_hist[f:]))

    def _probe_band_raised(self, P: np.ndarray) -> bool:
        """Does the row hold the band of the jammer the probe found on from the start raised
        over the floor beside it (medians over RISE_ROWS rows)?

        A jammer on part of the band (a sweep over half of it) leaves the rows' low quantile in
        the free part, so the floor-rise test does not see it; but it raises most bins of its
        own band in every row, where traffic (narrow, bursty) does not hold a wide band raised
        row after row: the test holds from the probe until the band first falls back. The
        statistic is the mean over the band's bins of the row against the
        floor shape (a fast sweep's power stands in lines its period apart: the mean, not a
        quantile), over the median beside the band in the central bins (corrected for the
        median's bias), on the quieter side (traffic beside the band raises its side). The
        threshold is the larger of PROBE_BAND_RISE_DB (a receiver's ripple, and what of the band
        the floor shape may have learnt) and RISE_SIGMAS of the statistic's noise.
        """
        lo, hi = self.probe_band
        fe = self.fe
        c = fe._central
        n_min = PROBE_BESIDE_MIN * fe.nfft
        sides = [(a, b) for a, b in ((c.start, lo), (hi + 1, c.stop)) if b - a >= n_min]
        if hi < lo or not sides or self._probe_group() is None:
            self.pb_hist.clear()
            return False
        z = P / fe.shape
        b, k = min((float(np.median(z[a:b])), b - a) for a, b in sides)
        # (the median of chi-square values of 2*avg degrees of freedom sits below their mean)
        b /= max(1.0 - 1.0 / (3.0 * fe.avg), 0.5)
        if not b > 0:
            return False
        self.pb_hist.append(float(z[lo:hi + 1].mean()) / b)
        del self.pb_hist[:-RISE_ROWS]
        h = self.pb_hist
        v = statistics.median(h)
        # (a median of n bins of 2*avg degrees of freedom each, halved for the window's
        # correlated neighbours: ~1.25/sqrt(avg*n/2) relative; the smaller side sets it)
        n_eff = fe.avg * 0.5 * min(hi - lo + 1, k) * len(h) / 1.25 ** 2
        thr = max(10 ** (PROBE_BAND_RISE_DB / 10), 1 + RISE_SIGMAS * math.sqrt(2 / n_eff))
        if v > thr:
            return True
        # fallen back: the jammer found on from the start has stopped (it held its band raised
        # in every row until now); a later rise there is a new emission, the tracks' business,
        # not its continuation (a packet in its band within the hold time does not revive it)
        self.probe_band = (0, -1)
        self.pb_hist.clear()
        return False

    def _plateau_in_row(self, info: list) -> bool:
        """Do this row's segments cover PLATEAU_ROW_SHARE of the band of the noise band found on
        from the start? (Once it is off, a packet on part of its band is no part of it.)"""
        lo, hi = self.plateau_band
        cover = sum(max(0, min(b, hi) - max(a, lo) + 1) for a, b, _e, _pk in info)
        return cover >= PLATEAU_ROW_SHARE * (hi - lo + 1)

    def _over_weak_bands(self, cands: list, lo: int, hi: int, e: float, ref: np.ndarray,
                         tol: int, seen: dict) -> list:
        """The candidate tracks for the segment lo..hi (excess `e`) of a row less the weak steady
        bands it stands far denser over (`_denser_over`: an emitter switched on over a passband
        hump); where that leaves none, the other tracks that lately held part of the segment
        (within `tol` bins): the emitter's own track, whose bins the long-lived band owns.
        `seen`: the row's memo for `_denser_over`."""
        enbw = self.fe.enbw
        weak = [c for c in cands if _denser_over(c, lo, hi, e, ref, enbw, seen)]
        if not weak:
            return cands
        left = [c for c in cands if c not in weak]
        if left:
            return left
        near = []
        for t in self.tracks.values():
            if t.wide or t in weak:
                continue
            a, b = t.recent_band()
            if a - tol <= hi and b + tol >= lo and not _denser_over(t, lo, hi, e, ref, enbw, seen):
                near.append(t)
        return near

    def _new_track(self, r, lo, hi, wide=False) -> _Track:
        tid = self.next_id
        self.next_id += 1
        t = _Track(tid, r, lo, hi, self.fe.nfft, wide=wide)
        self.tracks[tid] = t
        self.parent[tid] = tid
        self.groups[tid] = _Group(tid, wide=wide)
        return t

    def _track_on(self, t, r, lo, hi, e, pk, P, ref) -> None:
        if t.prev_on < r - 1:
            self.recent_onsets.append((r, t.id))
            t.onset_rows = t.onset_rows[-2:] + [r]
            if _train_so_far(t.onset_rows) and not t.wide and len(t.onsets) < MAX_TIMED_ONSETS:
                self._time_onset(t, r, lo, hi, e, ref)
        t.lo, t.hi = min(t.lo, lo), max(t.hi, hi)
        t.seg_lo.append(lo)
        t.seg_hi.append(hi)
        if len(t.seg_lo) > 2 * RECENT_ROWS:
            del t.seg_lo[:RECENT_ROWS], t.seg_hi[:RECENT_ROWS]
        t.last = r
        t.prev_on = r
        t.add_row(r, e / self.fe.enbw, pk, lo, hi, P, ref)
        t.db = max(t.db, 10 * math.log10(max(e, 1e-30)))

    def _time_onset(self, t, r, lo, hi, e, ref) -> None:
        """Time finely the start of the pulse with which track `t` comes back on in row r (after
        one or more rows off), on the raw samples of that row and the one before, which the ring
        still holds now (`onsets.fine_onset`); rows whose excess stands under MIN_ROW_SNR over
        the noise of their band are not timed."""
        from .onsets import MIN_ROW_SNR, fine_onset

        noise = float(np.sum(ref[lo:hi + 1]))
        if not e >= MIN_ROW_SNR * noise:
            return
        fe = self.fe
        a, b = t.recent_band()
        lo_b, hi_b = min(lo, a), max(hi, b)
        first, x = self._raw_from((r - 1) * fe.row_len, (r + 1) * fe.row_len)
        if x is None or first != (r - 1) * fe.row_len or x.shape[0] < 2 * fe.row_len:
            return
        t0 = fine_onset(x, first, self.rate_hz, fe.offsets_hz[lo_b] - 0.5 * fe.bin_hz,
                        fe.offsets_hz[hi_b] + 0.5 * fe.bin_hz)
        if math.isfinite(t0):
            t.onsets.append(t0)

    def _absorb(self, keep: _Track, other: _Track) -> None:
        """Merge track `other` into `keep` (their segments now overlap)."""
        older = _on_through(keep, other.first) and not self._band_born_with(other, keep)
        keep.lo, keep.hi = min(keep.lo, other.lo), max(keep.hi, other.hi)
        keep.first = min(keep.first, other.first)
        keep.last = max(keep.last, other.last)
        keep.n_on += other.n_on
        keep.spec += other.spec
        keep.ref += other.ref
        if len(other.chunks) > len(keep.chunks):
            keep.chunks, keep.chunk_rows = other.chunks, other.chunk_rows
        # (both row lists are sorted: only keep's rows from other's first on need merging, as a
        # stable sort of the two lists joined would - a long track absorbs young ones often)
        i = bisect.bisect_right(keep.rows, other.rows[0]) if other.rows else len(keep.rows)
        order = np.argsort(np.asarray(keep.rows[i:] + other.rows), kind="stable")
        for name in ("rows", "excess", "peak", "row_lo", "row_hi"):
            mine, theirs = getattr(keep, name), getattr(other, name)
            setattr(keep, name, mine[:i] + list(np.asarray(mine[i:] + theirs)[order]))
        keep.prev_on = max(keep.prev_on, other.prev_on)
        keep.db = max(keep.db, other.db)
        keep.onsets = sorted(keep.onsets + other.onsets)
        keep.onset_rows = sorted(keep.onset_rows + other.onset_rows)[-3:]
        go, gk = self._find(other.id), self._find(keep.id)
        del self.tracks[other.id]
        if older:
            self._inner_pieces.add(other.id)
        if go != gk and older and not self.groups[go].hand_overs:
            # (`other` was no emission born when it came on, but a piece of `keep`, on since
            # before: what it was joined to as born with it stays apart - `_leave_group`)
            self._leave_group(other.id, go)
        elif go != gk:
            self._union(gk, go)
        grp = self.groups[self._find(keep.id)]
        if other.id in grp.members:
            grp.members.remove(other.id)
        if keep.id not in grp.members:
            grp.members.append(keep.id)

    def _band_born_with(self, t: _Track, keep: _Track) -> bool:
        """Was track `t` born with all the other tracks of its group as side-by-side pieces of
        one band (each born within CO_ONSET_ROWS of it; sorted by frequency, each `_adjacent` to
        the one below), the band mostly beside what the older track `keep` held (under half of
        its bins within keep's extent)? A band switched on beside an older emission, that the
        row CFAR split into pieces, was born then, every piece of it, whatever older track one
        of its pieces touches (a sweep's edge beside a packet on since before: `_leave_group` is
        not for it). Pieces lit inside the older emission's own band may be its own (a slow
        sweep's, its noise cells); tones joined to a piece as born with it (`_link`'s co-onsets:
        narrow tracks apart, at one level) are no band."""
        mem = [m for m in self._group_tracks(t.id) if m is not t]
        if not mem or any(abs(m.first - t.first) > CO_ONSET_ROWS for m in mem):
            return False
        bands = sorted([(m.lo, m.hi) for m in mem] + [(t.lo, t.hi)])
        if not all(_adjacent(a0, a1, b0, b1) for (a0, a1), (b0, b1) in zip(bands, bands[1:])):
            return False
        lo, hi = bands[0][0], max(b for _a, b in bands)
        inside = max(0, min(hi, keep.hi) - max(lo, keep.lo) + 1)
        return 2 * inside < hi - lo + 1

    def _leave_group(self, tid: int, gid: int) -> None:
        """Take track `tid`, absorbed by a track on since before it came on, out of its group
        `gid`. Narrow tracks born together are joined as one emitter's tones (`_link`'s
        co-onsets), sides of one band; a piece of an emission on in every one of the
        CO_ONSET_ROWS + 1 rows before it (`_on_through`), unless born a piece of a band with the
        rest of its group (`_band_born_with`), was not born then (a slow sweep's piece
        lit in the row a packet began in, elsewhere in the band): its birth says nothing of the
        others, which stay their own group (and no hop pending to or from it is one:
        `_confirm_hops`)."""
        grp = self.groups[gid]
        if tid in grp.members:
            grp.members.remove(tid)

    # -- grouping -------------------------------------------------------------------------------
    def _find(self, tid: int) -> int:
        p = self.parent
        while p[tid] != tid:
            p[tid] = p[p[tid]]
            tid = p[tid]
        return tid

    def _union(self, a: int, b: int) -> int:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        ga, gb = self.groups[ra], self.groups[rb]
        if gb.confirmed and not ga.confirmed:
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        ga.members.extend(m for m in gb.members if m not in ga.members)
        ga.hand_overs += gb.hand_overs
        if gb.alerted and not ga.alerted:
            ga.alerted, ga.event, ga.match, ga.score = True, gb.event, gb.match, gb.score
        ga.confirmed = ga.confirmed or gb.confirmed
        del self.groups[rb]
        return ra

    def _narrow(self, t: _Track) -> bool:
        return not t.wide and (t.hi - t.lo + 1) <= max(3, NARROW_FRACTION * self.fe.nfft)

    def _confirm_hops(self, r: int) -> None:
        """Join the hand-overs whose channel left has stayed silent HOP_SILENT_ROWS rows and whose
        two channels' strongest rows agree within HOP_SAME_DB (one transmitter, one power): a
        carrier or a DC spike missing a row as a packet begins elsewhere is not a hop."""
        keep = []
        for r0, a, b, da, db in self._pending_hops:
            ta, tb = self.tracks.get(a), self.tracks.get(b)  # (None: absorbed by another track)
            if ta is not None and ta.prev_on >= r0:
                continue  # back on: no hop
            if a in self._inner_pieces or b in self._inner_pieces:
                continue  # a piece of an emission on since before (`_leave_group`): no channel
            if ta is not None and _lit_by_others(ta, self._group_tracks(ta.id), r0):
                continue  # its line still lit, inside a wider segment of its own group: no hop
            if r - r0 + 1 < HOP_SILENT_ROWS:
                keep.append((r0, a, b, da, db))
                continue
            if tb is not None and tb.hi - tb.lo + 1 > HOP_CHANNEL_MAX * NARROW_FRACTION * self.fe.nfft:
                continue  # the channel taken has grown into a band since: a band emission's first rows
            da, db = (da if ta is None else ta.db), (db if tb is None else tb.db)
            if abs(da - db) > HOP_SAME_DB:
                continue
            if not (self._stands_clear(ta) and self._stands_clear(tb)):
                continue  # a CFAR-marginal piece of the floor is no channel taken or left
            if ta is not None and tb is not None and _on_inside_run(tb, ta):
                continue  # the new channel was on while the old held its channel: two emitters
            if ta is not None and tb is not None and _last_run(ta) >= HOP_CLEAN_RUN_ROWS and not _same_width(ta, tb):
                # (one hopper keeps its modulation, so its bandwidth, on every channel: told
                # where the channel left was on unbroken over many rows, its widths its own)
                continue
            gid = self._union(a, b)
            self.groups[gid].hand_overs += 1
        self._pending_hops = keep
        if self._inner_pieces:
            held = {i for _r, a, b, _da, _db in keep for i in (a, b)}
            self._inner_pieces &= held

    def _stands_clear(self, t: _Track | None) -> bool:
        """Does track `t`'s strongest row stand HOP_CLEAR_DB or more over the noise in its band
        (True where `t` is gone, absorbed by another track)?"""
        if t is None or not t.excess:
            return True
        k = int(np.argmax(t.excess))
        noise = float(t.ref[t.row_lo[k]:t.row_hi[k] + 1].sum()) / max(t.n_on, 1)
        return t.excess[k] * self.fe.enbw >= 10 ** (HOP_CLEAR_DB / 10) * noise

    def _link(self, r: int, on_now: set) -> None:
        """Hops (one narrow track ends as another begins) and co-onsets (multitone) join groups."""
        self.recent_onsets = [(rr, tid) for rr, tid in self.recent_onsets
                              if rr >= r - HANDOVER_ROWS - 1 and tid in self.tracks]
        onsets = [(rr, tid) for rr, tid in self.recent_onsets]
        # tracks that went off in this row (on in r-1, not in r)
        offs = [t for t in self.tracks.values() if t.prev_on == r - 1 and t.id not in on_now and self._narrow(t)]
        for t in offs:
            # (the channel taken comes on once the channel left is on: a track that came on
            # before the other's last run began was on all through it - another emitter, a pulse
            # train on and off beside a short packet -, not where that one handed over to)
            run_start = t.rows[-_last_run(t, most=HANDOVER_ROWS + 1)]
            for rr, tid in onsets:
                if tid == t.id or rr < max(r - HANDOVER_ROWS, run_start) or tid not in self.tracks:
                    continue
                o = self.tracks[tid]
                if self._narrow(o) and not _concurrent(t, o):
                    self._pending_hops.append((r, t.id, o.id, t.db, o.db))
                    break
        self._confirm_hops(r)
        # co-onsets: narrow tracks born within CO_ONSET_ROWS of each other with similar power
        born = [self.tracks[tid] for rr, tid in onsets
                if rr >= r - CO_ONSET_ROWS and self.tracks[tid].first >= r - CO_ONSET_ROWS]
        for i in range(len(born)):
            for j in range(i + 1, len(born)):
                a, b = born[i], born[j]
                if self._find(a.id) == self._find(b.id) or a.wide or b.wide:
                    continue
                tones = self._narrow(a) and self._narrow(b) and abs(a.db - b.db) <= CO_ONSET_DB
                # pieces of one band emission (a sweep's strong turning points apart from its
                # weaker middle): born together, side by side - and, where side by side across
                # 0 Hz, at one level there (`_meet_beside_dc`)
                side = _adjacent(a.lo, a.hi, b.lo, b.hi)
                if side and not self._meet_beside_dc(self._group_tracks(a.id), self._group_tracks(b.id)):
                    continue
                if tones or side:
                    self._union(a.id, b.id)

    # -- confirmation, classification, ends -----------------------------------------------------
    def _housekeeping(self) -> list[tuple[str, Event]]:
        o = self.opts
        fe = self.fe
        r = self.r
        hold_rows = max(1, math.ceil(o.hold_s / fe.row_s))
        confirm_rows = self._confirm_rows
        re_rows = max(1, math.ceil(o.reclassify_s / fe.row_s))
        jam_rows = math.ceil(o.min_jamming_s / fe.row_s) + 1
        alerts = []
        for gid in list(self.groups):
            grp = self.groups.get(gid)
            if grp is None:
                continue
            mem = [self.tracks[m] for m in grp.members if m in self.tracks]
            if not mem:
                del self.groups[gid]
                continue
            if len(mem) == 1:  # (most groups: one track)
                t = mem[0]
                first, last, n_on = t.first, t.last, t.n_on
            else:
                grp, mem = self._split_stopped(grp, mem, hold_rows)
                first = min(t.first for t in mem)
                last = max(t.last for t in mem)
                n_on = sum(t.n_on for t in mem)
            if r - last > hold_rows:
                alerts.extend(self._close(grp, mem))
                continue
            if not grp.confirmed and last - first + 1 >= confirm_rows and n_on >= 3:
                grp = self._join_neighbours(grp, mem, first)
                mem = [self.tracks[m] for m in grp.members if m in self.tracks]
                grp.confirmed = True
                if not self.alerts:
                    continue  # offline: the look at its end decides
                self._classify(grp, mem, end_row=r + 1)
                if grp.match.jamming:
                    grp.alerted = True
                    alerts.append(("start", grp.event))
            elif self.alerts and grp.confirmed and (r - grp.last_class >= re_rows or (
                    not grp.alerted and (r - first >= 2 * max(grp.last_class - first, confirm_rows)
                                         or grp.last_class - first < jam_rows <= r - first))):
                # (an emission not yet called jamming is looked at again once it has lasted
                # min_jamming_s, and each time its age doubles: a slow pulse train needs a few
                # periods before it shows)
                self._classify(grp, mem, end_row=r + 1)
                if grp.match.jamming and not grp.alerted:
                    grp.alerted = True
                    alerts.append(("start", grp.event))
        # the probe for a whole band occupied from the start by a structured jammer: once at
        # confirmation time, then only to follow what it found
        if self.last_probe < 0 and self.r + 1 >= confirm_rows or self._probe_group() is not None and self.r - self.last_probe >= re_rows:
            alerts.extend(self._probe())
        if self.r - self.last_keyed >= max(1, math.ceil(KEYED_EVERY_S / fe.row_s)) and self.r + 1 >= confirm_rows:
            alerts.extend(self._keyed_look())
        return alerts

    def _split_stopped(self, grp, mem, hold_rows: int):
        """(group, members) once the members that stopped are split from those still on, where
        they are separate emissions: every member gone for more than the hold time, the others
        on for more than the hold time after the last of them stopped (STOPPED_APART_S where each
        gone one lasted the confirmation time: no row's blip), each gone one held (on in
        STOPPED_HELD of its rows from its first to its last) and apart in band from every one
        still on (pieces of one band are adjacent; a hopper's channels take turns). Tones of one transmitter are keyed on and off together; two jammers on from the
        first sample were joined as tones born together, and one stopped while the other went
        on. The stopped ones keep the group (they close now, alone); the others go on in one new
        group (or the reverse where a member still on holds the group's id)."""
        if grp.wide or grp.probe:
            return grp, mem
        r = self.r
        gone = [t for t in mem if r - t.last > hold_rows]
        if not gone:
            return grp, mem
        stop = max(t.last for t in gone)
        apart = hold_rows
        confirm_rows = self._confirm_rows
        if not grp.hand_overs and all(t.last - t.first + 1 >= confirm_rows for t in gone):
            # (a hopper's channels go quiet between its visits, and a row's blip is no emission
            # of its own: those only once outlived by more than the hold time)
            apart = max(1, math.ceil(STOPPED_APART_S / self.fe.row_s))
        live = [t for t in mem if t.last - stop > apart]
        if len(gone) + len(live) < len(mem) or not live:
            return grp, mem
        if grp.hand_overs:
            # a hopper's channels are on by turns (not held): split only a held narrow member
            # (a hop lands on a narrow channel) that outlived the rest by HOP_OUTLIVED_DWELLS of
            # the hopper's mean dwells, outside the band its channels spread over (which is no
            # band of one emission: not `_adjacent`)
            dwell = (stop - min(t.first for t in gone) + 1) / grp.hand_overs
            if any(not self._narrow(t) or t.n_on < STOPPED_HELD * (t.last - t.first + 1)
                   or t.last - stop <= HOP_OUTLIVED_DWELLS * dwell for t in live):
                return grp, mem
            if any(max(a.lo, b.lo) <= min(a.hi, b.hi) for a in gone for b in live):
                return grp, mem
        elif any(t.wide or t.n_on < STOPPED_HELD * (t.last - t.first + 1) for t in gone) or any(
                _adjacent(a.lo, a.hi, b.lo, b.hi) for a in gone for b in live):
            return grp, mem
        stay, move = (gone, live) if any(t.id == grp.id for t in gone) else (live, gone)
        new = _Group(move[0].id)
        new.confirmed = grp.confirmed
        new.members = [t.id for t in move]
        grp.members = [t.id for t in stay]
        for t in move:
            self.parent[t.id] = new.id
        for t in stay:
            self.parent[t.id] = grp.id
        if stay is live:  # (the hand-overs were the stopped hopper's)
            new.hand_overs, grp.hand_overs = grp.hand_overs, 0
        self.groups[new.id] = new
        return grp, stay

    def _join_neighbours(self, grp, mem, first: int):
        """Join the groups that began with this one (within CO_START_ROWS) in an adjacent or
        overlapping band: pieces of one emission (a sweep's comb split by the row CFAR)."""
        def bands(g, m):
            # a hopper's channels span the band between them but hold none of it: its tracks one
            # by one; other groups (pieces of one sweep or band) by the bands their side-by-side
            # pieces span (two packet channels born together hold nothing of the band between them)
            return [(t.lo, t.hi) for t in m] if g.hand_overs else _joined_bands([(t.lo, t.hi) for t in m])

        have = bands(grp, mem)
        comb = None
        for gid2 in list(self.groups):
            g2 = self.groups.get(gid2)
            if g2 is None or g2 is grp or g2.wide or grp.wide:
                continue
            m2 = [self.tracks[m] for m in g2.members if m in self.tracks]
            if not m2 or abs(min(t.first for t in m2) - first) > CO_START_ROWS:
                continue
            if _packet_beside_line(mem, m2) or _packet_beside_line(m2, mem):
                continue  # a carrier holds its line; a short wider member beside it is a packet
            joined = (any(_adjacent(a, b, c, d) for a, b in have for c, d in bands(g2, m2))
                      and self._meet_beside_dc(mem, m2))
            if not joined and not grp.hand_overs and not g2.hand_overs:
                # stretches of one line comb (a periodic sweep's) with a line or two missed
                if comb is None:
                    comb = _comb(grp, [self.tracks[m] for m in grp.members if m in self.tracks], bands)
                joined = combs.same_comb(comb, _comb(g2, m2, bands))
            if joined and max(first, min(t.first for t in m2)) <= CO_START_ROWS:
                # (both on as the input began, so not seen to begin together: pieces of one
                # emission only where they hold one power per bin - a keyed carrier's skirts
                # beside a band the receiver's passband lifts do not)
                joined = abs(_level_db(mem) - _level_db(m2)) <= CO_ONSET_DB
            if joined:
                root = self._union(grp.id, g2.id)
                grp = self.groups[root]
                have = bands(grp, [self.tracks[m] for m in grp.members if m in self.tracks])
                comb = None
        return grp

    def _group_tracks(self, tid: int) -> list[_Track]:
        """The tracks of track `tid`'s group."""
        grp = self.groups.get(self._find(tid))
        if grp is None:
            return [self.tracks[tid]]
        return [self.tracks[m] for m in grp.members if m in self.tracks]

    def _meet_beside_dc(self, m1: list[_Track], m2: list[_Track]) -> bool:
        """Are two groups' tracks (`m1`, `m2`) whose bands lie on either side of 0 Hz at one
        level: their rows' median excess per bin within CO_ONSET_DB (True where their bands do not
        lie on either side, or all are narrow: tones are judged by their power)? The receiver's DC
        offset and its wander light the bins beside 0 Hz on their own, in weak pieces the tracker
        gives to whatever emission is beside them, so two emissions on either side meet there
        (a keyed sweep above 0 Hz, LoRa packets below); one emission across 0 Hz, split by the DC
        guard, has one power per bin on both sides."""
        if all(self._narrow(t) for t in m1) and all(self._narrow(t) for t in m2):
            return True
        zero = int(np.searchsorted(self.fe.offsets_hz, 0.0))
        (lo1, hi1), (lo2, hi2) = ((min(t.lo for t in m), max(t.hi for t in m)) for m in (m1, m2))
        if not (hi1 < zero <= lo2 or hi2 < zero <= lo1):
            return True
        return abs(_level_db(m1) - _level_db(m2)) <= CO_ONSET_DB

    def _close(self, grp, mem) -> list[tuple[str, Event]]:
        if sum(t.n_on for t in mem) < 2 and not grp.probe and self.r > 2:
            # one row only: keep it only where it stands clearly out (a strong short packet)
            ev = self._evidence(grp, mem, max(t.last for t in mem) + 1, snippet=np.zeros(0, np.complex64))
            if not ev.snr_db >= SINGLE_ROW_SNR_DB:
                for t in mem:
                    self.tracks.pop(t.id, None)
                self.groups.pop(grp.id, None)
                return []
        prior = grp.match if grp.probe and not grp.keyed else None
        self._classify(grp, mem, end_row=max(t.last for t in mem) + 1, final=True)
        if (prior is not None and prior.kind == "pulsed" and prior.params.get("prf_hz")
                and grp.event is not None and not grp.event.jamming):
            self._lost = (grp.event, float(prior.params["prf_hz"]), min(t.first for t in mem),
                          max(t.last for t in mem), min(t.lo for t in mem), max(t.hi for t in mem))
        for t in mem:
            self.tracks.pop(t.id, None)
            if self.wide_track is t:
                self.wide_track = None
            if self.plateau_track is t:
                self.plateau_track = None
                self.fe.shape_hold = False  # the floor sets the rows' levels again
        self.groups.pop(grp.id, None)
        ev = grp.event
        if ev is None:
            return []
        self.events.append(ev)
        pieces = (_off_periods(_strong_rows(mem), ev, self.fe.row_s, self.opts.min_jamming_s)
                  or self._nested_line(grp, mem, ev))
        if pieces:
            self._pieces[id(ev)] = (ev, pieces)
        if grp.keyed:
            self.keyed_events.append(ev)
        if grp.alerted:
            return [("end", p) for p in pieces] if pieces else [("end", ev)]
        return []

    def _nested_line(self, grp, mem, ev: Event) -> list[Event]:
        """[line event, wideband event] where a wideband jammer (chirp, noise) tracked as one
        track holds a narrow line of another emitter, else []. The line stands NESTED_LINE_OVER
        times above the wideband's own excess within NESTED_WINDOW_BINS (a sweep's comb lines and
        a noise band's ripple do not), and its timing differs: in the track's chunk spectra it is
        on where the wideband is off, or off where it is on."""
        if ev.kind not in ("chirp", "noise") or not ev.jamming or grp.probe or grp.wide or len(mem) != 1:
            return []
        t = mem[0]
        fe = self.fe
        shift = self.center_hz or 0.0
        # the wideband's own band (the track may have reached further, to packets beside it)
        lo = max(t.lo, int(np.searchsorted(fe.offsets_hz, ev.freq_lo_hz - shift)))
        hi = min(t.hi, int(np.searchsorted(fe.offsets_hz, ev.freq_hi_hz - shift)) - 1)
        if len(t.chunks) < NESTED_MIN_CHUNKS or hi - lo < 4 * _nested_window(ev, fe.bin_hz):
            return []
        ref = t.ref / max(t.n_on, 1)
        spec = t.robust_spectrum()
        ex = np.maximum(spec - ref, 0.0)
        if self.dc_guard_hz > 0:
            ex[np.abs(fe.offsets_hz) <= self.dc_guard_hz + 2 * fe.bin_hz] = 0.0  # the receiver's DC
        i = lo + int(np.argmax(ex[lo:hi + 1]))
        W = _nested_window(ev, fe.bin_hz)
        if i - W < lo or i + W > hi:
            return []
        side = np.concatenate([ex[i - W:i - 2], ex[i + 3:i + W + 1]])
        if not ex[i] >= NESTED_LINE_OVER * float(side.max()):
            return []
        E = np.maximum(np.asarray(t.chunks) - ref[None, :], 0.0)
        line_k = E[:, i - 1:i + 2].sum(axis=1)
        keep = np.ones(hi - lo + 1, dtype=bool)
        keep[i - 3 - lo:i + 4 - lo] = False
        wide_k = E[:, lo:hi + 1][:, keep].mean(axis=1)
        line_on = line_k >= 0.5 * float(np.median(line_k))
        wide_on = wide_k >= NESTED_ON * float(wide_k.max())
        if not ((line_on & ~wide_on).any() or (wide_on & ~line_on).any()) or not wide_on.any():
            return []
        cr = t.chunk_rows
        rows = np.asarray(t.rows)
        exr = np.asarray(t.excess)

        ks = np.flatnonzero(line_on)
        l0 = t.first if ks[0] == 0 else int(_chunk_rows(t, ks[0])[0])
        l1 = t.last if ks[-1] == line_on.size - 1 else int(_chunk_rows(t, ks[-1])[-1])
        # the wideband's own rows: the row excess (line included) above half its level when on
        kw = np.flatnonzero(wide_on)
        sel = np.concatenate([np.arange(k * cr, min((k + 1) * cr, rows.size)) for k in kw])
        thr = 0.5 * float(np.median(exr[sel]))
        wr = rows[exr >= thr]
        if wr.size == 0:
            return []
        w0, w1 = int(wr[0]), int(wr[-1])
        end_cap = self.n_in / self.rate_hz
        w_start, w_end = w0 * fe.row_s, min((w1 + 1) * fe.row_s, end_cap)
        l_start, l_end = l0 * fe.row_s, min((l1 + 1) * fe.row_s, end_cap)
        if min(w_end - w_start, l_end - l_start) < fe.row_s * NESTED_MIN_CHUNKS:
            return []
        # the line's frequency (parabola on the log spectrum) and power above the wideband's level
        y0, y1, y2 = (math.log(max(spec[j], 1e-30)) for j in (i - 1, i, i + 1))
        den = y0 - 2 * y1 + y2
        frac = float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5)) if den != 0 else 0.0
        f = float(fe.offsets_hz[i] + frac * fe.bin_hz)
        p_line = max(float(ex[i - 2:i + 3].sum() - 5 * np.median(side)), 0.0) / fe.enbw
        noise = self.noise_power
        if not (p_line > 0 and noise > 0):
            return []
        if self._line_in_bursts(f, l_start, l_end):
            # a packet's spectral peak (a beacon's preamble tone), not a carrier: the wideband
            # alone, where it was seen on
            return [replace(ev, start_s=float(w_start), end_s=float(w_end))]
        pdb = 10 * math.log10(p_line)
        jn = pdb - 10 * math.log10(noise)
        jam = (l_end - l_start >= self.opts.min_jamming_s or not (l0 > 0 or l1 + 2 < self.r)) and jn >= self.opts.min_jn_db
        line = Event(start_s=float(l_start), end_s=float(l_end), freq_lo_hz=f - 0.5 * fe.bin_hz + shift,
                     freq_hi_hz=f + 0.5 * fe.bin_hz + shift, kind="cw", jamming=bool(jam), power_dbfs=pdb,
                     jn_db=jn, confidence=ev.confidence, params={"tones_hz": [f + shift]})
        return [line, replace(ev, start_s=float(w_start), end_s=float(w_end))]

    def _line_in_bursts(self, f_hz: float, start_s: float, end_s: float) -> bool:
        """Is the line at offset f_hz on in under half of the LINE_WINDOW_S windows of the raw
        samples the ring still holds of start_s..end_s (the median window's excess power over
        the noise below LINE_MEDIAN_SHARE of the mean's)? A carrier is on in every window, a
        wideband jammer around it adds power to all or none of them; the tone of repeated
        packets is there only during the packets. False where it cannot tell (under
        LINE_MIN_WINDOWS windows held, or no excess)."""
        from .onsets import band_windows

        fe = self.fe
        _, x = self._raw_from(round(start_s * self.rate_hz), round(end_s * self.rate_hz))
        L = max(1, round(LINE_WINDOW_S * self.rate_hz))
        if x is None or x.shape[0] < LINE_MIN_WINDOWS * L or not self.noise_power > 0:
            return False
        w, m = band_windows(x, self.rate_hz, f_hz - 2 * fe.bin_hz, f_hz + 2 * fe.bin_hz)
        per = max(1, L // m)
        k = w.shape[0] // per
        ex = w[: k * per].reshape(k, per).mean(axis=1) - self.noise_power / m
        mean = float(ex.mean())
        return k >= LINE_MIN_WINDOWS and mean > 0 and float(np.median(ex)) < LINE_MEDIAN_SHARE * mean

    def _evidence(self, grp, mem, end_row: int, snippet=None, middle: bool = False) -> Evidence:
        fe = self.fe
        first = min(t.first for t in mem)
        last = max(t.last for t in mem)
        spec, ref, lo, hi = self._group_spectrum(mem)
        own = not (grp.wide or grp.probe)
        lines = own and _lines_only(mem)
        # a hopper's channels (joined by hops): its members' spectra are whole rows, and a steady
        # emission beside them (on over most of their rows: no channel of theirs, each on for its
        # dwells), told apart by the tracker, would set their band
        hops = own and not lines and grp.hand_overs >= hopping.MIN_HAND_OVERS
        if lines or hops:
            spec = self._members_only(spec, ref, mem, first, last, lines=lines)
        span = last - first + 1
        excess = np.zeros(span)
        peak = np.full(span, np.nan)
        best = np.zeros(span)
        on = np.zeros(span, dtype=bool)
        row_lo = np.full(span, np.inf)
        row_hi = np.full(span, -np.inf)
        for t in mem:
            idx = np.asarray(t.rows, dtype=np.int64) - first
            e = np.asarray(t.excess)
            excess[idx] += e
            better = e > best[idx]
            peak[idx[better]] = fe.offsets_hz[np.asarray(t.peak, dtype=np.int64)[better]]
            best[idx[better]] = e[better]
            on[idx] = True
            np.minimum.at(row_lo, idx, np.asarray(t.row_lo, dtype=np.float64))
            np.maximum.at(row_hi, idx, np.asarray(t.row_hi, dtype=np.float64))
        # drop short islands at either end, apart from the body by more than ISLAND_GAP rows:
        # a packet or a noise cell that fell in the band within the hold time
        on_rows = np.flatnonzero(on)
        if on_rows.size >= 4:
            cuts = np.flatnonzero(np.diff(on_rows) > ISLAND_GAP_ROWS)
            runs = np.split(on_rows, cuts + 1)
            longest = max(len(r_) for r_ in runs)
            short = max(ISLAND_ROWS, 0.1 * longest)
            i, j = 0, len(runs) - 1
            # (where no run is as long as an island but the runs light a slow train's share of
            # the rows, there is no body to drop islands from: every run is one pulse of a train,
            # kept whole for its timing to be judged)
            lit = on_rows.size / (on_rows[-1] - on_rows[0] + 1)
            train = longest < ISLAND_ROWS and lit >= SLOW_TRAIN_HZ * fe.row_s
            while not train and i < j and len(runs[i]) < short:
                i += 1
            while not train and j > i and len(runs[j]) < short:
                j -= 1
            a, b = runs[i][0], runs[j][-1]
            # (a steady emission's own rows stand at its level; after it stopped, the packets the
            # hold time joined to it do not)
            a2, b2 = _steady_ends(excess[a:b + 1], on[a:b + 1], row_hi[a:b + 1] - row_lo[a:b + 1] + 1,
                                  gap_rows=math.ceil(OFF_GAP_S / fe.row_s))
            a, b = a + a2, a + b2
            if a > on_rows[0] or b < on_rows[-1]:
                excess, peak, on = excess[a:b + 1], peak[a:b + 1], on[a:b + 1]
                first, last = first + a, first + b
                span = last - first + 1
                # (the tracks on mostly outside the rows kept: the packets that fell in the band
                # within the hold time, whose strong narrow lines over few rows would set the band
                # of the emission they are no part of)
                inside = {t.id: sum(1 for r in t.rows if first <= r <= last) for t in mem}
                kept = [t for t in mem if 2 * inside[t.id] >= len(t.rows)]
                own = max(mem, key=lambda t: inside[t.id])
                within = None
                if own not in kept:
                    # (the track holding most of the rows kept is the emission's own, though the
                    # hold time went on joining another emitter's rows to it after it stopped -
                    # the receiver's passband hump a jammer on from the start stood on: its
                    # spectrum is read over the rows kept)
                    kept, within = [own] + kept, (first, last)
                if kept and len(kept) < len(mem) or within is not None:
                    spec, ref, lo, hi = self._group_spectrum(kept, within=within)
                    if lines or hops:
                        spec = self._members_only(spec, ref, kept, first, last, lines=lines)
        # a noise band the probe found on from the start is judged as a floor rise is: over the
        # whole of its band (packets on it do not make its edges), the others left out
        wide = grp.wide or self.plateau_track is not None and any(t is self.plateau_track for t in mem)
        # drop a stretch at either end whose rows mostly peak outside the emission's band: another
        # emission the tracker attached before it began or after it ended (a packet next to it)
        band = None if wide else self._band_of(spec, ref, lo, hi)  # (a floor rise: any bin is its own)
        foreign = self._foreign_rows(band, peak, on)
        a, b = 0, span - 1
        if foreign.any():
            a, b = _foreign_ends(foreign, on, excess, np.sign(np.nan_to_num(peak - 0.5 * (band[0] + band[1]))))
        if a > 0 or b < span - 1:
            excess, peak, on, foreign = excess[a:b + 1], peak[a:b + 1], on[a:b + 1], foreign[a:b + 1]
            first, last = first + a, first + b
            span = last - first + 1
        start_s = first * fe.row_s
        end_s = min((last + 1) * fe.row_s, self.n_in / self.rate_hz)  # a last partial row
        window = None  # (the snippet's first and end sample, where taken here)
        snippet_start = -1
        alt_windows = ()
        if snippet is None:
            n_an = min(int(self.opts.analysis_s * self.rate_hz), MAX_SNIPPET)
            a_end = min(min(end_row, last + 1) * fe.row_len, self.n_in)
            if middle:
                # the steadiest stretch of the emission's life: clear of its switching edges and
                # of packets that fell into its band (spikes of the row excess) or beside it
                # (foreign rows well above the emission's own level: a stronger emitter beside
                # it wins their peak; a weak emission's row peaks on noise bins are its own)
                strong = excess >= FOREIGN_LEVEL_RATIO * float(np.median(excess[on])) if on.any() else on
                crowded = self._crowded_rows(band, mem, first, span)
                ends = self._steady_windows(first, last, excess, on, n_an, wide=wide,
                                            foreign=(foreign & strong) | (crowded & on))
                a_end, clean = ends[0]
                if not clean:
                    # a stronger packet fell on the steadiest window: the clean ones, for more
                    # opinions on a jammer's kind (`_second_opinion`)
                    alt_windows = tuple((max(first * fe.row_len, e - n_an), e) for e, c in ends[1:] if c)
            a_start = max(first * fe.row_len, a_end - n_an)
            snippet = self._raw(a_start, a_end)
            if (snippet is None or snippet.shape[0] < 0.5 * (a_end - a_start)) and self.fetch is None:
                # live: the stretch wanted has left the ring; take the latest the ring holds
                b_end = min((last + 1) * fe.row_len, self.n_in)
                b_start = max(first * fe.row_len, b_end - n_an, self.ring.end - self.ring.cap)
                if b_end > b_start:
                    a_start, a_end = b_start, b_end
                    snippet = self.ring.get(a_start, a_end)
            if self.fetch is not None:
                snippet = self._window(a_start, a_end, snippet)
            window = (a_start, a_end)
            snippet_start = a_start
        # bounded: at least one of its edges lies inside the input (an emission cut by both
        # edges of a short input can only be judged by its signature)
        bounded = first > 0 or last + 2 < self.r or not self.finished
        notch = self._notch(mem, window) if wide else self._others_notch(mem, window, band) if lines else ()
        return Evidence(
            notch=notch, read_raw=self._raw_from,
            rate_hz=self.rate_hz, bin_hz=fe.bin_hz, enbw=fe.enbw, offsets_hz=fe.offsets_hz,
            spec_on=spec, ref=ref, lo_bin=lo, hi_bin=hi, row_s=fe.row_s,
            row_times_s=(np.arange(span) + first) * fe.row_s, row_excess=excess, row_peak_hz=peak,
            row_on=on, snippet=snippet, snippet_start=snippet_start, alt_windows=alt_windows,
            start_s=start_s, end_s=end_s, bounded=bounded,
            noise_total=self.noise_power, wide=wide, members=len(mem), hand_overs=grp.hand_overs,
            min_jamming_s=self.opts.min_jamming_s, frames_per_row=fe.avg,
            onsets_s=_band_onsets(mem, lo, hi))

    def _group_spectrum(self, mem, *, within: tuple[int, int] | None = None
                        ) -> tuple[np.ndarray, np.ndarray, int, int]:
        """(averaged spectrum, its noise reference, lowest and highest bin) of a group's tracks,
        each weighted by its on-rows (`within`: (first, last) rows, each track's spectrum over
        its chunks in those rows, `_spectrum_within`); the receiver's DC spike (within
        dc_guard_hz) is no part of any emission."""
        n_on = sum(t.n_on for t in mem)
        if within is None:
            spec = sum(t.robust_spectrum() * t.n_on for t in mem) / max(n_on, 1)
        else:
            spec = sum(_spectrum_within(t, *within) * t.n_on for t in mem) / max(n_on, 1)
        ref = sum(t.ref for t in mem) / max(n_on, 1)
        return self._dc_as_ref(spec, ref), ref, min(t.lo for t in mem), max(t.hi for t in mem)

    def _members_only(self, spec: np.ndarray, ref: np.ndarray, mem, first: int, last: int, *,
                      lines: bool) -> np.ndarray:
        """The spectrum of a group of steady carriers (`lines`) or of a hopper's channels read
        over its members' own bins: the other emissions the tracker told apart left out
        (`_others_out`; a hopper's: the steady ones), and a carriers' group read over its lines
        alone (`_line_bins`): its members' spectra are whole rows, and a packet that came and went
        in their rows (its track closed before theirs, or joined to a carrier's track in a row
        it held the carrier's frequency) is no part of a carrier."""
        spec = self._others_out(spec, ref, mem, first, last, steady=not lines)
        return np.where(_line_bins(mem, spec.size), spec, ref) if lines else spec

    def _others_out(self, spec: np.ndarray, ref: np.ndarray, mem, first: int, last: int, *,
                    steady: bool = False) -> np.ndarray:
        """The group's averaged spectrum with the bins of the other emissions the tracker told
        apart (`_others_mask`; `steady`: only those on over STEADY_OTHER_SHARE of the rows or
        more) set to the noise reference: a member's spectrum is that of whole rows, and a
        strong packet beside a weak carrier would otherwise set the band the carrier is read in
        (the members' own bins keep all that fell in them)."""
        other = self._others_mask(mem, first, last, steady=steady)
        return np.where(other, ref, spec) if other is not None else spec

    def _others_notch(self, mem, window, band) -> tuple:
        """(lo_hz, hi_hz) stretches of the other emissions (`_others_mask`) on during the snippet
        `window` (first and end sample) beside the emission's `band` (lo_hz, hi_hz): left out of
        the snippet's band filter, whose margins beside the band would otherwise pass a packet's
        envelope into the emission's (inside the band, all is judged as the emission's: pieces
        of it the tracker did not join to it are no other emitter's)."""
        if window is None or band is None:
            return ()
        fe = self.fe
        other = self._others_mask(mem, window[0] // fe.row_len, max(window[0], window[1] - 1) // fe.row_len)
        if other is None:
            return ()
        other &= (fe.offsets_hz < band[0]) | (fe.offsets_hz > band[1])
        h = 0.5 * fe.bin_hz
        return tuple((float(fe.offsets_hz[a]) - h, float(fe.offsets_hz[b]) + h) for a, b in segments(other, 1))

    def _others_mask(self, mem, first: int, last: int, *, steady: bool = False,
                     inside: bool = False) -> np.ndarray | None:
        """bool per fine bin: held by another emission the tracker told apart (a track not in the
        group, an event closed already) that was on in rows first..last (`steady`: in
        STEADY_OTHER_SHARE of them or more), a bin each side for its window's main lobe, and by
        none of the members (whose bins are the union of all they ever held; `inside`: members'
        bins too); None where no bin is."""
        fe = self.fe
        n = fe.nfft
        ids = {t.id for t in mem}
        need = STEADY_OTHER_SHARE * (last - first + 1) if steady else 1
        spans = [(t.lo, t.hi) for t in self.tracks.values()
                 if not t.wide and t.id not in ids and t.rows and t.last >= first and t.first <= last
                 and (not steady or sum(1 for r in t.rows if first <= r <= last) >= need)]
        shift = self.center_hz or 0.0
        t0, t1 = first * fe.row_s, (last + 1) * fe.row_s
        f0 = float(fe.offsets_hz[0])
        for e in self.events[-CROWD_LOOKBACK:]:
            steady_on = not steady or min(e.end_s, t1) - max(e.start_s, t0) >= need * fe.row_s
            if e.end_s > t0 and e.start_s < t1 and steady_on:
                spans.append((math.floor((e.freq_lo_hz - shift - f0) / fe.bin_hz),
                              math.ceil((e.freq_hi_hz - shift - f0) / fe.bin_hz)))
        if not spans:
            return None
        other = np.zeros(n, dtype=bool)
        for a, b in spans:
            a, b = max(0, a - 1), min(n - 1, b + 1)
            if b >= a:
                other[a:b + 1] = True
        for t in mem if not inside else ():
            other[t.lo:t.hi + 1] = False
        return other if other.any() else None

    def _pair_phase(self, a: Event, b: Event) -> float | None:
        """The phase (cycles) by which b's pulses follow a's (two pulse trains at one rate), read
        in the raw samples of the latest stretch both were on (up to PAIR_PERIODS periods, and
        MAX_SNIPPET samples) that the ring still holds (`pulse_timing.relative_phase`); None
        where it holds too little."""
        prf = 0.5 * (a.params["prf_hz"] + b.params["prf_hz"])
        t1 = min(a.end_s, b.end_s)
        t0 = max(a.start_s, b.start_s, t1 - min(PAIR_PERIODS / prf, MAX_SNIPPET / self.rate_hz))
        if t1 <= t0:
            return None
        x = self._raw(int(t0 * self.rate_hz), int(t1 * self.rate_hz))
        if x is None:
            return None
        shift = self.center_hz or 0.0
        return relative_phase(x, self.rate_hz, (a.freq_lo_hz - shift, a.freq_hi_hz - shift),
                              (b.freq_lo_hz - shift, b.freq_hi_hz - shift), 1.0 / prf)

    def _notch(self, mem, window=None) -> tuple:
        """(lo_hz, hi_hz) of the narrow emissions tracked beside a floor rise, and of those the
        baseline knows: left out of the floor rise's snippet. With `window` (the snippet's first
        and end sample), only those on during it, and then also those closed already that were:
        one that began after it, or ended before it, is not in the snippet, and notching its
        band would cut the floor rise's own signal (a sweep across a notch turns into pulses)."""
        fe = self.fe
        out = []
        ids = {t.id for t in mem}
        for t in self.tracks.values():
            if t.wide or t.id in ids:
                continue
            if window is not None and (t.first * fe.row_len >= window[1] or (t.last + 1) * fe.row_len <= window[0]):
                continue
            out.extend(self._track_notch(t))
        if window is not None:
            # ordinary traffic closed already that was on during it, narrow (a jammer's own pieces,
            # or a jammer beside the rise, are judged with it); its band as its event gives it
            # (from its spectrum's edges: a track's bins are the union of all it ever touched)
            shift = self.center_hz or 0.0
            t0, t1 = window[0] / self.rate_hz, window[1] / self.rate_hz
            out.extend((e.freq_lo_hz - shift - 3 * fe.bin_hz, e.freq_hi_hz - shift + 3 * fe.bin_hz)
                       for e in self.events[-CROWD_LOOKBACK:] if not e.jamming and e.start_s < t1 and e.end_s > t0
                       and e.freq_hi_hz - e.freq_lo_hz < GONE_NOTCH_MAX * self.rate_hz)
        if self.baseline is not None:
            for a, b in segments(self.baseline.occupancy >= 0.5, 1):
                out.append((fe.offsets_hz[max(0, a - 2)] - fe.bin_hz, fe.offsets_hz[min(fe.nfft - 1, b + 2)] + fe.bin_hz))
        return tuple(out)

    def _track_notch(self, t) -> list:
        """[(lo_hz, hi_hz)] to notch for a narrow track beside a floor rise: its bins (2 more each
        side). A track's bins are the union of all it ever touched: one that touched GONE_NOTCH_MAX
        of the sampled band or more (a carrier whose rows peaked on a wide jammer's pulses; a
        piece of the rise's own emission, seen in a few rows where it stood out) would cut the
        rise's own signal - a sweep across a notch turns into pulses: it is notched at its band
        as its averaged spectrum gives it, or not at all where that is GONE_NOTCH_MAX or more."""
        fe = self.fe
        lo_hz, hi_hz = fe.offsets_hz[max(0, t.lo - 2)] - fe.bin_hz, fe.offsets_hz[min(fe.nfft - 1, t.hi + 2)] + fe.bin_hz
        if hi_hz - lo_hz < GONE_NOTCH_MAX * self.rate_hz:
            return [(lo_hz, hi_hz)]
        b0, b1 = self._band_of(t.robust_spectrum(), t.ref / max(t.n_on, 1), t.lo, t.hi)
        if not (math.isfinite(b0) and math.isfinite(b1)) or b1 - b0 >= GONE_NOTCH_MAX * self.rate_hz:
            return []
        return [(b0 - 3 * fe.bin_hz, b1 + 3 * fe.bin_hz)]

    def _foreign_rows(self, band: tuple[float, float] | None, peak: np.ndarray, on: np.ndarray) -> np.ndarray:
        """bool per row: an on-row whose strongest bin lies outside the emission's `band` (from its
        averaged spectrum, edges at a quarter of its plateau) by more than FOREIGN_SLACK of its
        width (and 2 bins, a Hann main lobe): that row's power may be another emission the tracker
        attached (a packet in a neighbouring channel before or beside a sweep). None where the
        emission has no band of its own (a floor rise): no row is foreign."""
        if band is None:
            return np.zeros(on.shape[0], dtype=bool)
        b0, b1 = band
        m = max(2 * self.fe.bin_hz, FOREIGN_SLACK * (b1 - b0))
        with np.errstate(invalid="ignore"):
            return on & np.isfinite(peak) & ((peak < b0 - m) | (peak > b1 + m))

    def _band_of(self, spec, ref, lo: int, hi: int) -> tuple[float, float]:
        """(lo_hz, hi_hz) offsets of an emission's band from its averaged spectrum (`Evidence.band_hz`)."""
        fe = self.fe
        probe = Evidence(rate_hz=self.rate_hz, bin_hz=fe.bin_hz, enbw=fe.enbw, offsets_hz=fe.offsets_hz,
                         spec_on=spec, ref=ref, lo_bin=lo, hi_bin=hi, row_s=fe.row_s,
                         row_times_s=np.zeros(0), row_excess=np.zeros(0), row_peak_hz=np.zeros(0),
                         row_on=np.zeros(0, dtype=bool), snippet=None, start_s=0.0, end_s=0.0,
                         bounded=True, noise_total=self.noise_power)
        return probe.band_hz

    def _crowded_rows(self, band: tuple[float, float] | None, mem, first: int, span: int) -> np.ndarray:
        """bool per row (first .. first+span-1): another emission (a track, or an event already
        closed) was on in the snippet filter's margins beside the band (`Evidence.snip` passes
        the band widened by a tenth of its width each side, for a sweep's skirts): a packet there
        mixes its envelope into this one's."""
        out = np.zeros(span, dtype=bool)
        if band is None:
            return out
        fe = self.fe
        b0, b1 = band
        m = max(2 * fe.bin_hz, PASS_MARGIN * (b1 - b0))  # (the snippet filter's margin)
        ids = {t.id for t in mem}
        spans = []  # (first row, last row, lo_hz, hi_hz) of the others
        for t in self.tracks.values():
            if not t.wide and t.id not in ids and t.rows:
                spans.append((t.first, t.last, float(fe.offsets_hz[t.lo]), float(fe.offsets_hz[t.hi])))
        shift = self.center_hz or 0.0
        t0, t1 = first * fe.row_s, (first + span) * fe.row_s
        for e in self.events[-CROWD_LOOKBACK:]:
            if e.end_s > t0 and e.start_s < t1:
                spans.append((math.floor(e.start_s / fe.row_s), math.ceil(e.end_s / fe.row_s) - 1,
                              e.freq_lo_hz - shift, e.freq_hi_hz - shift))
        for r0, r1, f0, f1 in spans:
            if f0 <= b0 and f1 >= b1:
                continue  # around the whole band (a floor rise, a wider emission): no neighbour
            if (f0 < b0 and f1 > b0 - m) or (f1 > b1 and f0 < b1 + m):
                a, b = max(r0 - first, 0), min(r1 - first, span - 1)
                if b >= a:
                    out[a:b + 1] = True
        return out

    def _steady_windows(self, first: int, last: int, excess: np.ndarray, on: np.ndarray, n_an: int, *,
                        wide: bool = False, foreign: np.ndarray | None = None) -> list[tuple[int, bool]]:
        """(end sample, clean) of analysis windows (n_an samples) within rows first..last, the
        steadiest row excess (least peak over median) first, among WINDOW_CANDIDATES positions
        (clean: at most WINDOW_DIRTY_SHARE of its on-rows stand over WINDOW_OVER times the
        median on-row excess of the emission's life - no stronger packet fell on it); those
        where over WINDOW_FOREIGN_MAX of the on-rows are `foreign` only where all are. Windows
        whose median stands over WINDOW_OVER times the emission's typical excess count as that
        much less steady: a long packet on its band (a chirp-spread one, as steady as the
        emission) fills them - for a `wide` emission (a stationary band: a floor rise, or the
        noise band found on from the start), and for one on in WINDOW_STEADY_ON of its rows whose
        level holds within WINDOW_STEADY_RATIO of that typical one in WINDOW_STEADY_LIFE of them
        (packets joined up by the hold time, or an emission whose level changes over its life,
        have no typical level)."""
        fe = self.fe
        span_rows = last - first + 1
        w_rows = max(1, math.ceil(n_an / fe.row_len))
        if span_rows <= w_rows + 1:
            mid = (first + last + 1) * fe.row_len // 2
            return [(min((last + 1) * fe.row_len, max(mid + n_an // 2, first * fe.row_len + n_an), self.n_in), True)]
        ranked = []
        typical = float(np.median(excess[on])) if on.any() else 0.0
        over = (excess > WINDOW_OVER * typical) & on
        if not wide and on.any() and (on.mean() < WINDOW_STEADY_ON or np.mean(
                np.abs(np.log(np.maximum(excess[on], 1e-30) / max(typical, 1e-30))) <= math.log(WINDOW_STEADY_RATIO))
                < WINDOW_STEADY_LIFE):
            typical = 0.0  # (no typical level: packets joined up, or a level that changes)
        starts = [round(k * (span_rows - w_rows) / (WINDOW_CANDIDATES - 1)) for k in range(WINDOW_CANDIDATES)]
        mixed = [False] * WINDOW_CANDIDATES
        if foreign is not None and foreign.any():
            mixed = [int(np.count_nonzero(foreign[a:a + w_rows]))
                     > WINDOW_FOREIGN_MAX * max(int(np.count_nonzero(on[a:a + w_rows])), 1) for a in starts]
            if all(mixed):
                mixed = [False] * WINDOW_CANDIDATES
        for k in range(WINDOW_CANDIDATES):
            a = starts[k]
            if mixed[k]:
                continue
            seg = excess[a:a + w_rows]
            med = float(np.median(seg)) if seg.size else 0.0
            score = float(seg.max()) / med if med > 0 else math.inf
            if typical > 0 and med > WINDOW_OVER * typical:
                # its typical level stands far above the emission's: something else (a long
                # packet on its band) fills most of it, however steady it looks
                score *= med / typical
            # prefer the middle on ties (the edges hold the switching)
            score += 1e-3 * abs(k - (WINDOW_CANDIDATES - 1) / 2)
            clean = np.count_nonzero(over[a:a + w_rows]) <= WINDOW_DIRTY_SHARE * np.count_nonzero(on[a:a + w_rows])
            ranked.append((score, min((first + a + w_rows) * fe.row_len, self.n_in), bool(clean)))
        if not ranked:
            return [(min((first + last + 1) * fe.row_len // 2 + n_an // 2, self.n_in), True)]
        return [(end, clean) for _score, end, clean in sorted(ranked)]

    def _classify(self, grp, mem, *, end_row: int, final: bool = False, snippet=None) -> None:
        ev = self._evidence(grp, mem, end_row, snippet, middle=final)
        if final and ev.bounded and ev.duration_s < self.opts.min_jamming_s:
            # short and over: an ordinary burst whatever its waveform, and whichever look found it
            # (no need to analyse it)
            ev.snippet = None
            m = burst.match(ev) or classify(ev)
            grp.match, grp.score = m, m.score
            grp.event = self._event(ev, m)
            return
        if grp.probe:
            m = (pulsed.match(ev) if grp.keyed else chirp.match(ev) or pulsed.match(ev)) or grp.match
        else:
            m = classify(ev)
            if final and (m.jamming or _no_kind(m)):
                ev, m = self._second_opinion(mem, ev, m)
        grp.last_class = self.r
        # the latest look decides (more data; at the end, the middle of the emission's life)
        grp.match, grp.score = m, m.score
        grp.event = self._event(ev, grp.match, keyed=grp.keyed, mem=mem)
        if grp.event.jamming:
            grp.event = self._own_times(mem, grp.event)

    def _own_times(self, mem, ev: Event) -> Event:
        """A jammer's event with its start and end at its own rows: the rows at either end of the
        stretch it was judged on whose segments span a small part of what its rows span
        (`_narrow_ends`) are a narrower emitter the tracker joined to it (a packet beside it, on
        before it began or after it ended), not its switching."""
        fe = self.fe
        first = max(min(t.first for t in mem), round(ev.start_s / fe.row_s))
        last = min(max(t.last for t in mem), math.ceil(ev.end_s / fe.row_s - 1e-6) - 1)
        span = last - first + 1
        if span < 2 * NARROW_END_MIN_ROWS:
            return ev
        on = np.zeros(span, dtype=bool)
        row_lo = np.full(span, np.inf)
        row_hi = np.full(span, -np.inf)
        for t in mem:
            rows = np.asarray(t.rows, dtype=np.int64) - first
            keep = (rows >= 0) & (rows < span)
            idx = rows[keep]
            np.minimum.at(row_lo, idx, np.asarray(t.row_lo, dtype=np.float64)[keep])
            np.maximum.at(row_hi, idx, np.asarray(t.row_hi, dtype=np.float64)[keep])
            on[idx] = True
        a, b = _narrow_ends(row_lo, row_hi, on, min_rows=max(NARROW_END_MIN_ROWS, math.ceil(NARROW_END_MIN_S / fe.row_s)))
        if a == 0 and b == span - 1:
            return ev
        start_s = (first + a) * fe.row_s if a > 0 else ev.start_s
        end_s = min((first + b + 1) * fe.row_s, self.n_in / self.rate_hz) if b < span - 1 else ev.end_s
        return replace(ev, start_s=float(start_s), end_s=float(end_s))

    def _second_opinion(self, mem, ev: Evidence, m):
        """(evidence, match) of a jammer's kind where a stronger packet fell on its steadiest
        window: judged again on the next WINDOW_VOTERS clean windows of its life. A jammer keeps
        its kind from one stretch to the next; where those all name another jamming kind, theirs
        (the steadiest's) wins, else the first window's stands."""
        if len(ev.alt_windows) < WINDOW_VOTERS:
            return ev, m
        votes = []
        for a, b in ev.alt_windows[:WINDOW_VOTERS]:
            x = self._raw(a, b)
            if self.fetch is not None:
                x = self._window(a, b, x)
            if x is None or x.shape[0] < 0.5 * (b - a):
                return ev, m  # (live: the stretch has left the ring)
            e2 = replace(ev, snippet=x, snippet_start=a, alt_windows=(), kappa_on=math.nan, alternation=None,
                         notch=self._notch(mem, (a, b)) if ev.wide else ())
            v = classify(e2)
            if not v.jamming or v.kind == m.kind or votes and v.kind != votes[0][1].kind:
                return ev, m
            if not m.jamming and not (e2.snip is not None and e2.snip.snr >= NO_KIND_VOTER_SNR):
                return ev, m  # (next to nothing in its band there: the emission was the packet)
            votes.append((e2, v))
        return votes[0]

    def _event(self, ev: Evidence, m, *, keyed: bool = False, mem=None) -> Event:
        lo0, hi0 = ev.band_hz
        if (self.eight_bit and m.jamming and abs(0.5 * (lo0 + hi0)) <= DC_CENTRE_BINS * ev.bin_hz
                and hi0 - lo0 <= DC_MAX_WIDTH * self.rate_hz and m.kind != "pulsed"):
            # centred on 0 Hz and narrow, in an 8-bit receiver's capture: its DC offset and LO
            # leakage (with their 1/f noise), not an emission - unless it is keyed on and off in
            # a regular train down to the noise (pulsed): the receiver's own offset never stops
            m = Match("unknown", 0.5, {"note": "at 0 Hz: the receiver's DC offset / LO leakage"}, jamming=False)
        if m.jamming and self._passband(ev, m, mem):
            m = Match("unknown", 0.5, {"note": "the receiver's passband (tilt, ripple)"}, jamming=False)
        if m.jamming and not ev.wide and _mirror_stronger(ev):
            m = Match("unknown", 0.5, {"note": "an IQ image of a stronger emission at the mirror frequency"},
                      jamming=False)
        params = dict(m.params)
        lo_hz, hi_hz = ev.band_hz
        power = ev.power_on
        if keyed and self.keyed_levels:
            # a train below the rows' CFAR: the power while on is its folded on-phase power less
            # its off-phase power (the noise, measured in the same band at the same time); the
            # spectrum's excess, clipped at 0 bin by bin, and a noise reference 3 % off would
            # each move a -15 dB mean by several dB
            power = float(np.median(self.keyed_levels))
        elif m.kind == "pulsed" and ev.snip is not None and ev.snip.train is not None and ev.snip.train.regular:
            duty = params.get("duty_cycle", 1.0)
            if duty > 0:
                # (its mean power, over a floor rise's whole band: the raw snippet's, as a sweep's;
                # the rows' spectrum averages only the rows a slow train lights)
                power = _whole_band_power(ev, power * _lit_row_share(ev, ev.snip.train)) / duty
        if m.kind == "hopping" and ev.snip is not None and ev.snip.signal > power:
            # one carrier on at a time: its power is the band's while on; the averaged spectrum's
            # median over chunks under-reads the channels visited in few of them
            power = ev.snip.signal
        if m.kind == "chirp" and not keyed:
            swept = ev.swept_band_hz(params)
            if swept is not None:
                # the band read holds more than the sweep (packets grouped with it): the sweep's
                # band and power are where its fold on the period puts it
                lo_hz, hi_hz, power = swept
        if m.kind == "chirp" and not keyed:
            power = _whole_band_power(ev, power)
        if m.kind == "cw" and params.get("tones_hz"):
            f = params["tones_hz"][0]
            lo_hz, hi_hz = f - 0.5 * ev.bin_hz, f + 0.5 * ev.bin_hz
        if m.kind in ("multitone", "hopping", "pulsed") and (params.get("tones_hz") or params.get("channels_hz")):
            fs = params.get("tones_hz") or params.get("channels_hz")
            lo_hz, hi_hz = min(lo_hz, min(fs) - 0.5 * ev.bin_hz), max(hi_hz, max(fs) + 0.5 * ev.bin_hz)
        shift = self.center_hz or 0.0
        for key in ("tones_hz", "channels_hz"):
            if key in params:
                params[key] = [float(f + shift) for f in params[key]]
        noise = ev.noise_total
        power_dbfs = 10 * math.log10(power) if power > 0 else -math.inf
        jn = power_dbfs - 10 * math.log10(noise) if noise and noise > 0 and power > 0 else math.nan
        conf = float(np.clip(m.score * detection_confidence(ev.deflection), 0.0, 1.0))
        jamming = bool(m.jamming)
        if jamming and not (math.isfinite(jn) and jn >= self.opts.min_jn_db):
            # too weak to matter, or no noise to measure it against (a digitally silent input):
            # reported, not as jamming
            jamming = False
        return Event(start_s=float(ev.start_s), end_s=float(ev.end_s), freq_lo_hz=float(lo_hz + shift),
                     freq_hi_hz=float(hi_hz + shift), kind=m.kind, jamming=jamming,
                     power_dbfs=float(power_dbfs), jn_db=float(jn), confidence=conf, params=params)

    # -- probe -----------------------------------------------------------------------------------
    def _probe_group(self):
        t = self.wide_track
        if t is None:
            return None
        grp = self.groups.get(self._find(t.id))
        return grp if grp is not None and grp.probe else None

    def _probe(self) -> list[tuple[str, Event]]:
        """Classify the whole band for a structured jammer present from the start (no reference)."""
        self.last_probe = self.r
        fe = self.fe
        if self.wide_track is not None:
            grp = self.groups.get(self._find(self.wide_track.id))
            if grp is None or not grp.probe:
                return []  # a floor rise against the reference is being tracked
        a_end = min((self.r + 1) * fe.row_len, self.n_in)
        a_start = max(0, a_end - min(int(self.opts.analysis_s * self.rate_hz), MAX_SNIPPET))
        x = self._raw(a_start, a_end)
        if x is None or x.shape[0] < 4 * fe.nfft:
            return []
        # the noise level: a low quantile of the snippet's own averaged spectrum
        P = fe.mean_spectrum(x)
        c = P[fe._central]
        sm = np.convolve(c, np.ones(16) / 16, mode="valid")
        floor = float(np.percentile(sm, 2))
        if floor <= 0:
            return []
        ref = np.minimum(fe.shape * floor, P)
        P = self._dc_as_ref(P, ref)
        ev = Evidence(rate_hz=self.rate_hz, bin_hz=fe.bin_hz, enbw=fe.enbw, offsets_hz=fe.offsets_hz,
                      spec_on=P, ref=ref, lo_bin=0, hi_bin=fe.nfft - 1, row_s=fe.row_s,
                      row_times_s=np.zeros(0), row_excess=np.zeros(0), row_peak_hz=np.zeros(0),
                      row_on=np.zeros(0, dtype=bool), snippet=x, start_s=0.0,
                      end_s=a_end / self.rate_hz, bounded=False, noise_total=floor * fe.nfft / fe.enbw,
                      wide=True, min_jamming_s=self.opts.min_jamming_s, frames_per_row=fe.avg)
        b0, b1 = ev.band_hz
        if b1 - b0 < 0.5 * self.rate_hz:
            return []  # narrow things are the tracks' business
        if not ev.occupied_share >= PROBE_OCCUPIED_MIN:
            # the edges span the band but one narrow emission holds the power (packets against
            # the snippet's own floor): a jammer filling the band spreads it across (a sweep
            # dwells evenly on its band), and the narrow are the tracks' business too
            return self._probe_plateau(x, a_start) if self.wide_track is None else []
        for g in self.groups.values():
            if g.probe:
                continue
            ms = [self.tracks[m] for m in g.members if m in self.tracks]
            if (ms and (max(t.hi for t in ms) - min(t.lo for t in ms)) * fe.bin_hz > 0.5 * (b1 - b0)
                    and (max(t.last for t in ms) - min(t.first for t in ms) + 1)
                    >= max(0.5 * (self.r + 1), self.opts.min_jamming_s / fe.row_s)):
                return []  # a tracked emission already explains it
        m = chirp.match(ev) or pulsed.match(ev)
        if m is None or m.score < PROBE_SCORE_MIN:
            return self._probe_plateau(x, a_start) if self.wide_track is None else []
        if m.kind == "pulsed" and m.params.get("base_kind") not in ("chirp", "noise"):
            return []  # a keyed carrier is narrow: the tracks see it
        if m.kind == "pulsed" and _pulse_width_share(ev, fe) < PROBE_PULSE_FILL * (b1 - b0) / self.rate_hz:
            return []  # the pulses are one channel's (packets repeating): the tracks see them
        sn = ev.snip
        if m.kind == "chirp" and not (sn is not None and sn.period_height >= _probe_period_min(sn)
                                      or sn is not None and sn.train is not None and sn.train.regular):
            return []  # a sweep that dominates the band repeats plainly
        t = self.wide_track
        if t is None and sn is not None and band_rise(sn.y.real ** 2 + sn.y.imag ** 2, self.rate_hz,
                                                      noise=sn.noise, band_hz=b1 - b0) > 0:
            # its band's power rises inside the snippet and stays: it began there, over the
            # reference the rows had before it (the tracks' business), not on from the start
            return []
        if t is None:
            t = self.wide_track = self._new_track(0, 0, fe.nfft - 1, wide=True)
            self.groups[t.id].probe = True
        grp = self.groups[self._find(t.id)]
        rq = ref
        for rr in range(max(t.last + 1 if t.n_on else 0, 0), self.r + 1):
            t.add_row(rr, float(np.maximum(P - rq, 0).sum() / fe.enbw), int(np.argmax(P)), 0, fe.nfft - 1, P, rq)
        t.last = t.prev_on = self.r
        t.first = 0
        if self.g_ref == math.inf or floor < self.g_ref:
            self.g_ref = floor
        self.probe_floor = min(self.probe_floor, floor)
        self.probe_band = ev.band_idx
        self.pb_hist.clear()
        grp.confirmed = True
        grp.match, grp.score = m, m.score
        grp.event = self._event(ev, m)
        grp.last_class = self.r
        if m.jamming and not grp.alerted:
            grp.alerted = True
            return [("start", grp.event)]
        return []

    def _probe_plateau(self, x: np.ndarray, a_start: int) -> list[tuple[str, Event]]:
        """A noise band on from the start that fills most of the band (so the rows take its level
        for the floor): found where the snippet's stationary spectrum holds a flat plateau
        standing on a flat floor beside it (`plateau.noise_plateau`) and the band is noise
        (`kinds.noise`). It is handed to the tracker as a track on from row 0: the quiet
        reference becomes the floor beside it, and the floor shape is rescaled (it was learnt
        against the band's level) and held while the band lasts."""
        fe = self.fe
        if self.plateau_track is not None or self.baseline is not None:
            return []
        # (its spectra less the receiver's DC offset, as the rows are: its spike would stand on
        # the plateau and in the band's excess)
        xs = x - np.complex64(self._dc)
        pl = noise_plateau(xs, nfft=fe.nfft, window=fe.settings.window_array, scale=fe.settings.scale,
                           central=fe._central)
        if pl is None:
            return []
        # the level the floor shape was learnt against (the rows' own, set by the band)
        g_rows = float(np.median(self.g_hist[-RISE_ROWS:])) if self.g_hist else pl.level
        factor = g_rows / pl.floor
        shape = fe.rescaled_shape(factor)
        P = fe.mean_spectrum(xs)
        ref = shape * pl.floor
        P = self._dc_as_ref(P, ref)
        a_end = min((self.r + 1) * fe.row_len, self.n_in)
        # (the emissions tracked beside or on it are left out of its snippet)
        ev = Evidence(notch=self._notch([]), read_raw=self._raw_from,
                      rate_hz=self.rate_hz, bin_hz=fe.bin_hz, enbw=fe.enbw, offsets_hz=fe.offsets_hz,
                      spec_on=P, ref=ref, lo_bin=pl.lo_bin, hi_bin=pl.hi_bin, row_s=fe.row_s,
                      row_times_s=np.zeros(0), row_excess=np.zeros(0), row_peak_hz=np.zeros(0),
                      row_on=np.zeros(0, dtype=bool), snippet=x, start_s=0.0,
                      end_s=a_end / self.rate_hz, bounded=False, noise_total=pl.floor * fe.nfft / fe.enbw,
                      wide=True, min_jamming_s=self.opts.min_jamming_s, frames_per_row=fe.avg)
        m = noise.match(ev)
        if m is None or m.score < PROBE_SCORE_MIN:
            return []
        if (10 * math.log10(pl.level / pl.floor) <= PASSBAND_MAX_DB
                and self._passband_band(P, pl.lo_bin, pl.hi_bin, edges_seen=True)):
            # a hump of the receiver's own response (its tilt and ripple) standing over the flanks
            # beside it by no more than a passband varies: both its edges seen smooth (no jammer's
            # filter edge), no end
            return []
        fe.rescale_shape(factor)
        self._remask = True
        self.plateau_floor = pl.floor
        self.g_ref = min(self.g_ref, pl.floor)
        lo, hi = ev.band_idx
        t = self._new_track(0, lo, hi)
        # the rows the snippet holds whole, each with its own spectrum (packets on the band show
        # in theirs); the earlier ones with the snippet's mean
        r0 = -(-a_start // fe.row_len)
        nr = max(0, min(self.r + 1, (a_start + x.shape[0]) // fe.row_len) - r0)
        o = r0 * fe.row_len - a_start
        Xr = np.fft.fft(xs[o:o + nr * fe.row_len].reshape(nr * fe.avg, fe.nfft) * fe.settings.window_array, axis=1)
        Pr = np.fft.fftshift((Xr.real ** 2 + Xr.imag ** 2).reshape(nr, fe.avg, fe.nfft).mean(axis=1), axes=1)
        Pr *= fe.settings.scale
        for rr in range(self.r + 1):
            Q = Pr[rr - r0] if r0 <= rr < r0 + nr else P
            e = float(np.maximum(Q[lo:hi + 1] - ref[lo:hi + 1], 0).sum())
            self._track_on(t, rr, lo, hi, e, lo + int(np.argmax(Q[lo:hi + 1])), Q, ref)
        self.recent_onsets = [(rr, tid) for rr, tid in self.recent_onsets if tid != t.id]
        self.plateau_track = t
        self.plateau_band = (lo, hi)
        grp = self.groups[t.id]
        grp.confirmed = True
        grp.match, grp.score = m, m.score
        grp.event = self._event(ev, m)
        grp.last_class = self.r
        if m.jamming and grp.event.jamming and not grp.alerted:
            grp.alerted = True
            return [("start", grp.event)]
        return []

    # -- the keyed look ----------------------------------------------------------------------------
    def _keyed_look(self) -> list[tuple[str, Event]]:
        """Fold the raw envelope of the band the tracks leave free over the last analysis_s for
        a regular pulse train the rows cannot see (a low duty dilutes each row's average; folded
        on its period, hundreds of pulses add up), and open a track on it from the chunk where
        its on/off contrast rises (looking back a window or two where it was on already); then
        follow it, look by look, at its known period to the chunk where the contrast falls."""
        self.last_keyed = self.r
        fe = self.fe
        kt = self.keyed_track if self.keyed_track is not None and self.keyed_track.id in self.tracks else None
        self.keyed_track = kt
        if kt is None and (self._probe_group() is not None or self._sustained_track()):
            return []  # the probe, or a tracked emission lasting min_jamming_s, holds the band
        if not math.isfinite(self.g_ref) or self.g_ref <= 0:
            return []
        n_an = min(int(self.opts.analysis_s * self.rate_hz), MAX_SNIPPET)
        a_end = min((self.r + 1) * fe.row_len, self.n_in)
        a_start = max(0, a_end - n_an)
        if kt is None and not self._keyed_pretest(a_start, a_end):
            return []
        x = self._keyed_raw(a_start, a_end)
        if x is None or x.shape[0] < 4 * fe.nfft:
            return []
        P = fe.mean_spectrum(x)
        ref = fe.shape * self.g_ref
        if self.baseline is not None:
            ref = np.maximum(ref, self.baseline.typical)
        if kt is not None:
            # following: the train's own band at its known period (no blind search)
            lo_hz, hi_hz = self.keyed_band
            y, _, _ = ft.band_filter(x, self.rate_hz, lo_hz, hi_hz)
            e = y.real ** 2 + y.imag ** 2
            on = on_phases_at(e, self.keyed_period)
            if on is None:
                return []
            lo_b, hi_b = kt.lo, kt.hi
            grp = self.groups[self._find(kt.id)]
        else:
            P = self._dc_as_ref(P, ref)
            # what the tracks see is theirs, left out of the spectrum and snippet; unless that
            # hides the train (pieces of the train itself, seen in a few rows, are tracks too)
            notch = self._notch([])
            for nt in dict.fromkeys((tuple(notch), ())):
                Pn = P
                for a, b in nt:
                    Pn = np.where((fe.offsets_hz >= a) & (fe.offsets_hz <= b), ref, Pn)
                ev = Evidence(rate_hz=self.rate_hz, bin_hz=fe.bin_hz, enbw=fe.enbw, offsets_hz=fe.offsets_hz,
                              spec_on=Pn, ref=ref, lo_bin=0, hi_bin=fe.nfft - 1, row_s=fe.row_s,
                              row_times_s=np.zeros(0), row_excess=np.zeros(0), row_peak_hz=np.zeros(0),
                              row_on=np.zeros(0, dtype=bool), snippet=x, start_s=a_start / self.rate_hz,
                              end_s=a_end / self.rate_hz, bounded=False, noise_total=self.noise_power,
                              wide=True, notch=nt, min_jamming_s=self.opts.min_jamming_s, frames_per_row=fe.avg)
                sn = ev.snip
                train = sn.train if sn is not None else None
                if (train is not None and train.regular and train.n_pulses >= KEYED_MIN_PULSES
                        and train.prf_hz * fe.row_s >= KEYED_ROW_PULSES):
                    break
            else:
                return []
            m = pulsed.match(ev)
            if m is None or not m.jamming or m.score < PROBE_SCORE_MIN:
                return []
            self.keyed_period = train.period_points * ev._fold_L
            ev, m = self._keyed_gated(ev, m, train, x)
            P = Pn
            b0, b1 = ev.band_hz
            pad = max(2 * fe.bin_hz, 0.1 * (b1 - b0))
            self.keyed_band = (b0 - pad, b1 + pad)
            y, _, _ = ft.band_filter(x, self.rate_hz, *self.keyed_band)
            e = y.real ** 2 + y.imag ** 2
            on = on_phases_at(e, self.keyed_period)
            if on is None:
                return []
            lo_b, hi_b = ev.band_idx
            grp = None
        band = self.keyed_band[1] - self.keyed_band[0]
        starts, contrast, sigma = chunk_contrast(e, self.rate_hz, period_samples=self.keyed_period, on_phases=on,
                                                 band_hz=band)
        span = on_span(contrast, sigma)
        if span is None:
            return []
        c = int(starts[1] - starts[0]) if starts.shape[0] > 1 else x.shape[0]
        on_start = a_start + int(starts[span[0]])
        on_end = a_end if span[1] == starts.shape[0] - 1 else a_start + int(starts[span[1]]) + c
        if kt is None and span[0] == 0:
            on_start = self._keyed_onset(a_start, on, band)
        first_row = on_start // fe.row_len
        if kt is None:
            first_row = self._probe_lost(first_row, 1.0 / (self.keyed_period / self.rate_hz), lo_b, hi_b)
        last_row = min(self.r, max(first_row, (on_end - 1) // fe.row_len))
        if kt is None:
            self.keyed_levels = []
        self.keyed_levels.extend(contrast[span[0]:span[1] + 1].tolist())
        if kt is None:
            kt = self.keyed_track = self._new_track(first_row, lo_b, hi_b, wide=True)
            grp = self.groups[kt.id]
            grp.probe = grp.keyed = grp.confirmed = True
            start_row = first_row
        else:
            start_row = kt.last + 1
        ex = float(np.maximum(P - ref, 0)[lo_b:hi_b + 1].sum() / fe.enbw)
        pk = lo_b + int(np.argmax((P - ref)[lo_b:hi_b + 1]))
        for rr in range(start_row, last_row + 1):
            kt.add_row(rr, ex, pk, lo_b, hi_b, P, ref)
        kt.first = min(kt.first, first_row)
        kt.last = kt.prev_on = max(kt.last, last_row)
        if grp.match is None:
            grp.match, grp.score = m, m.score
            grp.event = self._event(ev, m, keyed=True)
            grp.last_class = self.r
            if m.jamming and self.alerts and not grp.alerted:
                grp.alerted = True
                return [("start", grp.event)]
        return []

    def _keyed_gated(self, ev: Evidence, m, train, x: np.ndarray):
        """(evidence, match) of a train the keyed look found, judged again against its own
        off phases: the spectrum between its pulses is the noise (and whatever else is on) at the
        same time through the same receiver, so the band is where the spectrum during the pulses
        stands over it - not where the whole look's spectrum stands over a floor learnt earlier,
        which a weak keyed emission (its mean diluted by the duty) lifts only a few % above that
        floor's own error. The first where the gated look finds a regular train again, pulsed."""
        fe = self.fe
        gate = ev.pulse_on(train, x.shape[0])
        p_on, p_off = fe.mean_spectrum(x, gate=gate), fe.mean_spectrum(x, gate=~gate)
        if not (p_on.any() and p_off.all()):
            return ev, m
        skip = np.zeros(fe.nfft, dtype=bool)
        for a, b in ev.notch:
            skip |= (fe.offsets_hz >= a) & (fe.offsets_hz <= b)
        dc = self._dc_bins()
        if dc is not None:
            skip |= dc
        ev2 = replace(ev, spec_on=np.where(skip, ev.ref, p_on), ref=np.where(skip, ev.ref, p_off), wide=False)
        m2 = pulsed.match(ev2)
        t2 = ev2.snip.train if ev2.snip is not None else None
        if m2 is None or not m2.jamming or m2.score < PROBE_SCORE_MIN or t2 is None or not t2.regular:
            return ev, m
        return ev2, m2

    def _probe_lost(self, first_row: int, prf_hz: float, lo: int, hi: int) -> int:
        """The first row of a train the keyed look opens at `first_row` (PRF, fine bins lo..hi):
        that of the train the probe found on from the start, where that one closed as no
        jamming within the hold time before, in an overlapping band, at the same PRF (PRF_SAME).
        A keyer too weak for the rows (a low duty dilutes each row's average) drops out of them
        once the probe's rows end, and the keyed look, barred while the probe held the band,
        finds it again a look later: one emission, whose closed piece is withdrawn."""
        lost, self._lost = self._lost, None
        if lost is None:
            return first_row
        ev, prf, f0, l0, lo0, hi0 = lost
        hold_rows = math.ceil(self.opts.hold_s / self.fe.row_s)
        if (abs(prf_hz / prf - 1.0) > PRF_SAME or not 0 <= first_row - l0 <= hold_rows
                or max(lo, lo0) > min(hi, hi0)):
            return first_row
        self.events = [e for e in self.events if e is not ev]
        self._pieces.pop(id(ev), None)
        return f0

    def _sustained_track(self) -> bool:
        """Is a track on in most of its rows over min_jamming_s or more (the rows see a jammer)?"""
        jam_rows = self.opts.min_jamming_s / self.fe.row_s
        return any(not t.wide and t.last - t.first + 1 >= jam_rows and t.n_on >= 0.5 * (t.last - t.first + 1)
                   for t in self.tracks.values())

    def _keyed_pretest(self, start: int, stop: int) -> bool:
        """Does the whole band's power envelope over samples start..stop (at most
        KEYED_PRETEST_POINTS cells of it) hold any regular train at all? (One cheap fold; the
        full look, filtered and notched, follows only then.)"""
        L = self._cell_len
        w = self._cells.get(-(-start // L), stop // L)
        if w is None or w.shape[0] < 64:
            return False
        train = ft.pulse_fold(w, L / self.rate_hz, 0.0)
        return train is not None and train.n_pulses >= KEYED_MIN_PULSES and train.persistence >= ft.PERSISTENCE_MIN

    def _keyed_raw(self, start: int, stop: int) -> np.ndarray | None:
        """Samples start..stop for the keyed look: offline read back whole (a block pushed at once
        has already left the ring's reach for its first rows), live from the ring."""
        if self.fetch is not None:
            return self.fetch(start, stop - start) if stop > start else None
        return self.ring.get(start, stop)

    def _keyed_onset(self, a_start: int, on: np.ndarray, band: float) -> int:
        """Onset (sample) of a train found on from the start of the window at a_start: the
        windows before it are folded at the train's period and phase (KEYED_LOOKBACK of them at
        most) until one where the contrast rises inside it."""
        n_an = min(int(self.opts.analysis_s * self.rate_hz), MAX_SNIPPET)
        onset = a_start
        for _ in range(KEYED_LOOKBACK):
            if onset <= 0:
                return 0
            p_start = max(0, onset - n_an)
            xp = self._keyed_raw(p_start, onset)
            if xp is None or xp.shape[0] < 4 * self.fe.nfft:
                return onset
            y, _, _ = ft.band_filter(xp, self.rate_hz, *self.keyed_band)
            st, cn, sg = chunk_contrast(y.real ** 2 + y.imag ** 2, self.rate_hz, period_samples=self.keyed_period,
                                        on_phases=on, band_hz=band, offset=float(p_start - a_start))
            span = on_span(cn, sg)
            if span is None or span[1] < st.shape[0] - 1:
                return onset  # off at the end of the window before: the train began at `onset`
            onset = p_start + int(st[span[0]])
            if span[0] > 0:
                return onset
        return onset

    # -- the end ---------------------------------------------------------------------------------
    def finish(self) -> list[tuple[str, Event]]:
        """Close what is open (the input ended); return the last alerts."""
        if self.finished:
            return []
        alerts = []
        fe = self.fe
        if self.r == 0:
            left = self._raw(0, self.n_in)
            n = 0 if left is None else left.shape[0]
            if n < fe.nfft:
                self.finished = True
                raise FormatError(
                    f"the input holds {self.n_in} samples, fewer than one analysis frame "
                    f"(nfft={fe.nfft} at {self.rate_hz:g} Hz); nothing to detect")
            frames = n // fe.nfft
            self.fe = self._frontend(frames * fe.nfft / self.rate_hz)
            alerts.extend(self._rows(self.fe.push(left[: frames * fe.nfft])))
        self.finished = True
        self._lead_end()
        if self.last_probe < 0 or (self._probe_group() is not None and self.r > self.last_probe):
            alerts.extend(self._probe())
        if self.r > self.last_keyed:
            alerts.extend(self._keyed_look())
        # the narrow first: a floor rise still open leaves out of its snippet what they were
        for gid in sorted(self.groups, key=lambda g: self.groups[g].wide):
            grp = self.groups.get(gid)
            if grp is None:
                continue
            mem = [self.tracks[m] for m in grp.members if m in self.tracks]
            if mem:
                alerts.extend(self._close(grp, mem))
        events = _sweep_lines(_sweep_passes(_seen_by_rows(_comb_beats(self.events, self.keyed_events, self.fe.bin_hz),
                                                          self.keyed_events)))
        events = _iq_images(events, self.center_hz or 0.0, self.fe.bin_hz, CO_TIMED_S)
        self.events = merge_fragments(_co_timed_tones(events, CO_TIMED_S, self.fe.bin_hz),
                                      hold_s=self.opts.hold_s, phase=self._pair_phase)
        self.events = _split_pieces(self.events, self._pieces)
        return alerts

    # -- what went wrong ----------------------------------------------------------------------
    def warnings(self) -> list[str]:
        """One line each for conditions that make the answer less trustworthy."""
        w = []
        if not self.nonzero and self.n_in:
            w.append("all samples are zero: the receiver delivered nothing (no signal, no noise)")
        if self.clip_level is not None and self.n_in and self.max_abs <= 1.0 + 1e-6:
            frac = self.clipped / self.n_in
            if frac >= self.opts.clip_warn_fraction:
                w.append(f"{100 * frac:.1f} % of samples are clipped at the converter's full scale: "
                         "a clipped receiver hides and fakes jamming (lower the gain)")
        if self.center_hz is None:
            w.append("unknown centre frequency: frequencies are offsets from the centre")
        return w


def _lit_row_share(ev: Evidence, train) -> float:
    """Share of an event's rows its averaged spectrum holds (`Evidence.power_on` is their mean),
    where a pulse train is slow enough to leave rows dark between its pulses (a row holds some
    of a pulse for only (width + row) of each period): the tracker keeps the lit rows, so the
    spectrum's mean power is the mean over them - above the mean over time by the share of rows
    they are (`Evidence.on_fraction`; a floor rise's group holds every row: 1). 1 for a train
    that lights every row (its mean over them is the mean over time)."""
    if train.prf_hz * (train.width_s + ev.row_s) >= 1.0 or not ev.row_on.size:
        return 1.0
    return max(ev.on_fraction, train.duty)


def _whole_band_power(ev: Evidence, power: float) -> float:
    """Mean power (linear) of one emitter called over a floor rise's whole band (`ev.wide`), read
    as `power` from its rows: a floor rise's rows leave out the segments the row CFAR found in them
    (narrow emitters of their own); where one emitter (a sweep, a keyed sweep or noise) is called
    over the band, those segments are its own passes or pulses, and its power is the raw snippet's
    in-band excess where that is the larger."""
    if ev.wide and ev.snip is not None and ev.snip.signal > power:
        return float(ev.snip.signal)
    return power


def _median(vals: list[float]) -> float:
    """np.median of a short list of floats, the same value (the middle one, or the mean of the
    middle two; NaN if any is NaN), without numpy's per-call overhead (called per block)."""
    s = sorted(vals)
    n = len(s)
    if n == 0 or any(map(math.isnan, s)):
        return math.nan
    m = n // 2
    return float(s[m]) if n % 2 else (float(s[m - 1]) + float(s[m])) / 2


def _complex_median(vals: list[complex]) -> complex:
    """Median of the real parts + 1j * median of the imaginary parts (`_median` each)."""
    return complex(_median([v.real for v in vals]), _median([v.imag for v in vals]))


def _chunk_means(t: _Track) -> np.ndarray:
    """float64[m, nfft]: a track's chunk mean spectra (its unfinished chunk where half full)."""
    parts = list(t.chunks)
    if t.cur_n and (not parts or t.cur_n >= 0.5 * t.chunk_rows):
        parts.append(t.cur / t.cur_n)
    return np.asarray(parts, dtype=np.float64).reshape(len(parts), -1)


def _chunk_rows(t: _Track, k: int) -> list:
    """The on-rows of track `t`'s chunk k (chunk_rows of them in order; the unfinished chunk's
    up to the latest)."""
    return t.rows[k * t.chunk_rows:(k + 1) * t.chunk_rows]


def _spectrum_within(t: _Track, first: int, last: int) -> np.ndarray:
    """Track `t`'s spectrum over its rows first..last: the per-bin median of its chunk means
    (`_chunk_means`) whose rows all lie there (3 or more; their mean where fewer), its
    `robust_spectrum` where none does. A track the hold time kept open after its emission
    stopped (other emitters' rows joined to it) holds, over its whole life, what came after."""
    ch = _chunk_means(t)
    sel = [k for k in range(ch.shape[0]) if (rows := _chunk_rows(t, k)) and first <= rows[0] and rows[-1] <= last]
    if not sel:
        return t.robust_spectrum()
    return np.median(ch[sel], axis=0) if len(sel) >= 3 else ch[sel].mean(axis=0)


def _fall_shape(lead: np.ndarray, quiet: np.ndarray, central: slice, skip: np.ndarray, *, dof_bin: float,
                min_db: float, pfa: float) -> bool:
    """Did a fall of the floor take away a spectrum of its own? lead, quiet: chunk mean spectra
    (float[m, nfft], each chunk the mean of equally many rows) before and after it; central:
    the bins read, in FALL_SUB_BANDS sub-bands, less those in `skip` (the DC offset).

    Per sub-band, E = lead / quiet - 1 (medians over the chunks): the power taken away over the
    floor left. A change of the receiver's gain scales the floor: E alike in every sub-band (but
    for the converter's own fixed noise). An emission that stopped leaves its spectrum (a slope, a
    ripple, its edges): E, smoothed over 3 sub-bands, spans `min_db` or more, and departs from a
    constant by more than its estimation noise (chi-square test at `pfa`; the noise of each
    sub-band's median of chunk means: the larger of the chi-square law's, `dof_bin` degrees of
    freedom per bin and frame-row, and the chunks' own scatter). No sub-band may stand RISE_SIGMAS
    higher after the fall than before (another emission came on as the level fell)."""
    sub = _fall_excess(lead, quiet, central, skip, dof_bin=dof_bin)
    if sub is None:
        return False
    e, sig, _spans, q = sub
    if np.any(e < -RISE_SIGMAS * sig):
        return False  # a part of the band stands higher after the fall: something else came on
    w = 1.0 / sig ** 2
    mean = float(np.sum(w * e) / np.sum(w))
    chi2 = float(np.sum(w * (e - mean) ** 2))
    if not chi2 > _chi2_isf(pfa, FALL_SUB_BANDS - 1):
        return False
    es = np.convolve(e, np.ones(3) / 3, mode="valid")
    if float(es.min()) <= 0.0:
        return True  # a part of the band it never raised: an emission's own edges
    if 10 * math.log10(float(es.max()) / float(es.min())) >= min_db:
        return True
    # a ripple of a few cycles across the band (smoothed away over 3 sub-bands): judged against
    # the gain step's own shape, its converter noise and all
    fit = _gain_step_fit(e, w, q)
    if not float(np.sum(w * (e - fit) ** 2)) > _chi2_isf(pfa, FALL_SUB_BANDS - 2) or not np.all(fit > 0):
        return False
    r = e / fit
    return 10 * math.log10(float(r.max()) / float(r.min())) >= FALL_RESIDUAL_DB


def _gain_step_fit(e: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The fall's excess per sub-band (E, weights w) that a step of the receiver's gain leaves,
    fitted (float64[FALL_SUB_BANDS]): the gain scales the floor left (q per sub-band) less the
    converter's own fixed white noise N, so E = (g - 1) (1 - N / q) = A - C x, x = min(q) / q,
    0 <= C <= A (N at most the lowest floor); weighted least squares, C clipped to its range."""
    x = float(q.min()) / q
    sw, sx, sxx = float(w.sum()), float(np.sum(w * x)), float(np.sum(w * x * x))
    se, sxe = float(np.sum(w * e)), float(np.sum(w * x * e))
    det = sw * sxx - sx * sx
    a, c = (se / sw, 0.0) if det <= 1e-12 * sw * sxx else ((sxx * se - sx * sxe) / det, (sx * se - sw * sxe) / det)
    if c < 0.0:
        a, c = se / sw, 0.0  # (no converter noise: the floor scaled alike everywhere)
    elif c > a:
        # (N at the lowest floor: E = A (1 - x))
        u = 1.0 - x
        a = float(np.sum(w * u * e)) / max(float(np.sum(w * u * u)), 1e-300)
        c = a
    return a - c * x


def _fall_excess(lead: np.ndarray, quiet: np.ndarray, central: slice, skip: np.ndarray, *,
                 dof_bin: float) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]], np.ndarray] | None:
    """(E, its noise, the (first, last) bin of each sub-band, the floor left in each) of
    `_fall_shape`, or None where there is too little to read (fewer than 3 chunks either side,
    tiny sub-bands)."""
    if lead.shape[0] < 3 or quiet.shape[0] < 3:
        return None
    idx = np.flatnonzero(~skip[central]) + central.start
    edges = np.linspace(0, idx.shape[0], FALL_SUB_BANDS + 1).round().astype(np.int64)
    counts = np.diff(edges)
    if counts.min() < 4:
        return None

    def subs(ch):
        m = np.add.reduceat(ch[:, idx], edges[:-1], axis=1) / counts
        med = np.median(m, axis=0)
        k = m.shape[0]
        # relative noise of one chunk's sub-band mean: the chi-square law's (CHUNK_ROWS rows per
        # chunk, or more once merged), or the chunks' own scatter; x1.25 for a median of k
        spread = np.std(m / np.maximum(med, 1e-30), axis=0, ddof=1)
        law = math.sqrt(HANN_SUM_VARIANCE * 2.0 / (dof_bin * float(counts.min())))
        return med, 1.25 * np.maximum(spread, law / math.sqrt(CHUNK_ROWS)) / math.sqrt(k)

    lm, ls = subs(np.asarray(lead, dtype=np.float64))
    qm, qs = subs(np.asarray(quiet, dtype=np.float64))
    if not (np.all(qm > 0) and np.all(np.isfinite(lm))):
        return None
    ratio = lm / qm
    spans = [(int(idx[a]), int(idx[b - 1])) for a, b in itertools.pairwise(edges.tolist())]
    return ratio - 1.0, ratio * np.sqrt(ls ** 2 + qs ** 2), spans, qm


def _raised_span(e: np.ndarray, spans: list[tuple[int, int]], nfft: int) -> tuple[int, int]:
    """(lo, hi) bins of the part of the band a fall took away (`_fall_excess`'s E per sub-band):
    the sub-bands from the first to the last where E reaches FALL_RAISED of its largest, one
    sub-band more each side (the band's edges are read in it later); to the band's edge where the
    outermost central sub-band is raised (a band reaching past the central bins)."""
    top = float(e.max())
    up = np.flatnonzero(e >= FALL_RAISED * top) if top > 0 else np.zeros(0, dtype=np.int64)
    if up.shape[0] == 0:
        return 0, nfft - 1
    i, j = int(up[0]), int(up[-1])
    lo = 0 if i == 0 else spans[i - 1][0]
    hi = nfft - 1 if j == len(spans) - 1 else spans[j + 1][1]
    return lo, hi


def _comb(grp, mem, bands) -> tuple:
    """(lines, bands) of a group: `combs.line_positions` of its mean spectrum over its
    reference within its bands (for `combs.same_comb`)."""
    b = bands(grp, mem)
    n_on = max(sum(t.n_on for t in mem), 1)
    return combs.line_positions(sum(t.spec for t in mem) / n_on, sum(t.ref for t in mem) / n_on, b), b


def _joined_bands(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Bands (bins) with those that are _adjacent merged into the span they cover, sorted."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(bands):
        if out and _adjacent(out[-1][0], out[-1][1], lo, hi):
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    # a merged span may now reach a band passed over before it: merge again until none do
    return out if len(out) == len(bands) else _joined_bands(out)


def _split_by_density(item: tuple, P: np.ndarray, ref: np.ndarray) -> list[tuple]:
    """The (lo, hi, excess, peak) parts of one row segment `item` that hold emitters of different
    excess density (see SPLIT_DENSITY_DB), cut in the middle of the gap between them."""
    a, b = item[0], item[1]
    w = SPLIT_BLOCK_BINS
    k = (b - a + 1) // w
    if k < SPLIT_MIN_BLOCKS:
        return [item]
    if one_density(P, ref, a, k, block_bins=w, held=SPLIT_HELD, ratio=10 ** (SPLIT_DENSITY_DB / 10)):
        return [item]  # (the common case, in a kernel; near a tie the numpy below decides)
    ex = np.maximum(P[a:a + k * w] - ref[a:a + k * w], 0.0) / np.maximum(ref[a:a + k * w], 1e-30)
    dens = ex.reshape(k, w).mean(axis=1)
    held = dens >= SPLIT_HELD
    if not held.any() or dens[held].max() < 10 ** (SPLIT_DENSITY_DB / 10) * dens[held].min():
        return [item]  # (the common case: one density throughout)
    runs = segments(held, 0)
    runs = runs[runs[:, 1] - runs[:, 0] + 1 >= SPLIT_RUN_BLOCKS]  # broad emissions only
    if runs.shape[0] < 2:
        return [item]
    med = [float(np.median(dens[r0:r1 + 1])) for r0, r1 in runs]
    cuts = [a]
    for i in range(runs.shape[0] - 1):
        hi_d, lo_d = max(med[i], med[i + 1]), min(med[i], med[i + 1])
        if hi_d >= 10 ** (SPLIT_DENSITY_DB / 10) * lo_d:
            cuts.append(a + w * ((int(runs[i, 1]) + 1 + int(runs[i + 1, 0])) // 2))
    if len(cuts) == 1:
        return [item]
    cuts.append(b + 1)
    parts = []
    for lo, hi in itertools.pairwise(cuts):
        d = P[lo:hi] - ref[lo:hi]
        parts.append((lo, hi - 1, float(np.maximum(d, 0.0).sum()), lo + int(np.argmax(P[lo:hi]))))
    return parts


def _probe_period_min(sn) -> float:
    """Least |R| peak height at its period for a sweep the probe reports: PROBE_PERIOD_MIN of the
    snippet's power, or PROBE_REPEAT_SHARE of the band's signal share where the sweep is weaker
    than the noise (a jammer at J/N -5 dB can hold no more than ~0.25 of the snippet's power,
    and repeats all of it)."""
    snr = sn.snr if math.isfinite(sn.snr) and sn.snr > 0 else 0.0
    return min(PROBE_PERIOD_MIN, PROBE_REPEAT_SHARE * snr / (1.0 + snr)) if snr > 0 else PROBE_PERIOD_MIN


def _no_kind(m) -> bool:
    """Did no kind fit at all (`kinds.classify`'s bare unknown)? Where the steadiest window is not
    clean, a stronger packet on it (a chirp-spread-spectrum one, as steady as a jammer, over
    and around part of a sweep's band) hides what the emission is: its clean windows are asked."""
    return m.kind == "unknown" and not m.params


def _nested_window(ev: Event, bin_hz: float) -> int:
    """Fine bins each side of a candidate line inside a wideband jammer's band that its excess is
    judged against: NESTED_WINDOW_BINS, and for a sweep whose comb the bins resolve (lines 1/period
    apart) enough to hold the neighbouring comb lines too - each of its lines stands out of the
    valleys beside it, none over its neighbours."""
    period = ev.params.get("sweep_period_s") if ev.kind == "chirp" else None
    if not period or not period > 0 or not bin_hz > 0:
        return NESTED_WINDOW_BINS
    return max(NESTED_WINDOW_BINS, math.ceil(NESTED_COMB_LINES / (period * bin_hz)))


def _level_db(m: list) -> float:
    """The median excess per bin of tracks `m`'s on-rows, dB."""
    a = _median([e / (top - bottom + 1) for t in m for e, bottom, top in zip(t.excess, t.row_lo, t.row_hi)])
    return 10 * math.log10(max(a, 1e-30))


def _adjacent(lo: int, hi: int, lo2: int, hi2: int) -> bool:
    """Bands (bins) that overlap or lie closer than ADJACENT_FRACTION of their joint span."""
    return max(lo, lo2) - min(hi, hi2) <= ADJACENT_FRACTION * (max(hi, hi2) - min(lo, lo2) + 1)


def _off_periods(rows: list, ev: Event, row_s: float, min_on_s: float) -> list[Event]:
    """The pieces of a steady emission (cw, multitone, noise, hopping, or a pulse train too fast
    for the rows to see its gaps) that was switched off for a while and on again within the hold
    time: [] where it was not. A gap counts as off where it
    lasts OFF_GAP_S or more (rows missed independently, even half of them, do not leave 15 in a
    row) and at least OFF_GAP_RATIO times any other gap of the emission; each piece lasts
    min_on_s or more, with at most MAX_OFF_GAPS such gaps (a slow pulse train has many)."""
    if not (ev.kind in OFF_SPLIT_KINDS or _fast_train(ev)) or len(rows) < 4:
        return []
    r = np.asarray(rows, dtype=np.int64)
    r = r[(r >= math.floor(ev.start_s / row_s + 0.5)) & (r < math.ceil(ev.end_s / row_s - 0.5) + 1)]
    if r.size < 4:
        return []
    gaps = np.diff(r) - 1
    order = np.argsort(gaps)[::-1]
    long = [int(i) for i in order[:MAX_OFF_GAPS + 1] if gaps[i] * row_s >= OFF_GAP_S]
    if not long or len(long) > MAX_OFF_GAPS:
        return []
    rest = np.delete(gaps, long)
    if rest.size and min(gaps[long]) < OFF_GAP_RATIO * max(int(rest.max()), 1):
        return []
    bounds = [ev.start_s]
    for i in sorted(long):
        bounds += [(r[i] + 1) * row_s, r[i + 1] * row_s]
    bounds.append(ev.end_s)
    spans = list(zip(bounds[0::2], bounds[1::2]))
    if any(b - a < min_on_s for a, b in spans):
        return []
    return [replace(ev, start_s=float(a), end_s=float(b)) for a, b in spans]


def _fast_train(ev: Event) -> bool:
    """A pulse train fast enough that an OFF_GAP_S silence misses OFF_GAP_PULSES pulses or more
    (its rows are all on while it runs: a gap that long is the jammer switched off, not its
    duty cycle)."""
    prf = ev.params.get("prf_hz") if ev.kind == "pulsed" else None
    return prf is not None and math.isfinite(prf) and prf * OFF_GAP_S >= OFF_GAP_PULSES


def _strong_rows(mem) -> list:
    """Rows where the tracks' summed excess reaches OFF_LEVEL of its median over their on-rows:
    the emission itself, not a flickering weak line (a DC offset, a noise cell) that joined it."""
    tot: dict = {}
    for t in mem:
        for r, e in zip(t.rows, t.excess):
            tot[r] = tot.get(r, 0.0) + e
    if not tot:
        return []
    med = float(np.median(np.fromiter(tot.values(), dtype=np.float64)))
    return sorted(r for r, e in tot.items() if e >= OFF_LEVEL * med)


def _split_pieces(events: list[Event], pieces: dict) -> list[Event]:
    """Events replaced by their on-periods (see `_off_periods`), where they came through the
    merging unchanged."""
    out = []
    used = set()
    for e in events:
        hit = pieces.get(id(e))
        if hit is not None and hit[0] is e:
            out.extend(hit[1])
            used.add(id(e))
        else:
            out.append(e)
    # a wideband jammer holding a line (see OnlineDetector._nested_line) that the merging joined
    # with another piece of itself: the line is still its own event, the wideband starts and
    # ends where it was seen on
    # (or held a packet's tone, not a line: the wideband alone, one part)
    for key, (orig, parts) in pieces.items():
        if key in used or not (len(parts) == 2 and parts[0].kind == "cw" or len(parts) == 1) \
                or parts[-1].kind != orig.kind:
            continue
        for i, e in enumerate(out):
            if (e.kind == orig.kind and e.jamming and e.start_s <= orig.start_s and e.end_s >= orig.end_s
                    and e.freq_lo_hz <= orig.freq_hi_hz and e.freq_hi_hz >= orig.freq_lo_hz):
                w = parts[-1]
                start = w.start_s if e.start_s == orig.start_s else e.start_s
                end = w.end_s if e.end_s == orig.end_s else e.end_s
                out[i] = replace(e, start_s=start, end_s=end)
                if len(parts) == 1:
                    break
                line = parts[0]
                if line.end_s >= orig.end_s and e.end_s > orig.end_s:
                    line = replace(line, end_s=e.end_s)  # on to the end of the piece it held: on in the next
                out.append(line)
                break
    return sorted(out, key=lambda e: (e.start_s, e.freq_lo_hz))


def _concurrent(a: _Track, b: _Track) -> bool:
    """Was one of the two tracks on in CONCURRENT_ROWS or more rows well inside a run of the
    other (on CONCURRENT_EDGE rows before and after as well), over their recent rows? A hopper
    is on one channel at a time: its channels overlap only in the rows that straddle a hop. An
    emission that comes and goes while another stays on (a beacon inside a multitone's span)
    is a different emitter, not the next hop."""
    ra, rb = a.rows[-CONCURRENT_LOOKBACK:], b.rows[-CONCURRENT_LOOKBACK:]
    if not ra or not rb:
        return False
    for x, y in ((ra, rb), (rb, ra)):
        sx = set(x)
        k = CONCURRENT_EDGE
        inside = sum(1 for r in y if all(r + d in sx for d in range(-k, k + 1)))
        if inside >= CONCURRENT_ROWS:
            return True
    return False


def _steady_line(t: _Track) -> tuple[int, int, int] | None:
    """(lowest, highest peak bin, median row width in bins) of track `t`'s last
    LINE_RECENT_ROWS on-rows where it is a steady carrier (on in LINE_MIN_ROWS rows or more,
    LINE_HELD of those peaks within LINE_STEADY_BINS of their median - a packet that merged with
    it in a row or two moves that row's peak -, a median row width of LINE_MAX_BINS or less),
    else None; the peak bins are those near the median."""
    if t.wide or t.n_on < LINE_MIN_ROWS:
        return None
    if t.line[0] == t.n_on:
        return t.line[1]
    t.line = (t.n_on, _line_of(t))
    return t.line[1]


def _line_of(t: _Track) -> tuple[int, int, int] | None:
    pk = sorted(t.peak[-LINE_RECENT_ROWS:])
    c = pk[len(pk) // 2]
    near = [p for p in pk if abs(p - c) <= LINE_STEADY_BINS]
    if len(near) < LINE_HELD * len(pk):
        return None
    a, b = near[0], near[-1]
    widths = sorted(h - l + 1 for l, h in zip(t.row_lo[-LINE_RECENT_ROWS:], t.row_hi[-LINE_RECENT_ROWS:]))
    w = widths[len(widths) // 2]
    if w > LINE_MAX_BINS:
        return None
    return int(a), int(b), int(w)


def _packet_beside_line(line, other) -> bool:
    """Are the tracks `line` a steady carrier (`_lines_only`) and `other` on in under
    PACKET_BESIDE_SHARE of its rows, wider than a line (LINE_MAX_BINS), none of them a line? A
    carrier holds its line for seconds; a wider member on for a few rows beside it is another
    emission (a packet), and joined to it would make the group's kind neither."""
    if not line or not other or not _lines_only(line):
        return False
    if any(_steady_line(t) is not None for t in other):
        return False
    n_line = sum(t.n_on for t in line)
    return (sum(t.n_on for t in other) < PACKET_BESIDE_SHARE * n_line
            and max(t.hi for t in other) - min(t.lo for t in other) + 1 > LINE_MAX_BINS)


def _line_bins(mem, n: int) -> np.ndarray:
    """bool per fine bin: held by LINE_ROW_SHARE or more of the row segments of one of the
    steady carriers `mem` (a track may hold several lines it absorbed, or a tone comb's rows),
    and LINE_LOBE_BINS each side. A packet that fell in a carrier's band for a few rows, or
    was joined to its track, holds its bins in a few of them."""
    keep = np.zeros(n, dtype=bool)
    for t in mem:
        cover = np.zeros(n + 1)
        np.add.at(cover, np.asarray(t.row_lo, dtype=np.int64), 1.0)
        np.add.at(cover, np.asarray(t.row_hi, dtype=np.int64) + 1, -1.0)
        held = np.cumsum(cover[:n]) >= LINE_ROW_SHARE * len(t.row_lo)
        for a, b in segments(held, 0).tolist():
            keep[max(0, a - LINE_LOBE_BINS):b + LINE_LOBE_BINS + 1] = True
    return keep


def _lines_only(mem) -> bool:
    """Are all the tracks steady carriers (`_steady_line`)?"""
    return all(_steady_line(t) is not None for t in mem)


def _line_elsewhere(t: _Track, lo: int, hi: int) -> bool:
    """Is track `t` a steady carrier (`_steady_line`) whose line lies outside the segment lo..hi
    (by more than a bin), a segment over HOP_WIDTH_RATIO times as wide as the carrier's rows
    (each at least HOP_WIDTH_MIN_BINS)? Such a segment, however near, is another emission (a
    packet beside it), not the carrier."""
    if hi - lo + 1 <= HOP_WIDTH_RATIO * HOP_WIDTH_MIN_BINS:
        return False  # (narrow: most segments, told without looking at the track)
    line = _steady_line(t)
    return (line is not None and (line[1] < lo - 1 or line[0] > hi + 1)
            and hi - lo + 1 > HOP_WIDTH_RATIO * max(line[2], HOP_WIDTH_MIN_BINS))


def _on_through(t: _Track, row: int) -> bool:
    """Was track `t` on in each of the CO_ONSET_ROWS + 1 rows before `row` (an emission on
    since before it, not one born within co-onset reach of it, nor a weak one lit now and then)?"""
    k = CO_ONSET_ROWS + 1
    i = bisect.bisect_left(t.rows, row)
    return i >= k and t.rows[i - k] == row - k and t.rows[i - 1] == row - 1


def _gaussian_band(ev: Evidence) -> bool:
    """May the band's snippet be noise through a filter (a receiver's passband)? Not where its
    envelope's noise-corrected kappa lies at most KAPPA_SWEEP_MAX and PASSBAND_KAPPA_SIGMAS
    standard errors of a Gaussian's kappa under 2 (a constant envelope: a sweep lying along the
    passband, smooth and steady as the passband itself in its long-term spectrum); unknown (no
    snippet, no signal): may."""
    sn = ev.snip
    if sn is None or not (sn.snr > 0 and math.isfinite(sn.kappa)):
        return True
    flo, fhi = ev.pass_band_hz
    n_eff = sn.n * min(fhi - flo, ev.rate_hz) / ev.rate_hz
    sigma = math.sqrt(20.0 / max(n_eff, 1.0)) * (1.0 + 1.0 / sn.snr) ** 2
    return not (sn.kappa <= KAPPA_SWEEP_MAX and 2.0 - sn.kappa >= PASSBAND_KAPPA_SIGMAS * sigma)


def _band_snr(lo: list, hi: list, excess: list, cum: np.ndarray, enbw: float) -> float:
    """Mean excess of row entries (bins lo..hi, `excess`) over the noise in each one's bins
    (`cum`: the row's noise reference summed bin by bin, a 0 first)."""
    a = np.asarray(lo, dtype=np.int64)
    b = np.asarray(hi, dtype=np.int64)
    x = np.asarray(excess, dtype=np.float64)
    return float(np.mean(x * enbw / np.maximum(cum[b + 1] - cum[a], 1e-30)))


def _steady_level(t: _Track, ref: np.ndarray, enbw: float, seen: dict) -> float:
    """`_band_snr` of track `t`'s last STEADY_FLOOR_ROWS on-rows before the row being read
    (`seen["row"]`; its own segments do not judge each other), where their median width spans
    GROUPS[-1] bins or more (a broad band); math.inf where they do not, or are too few. Read once
    a row for each track (kept in `seen`, with the row's noise summed)."""
    n = STEADY_FLOOR_ROWS
    k = len(t.rows) - (t.rows[-1] == seen["row"])
    key = (t.id, k)
    own = seen.get(key)
    if own is not None:
        return own
    own = math.inf
    if k >= n:
        lo, hi = t.row_lo[k - n:k], t.row_hi[k - n:k]
        if sorted(b - a + 1 for a, b in zip(lo, hi))[n // 2] >= GROUPS[-1]:
            if "cum" not in seen:
                seen["cum"] = np.concatenate(([0.0], np.cumsum(ref)))
            own = _band_snr(lo, hi, t.excess[k - n:k], seen["cum"], enbw)
    seen[key] = own
    return own


def _denser_over(t: _Track, lo: int, hi: int, e: float, ref: np.ndarray, enbw: float, seen: dict) -> bool:
    """Is track `t` a weak steady band (STEADY_FLOOR_ROWS on-rows or more - a weak hump's bins
    cross the row threshold in some rows only -, its last ones at a mean excess of at most
    STEADY_FLOOR_SNR of the noise in their bins; however long ago: a band the emitter covered
    since is still as weak) and the segment lo..hi (excess `e`) JUMP_RATIO times denser per bin?
    A steady band holds its power density from row to row; one that comes on ten times denser
    over it is another emitter switched on over it (a jammer over a receiver's passband hump),
    not the band grown. Both the segment and the band's median row span GROUPS[-1] bins or more
    (a broad band; a few bins' mean scatters too much from row to row to tell a jump): see
    `_steady_level`. `seen`: the row's memo."""
    if t.wide or hi - lo + 1 < GROUPS[-1]:
        return False
    own = _steady_level(t, ref, enbw, seen)
    if not own <= STEADY_FLOOR_SNR:
        return False
    return e / max(float(np.sum(ref[lo:hi + 1])), 1e-30) >= JUMP_RATIO * own


def _lit_by_others(t: _Track, group: list[_Track], r0: int) -> bool:
    """Is the band of track `t`'s recent rows (`recent_band`) inside the segment of another track
    of its group in a row since r0? Tones a few dozen bins apart are each a track while the row
    CFAR separates them; in a row where it bridges them (a packet beside them, the floor's
    fluctuation), one segment holds them all, and the widest track of the group takes it: the
    tone's track is off, though its line never went dark. A hop leaves its channel silent;
    a line its own group still lights is not left."""
    lo, hi = t.recent_band()
    for o in group:
        if o is t or o.wide or o.prev_on < r0:
            continue
        for k in range(len(o.rows) - 1, -1, -1):
            if o.rows[k] < r0:
                break
            if o.row_lo[k] <= lo and o.row_hi[k] >= hi:
                return True
    return False


def _last_run(t: _Track, most: int = HOP_CLEAN_RUN_ROWS) -> int:
    """Rows of track `t`'s last unbroken run of on-rows (counted up to `most`)."""
    rows = t.rows
    k = len(rows) - 1
    while k > 0 and len(rows) - k < most and rows[k - 1] == rows[k] - 1:
        k -= 1
    return len(rows) - k


def _on_inside_run(b: _Track, a: _Track) -> bool:
    """Was track `b` on in a row strictly inside track `a`'s last run of on-rows (neither its
    first nor its last row)? A hopper is on one channel at a time: the channel it goes to is on
    with the one it leaves only in the rows that straddle its hops in and out; a carrier keyed on
    and off in the rows a packet elsewhere lasts is another emitter."""
    n = _last_run(a, most=len(a.rows))
    if n < 3:
        return False
    s, e = a.rows[-n], a.rows[-1]
    return any(s < x < e for x in b.rows[-(e - s + 1 + CONCURRENT_EDGE):])


def _same_width(a: _Track, b: _Track) -> bool:
    """Do the two tracks' typical (median) row widths agree within HOP_WIDTH_RATIO (each taken
    as at least HOP_WIDTH_MIN_BINS: a line's few bins jitter at the threshold)?"""
    def width(t):
        w = sorted(h - l + 1 for l, h in zip(t.row_lo[-LINE_RECENT_ROWS:], t.row_hi[-LINE_RECENT_ROWS:]))
        return max(float(w[len(w) // 2]) if w else float(t.hi - t.lo + 1), HOP_WIDTH_MIN_BINS)
    wa, wb = width(a), width(b)
    return max(wa, wb) <= HOP_WIDTH_RATIO * min(wa, wb)


def _holds_band(e: Event, k: Event) -> bool:
    """Does `e` span the band of `k` and more than twice its width (the piece of one keyed
    emitter that holds most of its band)?"""
    we, wk = e.freq_hi_hz - e.freq_lo_hz, k.freq_hi_hz - k.freq_lo_hz
    return we > 2 * wk and e.freq_lo_hz <= k.freq_lo_hz and e.freq_hi_hz >= k.freq_hi_hz


def _carrier_of_spread(wide: Event, narrow: Event) -> Event:
    """The piece of one keyed emitter that says what is keyed: `narrow` where it is a keyed
    carrier (pulsed cw or multitone, its tones read) holding at least CARRIER_HOLDS of the
    power of `wide` (both while on), and `wide` none, else `wide`. A carrier keyed with sharp edges spreads its
    power over sinc side lobes across the band, which a floor rise reads as a keyed band of its
    own, holding little more than the carrier; a keyed sweep's comb line holds one of its B T
    lines' share."""
    carrier = ("cw", "multitone")
    if (narrow.kind == "pulsed" and narrow.params.get("base_kind") in carrier and narrow.params.get("tones_hz")
            and wide.params.get("base_kind") not in carrier
            and narrow.power_dbfs - wide.power_dbfs >= 10 * math.log10(CARRIER_HOLDS)):
        return narrow
    return wide


def _seen_by_rows(events: list[Event], keyed: list[Event]) -> list[Event]:
    """Events without the keyed look's trains that the rows' tracks also found (a jamming event
    keyed at the same rate over at least half the train's time): the rows measure those better.
    (A shorter piece the rows saw is merged into the train by `merge_fragments`.)"""
    drop = set()
    for k in keyed:
        pk = k.params.get("prf_hz")
        for e in events:
            if e is k or any(e is q for q in keyed) or not e.jamming or not pk:
                continue
            pe = e.params.get("prf_hz")
            if (pe and abs(pe - pk) <= PRF_SAME * pk
                    and min(e.end_s, k.end_s) - max(e.start_s, k.start_s) >= 0.5 * (k.end_s - k.start_s)):
                drop.add(id(k))
                break
    return [e for e in events if id(e) not in drop]


def _comb_beats(events: list[Event], keyed: list[Event], bin_hz: float) -> list[Event]:
    """Events without the keyed look's trains that are the beat of a multitone the rows' tracks
    found: three or more tones evenly spaced (`multitone.even_grid`) whose mean spacing is the
    train's PRF within COMB_BEAT_BINS fine bins, over at least half the train's time, in its
    band. Tones d apart beat with period 1/d: the whole band's envelope is a train at PRF d,
    though none is keyed; the rows' look judged the lines' envelope against keying (a keyed
    carrier's side lines are its own, `Evidence._keying_refuted`) and found tones (gen3 seed 17's
    044: five tones 3.45 kHz apart read by the keyed look as a carrier keyed at 3453 Hz)."""
    drop = set()
    for k in keyed:
        pk = k.params.get("prf_hz")
        if not pk:
            continue
        for e in events:
            f = sorted(e.params.get("tones_hz") or [])
            if (e.kind != "multitone" or not e.jamming or any(e is q for q in keyed) or len(f) < 3
                    or not multitone.even_grid(f, bin_hz)):
                continue
            if (abs((f[-1] - f[0]) / (len(f) - 1) - pk) <= COMB_BEAT_BINS * bin_hz
                    and min(e.end_s, k.end_s) - max(e.start_s, k.start_s) >= 0.5 * (k.end_s - k.start_s)
                    and e.freq_lo_hz <= k.freq_hi_hz and e.freq_hi_hz >= k.freq_lo_hz):
                drop.add(id(k))
                break
    return [e for e in events if id(e) not in drop]


def _sweep_passes(events: list[Event]) -> list[Event]:
    """Events without the pulse trains of swept pulses that are a concurrent chirp's own passes:
    a sweep running past the receiver's band leaves it once a period, and where it comes back
    (its alias beyond the band edge, or a stretch of its band tracked apart) is seen as pulses
    at 1 / its period. A keyed sweeper keys on a clock of its own: a train whose rate agrees
    with the sweep's within PRF_SAME, on over at least half its time, is the sweep's."""
    chirps = [(1.0 / c.params["sweep_period_s"], c) for c in events
              if c.kind == "chirp" and c.jamming and (c.params.get("sweep_period_s") or 0) > 0]
    if not chirps:
        return events
    drop = set()
    for e in events:
        pk = e.params.get("prf_hz") if e.kind == "pulsed" and e.params.get("base_kind") == "chirp" else None
        if not pk:
            continue
        for rate, c in chirps:
            if (abs(rate - pk) <= PRF_SAME * pk
                    and min(e.end_s, c.end_s) - max(e.start_s, c.start_s) >= 0.5 * (e.end_s - e.start_s)):
                drop.add(id(e))
                break
    return [e for e in events if id(e) not in drop]


def _sweep_lines(events: list[Event]) -> list[Event]:
    """Events without the multitones that are a concurrent chirp's own comb: a sweep repeating
    every T has a spectrum of lines k / T apart, which a look that cannot fold it (its band cut
    by notches, the sweep's skirts lifting the floor it was judged over) reads as tones. A
    multitone on over at least half its time with a chirp, overlapping its band, whose tones lie
    on the chirp's comb (`_on_comb`) is the chirp's: the chirp keeps the time both span."""
    chirps = [i for i, c in enumerate(events)
              if c.kind == "chirp" and c.jamming and (c.params.get("sweep_period_s") or 0) > 0]
    if not chirps:
        return events
    drop, span = set(), {}
    for j, e in enumerate(events):
        if e.kind != "multitone" or not e.jamming:
            continue
        for i in chirps:
            c = events[i]
            if _co_timed_band(e, c) and _on_comb(e.params.get("tones_hz") or [], c.params["sweep_period_s"]):
                drop.add(j)
                a, b = span.get(i, (c.start_s, c.end_s))
                span[i] = (min(a, e.start_s), max(b, e.end_s))
                break
    return [replace(e, start_s=span[i][0], end_s=span[i][1]) if i in span else e
            for i, e in enumerate(events) if i not in drop]


def _on_comb(tones_hz: list[float], period_s: float) -> bool:
    """Do most of the tones (COMB_TONES_MIN, and half of them; the rest: spurs of the sweep's
    sampling, its reset falling between samples) lie on one grid 1 / period_s apart, each within
    COMB_TONE_TOL of a spacing? Tones of another emitter fall anywhere on it."""
    x = np.asarray(tones_hz, dtype=np.float64) * period_s
    if x.size < COMB_TONES_MIN:
        return False
    d = x[:, None] - x[None, :]
    on = int(np.max(np.sum(np.abs(d - np.round(d)) <= COMB_TONE_TOL, axis=0)))
    return on >= max(COMB_TONES_MIN, 0.5 * x.size)


def _co_timed_band(e: Event, c: Event) -> bool:
    """Is `e` on over at least half its time with `c`, their bands overlapping?"""
    t_ov = min(e.end_s, c.end_s) - max(e.start_s, c.start_s)
    return t_ov >= 0.5 * (e.end_s - e.start_s) and min(e.freq_hi_hz, c.freq_hi_hz) > max(e.freq_lo_hz, c.freq_lo_hz)


def _mirror_stronger(ev: Evidence) -> bool:
    """Is the emission's band (`ev.band_hz`) an IQ image: is IMAGE_SHARE or more of its excess
    over the reference in bins whose mirror about the tuned frequency holds IMAGE_REJECTION_DB
    more, in the same rows (the evidence's spectrum is of whole rows)? A receiver's IQ imbalance
    leaves a mirror of every strong emission 25-40 dB under it, whatever the emission (a pager's
    FSK mirrored reads as a hopper or a noise band), copying its shape bin by bin: a weak wide
    emission whose mirror merely holds a strong narrow one is no image of it. The tracker may
    have joined the source to a larger group, so the events alone need not show it (where they
    do, and the group's spectrum leaves the other emissions out, `_iq_images` finds it). A band
    holding 0 Hz is its own mirror and never an image."""
    off = ev.offsets_hz
    lo_hz, hi_hz = ev.band_hz
    lo, hi = int(np.searchsorted(off, lo_hz)), int(np.searchsorted(off, hi_hz, side="right")) - 1
    if hi < lo or off[lo] <= 0.0 <= off[hi]:
        return False
    mirror = np.searchsorted(off, -off[lo:hi + 1])
    if mirror.min() <= 0 or mirror.max() >= off.size:
        return False  # (at the band's far edge: no mirror in the spectrum)
    own = ev.spec_on[lo:hi + 1] - ev.ref[lo:hi + 1]
    other = np.clip(ev.spec_on[mirror] - ev.ref[mirror], 0.0, None)
    # (the band's total excess, the noise's ups and downs cancelling; the part of each bin's
    # excess its mirror, IMAGE_REJECTION_DB down, can explain)
    total = float(np.sum(own))
    explained = float(np.sum(np.minimum(np.clip(own, 0.0, None), other / IMAGE_RATIO)))
    return total > 0.0 and explained >= IMAGE_SHARE * total


def _iq_images(events: list[Event], center_hz: float, bin_hz: float, tol_s: float) -> list[Event]:
    """`events` less the IQ images of stronger emissions. A receiver's IQ gain and phase
    imbalance (0.1-1 dB, 1-4 degrees on an RTL-SDR) leaves a mirror, about the tuned frequency
    `center_hz`, of every strong emission 25-40 dB under it, on whenever the emission is: the
    receiver's, not an emission. A jamming event is such an image of another event when
      - each of its tones lies within a fine bin (`bin_hz`) of the mirror of a tone of the other,
        on and off with it (within `tol_s`) and IMAGE_REJECTION_DB or more weaker (the rows'
        segments drop it where the line's row stands out by that much; a tone of a bin's width
        reads weaker in some rows and its mirror is tracked), or
      - it has no tones, its band mirrored lies within the other's band (to a bin), it is on
        only while the other is (a weak image is seen for part of the time), and its power
        spectral density is IMAGE_REJECTION_DB or more under the other's: a pager's FSK
        mirrored reads as a two-channel hopper far under the floor of the traffic it copies."""
    def tones(e):
        return np.asarray(e.params.get("tones_hz") or [], dtype=np.float64)

    def density(e):
        return e.power_dbfs - 10 * math.log10(max(e.freq_hi_hz - e.freq_lo_hz, bin_hz))

    def tone_image(w, s):
        tw, ts = tones(w), tones(s)
        return (tw.size > 0 and ts.size > 0 and s.power_dbfs - w.power_dbfs >= IMAGE_REJECTION_DB
                and abs(w.start_s - s.start_s) <= tol_s and abs(w.end_s - s.end_s) <= tol_s
                and all(float(np.min(np.abs((t - center_hz) + (ts - center_hz)))) <= bin_hz for t in tw))

    def band_image(w, s):
        lo, hi = 2 * center_hz - w.freq_hi_hz, 2 * center_hz - w.freq_lo_hz
        return (tones(w).size == 0 and density(s) - density(w) >= IMAGE_REJECTION_DB
                and s.freq_lo_hz - bin_hz <= lo and hi <= s.freq_hi_hz + bin_hz
                and w.start_s >= s.start_s - tol_s and w.end_s <= s.end_s + tol_s)

    return [w for w in events if not (w.jamming and any(
        s is not w and (tone_image(w, s) or band_image(w, s)) for s in events))]


def _co_timed_tones(events: list[Event], tol_s: float, bin_hz: float) -> list[Event]:
    """Narrow carriers (cw, multitone, pulsed cw/multitone) switched on and off together are one
    multitone (or one pulsed multitone): the tracker may have seen their tones as separate.
    Carriers read twice (`_same_carriers`, tones within `bin_hz`) are kept once."""
    def tonal(e):
        return e.jamming and (e.kind in ("cw", "multitone") or
                              e.kind == "pulsed" and e.params.get("base_kind") in ("cw", "multitone"))

    out = list(events)
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if not (tonal(a) and tonal(b)):
                    continue
                if abs(a.start_s - b.start_s) > tol_s or abs(a.end_s - b.end_s) > tol_s:
                    continue
                if _same_carriers(a, b, bin_hz):
                    # carriers the tracker followed twice: the reading of more tones (or the
                    # stronger), not their sum
                    if _tone_count(b) > _tone_count(a) or (
                            _tone_count(b) == _tone_count(a) and b.power_dbfs > a.power_dbfs):
                        out[i] = b
                    del out[j]
                    changed = True
                    break
                keyed = a.kind == "pulsed" or b.kind == "pulsed"
                tones = sorted(set(a.params.get("tones_hz", [])) | set(b.params.get("tones_hz", [])))
                main = a if a.kind == "pulsed" or not keyed else b
                params = dict(main.params)
                params["tones_hz"] = tones
                if keyed:
                    params["base_kind"] = "multitone"
                pw = 10 * math.log10(10 ** (a.power_dbfs / 10) + 10 ** (b.power_dbfs / 10))
                out[i] = Event(start_s=min(a.start_s, b.start_s), end_s=max(a.end_s, b.end_s),
                               freq_lo_hz=min(a.freq_lo_hz, b.freq_lo_hz), freq_hi_hz=max(a.freq_hi_hz, b.freq_hi_hz),
                               kind="pulsed" if keyed else "multitone", jamming=True, power_dbfs=pw,
                               jn_db=a.jn_db + pw - a.power_dbfs, confidence=max(a.confidence, b.confidence),
                               params=params)
                del out[j]
                changed = True
                break
            if changed:
                break
    return out


def _tone_count(e: Event) -> int:
    return len(e.params.get("tones_hz") or [])


def _same_carriers(a: Event, b: Event, bin_hz: float) -> bool:
    """Are the tones of one of two events each within one fine bin (`bin_hz`) of a tone of the
    other: the same carriers read twice (by two tracks or two groups of the same lines)? Tones
    a bin apart are not resolved: one oscillator each (drift and phase noise move it by a few
    Hz, far less than a bin), whose power both readings hold in full - summed as new tones, the
    power would be counted twice (three readings of one two-tone jammer: +4.8 dB)."""
    ta, tb = a.params.get("tones_hz") or [], b.params.get("tones_hz") or []
    if not ta or not tb:
        return False
    few, many = (ta, np.asarray(tb)) if len(ta) <= len(tb) else (tb, np.asarray(ta))
    return all(float(np.min(np.abs(many - t))) <= bin_hz for t in few)


def merge_fragments(events: list[Event], *, hold_s: float, phase=None) -> list[Event]:
    """Fold fragments into the jamming event they belong to; events sorted by start.

    A fragment overlaps a longer jamming event in time (half its own duration or more, after
    widening the longer one by `hold_s`) and in frequency (half the narrower band or more, or
    lying within 10 % of the longer event's width from its edges): a piece of the same
    emission that the tracker split off (a slow sweep seen in two places at once, a side
    lobe). The longer event's times are widened to cover it. A piece not called jamming within
    its times (and the hold time) is dropped; where it is the jammer's own onset or end seen by
    another track (`_own_edge`), the jammer's times cover it.

    Two pulse trains at one rate are one keyed emitter only where they pulse together: where
    `phase(a, b)` (the phase by which b's pulses follow a's, or None where unknown) says they
    pulse in turn, they are kept apart, or, half a period apart in two separate bands, made one
    triangle sweep (`_turning_sweep`).
    """
    evs = sorted(events, key=lambda e: -(e.end_s - e.start_s) * (2 if e.jamming else 1))
    # a floor rise seen beside a partial-band noise it contains is that noise's own skirts
    wide = [e for e in evs if e.jamming and e.kind == "noise" and e.params.get("bandwidth_hz", 0) > 0]
    drop = set()
    for w in wide:
        for e in wide:
            if e is w or id(e) in drop:
                continue
            bw_w, bw_e = w.freq_hi_hz - w.freq_lo_hz, e.freq_hi_hz - e.freq_lo_hz
            t_ov = min(w.end_s, e.end_s) - max(w.start_s, e.start_s)
            if (bw_e < 0.8 * bw_w and e.freq_lo_hz >= w.freq_lo_hz - 0.05 * bw_w
                    and e.freq_hi_hz <= w.freq_hi_hz + 0.05 * bw_w and t_ov >= 0.8 * (w.end_s - w.start_s)):
                drop.add(id(w))
    evs = _fold_band_filling_noise([e for e in evs if id(e) not in drop])
    kept: list[Event] = []
    for e in evs:
        merged = False
        for i, k in enumerate(kept):
            if not k.jamming:
                continue
            t_ov = min(e.end_s, k.end_s + hold_s) - max(e.start_s, k.start_s - hold_s)
            if t_ov < 0.5 * (e.end_s - e.start_s):
                continue
            pk, pe = k.params.get("prf_hz"), e.params.get("prf_hz")
            if e.jamming and pk and pe and abs(pk - pe) <= PRF_SAME * pk and e.kind == k.kind:
                d = phase(k, e) if phase is not None else None
                dk, de = k.params.get("duty_cycle", 0.0), e.params.get("duty_cycle", 0.0)
                if d is not None and in_turn(d, dk, de):
                    if triangle_turns(d, dk, de) and _turns_fit(k, e):
                        kept[i] = _turning_sweep(k, e)
                        merged = True
                        break
                    continue  # pulses in turn: not one keyed emitter
                # one keying rate: one emitter seen in two pieces of the band; the piece holding
                # most of its band says what is keyed (narrow pieces of a keyed sweep are its
                # comb's lines, read as keyed carriers), unless the other is a keyed carrier
                # holding most of its power (the wide piece: the carrier's keying spread); its
                # power is that piece's, read with the duty its params say (the larger of two
                # readings each divided by a duty of its own is biased up: a low-duty train's
                # narrow piece reads the duty short and the power high)
                b = e if _holds_band(e, k) else k
                b = _carrier_of_spread(b, k if b is e else e)
                kept[i] = Event(start_s=min(k.start_s, e.start_s), end_s=max(k.end_s, e.end_s),
                                freq_lo_hz=min(k.freq_lo_hz, e.freq_lo_hz), freq_hi_hz=max(k.freq_hi_hz, e.freq_hi_hz),
                                kind=k.kind, jamming=True, power_dbfs=b.power_dbfs, jn_db=b.jn_db,
                                confidence=max(k.confidence, e.confidence), params=b.params)
                merged = True
                break
            kw = max(k.freq_hi_hz - k.freq_lo_hz, 1.0)
            lo, hi = k.freq_lo_hz - 0.1 * kw, k.freq_hi_hz + 0.1 * kw
            f_ov = min(e.freq_hi_hz, hi) - max(e.freq_lo_hz, lo)
            ew = max(e.freq_hi_hz - e.freq_lo_hz, 0.0)
            if f_ov < 0 or (ew > 0 and f_ov < 0.5 * min(ew, kw)):
                continue
            if e.jamming and e.kind != k.kind and k.kind not in ("hopping",) and ew > 0.5 * kw:
                continue  # a different emission sharing the band
            if e.jamming and e.kind != k.kind and k.kind == "hopping" and (
                    min(e.end_s, k.end_s) - max(e.start_s, k.start_s) < 0.5 * (e.end_s - e.start_s)):
                continue  # a hopper's channel is on only while the hopper is: mostly after or before it, another emission
            if _wider_elsewhere(e, k, f_ov):
                continue  # a wider jammer mostly outside k's band: its own emission, no piece of k
            if not e.jamming:
                if e.start_s >= k.start_s - hold_s and e.end_s <= k.end_s + hold_s:
                    merged = True  # a piece of the jammer's band the tracker split off
                    if _own_edge(e, k):
                        kept[i] = replace(k, start_s=min(k.start_s, e.start_s), end_s=max(k.end_s, e.end_s))
                    break
                continue
            # (one emission of one kind read twice, each on the window its piece was judged on,
            # which holds it for part of the time at most - a window reaching back before it
            # began, over weak emitters the hold time joined to it: the stronger reading, its
            # J/N against the noise of its own time, is the nearer)
            p = e if e.kind == k.kind and e.jn_db > k.jn_db else k
            kept[i] = Event(start_s=min(k.start_s, e.start_s), end_s=max(k.end_s, e.end_s),
                            freq_lo_hz=k.freq_lo_hz, freq_hi_hz=k.freq_hi_hz, kind=k.kind, jamming=k.jamming,
                            power_dbfs=p.power_dbfs, jn_db=p.jn_db, confidence=k.confidence, params=k.params)
            merged = True
            break
        if not merged:
            kept.append(e)
    return sorted(kept, key=lambda e: (e.start_s, e.freq_lo_hz))


def _own_edge(e: Event, k: Event) -> bool:
    """Is `e` (an event not called jamming, a piece of jammer `k`'s band) k's own first or last
    rows, seen by another track? It runs up to k's start (or on from its end) within EDGE_GAP_S,
    at k's level (J/N within EDGE_LEVEL_DB), on in its rows (EDGE_ON_SHARE). The floor-rise test
    (and the probe) take a wide jammer over some rows after it began - smoothed levels, a quiet
    reference - and the narrow tracks that saw its first rows stop when the rows go to the wide
    track: their short event (a burst) is its onset; a track split at a jammer's end likewise
    leaves its last rows a burst of their own."""
    touches = (e.start_s < k.start_s <= e.end_s + EDGE_GAP_S) or (e.start_s - EDGE_GAP_S <= k.end_s < e.end_s)
    held = e.params.get("duty_cycle", 0.0) >= EDGE_ON_SHARE
    return touches and held and abs(e.jn_db - k.jn_db) <= EDGE_LEVEL_DB


def _wider_elsewhere(e: Event, k: Event, f_ov: float) -> bool:
    """Is jamming event `e` a pulse train at a rate of its own (k keyed at another: `merge_fragments`
    has joined those at one rate), wider than `k`, with most of its band outside k's (widened)
    band (`f_ov` the overlap, Hz)? A piece the tracker split off an emission lies in that
    emission's band and keeps its keying; a wide keyed sweep over a keyed carrier at the
    receiver's DC is an emission of its own, and folding it in would lose its band."""
    ew, kw = e.freq_hi_hz - e.freq_lo_hz, k.freq_hi_hz - k.freq_lo_hz
    keyed_apart = e.kind == k.kind == "pulsed" and bool(e.params.get("prf_hz")) and bool(k.params.get("prf_hz"))
    return e.jamming and keyed_apart and ew > 2.0 * kw and f_ov < 0.5 * ew


def _turns_fit(a: Event, b: Event) -> bool:
    """Could the two pulse trains be a triangle sweep's turning regions? They lie apart in
    frequency, and each is on for about its share of the band between their outer edges (within
    TURN_DUTY_RATIO): a linear triangle is in a band of width w at its end for w/B of each
    period (out to the turn and back), whereas a carrier hopping onto a channel stays there its
    dwell, whatever the channel's width."""
    if not (a.freq_lo_hz > b.freq_hi_hz or b.freq_lo_hz > a.freq_hi_hz):
        return False
    bw = max(a.freq_hi_hz, b.freq_hi_hz) - min(a.freq_lo_hz, b.freq_lo_hz)
    for e in (a, b):
        share = (e.freq_hi_hz - e.freq_lo_hz) / bw
        duty = e.params.get("duty_cycle", 0.0)
        if not (share > 0 and duty > 0 and 1 / TURN_DUTY_RATIO <= duty / share <= TURN_DUTY_RATIO):
            return False
    return True


def _turning_sweep(a: Event, b: Event) -> Event:
    """One triangle sweep from the two trains of its turning regions (`a`, `b`: pulsed, one at
    each end of its band, pulsing half a period apart): a slow sweep dwells longest where it
    turns, so the rows see it there only. Its band runs between the two pieces' outer edges,
    its period is the trains' (one turn at each end per period), its rate twice the band per
    period. A linear sweep spreads its power evenly over its band: its power is the pieces'
    mean powers over their share of the band (J/N against the same whole-band noise)."""
    lo, hi = min(a.freq_lo_hz, b.freq_lo_hz), max(a.freq_hi_hz, b.freq_hi_hz)
    bw = hi - lo
    period = 2.0 / (a.params["prf_hz"] + b.params["prf_hz"])
    top = a if a.power_dbfs >= b.power_dbfs else b
    mean = sum(10 ** (e.power_dbfs / 10) * e.params.get("duty_cycle", 1.0) for e in (a, b) if math.isfinite(e.power_dbfs))
    share = (a.freq_hi_hz - a.freq_lo_hz + b.freq_hi_hz - b.freq_lo_hz) / bw if bw > 0 else 0.0
    power = 10 * math.log10(mean / share) if mean > 0 and share > 0 else top.power_dbfs
    params = {"sweep_rate_hz_per_s": 2 * bw / period, "sweep_period_s": period, "sweep_shape": "triangle",
              "bandwidth_hz": bw}
    return Event(start_s=min(a.start_s, b.start_s), end_s=max(a.end_s, b.end_s), freq_lo_hz=lo, freq_hi_hz=hi,
                 kind="chirp", jamming=True, power_dbfs=float(power), jn_db=float(top.jn_db + power - top.power_dbfs),
                 confidence=max(a.confidence, b.confidence), params=params)


def _fold_band_filling_noise(evs: list[Event]) -> list[Event]:
    """A floor rise (noise over the whole band) and a noise filling most of it (>= 80 % of its
    width, >= 80 % of its time) are one emission that the tracker saw twice: the band-filling
    noise lifts the row quantile (a rise) while the CFAR also finds it. Where the floor rise's
    power left the other's band out (the rise rows notch it: then it holds only what lies outside
    that band, NOTCHED_RISE_DB or more under the other's), the one event carries the sum of both
    powers; else the floor rise's power holds the band already (a floor fall's rows are measured
    whole; two measures of one power differ by their estimation noise): the larger of the two."""
    out = list(evs)
    for w in evs:
        if not (w.jamming and w.kind == "noise") or w not in out:
            continue
        bw_w, dur_w = w.freq_hi_hz - w.freq_lo_hz, w.end_s - w.start_s
        for e in list(out):
            if e is w or not (e.jamming and e.kind == "noise"):
                continue
            bw_e = e.freq_hi_hz - e.freq_lo_hz
            t_ov = min(w.end_s, e.end_s) - max(w.start_s, e.start_s)
            if not (0.8 * bw_w <= bw_e < bw_w and e.freq_lo_hz >= w.freq_lo_hz - 0.05 * bw_w
                    and e.freq_hi_hz <= w.freq_hi_hz + 0.05 * bw_w and t_ov >= 0.8 * dur_w
                    and t_ov >= 0.8 * (e.end_s - e.start_s)):
                continue
            pw = max(w.power_dbfs, e.power_dbfs)
            if w.power_dbfs < e.power_dbfs - NOTCHED_RISE_DB:
                pw = 10 * math.log10(10 ** (w.power_dbfs / 10) + 10 ** (e.power_dbfs / 10))
            folded = Event(start_s=min(w.start_s, e.start_s), end_s=max(w.end_s, e.end_s),
                           freq_lo_hz=w.freq_lo_hz, freq_hi_hz=w.freq_hi_hz, kind=w.kind, jamming=True,
                           power_dbfs=pw, jn_db=w.jn_db + pw - w.power_dbfs,
                           confidence=max(w.confidence, e.confidence), params=w.params)
            out[out.index(w)] = folded
            out.remove(e)
            w = folded
    return out


def _steady_ends(excess: np.ndarray, on: np.ndarray, width: np.ndarray, *, gap_rows: int) -> tuple[int, int]:
    """(a, b): the rows of a steady emission kept once the rows at either end that are another
    emitter are cut: where its longest run of on-rows (gaps of at most ISLAND_GAP_ROWS) is on in
    WINDOW_STEADY_ON of its rows and holds its level (within WINDOW_STEADY_RATIO of their median)
    in WINDOW_STEADY_LIFE of them (a noise band, a carrier, a fast sweep: its rows all alike),
    its extent runs on from that run through rows at its level (or over it and spanning its band:
    a packet on it) less than `gap_rows` apart; the on-rows beyond, where most of them stand off
    its level and span (`width`: lowest to highest bin of a row's segments) under
    NARROW_END_SHARE of what its rows span (their median), are
    other emitters the hold time joined to it after it stopped (or before it began) - a stronger
    LoRa packet beside a noise band, a beacon, the noise cells the row CFAR lets through: one
    emission spans its band in each row (`_narrow_ends`). Where they stand at its level, it was
    switched off and on again (`_off_periods` splits it); where they span its band, they are its
    own weaker rows: nothing is cut. (0, n-1) where nothing is cut or the emission is not steady."""
    n = on.shape[0]
    rows = np.flatnonzero(on)
    if rows.size < 2 * gap_rows:
        return 0, n - 1
    runs = np.split(rows, np.flatnonzero(np.diff(rows) > ISLAND_GAP_ROWS) + 1)
    body = max(runs, key=len)
    r0, r1 = int(body[0]), int(body[-1])
    ex = excess[r0:r1 + 1][on[r0:r1 + 1]]
    level = float(np.median(ex))
    if r1 - r0 + 1 < gap_rows or not level > 0 or body.size < WINDOW_STEADY_ON * (r1 - r0 + 1):
        return 0, n - 1
    dev = np.abs(np.log(np.maximum(excess, 1e-30) / level))
    at_level = on & (dev <= math.log(WINDOW_STEADY_RATIO))
    if np.count_nonzero(at_level[r0:r1 + 1]) < WINDOW_STEADY_LIFE * body.size:
        return 0, n - 1
    span = width >= NARROW_END_SHARE * float(np.median(width[r0:r1 + 1][on[r0:r1 + 1]]))
    other = on & ~at_level & ~span
    inner = np.flatnonzero(at_level[r0:r1 + 1]) + r0
    # (a row over its level that spans its band is its own with a packet on it: its extent runs
    # on through it)
    lv = np.flatnonzero(at_level | (on & span & (excess > level)))
    r0, r1 = int(inner[0]), int(inner[-1])  # (the body's own first and last rows at its level)

    def extent(k0, step):
        # from the body's end row outwards through rows at its level less than gap_rows apart
        pos = lv[lv > k0] if step > 0 else lv[lv < k0][::-1]
        k = k0
        for p in pos.tolist():
            if abs(p - k) >= gap_rows:
                break
            k = p
        return k

    def cut(sel):
        # the on-rows beyond the extent: other emitters where most are narrow and off its level
        o = on[sel]
        return bool(o.any()) and 2 * np.count_nonzero(other[sel]) > np.count_nonzero(o)

    a, b = extent(r0, -1), extent(r1, 1)
    a = a if cut(slice(0, a)) else 0
    b = b if cut(slice(b + 1, n)) else n - 1
    return a, b


def _narrow_ends(row_lo: np.ndarray, row_hi: np.ndarray, on: np.ndarray, *,
                 min_rows: int = NARROW_END_MIN_ROWS) -> tuple[int, int]:
    """(a, b): the rows kept once the on-rows at either end whose segments each span (lowest
    to highest bin: `row_lo`, `row_hi`) under NARROW_END_SHARE of what the emission's on-rows
    span (their median), all in one band of their own, are cut, with the off-rows next to them:
    one emission spans its band in each row it is on (a sweep faster than a row all of it, a
    slower one its stretch of each row, a hopper its channel), so rows at its start or end
    that hold a small part of it, always the same part, are another, narrower emitter the
    tracker joined to it (a packet beside a jammer, on before it began); a weak emission's
    patchy rows hold small parts of it here and there. (0, n-1) where nothing is cut or under
    half of the on-rows would be left; an end stretch of fewer than `min_rows` on-rows stays."""
    n = on.shape[0]
    rows = np.flatnonzero(on)
    if rows.size < 2 * min_rows:
        return 0, n - 1
    lo, hi = row_lo[rows], row_hi[rows]
    occ = hi - lo + 1
    wide = occ >= NARROW_END_SHARE * float(np.median(occ))
    if wide.all():
        return 0, n - 1

    def own_band(sl):
        # the rows' extents overlap on half their median extent or more: one band, its edges
        return float(hi[sl].min() - lo[sl].max() + 1) >= NARROW_END_SHARE * float(np.median(occ[sl]))

    i, j = int(np.argmax(wide)), rows.size - 1 - int(np.argmax(wide[::-1]))
    # (the jammer's own switching edge: fewer than min_rows narrow rows joined to its body, after
    # off-rows that part them from the other emitter's stretch; they stay with the body)
    gaps = np.flatnonzero(np.diff(rows) > 1)
    before = gaps[(gaps < i) & (gaps >= i - min_rows)]
    i_cut = int(before[-1]) + 1 if before.size else i
    after = gaps[(gaps >= j) & (gaps < j + min_rows)]
    j_cut = int(after[0]) if after.size else j
    if i_cut < min_rows or not own_band(slice(0, i_cut)):
        i_cut = 0  # (a row or two at a jammer's switching edge, partly on; its own patchy rows)
    if rows.size - 1 - j_cut < min_rows or not own_band(slice(j_cut + 1, rows.size)):
        j_cut = rows.size - 1
    i, j = i_cut, j_cut
    if i == 0 and j == rows.size - 1 or 2 * (j - i + 1) < rows.size:
        return 0, n - 1
    return int(rows[i]), int(rows[j])


def _foreign_ends(foreign: np.ndarray, on: np.ndarray, excess: np.ndarray, side: np.ndarray) -> tuple[int, int]:
    """(a, b): the rows kept once the longest leading and trailing stretches (ending, resp.
    starting, on a foreign row, at least ISLAND_ROWS foreign rows) in which foreign rows are at
    least half the on-rows are cut, with the off-rows next to them - where that stretch is another
    emitter beside the band: its foreign rows peak on one side of it (`side`: +1 above, -1 below;
    FOREIGN_ONE_SIDE of them) and its median row excess is FOREIGN_LEVEL_RATIO times the rest's
    (a weak or fading emission's own rows peak on noise bins either side, at its own level or
    below). (0, n-1) where nothing is cut or under half of the on-rows would be left."""
    n = on.shape[0]
    if n == 0 or not foreign.any():
        return 0, n - 1

    def lead(fo, o, ex, sd):
        cf, co = np.cumsum(fo), np.cumsum(o)
        ok = fo & (cf >= ISLAND_ROWS) & (2 * cf >= co)
        if not ok.any():
            return 0
        k = int(np.flatnonzero(ok)[-1]) + 1
        cut, rest = ex[:k][o[:k]], ex[k:][o[k:]]
        if rest.size == 0:
            return k
        sides = sd[:k][fo[:k]]
        if max(np.count_nonzero(sides > 0), np.count_nonzero(sides < 0)) < FOREIGN_ONE_SIDE * sides.size:
            return 0  # peaks either side of the band: noise bins, no emitter beside it
        lc, lr = float(np.median(cut)), float(np.median(rest))
        if not (lc > 0 and lr > 0 and lc >= FOREIGN_LEVEL_RATIO * lr):
            return 0  # no stronger than the rest: the emission's own rows, peaking in the noise
        nxt = np.flatnonzero(o[k:])
        return k + int(nxt[0])

    a = lead(foreign, on, excess, side)
    b = n - 1 - lead(foreign[::-1], on[::-1], excess[::-1], side[::-1])
    if b < a or 2 * int(np.count_nonzero(on[a:b + 1] & ~foreign[a:b + 1])) < int(np.count_nonzero(on)):
        return 0, n - 1
    return a, b
