"""rfkit.plot.report: one self-contained HTML file holding every event, figures embedded."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pytest

import rfkit
from rfkit import ParameterError
from rfkit.detection.events import Detections
from rfkit.plot import build_report, write_report
from rfkit.plot.report import format_param


class _Walk(HTMLParser):
    """Collects tags, their attributes and the text of the document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(text: str) -> _Walk:
    w = _Walk()
    w.feed(text)
    w.close()
    return w


def _assert_self_contained(w: _Walk) -> None:
    for tag, attrs in w.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed"), tag
        for key in ("src", "href", "data", "poster", "srcset", "action"):
            if key in attrs:
                v = attrs[key] or ""
                assert v.startswith(("data:", "#")), (tag, key, v[:60])
    style = "".join(w.text)
    assert "@import" not in style and "url(" not in style


def test_report_of_a_scenario_holds_every_event(all_kinds_scenario, tmp_path):
    meta, truth = all_kinds_scenario
    dets = Detections(truth, warnings=["receiver clipped 1.5 % of samples"], noise_dbfs=-30.0)
    path = write_report(tmp_path / "r.html", meta, detections=dets, max_zooms=3)
    text = path.read_text(encoding="utf-8")
    w = _parse(text)
    _assert_self_contained(w)
    rows = [a for t, a in w.tags if t == "tr" and a.get("id", "").startswith("event-")]
    assert [r["id"] for r in rows] == [f"event-{i + 1}" for i in range(len(truth))]
    body = " ".join(w.text)
    for ev in truth:
        assert ev.kind in body
    assert "receiver clipped 1.5 % of samples" in body
    assert "433.92 MHz" in body and "2.4 MS/s" in body
    assert f"Showing 3 of {len(truth)} events" in body
    imgs = [a["src"] for t, a in w.tags if t == "img"]
    assert len(imgs) == 3 + 3  # waterfall, spectrum, timeline, 3 zooms
    for src in imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    # the zooms are of the most important events: jamming first
    zoom_ids = [a["id"] for t, a in w.tags if t == "figure" and a.get("id", "").startswith("zoom-")]
    assert all(truth[int(z.split("-")[1]) - 1].jamming for z in zoom_ids)


def test_report_with_no_events_and_escaping(tmp_path):
    from plot_helpers import tone_samples, write_format

    path, _ = write_format(tmp_path, "cf32", tone_samples(n=1 << 16))
    with rfkit.open(path) as cap:
        text = build_report(
            cap, detections=Detections([], warnings=["<b>odd</b> & more"]), title="A <T> & B"
        )
    w = _parse(text)
    _assert_self_contained(w)
    body = " ".join(w.text)
    assert "No events detected" in body and "<b>odd</b> & more" in body and "A <T> & B" in body
    assert "&lt;b&gt;odd&lt;/b&gt;" in text  # escaped, not markup
    assert not [a for t, a in w.tags if t == "tr" and a.get("id", "").startswith("event-")]


def test_report_runs_the_detector_by_default(tmp_path):
    if not hasattr(rfkit, "detect"):
        pytest.skip("rfkit.detect is not available")
    synth = pytest.importorskip("rfkit.synth")
    sc = synth.Scenario(
        rate_hz=1e6,
        duration_s=1.0,
        center_freq_hz=100e6,
        emitters=(synth.CW(jn_db=10, offset_hz=200e3, start_s=0.2, end_s=0.9),),
    )
    meta = synth.write_scenario(tmp_path / "cw", sc, seed=1)
    dets = rfkit.detect(meta)
    text = build_report(meta, max_zooms=1)
    rows = [a for t, a in _parse(text).tags if t == "tr" and a.get("id", "").startswith("event-")]
    assert len(rows) == len(dets) >= 1


def test_params_read_for_people():
    assert format_param("tones_hz", [433.92e6, 434.0e6]) == "433.92 MHz, 434 MHz"
    assert format_param("sweep_period_s", 20e-6) == "20 µs"
    assert format_param("duty_cycle", 0.3) == "30 %"
    assert format_param("sweep_rate_hz_per_s", 1e12) == "1 MHz/µs"  # 10 MHz in 10 µs
    assert format_param("sweep_rate_hz_per_s", 2e9) == "2 MHz/ms"
    assert format_param("sweep_rate_hz_per_s", 8e6) == "8 MHz/s"
    assert format_param("prf_hz", 1000.0) == "1 kHz"
    assert format_param("sweep_shape", "triangle") == "triangle"
    assert format_param("x", float("nan")) == "unknown"


def test_bad_max_zooms(tmp_path):
    with pytest.raises(ParameterError, match="max_zooms"):
        build_report(tmp_path / "nothing", detections=[], max_zooms=-1)
