"""Front end: segment kernel against its naive twin, FFT size choice, CFAR thresholds."""

import itertools
import math

import naive_detect as naive
import numpy as np
import pytest
from scipy.stats import chi2

from rfkit.detection.frontend import (
    FEW_FREE,
    FLOOR_QUANTILE,
    GUARD_BINS,
    FrontEnd,
    _cfar_mask,
    _row_segments,
    fine_nfft,
    keep_segments,
    one_density,
    owners_in,
    row_segments,
    segment_info,
    segments,
)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gap", [0, 1, 3])
def test_segments_match_naive_twin(seed, gap):
    rng = np.random.default_rng(seed)
    mask = rng.random(257) < rng.uniform(0.05, 0.6)
    got = [tuple(r) for r in segments(mask, gap)]
    assert got == naive.segments(mask, gap)


def test_segments_edges():
    assert segments(np.zeros(0, bool), 1).shape == (0, 2)
    assert [tuple(r) for r in segments(np.ones(5, bool), 0)] == [(0, 4)]
    assert [tuple(r) for r in segments(np.array([1, 0, 0, 1], bool), 1)] == [(0, 0), (3, 3)]


def test_segment_info_excess_and_peak():
    P = np.array([1, 1, 5, 9, 4, 1, 1, 3, 1], float)
    ref = np.ones(9)
    mask = P > 2
    seg, val = segment_info(mask, 0, P, ref)
    assert [tuple(r) for r in seg] == [(2, 4, 3), (7, 7, 7)]
    np.testing.assert_allclose(val, [4 + 8 + 3, 2])


@pytest.mark.parametrize("rate,bin_hz,want", [(2.4e6, 1200, 2048), (250e3, 1200, 256), (10e6, 1200, 8192),
                                             (12e3, 1200, 64), (1e9, 1, 65536)])
def test_fine_nfft(rate, bin_hz, want):
    assert fine_nfft(rate, bin_hz) == want


def test_thresholds_follow_chi_square():
    fe = FrontEnd(2.4e6, fine_bin_hz=1200, row_s=0.01, pfa=1e-6, min_excess_db=0.0)
    dof = 2 * fe.avg
    assert fe.thr1 == pytest.approx(chi2.isf(1e-6, dof) / dof)
    # a row of pure noise: the level estimate is unbiased to a few per cent, and very few cells fire
    rng = np.random.default_rng(1)
    n = fe.row_len * 20
    x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5e-3)).astype(np.complex64)
    rows = fe.push(x)
    g = fe.levels(rows)
    per_bin = 1e-3 * fe.enbw / fe.nfft  # white noise of power 1e-3, per-bin reading (dsp calibration)
    np.testing.assert_allclose(g, per_bin, rtol=0.05)
    mask = fe.masks(rows, g)
    assert mask.mean() < 1e-3


def test_abs_stats_matches_naive_twin():
    from rfkit.detection.frontend import abs_stats

    rng = np.random.default_rng(3)
    x = (0.4 * (rng.standard_normal(5001) + 1j * rng.standard_normal(5001))).astype(np.complex64)
    x[17] = 1.0 - 0.2j  # I at the rail
    x[99] = 0.1 - 1.0j  # Q at the rail
    v = np.abs(x.view(np.float32))
    for clip in (None, 0.9, 0.999, 5.0):
        want_c = 0 if clip is None else int(np.count_nonzero((v[0::2] >= clip) | (v[1::2] >= clip)))
        m, c = abs_stats(x, clip)
        assert m == float(v.max()) and c == want_c
    assert abs_stats(np.zeros(0, np.complex64), 0.9) == (0.0, 0)


# -- the row kernels against naive twins (plain loops over the definitions) ---------------------
def _naive_segment_info(mask, gap, P, ref):
    seg, val = [], []
    for lo, hi in naive.segments(mask, gap):
        band = range(lo, hi + 1)
        seg.append((lo, hi, max(band, key=lambda k: (P[k], -k))))
        val.append(sum(max(float(P[k]) - float(ref[k]), 0.0) for k in band))
    return seg, val


