"""`rfkit detect`: output formats on hand-made events, and the command in-process on generated recordings."""

from __future__ import annotations

import csv
import io
import json

import pytest

import rfkit
from rfkit.cli import main
from rfkit.cli.detect import format_csv, format_jsonl, format_table, params_summary
from rfkit.detection.events import CSV_COLUMNS, Event
from rfkit.synth import CW, Chirp, Scenario, write_scenario

FC = 1575.42e6

EVENTS = [
    Event(0.5, 2.0, FC - 1e6, FC + 1e6, "chirp", True, -31.2, -1.2, 0.93,
          {"sweep_rate_hz_per_s": 1e11, "sweep_period_s": 2e-5, "sweep_shape": "sawtooth", "bandwidth_hz": 2e6}),
    Event(0.0, 2.0, FC + 3e5, FC + 3e5, "cw", True, -40.0, -10.0, 0.99, {"tones_hz": [FC + 3e5]}),
    Event(1.25, 1.262, FC + 5e5, FC + 5.2e5, "burst", False, -25.0, 5.0, 0.7, {"bandwidth_hz": 2e4}),
    Event(0.1, 1.9, FC - 2e5, FC - 2e5, "pulsed", True, -35.0, -5.0, 0.8,
          {"base_kind": "cw", "prf_hz": 1000.0, "duty_cycle": 0.25, "pulse_width_s": 2.5e-4, "tones_hz": [FC - 2e5]}),
]


def test_jsonl_round_trips_through_event_from_dict():
    text = format_jsonl([("x.cu8", EVENTS)])
    lines = text.strip().split("\n")
    assert len(lines) == len(EVENTS)
    back = [Event.from_dict(json.loads(s)) for s in lines]
    assert back == EVENTS
    assert "input" not in json.loads(lines[0])


def test_jsonl_names_the_input_with_several():
    text = format_jsonl([("a.cu8", EVENTS[:1]), ("b.cu8", EVENTS[1:2])])
    objs = [json.loads(s) for s in text.strip().split("\n")]
    assert [o["input"] for o in objs] == ["a.cu8", "b.cu8"]
    assert Event.from_dict(objs[1]) == EVENTS[1]


