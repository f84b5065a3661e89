"""Each kind on generated ground truth (rfkit.synth): kind, jamming, and the issue's tolerances
(tone within one bin, sweep rate and PRF within 5 %, duty within 0.05, J/N within 2 dB, start and
end within 50 ms). Short recordings (1.2 s) at J/N -5 and 0 dB, RTL-SDR impairments included."""

import copy

import pytest
from independent import altgen

import rfkit
from rfkit.detection.kinds import REGISTRY
from rfkit.detection.kinds._base import Match, margin
from rfkit.synth.emitters import CW, Chirp, Hopping, Multitone, Noise, Pulsed
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate

RATE = 1.024e6
ON, OFF = 0.35, 1.0


def _run(emitter, *, rate=RATE, impaired=True, seed=3):
    sc = Scenario(emitters=(emitter,), rate_hz=rate, duration_s=1.2, center_freq_hz=433.92e6,
                  impairments=Impairments() if impaired else None)
    x, truth = generate(sc, seed=seed)
    dets = rfkit.detect(x.astype("complex64"), rate_hz=rate, center_hz=433.92e6)
    jam = [e for e in dets if e.jamming]
    assert len(truth) == 1
    assert jam, f"nothing reported as jamming; found {[(e.kind, e.start_s, e.end_s) for e in dets]}"
    t = truth[0]
    best = max(jam, key=lambda e: min(e.end_s, t.end_s) - max(e.start_s, t.start_s))
    bin_hz = dets.stats["bin_hz"]
    assert abs(best.start_s - t.start_s) <= 0.05
    assert abs(best.end_s - t.end_s) <= 0.05
    assert abs(best.jn_db - t.jn_db) <= 2.0
    return best, t, bin_hz


def _common(jn):
    return {"jn_db": jn, "start_s": ON, "end_s": OFF}


@pytest.mark.parametrize("jn", [-10.0, 0.0])
def test_cw(jn):
    ev, t, bin_hz = _run(CW(offset_hz=123_456.0, **_common(jn)))
    assert ev.kind == "cw"
    assert abs(ev.params["tones_hz"][0] - t.params["tones_hz"][0]) <= bin_hz


@pytest.mark.parametrize("jn", [-5.0, 0.0])
def test_multitone(jn):
    ev, t, bin_hz = _run(Multitone(offsets_hz=(-250e3, -40e3, 180e3), **_common(jn)))
    assert ev.kind == "multitone"
    for f in t.params["tones_hz"]:
        assert min(abs(f - g) for g in ev.params["tones_hz"]) <= bin_hz


def test_multitone_with_two_tones_a_few_bins_apart():
    # tones 3.5 kHz apart (~3.5 coarse bins at this rate): each peak's excess dips between
    # them, so both are narrow tones (not one broad bump), and all five are named
    ev, t, bin_hz = _run(Multitone(offsets_hz=(-15.3e3, 35.7e3, 39.3e3, 54.5e3, 90.6e3), **_common(-10.0)),
                         rate=250e3)
    assert ev.kind == "multitone"
    assert len(ev.params["tones_hz"]) == 5
    for f in t.params["tones_hz"]:
        assert min(abs(f - g) for g in ev.params["tones_hz"]) <= bin_hz


@pytest.mark.parametrize("shape", ["sawtooth", "triangle"])
@pytest.mark.parametrize("period_s", [60e-6, 20e-3])
def test_chirp(shape, period_s):
    ev, t, _ = _run(Chirp(offset_hz=50e3, bandwidth_hz=400e3, period_s=period_s, shape=shape, **_common(-5.0)))
    assert ev.kind == "chirp"
    assert ev.params["sweep_shape"] == shape
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(t.params["sweep_rate_hz_per_s"], rel=0.05)
    assert ev.params["sweep_period_s"] == pytest.approx(period_s, rel=0.05)


@pytest.mark.parametrize("bw_fraction", [0.05, 0.5, 1.0])
def test_noise(bw_fraction):
    off = 0.0 if bw_fraction == 1.0 else -100e3
    ev, _t, _ = _run(Noise(offset_hz=off, bandwidth_hz=bw_fraction * RATE, **_common(-5.0)))
    assert ev.kind == "noise"
    assert ev.params["bandwidth_hz"] == pytest.approx(bw_fraction * RATE, rel=0.15)