def _naive_row_segments(mask, gap, P, ref, comb_min, comb_cv, max_segments):
    seg, val = _naive_segment_info(mask, gap, P, ref)
    g2 = gap
    if len(seg) >= comb_min:
        gaps = np.array([b[0] - a[1] for a, b in itertools.pairwise(seg)])
        if np.std(gaps) <= comb_cv * np.mean(gaps):
            g2 = int(gaps.max()) + 1
            seg, val = _naive_segment_info(mask, g2, P, ref)
    while len(seg) > max_segments and g2 < len(mask):
        g2 *= 2
        seg, val = _naive_segment_info(mask, g2, P, ref)
    return seg, val


def _random_row(rng, n=512):
    mask = rng.random(n) < rng.uniform(0.02, 0.5)
    P = rng.exponential(size=n).astype(np.float32)
    return mask, P, np.full(n, 0.5)


@pytest.mark.parametrize("seed", range(12))
def test_row_segments_match_naive_twin(seed):
    rng = np.random.default_rng(seed)
    mask, P, ref = _random_row(rng)
    if seed % 3 == 0:  # an evenly spaced comb of lines (one emission's)
        mask[:] = False
        mask[40:480:rng.integers(8, 30)] = True
    gap = int(rng.integers(1, 4))
    seg, val = row_segments(mask, gap, P, ref, comb_min=4, comb_cv=0.3, max_segments=12)
    want_seg, want_val = _naive_row_segments(mask, gap, P, ref, 4, 0.3, 12)
    assert [tuple(r) for r in seg.tolist()] == want_seg
    np.testing.assert_allclose(val, want_val, rtol=1e-12)
    assert seg.shape[0] <= 12


def test_row_segments_tie_of_the_comb_test_is_decided_as_numpy_does():
    # gaps 7, 13, 7, 13: std 3 == 0.3 * mean 10 up to the rounding of 0.3 (numpy: joined)
    mask = np.zeros(100, bool)
    for lo in (10, 17, 30, 37, 50):
        mask[lo] = True
    P = np.ones(100, np.float32)
    ref = np.zeros(100)
    out = np.empty((100, 3), np.int64)
    assert _row_segments(mask, 1, P, ref, 4, 0.3, 12, np.inf, out, np.empty(100))[0] == -1  # (handed to numpy)
    seg, _ = row_segments(mask, 1, P, ref, comb_min=4, comb_cv=0.3, max_segments=12)
    want, _ = _naive_row_segments(mask, 1, P, ref, 4, 0.3, 12)
    assert [tuple(r) for r in seg.tolist()] == want == [(10, 50, 10)]


def _channels_and_images(image_db):
    # two carriers at bins 512 -/+ 300 and 512 + 100, each with its IQ image `image_db` below:
    # peaks at 212, 412, 612, 812, evenly spaced (a hopper's dwell change seen in one row)
    n = 1024
    mask = np.zeros(n, bool)
    P = np.zeros(n, np.float32)
    for k, strong in ((212, True), (812, False), (612, True), (412, False)):
        mask[k - 1:k + 2] = True
        P[k - 1:k + 2] = 1.0 if strong else 10 ** (-image_db / 10)
    return mask, P, np.zeros(n)


def test_iq_images_are_no_lines_of_a_comb():
    mask, P, ref = _channels_and_images(30.0)
    seg, _ = row_segments(mask, 1, P, ref, comb_min=4, comb_cv=0.3, max_segments=12, image_ratio=100.0)
    assert seg[:, 0].tolist() == [211, 411, 611, 811]  # four segments: two emissions, two images
    joined, _ = row_segments(mask, 1, P, ref, comb_min=4, comb_cv=0.3, max_segments=12)
    assert joined.shape[0] == 1  # (without the image test: one comb over the band)
    # four lines of like power spaced alike are a comb, images or not
    mask, P, ref = _channels_and_images(3.0)
    seg, _ = row_segments(mask, 1, P, ref, comb_min=4, comb_cv=0.3, max_segments=12, image_ratio=100.0)
    assert seg.shape[0] == 1


