"""Hoppers told from sweeps, and a floor rise judged without the packets that crossed it
(rfkit.detection.kinds.chirp's channel tests, evidence's two-channel alternation, online's notch
of closed emissions). Ground truth from the independent generator (benchmarks/altgen.py), with
its recordings' specs written out here."""

import pytest
from independent import altgen

import rfkit


def _receiver(**kw):
    r = {"noise_dbfs": -60.0, "rolloff_start": 0.37, "rolloff_db": 2.0, "dc_db": None, "iq_gain_db": 0.05,
         "iq_phase_deg": 0.3, "freq_offset_hz": 100.0, "gain_db": None}
    r.update(kw)
    return r


def _spec(name, *, rate, dtype, center, duration, seed, jammers, traffic=(), **receiver):
    return {"index": 0, "rate_hz": rate, "dtype": dtype, "center_hz": center, "duration_s": duration, "seed": seed,
            "receiver": _receiver(**receiver), "jammers": list(jammers), "traffic": list(traffic),
            "category": jammers[0]["kind"] if jammers else "traffic", "name": name}


def _hopper(channels, dwell, order, fm_dev, jn, on, *, fm_rate=1500.0, ramp=0.002):
    return {"kind": "hopping", "channels_hz": channels, "dwell_s": dwell, "order": order, "fm_dev_hz": fm_dev,
            "fm_rate_hz": fm_rate, "variant": "hopping", "jn_db": jn, "on": [on], "ramp_s": ramp}


