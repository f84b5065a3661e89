"""rtl_tcp protocol, replay server and client: against each other and against raw sockets."""

from __future__ import annotations

import socket
import struct
import threading
import time

import numpy as np
import pytest

import rfkit
from rfkit.dsp.convert import to_complex64
from rfkit.errors import ParameterError, SourceError
from rfkit.io.formats import sample_format
from rfkit.io.rtltcp import HEADER, Cmd, RtlTcpCapture, pack_command, unpack_header
from rfkit.io.writers import to_stored, write_sigmf

CU8 = sample_format("cu8")


def _connect(port: int, timeout_s: float = 5.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
    return s


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        part = sock.recv(min(1 << 16, n - len(out)))
        if not part:
            break
        out += part
    return bytes(out)


def _wait_for(pred, timeout_s: float = 10.0) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


# -- protocol -----------------------------------------------------------------------------


def test_command_bytes_are_one_byte_and_a_big_endian_uint32():
    assert pack_command(Cmd.FREQ, 868_300_000) == b"\x01" + struct.pack(">I", 868_300_000)
    assert pack_command(Cmd.GAIN, 496) == bytes([0x04, 0, 0, 0x01, 0xF0])
    # negative ppm travels as two's complement, as rtl_tcp's ntohl() -> int reads it
    assert pack_command(Cmd.PPM, -5) == b"\x05\xff\xff\xff\xfb"
    assert [c.value for c in Cmd] == list(range(1, 15))
    with pytest.raises(ParameterError, match="does not fit"):
        pack_command(Cmd.FREQ, 2**32)


def test_header_is_magic_tuner_and_gain_count():
    assert unpack_header(b"RTL0" + struct.pack(">II", 5, 29)) == (5, 29)
    with pytest.raises(SourceError, match="not an rtl_tcp server"):
        unpack_header(b"HTTP" + bytes(8))
    with pytest.raises(SourceError, match="12 bytes"):
        unpack_header(b"RTL0")


def test_client_sends_settings_in_rtl_tcp_order():
    from rfkit.io.live import parse_live_url

    _, where, s = parse_live_url("rtltcp://h:1?freq=1575.42M&rate=2.4M&gain=auto&ppm=-3&bias_tee=1"
                                 "&direct_sampling=q&offset_tuning=1&agc=0")
    assert where == "h:1"
    cmds = RtlTcpCapture.command_bytes(s)
    decoded = [struct.unpack(">BI", cmds[i:i + 5]) for i in range(0, len(cmds), 5)]
    assert decoded == [
        (Cmd.RATE, 2_400_000), (Cmd.FREQ, 1_575_420_000), (Cmd.PPM, 2**32 - 3),
        (Cmd.DIRECT_SAMPLING, 2), (Cmd.OFFSET_TUNING, 1), (Cmd.GAIN_MODE, 0), (Cmd.AGC, 0),
        (Cmd.BIAS_TEE, 1),
    ]


# -- server, seen through a raw socket ----------------------------------------------------


def test_server_sends_header_then_the_recording_byte_for_byte(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False, tuner_type=1)
    with _connect(srv.port) as s:
        assert unpack_header(_recv_exact(s, HEADER.size)) == (1, 14)  # E4000 has 14 gain steps
        s.sendall(pack_command(Cmd.FREQ, 100_000_000) + pack_command(Cmd.PPM, -7))
        body = _recv_exact(s, len(raw) + 1)  # the server closes after the recording
    assert body == raw
    assert _wait_for(lambda: len(srv.commands) == 2)
    assert [(c.name, c.value) for c in srv.commands] == [("freq", 100_000_000), ("ppm", -7)]


def test_server_converts_other_formats_to_cu8(tmp_path, serve):
    rng = np.random.default_rng(1)
    x = (0.3 * (rng.standard_normal(5000) + 1j * rng.standard_normal(5000))).astype(np.complex64)
    meta = write_sigmf(tmp_path / "noise", x, sample_rate=1e6, dtype="cf32", center_freq=1e8)
    srv = serve(meta, rate_limit=False)
    with _connect(srv.port) as s:
        _recv_exact(s, HEADER.size)
        body = _recv_exact(s, 2 * x.size + 1)
    assert body == to_stored(x, CU8).tobytes()


def test_server_loops_when_asked(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False, loop=True)
    with _connect(srv.port) as s:
        _recv_exact(s, HEADER.size)
        body = _recv_exact(s, 2 * len(raw) + 1000)
    assert body == raw + raw + raw[:1000]


def test_server_paces_at_the_sample_rate(tmp_path, serve):
    # 1 MS/s for 0.3 s: paced, the last byte cannot arrive before ~0.3 s (a lower bound only)
    p = tmp_path / "zeros_100M_1000k.cu8"
    np.full(2 * 300_000, 127, np.uint8).tofile(p)
    srv = serve(p)
    t0 = time.monotonic()
    with _connect(srv.port) as s:
        _recv_exact(s, HEADER.size)
        body = _recv_exact(s, 600_001)
    assert len(body) == 600_000
    assert time.monotonic() - t0 >= 0.25


def test_server_rejects_a_port_out_of_range(cu8_file):
    from rfkit.io.rtltcp import RtlTcpServer

    with pytest.raises(ParameterError, match="port=70000"):
        RtlTcpServer(cu8_file, port=70000)


def test_server_reports_a_port_in_use(cu8_file, serve):
    srv = serve(cu8_file)
    with pytest.raises(SourceError, match="cannot listen"):
        serve(cu8_file, port=srv.port)


# -- faults: the server stays up and serves the others -----------------------------------


def test_a_client_that_never_reads_does_not_block_the_others(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False, loop=True, stall_timeout_s=1.0)
    idle = _connect(srv.port)  # connects, never reads: its buffers fill up
    try:
        assert _wait_for(lambda: srv.bytes_sent > 4 * len(raw))  # the idle one took its fill
        with _connect(srv.port) as s:
            _recv_exact(s, HEADER.size)
            assert _recv_exact(s, len(raw)) == raw
        # and after stall_timeout_s of taking nothing, the idle one is let go
        assert _wait_for(lambda: srv.active_clients == 0)
    finally:
        idle.close()


def test_half_a_command_and_garbage_disturb_no_one(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False)
    half = _connect(srv.port)
    half.sendall(b"\x01\x00\x00")  # 3 of 5 bytes, then silence
    junk = _connect(srv.port)
    junk.sendall(b"\xff" * 5 + b"GET / HTTP/1.0\r\n\r\n")  # an unknown command, then text
    try:
        with _connect(srv.port) as s:
            _recv_exact(s, HEADER.size)
            s.sendall(pack_command(Cmd.GAIN, 297))
            assert _recv_exact(s, len(raw) + 1) == raw
        # each client has its own reader: wait for both, in whatever order they came
        assert _wait_for(lambda: {"gain", "unknown command 0xff"}
                         <= {c.name for c in srv.commands})
        # the half command was never taken for a whole one
        assert not any(c.name == "freq" for c in srv.commands)
    finally:
        half.close()
        junk.close()
    assert _wait_for(lambda: srv.active_clients == 0)


def test_fifty_clients_connecting_and_leaving(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False)
    for i in range(50):
        s = _connect(srv.port)
        if i % 2:
            s.recv(7)  # part of the header
        s.close()
    with _connect(srv.port) as s:
        assert unpack_header(_recv_exact(s, HEADER.size)) == (5, 29)
        assert _recv_exact(s, len(raw) + 1) == raw
    assert _wait_for(lambda: srv.clients_served == 51)  # each client counted by its own thread
    assert _wait_for(lambda: srv.active_clients == 0)


def test_several_clients_each_from_the_start(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8).tobytes()
    srv = serve(cu8_file, rate_limit=False)
    results = {}

    def client(k):
        with _connect(srv.port) as s:
            _recv_exact(s, HEADER.size)
            results[k] = _recv_exact(s, len(raw) + 1)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(results) == [0, 1, 2, 3]
    assert all(v == raw for v in results.values())


# -- rfkit's client against the server ----------------------------------------------------


def test_client_reads_the_exact_samples_after_setting_freq_rate_gain(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8)
    srv = serve(cu8_file, rate_limit=False)
    url = f"rtltcp://127.0.0.1:{srv.port}?freq=433.92M&rate=250k&gain=40.2&overflow=wait"
    with rfkit.open(url) as cap:
        assert cap.info.n_samples is None
        assert cap.info.sample_rate == 250e3 and cap.info.center_freq == 433.92e6
        assert cap.info.hw.endswith("tuner R820T") and cap.info.extra["gain_count"] == 29
        blocks = list(cap.blocks(30_000, count=raw.size // 2))
        with pytest.raises(ParameterError, match="live source"):
            cap.read(0, 10)
    assert [b.start for b in blocks] == [0, 30_000, 60_000, 90_000]
    got = np.concatenate([b.samples for b in blocks])
    np.testing.assert_array_equal(got, to_complex64(raw, CU8))
    def seen():
        return [(c.name, c.value) for c in srv.commands if c.client == srv.commands[0].client]

    assert _wait_for(lambda: len(seen()) >= 4)
    assert seen() == [("rate", 250_000), ("freq", 433_920_000), ("gain_mode", 1), ("gain", 402)]


def test_client_overlap_repeats_the_tail(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8)
    ref = to_complex64(raw, CU8)
    srv = serve(cu8_file, rate_limit=False)
    with rfkit.open(f"rtltcp://127.0.0.1:{srv.port}?rate=250k&overflow=wait") as cap:
        blocks = list(cap.blocks(1000, overlap=250, count=10_000))
    for b in blocks:
        np.testing.assert_array_equal(b.samples, ref[b.start:b.start + b.samples.size])
    assert [b.start for b in blocks[:3]] == [0, 750, 1500]


def test_client_refused_is_one_clear_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceError, match=f"127.0.0.1:{port}: cannot connect"):
        rfkit.open(f"rtltcp://127.0.0.1:{port}")


def test_client_rejects_a_server_that_is_not_rtl_tcp():
    lsock = socket.create_server(("127.0.0.1", 0))
    port = lsock.getsockname()[1]

    def answer():
        c, _ = lsock.accept()
        c.sendall(b"SSH-2.0-OpenSSH\r\n")
        time.sleep(0.5)
        c.close()

    t = threading.Thread(target=answer)
    t.start()
    try:
        with pytest.raises(SourceError, match="not an rtl_tcp server"):
            rfkit.open(f"rtltcp://127.0.0.1:{port}")
    finally:
        t.join(5)
        lsock.close()


def test_bad_urls_are_parameter_errors():
    with pytest.raises(ParameterError, match="unknown setting 'frq'"):
        rfkit.open("rtltcp://127.0.0.1:1234?frq=1e6")
    with pytest.raises(ParameterError, match="gain='loud'"):
        rfkit.open("rtltcp://127.0.0.1:1234?gain=loud")
    with pytest.raises(ParameterError, match="rtltcp://host:port"):
        rfkit.open("rtltcp://?rate=1e6")


def test_dropped_connection_is_retried_and_the_gap_counted(cu8_file, serve, caplog):
    # the server closes at the end of the recording; the client reconnects and, the server
    # being a replay, gets the recording again: the reconnection leaves a counted gap
    raw = np.fromfile(cu8_file, np.uint8)
    n = raw.size // 2
    srv = serve(cu8_file, rate_limit=False)
    with rfkit.open(f"rtltcp://127.0.0.1:{srv.port}?rate=250k&overflow=wait&retries=3") as cap:
        blocks = list(cap.raw_blocks(n, count=2 * n))
        assert cap.reconnects >= 1
        assert len(cap.gaps) >= 1 and cap.dropped_samples > 0
    assert blocks[0].start == 0 and blocks[1].start > n  # the second copy starts after a gap
    gap_start, gap_n, reason = cap.gaps[0]
    assert gap_start == n and blocks[1].start == n + gap_n
    assert "connection lost" in reason
    ann = [a for a in cap.annotations if a["core:label"] == "dropped"]
    assert ann[0]["core:sample_start"] == n and ann[0]["core:sample_count"] == gap_n
    for b in blocks:
        np.testing.assert_array_equal(b.data, raw)
    assert "connection lost" in caplog.text


def test_server_gone_for_good_ends_in_source_error_keeping_what_arrived(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8)
    srv = serve(cu8_file, rate_limit=False)
    got = []
    with (rfkit.open(f"rtltcp://127.0.0.1:{srv.port}?rate=250k&overflow=wait&retries=2") as cap,
          pytest.raises(SourceError, match="2 attempts to reconnect failed")):
        for b in cap.raw_blocks(40_000):
            got.append(b)
            if len(got) == 1:
                srv.stop()  # the replay ends and nothing answers any more
    data = np.concatenate([b.data for b in got])
    assert data.size >= 80_000
    np.testing.assert_array_equal(data, raw[: data.size])  # everything received came out, in order


def test_a_silent_server_counts_as_lost_and_is_retried():
    # a server that sends its header and 1000 samples, then nothing, connection left open
    lsock = socket.create_server(("127.0.0.1", 0))
    port = lsock.getsockname()[1]
    release = threading.Event()

    def answer():
        c, _ = lsock.accept()
        lsock.close()  # no second chance: the reconnection is refused
        c.sendall(b"RTL0" + struct.pack(">II", 5, 29) + bytes(range(200)) * 10)
        release.wait(20)
        c.close()

    t = threading.Thread(target=answer)
    t.start()
    got = 0
    try:
        with (rfkit.open(f"rtltcp://127.0.0.1:{port}?rate=1M&timeout=0.5&retries=1") as cap,
              pytest.raises(SourceError, match=r"no data for 0.5 s\) and 1 attempts to reconnect failed")):
            for b in cap.raw_blocks(100):
                got += b.n_samples
    finally:
        release.set()
        t.join(5)
    assert got == 1000


def test_slow_analysis_of_a_fast_stream_drops_counted_and_bounded(cu8_file, serve):
    raw = np.fromfile(cu8_file, np.uint8)
    n = raw.size // 2
    srv = serve(cu8_file, rate_limit=False, loop=True)
    ring = 1 << 18
    received = 0
    with rfkit.open(f"rtltcp://127.0.0.1:{srv.port}?rate=250k&ring_bytes={ring}") as cap:
        for b in cap.raw_blocks(20_000, count=400_000):
            # every block holds the looped recording at the index it claims: no silent loss
            k = b.start % n
            expect = np.concatenate([raw, raw])[2 * k: 2 * k + b.data.size]
            np.testing.assert_array_equal(b.data, expect)
            received += b.n_samples
            time.sleep(0.01)
        assert cap.dropped_samples > 0 and cap.dropped_blocks > 0
        assert cap.ring_high_water_bytes <= ring
        last = cap.gaps[-1]
        assert sum(g[1] for g in cap.gaps) == cap.dropped_samples
        assert all(a["core:label"] == "dropped" for a in cap.annotations)
    assert received == 400_000 and last[0] + last[1] <= b.start
