"""False alarms beside noise jammers, and noise jammers told apart from what lies beside them
(rfkit.detection.online's whole-band probe and nested lines, features.envelope_kappa): the
pieces on numpy ground truth, then recordings of the independent generator (benchmarks/altgen.py)
that rfkit got wrong before, rebuilt from its plan (same seed, same spec)."""

from __future__ import annotations

import numpy as np
import pytest
from independent import recording

from rfkit.detection import features as ft
from rfkit.detection.online import OnlineDetector


def _blocks(rng, n_blocks, k, noise, signal, strong=()):
    """|y|^2 of noise (power `noise`) plus Gaussian noise of power `signal` in every block, and a
    constant-envelope packet 10x stronger in the blocks `strong`."""
    n = n_blocks * k
    y = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt((noise + signal) / 2)
    for b in strong:
        y[b * k:(b + 1) * k] += np.sqrt(10 * signal) * np.exp(2j * np.pi * 0.01 * np.arange(k))
    return y.real ** 2 + y.imag ** 2


@pytest.mark.parametrize("strong", [(), (9,), (3, 12), (2, 7, 12), (1, 5, 9, 13)])
def test_kappa_of_stationary_noise_under_strong_packets_is_gaussian(strong):
    """Stationary noise (SNR 2) with strong packets in some of the snippet's blocks (a beacon
    every ~0.1 s falls into three or four blocks of any snippet: independent 89's alt082, a
    -5 dB whole-band jammer under GFSK beacons): the steady level under them is judged."""
    rng = np.random.default_rng(1)
    e = _blocks(rng, ft.KAPPA_BLOCKS, 4096, 1.0, 2.0, strong)
    kappa, _ = ft.envelope_kappa(e, 1.0)
    assert 1.8 <= kappa <= 2.2


def test_kappa_of_a_pulse_in_silence_is_not_gaussian():
    # a constant-envelope pulse in one block and noise alone elsewhere: no steady level to take
    rng = np.random.default_rng(2)
    e = _blocks(rng, ft.KAPPA_BLOCKS, 4096, 1.0, 0.0)
    k = 4096
    t = np.arange(k)
    e[5 * k:6 * k] = np.abs(np.sqrt(20.0) * np.exp(2j * np.pi * 0.01 * t)
                            + (rng.standard_normal(k) + 1j * rng.standard_normal(k)) * np.sqrt(0.5)) ** 2
    kappa, _ = ft.envelope_kappa(e, 1.0)
    assert not 1.6 <= kappa <= 2.8


def test_partial_band_noise_beside_a_strong_beacon_is_noise(tmp_path):
    # seed 29's alt089: a 1 MHz noise band at 0 dB from 0.85 s to the end; a GFSK beacon at +11 dB
    # every ~0.1 s just below it joins its band: the snippet's blocks holding a beacon packet stand
    # far above the rest, whose steady level is the noise band's (Gaussian envelope)
    spec, d = recording(tmp_path, 29, 89)
    (t0, t1), = spec["jammers"][0]["on"]
    jam = [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert [e.kind for e in jam] == ["noise"], [(e.kind, e.jamming, e.start_s, e.end_s) for e in d]
    assert abs(jam[0].start_s - t0) <= 0.05 and abs(jam[0].end_s - t1) <= 0.05


def test_whole_band_noise_after_a_burst_train_is_noise_not_pulsed(tmp_path):
    # seed 23's alt029: six FSK sensor packets 16.6 ms apart in one 100 kHz channel at the start,
    # whole-band noise at +10 dB from 0.56 s on: the whole-band probe saw the packets' train, which
    # lifts one channel only; the jammer is a floor rise, noise
    spec, d = recording(tmp_path, 23, 29)
    (t0, t1), = spec["jammers"][0]["on"]
    jam = [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert [e.kind for e in jam] == ["noise"], [(e.kind, e.jamming, e.start_s, e.end_s) for e in d]
    assert abs(jam[0].start_s - t0) <= 0.05
    assert not [e for e in d.jamming if e.end_s < t0], "the packets were called jamming"


def test_a_beacon_tone_inside_a_noise_band_is_no_cw(tmp_path):
    # seed 23's alt010: a noise band at 0 dB on twice, over a GFSK beacon every ~0.1 s whose
    # spectral peak stands out of the band's robust spectrum like a line; it is there only during
    # the packets, a carrier in every window
    spec, d = recording(tmp_path, 23, 10)
    assert spec["jammers"][0]["variant"] == "noise-partial"
    assert [e.kind for e in d.jamming] == ["noise"] * len(d.jamming), \
        [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]


@pytest.mark.parametrize("kind", ["carrier", "carrier-under-noise", "packet-tone"])
def test_a_nested_line_is_a_carrier_only_where_it_is_on_in_every_window(kind):
    # a line at 123.4 kHz seen by the detector's ring over 1 s: a carrier (alone, or with a noise
    # band over it for half the time) is on in every window; a tone for 4 ms every 0.1 s (a
    # beacon's preamble) in few of them
    rate = 2.048e6
    rng = np.random.default_rng(3)
    n = int(1.0 * rate)
    t = np.arange(n) / rate
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(1e-6 / 2)
    amp = np.sqrt(1e-6 * 10 ** (-15 / 10))  # J/N -15 dB
    tone = amp * np.exp(2j * np.pi * 123.4e3 * t)
    if kind == "packet-tone":
        tone = tone * ((t % 0.1) < 0.004) * np.sqrt(25.0)
    x += tone
    if kind == "carrier-under-noise":
        x += (t >= 0.5) * (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(1e-6 / 2)
    det = OnlineDetector(rate, 868e6)
    det.push(x.astype(np.complex64))
    assert det._line_in_bursts(123.4e3, 0.05, 0.95) == (kind == "packet-tone")


def test_two_lora_packets_are_no_keyed_carrier(tmp_path):
    # seed 43's alt043 (traffic only, 1.8 MS/s): two LoRa packets 0.2 s apart, +6 and +10 dB, one
    # emission within the hold time; their envelope's wander read as a "train" at 434 kHz with
    # 1.45 us pulses (2.6 samples), called a keyed carrier at +11 dB. Pulses of a few samples are
    # no keying (pulsed.MIN_PULSE_SAMPLES)
    spec, d = recording(tmp_path, 43, 43)
    assert not spec["jammers"]
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]

