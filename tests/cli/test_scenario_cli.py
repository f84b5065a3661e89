"""`rfkit scenario` and `rfkit score`, in-process."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rfkit
from rfkit.cli import main
from rfkit.detection.score import load_truth

RATE = "1.024M"


def truth_of(meta_path):
    with rfkit.open(meta_path) as cap:
        return load_truth(cap.annotations, sample_rate=cap.info.sample_rate), cap.info


def test_chirp_command_writes_labelled_sigmf(tmp_path, capsys):
    out = tmp_path / "gps.sigmf-meta"
    rc = main(["scenario", "chirp", "-o", str(out), "--jn-db", "-5", "--rate", RATE, "--freq", "1575.42M",
               "--duration", "0.5", "--bandwidth", "400k", "--period", "20u", "--shape", "triangle",
               "--start", "0.2"])
    assert rc == 0
    assert "ground truth: 1 event" in capsys.readouterr().out
    truth, info = truth_of(out)
    assert info.sample_rate == 1.024e6 and info.center_freq == 1575.42e6 and info.n_samples == 512_000
    assert info.dtype == "cu8"
    (ev,) = truth
    assert ev.kind == "chirp" and ev.jn_db == pytest.approx(-5.0) and ev.start_s == pytest.approx(0.2)
    assert ev.params["sweep_shape"] == "triangle" and ev.params["sweep_period_s"] == pytest.approx(20e-6)
    assert ev.params["sweep_rate_hz_per_s"] == pytest.approx(2 * 400e3 / 20e-6)


@pytest.mark.parametrize("argv, kind, key", [
    (["pulsed", "--base", "noise", "--prf", "200", "--duty", "0.2"], "pulsed", "prf_hz"),
    (["hopping", "--dwell", "5m"], "hopping", "hop_rate_hz"),
    (["multitone", "--tones=-100k,50k,200k"], "multitone", "tones_hz"),  # "=": -100k looks like an option
    (["noise", "--bandwidth", "50k", "--offset=-100k"], "noise", "bandwidth_hz"),
    (["cw", "--offset", "123k", "--impairments", "--ppm", "0"], "cw", "tones_hz"),
])
def test_each_kind(tmp_path, argv, kind, key):
    out = tmp_path / "k.sigmf-meta"
    assert main(["scenario", *argv, "-o", str(out), "--rate", RATE, "--duration", "0.3"]) == 0
    (ev,) = truth_of(out)[0]
    assert ev.kind == kind and key in ev.params


def test_noise_only_with_traffic_has_no_jamming_truth(tmp_path):
    out = tmp_path / "quiet.sigmf-meta"
    assert main(["scenario", "none", "--traffic", "-o", str(out), "--rate", RATE, "--duration", "2"]) == 0
    truth, _ = truth_of(out)
    assert truth and all(t.kind == "burst" and not t.jamming for t in truth)


def test_from_remakes_the_same_bytes(tmp_path):
    a = tmp_path / "a.sigmf-meta"
    b = tmp_path / "b.sigmf-meta"
    assert main(["scenario", "cw", "-o", str(a), "--rate", RATE, "--duration", "0.2", "--seed", "77",
                 "--impairments"]) == 0
    assert main(["scenario", "--from", str(a), "-o", str(b)]) == 0
    assert (tmp_path / "a.sigmf-data").read_bytes() == (tmp_path / "b.sigmf-data").read_bytes()


def test_background_command(tmp_path):
    bg = tmp_path / "bg_433.92M_250k.cu8"
    rfkit.io.writers.write_raw(bg, (np.random.default_rng(1).standard_normal(100_000) * 0.03).astype(np.complex64),
                               dtype="cu8")
    out = tmp_path / "mix.sigmf-meta"
    assert main(["scenario", "cw", "--background", str(bg), "-o", str(out), "--jn-db", "3"]) == 0
    truth, info = truth_of(out)
    assert info.sample_rate == 250e3 and info.center_freq == 433.92e6 and info.n_samples == 100_000
    assert [t.kind for t in truth] == ["cw"] and truth[0].jn_db == pytest.approx(3.0)


@pytest.mark.parametrize("argv, match", [
    (["scenario", "cw"], "-o OUT"),
    (["scenario"], "KIND"),
    (["scenario", "cw", "-o", "x.sigmf-meta", "--offset", "5M"], "outside"),
    (["scenario", "pulsed", "-o", "x.sigmf-meta", "--duty", "2"], "duty=2"),
    (["scenario", "--from", "nothere.json", "-o", "x.sigmf-meta"], "cannot read"),
])
def test_bad_arguments_are_one_line(tmp_path, monkeypatch, capsys, argv, match):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error:") and match in err and err.count("\n") == 1


def test_score_command_json_and_table(tmp_path, capsys):
    d = tmp_path / "set"
    assert main(["scenario", "--set", str(d), "--count", "2", "--seed", "4"]) == 0
    capsys.readouterr()
    if not callable(getattr(rfkit, "detect", None)):
        pytest.skip("rfkit.detect not built")
    assert main(["score", str(d), "--json", "--jn-bins=-10,0,10"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["recordings"] == 2 and rep["jamming_events"] == 2 and rep["jn_levels_db"] == [-10, 0, 10]
    assert set(rep["targets"]) == {"pd_min_at_or_above_-5db", "pd_min_narrowband_at_-10db",
                                   "kind_accuracy_at_or_above_-5db", "false_alarms_per_min_max"}
    assert main(["score", str(d)]) == 0
    text = capsys.readouterr().out
    assert "Pd by kind" in text and "confusion" in text and "targets (issue 5)" in text


def test_score_errors(tmp_path, capsys):
    assert main(["score", str(tmp_path)]) == 1
    assert "no .sigmf-meta recordings" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["score", str(tmp_path), "--jn-bins", "a,b"])
    assert e.value.code == 2 and "--jn-bins" in capsys.readouterr().err
