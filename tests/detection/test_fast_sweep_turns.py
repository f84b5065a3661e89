"""Fast sawtooth sweeps told from noise and from a two-channel hopper by their second-order lag
product, whose mean a continuously moving frequency turns (`Evidence.turn_sigmas`, the noise
kind's penalty; `Evidence.sweep_fast`'s coherent sawtooth in hopping's `_two_channels`), where
stationary noise and a carrier holding still between jumps leave it real. Ground truth: the
recordings rfkit got wrong before, rebuilt from their generators' plans (benchmarks/altgen.py
seed 127; `rfkit scenario --set` seed 131)."""

import pytest
from independent import covering_jammer, recording

import rfkit
from rfkit.synth import write_scenario
from rfkit.synth.sets import plan_set


def test_whole_band_sawtooth_whose_envelope_is_unread_is_no_noise(tmp_path):
    # seed 127's alt095: 0 dB, 2.39 MHz of a 3.2 MS/s band swept every 5.93 us (19 samples),
    # on from the first sample. The band read is the whole receiver band, its noise reference
    # too high for kappa to be read (nan), so chirp and noise tied at their default scores and
    # noise won; the mean lag product's imaginary part stands 35 sigmas out (noise: under 2.5)
    spec, d = recording(tmp_path, 127, 95)
    jam = spec["jammers"][0]
    ev = covering_jammer(d, spec)
    assert ev.kind == "chirp", (ev.kind, ev.params)
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_period_s"] == pytest.approx(jam["period_s"], rel=0.01)


def test_sawtooth_over_two_halves_of_its_band_is_no_two_channel_hopper(tmp_path):
    # seed 131's 045: +10 dB, 187 kHz of a 250 kS/s band swept every 350 us (cu8). Its averaged
    # spectrum dips in the middle: two "channels", each lit once a period, in turn, as regularly
    # as a two-channel hopper's (hop rate 2 / period); its second-order phase turns coherently
    # as a sawtooth's (coherence 0.81), where a hopper's holds still within its dwells
    item = plan_set(120, seed=131)[45]
    assert item["name"].startswith("045_chirp-saw-fast"), item["name"]
    meta = write_scenario(tmp_path / f"{item['name']}.sigmf-meta", item["scenario"], seed=item["seed"], dtype="cu8")
    with rfkit.open(meta) as cap:
        (truth,) = [a for a in cap.annotations if a.get("rfkit:jamming")]
    d = rfkit.detect(meta)
    assert len(d.jamming) == 1, [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    ev = d.jamming[0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    want = truth["rfkit:params"]
    assert ev.params["sweep_shape"] == "sawtooth"
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(want["sweep_rate_hz_per_s"], rel=0.05)
    assert ev.params["sweep_period_s"] == pytest.approx(want["sweep_period_s"], rel=1e-3)