def _naive_keep(seg, val, nfft, min_bins, whole_bins, ratio):
    info = [i for i, (a, b, _) in enumerate(seg) if b - a + 1 >= min_bins]
    if sum(seg[i][1] - seg[i][0] + 1 for i in info) >= whole_bins:
        info = []
    def mirrored_power(j, mlo, mhi):  # j's power in the bins mirroring i (spread evenly over j)
        a, b = max(seg[j][0], mlo - 1), min(seg[j][1], mhi + 1)
        return val[j] * min(1.0, max(1, b - a + 1) / (seg[j][1] - seg[j][0] + 1)) if a <= b else 0.0

    keep = []
    for i in info:
        mlo, mhi = nfft - seg[i][1], nfft - seg[i][0]
        if not any(j != i and mirrored_power(j, mlo, mhi) > val[i] * ratio for j in info):
            keep.append(i)
    return [i in keep for i in range(len(seg))]


@pytest.mark.parametrize("seed", range(10))
def test_keep_segments_match_naive_twin(seed):
    rng = np.random.default_rng(seed)
    nfft = 256
    lo = np.sort(rng.choice(nfft - 8, size=int(rng.integers(0, 9)), replace=False))
    seg = [(int(a), int(a + rng.integers(0, 6)), int(a)) for a in lo]
    if seg and seed % 2:  # an image of the first segment, 10-1000x weaker
        a, b, _ = seg[0]
        seg.append((nfft - b, nfft - a, nfft - b))
    if seed % 3 == 0:  # a line whose mirror falls inside a wide band (no image of it)
        seg = [s_ for s_ in seg if not (150 <= s_[1] and s_[0] <= 210) and not (46 <= s_[1] and s_[0] <= 106)]
        seg += [(50, 52, 51), (150, 210, 180)]
        seg.sort()
    val = list(rng.exponential(size=len(seg)) * 10.0 ** rng.integers(0, 4, size=len(seg)))
    seg_arr = np.array(seg, dtype=np.int64).reshape(-1, 3)
    for min_bins, whole in ((1, np.inf), (2, np.inf), (1, 10.0)):
        got = keep_segments(seg_arr, np.array(val), nfft=nfft, min_bins=min_bins, whole_bins=whole, image_ratio=100.0)
        assert got.tolist() == _naive_keep(seg, val, nfft, min_bins, whole, 100.0)


def test_a_line_mirrored_into_a_strong_wide_band_is_no_image():
    # a line at bins 50-52 and a band 1000x its power over 150-210, which holds bins 204-206
    # mirroring the line: spread over 61 bins, the band holds only ~50x the line's power there
    seg = np.array([(50, 52, 51), (150, 210, 180)], dtype=np.int64)
    keep = keep_segments(seg, np.array([1.0, 1000.0]), nfft=256, min_bins=1, whole_bins=np.inf, image_ratio=100.0)
    assert keep.tolist() == [True, True]
    # ... its true image, as narrow as the line and 1000x weaker, is one
    seg = np.array([(50, 52, 51), (204, 206, 205)], dtype=np.int64)
    keep = keep_segments(seg, np.array([1.0, 1000.0]), nfft=256, min_bins=1, whole_bins=np.inf, image_ratio=100.0)
    assert keep.tolist() == [False, True]


@pytest.mark.parametrize("seed", range(6))
def test_owners_in_matches_unique(seed):
    rng = np.random.default_rng(seed)
    owner = np.repeat(rng.integers(-1, 6, size=40), rng.integers(1, 9, size=40))
    lo = int(rng.integers(0, owner.size - 1))
    hi = int(rng.integers(lo, owner.size))
    u = np.unique(owner[lo:hi + 1])
    assert owners_in(owner, lo, hi).tolist() == u[u >= 0].tolist()


def _frontend():
    return FrontEnd(2.4e6, fine_bin_hz=1200, row_s=0.01, pfa=1e-6, min_excess_db=0.2)


def _noisy_rows(fe, rng, k=7):
    rows = (rng.gamma(fe.avg, 1.0 / fe.avg, size=(k, fe.nfft)) * 1e-6).astype(np.float32)  # averaged periodograms
    rows[:, 300:340] *= 40  # an emission
    rows[:, 1000:1400] *= 1.4  # a weak broad one (found by the groups)
    rows[2, 700] = 1e-3  # a strong line
    rows[3, 90:99] = np.nan  # (NaN last, as numpy sorts)
    return rows


