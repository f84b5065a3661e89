"""The rtl_tcp protocol: a replay server for any recording, and a client source.

Protocol (as rtl_tcp from osmocom rtl-sdr speaks it; all integers big-endian):
- on connection the server sends a 12-byte header: the magic `RTL0`, the tuner type
  (uint32, librtlsdr's `enum rtlsdr_tuner`) and the tuner's number of gain steps (uint32);
- then it streams samples as cu8: interleaved unsigned 8-bit I, Q (127.5 = zero);
- the client sends 5-byte commands at any time: one command byte, one uint32 parameter
  (signed values such as ppm as two's complement). See `Cmd`.
"""

from __future__ import annotations

import errno
import itertools
import logging
import select
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import IntEnum
from typing import Self

import numpy as np

from ..errors import ParameterError, RfkitError, SourceError
from .capture import Capture
from .formats import sample_format
from .live import LiveCapture, LiveSettings, live_info

__all__ = [
    "COMMAND",
    "HEADER",
    "MAGIC",
    "TUNER_GAIN_COUNTS",
    "TUNER_TYPES",
    "Cmd",
    "RtlTcpCapture",
    "RtlTcpServer",
    "ServerCommand",
    "pack_command",
    "unpack_header",
]

log = logging.getLogger("rfkit")

MAGIC = b"RTL0"
#: magic, tuner type, gain count
HEADER = struct.Struct(">4sII")
#: command byte, parameter
COMMAND = struct.Struct(">BI")


class Cmd(IntEnum):
    """rtl_tcp command bytes (parameter meaning in the comment)."""

    FREQ = 0x01  # centre frequency, Hz
    RATE = 0x02  # sample rate, Hz
    GAIN_MODE = 0x03  # 0 automatic, 1 manual
    GAIN = 0x04  # tuner gain, tenths of dB
    PPM = 0x05  # frequency correction, ppm (signed)
    IF_GAIN = 0x06  # IF stage << 16 | gain in tenths of dB (int16)
    TEST_MODE = 0x07  # 0/1
    AGC = 0x08  # RTL2832 digital AGC 0/1
    DIRECT_SAMPLING = 0x09  # 0 off, 1 I branch, 2 Q branch
    OFFSET_TUNING = 0x0A  # 0/1
    RTL_XTAL = 0x0B  # RTL2832 crystal, Hz
    TUNER_XTAL = 0x0C  # tuner crystal, Hz
    GAIN_BY_INDEX = 0x0D  # index into the tuner's gain table
    BIAS_TEE = 0x0E  # 0/1


#: librtlsdr's tuner types, by the number the header carries.
TUNER_TYPES = {0: "unknown", 1: "E4000", 2: "FC0012", 3: "FC0013", 4: "FC2580", 5: "R820T", 6: "R828D"}
#: Gain steps of each tuner in librtlsdr (the header's gain count).
TUNER_GAIN_COUNTS = {0: 0, 1: 14, 2: 5, 3: 23, 4: 0, 5: 29, 6: 29}

_SIGNED = {Cmd.PPM}
_CU8 = sample_format("cu8")


def pack_command(cmd: int, value: int) -> bytes:
    """The 5 bytes of one command; negative values are sent as two's complement."""
    v = int(value)
    if not -(2**31) <= v < 2**32:
        raise ParameterError(f"{value=} does not fit the 32-bit parameter of command {int(cmd):#04x}")
    return COMMAND.pack(int(cmd), v & 0xFFFFFFFF)


def unpack_header(data: bytes) -> tuple[int, int]:
    """(tuner type, gain count) from the 12-byte header; SourceError if it is not rtl_tcp's."""
    if len(data) != HEADER.size:
        raise SourceError(f"the rtl_tcp header is {HEADER.size} bytes; got {len(data)}")
    magic, tuner, gains = HEADER.unpack(data)
    if magic != MAGIC:
        raise SourceError(f"not an rtl_tcp server: the header starts with {magic!r}, not {MAGIC!r}")
    return tuner, gains


def _describe(cmd: int, raw: int) -> tuple[str, int]:
    """(name, value) of a command as received, the value decoded (signed where it is)."""
    try:
        c = Cmd(cmd)
    except ValueError:
        return f"unknown command {cmd:#04x}", raw
    value = raw - (1 << 32) if c in _SIGNED and raw >= 1 << 31 else raw
    return c.name.lower(), value


