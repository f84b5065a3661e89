"""RTL-SDR impairments against naive re-implementations applied to the ideal samples."""

from __future__ import annotations

import numpy as np
import pytest

from rfkit.synth import CW, Chirp, Impairments, Noise, Scenario, generate
from rfkit.synth.impairments import rolloff_taps

RATE = 1.0e6
SEED = 5


def pair(emitters, imp, *, duration_s=0.1, center=1e9):
    """(ideal samples, impaired samples, impaired truth) of the same scenario and seed."""
    ideal = Scenario(emitters=emitters, rate_hz=RATE, duration_s=duration_s, center_freq_hz=center)
    x0, _ = generate(ideal, seed=SEED)
    x1, truth = generate(Scenario(emitters=emitters, rate_hz=RATE, duration_s=duration_s,
                                  center_freq_hz=center, impairments=imp), seed=SEED)
    return x0.astype(np.complex128), x1.astype(np.complex128), truth


def test_iq_imbalance_matches_the_branch_model():
    gain_db, phase_deg = 0.5, 3.0
    x0, x1, _ = pair((CW(jn_db=20, offset_hz=200e3),), Impairments(iq_gain_db=gain_db, iq_phase_deg=phase_deg))
    g, phi = 10 ** (gain_db / 20), np.deg2rad(phase_deg)
    i, q = x0.real, x0.imag
    want = i + 1j * g * (q * np.cos(phi) - i * np.sin(phi))  # I' = I, Q' = g(Q cos φ − I sin φ)
    np.testing.assert_allclose(x1, want, atol=1e-6)


def test_iq_imbalance_image_level():
    _x0, x1, _truth = pair((CW(jn_db=30, offset_hz=250e3),), Impairments(iq_gain_db=0.2, iq_phase_deg=1.0),
                         duration_s=0.1)
    spec = np.abs(np.fft.fft(x1)) ** 2
    f = np.fft.fftfreq(x1.size, 1 / RATE)
    tone, image = spec[np.argmin(np.abs(f - 250e3))], spec[np.argmin(np.abs(f + 250e3))]
    g, phi = 10 ** (0.2 / 20), np.deg2rad(1.0)
    irr = (1 + g * g + 2 * g * np.cos(phi)) / (1 + g * g - 2 * g * np.cos(phi))  # textbook image rejection
    assert 10 * np.log10(tone / image) == pytest.approx(10 * np.log10(irr), abs=0.2)
    assert 30 < 10 * np.log10(irr) < 45


def test_ppm_shifts_every_emission_and_the_truth():
    ppm, center, off = 12.0, 1e9, 100e3
    _, x1, truth = pair((CW(jn_db=20, offset_hz=off),), Impairments(ppm=ppm), center=center)
    e = x1 - pair((), Impairments(ppm=ppm), center=center)[1]  # the emitter alone, as received
    f = np.mean(np.angle(e[1:] * np.conj(e[:-1]))) * RATE / (2 * np.pi)
    assert f == pytest.approx(off - ppm * 1e-6 * center, abs=0.1)  # a fast crystal shows signals low
    assert truth[0].params["tones_hz"][0] == pytest.approx(center + off - 12e3)
    assert truth[0].freq_lo_hz == pytest.approx(center + off - 12e3)


def test_rolloff_is_a_zero_delay_fir_of_the_ideal_samples():
    imp = Impairments(rolloff=True)
    x0, x1, _ = pair((Chirp(jn_db=10, bandwidth_hz=900e3, period_s=1e-3),), imp, duration_s=0.3)
    taps = rolloff_taps(imp)
    want = np.convolve(x0, taps, mode="same")
    h = (taps.size - 1) // 2
    np.testing.assert_allclose(x1[:-h], want[:-h], atol=1e-6)  # the end differs: the stream runs on


def test_rolloff_attenuates_the_band_edge_and_truth_accounts_for_it():
    imp = Impairments(rolloff=True)
    em = (CW(jn_db=0, offset_hz=470e3), CW(jn_db=0, offset_hz=10e3))
    _, _, truth = pair(em, imp)
    n_imp = generate(Scenario(rate_hz=RATE, duration_s=0.5, impairments=imp), seed=1)[0]
    n_id = generate(Scenario(rate_hz=RATE, duration_s=0.5), seed=1)[0]
    g_noise = np.mean(np.abs(n_imp) ** 2) / np.mean(np.abs(n_id) ** 2)
    taps = rolloff_taps(imp)
    k = np.arange(taps.size) - (taps.size - 1) / 2
    edge = {t.params["tones_hz"][0] - 1e9: t for t in truth}
    for off, ev in edge.items():
        h2 = abs(np.sum(taps * np.exp(-2j * np.pi * off / RATE * k))) ** 2
        assert ev.jn_db == pytest.approx(10 * np.log10(h2 / g_noise), abs=0.05)
    assert edge[470e3].jn_db < edge[10e3].jn_db - 3  # the edge is rolled off


def test_dc_offset_and_8bit_grid():
    imp = Impairments(dc_offset=(0.02, -0.01), adc_8bit=True)
    _, x1, _ = pair((Noise(jn_db=0, bandwidth_hz=RATE),), imp, duration_s=0.2)
    assert np.mean(x1.real) == pytest.approx(0.02, abs=0.002)
    assert np.mean(x1.imag) == pytest.approx(-0.01, abs=0.002)
    for comp in (x1.real, x1.imag):
        u = comp * 127.5 + 127.5
        np.testing.assert_allclose(u, np.round(u), atol=1e-4)  # every value on the cu8 grid
        assert u.min() >= 0 and u.max() <= 255


def test_default_noise_keeps_quantisation_minor():
    """At the default −30 dBFS the 8-bit grid changes the noise power by well under 0.2 dB."""
    sc = Scenario(rate_hz=RATE, duration_s=0.2)
    x0 = generate(sc, seed=2)[0]
    x1 = generate(Scenario(rate_hz=RATE, duration_s=0.2, impairments=Impairments(adc_8bit=True)), seed=2)[0]
    p0, p1 = np.mean(np.abs(x0) ** 2), np.mean(np.abs(x1) ** 2)
    assert abs(10 * np.log10(p1 / p0)) < 0.2
    assert np.std(x1.real) * 127.5 > 2.5  # ~2.9 LSB rms of noise a component


def test_rtlsdr_preset_turns_everything_on():
    imp = Impairments.rtlsdr(ppm=-7)
    assert imp.rolloff and imp.adc_8bit and imp.ppm == -7 and imp.iq_gain_db and imp.iq_phase_deg
    assert any(imp.dc_offset)