def _naive_masks(fe, rows, ref):
    k, n = rows.shape
    out = np.zeros((k, n), bool)
    for i in range(k):
        z = [float(rows[i, j]) / max(float(ref[i, j]), 1e-30) for j in range(n)]
        single = [v > fe.thr1 for v in z]
        zc = [1.0 if s else v for s, v in zip(single, z)]
        out[i] = single
        for g in fe.groups:
            for b in range(0, n, g):
                if np.mean(zc[b:b + g]) > fe.thrg[g]:
                    out[i, b:b + g] = True
    return out


@pytest.mark.parametrize("seed", range(3))
def test_masks_match_naive_twin(seed):
    fe = _frontend()
    rows = _noisy_rows(fe, np.random.default_rng(seed))
    g = np.full(rows.shape[0], 1e-6)
    ref = fe.shape[None, :] * g[:, None]
    got = fe.masks(rows, g)
    assert got[:, 300:340].mean() > 0.9 and got[2, 700] and got[:, 1000:1400].mean() > 0.5 and got.mean() < 0.3
    np.testing.assert_array_equal(got, _naive_masks(fe, rows, ref))


def test_masks_tie_of_a_group_is_decided_as_numpy_does():
    fe = _frontend()
    g = fe.groups[0]
    rows = np.full((1, fe.nfft), 0.5)
    ref = np.ones((1, fe.nfft))
    rows[0, :g] = fe.thrg[g]  # a group whose mean is its threshold (up to the sum's rounding)
    sizes = np.array([g], dtype=np.int64)
    assert _cfar_mask(rows, ref, fe.thr1, sizes, np.array([fe.thrg[g]]), np.empty(rows.shape, bool)) == 1
    np.testing.assert_array_equal(fe.masks(rows, None, ref), fe._masks_numpy(rows, ref))


def _naive_levels_free(fe, rows, mask, g):
    c = fe._central
    out = []
    for i in range(rows.shape[0]):
        m = mask[i, c]
        half = 2 * GUARD_BINS
        occ = [m[max(0, j - half):j + half + 1].any() for j in range(m.size)]
        free = sorted(float(v) for v, o in zip(rows[i, c], occ) if not o and not math.isnan(v))
        nfree = m.size - sum(occ)
        if nfree < FEW_FREE * m.size:
            out.append(g[i])
            continue
        k = max(0, int(FLOOR_QUANTILE * nfree) - 1)
        out.append(free[k] / fe._qcorr if k < len(free) else math.inf)
    return np.array(out)


@pytest.mark.parametrize("seed", range(3))
def test_levels_free_match_naive_twin(seed):
    fe = _frontend()
    rng = np.random.default_rng(seed)
    rows = _noisy_rows(fe, rng)
    mask = fe.masks(rows, np.full(rows.shape[0], 1e-6))
    mask[5, fe._central] = rng.random(fe._central.stop - fe._central.start) < 0.85  # hardly anything free
    g = np.arange(1, rows.shape[0] + 1) * 1e-6
    got = fe.levels_free(rows, mask, g)
    want = _naive_levels_free(fe, rows, mask, g)
    np.testing.assert_array_equal(got, want)
    assert got[5] == g[5]
    np.testing.assert_array_equal(got, fe._levels_free_numpy(rows, mask, g))


def test_update_shape_average_matches_naive_twin():
    fe = _frontend()
    rng = np.random.default_rng(4)
    rows = [(rng.exponential(size=(5, fe.nfft)) * 1e-6).astype(np.float32) for _ in range(3)]
    acc = None
    for r in rows:
        g = fe.levels(r)
        fe.update_shape(r, g)
        ratio = r.astype(np.float64) / g[:, None]
        if acc is None:
            acc = ratio.mean(axis=0)
        else:
            for row in ratio:
                acc = acc + fe._shape_alpha * (row - acc)
    np.testing.assert_allclose(fe._shape_acc, acc, rtol=1e-12)


def test_row_kernels_reject_bad_shapes():
    from rfkit.errors import ParameterError

    with pytest.raises(ParameterError, match="gap=0"):
        row_segments(np.zeros(8, bool), 0, np.zeros(8), np.zeros(8), comb_min=4, comb_cv=0.3, max_segments=12)
    with pytest.raises(ParameterError, match="equal length"):
        row_segments(np.zeros(8, bool), 1, np.zeros(7), np.zeros(8), comb_min=4, comb_cv=0.3, max_segments=12)
    with pytest.raises(ParameterError, match="must be"):
        keep_segments(np.zeros((2, 2), np.int64), np.zeros(2), nfft=8, min_bins=1, whole_bins=8, image_ratio=100.0)
    with pytest.raises(ParameterError, match="lo=3"):
        owners_in(np.zeros(4, np.int64), 3, 1)


