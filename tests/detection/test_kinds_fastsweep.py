"""Fast sweeps (periods of a few to a few tens of samples) measured from their instantaneous
frequency (rfkit.detection.sweep_fold.sweep_fold_step via evidence's `_sweep_fold` and
`_sweep_traced`; chirp's and multitone's fold test; online's analysis window away from a long
packet). Ground truth: recordings of the independent generator (benchmarks/altgen.py, which
accumulates a sweep's phase on its own sample clock) that rfkit got wrong before these tests'
changes, rebuilt from its plan (same seed, same spec), and rfkit.synth scenarios."""

import pytest
from independent import one_chirp, one_jammer, recording, tuned_hz

import rfkit
from rfkit.synth.emitters import Chirp, Pulsed
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate


@pytest.mark.parametrize("index", [84, 0])
def test_fast_sawtooths_of_seed_19(tmp_path, index):
    # alt084: +10 dB, 884 kHz swept every 6.75 us (12 samples at 1.8 MS/s): the whole band
    # rises, so band / period reads the rate twice too high; the lag product's fold gives it.
    # alt000: -5 dB, 7.88 us a period (16.1 samples): |R| peaks at a wrong lag; the lag
    # product's strongest line gives the period
    ev, jam, rate = one_chirp(tmp_path, 19, index)
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)


def test_fast_triangle_with_few_comb_lines_is_no_multitone(tmp_path):
    # seed 17's alt021: -5 dB, 377 kHz swept up and down every 10.5 us (B T = 4): three lines
    # within the band read, gated by its filter (kappa 1.3); folded through a filter that passes
    # the comb's skirts it traces a triangle at a steady power
    ev, jam, rate = one_chirp(tmp_path, 17, 21)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.15)


def test_fast_triangle_analysed_away_from_a_long_packet_on_its_band(tmp_path):
    # seed 19's alt070: -5 dB triangle over most of the band, a 0.16 s chirp-spread packet 6 dB
    # over it near the end: a window the packet fills looks steady; it is not the jammer's
    ev, jam, rate = one_chirp(tmp_path, 19, 70)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.1)


@pytest.mark.parametrize("seed", [3, 4])
def test_fast_triangle_whose_plain_phase_mean_vanishes(seed):
    # seed 47's 047 (rfkit's generator): +10 dB, 575 kHz up and down every 35.2 us (36 samples
    # at 1.024 MS/s). The lag picked for a sawtooth's 1 rad turns this triangle by ~2 rad,
    # where its plain second-order mean A cos(c L^2) nearly vanishes: the angle left is noise's
    # and fell in the sawtooth's window, so the folded coherence of its slopes was never read
    # and the +10 dB sweep was left "unknown" (weak chirp signature)
    rate, t0, t1 = 1.024e6, 0.35, 1.0
    jam = Chirp(offset_hz=-75.1e3, bandwidth_hz=574.6e3, period_s=35.17e-6, shape="triangle",
                jn_db=10.0, start_s=t0, end_s=t1)
    sc = Scenario(emitters=(jam,), rate_hz=rate, duration_s=1.2, center_freq_hz=868.3e6,
                  impairments=Impairments())
    x, _truth = generate(sc, seed=seed)
    d = rfkit.detect(x.astype("complex64"), rate_hz=rate, center_hz=868.3e6)
    got = [e for e in d if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert len(got) == 1, [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    ev = got[0]
    assert ev.kind == "chirp" and ev.jamming, (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam.period_s, rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(2 * jam.bandwidth_hz / jam.period_s, rel=0.05)


def test_fast_triangle_under_a_beacon_repeating_at_its_band_edge(tmp_path):
    # seed 13's alt049: -5 dB triangle over 1.85 MHz of a 2.56 MS/s band (42 us a period), a
    # +13 dB GFSK beacon every ~0.1 s overlapping its low edge, in one track. The beacon set the
    # averaged spectrum's plateau, the band was read as the beacon's (whose rows hold 15 % of
    # the emission's row peaks) and nothing matched; read beside it, the rows still pulsed with
    # the beacon, which the band's raw envelope (steady over two of its periods) does not
    spec, d = recording(tmp_path, 13, 49)
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    rate = 2 * jam["bandwidth_hz"] / jam["period_s"]
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)
    lo = tuned_hz(spec) + jam["f_lo_hz"]
    assert abs(ev.freq_lo_hz - lo) < 0.05 * jam["bandwidth_hz"]
    assert abs(ev.freq_hi_hz - (lo + jam["bandwidth_hz"])) < 0.05 * jam["bandwidth_hz"]


@pytest.mark.parametrize("prf_hz", [5.0, 8.0])
def test_slow_keyed_sweeper_is_still_pulsed(prf_hz):
    # the twin of the beacon case: a sweeper keyed at a rate only the rows resolve (the 0.4 s
    # raw snippet holds two or three of its periods, its envelope is steady within each block)
    # does leave its band at the noise between its pulses
    rate = 1.024e6
    base = Chirp(offset_hz=20e3, bandwidth_hz=500e3, period_s=40e-6)
    sc = Scenario(emitters=(Pulsed(base=base, prf_hz=prf_hz, duty=0.2, jn_db=0.0, start_s=0.3, end_s=2.8),),
                  rate_hz=rate, duration_s=3.0, center_freq_hz=868.3e6, impairments=Impairments())
    x, _truth = generate(sc, seed=5)
    d = rfkit.detect(x.astype("complex64"), rate_hz=rate, center_hz=868.3e6)
    got = [e for e in d.jamming if min(e.end_s, 2.8) - max(e.start_s, 0.3) > 1.0]
    assert len(got) == 1, [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    assert got[0].kind == "pulsed" and got[0].params["base_kind"] == "chirp", got[0].params
    assert got[0].params["prf_hz"] == pytest.approx(prf_hz, rel=0.05)