@pytest.mark.parametrize("base,want_base", [(CW(offset_hz=200e3), "cw"),
                                            (Noise(offset_hz=-150e3, bandwidth_hz=40e3), "noise"),
                                            (Chirp(offset_hz=0.0, bandwidth_hz=300e3, period_s=50e-6), "chirp")])
def test_pulsed(base, want_base):
    ev, t, _ = _run(Pulsed(base=base, prf_hz=800.0, duty=0.3, **_common(0.0)))
    assert ev.kind == "pulsed"
    assert ev.params["base_kind"] == want_base
    assert ev.params["prf_hz"] == pytest.approx(800.0, rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(t.params["duty_cycle"], abs=0.05)


def test_pulsed_fast_chirp_over_most_of_the_band():
    # the sweep repeats ~40 times inside each pulse: a keyed sweeper, not a sweep wider than the
    # band passing through it once a period (which makes one in-band pulse per sweep: chirp)
    base = Chirp(offset_hz=0.0, bandwidth_hz=0.8 * RATE, period_s=70e-6)
    ev, _t, _ = _run(Pulsed(base=base, prf_hz=133.0, duty=0.4, **_common(-5.0)))
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp"
    assert ev.params["prf_hz"] == pytest.approx(133.0, rel=0.05)
    assert ev.params["sweep_period_s"] == pytest.approx(70e-6, rel=0.05)


def test_weak_low_duty_pulsed_multitone():
    # each tone 6 dB below the band's J/N, on 19 % of the time; the train is measured on one
    # tone, but the tones beat during a pulse (all of them together), so the base is multitone,
    # not a sweep's comb of lines
    base = Multitone(offsets_hz=(-49e3, -33e3, 43e3, 82e3))
    ev, t, bin_hz = _run(Pulsed(base=base, prf_hz=404.0, duty=0.19, **_common(-3.0)), rate=250e3)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "multitone"
    assert ev.params["prf_hz"] == pytest.approx(404.0, rel=0.05)
    for f in t.params["tones_hz"]:
        assert min(abs(f - g) for g in ev.params["tones_hz"]) <= bin_hz


@pytest.mark.parametrize("dwell_s", [2e-3, 15e-3])
def test_hopping(dwell_s):
    chans = tuple(-300e3 + 100e3 * k for k in range(6))
    ev, t, bin_hz = _run(Hopping(channels_hz=chans, dwell_s=dwell_s, **_common(0.0)))
    assert ev.kind == "hopping"
    for f in t.params["channels_hz"]:
        assert min(abs(f - g) for g in ev.params["channels_hz"]) <= 2 * bin_hz
    assert ev.params["hop_rate_hz"] == pytest.approx(1 / dwell_s, rel=0.15)


def test_registry_ids_are_stable_and_distinct():
    ids = [m.ID for m in REGISTRY]
    assert ids == ["pulsed", "hopping", "cw", "multitone", "chirp", "noise", "unknown", "burst"]
    assert all(isinstance(m.JAMMING, bool) for m in REGISTRY)


def test_margin_is_a_calibrated_logistic():
    assert margin(1.0, 1.0, 0.1) == pytest.approx(0.5)
    assert margin(1.2, 1.0, 0.1) == pytest.approx(0.8808, abs=1e-3)
    assert margin(float("nan"), 1.0, 0.1) == 0.0
    assert Match("cw", 0.5).jamming is True




@pytest.mark.parametrize("index", [4, 26, 53, 71, 98])
def test_repeated_sensor_messages_and_lora_packets_are_traffic(index, tmp_path):
    # traffic-only recordings of the independent generator's seed-5 set where the detector once
    # called ordinary devices jamming: OOK/FSK sensors repeating one message 3-6 times in
    # 0.1-0.3 s (regular, so not "sparse"), LoRa-like packets of 0.1-0.3 s (real up-chirps)
    ag = altgen()
    spec = ag.plan_set(100, seed=5)[index]
    assert spec["category"] == "traffic"
    meta = ag.write_recording(tmp_path, spec)
    dets = rfkit.detect(meta)
    assert dets, "the packets were not seen at all"
    assert not dets.jamming, [(e.kind, e.start_s, e.end_s) for e in dets.jamming]


def test_fm_hopper_is_no_ofdm():
    # a narrow FM carrier (600 Hz tone, 3.3 kHz deviation) stepping through 16 channels every
    # 4.6 ms: its envelope is constant, so the |R| peak at the FM period is no cyclic prefix
    import numpy as np

    rate, n = 1.8e6, 3_600_000
    rng = np.random.default_rng(8)
    t = np.arange(n) / rate
    chans = np.sort(rng.uniform(-790e3, 790e3, 16))
    k = (t / 4.6e-3).astype(int)
    f = chans[k % 16] + 3.3e3 * np.sin(2 * np.pi * 596.0 * t)
    s = np.exp(2j * np.pi * np.cumsum(f) / rate)
    on = (t >= 0.4) & (t < 1.6)
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)
    x = (noise + s * on).astype(np.complex64)
    d = rfkit.detect(x, rate_hz=rate)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "hopping", [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    assert abs(jam[0].start_s - 0.4) <= 0.05 and abs(jam[0].end_s - 1.6) <= 0.05


@pytest.mark.parametrize("tones_hz,prf_hz,duty,seed", [([-700e3, -420e3, 380e3, 690e3], 1300.0, 0.3, 7),
                                                       ([-650e3, -100e3, 560e3, 720e3], 2300.0, 0.2, 8)])
def test_pulsed_multitone_with_tones_far_apart(tones_hz, prf_hz, duty, seed, tmp_path):
    # the independent generator's keyed tones (2.048 MS/s cu8, its own receiver roll-off), spread
    # over the band at J/N -5 dB: each tone is only a keying spread wide, so the base is multitone
    # (not a sweep or noise: their span is the band's, their width is not), and the train is
    # measured at its own PRF, not at a multiple of its period
    ag = altgen()
    spec = copy.deepcopy(ag.plan_set(100, seed=5)[88])
    assert spec["category"] == "pulsed-multitone" and spec["jammers"][0]["jn_db"] == -5.0
    jam = spec["jammers"][0]
    jam["base"]["tones_hz"], jam["base"]["powers_db"] = tones_hz, [0.0] * len(tones_hz)
    jam["prf_hz"], jam["duty"], spec["seed"], spec["name"] = prf_hz, duty, seed, f"far{seed}"
    centre = spec["center_hz"] + spec["receiver"]["freq_offset_hz"]
    dets = rfkit.detect(ag.write_recording(tmp_path, spec))
    jams = dets.jamming
    assert len(jams) == 1, [(e.kind, e.start_s, e.end_s) for e in dets]
    ev = jams[0]
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "multitone"
    assert ev.params["prf_hz"] == pytest.approx(prf_hz, rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(duty, abs=0.05)
    for f in tones_hz:
        assert min(abs(centre + f - g) for g in ev.params["tones_hz"]) <= dets.stats["bin_hz"]


def test_two_channel_hopper_taken_in_turn_is_hopping():
    # two channels taken in turn every 1.5 ms: one tone alone is a regular pulse train, but the band
    # stays on (the carrier moves), so it is no keyed multitone: a two-channel hopper
    dwell_s = 1.5e-3
    ev, t, bin_hz = _run(Hopping(channels_hz=(-200e3, 150e3), dwell_s=dwell_s, **_common(-5.0)))
    assert ev.kind == "hopping", (ev.kind, ev.params)
    for f in t.params["channels_hz"]:
        assert min(abs(f - g) for g in ev.params["channels_hz"]) <= 2 * bin_hz
    assert ev.params["hop_rate_hz"] == pytest.approx(1 / dwell_s, rel=0.05)


@pytest.mark.parametrize("bit_s", [1.5e-3, 26e-3])
def test_two_tone_fsk_with_random_bits_is_no_hopper(bit_s):
    # the naive twin: the same two tones taken in turn by random data bits (2-FSK) alternate
    # irregularly - no regular pulse train on either tone, and (bits spanning rows) no clock in
    # the rows' channel changes, so no hopper
    import numpy as np

    rng = np.random.default_rng(4)
    n = int(1.2 * RATE)
    bit = int(bit_s * RATE)
    bits = rng.integers(0, 2, n // bit + 1).repeat(bit)[:n]
    f = np.where(bits == 1, 150e3, -200e3)
    phase = 2 * np.pi * np.cumsum(f) / RATE
    on = (np.arange(n) >= ON * RATE) & (np.arange(n) < OFF * RATE)
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(0.5)
    x = (noise + on * np.sqrt(10 ** (-5 / 10) * RATE / 20e3) * 0.3 * np.exp(1j * phase)).astype("complex64")
    dets = rfkit.detect(x, rate_hz=RATE, center_hz=433.92e6)
    assert [e for e in dets if e.start_s < OFF and e.end_s > ON], "the FSK emission was not seen"
    assert not [e for e in dets if e.kind == "hopping"], [(e.kind, e.params) for e in dets]



def test_keyed_repeating_sweep_is_pulsed_not_ofdm(tmp_path):
    # the independent generator's GPS-band pulsed sawtooth sweep (56 us period, PRF 2367 Hz, duty
    # 0.69, J/N -5 dB) beside a 10 Hz GFSK beacon: |R| of the sweep peaks at a multiple of its
    # period (4985 us, 89 sweeps) that looks like an isolated cyclic prefix; a prefix lag longer
    # than the pulses (289 us) is impossible for OFDM keyed whole symbols, so this is a jammer
    beacon = {"kind": "burst", "modulation": "gfsk-beacon", "freq_hz": 995602.2981160595, "half_width_hz": 74142.67459824466,
              "bitrate": 50000.0, "deviation_hz": 24142.674598244663, "n_bytes": 12,
              "jn_db": 6.856990013951329}
    starts = [0.002855, 0.104814, 0.209493, 0.317348, 0.424701, 0.532583, 0.642318, 0.746888, 0.851058,
              0.958018, 1.065579]
    spec = {
        "index": 94, "rate_hz": 2.56e6, "dtype": "cs16", "center_hz": 1575.42e6, "duration_s": 1.156, "seed": 70094,
        "receiver": {"noise_dbfs": -36.5229034745014, "rolloff_start": 0.4005833671767795,
                     "rolloff_db": 1.5611966111500073, "dc_db": -25.98880726855431,
                     "iq_gain_db": -0.1452777296876837, "iq_phase_deg": -0.9020002225390786,
                     "freq_offset_hz": -436.49439985806305, "gain_db": None},
        "jammers": [{"kind": "pulsed", "variant": "pulsed-chirp", "jn_db": -5.0, "on": [[0.2203, 1.156]],
                     "base": {"kind": "chirp", "f_lo_hz": -816562.6788408072, "bandwidth_hz": 1510855.1341017196,
                              "period_s": 5.6017401045951245e-05, "shape": "sawtooth",
                              "nonlinearity": -0.006374368036082836},
                     "prf_hz": 2367.0252865397542, "duty": 0.6913399176689637, "rise_s": 1.0675903693824535e-05,
                     "ramp_s": 0.00046252093869991203}],
        "traffic": [dict(beacon, start_s=s) for s in starts],
        "category": "pulsed-chirp", "name": "alt094_pulsed-chirp_jn-5_1575.42M_2560k_cs16"}
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "pulsed", [(e.kind, e.start_s, e.end_s, e.params.get("note")) for e in d]
    assert jam[0].params["prf_hz"] == pytest.approx(2367.0, rel=0.05)
    assert jam[0].params["duty_cycle"] == pytest.approx(0.69, abs=0.05)
    assert abs(jam[0].start_s - 0.2203) <= 0.05 and abs(jam[0].end_s - 1.156) <= 0.05
    # the beacons stay ordinary traffic
    assert not [e for e in d if e.jamming and e.end_s - e.start_s < 0.2]
