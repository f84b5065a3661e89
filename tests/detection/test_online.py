"""OnlineDetector: the same events as detect(), alerts within a second, one event per jammer."""

import numpy as np
import pytest

import rfkit
from rfkit.detection.events import Event
from rfkit.detection.online import OnlineDetector, merge_fragments
from rfkit.synth.emitters import CW, Pulsed
from rfkit.synth.scenario import Scenario, generate

RATE = 2.4e6


@pytest.fixture(scope="module")
def pulsed_cw():
    sc = Scenario(emitters=(Pulsed(base=CW(offset_hz=300e3), prf_hz=40.0, duty=0.5, jn_db=0.0,
                                   start_s=0.5, end_s=2.5),), rate_hz=RATE, duration_s=3.0, center_freq_hz=None)
    x, truth = generate(sc, seed=1)
    return x.astype(np.complex64), truth[0]


def test_live_alert_within_a_second_and_end(pulsed_cw):
    x, truth = pulsed_cw
    det = OnlineDetector(RATE)
    block = 16384  # ~7 ms, like a dongle's USB transfers
    started = ended = None
    for i in range(0, x.size, block):
        for tag, ev in det.push(x[i:i + block]):
            t_now = (i + block) / RATE
            if tag == "start" and started is None:
                started = (t_now, ev)
            if tag == "end":
                ended = ev
    for tag, ev in det.finish():
        if tag == "end":
            ended = ev
    assert started is not None, "no start alert"
    t_alert, ev = started
    assert ev.jamming and t_alert - truth.start_s < 1.0
    assert ended is not None and abs(ended.end_s - truth.end_s) <= 0.05


def test_one_event_per_pulsed_jammer_and_offline_equals_online(pulsed_cw):
    x, _truth = pulsed_cw
    offline = rfkit.detect(x, rate_hz=RATE)
    jam = [e for e in offline if e.jamming]
    assert len(jam) == 1 and jam[0].kind == "pulsed"
    assert jam[0].params["prf_hz"] == pytest.approx(40.0, rel=0.05)
    det = OnlineDetector(RATE)
    for i in range(0, x.size, 100_000):  # other block sizes: the same rows, the same events
        det.push(x[i:i + 100_000])
    det.finish()
    assert [(e.kind, round(e.start_s, 3), round(e.end_s, 3)) for e in det.events if e.jamming] == \
           [(e.kind, round(e.start_s, 3), round(e.end_s, 3)) for e in jam]


def test_push_after_finish_is_an_error():
    det = OnlineDetector(RATE)
    det.push(np.zeros(10000, np.complex64))
    det.finish()
    with pytest.raises(rfkit.ParameterError):
        det.push(np.zeros(10, np.complex64))


def test_merge_fragments_folds_pieces_into_the_jammer():
    main = Event(1.0, 5.0, 100.0, 200.0, "noise", True, -30.0, 0.0, 0.9, {"bandwidth_hz": 100.0})
    piece = Event(2.0, 2.1, 150.0, 160.0, "burst", False, -40.0, -10.0, 0.9, {})
    other = Event(2.0, 2.1, 1000.0, 1010.0, "burst", False, -40.0, -10.0, 0.9, {})
    out = merge_fragments([main, piece, other], hold_s=0.3)
    assert main in out and other in out and piece not in out


def test_offline_mode_gives_the_online_events_exactly():
    """detect() classifies only at each emission's end and reads samples back from the input
    (no ring, no live looks): every event, with its parameters, is what live monitoring gives."""
    from rfkit.synth.traffic import Traffic

    rate = 1e6
    sc = Scenario(emitters=(CW(offset_hz=-200e3, jn_db=-5.0, start_s=0.3, end_s=1.7),),
                  rate_hz=rate, duration_s=2.0, center_freq_hz=None, traffic=Traffic(rate_per_s=4.0))
    x, _truth = generate(sc, seed=4)
    x = x.astype(np.complex64)
    offline = rfkit.detect(x, rate_hz=rate)
    det = OnlineDetector(rate)
    block = det.opts.block_size  # the floor shape is updated per block: detect()'s blocks
    for i in range(0, x.size, block):
        det.push(x[i:i + block])
    det.finish()
    assert len(offline) >= 2 and any(e.jamming and e.kind == "cw" for e in offline)
    def key(e):
        return (e.kind, e.jamming, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz, e.power_dbfs, e.params)

    assert [key(e) for e in offline] == [key(e) for e in det.events]
    # (the confidence of an emission still open when the input ends may differ in the 3rd digit)
    assert [e.confidence for e in offline] == pytest.approx([e.confidence for e in det.events], abs=0.01)


