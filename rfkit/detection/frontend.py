"""Detector front end: fine spectrogram rows, noise floors, multi-scale CFAR masks (linear power).

One pass of the spectral engine (`rfkit.dsp.Spectrogram`, Hann window, no overlap) gives rows of
`avg` frames each (about `row_s` long). Per row:

* the row's own noise level `g` (power per bin): a low quantile (`FLOOR_QUANTILE`) over the central
  bins, divided by the same quantile of the chi-square law with 2*avg degrees of freedom, so it is
  unbiased for noise and ignores emissions that fill less than 1 - FLOOR_QUANTILE of the band;
  the sub-bands a broad partial-band emission lifts are noted (`lifted_subbands`): a quantile
  of a mix with a share o lifted sits at the q/(1-o) quantile of the noise (~0.6 dB high at
  o = 0.4, 2*avg = 20), which must not pass for a rise of the whole floor;
* the floor shape `s[k]` (the receiver's band-edge roll-off, normalised to 1 in the flat middle):
  a slow average of P/g, median-filtered across frequency (narrow lines vanish) and clipped to at
  most `SHAPE_MAX` (a broad emission is never learnt as floor);
* the CFAR mask: bin k is occupied where P/(s*g) exceeds the chi-square threshold for the target
  false-alarm probability, at single-bin scale and summed over groups of `GROUPS` bins (weak
  broad emissions: 64 bins of 2*avg dof each detect a 1 dB rise);
* the whole-band floor rise: g over the quiet reference (the lowest g so far, or the baseline);
* per row, the occupied runs of bins (segments) that the tracker associates (`row_segments`,
  `keep_segments`, `owners_in`).

The per-row work runs in `@njit` kernels that decide exactly as the numpy expressions they
replaced (kept as `_masks_numpy`, `_levels_free_numpy`, `_row_segments_numpy`, the tests' twins):
where a kernel's statistic lies within TIE_RELATIVE of its threshold (a sum in another order may
round the other way) the numpy expression decides.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy import ndimage
from scipy.special import gammainccinv, gammaincinv

from ..dsp import Spectrogram, SpectrumSettings
from ..errors import ParameterError

__all__ = ["FLOOR_QUANTILE", "GROUPS", "FrontEnd", "fine_nfft", "keep_segments", "owners_in", "row_segments"]


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
#: Rows with less than this share of their central bins free take the plain level.
FEW_FREE = 0.2
#: Group sizes (bins) of the multi-scale CFAR besides single bins.
GROUPS = (8, 64)
#: Largest value the floor shape may take (1 = the flat middle), linear (0.5 dB).
SHAPE_MAX = 10 ** (0.5 / 10)
#: Time constant of the floor-shape average, s.
SHAPE_TAU_S = 1.0
#: A row level under 1/SHAPE_RESET_DROP of the level the shape was learnt at (its running
#: average, as the shape's) restarts the shape (`update_shape`): the rows before were set by a
#: broad emission (the receiver's noise never falls 3 dB row to row), so they taught its shape.
SHAPE_RESET_DROP = 2.0
#: Half-width of the median filter across frequency for the shape, as a fraction of nfft.
SHAPE_MEDIAN_FRACTION = 1 / 32
#: Sub-bands of the central bins whose means (over the floor shape) tell where a broad emission
#: lifts the row: those above the level a mean of noise exceeds with probability SUB_PFA.
SUB_BANDS = 16
SUB_PFA = 1e-3
#: Rows over which the sub-band means are averaged (time constant of an exponential average).
SUB_AVG_ROWS = 10
#: A partial-band emission lifts at least this many adjacent sub-bands (narrower ones, packets,
#: a DC spike, lift the quantile less than its own estimation noise).
SUB_MIN_RUN = 3
#: Variance of a sum of adjacent Hann-windowed bin powers over the sum of their variances.
HANN_SUM_VARIANCE = 1 + 2 * 4 / 9 + 2 / 36
#: Hann window: equivalent noise bandwidth (bins); correlated neighbours reduce the dof of a sum.
HANN_ENBW = 1.5
#: FFT sizes allowed for the fine spectrogram.
NFFT_RANGE = (64, 65536)
#: A kernel's threshold test whose statistic lies within this relative distance of the threshold
#: is handed back to the numpy code (whose summation order may round it the other way), so the
#: kernels decide exactly as numpy does.
TIE_RELATIVE = 1e-12
#: The lines of one emission's comb are alike: the widest at most this many times the narrowest
#: (one modulation on every line). Unlike segments evenly spaced by chance (a hopper's narrow
#: channel beside blocks of a receiver's roll-off) are not one comb (`_one_emission_pieces`).
COMB_WIDTH_RATIO = 4.0


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


@njit(cache=True, nogil=True)
def _mirror_images(seg, val, usable, nfft, image_ratio, image):
    """Mark image[i] where usable segment i mirrors (bin k <-> nfft - k) a usable one
    `image_ratio` times stronger in the mirrored bins: the IQ image of a strong emission (an
    image mirrors its source bin by bin; a tone whose mirror falls inside a strong wide band is
    no image of it). seg: int64[>= m, 3]; val: float64[>= m]; usable, image: bool[m]."""
    m = usable.shape[0]
    for i in range(m):
        if not usable[i]:
            continue
        mlo = nfft - seg[i, 1]
        mhi = nfft - seg[i, 0]
        for j in range(m):
            if j == i or not usable[j] or seg[j, 0] > mhi + 1 or seg[j, 1] < mlo - 1:
                continue
            width = seg[j, 1] - seg[j, 0] + 1
            inside = max(1, min(seg[j, 1], mhi + 1) - max(seg[j, 0], mlo - 1) + 1)
            if val[j] * min(1.0, inside / width) > val[i] * image_ratio:
                image[i] = True
                break


@njit(cache=True, nogil=True)
def _one_emission_pieces(seg, lines, mean_gap):
    """Can evenly spaced segments seg[lines] (int64[m, 3] lo/hi/peak; `mean_gap`: their mean gap,
    bins) be one emission's? Either a line comb's lines, alike in width (within COMB_WIDTH_RATIO:
    one modulation on every line), or the pieces of one band wider than the holes between them
    (the row's CFAR lost blocks of it): not a narrow segment beside unlike ones, spaced so by
    chance."""
    wmin = seg[lines[0], 1] - seg[lines[0], 0] + 1
    wmax = wmin
    wsum = 0.0
    for i in range(lines.shape[0]):
        w = seg[lines[i], 1] - seg[lines[i], 0] + 1
        wmin = min(wmin, w)
        wmax = max(wmax, w)
        wsum += w
    return wmax <= COMB_WIDTH_RATIO * wmin or mean_gap <= wsum / lines.shape[0]


@njit(cache=True, nogil=True)
def _row_segments(mask, gap, P, ref, comb_min, comb_cv, max_segments, image_ratio, out_seg, out_val):
    """The emissions' segments of one row: `_segment_info` joined across `gap` bins, across the
    largest gap where COMB_MIN+ segments that are not IQ images (`_mirror_images`) are evenly
    spaced (the line comb of one emission), and across doubling gaps while there are more than
    `max_segments`.

    mask: bool[n]; P: float32/64[n]; ref: float64[n]; out_seg: int64[n, 3]; out_val: float64[n].
    Returns (count, gap used), or (-1, gap) where the evenly-spaced test is a near tie.
    """
    n = mask.shape[0]
    m = _segment_info(mask, gap, P, ref, out_seg, out_val)
    g2 = gap
    if m >= comb_min:
        # the lines: an IQ image of a much stronger segment is none of the comb's (a hopper's
        # channel and its image, with another channel and its image, can fall evenly spaced)
        image = np.zeros(m, dtype=np.bool_)
        _mirror_images(out_seg, out_val, np.ones(m, dtype=np.bool_), n, image_ratio, image)
        lines = np.flatnonzero(~image)
        k = lines.shape[0] - 1
        if k + 1 >= comb_min:
            total = 0.0
            widest = 0
            for i in range(k):
                d = out_seg[lines[i + 1], 0] - out_seg[lines[i], 1]
                total += d
                widest = max(widest, d)
            mean = total / k
            var = 0.0
            for i in range(k):
                d = (out_seg[lines[i + 1], 0] - out_seg[lines[i], 1]) - mean
                var += d * d
            std = math.sqrt(var / k)
            lim = comb_cv * mean
            if _one_emission_pieces(out_seg, lines, mean):
                if abs(std - lim) <= TIE_RELATIVE * abs(lim):
                    return -1, g2
                if std <= lim:
                    g2 = widest + 1
                    m = _segment_info(mask, g2, P, ref, out_seg, out_val)
    while m > max_segments and g2 < n:
        g2 *= 2
        m = _segment_info(mask, g2, P, ref, out_seg, out_val)
    return m, g2


@njit(cache=True, nogil=True)
def _keep_segments(seg, val, nfft, min_bins, whole_bins, image_ratio, keep):
    """Which segments of a row are emissions: at least `min_bins` wide; none where together they
    cover `whole_bins` or more (a floor rise); none that is the IQ image (mirrored about 0 Hz,
    bin k <-> nfft - k) of one `image_ratio` times stronger.

    seg: int64[m, 3] (lo, hi, peak); val: float64[m]; keep: bool[m] (out). Returns the count kept.
    """
    m = seg.shape[0]
    total = 0
    kept = 0
    for i in range(m):
        keep[i] = seg[i, 1] - seg[i, 0] + 1 >= min_bins
        if keep[i]:
            total += seg[i, 1] - seg[i, 0] + 1
            kept += 1
    if kept and total >= whole_bins:
        keep[:] = False
        return 0
    if kept <= 1:
        return kept
    image = np.zeros(m, dtype=np.bool_)
    _mirror_images(seg, val, keep, nfft, image_ratio, image)
    kept = 0
    for i in range(m):
        if image[i]:
            keep[i] = False
        elif keep[i]:
            kept += 1
    return kept


@njit(cache=True, nogil=True)
def _owners_in(owner, lo, hi, out):
    """The distinct non-negative values of owner[lo..hi] (inclusive), ascending, into out.

    owner: int64[n]; out: int64[>= hi - lo + 1]. Returns the count.
    """
    m = 0
    prev = -1
    for k in range(lo, hi + 1):
        v = owner[k]
        if v < 0 or v == prev:
            continue
        prev = v
        seen = False
        for j in range(m):
            if out[j] == v:
                seen = True
                break
        if not seen:
            out[m] = v
            m += 1
    # insertion sort (a handful of values)
    for i in range(1, m):
        v = out[i]
        j = i - 1
        while j >= 0 and out[j] > v:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = v
    return m


@njit(cache=True, nogil=True)
def _cfar_mask(rows, ref, thr1, sizes, thrs, out):
    """Occupied cells of rows against ref: single bins over thr1, groups of sizes[g] bins whose
    mean (occupied bins counted as 1) is over thrs[g].

    rows: float32[k, n]; ref: float64[k, n]; sizes: int64[G] (each divides n); thrs: float64[G];
    out: bool[k, n]. Returns 1 where a group's mean is a near tie with its threshold (the
    caller then recomputes with numpy), else 0.
    """
    k, n = rows.shape
    zc = np.empty(n)
    for i in range(k):
        for j in range(n):
            r = ref[i, j]
            if r < 1e-30:  # noqa: PLR1730 (as np.maximum: NaN stays NaN)
                r = 1e-30
            z = rows[i, j] / r
            if z > thr1:
                out[i, j] = True
                zc[j] = 1.0  # strong lines must not light up their whole group
            else:
                out[i, j] = False
                zc[j] = z
        for g in range(sizes.shape[0]):
            s = sizes[g]
            t = thrs[g]
            for b in range(n // s):
                acc = 0.0
                for j in range(b * s, b * s + s):
                    acc += zc[j]
                mean = acc / s
                if abs(mean - t) <= TIE_RELATIVE * abs(t):
                    return 1
                if mean > t:
                    for j in range(b * s, b * s + s):
                        out[i, j] = True
    return 0


@njit(cache=True, nogil=True)
def _shape_average(rows, g, alpha, acc):
    """acc += alpha * (rows[i] / max(g[i], 1e-30) - acc) for each row i in turn (an exponential
    average of the rows over their noise levels).

    rows: float32/64[k, n]; g: float64[k]; acc: float64[n] (in place).
    """
    for i in range(rows.shape[0]):
        d = g[i]
        if d < 1e-30:  # noqa: PLR1730 (as np.maximum: NaN stays NaN)
            d = 1e-30
        for j in range(rows.shape[1]):
            acc[j] += alpha * (rows[i, j] / d - acc[j])


@njit(cache=True, nogil=True)
def _free_values(rows, mask, c0, c1, half, vals, nfree):
    """The central bins c0..c1-1 of each row, +inf where an occupied cell lies within `half`
    bins (the occupied cells widened), and how many are free.

    rows: float32/64[k, n]; mask: bool[k, n]; vals: rows.dtype[k, c1 - c0] (out); nfree: int64[k] (out).
    """
    k = rows.shape[0]
    w = c1 - c0
    far = 1 << 40
    nxt = np.empty(w, dtype=np.int64)
    for i in range(k):
        upcoming = far
        for j in range(w - 1, -1, -1):
            if mask[i, c0 + j]:
                upcoming = j
            nxt[j] = upcoming
        last = -far
        free = 0
        for j in range(w):
            if mask[i, c0 + j]:
                last = j
            if j - last <= half or nxt[j] - j <= half:
                vals[i, j] = np.inf
            else:
                vals[i, j] = rows[i, c0 + j]
                free += 1
        nfree[i] = free


@njit(cache=True, nogil=True)
def _lifted_rows(means, avg, alpha, low, thr, min_run, out):
    """The sub-band test of `FrontEnd.lifted_subbands`, row by row (the numpy loop's arithmetic).

    means: float64[k, nsub] per-row sub-band means; avg: float64[nsub], their running average,
    updated in place (restarted from a row's means where it holds a non-finite value); out:
    bool[k, nsub], zeros, set to a row's lifted sub-bands where 0 < lifted <= nsub // 2 and they
    hold a run of at least `min_run`."""
    k, nsub = means.shape
    for i in range(k):
        finite = True
        for j in range(nsub):
            if not np.isfinite(avg[j]):
                finite = False
        for j in range(nsub):
            avg[j] = means[i, j] if not finite else avg[j] + alpha * (means[i, j] - avg[j])
        m = avg[0]
        for j in range(nsub):  # (numpy's min: NaN wins)
            if np.isnan(avg[j]):
                m = avg[j]
                break
            m = min(m, avg[j])
        level = m / low * thr
        count = 0
        run = 0
        longest = 0
        for j in range(nsub):
            if avg[j] > level:
                count += 1
                run += 1
                longest = max(longest, run)
            else:
                run = 0
        if 0 < count <= nsub // 2 and longest >= min_run:
            for j in range(nsub):
                out[i, j] = avg[j] > level


@njit(cache=True, nogil=True)
def _one_density(P, ref, lo, blocks, w, held, ratio, tie):
    """1 where the `blocks` blocks of `w` bins from bin `lo` surely hold one excess density (none
    of mean excess max(P - ref, 0) / ref at least `held`, or the largest such under `ratio` times
    the smallest); 0 where not, or where a test lies within `tie` (relative) of its threshold."""
    mx = -1.0
    mn = np.inf
    for i in range(blocks):
        s = 0.0
        for j in range(lo + i * w, lo + (i + 1) * w):
            s += np.maximum(P[j] - ref[j], 0.0) / np.maximum(ref[j], 1e-30)
        dens = s / w
        if np.isnan(dens) or abs(dens - held) <= tie * held:
            return 0
        if dens >= held:
            mx = max(mx, dens)
            mn = min(mn, dens)
    if mx < 0.0:
        return 1  # nothing held
    if abs(mx - ratio * mn) <= tie * ratio * mn:
        return 0
    return 1 if mx < ratio * mn else 0


@njit(cache=True, fastmath=True, nogil=True)
def _cell_powers(x, cell, acc, cnt, out):  # x: complex64[n]; out: float64[(cnt + n) // cell]
    n = x.shape[0]
    i = 0
    k = 0
    if cnt > 0:  # finish the cell an earlier call left open
        while i < n and cnt < cell:
            acc += np.float64(x[i].real) ** 2 + np.float64(x[i].imag) ** 2
            cnt += 1
            i += 1
        if cnt < cell:
            return acc, cnt
        out[0] = acc / cell
        k = 1
    while i + cell <= n:  # whole cells: a float32 sum the compiler may vectorise
        s = np.float32(0.0)
        for j in range(i, i + cell):
            s += x[j].real * x[j].real + x[j].imag * x[j].imag
        out[k] = np.float64(s) / cell
        k += 1
        i += cell
    acc = 0.0
    cnt = 0
    for j in range(i, n):
        acc += np.float64(x[j].real) ** 2 + np.float64(x[j].imag) ** 2
        cnt += 1
    return acc, cnt


def cell_powers(x: np.ndarray, cell: int, carry: tuple[float, int] = (0.0, 0)) -> tuple[np.ndarray, tuple[float, int]]:
    """Mean power |x|^2 over consecutive cells of `cell` samples, float64[k], continuing the
    unfinished cell `carry` = (sum of its powers, samples in it) of an earlier call; and the
    carry this call leaves."""
    x = np.ascontiguousarray(x, dtype=np.complex64)
    if x.ndim != 1 or int(cell) < 1:
        raise ParameterError(f"x.shape={x.shape} must be one-dimensional and {cell=} >= 1")
    acc, cnt = float(carry[0]), int(carry[1])
    out = np.empty((cnt + x.shape[0]) // int(cell), dtype=np.float64)
    acc, cnt = _cell_powers(x, int(cell), acc, cnt, out)
    return out, (acc, cnt)


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


def one_density(P: np.ndarray, ref: np.ndarray, lo: int, blocks: int, *, block_bins: int, held: float,
                ratio: float) -> bool:
    """Do the `blocks` blocks of `block_bins` bins of a row from bin `lo` surely hold one excess
    density: none of mean excess max(P - ref, 0) / ref at least `held`, or the largest such under
    `ratio` times the smallest? False also where a test is within TIE_RELATIVE of its threshold
    (there numpy's summation order decides: the caller's numpy code)."""
    P = np.ascontiguousarray(P)
    if P.dtype not in (np.float32, np.float64):
        P = P.astype(np.float64)
    ref = np.ascontiguousarray(ref, dtype=np.float64)
    if lo < 0 or blocks < 0 or block_bins < 1 or lo + blocks * block_bins > min(P.shape[0], ref.shape[0]):
        raise ParameterError(f"{lo=}, {blocks=} and {block_bins=} must lie within the row ({P.shape[0]} bins)")
    return bool(_one_density(P, ref, int(lo), int(blocks), int(block_bins), float(held), float(ratio), TIE_RELATIVE))


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


def row_segments(mask: np.ndarray, gap: int, P: np.ndarray, ref: np.ndarray, *, comb_min: int,
                 comb_cv: float, max_segments: int, image_ratio: float = math.inf) -> tuple[np.ndarray, np.ndarray]:
    """(int64[m, 3] lo/hi/peak bins, float64[m] excess power) of the emissions' runs of a row.

    Runs of `mask` joined across `gap` bins; where `comb_min` or more are evenly spaced (the
    spread of their gaps at most `comb_cv` of the mean gap) and alike in width or wider than the
    holes between them (`_one_emission_pieces`), across the largest gap (one emission's line comb
    or band; segments mirroring one `image_ratio` times stronger are its IQ images, not lines);
    while more than `max_segments`, across doubling gaps.
    """
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    P = np.ascontiguousarray(P)
    if P.dtype not in (np.float32, np.float64):
        P = P.astype(np.float64)
    ref = np.ascontiguousarray(ref, dtype=np.float64)
    n = mask.shape[0]
    if mask.ndim != 1 or P.shape != (n,) or ref.shape != (n,):
        raise ParameterError(f"mask.shape={mask.shape}, P.shape={P.shape}, ref.shape={ref.shape} must be one equal length")
    if gap < 1 or comb_min < 2 or max_segments < 1:
        raise ParameterError(f"{gap=}, {comb_min=} and {max_segments=} must be >= 1, >= 2 and >= 1")
    seg = np.empty((n, 3), dtype=np.int64)
    val = np.empty(n, dtype=np.float64)
    args = (int(comb_min), float(comb_cv), int(max_segments), float(image_ratio))
    m, _ = _row_segments(mask, int(gap), P, ref, *args, seg, val)
    if m < 0:  # a near tie of the evenly-spaced test: numpy's rounding decides
        return _row_segments_numpy(mask, int(gap), P, ref, *args)
    return seg[:m], val[:m]


def _row_segments_numpy(mask, gap, P, ref, comb_min, comb_cv, max_segments, image_ratio):
    """`row_segments` with the gap statistics in numpy (the tie-break of the kernel)."""
    seg, val = segment_info(mask, gap, P, ref)
    g2 = gap
    if seg.shape[0] >= comb_min:
        image = np.zeros(seg.shape[0], dtype=np.bool_)
        _mirror_images(seg, val, np.ones(seg.shape[0], dtype=np.bool_), mask.shape[0], image_ratio, image)
        lines = seg[~image]
        gaps = lines[1:, 0] - lines[:-1, 1]
        if (lines.shape[0] >= comb_min and _one_emission_pieces(lines, np.arange(lines.shape[0]), gaps.mean())
                and gaps.std() <= comb_cv * gaps.mean()):
            g2 = int(gaps.max()) + 1
            seg, val = segment_info(mask, g2, P, ref)
    while seg.shape[0] > max_segments and g2 < mask.shape[0]:
        g2 *= 2
        seg, val = segment_info(mask, g2, P, ref)
    return seg, val


def keep_segments(seg: np.ndarray, val: np.ndarray, *, nfft: int, min_bins: int, whole_bins: float,
                  image_ratio: float) -> np.ndarray:
    """bool[m]: the segments of a row (from `row_segments`) that are emissions.

    At least `min_bins` wide; none where together they cover `whole_bins` bins or more (the
    whole band risen); none that mirrors (bin k <-> nfft - k) a segment `image_ratio` times
    stronger (the IQ image of a strong emission).
    """
    seg = np.ascontiguousarray(seg, dtype=np.int64)
    val = np.ascontiguousarray(val, dtype=np.float64)
    if seg.ndim != 2 or seg.shape[1] != 3 or val.shape != seg.shape[:1]:
        raise ParameterError(f"seg.shape={seg.shape} must be (m, 3) and val.shape={val.shape} (m,)")
    keep = np.empty(seg.shape[0], dtype=np.bool_)
    _keep_segments(seg, val, int(nfft), int(min_bins), float(whole_bins), float(image_ratio), keep)
    return keep


def owners_in(owner: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The distinct non-negative values of owner[lo..hi] (inclusive), ascending, int64."""
    owner = np.ascontiguousarray(owner, dtype=np.int64)
    if owner.ndim != 1 or not 0 <= lo <= hi < owner.shape[0]:
        raise ParameterError(f"{lo=} and {hi=} must index owner (length {owner.shape[0]}) with lo <= hi")
    out = np.empty(hi - lo + 1, dtype=np.int64)
    return out[:_owners_in(owner, int(lo), int(hi), out)]


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
        self._sub_init(self.nfft - 2 * c0, dof)
        floor_excess = 10 ** (min_excess_db / 10)
        self.thr1 = max(_chi2_isf(pfa, dof) / dof, floor_excess)
        self.groups = [g for g in GROUPS if self.nfft // g >= 4]
        self.thrg = {g: max(_chi2_isf(pfa, dof * g / HANN_ENBW) / (dof * g / HANN_ENBW), floor_excess)
                     for g in self.groups}
        self._group_sizes = np.array(self.groups, dtype=np.int64)
        self._group_thrs = np.array([self.thrg[g] for g in self.groups], dtype=np.float64)
        self.shape = np.ones(self.nfft, dtype=np.float64)
        self._shape_acc = None
        self._shape_alpha = min(1.0, self.row_s / SHAPE_TAU_S)
        self._shape_rows = 0
        self._shape_level = math.nan  # the rows' level the shape was learnt at (running average)
        self.g_ref = math.inf  # quietest row level seen (per-bin noise power)
        self.shape_hold = False  # (set while a band present from the start sets the row levels)
        self.baseline = baseline
        if baseline is not None:
            self.shape = np.asarray(baseline.floor_shape, dtype=np.float64)
            self.g_ref = float(baseline.floor_level)
        self.rows = 0

    # ------------------------------------------------------------------------------------
    def push(self, x: np.ndarray) -> np.ndarray:
        """Rows completed by this block, float32[k, nfft] (linear power per bin, ascending)."""
        return self.spec.push(x)

    def mean_spectrum(self, x: np.ndarray, *, gate: np.ndarray | None = None) -> np.ndarray:
        """The averaged spectrum of a stretch of raw samples, in the rows' units and bin order
        (whole frames of `nfft`, windowed; float64[nfft]). With `gate` (bool per sample of x):
        the spectrum while the gate is open - x gated, divided by the share of the window's
        power the gate lets through (gated noise keeps its density; a keyed emission's own
        spectrum is widened by the gate's, ~1 / the open stretches' length)."""
        k = x.shape[0] // self.nfft
        w = self.settings.window_array
        frames = x[: k * self.nfft].reshape(k, self.nfft) * w
        scale = self.settings.scale
        if gate is not None:
            g = gate[: k * self.nfft].reshape(k, self.nfft)
            share = float(np.sum(g * (w * w)[None, :])) / (k * float(np.sum(w * w))) if k else 0.0
            if not share > 0:
                return np.zeros(self.nfft)
            frames, scale = frames * g, scale / share
        X = np.fft.fft(frames, axis=1)
        return np.fft.fftshift((X.real ** 2 + X.imag ** 2).mean(axis=0)) * scale

    def levels(self, rows: np.ndarray) -> np.ndarray:
        """Noise level (power per bin) of each row, float64[k]; notes in `lifted` the sub-bands
        a partial-band emission lifts in these rows (`lifted_subbands`)."""
        c = rows[:, self._central]
        part = np.partition(c, self._qidx, axis=1)[:, self._qidx]
        self.lifted = self.lifted_subbands(rows)
        return part.astype(np.float64) / self._qcorr

    def _sub_init(self, w: int, dof: float) -> None:
        """Sub-band edges over the w central bins and the noise law of a sub-band's mean."""
        k = max(1, min(SUB_BANDS, w // 2))
        self._sub_edges = np.round(np.linspace(0, w, k + 1)).astype(np.int64)
        self._sub_counts = np.diff(self._sub_edges)
        # mean over b bins of 2*avg dof each; the powers of Hann-windowed neighbours correlate
        # (|rho|^2 = 4/9 next door, 1/36 two apart): the sum's variance is HANN_SUM_VARIANCE times b's
        sdof = dof * float(self._sub_counts.min()) / HANN_SUM_VARIANCE
        # ... averaged exponentially over rows (variance alpha / (2 - alpha) of one row's)
        self._sub_alpha = 1.0 / SUB_AVG_ROWS
        self._sub_avg = None
        self.lifted = np.zeros((0, k), dtype=np.bool_)  # of the rows `levels` saw last
        sdof *= (2.0 - self._sub_alpha) / self._sub_alpha
        # the expected lowest of k means (Blom's plotting position), and the level a sub-band
        # of noise exceeds with probability SUB_PFA
        self._sub_low = _chi2_ppf(0.625 / (k + 0.25), sdof) / sdof
        self._sub_thr = _chi2_isf(SUB_PFA, sdof) / sdof

    def lifted_subbands(self, rows: np.ndarray) -> np.ndarray:
        """bool[k, sub-bands]: the sub-bands of the central bins a partial-band emission lifts,
        per row; rows in time order (a running average is kept across calls).

        The central bins over the floor shape are averaged in SUB_BANDS sub-bands, and the means
        exponentially over about SUB_AVG_ROWS rows (a weak emission stands out of the noise of a
        few rows' average, not of one row's). Their noise level is the lowest mean over its
        expected place among means of noise (an emission that leaves one sub-band free cannot
        lift it); a sub-band above the level such a mean of noise exceeds with probability
        SUB_PFA is lifted. Counted only where a run of at least SUB_MIN_RUN adjacent sub-bands
        is lifted (a broad emission) and no more than half of them (beyond, the lowest may be a
        band edge or a gap of a band-filling emission rather than the floor). A rise of the
        whole floor lifts every sub-band alike: none lifted.
        """
        rows = _float_rows(rows)
        c = self._central
        k = rows.shape[0]
        nsub = self._sub_counts.shape[0]
        out = np.zeros((k, nsub), dtype=np.bool_)
        if nsub < 2 * SUB_MIN_RUN or k == 0:
            return out
        z = rows[:, c] / np.maximum(self.shape[c], 1e-30)
        means = np.add.reduceat(z, self._sub_edges[:-1], axis=1) / self._sub_counts
        if self._sub_avg is None:
            self._sub_avg = np.full(nsub, np.nan)  # (not finite: the first row's means start it)
        _lifted_rows(means, self._sub_avg, self._sub_alpha, self._sub_low, self._sub_thr, SUB_MIN_RUN, out)
        return out

    def _lifted_subbands_numpy(self, rows: np.ndarray) -> np.ndarray:
        """`lifted_subbands` row by row in numpy (its twin, in the tests)."""
        c = self._central
        nsub = self._sub_counts.shape[0]
        out = np.zeros((rows.shape[0], nsub), dtype=np.bool_)
        z = rows[:, c] / np.maximum(self.shape[c], 1e-30)
        means = np.add.reduceat(z, self._sub_edges[:-1], axis=1) / self._sub_counts
        for i in range(rows.shape[0]):
            if self._sub_avg is None or not np.all(np.isfinite(self._sub_avg)):
                self._sub_avg = means[i].astype(np.float64)
            else:
                self._sub_avg += self._sub_alpha * (means[i] - self._sub_avg)
            lifted = self._sub_avg > float(self._sub_avg.min()) / self._sub_low * self._sub_thr
            run = longest_run(lifted) if 0 < np.count_nonzero(lifted) <= nsub // 2 else None
            if run is not None and run[1] - run[0] + 1 >= SUB_MIN_RUN:
                out[i] = lifted
        return out

    def levels_free(self, rows: np.ndarray, mask: np.ndarray, g: np.ndarray, *,
                    exclude_lifted: bool = False) -> np.ndarray:
        """Noise level of each row from its central bins outside the occupied cells (dilated by
        GUARD_BINS): emissions that fill part of the band do not lift it (a quantile of a mix
        with a fraction o occupied sits at the q/(1-o) quantile of the noise). With
        `exclude_lifted`, the sub-bands `levels` found lifted by a partial-band emission in these
        rows (`lifted`) count as occupied too (the CFAR misses a weak one in some rows)."""
        rows = _float_rows(rows)
        mask = np.ascontiguousarray(mask, dtype=np.bool_)
        g = np.ascontiguousarray(g, dtype=np.float64)
        if mask.shape != rows.shape or g.shape != rows.shape[:1]:
            raise ParameterError(f"mask.shape={mask.shape} and g.shape={g.shape} must match rows.shape={rows.shape}")
        c = self._central
        k, w = rows.shape[0], c.stop - c.start
        if exclude_lifted and self.lifted.shape[0] == k and self.lifted.any():
            # the sub-bands a partial-band emission lifts in these rows are not free
            mask = mask.copy()
            mask[:, c] |= np.repeat(self.lifted, self._sub_counts, axis=1)
        vals = np.empty((k, w), dtype=rows.dtype)
        nfree = np.empty(k, dtype=np.int64)
        # (widened by twice the guard each side: this also bridges the gaps of a comb of lines)
        _free_values(rows, mask, c.start, c.stop, 2 * GUARD_BINS, vals, nfree)
        vals.sort(axis=1)  # (numpy's sort: vectorised, and NaN last)
        q = np.maximum(0, (FLOOR_QUANTILE * nfree).astype(np.int64) - 1)
        out = vals[np.arange(k), np.minimum(q, w - 1)].astype(np.float64) / self._qcorr
        few = nfree < FEW_FREE * w
        out[few] = g[few]  # hardly anything free: the plain level
        return out

    def _levels_free_numpy(self, rows: np.ndarray, mask: np.ndarray, g: np.ndarray) -> np.ndarray:
        """`levels_free` in whole-array numpy (its twin, in the tests)."""
        c = self._central
        occ = mask[:, c]
        if GUARD_BINS:
            occ = ndimage.maximum_filter1d(occ.view(np.uint8), size=4 * GUARD_BINS + 1, axis=1).view(bool)
        vals = np.where(occ, np.inf, rows[:, c])
        nfree = (~occ).sum(axis=1)
        vals.sort(axis=1)
        k = np.maximum(0, (FLOOR_QUANTILE * nfree).astype(np.int64) - 1)
        out = vals[np.arange(rows.shape[0]), np.minimum(k, vals.shape[1] - 1)].astype(np.float64) / self._qcorr
        few = nfree < FEW_FREE * occ.shape[1]
        out[few] = g[few]  # hardly anything free: the plain level
        return out

    def update_shape(self, rows: np.ndarray, g: np.ndarray) -> None:
        """Fold rows into the slow floor-shape estimate (skipped when a baseline gives it)."""
        if self.baseline is not None or rows.shape[0] == 0 or self.shape_hold:
            return
        rows = _float_rows(rows)
        g = np.asarray(g, dtype=np.float64)
        rows, g = self._shape_restart(rows, g)
        if self._shape_acc is None:
            ratio = rows / np.maximum(g, 1e-30)[:, None]
            self._shape_acc = ratio.mean(axis=0).astype(np.float64)
        else:
            _shape_average(rows, np.ascontiguousarray(g, dtype=np.float64), self._shape_alpha, self._shape_acc)
        self._shape_rows += rows.shape[0]
        half = max(2, int(self.nfft * SHAPE_MEDIAN_FRACTION))
        sm = ndimage.median_filter(_edge_padded(self._shape_acc, half, self._shape_rows, self._shape_alpha),
                                   size=2 * half + 1, mode="nearest")[half:-half]
        # the median of chi-square values sits below their mean: correct for the averaged dof
        dof = self.dof * max(1, min(self._shape_rows, int(1 / self._shape_alpha)))
        sm = sm / max(1.0 - 2.0 / (3.0 * dof), 0.5)
        self.shape = np.clip(sm, 1e-3, SHAPE_MAX)

    def _shape_restart(self, rows: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, g) to fold into the shape: from the first row whose level `g` stands under
        1/SHAPE_RESET_DROP of the level the shape was learnt at, the shape restarted there. A
        broad emission filling most of the central bins sets the rows' levels while it is on, and
        the shape learnt against them is the floor under that level: the band edges' roll-off
        read several dB too deep. Once it stops, the rows' level falls back to the noise, and the
        edges would stand over that shape for seconds (the average's time constant): noise read as
        an emission at the band edges. Also keeps the running level (the shape's average)."""
        lvl = self._shape_level
        a = self._shape_alpha
        first = 0
        for i in range(g.shape[0]):
            v = float(g[i])
            if math.isfinite(lvl) and v * SHAPE_RESET_DROP < lvl:
                first, lvl = i, math.nan
                self._shape_acc = None
                self._shape_rows = 0
            lvl = v if not math.isfinite(lvl) else lvl + a * (v - lvl)
        self._shape_level = lvl
        return rows[first:], g[first:]

    def restart_shape(self) -> None:
        """Learn the floor shape afresh from the next rows: the rows before were set by a broad
        emission now gone (found stopped by the detector), so they taught its shape, not the
        receiver's; nothing where a baseline gives the shape."""
        if self.baseline is not None:
            return
        self._shape_acc = None
        self._shape_rows = 0
        self._shape_level = math.nan

    def rescaled_shape(self, factor: float) -> np.ndarray:
        """The floor shape as it stands where the rows' levels were `factor` times the floor's.

        A band that fills most of the central bins from the first sample sets the rows' levels,
        so the shape learnt against them is the receiver's under the band but `factor` (the
        rows' level over the floor beside the band) too low elsewhere. A receiver's response
        stands nowhere above its flat middle (1): the shape times `factor`, capped at 1 (or at
        the shape learnt, where that is higher), is the floor's again beside the band, across
        its edges and under it."""
        return _rescaled(self.shape, factor)

    def rescale_shape(self, factor: float) -> None:
        """Apply `rescaled_shape` (and to the running average it comes from) and hold the shape
        (`shape_hold`: no learning) until released; nothing where a baseline gives the shape."""
        if self.baseline is not None:
            return
        self.shape = _rescaled(self.shape, factor)
        if self._shape_acc is not None:
            self._shape_acc = _rescaled(self._shape_acc, factor)
        self.shape_hold = True

    def masks(self, rows: np.ndarray, g: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
        """Occupied cells of each row (bool[k, nfft]) against `ref` (default shape * row level)."""
        if ref is None:
            ref = self.shape[None, :] * g[:, None]
        rows = _float_rows(rows)
        ref = np.ascontiguousarray(np.broadcast_to(ref, rows.shape), dtype=np.float64)
        mask = np.empty(rows.shape, dtype=np.bool_)
        if _cfar_mask(rows, ref, self.thr1, self._group_sizes, self._group_thrs, mask):
            return self._masks_numpy(rows, ref)  # a group mean at its threshold: numpy's rounding decides
        return mask

    def _masks_numpy(self, rows: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """`masks` in whole-array numpy (its twin, in the tests)."""
        z = rows / np.maximum(ref, 1e-30)
        mask = z > self.thr1
        if self.groups:
            zc = np.where(mask, 1.0, z)  # strong lines must not light up their whole group
            k = rows.shape[0]
            for gsz in self.groups:
                zg = zc.reshape(k, self.nfft // gsz, gsz).mean(axis=2) > self.thrg[gsz]
                mask |= np.repeat(zg, gsz, axis=1)
        return mask


def _edge_padded(acc: np.ndarray, half: int, rows: int, alpha: float) -> np.ndarray:
    """acc (the shape's running average, over `rows` rows so far at weight `alpha`) with `half`
    values each side for the median window beyond the band's edges: the median of its outer bins
    on that side, as many as the average lacks rows of its full 1/alpha (at most `half`).

    The outermost bin repeated (the window's usual edge rule) is one noisy value while the average
    holds few rows - a 10 MS/s edge's shape stood 1.6 dB low for the first second, and its cells
    crossed the CFAR row after row; once the average holds its full 1/alpha rows that one bin is
    precise, and alone it follows a steep roll-off to the edge."""
    full = max(1, int(1 / alpha))
    m = min(max(half, 1), math.ceil(full / max(1, min(rows, full))))
    acc = np.asarray(acc, dtype=np.float64)
    n = acc.shape[0]
    if half <= 0 or n == 0:
        return np.pad(acc, half, mode="median", stat_length=m)
    # (np.pad's "median" mode by hand: the same values, without its per-call overhead, per block)
    m = min(m, n)
    out = np.empty(n + 2 * half)
    out[half:half + n] = acc
    out[:half] = acc[0] if m == 1 else np.median(acc[:m])
    out[half + n:] = acc[-1] if m == 1 else np.median(acc[n - m:])
    return out


def _rescaled(shape: np.ndarray, factor: float) -> np.ndarray:
    """min(shape * factor, max(shape, 1)) clipped to 1e-3..SHAPE_MAX (float64[n])."""
    s = np.asarray(shape, dtype=np.float64)
    return np.clip(np.minimum(s * float(factor), np.maximum(s, 1.0)), 1e-3, SHAPE_MAX)


def longest_run(mask: np.ndarray) -> tuple[int, int] | None:
    """(first, last) index of the longest run of True in a bool array (the first of equals), or None."""
    seg = segments(mask, 0)
    if seg.shape[0] == 0:
        return None
    a, b = seg[int(np.argmax(seg[:, 1] - seg[:, 0]))]
    return int(a), int(b)


def _float_rows(rows: np.ndarray) -> np.ndarray:
    """rows as a C-contiguous float32 or float64 2-D array (others become float64)."""
    rows = np.asarray(rows)
    if rows.ndim != 2:
        raise ParameterError(f"rows.shape={rows.shape} must be two-dimensional (rows, nfft)")
    if rows.dtype not in (np.float32, np.float64):
        rows = rows.astype(np.float64)
    return np.ascontiguousarray(rows)
