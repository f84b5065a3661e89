"""Hop-rate counters (rfkit.detection.hops) on constructed ground truth: row peak sequences and
a phase-continuous hopper's IQ with known dwell, including a channel missing from the list, an
FSK-keyed hopper whose two tones are listed as two channels, two channels listed as one wide
channel; two hoppers on at once told into their two channel sets."""

import numpy as np
import pytest

from rfkit.detection.hops import frame_hop_rate, row_alternation, row_hop_rate, two_hoppers


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


def _hopper_iq(rng, rate_hz, n, ch, dwell_s, *, fsk_dev_hz=0.0, baud=0.0):
    """(IQ of a phase-continuous hopper over `ch` (Hz) with dwell `dwell_s`, its true dwell count
    per second of channel changes): each dwell FSK-keyed (+-fsk_dev_hz at `baud`) where asked."""
    t = np.arange(n) / rate_hz
    k = (t / dwell_s).astype(int)
    seq = _sequence(int(k[-1]) + 1, ch.size, rng)
    f = ch[seq[k]]
    if baud:
        bits = rng.integers(0, 2, int(t[-1] * baud) + 2) * 2 - 1
        f = f + fsk_dev_hz * bits[(t * baud).astype(int)]
    return np.exp(2j * np.pi * np.cumsum(f) / rate_hz), 1 / dwell_s


def _noise(rng, n, noise_per_hz, rate_hz):
    return np.sqrt(noise_per_hz * rate_hz / 2) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))


def test_frame_rate_of_an_fsk_hopper_whose_tones_are_listed_as_channels():
    # each dwell's carrier FSK-keyed (+-5 kHz at 2 kbaud, 10 ms dwells): one channel's two tones
    # are listed as two channels 10 kHz apart; their bits are no hops
    rng = np.random.default_rng(4)
    rate_hz, n = 2.4e6, 600_000
    ch = np.array([-700e3, -420e3, -90e3, 260e3, 610e3])
    x, true_rate = _hopper_iq(rng, rate_hz, n, ch, 10e-3, fsk_dev_hz=5e3, baud=2e3)
    noise_per_hz = 10 ** (-5.0 / 10) / rate_hz  # J/N +5 dB over the band
    x = x + _noise(rng, n, noise_per_hz, rate_hz)
    listed = np.sort(np.concatenate([ch[[0, 2, 3, 4]], ch[1] + np.array([-5e3, 5e3])]))
    widths = np.where(np.isin(listed, ch), 14e3, 4e3)
    got = frame_hop_rate(x.astype(np.complex64), rate_hz, listed, noise_per_hz, 1.0, widths_hz=widths)
    assert got == pytest.approx(true_rate, rel=0.05)


def test_frame_rate_counts_hops_between_two_channels_listed_as_one_wide_channel():
    # channels 25 kHz apart, each carrier ~12 kHz wide, seen in the averaged spectrum as one
    # channel twice as wide as the others: the hops between them are hops
    rng = np.random.default_rng(5)
    rate_hz, n = 1.2e6, 600_000
    ch = np.array([-400e3, -190e3, -165e3, 60e3, 330e3])
    x, true_rate = _hopper_iq(rng, rate_hz, n, ch, 2e-3, fsk_dev_hz=3e3, baud=4e3)
    noise_per_hz = 10 ** (-5.0 / 10) / rate_hz
    x = x + _noise(rng, n, noise_per_hz, rate_hz)
    listed = np.array([-400e3, -177.5e3, 60e3, 330e3])
    widths = np.array([12e3, 37e3, 12e3, 12e3])
    got = frame_hop_rate(x.astype(np.complex64), rate_hz, listed, noise_per_hz, 1.0, widths_hz=widths)
    assert got == pytest.approx(true_rate, rel=0.05)


def test_two_hoppers_at_once_are_told_into_their_channel_sets():
    rng = np.random.default_rng(6)
    rate_hz, n = 2.4e6, 500_000
    a = np.array([-310e3, -210e3, 190e3, 290e3, 390e3])
    b = np.array([-780e3, -655e3, -580e3, -470e3])
    xa, _ = _hopper_iq(rng, rate_hz, n, a, 4.6e-3)
    xb, _ = _hopper_iq(rng, rate_hz, n, b, 2.7e-3)
    noise_per_hz = 1.0 / rate_hz  # each hopper at J/N 0 and -6 dB
    x = (xa + 0.5 * xb + _noise(rng, n, noise_per_hz, rate_hz)).astype(np.complex64)
    both = np.concatenate([a, b])
    sets = two_hoppers(x, rate_hz, both, noise_per_hz, 1.25)
    assert sets is not None
    assert sorted(sets[0]) == sorted(a) and sorted(sets[1]) == sorted(b)
    # the same channels all on at once (a multitone, unequal powers) are no two hoppers
    t = np.arange(n) / rate_hz
    tones = sum((0.5 + 0.1 * i) * np.exp(2j * np.pi * f * t) for i, f in enumerate(both))
    y = (0.4 * tones + _noise(rng, n, noise_per_hz, rate_hz)).astype(np.complex64)
    assert two_hoppers(y, rate_hz, both, noise_per_hz, 1.0) is None
    # one hopper over all of them: its channels take turns, no pair on together
    x1, _ = _hopper_iq(rng, rate_hz, n, both, 3e-3)
    assert two_hoppers((x1 + _noise(rng, n, noise_per_hz, rate_hz)).astype(np.complex64), rate_hz, both,
                       noise_per_hz, 1.0) is None
