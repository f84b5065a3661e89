"""Detector front end: fine spectrogram rows, noise floors, multi-scale CFAR masks (linear power).

One pass of the spectral engine (`rfkit.dsp.Spectrogram`, Hann window, no overlap) gives rows of
`avg` frames each (about `row_s` long). Per row:

* the row's own noise level `g` (power per bin): a low quantile (`FLOOR_QUANTILE`) over the central
  bins, divided by the same quantile of the chi-square law with 2*avg degrees of freedom, so it is
  unbiased for noise and ignores emissions that fill less than 1 - FLOOR_QUANTILE of the band;
* the floor shape `s[k]` (the receiver's band-edge roll-off, normalised to 1 in the flat middle):
  a slow average of P/g, median-filtered across frequency (narrow lines vanish) and clipped to at
  most `SHAPE_MAX` (a broad emission is never learnt as floor);
* the CFAR mask: bin k is occupied where P/(s*g) exceeds the chi-square threshold for the target
  false-alarm probability, at single-bin scale and summed over groups of `GROUPS` bins (weak
  broad emissions: 64 bins of 2*avg dof each detect a 1 dB rise);
* the whole-band floor rise: g over the quiet reference (the lowest g so far, or the baseline).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import ndimage
from scipy.special import gammainccinv, gammaincinv

from ..dsp import Spectrogram, SpectrumSettings

__all__ = ["FLOOR_QUANTILE", "GROUPS", "FrontEnd", "fine_nfft"]


def _chi2_ppf(q: float, dof: float) -> float:
    """Quantile q of the chi-square law with `dof` degrees of freedom (scipy.stats costs 0.5 s to import)."""
    return 2.0 * float(gammaincinv(0.5 * dof, q))


def _chi2_isf(p: float, dof: float) -> float:
    """The level a chi-square variable with `dof` degrees of freedom exceeds with probability p."""
    return 2.0 * float(gammainccinv(0.5 * dof, p))

#: Quantile of the central bins that sets a row's noise level (robust while emissions fill < 75 %).
FLOOR_QUANTILE = 0.25
#: Fraction of the band (centred) used for the row noise level (the edges roll off).
CENTRAL_FRACTION = 0.8
#: Occupied cells are widened by this many bins before the free-bin noise level is taken.
GUARD_BINS = 2
#: Group sizes (bins) of the multi-scale CFAR besides single bins.
GROUPS = (8, 64)
#: Largest value the floor shape may take (1 = the flat middle), linear (0.5 dB).
SHAPE_MAX = 10 ** (0.5 / 10)
#: Time constant of the floor-shape average, s.
SHAPE_TAU_S = 1.0
#: Half-width of the median filter across frequency for the shape, as a fraction of nfft.
SHAPE_MEDIAN_FRACTION = 1 / 32
#: Hann window: equivalent noise bandwidth (bins); correlated neighbours reduce the dof of a sum.
HANN_ENBW = 1.5
#: FFT sizes allowed for the fine spectrogram.
NFFT_RANGE = (64, 65536)


def fine_nfft(rate_hz: float, bin_hz: float) -> int:
    """The power-of-two FFT size whose bin is nearest `bin_hz` at `rate_hz` (64..65536)."""
    n = 2 ** round(math.log2(max(rate_hz / bin_hz, 1.0)))
    return int(min(max(n, NFFT_RANGE[0]), NFFT_RANGE[1]))


@njit(cache=True)
def _segments(mask, gap, out):  # mask: bool[n], gap: int, out: int64[n, 2] -> count
    """Runs of True in mask, joined across gaps of at most `gap` False bins."""
    n = mask.shape[0]
    m = 0
    i = 0
    while i < n:
        if mask[i]:
            j = i
            while j + 1 < n and mask[j + 1]:
                j += 1
            if m > 0 and i - out[m - 1, 1] - 1 <= gap:
                out[m - 1, 1] = j
            else:
                out[m, 0] = i
                out[m, 1] = j
                m += 1
            i = j + 1
        else:
            i += 1
    return m


@njit(cache=True)
def _segment_info(mask, gap, P, ref, out_seg, out_val):
    """Segments of a row mask with their excess power and peak bin.

    mask: bool[n]; P, ref: float[n]; out_seg: int64[n, 3] (lo, hi, peak); out_val: float64[n]
    (sum of max(P - ref, 0) over the segment). Returns the count.
    """
    m = _segments(mask, gap, out_seg[:, :2])
    for s in range(m):
        lo = out_seg[s, 0]
        hi = out_seg[s, 1]
        e = 0.0
        pk = lo
        best = P[lo]
        for k in range(lo, hi + 1):
            d = P[k] - ref[k]
            if d > 0:
                e += d
            if P[k] > best:
                best = P[k]
                pk = k
        out_seg[s, 2] = pk
        out_val[s] = e
    return m


def abs_stats(x: np.ndarray, clip_level: float | None) -> tuple[float, int]:
    """(largest |I| or |Q|, samples with |I| or |Q| >= clip_level) of complex64 samples.

    The largest magnitude is max(max v, -min v) (two vectorised passes, no temporary); the
    clipped samples are counted only where that reaches the clip level.
    """
    v = np.ascontiguousarray(x, dtype=np.complex64).view(np.float32)
    if v.size == 0:
        return 0.0, 0
    m = max(float(v.max()), -float(v.min()))
    if clip_level is None or m < clip_level:
        return m, 0
    a = np.abs(v) >= clip_level
    return m, int(np.count_nonzero(a[0::2] | a[1::2]))


def segment_info(mask: np.ndarray, gap: int, P: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int64[m, 3] lo/hi/peak bins, float64[m] excess power) of the occupied runs of a row."""
    n = mask.shape[0]
    seg = np.empty((n, 3), dtype=np.int64)
    val = np.empty(n, dtype=np.float64)
    m = _segment_info(np.ascontiguousarray(mask, dtype=np.bool_), int(gap),
                      np.ascontiguousarray(P, dtype=np.float64), np.ascontiguousarray(ref, dtype=np.float64),
                      seg, val)
    return seg[:m], val[:m]


