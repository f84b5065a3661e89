"""`rfkit capture` from rfkit's own rtl_tcp replay server: content, metadata, and every way it can end."""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import rfkit
from rfkit.cli import main
from rfkit.io.live_record import SigmfRecorder

RFKIT = [sys.executable, "-c", "import sys; from rfkit.cli import main; sys.exit(main())"]


def sigmf_validates(meta_path) -> None:
    """The official sigmf package opens the pair and its validator accepts the metadata."""
    from sigmf import sigmffile

    f = sigmffile.fromfile(str(meta_path), skip_checksum=True)
    f.validate()
    return f


def wait_for_bytes(path, n: int, timeout_s: float = 15.0) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if path.exists() and path.stat().st_size >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {n} bytes in {timeout_s} s")


def start_serve_cli(*args: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([*RFKIT, "serve", *args, "--port", "0"], stderr=subprocess.PIPE, text=True)
    m = re.search(r"rtl_tcp://127\.0\.0\.1:(\d+)", proc.stderr.readline())
    assert m, "rfkit serve did not say where it listens"
    return proc, int(m.group(1))


def test_capture_writes_the_samples_as_received_with_metadata(cu8_file, serve, tmp_path, capsys):
    raw = cu8_file.read_bytes()
    srv = serve(cu8_file, rate_limit=False)
    out = tmp_path / "cap"
    url = f"rtltcp://127.0.0.1:{srv.port}?freq=433.92M&rate=250k&gain=29.7&overflow=wait"
    assert main(["capture", url, "-o", str(out), "--samples", "60000"]) == 0
    assert "captured 60000 samples (0.240 s)" in capsys.readouterr().err
    assert (tmp_path / "cap.sigmf-data").read_bytes() == raw[:120_000]
    meta = json.loads((tmp_path / "cap.sigmf-meta").read_text())
    g, c = meta["global"], meta["captures"][0]
    assert g["core:datatype"] == "cu8" and g["core:sample_rate"] == 250e3
    assert g["core:hw"] == f"rtl_tcp 127.0.0.1:{srv.port}, tuner R820T"
    assert g["rfkit:version"] == rfkit.__version__ and g["core:recorder"] == f"rfkit {rfkit.__version__}"
    assert g["rfkit:source"] == f"rtltcp://127.0.0.1:{srv.port}"
    assert c["core:frequency"] == 433.92e6 and c["capture_details:gain"] == 29.7
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", c["core:datetime"])
    assert meta["annotations"] == []
    sigmf_validates(tmp_path / "cap.sigmf-meta")
    with rfkit.open(tmp_path / "cap.sigmf-meta") as cap:
        assert cap.info.n_samples == 60000 and cap.info.center_freq == 433.92e6


def test_capture_duration_in_seconds(cu8_file, serve, tmp_path):
    srv = serve(cu8_file, rate_limit=False)
    url = f"rtltcp://127.0.0.1:{srv.port}?rate=250k&overflow=wait"
    assert main(["capture", url, "-o", str(tmp_path / "d"), "--duration", "0.1"]) == 0
    assert (tmp_path / "d.sigmf-data").stat().st_size == 2 * 25_000


def test_server_killed_mid_capture_leaves_a_valid_capture_of_every_sample(cu8_file, tmp_path):
    raw = cu8_file.read_bytes()
    proc, port = start_serve_cli(str(cu8_file), "--loop")  # paced at 250 kS/s, endless
    out = tmp_path / "killed"
    result = {}

    def capture():
        result["code"] = main(["capture", f"rtltcp://127.0.0.1:{port}?rate=250k&retries=1", "-o", str(out)])

    t = threading.Thread(target=capture)
    t.start()
    try:
        wait_for_bytes(tmp_path / "killed.sigmf-data", 100_000)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    t.join(30)
    assert not t.is_alive() and result["code"] == 1
    data = (tmp_path / "killed.sigmf-data").read_bytes()
    assert len(data) >= 100_000 and len(data) % 2 == 0
    reps = len(data) // len(raw) + 1
    assert data == (raw * reps)[: len(data)]  # nothing lost, nothing invented
    f = sigmf_validates(tmp_path / "killed.sigmf-meta")
    assert f.sample_count == len(data) // 2


def test_ctrl_c_ends_the_capture_with_a_valid_pair(cu8_file, serve, tmp_path):
    raw = cu8_file.read_bytes()
    srv = serve(cu8_file, loop=True)
    out = tmp_path / "ctrlc"
    proc = subprocess.Popen([*RFKIT, "capture", f"rtltcp://127.0.0.1:{srv.port}?rate=250k", "-o", str(out)],
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for_bytes(tmp_path / "ctrlc.sigmf-data", 50_000)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped by Ctrl-C" in err
    data = (tmp_path / "ctrlc.sigmf-data").read_bytes()
    assert data == (raw * (len(data) // len(raw) + 1))[: len(data)]
    assert sigmf_validates(tmp_path / "ctrlc.sigmf-meta").sample_count == len(data) // 2


def test_a_killed_capture_process_still_leaves_metadata_that_opens(cu8_file, serve, tmp_path):
    raw = cu8_file.read_bytes()
    srv = serve(cu8_file, loop=True)
    out = tmp_path / "sigkill"
    proc = subprocess.Popen([*RFKIT, "capture", f"rtltcp://127.0.0.1:{srv.port}?rate=250k&freq=433.92M",
                             "-o", str(out)], stderr=subprocess.DEVNULL)
    try:
        wait_for_bytes(tmp_path / "sigkill.sigmf-data", 50_000)
    finally:
        proc.kill()
        proc.wait(10)
    data = (tmp_path / "sigkill.sigmf-data").read_bytes()
    whole = len(data) - len(data) % 2
    assert data[:whole] == (raw * (whole // len(raw) + 1))[:whole]
    with rfkit.open(tmp_path / "sigkill.sigmf-meta") as cap:
        assert cap.info.n_samples == whole // 2 and cap.info.center_freq == 433.92e6


def test_a_full_disk_ends_the_capture_keeping_whole_samples(cu8_file, serve, tmp_path):
    # a file-size limit makes the kernel refuse the write past it, as a full disk does
    raw = cu8_file.read_bytes()
    srv = serve(cu8_file, rate_limit=False, loop=True)
    limit = 80_001  # bytes: half a sample past 40000 samples

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "full"
    r = subprocess.run([*RFKIT, "capture", f"rtltcp://127.0.0.1:{srv.port}?rate=250k&overflow=wait",
                        "-o", str(out), "--samples", "200000"],
                       capture_output=True, text=True, timeout=60, preexec_fn=limit_file_size, check=False)
    assert r.returncode == 1
    assert "rfkit: error: cannot write" in r.stderr and "holds the 40000 samples" in r.stderr
    data = (tmp_path / "full.sigmf-data").read_bytes()
    assert data == raw[:80_000]
    assert sigmf_validates(tmp_path / "full.sigmf-meta").sample_count == 40_000


def test_capture_of_a_file_source_copies_its_samples(cu8_file, tmp_path):
    assert main(["capture", str(cu8_file), "-o", str(tmp_path / "copy"), "--samples", "1000"]) == 0
    assert (tmp_path / "copy.sigmf-data").read_bytes() == cu8_file.read_bytes()[:2000]


def test_capture_options_are_checked(cu8_file, tmp_path, capsys):
    assert main(["capture", str(cu8_file), "-o", str(tmp_path / "x"), "--samples", "0"]) == 1
    assert "--samples=0 must be a positive" in capsys.readouterr().err


def test_recorder_gap_starts_a_segment_with_its_global_index(tmp_path):
    info = rfkit.CaptureInfo(format="rtltcp", dtype="cu8", sample_rate=1e6, center_freq=1e8)
    with SigmfRecorder(tmp_path / "gap", info=info) as rec:
        rec.write(np.arange(20, dtype=np.uint8), 0)  # samples 0..9
        rec.write(np.arange(20, 30, dtype=np.uint8), 25)  # samples 25..29: 15 lost
    meta = json.loads((tmp_path / "gap.sigmf-meta").read_text())
    assert meta["captures"][1] == {"core:sample_start": 10, "core:global_index": 25, "core:frequency": 1e8}
    ann = meta["annotations"][0]
    assert (ann["core:sample_start"], ann["core:label"], ann["rfkit:dropped_samples"]) == (10, "dropped", 15)
    assert meta["global"]["rfkit:dropped_samples"] == 15
    sigmf_validates(tmp_path / "gap.sigmf-meta")


@pytest.mark.parametrize("bad", ["rtltcp://127.0.0.1:1?rate=-5", "rtlsdr:0?ppm=1.5"])
def test_bad_live_settings_are_one_line(bad, tmp_path, capsys):
    assert main(["capture", bad, "-o", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error: ") and err.count("\n") == 1