def test_cell_powers_match_numpy_across_calls():
    from rfkit.detection.frontend import cell_powers

    rng = np.random.default_rng(2)
    x = (rng.standard_normal(10_007) + 1j * rng.standard_normal(10_007)).astype(np.complex64)
    p = x.real.astype(np.float64) ** 2 + x.imag.astype(np.float64) ** 2
    want = p[: 10_007 // 37 * 37].reshape(-1, 37).mean(axis=1)
    got, carry = [], (0.0, 0)
    for a, b in [(0, 5), (5, 1000), (1000, 1000), (1000, 6543), (6543, 10_007)]:
        c, carry = cell_powers(x[a:b], 37, carry)
        got.append(c)
    np.testing.assert_allclose(np.concatenate(got), want, rtol=1e-5)  # float32 sums within a cell
    assert carry[1] == 10_007 % 37


@pytest.mark.parametrize("seed", range(6))
def test_floor_shape_at_the_band_edges_is_no_single_bin(seed):
    # white noise at 10 MS/s: the shape is 1 everywhere; learnt from four rows, each bin's ratio
    # has a ~14 % spread, but beyond the edges the window holds the median of the outer bins
    # (~3 %) - it held the outermost bin alone, and a low one made the edge's cells cross the CFAR
    fe = FrontEnd(10e6, fine_bin_hz=1220, row_s=0.01, pfa=1e-6, min_excess_db=0.2)
    rng = np.random.default_rng(seed)
    rows = (rng.gamma(fe.avg, 1.0 / fe.avg, size=(4, fe.nfft)) * 1e-6).astype(np.float32)
    fe.update_shape(rows, fe.levels(rows))
    for k in (0, 1, fe.nfft - 2, fe.nfft - 1, fe.nfft // 2):
        assert abs(fe.shape[k] - 1.0) < 0.1, (k, fe.shape[k])


def _roll_off(n: int, share: float, depth_db: float) -> np.ndarray:
    """A receiver's roll-off over n bins: depth_db down at the edges, falling quadratically (in dB)
    over the outer `share` of the band each side, flat (1) inside."""
    k = np.arange(n)
    edge = np.minimum(k, n - 1 - k) / (share * n)
    return np.where(edge < 1, 10 ** (-depth_db / 10 * (1 - edge) ** 2), 1.0)


def test_floor_shape_follows_a_steep_roll_off_to_the_edge():
    # a receiver's roll-off, 20 dB down at the edges over the outer 8 % of the band (as a 250 kS/s
    # capture shows), learnt over the shape's full average (SHAPE_TAU_S of rows): the outer bins'
    # shape stays within a factor 2 of it, as the one outermost bin gave it
    fe = FrontEnd(250e3, fine_bin_hz=1000, row_s=0.01, pfa=1e-6, min_excess_db=0.2)
    n = fe.nfft
    roll = _roll_off(n, 0.08, 20.0)
    rng = np.random.default_rng(1)
    rows = (rng.gamma(fe.avg, 1.0 / fe.avg, size=(math.ceil(1 / fe._shape_alpha), n)) * roll * 1e-6).astype(np.float32)
    fe.update_shape(rows, fe.levels(rows))
    for i in (0, 1, 2, n - 3, n - 2, n - 1):
        assert 0.5 < fe.shape[i] / roll[i] < 2.0, (i, fe.shape[i], roll[i])


def test_floor_shape_restarts_when_a_broad_emission_stops():
    # a roll-off 6 dB down at the edges over the outer 15 % of the band; a band 8x the noise over
    # the central 80 % for 1 s sets the rows' levels (the shape learnt against them is the
    # roll-off over 8 at the edges); 0.3 s after it stops (the change inside one call), the
    # edges' shape is the roll-off again - an average over 1 s would still stand ~4.5 dB low
    fe = FrontEnd(2.048e6, fine_bin_hz=1000, row_s=0.01, pfa=1e-6, min_excess_db=0.2)
    n = fe.nfft
    k = np.arange(n)
    roll = _roll_off(n, 0.15, 6.0)
    band = np.abs(k - n // 2) < 0.4 * n
    rng = np.random.default_rng(3)

    def noise(m):
        return rng.gamma(fe.avg, 1.0 / fe.avg, size=(m, n)) * roll * 1e-6

    on = round(1.0 / fe.row_s)
    rows = np.concatenate([noise(on) * np.where(band, 8.0, 1.0), noise(round(0.3 / fe.row_s))])
    for a in range(0, rows.shape[0], 7):
        r = rows[a:a + 7].astype(np.float32)
        fe.update_shape(r, fe.levels(r))
    outer = ~band & (np.minimum(k, n - 1 - k) < 0.8 * 0.15 * n)  # inside the roll-off
    ratio = fe.shape[outer] / roll[outer]
    assert 10 ** (-1.0 / 10) < float(np.median(ratio)) < 10 ** (1.0 / 10), float(np.median(ratio))


def test_floor_shape_keeps_its_average_through_the_noise_levels_wander():
    # the rows' level wandering by +-30 % (a gain step, a weak wide emission) is no broad
    # emission's end: every row stays in the shape's average
    fe = _frontend()
    rng = np.random.default_rng(5)
    total = 0
    for i in range(12):
        r = (rng.exponential(size=(5, fe.nfft)) * 1e-6 * (1.3 if i % 2 else 0.7)).astype(np.float32)
        fe.update_shape(r, fe.levels(r))
        total += 5
    assert fe._shape_rows == total


def _naive_one_density(P, ref, lo, blocks, w, held, ratio):
    """One excess density in the blocks (the numpy of online._split_by_density's first test), plain Python."""
    dens = []
    for i in range(blocks):
        ex = [max(float(P[j]) - float(ref[j]), 0.0) / max(float(ref[j]), 1e-30) for j in range(lo + i * w, lo + (i + 1) * w)]
        dens.append(math.fsum(ex) / w)
    kept = [d for d in dens if d >= held]
    return not kept or max(kept) < ratio * min(kept)


@pytest.mark.parametrize("seed", range(8))
def test_one_density_matches_naive_twin(seed):
    rng = np.random.default_rng(seed)
    n, w = 1024, 16
    ref = rng.uniform(0.5, 2.0, n) * 1e-6
    P = (ref * rng.gamma(12, 1 / 12, n)).astype(np.float32)
    # an emission of one density, and on some seeds a second, 10 dB or more stronger, beside it
    P[200:520] += (ref[200:520] * rng.uniform(1.0, 3.0)).astype(np.float32)
    if seed % 2:
        P[600:800] += (ref[600:800] * 40).astype(np.float32)
    for lo, blocks in ((0, 4), (192, 20), (200, 38), (560, 16), (100, 50)):
        want = _naive_one_density(P, ref, lo, blocks, w, 0.5, 10.0)
        assert one_density(P, ref, lo, blocks, block_bins=w, held=0.5, ratio=10.0) == want


def test_one_density_leaves_near_ties_to_numpy():
    """A block whose density sits on `held`, or a ratio on `ratio` (to rounding), is not decided."""
    ref = np.full(64, 1e-6)
    P = (ref * 1.5).astype(np.float64)  # every block's density 0.5 (to rounding)
    assert not one_density(P, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)
    P = ref * 2.0
    P[32:] = ref[32:] * 11.0  # densities 1 and 10: a ratio of 10 exactly
    assert not one_density(P, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)
    P[32:] = ref[32:] * 10.0  # densities 1 and 9: one density (under 10)
    assert one_density(P, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)
    P[32:] = ref[32:] * 12.0  # densities 1 and 11: two
    assert not one_density(P, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)
    assert one_density(ref * 0.9, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)  # nothing held
    P = ref * 3.0
    P[5] = np.nan
    assert not one_density(P, ref, 0, 4, block_bins=16, held=0.5, ratio=10.0)  # NaN: numpy decides
    with pytest.raises(ValueError):
        one_density(P, ref, 60, 4, block_bins=16, held=0.5, ratio=10.0)
