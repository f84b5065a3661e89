"""Slow sweeps (periods of milliseconds: lines on a fine waterfall, a flat band in its 10 ms rows)
found from their repeating instantaneous frequency (rfkit.detection.sweep_fold.frequency_period
past its central lobe, up to a third of the snippet; evidence's `_sweep_incoherent`). Ground
truth: recordings of the independent generator (benchmarks/altgen.py, which accumulates a
sweep's phase on its own sample clock) that rfkit missed before these tests' changes, rebuilt
from its plan (same seed, same spec), and one of gen3's (a weak triangle whose period is one row,
folded on its |R| period); and rfkit.synth sweeps running past the receiver's band
edge (kinds.pulsed's `_sweep_past_edge`, online's `_sweep_passes`)."""

import pytest
from independent import altgen, gen3_jammed, gen3_run, one_chirp, one_jammer, recording

import rfkit
from rfkit.synth.emitters import Chirp
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate


def _swept_as(ev, jam, rate, *, period_rel):
    """The event's sweep has the plan's shape, its period within period_rel and its rate within 5 %."""
    assert ev.params["sweep_shape"] == jam["shape"]
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=period_rel)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)


def test_sawtooth_of_six_milliseconds_through_an_8_bit_receiver(tmp_path):
    # seed 41's alt033: a 1.69 MHz sawtooth of period 6.38 ms at 0 dB, 2.048 MS/s cu8, on all
    # along: its lag-1 phase correlates over a lobe a tenth of its period wide (wider than the
    # shortest lag searched), whose flank stood highest; its peaks, flat over tens of samples,
    # were found at noise ripples (the fold then smeared); seen as unknown before
    ev, jam, rate = one_chirp(tmp_path, 41, 33)
    assert jam["period_s"] > 1e-3 and jam["shape"] == "sawtooth"
    _swept_as(ev, jam, rate, period_rel=0.01)


def test_sawtooth_lying_along_the_passband_alone_is_no_passband(tmp_path):
    # seed 41's alt033 without its beacons: the 0 dB sawtooth alone, on all along over 83 % of
    # the band. Its long-term spectrum is smooth, weak and as high in the first rows as in the
    # last: all a receiver's passband shows; the beacons' lines on it were all that told it apart
    # (once they are their own tracks, left out of its spectrum, it was the passband). A passband
    # is noise through a filter, Gaussian (kappa 2); the sweep's envelope is constant (kappa ~0.2
    # noise-corrected, 2 - kappa ~45 standard errors): online's _gaussian_band
    ag = altgen()
    spec = dict(ag.plan_set(100, seed=41)[33], traffic=[])
    d = rfkit.detect(ag.write_recording(tmp_path, spec))
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    _swept_as(ev, jam, jam["bandwidth_hz"] / jam["period_s"], period_rel=0.01)


def test_sawtooth_whose_piece_began_in_a_beacons_row_is_no_tone_of_it(tmp_path):
    # seed 151's alt037: a 1.3 MHz sawtooth of period 26.8 ms at 0 dB, 3.2 MS/s cu8, on all
    # along (2.6 rows a period: each row lights a piece of its band, the next piece beside it),
    # with a +6 dB beacon 1 MHz below it every 0.1 s. A piece of the sweep's band, split off by
    # the row CFAR, came on in the row the first beacon did: the two were joined as tones born
    # together, and once the piece was found part of the sweep (on since the first row) the
    # beacon stayed in the sweep's group, whose band it then set (its density is 6 dB over the
    # sweep's): "unknown", the jammer missed. The piece was not born then (online's
    # _leave_group): the beacon stays apart, and no hop pending to or from the piece is one
    ev, jam, rate = one_chirp(tmp_path, 151, 37)
    assert jam["period_s"] > 0.02 and jam["shape"] == "sawtooth"
    _swept_as(ev, jam, rate, period_rel=0.01)
    assert ev.bandwidth_hz == pytest.approx(jam["bandwidth_hz"], rel=0.1)


def test_triangle_of_43_ms_at_3_2_msps(tmp_path):
    # seed 23's alt025: a 1.48 MHz triangle of period 43 ms at +10 dB, 3.2 MS/s: four rows a
    # period (too few for the rows' straight pieces), and more than a quarter of the 164 ms
    # snippet (the longest lag searched before); seen as unknown, jamming=false before
    ev, jam, rate = one_chirp(tmp_path, 23, 25)
    assert jam["period_s"] > 0.04 and jam["shape"] == "triangle"
    _swept_as(ev, jam, rate, period_rel=0.02)