# ------------------------------------------------------------------------------------------
# server


@dataclass(frozen=True)
class ServerCommand:
    """A command the replay server received: which client, the command, its value."""

    client: int
    cmd: int
    name: str
    value: int


#: Seconds the server waits for a client that does not read before it disconnects it.
DEFAULT_STALL_TIMEOUT_S = 20.0
#: Seconds of recording in one send when paced (keeps latency low for live monitors).
PACED_CHUNK_S = 0.02
#: Samples in one send when not paced.
FAST_CHUNK_SAMPLES = 65536
#: The server keeps the last this many commands received (in `commands`).
MAX_COMMANDS_KEPT = 10_000
#: At most this many clients at once; more are told so (closed at once).
DEFAULT_MAX_CLIENTS = 32


class RtlTcpServer:
    """An rtl_tcp server that replays a recording (as cu8) to every client from its start.

    Each client gets its own thread and read position; commands are logged and recorded in
    `commands` but not obeyed (a frequency or rate unlike the recording's is logged as such).

    Parameters
    ----------
    source : Capture or path
        Any recording `rfkit.open` reads (converted to cu8; cu8 files are sent byte for byte).
    host, port : str, int
        Where to listen; loopback by default; port 0 picks a free port (see `.port`).
    loop : bool
        Start the recording again at its end instead of closing the connection.
    rate_limit : bool
        Pace at the recording's sample rate (True) or send as fast as clients read (False).
    tuner_type : int
        Tuner type in the header (5 = R820T, the common dongle).
    stall_timeout_s : float
        Disconnect a client that has not taken a byte for this long.
    """

    def __init__(self, source, *, host: str = "127.0.0.1", port: int = 1234, loop: bool = False,
                 rate_limit: bool = True, tuner_type: int = 5, gain_count: int | None = None,
                 stall_timeout_s: float = DEFAULT_STALL_TIMEOUT_S, max_clients: int = DEFAULT_MAX_CLIENTS,
                 rate: float | None = None, freq: float | None = None, dtype: str | None = None):
        if not 0 <= int(port) <= 65535:
            raise ParameterError(f"{port=} must be between 0 and 65535")
        if tuner_type not in TUNER_TYPES:
            raise ParameterError(f"{tuner_type=} must be one of {sorted(TUNER_TYPES)}")
        if not stall_timeout_s > 0:
            raise ParameterError(f"{stall_timeout_s=} must be a positive number of seconds")
        if isinstance(source, Capture):
            self.capture, self._owns = source, False
        else:
            from . import open as open_capture

            self.capture, self._owns = open_capture(source, rate=rate, freq=freq, dtype=dtype), True
        if self.capture.info.n_samples is None:
            raise ParameterError("the replay server needs a recording of known length, not a live source")
        if not self.capture.info.n_samples:
            raise ParameterError("the recording is empty: nothing to serve")
        self.host, self.port = host, int(port)
        self.loop, self.rate_limit = bool(loop), bool(rate_limit)
        self.tuner_type = int(tuner_type)
        self.gain_count = TUNER_GAIN_COUNTS[self.tuner_type] if gain_count is None else int(gain_count)
        self.stall_timeout_s = float(stall_timeout_s)
        self.max_clients = int(max_clients)
        self.commands: deque[ServerCommand] = deque(maxlen=MAX_COMMANDS_KEPT)
        self.clients_served = 0
        self.bytes_sent = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._clients: dict[int, threading.Thread] = {}
        rate_hz = self.capture.info.sample_rate
        self.chunk_samples = (max(256, int(rate_hz * PACED_CHUNK_S)) if self.rate_limit
                              else FAST_CHUNK_SAMPLES)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> RtlTcpServer:
        """Bind, listen and accept clients on a thread of its own; returns self (port now known)."""
        try:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            self._sock = socket.create_server((self.host, self.port), family=family, backlog=64)
        except OSError as e:
            if self._owns:
                self.capture.close()
            raise SourceError(f"cannot listen on {self.host}:{self.port}: {e.strerror or e}") from None
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._accept_thread = threading.Thread(target=self._accept_loop, name="rfkit-serve", daemon=True)
        self._accept_thread.start()
        return self

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def active_clients(self) -> int:
        with self._lock:
            return sum(t.is_alive() for t in self._clients.values())

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until `stop()` (True) or `timeout_s` passes (False)."""
        return self._stop.wait(timeout_s)

    def stop(self) -> None:
        """Close every connection and the listening socket; waits briefly for the threads."""
        self._stop.set()
        if self._accept_thread is not None:
            self._accept_thread.join(timeout=2.0)
        if self._sock is not None:
            self._sock.close()
        with self._lock:
            threads = list(self._clients.values())
        for t in threads:
            t.join(timeout=2.0)
        if self._owns:
            with self._read_lock:
                self.capture.close()

    def __enter__(self) -> Self:
        if self._sock is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError as e:
                if self._stop.is_set():
                    break
                log.warning("serve: accept failed: %s", e)
                time.sleep(0.05)
                continue
            cid = next(self._ids)
            with self._lock:
                self._clients = {k: t for k, t in self._clients.items() if t.is_alive()}
                busy = len(self._clients) >= self.max_clients
                if not busy:
                    t = threading.Thread(target=self._serve_client, args=(conn, addr, cid),
                                         name=f"rfkit-serve-{cid}", daemon=True)
                    self._clients[cid] = t
            if busy:
                log.warning("serve: client %d from %s refused: %d clients already", cid, addr[0], self.max_clients)
                conn.close()
                continue
            t.start()

    def _chunk(self, pos: int, count: int) -> bytes:
        """cu8 bytes of samples pos..pos+count of the recording."""
        cap = self.capture
        with self._read_lock:
            raw = getattr(cap, "raw", None)
            if cap.info.dtype == "cu8" and raw is not None:
                return np.ascontiguousarray(raw(pos, count), dtype=np.uint8).tobytes()
            x = cap.read(pos, count)
        from .writers import to_stored

        return to_stored(x, _CU8).tobytes()

    def _record(self, cid: int, cmd: int, raw: int) -> None:
        name, value = _describe(cmd, raw)
        with self._lock:
            self.commands.append(ServerCommand(cid, cmd, name, value))
        info = self.capture.info
        if cmd == Cmd.RATE and value != round(info.sample_rate):
            log.warning("serve: client %d asks for %d S/s; the recording is at %g S/s and is sent "
                        "as it is (a replay does not resample)", cid, value, info.sample_rate)
        elif cmd == Cmd.FREQ and info.center_freq is not None and value != round(info.center_freq):
            log.info("serve: client %d tunes to %d Hz; the recording is at %g Hz (a replay does not "
                     "retune)", cid, value, info.center_freq)
        else:
            log.info("serve: client %d: %s %d", cid, name, value)

    def _serve_client(self, conn: socket.socket, addr, cid: int) -> None:
        peer = f"{addr[0]}:{addr[1]}"
        log.info("serve: client %d connected from %s", cid, peer)
        with self._lock:
            self.clients_served += 1
        why = "done"
        try:
            why = self._stream(conn, cid)
        except (ConnectionError, OSError) as e:
            why = f"connection error: {e.strerror or e}"
        except RfkitError as e:
            why = f"cannot read the recording: {e}"
            log.error("serve: %s", why)
        except Exception:  # a bug must not take the server down with it
            log.exception("serve: client %d: unexpected error", cid)
            why = "internal error"
        finally:
            conn.close()
        log.info("serve: client %d (%s) gone: %s", cid, peer, why)

    def _stream(self, conn: socket.socket, cid: int) -> str:
        conn.setblocking(False)
        n_total = self.capture.info.n_samples
        rate = self.capture.info.sample_rate
        pending = memoryview(HEADER.pack(MAGIC, self.tuner_type, self.gain_count))
        inbuf = bytearray()
        pos = 0  # next sample of the recording to send
        sent = 0  # samples queued so far (pacing clock)
        t0 = last_progress = time.monotonic()
        finished = False
        while not self._stop.is_set():
            now = time.monotonic()
            wait = 0.2
            if not pending and not finished:
                if pos >= n_total:
                    if self.loop:
                        pos = 0
                    else:
                        finished = True
                if not finished:
                    due = t0 + sent / rate if self.rate_limit else now
                    if due <= now:
                        k = min(self.chunk_samples, n_total - pos)
                        pending = memoryview(self._chunk(pos, k))
                        pos += k
                        sent += k
                        last_progress = now
                    else:
                        wait = min(wait, due - now)
            if finished and not pending:
                return self._finish(conn, inbuf, cid)
            r, w, _ = select.select([conn], [conn] if pending else [], [], max(wait, 0.0))
            if r:
                data = conn.recv(4096)
                if not data:
                    self._leftover(inbuf, cid)
                    return "client hung up"
                inbuf += data
                self._parse(inbuf, cid)
            if w:
                try:
                    n = conn.send(pending[:262144])
                except BlockingIOError:
                    n = 0
                if n:
                    pending = pending[n:]
                    last_progress = time.monotonic()
                    with self._lock:
                        self.bytes_sent += n
            if pending and time.monotonic() - last_progress > self.stall_timeout_s:
                return f"took nothing for {self.stall_timeout_s:g} s: disconnected"
        return "server stopping"

    def _finish(self, conn: socket.socket, inbuf: bytearray, cid: int) -> str:
        """End of the recording: half-close, then read commands until the client closes."""
        try:
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            return "end of recording"
        deadline = time.monotonic() + 5.0
        while not self._stop.is_set() and time.monotonic() < deadline:
            r, _, _ = select.select([conn], [], [], 0.2)
            if r:
                try:
                    data = conn.recv(4096)
                except OSError:
                    break
                if not data:
                    break
                inbuf += data
                self._parse(inbuf, cid)
        self._leftover(inbuf, cid)
        return "end of recording"

    def _parse(self, inbuf: bytearray, cid: int) -> None:
        while len(inbuf) >= COMMAND.size:
            cmd, raw = COMMAND.unpack_from(inbuf)
            del inbuf[: COMMAND.size]
            self._record(cid, cmd, raw)

    @staticmethod
    def _leftover(inbuf: bytearray, cid: int) -> None:
        if inbuf:
            log.info("serve: client %d left %d bytes of an incomplete command: ignored", cid, len(inbuf))


# ------------------------------------------------------------------------------------------
# client


class RtlTcpCapture(LiveCapture):
    """An rtl_tcp server as a live source of cu8 samples (any rtl_tcp server, or `rfkit serve`).

    Connects at once (SourceError if nothing answers), reads the header, sends the settings,
    then streams on a receiver thread. A dropped connection is logged and retried with
    back-off (0.25 s doubling, `retries` attempts); the samples missed meanwhile (elapsed
    time x rate) are counted as a gap. Out of attempts: SourceError after the last block.
    """

    _watchdog = False  # `_pump` notices a silent server and reconnects

    def __init__(self, where: str, settings: LiveSettings):
        host, _, port = where.rpartition(":")
        self.where = where
        self.host, self.port = host.strip("[]"), int(port)
        self.tuner_type = 0
        self.gain_count = 0
        self.reconnects = 0
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self._settings_pending = settings
        sock = self._connect(settings)
        tuner = TUNER_TYPES.get(self.tuner_type, f"type {self.tuner_type}")
        info = live_info("rtltcp", where, settings, hw=f"rtl_tcp {where}, tuner {tuner}",
                         extra={"tuner_type": self.tuner_type, "gain_count": self.gain_count})
        super().__init__(info, settings)
        self._sock = sock

    # -- connection ----------------------------------------------------------------------
    def _connect(self, s: LiveSettings) -> socket.socket:
        where = self.where
        try:
            sock = socket.create_connection((self.host, self.port), timeout=s.timeout_s)
        except OSError as e:
            raise SourceError(f"rtl_tcp {where}: cannot connect: {e.strerror or e}") from None
        try:
            head = b""
            while len(head) < HEADER.size:
                part = sock.recv(HEADER.size - len(head))
                if not part:
                    raise SourceError(f"rtl_tcp {where}: the server closed the connection before its header")
                head += part
            self.tuner_type, self.gain_count = unpack_header(head)
            sock.sendall(self.command_bytes(s))
        except TimeoutError:
            sock.close()
            raise SourceError(f"rtl_tcp {where}: no header within {s.timeout_s:g} s") from None
        except OSError as e:
            sock.close()
            raise SourceError(f"rtl_tcp {where}: {e.strerror or e}") from None
        except SourceError as e:
            sock.close()
            raise SourceError(f"rtl_tcp {where}: {e}" if where not in str(e) else str(e)) from None
        sock.settimeout(0.25)
        return sock

    @staticmethod
    def command_bytes(s: LiveSettings) -> bytes:
        """The commands that put a server in the state `s` asks for, in the order rtl_tcp applies them."""
        out = [pack_command(Cmd.RATE, round(s.rate_hz))]
        if s.freq_hz is not None:
            out.append(pack_command(Cmd.FREQ, round(s.freq_hz)))
        if s.ppm:
            out.append(pack_command(Cmd.PPM, s.ppm))
        if s.direct_sampling is not None:
            out.append(pack_command(Cmd.DIRECT_SAMPLING, s.direct_sampling))
        if s.offset_tuning is not None:
            out.append(pack_command(Cmd.OFFSET_TUNING, int(s.offset_tuning)))
        if s.gain_db == "auto":
            out.append(pack_command(Cmd.GAIN_MODE, 0))
        elif s.gain_db is not None:
            out.append(pack_command(Cmd.GAIN_MODE, 1))
            out.append(pack_command(Cmd.GAIN, round(10 * s.gain_db)))
        if s.agc is not None:
            out.append(pack_command(Cmd.AGC, int(s.agc)))
        if s.bias_tee is not None:
            out.append(pack_command(Cmd.BIAS_TEE, int(s.bias_tee)))
        return b"".join(out)

    def send_command(self, cmd: int, value: int) -> None:
        """Send one command on the current connection (e.g. retune while streaming)."""
        with self._sock_lock:
            if self._sock is None:
                raise SourceError(f"rtl_tcp {self.where}: not connected")
            try:
                self._sock.sendall(pack_command(cmd, value))
            except OSError as e:
                raise SourceError(f"rtl_tcp {self.where}: {e.strerror or e}") from None

    # -- receiver thread -----------------------------------------------------------------
    def _produce(self) -> None:
        where = self.where
        s = self.settings
        buf = bytearray(1 << 18)
        while not self._stop.is_set():
            reason = self._pump(buf)
            if self._stop.is_set():
                return
            lost_at = time.monotonic()
            log.warning("rtl_tcp %s: connection lost after sample %d (%s)", where, self._index, reason)
            delay = 0.25
            for attempt in range(1, s.retries + 1):
                log.warning("rtl_tcp %s: reconnecting in %.2f s (attempt %d of %d)", where, delay, attempt, s.retries)
                if self._stop.wait(delay):
                    return
                try:
                    sock = self._connect(s)
                except SourceError as e:
                    log.warning("%s", e)
                    delay = min(2 * delay, 8.0)
                    continue
                with self._sock_lock:
                    self._sock = sock
                self.reconnects += 1
                missed = round((time.monotonic() - lost_at) * s.rate_hz)
                self._skip(missed, f"rtl_tcp connection lost ({reason}); reconnected after "
                                   f"{time.monotonic() - lost_at:.2f} s")
                log.warning("rtl_tcp %s: reconnected; about %d samples missed", where, missed)
                break
            else:
                tried = (f"{s.retries} attempts to reconnect failed" if s.retries
                         else "not reconnecting (retries=0)")
                raise SourceError(f"rtl_tcp {where}: connection lost ({reason}) and {tried}")

    def _pump(self, buf: bytearray) -> str:
        """Read the current connection into the ring until it fails; returns why it ended."""
        carry = b""  # an odd byte: half a sample waiting for its other half
        idle_since = time.monotonic()
        sock = self._sock
        view = memoryview(buf)
        try:
            while not self._stop.is_set():
                try:
                    n = sock.recv_into(view)
                except TimeoutError:
                    if time.monotonic() - idle_since > self.settings.timeout_s:
                        return f"no data for {self.settings.timeout_s:g} s"
                    continue
                except OSError as e:
                    return e.strerror or str(e)
                if n == 0:
                    return "the server closed the connection"
                idle_since = time.monotonic()
                data = carry + bytes(view[:n]) if carry else bytes(view[:n])
                even = len(data) & ~1
                carry = data[even:]
                if even and not self._emit(np.frombuffer(data[:even], dtype=np.uint8)):
                    return "closing"
            return "closing"
        finally:
            with self._sock_lock:
                if self._sock is sock:
                    self._sock = None
            sock.close()

    def _cancel(self) -> None:
        with self._sock_lock:
            sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError as e:
                if e.errno not in (errno.ENOTCONN, errno.EBADF):
                    log.debug("rtl_tcp: shutdown: %s", e)
        if self._thread is None and sock is not None:
            sock.close()
            self._sock = None


def serve_forever(server: RtlTcpServer) -> None:
    """Run a started server until Ctrl-C (KeyboardInterrupt) or `stop()`; then stop it."""
    try:
        while not server.wait(0.5):
            pass
    finally:
        server.stop()

