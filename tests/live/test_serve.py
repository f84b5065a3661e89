"""`rfkit serve` against the real rtl_433 (Debian's 22.11) as rtl_tcp client, and its CLI."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys

import numpy as np
import pytest
from realdata import real

from rfkit.cli import main
from rfkit.io.rtltcp import HEADER, unpack_header

RFKIT = [sys.executable, "-c", "import sys; from rfkit.cli import main; sys.exit(main())"]


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT at its default in the child, as a terminal's Ctrl-C finds it: a harness that runs the
    tests as a background job without job control (`nohup ... &` in a script) leaves SIGINT
    ignored, which the child inherits, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_serve_cli(*args: str, verbose: bool = False) -> tuple[subprocess.Popen, int]:
    """`rfkit serve ARGS --port 0` in a subprocess; returns it and the port it reports."""
    proc = subprocess.Popen([*RFKIT, *(["-v"] if verbose else []), "serve", *args, "--port", "0"],
                            stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_as_in_a_terminal)
    line = proc.stderr.readline()  # "rfkit: serving ... on rtl_tcp://127.0.0.1:PORT ..."
    m = re.search(r"rtl_tcp://127\.0\.0\.1:(\d+)", line)
    if not m:
        proc.kill()
        raise AssertionError(f"no port in {line!r}: {proc.stderr.read()}")
    return proc, int(m.group(1))


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err


def decoded(stdout: str) -> list[dict]:
    """rtl_433's JSON events without the time field (wall clock or file offset)."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            d.pop("time", None)
            out.append(d)
    return out


def test_rtl_433_records_exactly_the_bytes_served(cu8_file, rtl_433, tmp_path):
    raw = cu8_file.read_bytes()
    out = tmp_path / "out.cu8"
    proc, port = start_serve_cli(str(cu8_file), "--as-fast-as-possible", verbose=True)
    try:
        r = subprocess.run([rtl_433, "-d", f"rtl_tcp:127.0.0.1:{port}", "-f", "433.92M", "-s", "250k",
                            "-w", str(out), "-n", str(len(raw) // 2), "-T", "20"],
                           capture_output=True, text=True, timeout=30, check=False)
    finally:
        code, err = stop(proc)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == raw
    assert code == 0 and "serve stopped after 1 clients" in err
    # the server logged every command rtl_433 sent (-v shows them)
    assert "serve: client 1: rate 250000" in err and "serve: client 1: freq 433920000" in err


@pytest.mark.parametrize(
    ("relpath", "freq"),
    [
        ("kisko-doorbell/g001_868.3M_250k.cu8", "868.3M"),
        ("rtl_433/radiohead_ask_sensible_living/g001_433.92M_250k.cu8", "433.92M"),
    ],
)
def test_rtl_433_decodes_the_served_recording_as_from_the_file(relpath, freq, rtl_433, serve):
    path = real(relpath)
    from_file = subprocess.run([rtl_433, "-r", str(path), "-F", "json"], capture_output=True,
                               text=True, timeout=30, check=False)
    expected = decoded(from_file.stdout)
    assert expected, f"rtl_433 decodes nothing from {relpath} itself: {from_file.stderr[-300:]}"
    # paced at 250 kS/s and looped, as a dongle keeps streaming (rtl_433 reads in 256 KiB
    # buffers and drops a partial one at the end of a stream)
    srv = serve(path, loop=True)
    r = subprocess.run([rtl_433, "-d", f"rtl_tcp:127.0.0.1:{srv.port}", "-f", freq, "-s", "250k",
                        "-F", "json", "-E", "quit", "-T", "15"],
                       capture_output=True, text=True, timeout=30, check=False)
    got = decoded(r.stdout)
    assert got and got[0] == expected[0], r.stderr[-500:]
    names = {(c.name, c.value) for c in srv.commands}
    assert ("freq", round(float(freq[:-1]) * 1e6)) in names and ("rate", 250_000) in names


def test_serve_stops_cleanly_on_ctrl_c_with_a_client_connected(cu8_file):
    proc, port = start_serve_cli(str(cu8_file), "--loop")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        head = b""
        while len(head) < HEADER.size:
            head += s.recv(HEADER.size - len(head))
        assert unpack_header(head) == (5, 29)
        code, err = stop(proc)  # within stop()'s bounded wait
    assert code == 0, err
    assert "serve stopped after 1 clients" in err
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_serve_bad_input_is_one_line_and_exit_1(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.cu8")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_serve_from_python_sends_the_header_and_cu8_of_a_wav(tmp_path, serve):
    # any recording rfkit reads: a cs16 file converts to cu8 on the way out
    rng = np.random.default_rng(3)
    comp = rng.integers(-20000, 20000, size=2 * 3000).astype("<i2")
    p = tmp_path / "x_100M_1000k.cs16"
    comp.tofile(p)
    srv = serve(p, rate_limit=False)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        body = b""
        while True:
            part = s.recv(65536)
            if not part:
                break
            body += part
    expected = np.clip(np.rint(comp / 32768.0 * 127.5 + 127.5), 0, 255).astype(np.uint8)
    assert body[:4] == b"RTL0" and np.array_equal(np.frombuffer(body[12:], np.uint8), expected)