def test_sawtooth_begun_after_a_strong_chirp_spread_packet_on_its_band(tmp_path):
    # seed 37's alt004: a 1.6 MHz sawtooth of period 15.5 ms at 0 dB, begun 80 ms after a
    # +13 dB 500 kHz chirp-spread packet on part of its band ended (one track within the hold
    # time), with more such packets on it later: the steadiest window is the packet's, where no
    # kind fits; the clean windows name the sweep (online's _no_kind). The packet's rows, parted
    # from the sweep's by off-rows, are cut from its start, the sweep's own first (partial) row
    # kept (_narrow_ends). Seen as unknown, from the packet's start, before
    ev, jam, rate = one_chirp(tmp_path, 37, 4)
    assert jam["period_s"] > 0.01 and jam["shape"] == "sawtooth"
    _swept_as(ev, jam, rate, period_rel=0.01)


def test_weak_sawtooth_on_from_the_start(tmp_path):
    # seed 29's alt003: a 1.38 MHz sawtooth of period 3.37 ms at -5 dB over most of a 2.048 MS/s
    # band, on from the first sample (no quiet reference): its |R| peak holds 0.19 of the
    # snippet's power (the sweep holds only 0.27 of it), under the probe's 0.2; all of its
    # signal repeats (online's _probe_period_min). Seen as noise after it stopped, before
    spec, d = recording(tmp_path, 29, 3)
    (t0, _t1), = spec["jammers"][0]["on"]
    assert t0 == 0.0
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.01)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(jam["bandwidth_hz"] / jam["period_s"], rel=0.05)


def _detect_past_the_band_edge(ch: Chirp, ppm: float) -> list:
    """The jamming detections of 1.8 s of a 250 kS/s receiver tuned to 2.44 GHz (crystal error
    `ppm`, band-edge roll-off) holding the sweep `ch`, which the error moves partly past one
    edge of the sampled band (asserted)."""
    rate_hz, f_c = 250e3, 2.44e9
    imp = Impairments(ppm=ppm, rolloff=True)
    lo, hi = ch.band_hz()
    shift = imp.shift_hz(f_c)
    assert min(lo + shift, -(hi + shift)) < -0.5 * rate_hz  # (past one edge of the sampled band)
    x, _ = generate(Scenario(emitters=(ch,), rate_hz=rate_hz, duration_s=1.8, center_freq_hz=f_c,
                             impairments=imp), seed=3)
    jam = rfkit.detect(x.astype("complex64"), rate_hz=rate_hz, center_hz=f_c).jamming
    return jam


@pytest.mark.parametrize(("offset_hz", "bandwidth_hz", "period_s", "ppm"), [
    (-30e3, 140e3, 20e-3, 12.3), (-50e3, 120e3, 8e-3, 12.3), (40e3, 150e3, 12e-3, -12.3)])
def test_sawtooth_running_past_the_receiver_band_is_a_chirp(offset_hz, bandwidth_hz, period_s, ppm):
    # a slow sawtooth tuned 30 kHz off (12.3 ppm at 2.44 GHz) runs past the edge of a 250 kS/s
    # receiver's band-edge filter for part of each period: in-band it pulses once a sweep
    # period, which is no keying (kinds.pulsed._sweep_past_edge). Seen as pulsed before
    ch = Chirp(offset_hz=offset_hz, bandwidth_hz=bandwidth_hz, period_s=period_s, jn_db=-5.0, start_s=0.33,
               end_s=1.36)
    jam = _detect_past_the_band_edge(ch, ppm)
    assert [e.kind for e in jam] == ["chirp"], [(e.kind, e.params) for e in jam]
    p = jam[0].params
    assert p["sweep_period_s"] == pytest.approx(period_s, rel=0.01)
    assert p["sweep_rate_hz_per_s"] == pytest.approx(bandwidth_hz / period_s, rel=0.05)
    assert p["bandwidth_hz"] == pytest.approx(bandwidth_hz, rel=0.05)
    assert abs(jam[0].start_s - 0.33) <= 0.05 and abs(jam[0].end_s - 1.36) <= 0.05


@pytest.mark.parametrize(("offset_hz", "bandwidth_hz", "period_s", "ppm", "jn_db"), [
    (-40e3, 140e3, 7.3e-3, 12.3, 0.0), (-30e3, 130e3, 12e-3, 12.3, -5.0), (40e3, 150e3, 20e-3, -12.3, 0.0),
    (-50e3, 140e3, 5e-3, 12.3, -5.0)])
