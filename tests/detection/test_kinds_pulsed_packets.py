"""Repeated ordinary packets are no keyed jammer (rfkit.detection.kinds.pulsed: a row train's
pulses read finely, a snippet train's life), and a wide jammer's end leaves no noise at the band
edges (frontend's floor shape restarted once the rows' level falls back). Ground truth: scenes
built by hand with the independent generator (benchmarks/altgen.py) at seeds of their own, and a
gen3 recording rebuilt from its plan (same seed, same spec); each gave a false alarm before these
tests' changes."""

import numpy as np
import pytest
from independent import altgen, gen3_run

import rfkit
from rfkit.detection import features as ft


def _detect(tmp_path, spec):
    return rfkit.detect(altgen().write_recording(tmp_path, spec))


def _beacon(rng, *, f0_hz, n_bytes, jn_db, duration_s, bitrate=100e3):
    """A GFSK beacon's packets as altgen's own beacons come (100 ms plus a 0-10 ms random delay)."""
    dev = 0.25 * bitrate
    t = float(rng.uniform(0, 0.1))
    out = []
    while t < duration_s - 0.01:
        out.append({"kind": "burst", "modulation": "gfsk-beacon", "start_s": round(t, 6),
                    "freq_hz": f0_hz, "half_width_hz": dev + bitrate, "bitrate": bitrate,
                    "deviation_hz": dev, "n_bytes": n_bytes, "jn_db": jn_db})
        t += 0.1 + float(rng.uniform(0, 0.01))
    return out


@pytest.mark.parametrize("seed", [3, 4])
def test_two_beacons_sharing_a_channel_are_no_keyed_jammer(tmp_path, seed):
    # two beacons on one channel (1.4 and 2.8 ms packets, each every ~105 ms, drifting against
    # each other): in 10 ms rows they light a pulse of ~40 ms a period, regular at 9.5 Hz; read
    # finely the band is on for ~4 % of the time, not the ~30 % such a train holds on
    ag = altgen()
    rng = np.random.default_rng(seed)
    traffic = (_beacon(rng, f0_hz=190e3, n_bytes=8, jn_db=11.5, duration_s=2.4)
               + _beacon(rng, f0_hz=190e3, n_bytes=22, jn_db=8.5, duration_s=2.4))
    spec = ag.recording_spec(rate_hz=1e6, duration_s=2.4, dtype="cu8", center_hz=433.92e6,
                             traffic=traffic, seed=seed)
    d = _detect(tmp_path, spec)
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.params) for e in d.jamming]


@pytest.mark.parametrize("jn_db", [0.0, -5.0])
def test_a_slow_keyed_noise_band_is_still_pulsed(tmp_path, jn_db):
    # the same band keyed at 8 Hz, duty 0.3 (a train the rows see; the raw snippet holds ~3 of
    # its periods): its band is on for its duty read finely too
    ag = altgen()
    jam = ag.jammer_spec("pulsed-noise", rate_hz=1e6, jn_db=jn_db, on=[(0.3, 2.1)], seed=1,
                         prf_hz=8.0, duty=0.3)
    jam["base"].update(center_hz=150e3, bandwidth_hz=80e3)
    spec = ag.recording_spec(rate_hz=1e6, duration_s=2.4, dtype="cu8", center_hz=433.92e6,
                             jammers=[jam], seed=1)
    d = _detect(tmp_path, spec)
    (ev,) = d.jamming
    assert ev.kind == "pulsed"
    assert ev.params["prf_hz"] == pytest.approx(8.0, rel=0.05)
    assert abs(ev.params["duty_cycle"] - 0.3) <= 0.05
    assert abs(ev.start_s - 0.3) <= 0.05 and abs(ev.end_s - 2.1) <= 0.05


@pytest.mark.parametrize(("first", "last"), [(0, 4), (0, 16), (6, 16), (3, 9)])
def test_fold_tells_where_a_train_began_and_ended(first, last):
    # 16 periods of 20 points; pulses (8 points, 10x the noise) in periods first..last-1 only
    rng = np.random.default_rng(first * 100 + last)
    w = rng.normal(1.0, 0.05, 20 * 16)
    for i in range(first, last):
        w[i * 20:i * 20 + 8] += 10.0
    t = ft.pulse_fold(w, 1e-3, 1.0)
    assert t is not None and t.prf_hz == pytest.approx(50.0, rel=0.01)
    k, before, after = t.held_gaps
    assert k in (15, 16)  # whole periods of the fold's own (refined) period
    assert before == first
    assert after == (0 if last == 16 else k - last)


@pytest.mark.parametrize("seed", [2, 5])
def test_a_wide_jammers_end_leaves_no_noise_at_the_band_edges(tmp_path, seed):
    # pulsed noise over ~70 % of a 2.048 MS/s band from the first sample to 1.6 s: it sets the
    # rows' levels, and the band edges' roll-off learnt against them was 7 dB too deep; after it,
    # the edges stood over that shape (noise jammers at both edges until the end)
    ag = altgen()
    rng = np.random.default_rng(seed)
    rx = ag._receiver_spec(rng, "cu8", 2.048e6, 1575.42e6)
    jam = ag.jammer_spec("pulsed-noise", rate_hz=2.048e6, jn_db=10, on=[(0.0, 1.6)], seed=seed,
                         prf_hz=float(rng.uniform(300, 1000)), duty=float(rng.uniform(0.3, 0.6)))
    jam["base"].update(center_hz=float(rng.uniform(-5e4, 5e4)),
                       bandwidth_hz=float(rng.uniform(0.6, 0.75)) * 2.048e6)
    spec = ag.recording_spec(rate_hz=2.048e6, duration_s=2.8, dtype="cu8", center_hz=1575.42e6,
                             jammers=[jam], seed=seed, receiver=rx)
    d = _detect(tmp_path, spec)
    (ev,) = d.jamming
    assert ev.kind == "pulsed"
    assert abs(ev.end_s - 1.6) <= 0.05


def test_packets_on_one_phase_with_a_key_fob_between_are_no_keyed_jammer(tmp_path):
    # gen3 seed 3's 096: traffic only - ADS-B replies (120 us, 2.3 MHz wide) lighting single rows,
    # OFDM bursts and a key fob's three OOK bursts, over the receiver's passband humps. The
    # replies' rows folded into a regular 7.2 Hz one-row train of the group that joined them to
    # the humps, read as a -12 dB pulsed noise jammer; its snippet holds no reply, only the key
    # fob's bursts, on between the train's pulses (`pulsed._snippet_between_pulses`)
    truth, d = gen3_run(tmp_path, 3, 96)
    assert truth == []  # (no jammer: the truth lists jammers only)
    assert d.jamming == [], [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz, e.params) for e in d.jamming]
