"""Scenarios: J/N accounting, determinism, streaming, SigMF ground truth, real-recording backgrounds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from realdata import real

import rfkit
from rfkit.detection.events import annotation_to_event
from rfkit.errors import ParameterError
from rfkit.io.writers import write_raw
from rfkit.synth import (
    CW,
    Chirp,
    Hopping,
    Impairments,
    Multitone,
    Noise,
    Pulsed,
    Scenario,
    Traffic,
    generate,
    ground_truth,
    iter_blocks,
    noise_floor_power,
    scenario_from_dict,
    scenario_to_dict,
    write_scenario,
)
from rfkit.synth.scenario import CHUNK, SCENARIO_KEY

RATE = 1.0e6


def emitter_jn_db(sc, seed, *, noise_sc=None):
    """J/N measured the independent way: (with − without emitters) power / (without) power."""
    x, truth = generate(sc, seed=seed)
    quiet = noise_sc or Scenario(rate_hz=sc.rate_hz, duration_s=sc.duration_s, noise_dbfs=sc.noise_dbfs,
                                 impairments=sc.impairments, center_freq_hz=sc.center_freq_hz)
    n, _ = generate(quiet, seed=seed)
    e = x.astype(np.complex128) - n
    return 10 * np.log10(np.mean(np.abs(e) ** 2) / np.mean(np.abs(n.astype(np.complex128)) ** 2)), truth


@pytest.mark.parametrize("emitter", [
    CW(jn_db=-10, offset_hz=-333e3),
    Multitone(jn_db=-5, offsets_hz=(1e3, 2e5, -4e5)),
    Chirp(jn_db=0, bandwidth_hz=800e3, period_s=25e-6, shape="triangle"),
    Noise(jn_db=3, offset_hz=100e3, bandwidth_hz=300e3),
    Hopping(jn_db=-2, dwell_s=1e-3),
])
def test_jn_is_power_over_whole_band_noise(emitter):
    sc = Scenario(emitters=(emitter,), rate_hz=RATE, duration_s=0.5, noise_dbfs=-25)
    jn, truth = emitter_jn_db(sc, seed=11)
    assert jn == pytest.approx(emitter.jn_db, abs=0.1)
    assert truth[0].jn_db == pytest.approx(emitter.jn_db, abs=1e-9)
    assert truth[0].power_dbfs == pytest.approx(-25 + emitter.jn_db, abs=1e-9)


def test_pulsed_jn_is_the_power_during_a_pulse():
    e = Pulsed(jn_db=6, base=CW(offset_hz=5e3), prf_hz=250, duty=0.25)
    jn_avg, truth = emitter_jn_db(Scenario(emitters=(e,), rate_hz=RATE, duration_s=0.4), seed=2)
    assert jn_avg == pytest.approx(6 + 10 * np.log10(0.25), abs=0.05)  # averaged over on and off
    assert truth[0].jn_db == pytest.approx(6.0)


def test_truth_jn_with_every_linear_impairment_matches_measurement():
    imp = Impairments(ppm=15, rolloff=True, iq_gain_db=0.3, iq_phase_deg=2.0)
    for em in (CW(jn_db=0, offset_hz=430e3), Chirp(jn_db=-5, bandwidth_hz=900e3, period_s=5e-3),
               Noise(jn_db=5, bandwidth_hz=RATE)):
        sc = Scenario(emitters=(em,), rate_hz=RATE, duration_s=0.5, impairments=imp)
        jn, truth = emitter_jn_db(sc, seed=4)
        # the measurement also holds the image (|ν|² ≈ −30 dB); the truth does not
        assert truth[0].jn_db == pytest.approx(jn, abs=0.1), em


def test_same_seed_same_samples_other_seed_other_samples():
    sc = Scenario(emitters=(Noise(jn_db=0, bandwidth_hz=1e5), Chirp(jn_db=0, period_s=1e-4)), rate_hz=RATE,
                  duration_s=0.3, traffic=Traffic(rate_per_s=20), impairments=Impairments.rtlsdr())
    a, ta = generate(sc, seed=9)
    b, tb = generate(sc, seed=9)
    c, _ = generate(sc, seed=10)
    assert np.array_equal(a, b) and ta == tb
    assert not np.array_equal(a, c)


def test_blocks_are_the_same_samples_in_bounded_pieces():
    sc = Scenario(emitters=(Noise(jn_db=0, bandwidth_hz=2e4),), rate_hz=RATE, duration_s=0.7,
                  impairments=Impairments.rtlsdr())
    whole, _ = generate(sc, seed=1)
    pieces = list(iter_blocks(sc, seed=1))
    assert max(p.size for p in pieces) <= CHUNK and len(pieces) > 3
    assert all(p.dtype == np.complex64 for p in pieces)
    assert np.array_equal(np.concatenate(pieces), whole)


def test_adding_an_emitter_does_not_change_the_noise():
    """Each random stream has its own seed: the noise is the same with or without the emitter."""
    a, _ = generate(Scenario(rate_hz=RATE, duration_s=0.2), seed=3)
    b, _ = generate(Scenario(emitters=(CW(jn_db=0, start_s=0.1),), rate_hz=RATE, duration_s=0.2), seed=3)
    assert np.array_equal(a[:100_000], b[:100_000])


@pytest.mark.parametrize("dtype", ["cu8", "cf32"])
def test_written_sigmf_holds_the_samples_and_the_ground_truth(tmp_path, dtype):
    imp = Impairments.rtlsdr() if dtype == "cu8" else None
    sc = Scenario(emitters=(Chirp(jn_db=0, start_s=0.1, end_s=0.35, bandwidth_hz=5e5, period_s=2e-5),
                            Pulsed(jn_db=3, base=CW(offset_hz=2e5), prf_hz=300, duty=0.4)),
                  rate_hz=RATE, duration_s=0.4, impairments=imp, traffic=Traffic(rate_per_s=10))
    meta = write_scenario(tmp_path / "s", sc, seed=7, dtype=dtype)
    assert meta.name == "s.sigmf-meta"
    x, truth = generate(sc, seed=7)
    with rfkit.open(meta) as cap:
        y = cap.read()
        anns = cap.annotations
        assert cap.info.center_freq == sc.center_freq_hz and cap.info.sample_rate == RATE
    if dtype == "cu8":
        assert np.array_equal(x, y)  # quantised on the cu8 grid: read back bit for bit
    else:
        np.testing.assert_array_equal(x, y)
    back = [annotation_to_event(a, sample_rate=RATE) for a in anns]
    assert len(back) == len(truth) >= 3
    for got, want in zip(back, truth):
        assert got.kind == want.kind and got.jamming == want.jamming
        assert got.start_s == pytest.approx(want.start_s, abs=1 / RATE)
        assert got.end_s == pytest.approx(want.end_s, abs=1 / RATE)
        assert got.freq_lo_hz == pytest.approx(want.freq_lo_hz) and got.jn_db == pytest.approx(want.jn_db)
        assert got.params == json.loads(json.dumps(want.to_dict()["params"]))
    kinds = {e.kind for e in back}
    assert {"chirp", "pulsed", "burst"} <= kinds
    glob = json.loads(meta.read_text())["global"]
    again = scenario_from_dict(glob[SCENARIO_KEY])
    assert again == sc and glob[SCENARIO_KEY]["seed"] == 7


def test_scenario_description_round_trips():
    sc = Scenario(emitters=(Pulsed(jn_db=1, base=Hopping(channels_hz=(1e3, 5e4)), prf_hz=10, duty=0.1),
                            Multitone(offsets_hz=(1.0, 2.0, 3.0))),
                  impairments=Impairments(ppm=3), traffic=Traffic(modulations=("fsk",)), center_freq_hz=None)
    d = json.loads(json.dumps(scenario_to_dict(sc, seed=4)))
    assert scenario_from_dict(d) == sc


def test_unknown_centre_gives_offsets():
    truth = ground_truth(Scenario(emitters=(CW(offset_hz=-2e5),), rate_hz=RATE, center_freq_hz=None), seed=0)
    assert truth[0].freq_lo_hz == -2e5


def test_background_noise_floor_and_jn(tmp_path):
    """A recording of known noise power: its floor is found, and J/N is relative to it."""
    p_bg = 10 ** (-27 / 10)
    rng = np.random.default_rng(0)
    n = 400_000
    bg = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(p_bg / 2)
    bg[:] += 0.05 * np.exp(2j * np.pi * 0.2 * np.arange(n))  # a strong carrier does not move the floor
    path = tmp_path / "bg_433.92M_1000k.cf32"
    write_raw(path, bg.astype(np.complex64), dtype="cf32")
    with rfkit.open(path) as cap:
        assert 10 * np.log10(noise_floor_power(cap)) == pytest.approx(-27, abs=0.2)
    sc = Scenario(emitters=(CW(jn_db=-3, offset_hz=-1e5),), rate_hz=RATE, duration_s=None,
                  center_freq_hz=433.92e6, background=str(path))
    x, truth = generate(sc, seed=0)
    assert x.size == n
    e = x.astype(np.complex128) - bg.astype(np.complex64)
    assert 10 * np.log10(np.mean(np.abs(e) ** 2)) == pytest.approx(-30, abs=0.25)
    assert truth[0].jn_db == pytest.approx(-3.0)


def test_background_real_recording(tmp_path):
    path = real("rtl_433/skylink_ha-434tl/g001_433.92M_250k.cu8")
    sc = Scenario(emitters=(Chirp(jn_db=0, start_s=0.3, bandwidth_hz=1e5, period_s=1e-4),), rate_hz=250e3,
                  duration_s=1.0, center_freq_hz=433.92e6, background=path)
    meta = write_scenario(tmp_path / "mixed", sc, seed=1)
    with rfkit.open(meta) as cap, rfkit.open(path) as bg:
        x, b = cap.read(), bg.read(0, 250_000)
        floor = noise_floor_power(bg)
    # before the chirp starts the mix is the recording (requantised to cu8: exact)
    assert np.array_equal(x[:75_000], b[:75_000])
    after = x[80_000:].astype(np.complex128) - b[80_000:]
    assert 10 * np.log10(np.mean(np.abs(after) ** 2) / floor) == pytest.approx(0.0, abs=0.3)


def test_bad_scenarios():
    with pytest.raises(ParameterError, match="duration_s=None"):
        Scenario(duration_s=None)
    with pytest.raises(ParameterError, match="seed=-1"):
        generate(Scenario(), seed=-1)
    with pytest.raises(ParameterError, match="noise_dbfs=3"):
        Scenario(noise_dbfs=3)
    with pytest.raises(ParameterError, match="rate_hz=0"):
        Scenario(rate_hz=0)
    with pytest.raises(ParameterError, match="kind='laser'"):
        scenario_from_dict({"emitters": [{"kind": "laser"}]})


def test_background_rate_must_match(tmp_path):
    path = tmp_path / "x_100M_250k.cu8"
    write_raw(path, np.zeros(10_000, np.complex64), dtype="cu8")
    with pytest.raises(ParameterError, match="differs from the background"):
        generate(Scenario(rate_hz=1e6, background=str(path), duration_s=None), seed=0)
    with pytest.raises(ParameterError, match="longer than the background"):
        generate(Scenario(rate_hz=250e3, background=str(path), duration_s=1.0), seed=0)