def _one_jammer(d, t0, t1):
    jam = [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    return jam[0]


def test_random_hopper_over_four_channels_is_no_slow_sweep(tmp_path):
    # seed 13's alt054 as generated: four FM carriers 0.3-0.8 MHz apart, 5 ms a dwell in random
    # order, +10 dB, beside a repeated FSK message; its rows' peaks fit sloping pieces, but
    # nothing lies between the channels: no sweep
    ch = [-1101673.8613778919, -470358.44700892747, 312679.64963642135, 599419.2797430542]
    hop = {"kind": "hopping", "channels_hz": ch, "dwell_s": 0.0050175256831153795, "order": "random",
           "fm_dev_hz": 3364.6881599719054, "fm_rate_hz": 2141.827286843878, "variant": "hopping", "jn_db": 10.0,
           "on": [[1.2593, 2.6769]], "ramp_s": 0.0028595302291537076}
    fsk = {"kind": "burst", "modulation": "fsk", "freq_hz": -1398110.3282587107, "half_width_hz": 32650.73336027294,
           "bitrate": 9600.0, "deviation_hz": 23050.73336027294, "jn_db": 13.41654690987782, "payload_seed": 938211782}
    traffic = [dict(fsk, start_s=t) for t in (0.45436, 0.470019, 0.485679, 0.501338, 0.516998, 0.532657)]
    spec = _spec("hop4", rate=3.2e6, dtype="cs16", center=1575.42e6, duration=2.856, seed=130054, jammers=[hop],
                 traffic=traffic, noise_dbfs=-51.07232005891263, rolloff_start=0.37339611901302705,
                 rolloff_db=3.654891558155893, dc_db=-21.200332745871314, iq_gain_db=0.004981711210752471,
                 iq_phase_deg=-0.24616549935065235, freq_offset_hz=-679.0413692445878)
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    ev = _one_jammer(d, 1.2593, 2.6769)
    assert ev.kind == "hopping"
    assert len(ev.params["channels_hz"]) == 4
    for f in ch:
        assert min(abs(1575.42e6 - 679.04 + f - g) for g in ev.params["channels_hz"]) < 10e3
    assert ev.params["hop_rate_hz"] == pytest.approx(1 / 0.0050175, rel=0.05)


def test_sequential_hopper_is_no_fast_sweep_comb(tmp_path):
    # seed 13's alt034 as generated (its spec to full precision: at -5 dB this one is close to
    # the line): nine FM carriers ~48 kHz apart stepped through in order, 19 ms a dwell; the
    # band's autocorrelation repeats at 1/48 kHz like a 21 us sweep's comb, but short frames see
    # one line at a time, where a sweep's comb has all its lines in every frame
    hop = {"kind": "hopping", "channels_hz": [-433120.7622413416, -385608.39632513653, -336402.21884974174,
                                              -286872.2624271728, -238996.0826509917, -192131.21181309913,
                                              -137648.4693570758, -58035.51251230558, -23414.199815035274],
           "dwell_s": 0.019038437868940866, "order": "sequential", "fm_dev_hz": 6830.5505127458155,
           "fm_rate_hz": 1292.849473356346, "variant": "hopping", "jn_db": -5.0, "on": [[0.8474, 1.4429]],
           "ramp_s": 0.0013083938239863157}
    spec = _spec("hop9", rate=1e6, dtype="cf32", center=433.92e6, duration=1.885, seed=130034, jammers=[hop],
                 noise_dbfs=-69.79471213575287, rolloff_start=0.37224975167766144, rolloff_db=1.1252725637225602,
                 iq_gain_db=0.09002725848660681, iq_phase_deg=-0.3946309813360098, freq_offset_hz=114.86975522254012)
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    ev = _one_jammer(d, 0.8474, 1.4429)
    assert ev.kind == "hopping"
    assert abs(ev.start_s - 0.8474) <= 0.05 and abs(ev.end_s - 1.4429) <= 0.05


def test_two_fm_channels_taken_in_turn_are_a_hopper(tmp_path):
    # seed 5's alt051 as generated: two FM carriers 357 kHz apart taken in turn every 3.9 ms,
    # -10 dB, through an 8-bit receiver (modulated: no tones to time): one channel's regular
    # pulses while the band stays on
    hop = {"kind": "hopping", "channels_hz": [142120.1225938655, 499424.0401505801], "dwell_s": 0.0038709350770872886,
           "order": "sequential", "fm_dev_hz": 3425.5446635456647, "fm_rate_hz": 1167.9600532564227,
           "variant": "hopping", "jn_db": -10.0, "on": [[0.0, 0.7521]], "ramp_s": 0.0011874005818456013}
    spec = _spec("hop2", rate=2.048e6, dtype="cu8", center=1575.42e6, duration=3.944, seed=50051, jammers=[hop],
                 noise_dbfs=-24.172082756419787, rolloff_start=0.3613602385283814, rolloff_db=1.5789310858582626,
                 dc_db=-11.889561720961357, iq_gain_db=0.2427837885205244, iq_phase_deg=-2.755726911676441,
                 freq_offset_hz=-2223.2518190231817, gain_db=38.6)
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    ev = _one_jammer(d, 0.0, 0.7521)
    assert ev.kind == "hopping"
    assert sorted(ev.params["channels_hz"]) == pytest.approx([1575.42e6 - 2223.25 + f for f in hop["channels_hz"]],
                                                              abs=5e3)


def test_floor_rise_is_judged_without_the_beacon_packets_that_crossed_it(tmp_path):
    # seed 13's alt023 as generated: whole-band noise at -5 dB from 1.37 s to the end, beside a GFSK beacon
    # (+9 dB, every ~0.1 s) whose packets lie in the rise's snippet: they made its envelope
    # spiky (kappa 4.6) until the bands of emissions closed before the rise were left out too
    # (its J/N still counts them: -2.4 dB measured, not -5)
    beacon = {"kind": "burst", "modulation": "gfsk-beacon", "freq_hz": 707300.617541096,
              "half_width_hz": 63084.36113150616,
              "bitrate": 50000.0, "deviation_hz": 13084.361131506159, "n_bytes": 17, "jn_db": 9.409923012950987}
    starts = [0.046016, 0.15161, 0.252749, 0.358331, 0.465592, 0.57333, 0.682973, 0.784059, 0.886306, 0.987492,
              1.087527, 1.196207, 1.299574, 1.404413, 1.508807, 1.614983, 1.716645, 1.819943, 1.928891, 2.038543,
              2.139409, 2.246812, 2.348583, 2.458358, 2.566362, 2.674868, 2.783035, 2.887712, 2.994355, 3.100893,
              3.205789, 3.310651, 3.414201, 3.522457, 3.628928, 3.732209, 3.837395]
    traffic = [dict(beacon, start_s=t) for t in starts]
    noise = {"kind": "noise", "center_hz": 0.0, "bandwidth_hz": 2048000.0, "variant": "noise-whole", "jn_db": -5.0,
             "on": [[1.3723, 3.852]], "ramp_s": 0.0004447418524357909}
    spec = _spec("rise", rate=2.048e6, dtype="cf32", center=915e6, duration=3.852, seed=130023, jammers=[noise],
                 traffic=traffic, noise_dbfs=-69.0761070918892, rolloff_start=0.3724709899996739,
                 rolloff_db=1.0253703161915646, dc_db=-23.575140383654475, iq_gain_db=0.12662812545139948,
                 iq_phase_deg=0.382632303163557, freq_offset_hz=-40.6554484463775)
    d = rfkit.detect(altgen().write_recording(tmp_path, spec))
    ev = _one_jammer(d, 1.3723, 3.852)
    assert ev.kind == "noise"
    assert abs(ev.start_s - 1.3723) <= 0.05 and abs(ev.end_s - 3.852) <= 0.05
