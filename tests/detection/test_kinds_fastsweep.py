"""Fast sweeps (periods of a few to a few tens of samples) measured from their instantaneous
frequency (rfkit.detection.sweep_fold.sweep_fold_step via evidence's `_sweep_fold` and
`_sweep_traced`; chirp's and multitone's fold test; online's analysis window away from a long
packet). Ground truth: recordings of the independent generator (benchmarks/altgen.py, which
accumulates a sweep's phase on its own sample clock) that rfkit got wrong before these tests'
changes, rebuilt from its plan (same seed, same spec)."""

import pytest
from independent import one_jammer, recording


def _chirp(tmp_path, seed, index):
    spec, d = recording(tmp_path, seed, index)
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    rate = (2 if jam["shape"] == "triangle" else 1) * jam["bandwidth_hz"] / jam["period_s"]
    return ev, jam, rate


@pytest.mark.parametrize("index", [84, 0])
def test_fast_sawtooths_of_seed_19(tmp_path, index):
    # alt084: +10 dB, 884 kHz swept every 6.75 us (12 samples at 1.8 MS/s): the whole band
    # rises, so band / period reads the rate twice too high; the lag product's fold gives it.
    # alt000: -5 dB, 7.88 us a period (16.1 samples): |R| peaks at a wrong lag; the lag
    # product's strongest line gives the period
    ev, jam, rate = _chirp(tmp_path, 19, index)
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.05)


def test_fast_triangle_with_few_comb_lines_is_no_multitone(tmp_path):
    # seed 17's alt021: -5 dB, 377 kHz swept up and down every 10.5 us (B T = 4): three lines
    # within the band read, gated by its filter (kappa 1.3); folded through a filter that passes
    # the comb's skirts it traces a triangle at a steady power
    ev, jam, rate = _chirp(tmp_path, 17, 21)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.15)


def test_fast_triangle_analysed_away_from_a_long_packet_on_its_band(tmp_path):
    # seed 19's alt070: -5 dB triangle over most of the band, a 0.16 s chirp-spread packet 6 dB
    # over it near the end: a window the packet fills looks steady; it is not the jammer's
    ev, jam, rate = _chirp(tmp_path, 19, 70)
    assert ev.params["sweep_shape"] == "triangle"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=1e-3)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(rate, rel=0.1)
