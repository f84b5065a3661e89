"""Ground truth of benchmarks/altgen.py (the independent scoring-set generator), measured on the
files it writes: J/N, tone frequency, sweep rate and period, pulse duty and PRF, hop rate, floor
rise, and the annotations `rfkit score` reads. Not the detector's Pd (that is `rfkit score`'s job)."""

from __future__ import annotations

import math
from pathlib import Path

import independent
import numpy as np
import pytest

import rfkit
from rfkit.detection.score import load_truth, truth_variant

ROOT = Path(__file__).resolve().parents[2]


altgen = independent.altgen()
RATE = 1.0e6


def _write(tmp_path, spec):
    """Write a spec, open it with rfkit.open; (samples, truth events, info)."""
    meta = altgen.write_recording(tmp_path, spec)
    with rfkit.open(meta) as cap:
        x = cap.read(0, cap.info.n_samples).astype(np.complex128)
        truth = load_truth(cap.annotations, sample_rate=cap.info.sample_rate)
        return x, truth, cap.info


def _power(x):
    """Mean power without the DC spike (the segment's mean removed)."""
    return float(np.mean(np.abs(x - x.mean()) ** 2))


def _seg(x, t0, t1, rate=RATE):
    return x[int(t0 * rate): int(t1 * rate)]


@pytest.mark.parametrize(("dtype", "jn_db"), [("cu8", 0.0), ("cu8", 10.0), ("cs16", -5.0), ("cf32", 0.0)])
def test_cw_jn_and_tone_match_the_label(tmp_path, dtype, jn_db):
    jam = altgen.jammer_spec("cw", rate_hz=RATE, jn_db=jn_db, on=[(0.45, 1.0)], freq_hz=-183e3, seed=3)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=1.0, dtype=dtype, jammers=[jam], seed=11)
    x, truth, info = _write(tmp_path, spec)
    assert info.dtype == dtype and info.sample_rate == RATE and info.center_freq == 868e6
    (ev,) = truth
    assert ev.kind == "cw" and ev.jamming and ev.jn_db == pytest.approx(jn_db, abs=1e-6)
    assert ev.start_s == pytest.approx(0.45, abs=1e-5) and ev.end_s == pytest.approx(1.0, abs=1e-5)
    noise = _power(_seg(x, 0.02, 0.42))
    on = _power(_seg(x, 0.5, 0.98))
    measured = 10 * math.log10((on - noise) / noise)
    assert measured == pytest.approx(ev.jn_db, abs=0.3)
    # the labelled tone (absolute, with the receiver's LO offset) is where the spectrum peaks
    seg = _seg(x, 0.5, 0.5 + 2**18 / RATE)
    spec_ = np.abs(np.fft.fftshift(np.fft.fft(seg * np.hanning(seg.size)))) ** 2
    f = np.fft.fftshift(np.fft.fftfreq(seg.size, 1 / RATE))
    peak = f[np.argmax(spec_)] + info.center_freq
    assert peak == pytest.approx(ev.params["tones_hz"][0], abs=2 * RATE / seg.size)
    assert ev.freq_lo_hz == ev.freq_hi_hz == ev.params["tones_hz"][0]
    assert ev.params["tones_hz"][0] == pytest.approx(868e6 - 183e3 + 1.5e-6 * 868e6, abs=1e-3)


def _inst_freq(x, smooth=101):
    d = np.angle(x[1:] * np.conj(x[:-1])) * RATE / (2 * np.pi)
    return np.convolve(d, np.ones(smooth) / smooth, mode="valid")


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
def test_chirp_instantaneous_frequency_follows_the_labelled_rate(tmp_path, shape):
    jam = altgen.jammer_spec(f"chirp-{'tri' if shape == 'triangle' else 'saw'}-slow", rate_hz=RATE, jn_db=25.0,
                             on=[(0.1, 0.9)], f_lo_hz=-250e3, bandwidth_hz=400e3, period_s=8e-3, nonlinearity=0.04,
                             seed=5)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=0.9, jammers=[jam], seed=2)
    x, (ev,), info = _write(tmp_path, spec)
    assert truth_variant(ev, RATE) == f"chirp-{'tri' if shape == 'triangle' else 'saw'}-slow"
    fi = _inst_freq(_seg(x, 0.15, 0.85))
    lag = 1000  # 1 ms: the ramp moves 50 kHz (sawtooth), 100 kHz (triangle)
    slopes = np.abs(fi[lag:] - fi[:-lag]) * RATE / lag
    rate_meas = float(np.median(slopes))
    assert rate_meas == pytest.approx(ev.params["sweep_rate_hz_per_s"], rel=0.05)
    # band: the swept frequencies span the labelled edges
    lo, hi = np.percentile(fi, [0.5, 99.5]) + info.center_freq
    assert lo == pytest.approx(ev.freq_lo_hz, abs=8e3) and hi == pytest.approx(ev.freq_hi_hz, abs=8e3)
    # period: the IF repeats after the labelled period (autocorrelation peak)
    c = fi - fi.mean()
    lags = np.arange(4000, 12000)
    ac = [np.dot(c[:-k], c[k:]) for k in lags]
    assert lags[int(np.argmax(ac))] / RATE == pytest.approx(ev.params["sweep_period_s"], rel=0.01)


