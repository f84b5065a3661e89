"""The keyed look: a pulse train below the per-row CFAR (low duty, weak) found by folding the
raw envelope, with its on/off span chunk by chunk (rfkit.detection.keyed, OnlineDetector)."""

import numpy as np
import pytest

import rfkit
from rfkit.detection import keyed
from rfkit.synth.emitters import Multitone, Pulsed
from rfkit.synth.scenario import Scenario, generate


def test_chunk_contrast_marks_where_a_weak_train_is_on():
    # exponential noise of mean 1 with pulses +0.4 on 10 % of a 100-sample period from sample
    # 30 000 to 70 000: the chunks there stand out, the others do not
    rate, n, period = 100e3, 100_000, 100.0
    rng = np.random.default_rng(1)
    i = np.arange(n)
    on = ((i % period) < 10) & (i >= 30_000) & (i < 70_000)
    e = rng.exponential(1.0, n) + 0.4 * on
    phases = np.zeros(64, dtype=bool)
    phases[: round(0.1 * 64)] = True
    starts, contrast, sigma = keyed.chunk_contrast(e, rate, period_samples=period, on_phases=phases, band_hz=rate)
    span = keyed.on_span(contrast, sigma)
    assert span is not None
    c = starts[1] - starts[0]
    assert abs(starts[span[0]] - 30_000) <= c and abs(starts[span[1]] + c - 70_000) <= c
    # noise alone: no chunk stands out
    _, c0, s0 = keyed.chunk_contrast(rng.exponential(1.0, n), rate, period_samples=period, on_phases=phases,
                                     band_hz=rate)
    assert keyed.on_span(c0, s0) is None or np.max(c0) < 4 * s0


def test_on_phases_at_a_known_period():
    period, n = 50.0, 20_000
    i = np.arange(n)
    e = 1.0 + ((i % period) >= 20) * ((i % period) < 30) * 2.0
    on = keyed.on_phases_at(e, period)
    assert on is not None
    assert on.mean() == pytest.approx(0.2, abs=0.05)


@pytest.mark.parametrize("seed", [3, 4])
def test_weak_low_duty_train_below_the_rows_is_found(seed):
    # four tones keyed at ~1 kHz, 10 % duty, J/N -5 dB while on: each tone averages about -21 dB
    # in a 10 ms row, below the per-row CFAR; folded, the train stands out (an ideal receiver:
    # an 8-bit receiver's DC offset still inflates the J/N measured over the whole band)
    rate = 250e3
    base = Multitone(offsets_hz=(-80e3, -20e3, 10e3, 70e3))
    sc = Scenario(emitters=(Pulsed(base=base, prf_hz=990.0, duty=0.1, jn_db=-5.0, start_s=0.6, end_s=1.9),),
                  rate_hz=rate, duration_s=2.2, center_freq_hz=433.92e6, impairments=None)
    x, truth = generate(sc, seed=seed)
    dets = rfkit.detect(x.astype("complex64"), rate_hz=rate, center_hz=433.92e6)
    jam = dets.jamming
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s) for e in dets]
    ev, t = jam[0], truth[0]
    assert ev.kind == "pulsed"
    assert ev.params["prf_hz"] == pytest.approx(990.0, rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(t.params["duty_cycle"], abs=0.05)
    assert abs(ev.start_s - t.start_s) <= 0.05 and abs(ev.end_s - t.end_s) <= 0.05
    assert abs(ev.jn_db - t.jn_db) <= 2.0


def test_no_train_in_noise_alone():
    rng = np.random.default_rng(9)
    n = int(250e3 * 2.0)
    x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * 0.01).astype(np.complex64)
    assert not rfkit.detect(x, rate_hz=250e3).jamming
