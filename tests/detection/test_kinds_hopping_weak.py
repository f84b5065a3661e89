"""Weak FSK hoppers through gen3's imperfect receiver (benchmarks/gen3.py) are hopping, not fast
triangle sweeps: at -5..-10 dB the second-order lag product's plain coherence falls as
(S / (S + N))^2 whatever the carrier does, under the absolute bar of a frequency held still, and
the band's |R| peak on its channel grid was read as a sweep's period, the shape left over a
triangle (Evidence._holds_still judges the signal's own mean, the noise's terms taken out,
against S^2); and a 16-FSK-like hopper's tone pairs, one deviation apart on every channel, are
one channel each even where a pair's neighbour lies closer than twice that deviation
(kinds.hopping._one_deviation). Ground truth: recordings of gen3's sets rebuilt from their plan
(same seed, same spec) that rfkit called chirp before these changes."""

from __future__ import annotations

import numpy as np
import pytest
from independent import gen3_run as _run

from rfkit.detection.kinds.hopping import _fsk_pairs


def _called(truth, d, *, share=0.5):
    """Kinds of the jamming detections overlapping the truth over `share` of its span, in its band."""
    return [e.kind for e in d.jamming
            if min(e.end_s, truth.end_s) - max(e.start_s, truth.start_s) > share * (truth.end_s - truth.start_s)
            and e.freq_lo_hz <= truth.freq_hi_hz and e.freq_hi_hz >= truth.freq_lo_hz]


def test_weak_fsk_hopper_is_no_triangle_sweep(tmp_path):
    # seed 4's 039: a -5 dB hopper over 0.5 MHz (1.2 MS/s), each channel's carrier FSK-keyed: its
    # band's |R| peaked at 12 samples and the second-order phase there held at 0.002 rad, with a
    # coherence of 0.16 (the share of a still carrier at an in-band SNR of 0.55: 0.12) - under
    # the bar of 0.3, so read as a triangle of 10 us over 0.51 MHz: called chirp
    (t,), d = _run(tmp_path, 4, 39)
    assert _called(t, d) == ["hopping"], [(e.kind, e.start_s, e.end_s, e.params) for e in d]


@pytest.mark.parametrize(("seed", "index"), [(17, 84), (3, 55)])
def test_minus_10_db_fsk_hopper_is_hopping(tmp_path, seed, index):
    # seed 17's 084 (9 channels over 0.2 MHz, 960 kS/s) and seed 3's 055 (13 over 1.2 MHz, 2.88
    # MS/s), both -10 dB: called chirp as above; once no sweep, their tone pairs (4.2..4.7 and
    # 10.7..12.2 kHz apart) were not joined into channels (one pair 5.7 kHz, one 11.9 kHz from
    # its neighbour: no pair twice as close to each other as to the next), so two "channels"
    # seemed on per frame - an unknown emission
    (t,), d = _run(tmp_path, seed, index)
    assert _called(t, d) == ["hopping"], [(e.kind, e.start_s, e.end_s, e.params) for e in d]


def test_keyed_sweep_without_channels_keeps_its_kind(tmp_path):
    # seed 5's 066: a -5 dB keyed sweep whose band's |R| peaked at 6 samples (6.5 us over 0.9 MHz):
    # over one lag any sweep holds nearly still, and its own second-order mean there is real and
    # positive as a hopper's; but its averaged spectrum holds no separate channels (no lines a
    # frequency held between jumps leaves), so the stillness refutes nothing (it was missed, an
    # unknown, when Evidence._holds_still was asked without them; found as pulsed, over the
    # middle third of its span)
    (t,), d = _run(tmp_path, 5, 66)
    assert _called(t, d, share=0.0) == ["pulsed"], [(e.kind, e.start_s, e.end_s, e.params) for e in d]


def test_fsk_pairs_one_deviation_apart_are_one_channel_each():
    # a 16-FSK-like hopper's tones 11.3 kHz apart (+-5 %) on 6 channels, two of the channels
    # 23 kHz apart (their tones 11.9 kHz from each other): one channel between each pair
    centres = np.array([0.0, 23.2e3, 180e3, 310e3, 420e3, 600e3])
    dev = 11.3e3 * np.array([1.0, 0.95, 1.04, 1.0, 0.97, 1.05])
    tones = np.sort(np.concatenate([centres - 0.5 * dev, centres + 0.5 * dev]))
    got = _fsk_pairs(tones, np.full(tones.size, 3e3))
    assert got is not None
    assert got[0] == pytest.approx(centres, abs=1.0)


def test_evenly_spaced_channels_are_no_fsk_pairs():
    # a hopper's own channels on a grid (every gap one spacing, read to a few %): no pair is
    # closer within than between, however alike the gaps
    ch = np.arange(12) * 25e3 + np.array([0, 300, -200, 100, 0, -300, 200, 0, 100, -100, 0, 300])
    assert _fsk_pairs(ch, np.full(ch.size, 3e3)) is None
