"""Slow pulse trains (PRF 12..22 Hz, pulses of 7..8 ms, shorter than a 10 ms row) whose every run
of on-rows is one pulse: no run is long enough to be the emission's body, so none of them is an
island to drop at the emission's ends. The code before dropped all but the last pulse (a 10 ms
"burst"): a swept pulse train keyed for seconds at a steady PRF was ordinary traffic.

- rfkit.synth: a triangle sweep (500 kHz, 250 us) keyed at 12/15/22 Hz, J/N +10 dB, 0.6-1.8 s;
- gen3 seed 13 #24 (g3s13 024): a pulsed triangle chirp at 22 Hz, duty 0.18, on from 1.70 s to
  the end, beside an OFDM line and a POCSAG pager (it was `burst`, 2.437-2.458 s).
Also a keyed sweep filling the band read whose pulses come at neither the sweep's period nor half
of it: not a sweep passing through the band (chirp's) but a keyer (rfkit set 117's 080).
"""

import pytest
from independent import gen3_run

import rfkit
from rfkit.synth.emitters import Chirp, Pulsed
from rfkit.synth.impairments import Impairments
from rfkit.synth.scenario import Scenario, generate, scenario_from_dict, write_scenario

RATE = 1.2e6


@pytest.mark.parametrize("prf_hz,duty,seed", [(15.0, 0.1, 3), (22.0, 0.18, 3), (12.0, 0.08, 4)])
def test_slow_pulsed_chirp_is_one_train_not_its_last_pulse(prf_hz, duty, seed):
    base = Chirp(offset_hz=200e3, bandwidth_hz=500e3, period_s=250e-6, shape="triangle")
    sc = Scenario(emitters=(Pulsed(base=base, prf_hz=prf_hz, duty=duty, jn_db=10.0, start_s=0.6, end_s=1.8),),
                  rate_hz=RATE, duration_s=2.4, center_freq_hz=315e6, impairments=Impairments())
    x, truth = generate(sc, seed=seed)
    d = rfkit.detect(x.astype("complex64"), rate_hz=RATE, center_hz=315e6)
    jam = [e for e in d if e.jamming]
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s) for e in d]
    ev, t = jam[0], truth[0]
    assert ev.kind == "pulsed" and ev.params["base_kind"] == "chirp"
    assert ev.params["prf_hz"] == pytest.approx(prf_hz, rel=0.05)
    assert ev.params["duty_cycle"] == pytest.approx(t.params["duty_cycle"], abs=0.05)
    # (the last pulse ends up to one off-time before the truth's end)
    assert abs(ev.start_s - t.start_s) <= 0.05 and t.end_s - 1.0 / prf_hz - 0.05 <= ev.end_s <= t.end_s + 0.05


def test_gen3_pulsed_chirp_beside_traffic_is_jamming(tmp_path):
    truth, dets = gen3_run(tmp_path, 13, 24)
    t = truth[0]
    jam = [e for e in dets if e.jamming and min(e.end_s, t.end_s) - max(e.start_s, t.start_s) > 0.3]
    assert jam and jam[0].kind == "pulsed", [(e.kind, e.jamming, e.start_s, e.end_s) for e in dets]
    assert jam[0].params["prf_hz"] == pytest.approx(t.params["prf_hz"], rel=0.05)


def test_keyed_sweep_whose_pulses_are_not_its_passes_is_pulsed(tmp_path):
    # rfkit set 117's 080: a 140 kHz sawtooth (368 us) keyed at 1537 Hz, duty 0.56, J/N -5 dB,
    # among OOK/FSK packets; the band read spans the whole 250 kHz and the pulses are as long as
    # one sweep, yet a sweep passing through the band would pulse it at its own period (735 us
    # read) or half of it: 651 us is neither, a keyer's clock (it was `chirp`)
    sc = scenario_from_dict({
        "rate_hz": 250000.0, "duration_s": 2.01, "center_freq_hz": 868300000.0, "noise_dbfs": -30.0,
        "emitters": [{"kind": "pulsed", "jn_db": -5.0, "start_s": 0.423, "end_s": None,
                      "base": {"kind": "chirp", "jn_db": 0.0, "start_s": 0.0, "end_s": None,
                               "offset_hz": 28684.575361843403, "bandwidth_hz": 140009.05074439393,
                               "period_s": 0.00036754209788414886, "shape": "sawtooth"},
                      "prf_hz": 1536.8283139222722, "duty": 0.5606808544381195}],
        "impairments": None,
        "traffic": {"rate_per_s": 2.0, "jn_db_range": [-5.0, 10.0], "modulations": ["ook", "fsk"],
                    "min_gap_s": 0.02},
        "background": None})
    path = write_scenario(tmp_path / "pchirp.sigmf-meta", sc, seed=11700080, dtype="cu8")
    d = rfkit.detect(path)
    jam = [e for e in d if e.jamming]
    assert jam and all(e.kind == "pulsed" for e in jam), [(e.kind, e.start_s, e.end_s) for e in jam]
    ev = max(jam, key=lambda e: e.end_s - e.start_s)
    assert ev.params["base_kind"] == "chirp"
    assert ev.params["prf_hz"] == pytest.approx(sc.emitters[0].prf_hz, rel=0.05)
