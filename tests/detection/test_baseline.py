"""Baselines: learn, save/load, mismatch errors; a broadcast always there is not jamming, a noise
jammer lifting the whole floor is."""

import json

import numpy as np
import pytest

import rfkit
from rfkit.cli import main
from rfkit.detection.baseline import Baseline, learn_baseline
from rfkit.errors import MetadataError
from rfkit.synth.emitters import CW, Noise
from rfkit.synth.scenario import Scenario, generate, write_scenario

RATE = 1.024e6
CENTRE = 433.92e6


def _site(seed, *extra):
    sc = Scenario(emitters=(CW(offset_hz=200e3, jn_db=10.0),) + extra, rate_hz=RATE, duration_s=1.0,
                  center_freq_hz=CENTRE)
    x, _ = generate(sc, seed=seed)
    return x.astype(np.complex64)


@pytest.fixture(scope="module")
def baseline():
    return learn_baseline(_site(1), rate_hz=RATE, center_hz=CENTRE)


def test_learned_floor_and_occupancy(baseline):
    assert baseline.floor_dbfs == pytest.approx(-30.0, abs=0.5)
    busy = np.flatnonzero(baseline.occupancy >= 0.5)
    offs = (busy - baseline.nfft // 2) * RATE / baseline.nfft
    assert busy.size >= 1 and np.all(np.abs(offs - 200e3) <= 3 * RATE / baseline.nfft)


def test_save_load_round_trip_and_mismatch(tmp_path, baseline):
    p = tmp_path / "site.json"
    baseline.save(p)
    d = json.loads(p.read_text())
    assert d["version"] == 1 and d["nfft"] == baseline.nfft and d["sample_rate"] == RATE
    back = Baseline.load(p)
    np.testing.assert_allclose(back.occupancy, baseline.occupancy, atol=1e-4)
    assert back.floor_level == pytest.approx(baseline.floor_level, rel=1e-3)
    with pytest.raises(MetadataError, match="sample_rate"):
        rfkit.detect(_site(2)[:200000], rate_hz=2 * RATE, baseline=back)
    with pytest.raises(MetadataError, match="center_freq"):
        rfkit.detect(_site(2)[:200000], rate_hz=RATE, center_hz=CENTRE + 1e6, baseline=back)
    p.write_text('{"nfft": 4}')
    with pytest.raises(MetadataError, match="version"):
        Baseline.load(p)


def test_broadcast_is_not_jamming_but_a_floor_rise_is(baseline):
    quiet = rfkit.detect(_site(3), rate_hz=RATE, center_hz=CENTRE, baseline=baseline)
    assert not quiet.jamming
    without = rfkit.detect(_site(3), rate_hz=RATE, center_hz=CENTRE)
    assert [e.kind for e in without.jamming] == ["cw"]  # without a baseline the carrier is a CW
    jammed = _site(4, Noise(offset_hz=0.0, bandwidth_hz=RATE, jn_db=-3.0))  # on from the first sample
    d = rfkit.detect(jammed, rate_hz=RATE, center_hz=CENTRE, baseline=baseline)
    assert [e.kind for e in d.jamming] == ["noise"]
    assert d.jamming[0].jn_db == pytest.approx(-3.0, abs=2.0)
    # no reference: whole-band noise present from the first sample cannot be told from thermal noise
    assert "noise" not in [e.kind for e in rfkit.detect(jammed, rate_hz=RATE, center_hz=CENTRE)]


def test_cli_learn_and_show(tmp_path, capsys):
    meta = tmp_path / "site.sigmf-meta"
    write_scenario(meta, Scenario(emitters=(CW(offset_hz=200e3, jn_db=10.0),), rate_hz=RATE, duration_s=0.5,
                                  center_freq_hz=CENTRE), seed=5)
    out = tmp_path / "site.json"
    assert main(["baseline", "learn", str(meta), "-o", str(out)]) == 0
    assert Baseline.load(out).nfft > 0
    assert main(["baseline", "show", str(out)]) == 0
    assert "noise floor" in capsys.readouterr().out
    assert main(["baseline", "show", str(tmp_path / "missing.json")]) == 1