def test_triangle_running_past_the_receiver_band_is_a_chirp(offset_hz, bandwidth_hz, period_s, ppm, jn_db):
    # rfkit 131's 088: a slow triangle tuned partly past a 250 kS/s receiver's band edge turns
    # out there once a period and pulses in band at its period. Its slopes are read from the
    # phase folded on the period; the plain mean over both slopes (a real number: no turn) was
    # taken for the rate measured from the instantaneous frequency (evidence._rate_measured),
    # 30 % high, so the sweep seemed to run past the band read by more than its pulses span:
    # pulsed (the first two), or a chirp found late (0.54 s for 0.33) or with its rate 14 % high
    ch = Chirp(offset_hz=offset_hz, bandwidth_hz=bandwidth_hz, period_s=period_s, jn_db=jn_db, start_s=0.33,
               end_s=1.36, shape="triangle")
    jam = _detect_past_the_band_edge(ch, ppm)
    assert [e.kind for e in jam] == ["chirp"], [(e.kind, e.params) for e in jam]
    p = jam[0].params
    assert p["sweep_shape"] == "triangle"
    assert p["sweep_period_s"] == pytest.approx(period_s, rel=0.01)
    assert p["sweep_rate_hz_per_s"] == pytest.approx(ch.sweep_rate_hz_per_s, rel=0.05)
    assert p["bandwidth_hz"] == pytest.approx(bandwidth_hz, rel=0.05)
    assert abs(jam[0].start_s - 0.33) <= 0.05 and abs(jam[0].end_s - 1.36) <= 0.05


def _assert_one_sweep_read(tmp_path, seed: int, index: int, shape: str) -> None:
    """gen3 set `seed`'s recording `index` (one sweep) holds a jamming chirp over the truth's
    band (the longest, where several) of the truth's shape, period within 0.5 % and rate within 5 %."""
    (t,), d = gen3_run(tmp_path, seed, index)
    hits = [e for e in d.jamming if e.freq_lo_hz <= t.freq_hi_hz and e.freq_hi_hz >= t.freq_lo_hz]
    assert hits, [(e.kind, e.jamming, e.freq_lo_hz, e.freq_hi_hz) for e in d]
    ev = max(hits, key=lambda e: e.end_s - e.start_s)
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == shape
    assert ev.params["sweep_period_s"] == pytest.approx(t.params["sweep_period_s"], rel=0.005)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(t.params["sweep_rate_hz_per_s"], rel=0.05)


def test_weak_triangle_whose_period_is_one_row_is_folded_on_its_r_period(tmp_path):
    # gen3 seed 13's 053: a 235 kHz triangle of period 9.72 ms at -5 dB (in band ~0 dB), 960 kS/s
    # cu8, rows of 9.6 ms (the waterfall aliases it). The frequency period (0.3 % short) folded
    # it into pieces of residual 0.07 (over INCOHERENT_MAX_RESIDUAL): seen as unknown. |R| peaks
    # at the period to a sample, too low to call the sweep coherent: folded there, 0.0005.
    _assert_one_sweep_read(tmp_path, 13, 53, "triangle")


def test_weak_sawtooth_period_is_read_past_its_own_side_lobes(tmp_path):
    # gen3 seed 17's 010: a 452 kHz sawtooth of period 6.28 ms at -10 dB, 2.4 MS/s, on from the
    # start. Its carrier phase wanders over a period (the receiver's LO), so its |R| peak at the
    # period holds 0.1 of the band's power, under half the sinc side lobes of its own flat-topped
    # spectrum a few 1/B from lag 0: the first of those (23 samples) was read as the period and
    # no sweep was found (seen as unknown, jamming=false). With the band's smooth spectral shape
    # taken out of |R| (evidence._shape_free_period), the period is its own.
    _assert_one_sweep_read(tmp_path, 17, 10, "sawtooth")


def test_weak_sawtooth_whose_period_holds_little_of_its_power_is_no_noise(tmp_path):
    # gen3 seed 5's 019: a 236 kHz sawtooth of period 36.8 ms at -10 dB, 1.2 MS/s cu8, on from the
    # start. Its |R| side lobe at 22 samples (0.060) passed for the period; read past its own
    # side lobes (SIDE_LOBE_MARGIN) the period is 36.8 ms, where |R| holds 0.06 of the band's
    # power, under half the sweep's share (the carrier phase wanders over so long a period), so
    # noise took it for no periodic waveform; its fold on that period is one straight line
    # (kinds.noise.folds_straight). Called noise before.
    _assert_one_sweep_read(tmp_path, 5, 19, "sawtooth")


def test_keyed_triangle_where_no_sweep_is_read_at_the_shape_free_period_stays_keyed(tmp_path):
    # gen3 seed 5's 066: a 534 kHz triangle of 481 us keyed at 50.5 Hz (duty 0.33), -5 dB, 960 kS/s
    # cu8. Its |R| peak at 6.5 us stands under the side-lobe margin, and the period read with the
    # band's shape taken out is the sweep's own (481 us) - but no sweep is read there (the band
    # read is 1.7 times the swept one): the reading at the plain |R| period stands (a coherent
    # second-order phase, keyed at a rate of its own). Taking "no sweep" from the shape-free
    # period made it a sweep wider than the band passing through it, then nothing (missed).
    truth, jam = gen3_jammed(tmp_path, 5, 66, "pulsed-chirp")
    want = truth["rfkit:params"]
    ev = max(jam, key=lambda e: e.end_s - e.start_s)
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp", (ev.kind, ev.params)
    assert ev.params["prf_hz"] == pytest.approx(want["prf_hz"], rel=0.05)
