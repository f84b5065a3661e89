"""Hop-rate counters (rfkit.detection.hops) on constructed ground truth: row peak sequences and
a phase-continuous hopper's IQ with known dwell, including a channel missing from the list."""

import numpy as np
import pytest

from rfkit.detection.hops import frame_hop_rate, row_alternation, row_hop_rate


def _sequence(n_hops, n_ch, rng):
    """A channel order that never repeats a channel two dwells running."""
    seq = [int(rng.integers(n_ch))]
    for _ in range(n_hops - 1):
        c = int(rng.integers(n_ch - 1))
        seq.append(c + 1 if c >= seq[-1] else c)
    return np.asarray(seq)


@pytest.mark.parametrize("dwell_rows", [1.6, 4.0])
def test_row_rate_counts_every_hop(dwell_rows):
    rng = np.random.default_rng(1)
    ch = np.arange(8) * 50e3 - 200e3
    n_rows, row_s = 400, 0.01
    t = (np.arange(n_rows) + 0.5) / dwell_rows  # dwell index at each row's centre (the row's dominant)
    seq = _sequence(int(t[-1]) + 2, ch.size, rng)
    peak = ch[seq[t.astype(int)]] + rng.normal(0, 2e3, n_rows)  # a carrier's FM moves its peak
    rate, _ = row_hop_rate(peak, np.ones(n_rows, bool), row_s, ch)
    assert rate == pytest.approx(1 / (dwell_rows * row_s), rel=0.05)


def test_row_rate_ignores_one_row_packets_and_sees_unlisted_channels():
    rng = np.random.default_rng(2)
    ch = np.arange(6) * 40e3
    dwell_rows, n_rows, row_s = 4, 480, 0.01
    seq = _sequence(n_rows // dwell_rows, ch.size + 1, rng)  # channel 6 is not in the list
    peak = np.append(ch, 400e3)[np.repeat(seq, dwell_rows)]
    on = np.ones(n_rows, bool)
    on[peak == 400e3] = False  # ... e.g. under the DC guard: no row of it is seen
    peak = np.where(on, peak, np.nan)
    blips = rng.choice(np.flatnonzero(on), 12, replace=False)
    peak[blips] = 900e3  # another emitter's packets outshine the hopper in single rows
    rate, med = row_hop_rate(peak, on, row_s, ch)
    assert med == pytest.approx(dwell_rows, abs=1)
    assert rate == pytest.approx(1 / (dwell_rows * row_s), rel=0.05)


def test_frame_rate_of_a_fast_hopper_with_a_channel_missing():
    rng = np.random.default_rng(3)
    rate_hz, dwell_s, n = 1.0e6, 1.3e-3, 200_000
    ch = np.arange(9) * 60e3 - 240e3
    k = (np.arange(n) / rate_hz / dwell_s).astype(int)
    seq = _sequence(int(k[-1]) + 1, ch.size, rng)
    f = ch[seq[k]]
    x = np.exp(2j * np.pi * np.cumsum(f) / rate_hz)
    noise_per_hz = 10 ** (1.0 / 10) / rate_hz  # J/N -1 dB over the band
    x = x + np.sqrt(noise_per_hz * rate_hz / 2) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    listed = np.delete(ch, 4)  # one channel unknown (e.g. hidden by the DC guard)
    got = frame_hop_rate(x.astype(np.complex64), rate_hz, listed, noise_per_hz, 1.0)
    assert got == pytest.approx(1 / dwell_s, rel=0.05)


def test_too_little_to_count_gives_none():
    assert row_hop_rate(np.array([1.0, 2.0]), np.ones(2, bool), 0.01, np.array([1.0, 2.0])) is None
    assert frame_hop_rate(np.zeros(32, np.complex64), 1e6, np.array([0.0, 1e5]), 1e-6, 1.0) is None


@pytest.mark.parametrize("dwell_rows", [2.53, 5.0])
def test_row_alternation_of_two_channels_keeps_its_clock(dwell_rows):
    rng = np.random.default_rng(2)
    ch = np.array([-322e3, 1114e3])
    n_rows = 110
    t = (np.arange(n_rows) + rng.uniform(0, 1)) / dwell_rows
    peak = ch[t.astype(int) % 2] + rng.normal(0, 2e3, n_rows)
    on = np.ones(n_rows, bool)
    on[37] = False  # an off row inside a dwell is no change
    dwell, misfit, changes = row_alternation(peak, on, ch)
    assert dwell == pytest.approx(dwell_rows, rel=0.03)
    assert misfit < 0.6 and changes >= n_rows / dwell_rows - 2


def test_row_alternation_of_random_bits_has_no_clock():
    # 2-FSK with bits three rows long: changes fall on the bit grid but skip at random
    rng = np.random.default_rng(3)
    ch = np.array([-200e3, 150e3])
    bits = rng.integers(0, 2, 40).repeat(3)
    _, misfit, _ = row_alternation(ch[bits], np.ones(bits.size, bool), ch)
    assert misfit > 1.0
    # the peak off both channels (another emission's) in half the rows: no one carrier always on
    peak = np.where(np.arange(120) % 2 == 0, ch[np.arange(120) // 3 % 2], 500e3)
    assert row_alternation(peak, np.ones(120, bool), ch) is None
    assert row_alternation(ch[np.arange(120) // 3 % 2], np.ones(120, bool), ch) is not None
