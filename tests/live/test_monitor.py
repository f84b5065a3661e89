"""`rfkit monitor`: alerts from the online detector on a replayed scenario, snapshot, record, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

import rfkit
from rfkit.cli import main
from rfkit.detection.events import CSV_COLUMNS

synth = pytest.importorskip("rfkit.synth")

RATE = 250e3
CENTRE = 433.92e6


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """An 8 s cu8 recording with a CW jammer (J/N 20 dB, +30 kHz) on from 1.0 s to 7.0 s; ground truth in its SigMF."""
    d = tmp_path_factory.mktemp("scenario")
    sc = synth.Scenario(emitters=(synth.CW(jn_db=20, offset_hz=30e3, start_s=1.0, end_s=7.0),),
                        rate_hz=RATE, duration_s=8.0, center_freq_hz=CENTRE)
    meta = synth.write_scenario(d / "cw_jammer", sc, seed=6)
    truth = json.loads(meta.read_text())["annotations"]
    assert len(truth) == 1
    return meta, truth[0]


def alerts_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def monitor_rtl_tcp(meta, serve, capsys) -> tuple[list[dict], object]:
    """`rfkit monitor rtltcp://...` on the replayed scenario (lossless, fast); its alerts and the server."""
    srv = serve(meta, rate_limit=False)
    url = f"rtltcp://127.0.0.1:{srv.port}?rate=250k&freq=433.92M&overflow=wait"
    assert main(["monitor", url, "--format", "jsonl", "--duration", "8"]) == 0
    return alerts_of(capsys.readouterr().out), srv


def test_monitor_over_rtl_tcp_alerts_within_a_second_of_onset_and_at_the_end(scenario, serve, capsys):
    meta, truth = scenario
    onset_s = truth["core:sample_start"] / RATE
    end_s = onset_s + truth["core:sample_count"] / RATE
    tone_hz = truth["rfkit:params"]["tones_hz"][0]
    alerts, srv = monitor_rtl_tcp(meta, serve, capsys)
    starts = [a for a in alerts if a["alert"] == "start"]
    ends = [a for a in alerts if a["alert"] == "end"]
    assert len(starts) == 1 and len(ends) == 1, alerts
    s, e = starts[0], ends[0]
    for a in (s, e):
        assert set(CSV_COLUMNS) <= set(a) and a["jamming"] is True
        assert a["freq_lo_hz"] - 2e3 <= tone_hz <= a["freq_hi_hz"] + 2e3
    assert abs(s["start_s"] - onset_s) <= 0.1
    assert onset_s <= s["alert_s"] <= onset_s + 1.0  # raised within 1 s of the onset, in stream time
    assert abs(e["end_s"] - end_s) <= 0.1
    assert end_s <= e["alert_s"] <= end_s + 1.0  # the end is reported within 1 s of it
    assert e["kind"] == "cw"
    assert {c.name for c in srv.commands} >= {"rate", "freq"}


def test_monitor_records_the_capture_with_the_events_annotated(scenario, serve, tmp_path, capsys):
    meta, truth = scenario
    srv = serve(meta, rate_limit=False)
    url = f"rtltcp://127.0.0.1:{srv.port}?rate=250k&freq=433.92M&overflow=wait"
    png = tmp_path / "snap.png"
    rec = tmp_path / "rec"
    assert main(["monitor", url, "--duration", "8", "--record", str(rec), "--snapshot", str(png)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["ALERT", "AT_S", "KIND"]
    assert [line.split()[0] for line in table[1:]] == ["START", "END"]
    # the recording is the stream, byte for byte, and its annotations are the detector's events
    with rfkit.open(meta) as src:
        served = src.raw(0, src.info.n_samples).copy()  # a view of a memmap closed on exit
    assert np.array_equal(np.fromfile(tmp_path / "rec.sigmf-data", np.uint8), served)
    anns = json.loads((tmp_path / "rec.sigmf-meta").read_text())["annotations"]
    cw = [a for a in anns if a["core:label"] == "cw"]
    assert len(cw) == 1 and cw[0]["rfkit:jamming"] is True
    assert abs(cw[0]["core:sample_start"] - truth["core:sample_start"]) <= 0.1 * RATE
    # the snapshot is a real PNG picture
    import matplotlib.image as mpimg

    img = mpimg.imread(png)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert img[..., :3].std() > 0.05  # not a blank canvas


def test_monitor_reads_a_file_too(scenario, capsys):
    meta, _ = scenario
    assert main(["monitor", str(meta), "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert [a["alert"] for a in alerts_of(captured.out)] == ["start", "end"]
    assert "monitored 8.000 s (2000000 samples)" in captured.err


def test_gui_without_a_display_is_one_clear_line(scenario, monkeypatch, capsys):
    meta, _ = scenario
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["monitor", str(meta), "--gui"]) == 1
    err = capsys.readouterr().err
    assert err == "rfkit: error: --gui needs a display (DISPLAY is not set); use --snapshot FILE.png instead\n"


def test_gui_with_a_non_interactive_backend_is_one_clear_line(scenario, monkeypatch, capsys):
    meta, _ = scenario
    monkeypatch.setenv("DISPLAY", ":99")
    import matplotlib

    monkeypatch.setattr(matplotlib, "get_backend", lambda: "agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "get_backend", lambda: "agg")
    assert main(["monitor", str(meta), "--gui"]) == 1
    assert "--gui needs an interactive matplotlib backend (have agg)" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "match"), [
    (["--duration", "0"], "--duration=0.0 must be a positive"),
    (["--snapshot", "x.jpg"], "must name a .png file"),
])
def test_bad_options(scenario, args, match, capsys):
    meta, _ = scenario
    assert main(["monitor", str(meta), *args]) == 1
    assert match in capsys.readouterr().err


def test_source_gone_mid_monitor_keeps_the_record_and_says_so(scenario, serve, tmp_path, capsys):
    meta, _ = scenario
    srv = serve(meta, rate_limit=False)
    url = f"rtltcp://127.0.0.1:{srv.port}?rate=250k&freq=433.92M&overflow=wait&retries=0"
    assert main(["monitor", url, "--record", str(tmp_path / "gone")]) == 1  # the replay ends: gone
    err = capsys.readouterr().err
    assert "connection lost" in err and "monitored 8.000 s" in err
    with rfkit.open(tmp_path / "gone.sigmf-meta") as cap:
        assert cap.info.n_samples == 2_000_000


def test_history_keeps_the_last_rows_with_the_tone_at_its_frequency():
    from rfkit.cli.monitor import HISTORY_ROWS, History

    rate, f0 = 1e6, 123_456.0
    h = History(rate, 100e6)
    n = int(1.5 * rate)
    t = np.arange(n) / rate
    x = (0.5 * np.exp(2j * np.pi * f0 * t)).astype(np.complex64)
    for k in range(0, n, 50_000):
        h.push(x[k:k + 50_000])
    p, freqs, times = h.image()
    assert p.shape == (len(h.rows), 1024) and len(h.rows) <= HISTORY_ROWS
    peak = freqs[np.argmax(p.mean(axis=0))]
    assert abs(peak - (100e6 + f0)) <= rate / 1024  # within one bin of the tone
    assert np.all(np.diff(times) > 0) and times[-1] <= 1.5


def test_snapshot_writer_renders_on_its_own_thread(tmp_path):
    from rfkit.cli.monitor import History, SnapshotWriter
    from rfkit.detection.events import Event

    h = History(250e3, None)
    rng = np.random.default_rng(2)
    h.push((0.01 * (rng.standard_normal(250_000) + 1j * rng.standard_normal(250_000))).astype(np.complex64))
    ev = Event(0.2, 0.6, 20e3, 25e3, "cw", True, -20.0, 20.0, 0.9)
    w = SnapshotWriter(str(tmp_path / "s.png"), title="test")
    w.submit(h.image(), [ev])
    w.close()
    assert w.written == 1 and w.error is None
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