def test_start_alert_comes_once_the_jammer_has_lasted_min_jamming_s():
    # stream time, not wall time: the alert is raised by the block that makes the CW old enough
    rate = 2.4e6
    rng = np.random.default_rng(1)
    n = int(2 * rate)
    x = ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * 0.01).astype(np.complex64)
    t0 = int(0.5 * rate)
    x[t0:] += (0.01 * np.exp(2j * np.pi * 300e3 * np.arange(n - t0) / rate)).astype(np.complex64)
    det = OnlineDetector(rate, 1575.42e6)
    blk = int(0.01 * rate)
    starts = []
    for i in range(0, n, blk):
        starts += [((i + blk) / rate - 0.5, ev) for kind, ev in det.push(x[i:i + blk]) if kind == "start"]
    assert len(starts) == 1 and starts[0][1].kind == "cw"
    after = starts[0][0]
    assert det.opts.min_jamming_s <= after <= det.opts.min_jamming_s + 0.15


def _noise(n, rng, sigma=0.01):
    return (sigma * (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / np.sqrt(2)).astype(np.complex64)


def test_receiver_dc_offset_is_no_emission_in_any_format():
    # a float recording (no 8-bit DC guard) with a DC offset 34 dB over a fine bin's noise and a
    # short packet beside it: the offset is removed, the packet stays a packet
    rate = 2.048e6
    rng = np.random.default_rng(4)
    x = _noise(int(1.5 * rate), rng) + np.complex64(0.004 - 0.003j)
    t = np.arange(int(0.02 * rate)) / rate
    i0 = int(0.3 * rate)
    x[i0:i0 + t.size] += (0.02 * np.exp(2j * np.pi * 32e3 * t)).astype(np.complex64)
    d = rfkit.detect(x, rate_hz=rate)
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.center_hz) for e in d]
    near = [e for e in d if abs(e.center_hz - 32e3) < 5e3]
    assert len(near) == 1 and abs(near[0].start_s - 0.3) < 0.02


def test_carrier_a_few_hz_from_the_tuned_frequency_is_kept():
    # an outside carrier 40 Hz off the tuned frequency (its oscillator's error): inside the fine
    # bin of 0 Hz, but no DC offset - removing the offset must not remove or chop it
    rate = 250e3
    rng = np.random.default_rng(5)
    n = int(2.0 * rate)
    t = np.arange(n) / rate
    x = _noise(n, rng) + np.complex64(0.002)
    on = (t >= 0.5) & (t < 1.7)
    x[on] += (0.01 * np.exp(2j * np.pi * 40.0 * t[on])).astype(np.complex64)
    d = rfkit.detect(x, rate_hz=rate)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "cw", [(e.kind, e.start_s, e.end_s) for e in d]
    assert abs(jam[0].start_s - 0.5) <= 0.05 and abs(jam[0].end_s - 1.7) <= 0.05
    assert abs(jam[0].params["tones_hz"][0] - 40.0) <= d.stats["bin_hz"]


def test_emission_between_a_hoppers_channels_is_not_joined_to_it():
    # a narrow noise jammer near the centre from t=0, and packets starting with it that alternate
    # between -700 and +700 kHz (one ending as the other begins: one hopping group); the group's
    # channels span the jammer's band but hold none of it, so the jammer stays its own event
    rate = 2.048e6
    rng = np.random.default_rng(6)
    n = int(2.0 * rate)
    t = np.arange(n) / rate
    x = _noise(n, rng)
    nb = np.convolve(rng.standard_normal(n) + 1j * rng.standard_normal(n), np.ones(400) / 400, "same")
    nb *= np.exp(2j * np.pi * 30e3 * t)
    x += (0.01 * np.sqrt(0.1) * nb / np.std(nb)).astype(np.complex64)
    slot = (t / 0.02).astype(int)
    f = np.where(slot % 2 == 0, -700e3, 700e3)
    pk = np.exp(2j * np.pi * f * t) * ((t % 0.02) < 0.015) * (t >= 0.02)
    x += (0.03 * pk).astype(np.complex64)
    d = rfkit.detect(x, rate_hz=rate)
    near = [e for e in d if e.freq_lo_hz < 30e3 < e.freq_hi_hz and e.freq_hi_hz - e.freq_lo_hz < 100e3]
    assert len(near) == 1 and near[0].kind == "noise" and near[0].jamming, \
        [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz) for e in d]


def test_joined_bands_merge_only_side_by_side_pieces():
    from rfkit.detection.online import _joined_bands

    # two packet channels far apart stay two bands (the gap between them is not theirs) ...
    assert _joined_bands([(1664, 1791), (320, 407)]) == [(320, 407), (1664, 1791)]
    # ... pieces of one band side by side (or overlapping) are the band they span
    assert _joined_bands([(100, 140), (145, 200), (190, 260)]) == [(100, 260)]
    assert _joined_bands([(10, 20)]) == [(10, 20)]