def segments(mask: np.ndarray, gap: int) -> np.ndarray:
    """(lo, hi) bin index pairs (inclusive) of the occupied runs of a row mask, int64[m, 2]."""
    out = np.empty((mask.shape[0], 2), dtype=np.int64)
    m = _segments(np.ascontiguousarray(mask, dtype=np.bool_), int(gap), out)
    return out[:m]


class FrontEnd:
    """Fine spectrogram rows with their noise levels and CFAR masks, block by block."""

    def __init__(self, rate_hz: float, *, fine_bin_hz: float, row_s: float, pfa: float,
                 min_excess_db: float, baseline=None):
        self.rate_hz = float(rate_hz)
        self.nfft = fine_nfft(rate_hz, fine_bin_hz)
        self.avg = max(1, round(row_s * rate_hz / self.nfft))
        self.settings = SpectrumSettings(self.rate_hz, nfft=self.nfft, avg=self.avg, window="hann")
        self.spec = Spectrogram(self.settings)
        self.row_len = self.nfft * self.avg
        self.row_s = self.row_len / self.rate_hz
        self.bin_hz = self.rate_hz / self.nfft
        self.enbw = self.settings.enbw_bins
        self.offsets_hz = (np.arange(self.nfft) - self.nfft // 2) * self.bin_hz
        dof = 2.0 * self.avg
        self.dof = dof
        q = FLOOR_QUANTILE
        self._qcorr = _chi2_ppf(q, dof) / dof
        c0 = int(self.nfft * (1 - CENTRAL_FRACTION) / 2)
        self._central = slice(c0, self.nfft - c0)
        self._qidx = max(0, int(q * (self.nfft - 2 * c0)) - 1)
        floor_excess = 10 ** (min_excess_db / 10)
        self.thr1 = max(_chi2_isf(pfa, dof) / dof, floor_excess)
        self.groups = [g for g in GROUPS if self.nfft // g >= 4]
        self.thrg = {g: max(_chi2_isf(pfa, dof * g / HANN_ENBW) / (dof * g / HANN_ENBW), floor_excess)
                     for g in self.groups}
        self.shape = np.ones(self.nfft, dtype=np.float64)
        self._shape_acc = None
        self._shape_alpha = min(1.0, self.row_s / SHAPE_TAU_S)
        self._shape_rows = 0
        self.g_ref = math.inf  # quietest row level seen (per-bin noise power)
        self.baseline = baseline
        if baseline is not None:
            self.shape = np.asarray(baseline.floor_shape, dtype=np.float64)
            self.g_ref = float(baseline.floor_level)
        self.rows = 0

    # ------------------------------------------------------------------------------------
    def push(self, x: np.ndarray) -> np.ndarray:
        """Rows completed by this block, float32[k, nfft] (linear power per bin, ascending)."""
        return self.spec.push(x)

    def levels(self, rows: np.ndarray) -> np.ndarray:
        """Noise level (power per bin) of each row, float64[k]."""
        c = rows[:, self._central]
        part = np.partition(c, self._qidx, axis=1)[:, self._qidx]
        return part.astype(np.float64) / self._qcorr

    def levels_free(self, rows: np.ndarray, mask: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Noise level of each row from its central bins outside the occupied cells (dilated by
        GUARD_BINS): emissions that fill part of the band do not lift it (a quantile of a mix
        with a fraction o occupied sits at the q/(1-o) quantile of the noise)."""
        c = self._central
        occ = mask[:, c]
        if GUARD_BINS:
            # widen by twice the guard (this also bridges the gaps of a comb of lines)
            occ = ndimage.maximum_filter1d(occ.view(np.uint8), size=4 * GUARD_BINS + 1, axis=1).view(bool)
        vals = np.where(occ, np.inf, rows[:, c])
        nfree = (~occ).sum(axis=1)
        vals.sort(axis=1)
        k = np.maximum(0, (FLOOR_QUANTILE * nfree).astype(np.int64) - 1)
        out = vals[np.arange(rows.shape[0]), np.minimum(k, vals.shape[1] - 1)].astype(np.float64) / self._qcorr
        few = nfree < 0.2 * occ.shape[1]
        out[few] = g[few]  # hardly anything free: the plain level
        return out

    def update_shape(self, rows: np.ndarray, g: np.ndarray) -> None:
        """Fold rows into the slow floor-shape estimate (skipped when a baseline gives it)."""
        if self.baseline is not None or rows.shape[0] == 0:
            return
        ratio = rows / np.maximum(g, 1e-30)[:, None]
        if self._shape_acc is None:
            self._shape_acc = ratio.mean(axis=0).astype(np.float64)
        else:
            a = self._shape_alpha
            for r in ratio:
                self._shape_acc += a * (r - self._shape_acc)
        self._shape_rows += rows.shape[0]
        half = max(2, int(self.nfft * SHAPE_MEDIAN_FRACTION))
        sm = ndimage.median_filter(self._shape_acc, size=2 * half + 1, mode="nearest")
        # the median of chi-square values sits below their mean: correct for the averaged dof
        dof = self.dof * max(1, min(self._shape_rows, int(1 / self._shape_alpha)))
        sm = sm / max(1.0 - 2.0 / (3.0 * dof), 0.5)
        self.shape = np.clip(sm, 1e-3, SHAPE_MAX)

    def masks(self, rows: np.ndarray, g: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
        """Occupied cells of each row (bool[k, nfft]) against `ref` (default shape * row level)."""
        if ref is None:
            ref = self.shape[None, :] * g[:, None]
        z = rows / np.maximum(ref, 1e-30)
        mask = z > self.thr1
        if self.groups:
            zc = np.where(mask, 1.0, z)  # strong lines must not light up their whole group
            k = rows.shape[0]
            for gsz in self.groups:
                zg = zc.reshape(k, self.nfft // gsz, gsz).mean(axis=2) > self.thrg[gsz]
                mask |= np.repeat(zg, gsz, axis=1)
        return mask
