"""Tones a few fine bins apart, the middle one stronger: a multitone's comb, or a carrier keyed
at a PRF of a few bins (its side lines)? Keying modulates the amplitude, so its side lines stand
in AM phase about the carrier and the envelope through the three lines swings accordingly
(`Evidence._keying_refuted`); tones of their own phases beat less. Ground truth from the
waveforms built here (gen3 seed 19's 092: three tones 4.7 kHz apart at 2.88 MS/s, the middle one
5 dB up, +10 dB, was called cw)."""

import numpy as np
import pytest

import rfkit

RATE = 1.024e6  # fine bins of 1 kHz
ON, OFF = 0.3, 1.1
F0, SPACING = -150e3, 3300.0  # 3.3 fine bins apart: the Hann main lobes' skirts join
CENTRE = 868e6


def _noise(n, rng):
    return (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5)


def _detect(s, rng, jn_db=10.0):
    n = s.shape[0]
    t = np.arange(n) / RATE
    on = (t >= ON) & (t < OFF)
    s = s / np.sqrt(np.mean(np.abs(s) ** 2))
    x = (_noise(n, rng) + on * np.sqrt(10 ** (jn_db / 10)) * s).astype(np.complex64)
    return rfkit.detect(x, rate_hz=RATE, center_hz=CENTRE)


@pytest.mark.parametrize("psi", [np.pi, np.pi / 2])
def test_close_comb_with_a_stronger_middle_is_multitone(psi):
    # three tones 3.3 bins apart, the outer two 5 dB under the middle, their phases psi off the
    # AM phase (pi: in quadrature, a near-constant envelope, kappa 1.08; pi/2: kappa 1.55, as
    # random phases on average): the base code read the outer lines as keying's side lines and
    # called one cw (pi) or nothing (pi/2)
    rng = np.random.default_rng(7)
    n = int(1.4 * RATE)
    t = np.arange(n) / RATE
    a = 10 ** (-5 / 20)
    s = np.exp(2j * np.pi * F0 * t) * (1 + a * np.exp(1j * (2 * np.pi * SPACING * t + 0.3))
                                       + a * np.exp(1j * (-2 * np.pi * SPACING * t - 0.3 + psi)))
    d = _detect(s, rng)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "multitone", [(e.kind, e.params) for e in d]
    got = jam[0].params["tones_hz"]
    assert len(got) == 3
    for fk in (F0 - SPACING, F0, F0 + SPACING):
        assert min(abs(CENTRE + fk - g) for g in got) <= 0.3 * d.stats["bin_hz"]


@pytest.mark.parametrize("duty", [0.5, 0.3])
def test_carrier_keyed_at_a_few_bins_stays_one_keyed_carrier(duty):
    # the twin: one carrier keyed on and off at a PRF of 3.3 bins has the same three lines (and
    # more), in AM phase: its envelope swings on and off, so they stay its side lines
    rng = np.random.default_rng(8)
    n = int(1.4 * RATE)
    t = np.arange(n) / RATE
    s = np.exp(2j * np.pi * F0 * t) * (((t * SPACING) % 1.0) < duty)
    d = _detect(s, rng)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "pulsed", [(e.kind, e.params) for e in d]
    assert jam[0].params["base_kind"] == "cw"
    assert jam[0].params["prf_hz"] == pytest.approx(SPACING, rel=0.02)


def test_gen3_close_comb_with_a_stronger_middle_is_multitone(tmp_path):
    # gen3 seed 19's 092: three tones 4.7 kHz apart (3.3 fine bins at 2.88 MS/s), the middle one
    # 5 dB over the outer two, J/N +10 dB; the outer lines were taken for keying's side lines
    # and the three called one cw
    from independent import gen3_multitone

    gen3_multitone(tmp_path, 19, 92, 3)
