"""Bursty ordinary traffic: sparse packets where the truth says, nothing elsewhere, labelled not jamming."""

from __future__ import annotations

import numpy as np
import pytest

from rfkit.errors import ParameterError
from rfkit.synth import Scenario, Traffic, generate

RATE = 1.0e6


def traffic_only(traffic, duration_s=2.0, seed=4):
    x, truth = generate(Scenario(rate_hz=RATE, duration_s=duration_s, traffic=traffic), seed=seed)
    n, _ = generate(Scenario(rate_hz=RATE, duration_s=duration_s), seed=seed)
    return x.astype(np.complex128) - n, truth


def test_packets_are_where_the_truth_says_and_nowhere_else():
    e, truth = traffic_only(Traffic(rate_per_s=5.0))
    assert len(truth) >= 4
    on = np.zeros(e.size, dtype=bool)
    for ev in truth:
        assert ev.kind == "burst" and ev.jamming is False
        assert 0.5e-3 < ev.duration_s < 50e-3  # a few milliseconds, like keyfobs and sensors
        a, b = int(np.ceil(ev.start_s * RATE)), int(np.ceil(ev.end_s * RATE))
        on[a:b] = True
        seg = e[a:b]
        # the packet's power sits inside its truth band (FFT of the packet alone)
        spec = np.abs(np.fft.fft(seg)) ** 2
        f = np.fft.fftfreq(seg.size, 1 / RATE) + 1575.42e6
        inside = (f >= ev.freq_lo_hz) & (f <= ev.freq_hi_hz)
        assert spec[inside].sum() / spec.sum() > 0.8
    assert np.all(np.abs(e[~on]) < 1e-6)
    assert on.mean() < 0.15  # sparse


def test_packet_power_while_on_matches_truth():
    e, truth = traffic_only(Traffic(rate_per_s=4.0, modulations=("fsk",), jn_db_range=(3.0, 3.0)))
    noise_p = 10 ** (-30 / 10)
    for ev in truth:
        seg = e[int(np.ceil(ev.start_s * RATE)):int(np.ceil(ev.end_s * RATE))]
        assert 10 * np.log10(np.mean(np.abs(seg) ** 2) / noise_p) == pytest.approx(3.0, abs=0.05)  # FSK: constant
        assert ev.jn_db == pytest.approx(3.0)


def test_ook_is_on_off_keyed():
    e, truth = traffic_only(Traffic(rate_per_s=4.0, modulations=("ook",)))
    ev = truth[0]
    seg = np.abs(e[int(np.ceil(ev.start_s * RATE)):int(np.ceil(ev.end_s * RATE))])
    on = seg > 0.5 * seg.max()
    assert 0.3 < on.mean() < 0.7  # pulses of 1/3 or 2/3 of a bit period
    assert np.count_nonzero(np.diff(on.astype(int)) == 1) >= 10  # many pulses


def test_traffic_is_deterministic_and_seed_dependent():
    _, t1 = traffic_only(Traffic(), seed=1)
    _, t2 = traffic_only(Traffic(), seed=1)
    _, t3 = traffic_only(Traffic(), seed=2)
    assert t1 == t2 and t1 != t3


def test_bad_traffic():
    with pytest.raises(ParameterError, match="rate_per_s=0"):
        Traffic(rate_per_s=0)
    with pytest.raises(ParameterError, match="modulations"):
        Traffic(modulations=("lora",))
