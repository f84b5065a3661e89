"""Line combs split into stretches: told apart from independent tones by spacing and grid."""

import math

import numpy as np
import pytest

from rfkit.detection import combs

N_BINS = 1024


def _spectrum(lines, *, level=20.0):
    """(spec, ref): a flat reference of 1 with Hann-like lines (main lobe over 3 bins) at the
    fractional bins `lines`, each `level` times the reference at its peak."""
    ref = np.ones(N_BINS)
    spec = ref.copy()
    k = np.arange(N_BINS)
    for f in lines:
        spec += level * np.clip(1 - ((k - f) / 1.5) ** 2, 0, None)
    return spec, ref


def test_line_positions_find_the_lines_to_a_fraction_of_a_bin():
    want = np.array([100.3, 128.6, 156.9, 213.5])
    spec, ref = _spectrum(want)
    got = combs.line_positions(spec, ref, [(90, 230)])
    assert got.shape == want.shape
    assert np.max(np.abs(got - want)) < 0.25


def test_comb_of_reads_spacing_and_grid_with_a_missing_line():
    spacing, first = 28.3, 100.4
    lines = first + spacing * np.array([0, 1, 2, 4, 5, 6])  # line 3 below the CFAR
    got = combs.comb_of(lines)
    assert got is not None
    s, off = got
    assert s == pytest.approx(spacing, rel=1e-3)
    x = (off - first) / spacing
    assert abs(x - round(x)) < 0.02


def test_scattered_tones_are_no_comb():
    assert combs.comb_of(np.array([100.0, 131.0, 190.0, 205.0])) is None  # uneven gaps
    assert combs.comb_of(np.array([100.0, 101.5, 103.0])) is None  # not resolved lines
    assert combs.comb_of(np.array([100.0, 128.0])) is None  # two lines


@pytest.mark.parametrize("gap_lines", [2, 3])
def test_stretches_of_one_comb_are_one(gap_lines):
    s, f0 = 28.0, 50.2
    a = f0 + s * np.arange(0, 6)  # lines 0..5
    b = f0 + s * np.arange(5 + gap_lines, 12 + gap_lines)  # a gap of gap_lines - 1 missing lines
    bands_a = [(int(a[0]) - 2, int(a[-1]) + 2)]
    bands_b = [(int(b[0]) - 2, int(b[-1]) + 2)]
    assert combs.same_comb((a, bands_a), (b, bands_b))
    # a single line on the grid between them belongs too
    one = np.array([f0 + s * 7])
    assert combs.same_comb((a, bands_a), (one, [(int(one[0]) - 1, int(one[0]) + 1)]))


def test_stretches_off_grid_or_far_apart_are_not_one():
    s, f0 = 28.0, 50.2
    a = f0 + s * np.arange(0, 6)
    bands_a = [(int(a[0]) - 2, int(a[-1]) + 2)]
    off_grid = f0 + 0.5 * s + s * np.arange(7, 13)  # same spacing, half a spacing off the grid
    assert not combs.same_comb((a, bands_a), (off_grid, [(int(off_grid[0]) - 2, int(off_grid[-1]) + 2)]))
    other = f0 + s * 7 + 31.0 * np.arange(6)  # another spacing
    assert not combs.same_comb((a, bands_a), (other, [(int(other[0]) - 2, int(other[-1]) + 2)]))
    far = f0 + s * np.arange(12, 18)  # on the grid, but 6 spacings away
    assert not combs.same_comb((a, bands_a), (far, [(int(far[0]) - 2, int(far[-1]) + 2)]))
    lone = np.array([f0 + s * 7 + 0.4 * s])  # a lone tone off the grid
    assert not combs.same_comb((a, bands_a), (lone, [(int(lone[0]) - 1, int(lone[0]) + 1)]))
    assert not combs.same_comb((np.array([10.0]), [(9, 11)]), (np.array([40.0]), [(39, 41)]))


def test_detect_joins_a_triangle_sweep_comb_with_dips():
    """End to end at J/N -5 dB: a fast triangle sweep (B T ~ 26) whose comb of lines 1/T apart
    has lines too weak for the row CFAR, so the tracker sees stretches of it born together; it
    is one chirp with its rate, not a multitone."""
    import rfkit

    rate, band, period_s = 1.024e6, 732e3, 35.7e-6
    n = int(1.2 * rate)
    t = np.arange(n) / rate
    # continuous phase: f = f_lo + band * (2u or 2 - 2u), u the position in the period
    u = (t / period_s) % 1.0
    k = np.floor(t / period_s)
    within = np.where(u < 0.5, u * u, 2 * u - u * u - 0.5)  # integral of (2u or 2 - 2u) du
    f_lo = -band / 2 - 30e3
    phase = 2 * np.pi * (f_lo * t + band * period_s * (0.5 * k + within))
    x = np.exp(1j * phase) * ((t >= 0.2) & (t < 1.0))
    rng = np.random.default_rng(2)
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / math.sqrt(2)
    y = (x * math.sqrt(10 ** -0.5) + noise).astype(np.complex64)
    dets = rfkit.detect(y, rate_hz=rate, center_hz=868.3e6)
    jam = [e for e in dets if e.jamming]
    assert len(jam) == 1 and jam[0].kind == "chirp"
    p = jam[0].params
    assert p["sweep_shape"] == "triangle"
    assert p["sweep_period_s"] == pytest.approx(period_s, rel=1e-3)
    assert p["sweep_rate_hz_per_s"] == pytest.approx(2 * band / period_s, rel=0.02)