def test_narrow_noise_between_two_beacon_channels_is_not_swallowed(tmp_path):
    # the independent generator's narrow noise jammer (5.7 kHz wide, 30 kHz off centre, J/N -10 dB:
    # ~15 dB in its band) between two beacon channels born together +-650 kHz away: the beacons'
    # group spans the band between them but holds none of it, so it must not join the jammer
    import copy

    from independent import altgen

    ag = altgen()
    spec = copy.deepcopy(ag.plan_set(100, seed=7)[30])
    assert spec["category"] == "noise-narrow"
    jam = spec["jammers"][0]
    dets = rfkit.detect(ag.write_recording(tmp_path, spec))
    centre = spec["center_hz"] + spec["receiver"]["freq_offset_hz"] + jam["center_hz"]
    hit = [e for e in dets.jamming if e.freq_lo_hz - 2e3 <= centre <= e.freq_hi_hz + 2e3]
    assert len(hit) == 1 and hit[0].kind == "noise", [(e.kind, e.center_hz, e.jamming) for e in dets]
    assert hit[0].freq_hi_hz - hit[0].freq_lo_hz <= 2 * jam["bandwidth_hz"]


def _eight_bit_run(emitter: dict, seed: int):
    # an 8-bit receiver's capture (its DC guard applies) with bursty OOK/FSK traffic
    from rfkit.io.array import ArrayCapture
    from rfkit.synth.scenario import scenario_from_dict

    sc = scenario_from_dict({
        "rate_hz": 250e3, "duration_s": 1.287, "center_freq_hz": 433.92e6, "noise_dbfs": -30.0,
        "emitters": [emitter], "impairments": None, "background": None,
        "traffic": {"rate_per_s": 2.0, "jn_db_range": [-5.0, 10.0], "modulations": ["ook", "fsk"],
                    "min_gap_s": 0.02}})
    x, _truth = generate(sc, seed=seed)
    cap = ArrayCapture(x.astype(np.complex64), rate_hz=sc.rate_hz, center_hz=433.92e6)
    cap.info = cap.info.replace(format="raw", dtype="cu8")
    return rfkit.detect(cap)


@pytest.mark.parametrize("seed", [3100023, 5])
def test_keyed_carrier_on_the_tuned_frequency_is_pulsed_a_steady_one_is_not(seed):
    # a carrier 186 Hz off the tuned frequency (inside the 8-bit DC guard), keyed at 842 Hz with
    # duty 0.175 at J/N -5 dB: the receiver's DC offset never switches off and on in a regular
    # train, so it is a pulsed jammer; the same carrier left on stays the DC guard's business
    keyed = {"kind": "pulsed", "jn_db": -5.0, "start_s": 0.4145, "end_s": None, "prf_hz": 842.4, "duty": 0.175,
             "base": {"kind": "cw", "jn_db": 0.0, "start_s": 0.0, "end_s": None, "offset_hz": 186.0}}
    d = _eight_bit_run(keyed, seed)
    jam = d.jamming
    assert len(jam) == 1 and jam[0].kind == "pulsed", [(e.kind, e.start_s, e.end_s, e.center_hz) for e in d]
    assert jam[0].params["prf_hz"] == pytest.approx(842.4, rel=0.05)
    assert jam[0].start_s < 0.6 and jam[0].end_s > 1.2
    assert abs(jam[0].center_hz - 433.92e6) < 5e3
    steady = {"kind": "cw", "jn_db": -5.0, "start_s": 0.4145, "end_s": None, "offset_hz": 186.0}
    d = _eight_bit_run(steady, seed)
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.center_hz) for e in d.jamming]


def test_sweep_beside_a_denser_packet_train_keeps_its_own_band(tmp_path):
    # the independent generator's 16 ms sawtooth (780 kHz, J/N 0 dB) with LoRa-like packets
    # 66 kHz beside its edge, 20 dB denser: the coarse CFAR cells bridge the gap, and a row's
    # run holding both must be cut between them, or the packets fill the sweep's snippet
    from independent import altgen

    ag = altgen()
    spec = ag.plan_set(100, seed=9)[48]
    assert spec["category"] == "chirp-saw-slow"
    d = rfkit.detect(ag.write_recording(tmp_path, spec))
    (jam,) = [e for e in d if e.jamming]
    j = spec["jammers"][0]
    assert jam.kind == "chirp" and jam.params["sweep_shape"] == "sawtooth"
    assert jam.params["sweep_period_s"] == pytest.approx(j["period_s"], rel=0.05)
    assert jam.params["sweep_rate_hz_per_s"] == pytest.approx(j["bandwidth_hz"] / j["period_s"], rel=0.05)


def test_ring_grown_keeps_what_it_held_and_no_more():
    from rfkit.detection.online import _Ring

    r = _Ring(5, dtype=np.float64)
    r.push(np.arange(7.0))  # holds 2..6
    r.reserve(10)
    np.testing.assert_array_equal(r.get(0, 7), np.arange(2.0, 7.0))
    r.push(np.arange(7.0, 12.0))
    np.testing.assert_array_equal(r.get(0, 12), np.arange(2.0, 12.0))
    r.push(np.arange(12.0, 15.0))  # now full: the oldest go
    np.testing.assert_array_equal(r.get(0, 15), np.arange(5.0, 15.0))
