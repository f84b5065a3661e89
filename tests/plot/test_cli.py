"""The picture outputs of the CLI: `rfkit waterfall|psd -o X.png`, `rfkit report -o X.html`."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import numpy as np
import pytest
from plot_helpers import real, tone_samples, write_format

from rfkit.cli import main


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_waterfall_and_psd_png(tmp_path):
    src, _ = write_format(tmp_path, "cu8", tone_samples())
    assert main(["waterfall", str(src), "-o", str(tmp_path / "w.png")]) == 0
    assert main(["psd", str(src), "-o", str(tmp_path / "p.png"), "--nfft", "2048"]) == 0
    assert _png_size(tmp_path / "w.png") == (1500, 900)
    w, h = _png_size(tmp_path / "p.png")
    assert w == 1500 and h > 500


def test_waterfall_png_of_a_real_jammer_recording(tmp_path):
    src = real("gnss_jamming_demo/JammerData.bin")
    out = tmp_path / "jam.png"
    assert (
        main(
            [
                "waterfall",
                str(src),
                "--rate",
                "10M",
                "--dtype",
                "cs8",
                "--nfft",
                "512",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert _png_size(out) == (1500, 900)


def test_waterfall_png_with_detections(tmp_path, all_kinds_scenario):
    import rfkit

    if not hasattr(rfkit, "detect"):
        pytest.skip("rfkit.detect is not available")
    meta, _ = all_kinds_scenario
    assert main(["waterfall", str(meta), "--detect", "-o", str(tmp_path / "d.png")]) == 0
    assert _png_size(tmp_path / "d.png")[0] == 1500


def test_bad_outputs_give_one_line_and_exit_1(tmp_path, capsys):
    src, _ = write_format(tmp_path, "cu8", tone_samples(n=1 << 16))
    assert main(["waterfall", str(src), "-o", str(tmp_path / "none" / "w.png")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error: cannot write") and err.count("\n") == 1
    assert main(["report", str(src), "-o", str(tmp_path / "r.pdf")]) == 1
    assert "must end in .html" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                str(src),
                "--events",
                str(tmp_path / "missing.jsonl"),
                "-o",
                str(tmp_path / "r.html"),
            ]
        )
        == 1
    )
    assert "cannot read" in capsys.readouterr().err


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and a.get("id", "").startswith("event-"):
            self.rows.append(a["id"])


def test_report_from_annotations_and_from_events_file(tmp_path, all_kinds_scenario):
    meta, truth = all_kinds_scenario
    out = tmp_path / "truth.html"
    assert main(["report", str(meta), "--annotations", "--max-zooms", "2", "-o", str(out)]) == 0
    p = _Rows()
    p.feed(out.read_text(encoding="utf-8"))
    assert len(p.rows) == len(truth)
    jl = tmp_path / "ev.jsonl"
    jl.write_text("\n".join(e.to_json() for e in truth[:3]) + "\n", encoding="utf-8")
    out2 = tmp_path / "ev.html"
    assert (
        main(["report", str(meta), "--events", str(jl), "--max-zooms", "0", "-o", str(out2)]) == 0
    )
    p2 = _Rows()
    p2.feed(out2.read_text(encoding="utf-8"))
    assert len(p2.rows) == 3
    text = out2.read_text(encoding="utf-8")
    assert "<img" in text and text.count("<img") == 3  # no zooms asked for
    assert json.loads(jl.read_text().splitlines()[0])["kind"] == truth[0].kind
    assert np.isfinite(truth[0].start_s)