def test_pulsed_duty_prf_and_on_power_match_the_label(tmp_path):
    jam = altgen.jammer_spec("pulsed-cw", rate_hz=RATE, jn_db=10.0, on=[(0.2, 0.8)], prf_hz=730.0, duty=0.3,
                             rise_s=15e-6, seed=8)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=0.8, jammers=[jam], seed=3)
    x, (ev,), _ = _write(tmp_path, spec)
    assert truth_variant(ev, RATE) == "pulsed-cw"
    assert ev.params["prf_hz"] == 730.0 and ev.params["duty_cycle"] == 0.3
    noise = _power(_seg(x, 0.01, 0.18))
    seg = _seg(x, 0.25, 0.75)
    env = np.convolve(np.abs(seg - x[: int(0.18 * RATE)].mean()) ** 2, np.ones(21) / 21, mode="same")
    on = env > 0.5 * np.median(env[env > np.percentile(env, 80)])
    assert on.mean() == pytest.approx(0.3, abs=0.02)
    rises = np.flatnonzero(on[1:] & ~on[:-1])
    assert RATE / np.median(np.diff(rises)) == pytest.approx(730.0, rel=0.01)
    flat = float(np.mean(np.abs(seg[on] - x[: int(0.18 * RATE)].mean()) ** 2))
    assert 10 * math.log10((flat - noise) / noise) == pytest.approx(ev.jn_db, abs=0.5)  # edges included


def test_hopper_changes_channel_at_the_labelled_rate(tmp_path):
    jam = altgen.jammer_spec("hopping", rate_hz=RATE, jn_db=20.0, on=[(0.0, 0.6)], dwell_s=4e-3, order="random",
                             channels_hz=[-300e3, -120e3, 60e3, 250e3], fm_dev_hz=0.0, seed=4)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=0.6, jammers=[jam], seed=4)
    x, (ev,), info = _write(tmp_path, spec)
    fi = _inst_freq(x, smooth=201)
    ch = np.asarray(ev.params["channels_hz"]) - info.center_freq
    nearest = np.argmin(np.abs(fi[:, None] - ch[None, :]), axis=1)[::200]
    changes = np.count_nonzero(np.diff(nearest))
    assert changes / 0.6 == pytest.approx(ev.params["hop_rate_hz"], rel=0.05)
    assert set(np.unique(nearest)) == {0, 1, 2, 3}


def test_whole_band_noise_raises_the_floor_by_the_labelled_jn(tmp_path):
    jam = altgen.jammer_spec("noise-whole", rate_hz=RATE, jn_db=0.0, on=[(0.4, 1.0)], seed=1)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=1.0, dtype="cu8", jammers=[jam], seed=6)
    x, (ev,), info = _write(tmp_path, spec)
    assert truth_variant(ev, RATE) == "noise-whole"
    assert ev.freq_lo_hz == info.center_freq - RATE / 2 and ev.freq_hi_hz == info.center_freq + RATE / 2
    rise = 10 * math.log10(_power(_seg(x, 0.45, 0.98)) / _power(_seg(x, 0.02, 0.38)))
    assert rise == pytest.approx(10 * math.log10(1 + 10 ** (ev.jn_db / 10)), abs=0.1)


def test_traffic_is_labelled_ordinary_and_the_files_carry_the_truth(tmp_path):
    rng = np.random.default_rng(9)
    packets = []
    while not {"lora", "gfsk-beacon"} <= {p["modulation"] for p in packets}:
        packets = altgen.traffic_spec(rng, rate_hz=RATE, duration_s=0.7)
    spec = altgen.recording_spec(rate_hz=RATE, duration_s=0.7, dtype="cs16", traffic=packets, seed=7)
    x, truth, _ = _write(tmp_path, spec)
    assert len(truth) == len(packets) and all(e.kind == "burst" and not e.jamming for e in truth)
    beacons = sorted(e.start_s for e in truth if e.params.get("modulation") == "gfsk-beacon")
    assert np.all((np.diff(beacons) >= 0.1 - 1e-6) & (np.diff(beacons) <= 0.11 + 1e-6))
    n_power = altgen.noise_power(spec["receiver"], RATE, "cs16")
    for e in truth:  # each packet is there, where and when labelled: its band holds power while it is on
        assert e.end_s - e.start_s < 0.31
        seg = _seg(x, e.start_s, e.end_s)
        f = np.fft.fftfreq(seg.size, 1 / RATE) + 868e6
        inband = (f >= e.freq_lo_hz) & (f <= e.freq_hi_hz)
        p_band = np.sum(np.abs(np.fft.fft(seg)[inband]) ** 2) / seg.size ** 2
        noise_band = n_power * inband.mean()
        assert p_band > noise_band * (1 + 0.3 * 10 ** (e.jn_db / 10))  # keyed OOK is on ~half the time
    lora = [e for e in truth if e.params.get("modulation") == "lora"]
    assert all(0.04 < e.end_s - e.start_s < 0.31 for e in lora)
    noise_only = altgen.recording_spec(rate_hz=RATE, duration_s=0.5, dtype="cu8", seed=8)
    _, none, _ = _write(tmp_path, dict(noise_only, name="quiet"))
    assert none == []


def test_plan_covers_every_variant_and_level_with_a_quiet_lead_in_for_floor_rises():
    specs = altgen.plan_set(100, seed=5)
    assert len({s["name"] for s in specs}) == 100
    cells = {(j["variant"], j["jn_db"]) for s in specs for j in s["jammers"]}
    assert cells == {(v, lv) for v in altgen.VARIANTS for lv in altgen.JN_LEVELS_DB}
    assert sum(not s["jammers"] and not s["traffic"] for s in specs) >= 10
    assert sum(not s["jammers"] and bool(s["traffic"]) for s in specs) >= 10
    for s in specs:
        assert s["rate_hz"] in altgen.RATES_HZ and s["dtype"] in altgen.DTYPES
        assert 1.0 <= s["duration_s"] <= 4.0
        for j in s["jammers"]:
            assert all(e - st >= altgen.MIN_ON_S - 1e-9 for st, e in j["on"])
            if j["variant"] == "noise-whole":
                assert j["on"][0][0] >= 0.3