def test_csv_columns_and_values():
    rows = list(csv.reader(io.StringIO(format_csv([("x", EVENTS)]))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(EVENTS)
    r = dict(zip(rows[0], rows[2]))
    assert r["kind"] == "cw" and float(r["freq_lo_hz"]) == FC + 3e5 and float(r["jn_db"]) == -10.0
    assert json.loads(r["params"]) == {"tones_hz": [FC + 3e5]}
    assert r["jamming"] == "True"
    many = list(csv.reader(io.StringIO(format_csv([("a", EVENTS[:1]), ("b", EVENTS[:1])]))))
    assert many[0][0] == "input" and [m[0] for m in many[1:]] == ["a", "b"]


def test_table_is_aligned_and_readable():
    text = format_table([("x.cu8", EVENTS)])
    lines = text.split("\n")
    assert lines[0].split()[:3] == ["start", "s", "end"]
    assert len(lines) == 1 + len(EVENTS)
    chirp = lines[1]
    assert "1575.420000" in chirp and "chirp" in chirp and "yes" in chirp and "-1.2" in chirp
    assert "sawtooth sweep 100 MHz/ms" in chirp and "period 20 us" in chirp
    # columns line up: the kind column starts at the same place in every row
    col = lines[0].index("kind")
    assert all(line[col:].split()[0] in ("kind", "chirp", "cw", "burst", "pulsed") for line in lines)
    assert "no emissions found in y.cu8" == format_table([("y.cu8", [])])


def test_params_summary():
    assert params_summary(EVENTS[3]) == "of cw, tone 1575.220000 MHz, PRF 1000 Hz, width 250 us, duty 0.25"
    assert params_summary(EVENTS[2]) == "bw 20 kHz"


# -- the command, in-process, on generated recordings ----------------------------------
needs_detector = pytest.mark.skipif(not callable(getattr(rfkit, "detect", None)), reason="rfkit.detect not built")


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    d = tmp_path_factory.mktemp("det")
    sc = Scenario(emitters=(CW(jn_db=10, offset_hz=3e5, start_s=0.2),
                            Chirp(jn_db=5, start_s=0.3, bandwidth_hz=1e6, period_s=5e-5)),
                  rate_hz=2.4e6, duration_s=1.0)
    return write_scenario(d / "rec", sc, seed=1)


@needs_detector
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_detect_command_formats(recording, fmt, capsys):
    assert main(["detect", str(recording), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "jsonl":
        evs = [Event.from_dict(json.loads(s)) for s in out.strip().split("\n")]
        kinds = {e.kind for e in evs if e.jamming}
        assert "cw" in kinds or "chirp" in kinds
    elif fmt == "csv":
        assert out.split("\n")[0] == ",".join(CSV_COLUMNS)
    else:
        assert out.split("\n")[0].startswith("start s")


@needs_detector
def test_detect_output_file_and_several_inputs(recording, tmp_path, capsys):
    out = tmp_path / "ev.jsonl"
    assert main(["detect", str(recording), str(recording), "--format", "jsonl", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    objs = [json.loads(s) for s in out.read_text().strip().split("\n")]
    assert {o["input"] for o in objs} == {str(recording)}
    assert len(objs) % 2 == 0


@needs_detector
def test_annotate_raw_input_points_at_the_samples(tmp_path, capsys):
    raw = tmp_path / "cap_1575.42M_2400k.cu8"
    sc = Scenario(emitters=(CW(jn_db=10, offset_hz=-4e5, start_s=0.3),), rate_hz=2.4e6, duration_s=1.0)
    write_scenario(tmp_path / "tmp", sc, seed=2)
    (tmp_path / "tmp.sigmf-data").rename(raw)
    assert main(["detect", str(raw), "--annotate", "--format", "jsonl"]) == 0
    events = [Event.from_dict(json.loads(s)) for s in capsys.readouterr().out.strip().split("\n")]
    meta_path = tmp_path / "cap_1575.42M_2400k.sigmf-meta"
    meta = json.loads(meta_path.read_text())
    assert meta["global"]["core:dataset"] == raw.name
    assert len(meta["annotations"]) == len(events)
    assert all(a["core:generator"] == "rfkit detect" for a in meta["annotations"])
    with rfkit.open(meta_path) as cap:  # the new metadata opens the raw samples
        assert cap.info.n_samples == 2_400_000 and cap.info.center_freq == FC
    # again: the earlier detections are replaced, not duplicated
    assert main(["detect", str(raw), "--annotate", str(meta_path), "--format", "jsonl"]) == 0
    assert len(json.loads(meta_path.read_text())["annotations"]) == len(events)


@needs_detector
def test_annotate_sigmf_in_place_keeps_ground_truth(recording, tmp_path, capsys):
    import shutil

    meta = tmp_path / "copy.sigmf-meta"
    shutil.copy(recording, meta)
    shutil.copy(recording.with_suffix(".sigmf-data"), tmp_path / "copy.sigmf-data")
    truth = json.loads(meta.read_text())["annotations"]
    assert main(["detect", str(meta), "--annotate"]) == 0
    anns = json.loads(meta.read_text())["annotations"]
    assert [a for a in anns if a["core:generator"] == "rfkit"] == truth
    assert any(a["core:generator"] == "rfkit detect" for a in anns)


@needs_detector
def test_detector_options_come_from_the_dataclass(recording, capsys):
    from dataclasses import fields

    from rfkit.cli import build_parser
    from rfkit.detection.options import DetectorOptions

    helptext = build_parser()._subparsers._group_actions[0].choices["detect"].format_help()
    for f in fields(DetectorOptions):
        assert "--" + f.name.replace("_", "-") in helptext
    assert main(["detect", str(recording), "--hold-s", "0.7", "--format", "jsonl"]) == 0
    with pytest.raises(SystemExit):
        main(["detect", str(recording), "--hold-s", "abc"])


def test_bad_input_is_one_line(tmp_path, capsys):
    assert main(["detect", str(tmp_path / "missing.cu8")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error:") and "no such file" in err and err.count("\n") == 1
