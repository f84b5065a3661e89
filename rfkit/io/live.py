"""Live sources: `rtlsdr:` (USB dongle) and `rtltcp://` (rtl_tcp server) as streaming Captures.

A live capture has no length (`n_samples` is None): `blocks()` streams complex64 blocks with
running sample indices, `raw_blocks()` streams the cu8 bytes as received. A receiver thread
feeds a bounded ring (`rfkit.io.ring`), so slow analysis never stalls the receiver; samples
dropped on the way (the analysis fell behind, the connection was lost) leave a jump in the
sample index, are counted in `dropped_samples` and are listed in `annotations` as
`rfkit:dropped` gaps.
"""

from __future__ import annotations

import datetime as _dt
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import numpy as np

from ..config import DEFAULT_BLOCK_SIZE
from ..dsp.convert import to_complex64
from ..errors import ParameterError, SourceError
from .capture import Block, Capture, CaptureInfo, Segment
from .formats import sample_format
from .ring import OVERFLOW_POLICIES, BlockRing, RingItem

__all__ = [
    "DEFAULT_RATE_HZ",
    "DROPPED_LABEL",
    "LiveCapture",
    "LiveSettings",
    "RawBlock",
    "open_live",
    "parse_live_url",
]

log = logging.getLogger("rfkit")

#: rtl_tcp's and rtl_sdr's default sample rate (Hz), used where none is given.
DEFAULT_RATE_HZ = 2_048_000.0
#: Default size of the ring between the receiver thread and the analysis (bytes of cu8;
#: 32 MiB = 6.8 s at 2.4 MS/s).
DEFAULT_RING_BYTES = 32 << 20
#: Default seconds without a single sample before a live source counts as gone.
DEFAULT_STALL_TIMEOUT_S = 5.0
#: Default reconnection attempts after an rtl_tcp connection drops.
DEFAULT_RETRIES = 5
#: `core:label` of the annotation that marks samples lost between receiver and analysis.
DROPPED_LABEL = "dropped"

_CU8 = sample_format("cu8")


@dataclass(frozen=True)
class LiveSettings:
    """Tuner settings and stream options of a live source (from the URL and keywords).

    `gain_db` is a number in dB, "auto", or None (leave the tuner as it is).
    """

    freq_hz: float | None = None
    rate_hz: float = DEFAULT_RATE_HZ
    gain_db: float | str | None = None
    ppm: int = 0
    agc: bool | None = None
    bias_tee: bool | None = None
    direct_sampling: int | None = None
    offset_tuning: bool | None = None
    overflow: str = "drop"  # what the ring does when the analysis falls behind: drop | wait
    ring_bytes: int = DEFAULT_RING_BYTES
    timeout_s: float = DEFAULT_STALL_TIMEOUT_S
    retries: int = DEFAULT_RETRIES


# URL query key -> LiveSettings field
_KEYS = {
    "freq": "freq_hz",
    "rate": "rate_hz",
    "gain": "gain_db",
    "ppm": "ppm",
    "agc": "agc",
    "bias_tee": "bias_tee",
    "direct_sampling": "direct_sampling",
    "offset_tuning": "offset_tuning",
    "overflow": "overflow",
    "ring_bytes": "ring_bytes",
    "timeout": "timeout_s",
    "retries": "retries",
}
_SI = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _number(key: str, text: str) -> float:
    t = str(text).strip()
    try:
        if t and t[-1] in _SI:
            return float(t[:-1]) * _SI[t[-1]]
        return float(t)
    except ValueError:
        raise ParameterError(f"{key}={text!r} is not a number (examples: 2.4e6, 2.4M, 250k)") from None


def _flag(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    t = str(value).strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ParameterError(f"{key}={value!r} must be 0 or 1")


def _convert(key: str, value):
    """A URL or keyword value -> the typed LiveSettings value."""
    name = _KEYS[key]
    if name == "gain_db":
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        return None if value is None else _number(key, value)
    if name in ("agc", "bias_tee", "offset_tuning"):
        return _flag(key, value)
    if name == "direct_sampling":
        t = str(value).strip().lower()
        mapped = {"i": 1, "q": 2}.get(t)
        v = mapped if mapped is not None else int(_number(key, t))
        if v not in (0, 1, 2):
            raise ParameterError(f"{key}={value!r} must be 0 (off), 1 (I branch) or 2 (Q branch)")
        return v
    if name == "overflow":
        if value not in OVERFLOW_POLICIES:
            raise ParameterError(f"{key}={value!r} must be one of {', '.join(OVERFLOW_POLICIES)}")
        return value
    if name in ("ppm", "ring_bytes", "retries"):
        v = _number(key, value)
        if v != int(v):
            raise ParameterError(f"{key}={value!r} must be a whole number")
        return int(v)
    return _number(key, value)


def _validate(s: LiveSettings) -> LiveSettings:
    if not s.rate_hz > 0:
        raise ParameterError(f"rate={s.rate_hz} must be a positive sample rate in Hz")
    if s.freq_hz is not None and not 0 < s.freq_hz < 2**32:
        raise ParameterError(f"freq={s.freq_hz} must be a centre frequency in Hz between 0 and 4.29e9")
    if s.ring_bytes < 1 << 12:
        raise ParameterError(f"ring_bytes={s.ring_bytes} must be at least 4096")
    if not s.timeout_s > 0:
        raise ParameterError(f"timeout={s.timeout_s} must be a positive number of seconds")
    if s.retries < 0:
        raise ParameterError(f"retries={s.retries} must not be negative")
    if isinstance(s.gain_db, float) and not -10 <= s.gain_db <= 100:
        raise ParameterError(f"gain={s.gain_db} must be a gain in dB between -10 and 100, or auto")
    return s


def parse_live_url(text: str, *, rate: float | None = None, freq: float | None = None,
                   **options) -> tuple[str, str, LiveSettings]:
    """Split `rtlsdr:0?freq=..` / `rtltcp://host:port?freq=..` into (scheme, where, settings).

    `where` is the device index or serial for `rtlsdr`, `host:port` for `rtltcp`. Keywords
    (`gain=40`, ...) and `rate`/`freq` override what the URL says.
    """
    if text.startswith("rtltcp://"):
        scheme = "rtltcp"
        parts = urlsplit(text)
        if not parts.hostname:
            raise ParameterError(f"{text!r}: give the server as rtltcp://host:port (e.g. rtltcp://127.0.0.1:1234)")
        try:
            port = parts.port or 1234
        except ValueError:
            raise ParameterError(f"{text!r}: the port must be a number between 1 and 65535") from None
        host = parts.hostname
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        query = parts.query
    elif text.startswith("rtlsdr:"):
        scheme = "rtlsdr"
        rest = text[len("rtlsdr:"):].lstrip("/")
        where, _, query = rest.partition("?")
        where = where or "0"
    else:
        raise ParameterError(f"{text!r} is not a live source; use rtlsdr:[N]?freq=.. or rtltcp://host:port?freq=..")
    values: dict = {}
    # not parse_qsl: it reads "+" as a space, and 2.4e+6 must stay a number
    pairs = [part.partition("=") for part in query.split("&") if part]
    for key, _, value in ((unquote(k), e, unquote(v)) for k, e, v in pairs):
        if key not in _KEYS:
            raise ParameterError(f"{text!r}: unknown setting {key!r}; use {', '.join(_KEYS)}")
        values[_KEYS[key]] = _convert(key, value)
    for key, value in options.items():
        if key not in _KEYS and key not in _KEYS.values():
            raise ParameterError(f"unknown live-source option {key!r}; use {', '.join(_KEYS)}")
        url_key = key if key in _KEYS else next(k for k, v in _KEYS.items() if v == key)
        if value is not None:
            values[_KEYS[url_key]] = _convert(url_key, value)
    if rate is not None:
        values["rate_hz"] = float(rate)
    if freq is not None:
        values["freq_hz"] = float(freq)
    known = {f.name for f in fields(LiveSettings)}
    return scheme, where, _validate(LiveSettings(**{k: v for k, v in values.items() if k in known}))


class RawBlock(NamedTuple):
    """cu8 bytes as received (uint8, interleaved I/Q) and the source index of the first sample."""

    data: np.ndarray
    start: int

    @property
    def n_samples(self) -> int:
        return self.data.size // 2


def utc_now_iso() -> str:
    """The current time, ISO 8601 UTC with microseconds (SigMF `core:datetime`)."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LiveCapture(Capture):
    """A stream of cu8 samples fed by a receiver thread through a bounded ring.

    Subclasses implement `_produce()` (runs on the receiver thread; calls `_emit(data)` for
    every block received; returns when `_stop` is set; raises SourceError when the source is
    gone) and optionally `_cancel()` (wake `_produce` up when closing).
    """

    #: the consumer ends the stream after `timeout_s` without samples (False where the
    #: receiver watches the source itself, e.g. to reconnect)
    _watchdog = True

    def __init__(self, info: CaptureInfo, settings: LiveSettings):
        super().__init__(info)
        self.settings = settings
        self._ring = BlockRing(capacity_bytes=settings.ring_bytes, bytes_per_sample=2,
                               overflow=settings.overflow)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._index = 0  # source index of the next sample the receiver emits
        self._gap_reasons: dict[int, str] = {}
        self._lock = threading.Lock()
        self._expected = 0  # source index the consumer expects next (the receiver counts from 0)
        self._parts: list[np.ndarray] = []  # taken from the ring, not yet handed out
        self._first = 0  # source index of the first sample in _parts
        self._pushback: RingItem | None = None  # a ring item taken but not used yet
        self.received_samples = 0  # samples handed to the consumer
        self.dropped_samples = 0  # samples lost between receiver and consumer (all causes)
        self.gaps: list[tuple[int, int, str]] = []  # (source index, samples missing, reason)

    # -- receiver side -------------------------------------------------------------------
    def _produce(self) -> None:
        raise NotImplementedError

    def _cancel(self) -> None:
        pass

    def _emit(self, data: np.ndarray) -> bool:
        """Hand a block of cu8 bytes (the caller's copy) to the ring; False once closing."""
        n = data.size // 2
        ok = self._ring.put(data, self._index, stop=self._stop)
        self._index += n
        return ok

    def _skip(self, n_samples: int, reason: str) -> None:
        """Mark `n_samples` as lost before the next block (e.g. while reconnecting)."""
        if n_samples > 0:
            self._index += n_samples
            with self._lock:
                self._gap_reasons[self._index] = reason

    def _run(self) -> None:
        try:
            self._produce()
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            self._ring.close(error=e)
        else:
            self._ring.close()

    def start(self) -> None:
        """Start the receiver thread (done by the first `blocks()` / `raw_blocks()`)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"rfkit-{self.info.format}", daemon=True)
            self._thread.start()

    # -- consumer side -------------------------------------------------------------------
    @property
    def dropped_blocks(self) -> int:
        return self._ring.dropped_blocks

    @property
    def ring_high_water_bytes(self) -> int:
        return self._ring.high_water_bytes

    def _note_gap(self, start: int, count: int) -> None:
        with self._lock:
            reason = self._gap_reasons.pop(start + count, None)
        if reason is None:
            reason = "analysis fell behind the stream: blocks dropped"
        self.dropped_samples += count
        self.gaps.append((start, count, reason))
        self.annotations.append({
            "core:sample_start": int(start),
            "core:sample_count": int(count),
            "core:label": DROPPED_LABEL,
            "core:comment": reason,
            "rfkit:dropped_samples": int(count),
        })
        log.warning("%s: %d samples (%.3f s) lost at sample %d: %s", self.info.path, count,
                    count / self.info.sample_rate, start, reason)

    def raw_blocks(self, block_size: int = DEFAULT_BLOCK_SIZE, *, count: int | None = None) -> Iterator[RawBlock]:
        """cu8 blocks of up to `block_size` samples as received, with source sample indices.

        A block never spans a gap: after lost samples the next block starts at the index of
        the first sample received again. Ends after `count` samples received (None: never),
        or when the source is gone (then, after the last block, raises SourceError).
        """
        if block_size <= 0:
            raise ParameterError(f"{block_size=} must be a positive number of samples")
        if count is not None and count < 0:
            raise ParameterError(f"{count=} must not be negative")
        self.start()
        # samples taken from the ring but not yet handed out stay on the instance, so that a
        # later call (after `count` was reached, or after a caller stopped early) goes on from them
        parts = self._parts
        held = sum(p.size for p in parts) // 2
        first = self._first
        delivered = 0
        last_data = time.monotonic()
        stall = self.settings.timeout_s

        def take(n: int) -> RawBlock:
            nonlocal held, first
            buf = np.concatenate(parts) if len(parts) > 1 else parts[0]
            out, rest = buf[: 2 * n], buf[2 * n:]
            parts[:] = [rest] if rest.size else []
            blk = RawBlock(out, first)
            held -= n
            first += n
            self._first = first
            self.received_samples += n
            return blk

        while count is None or delivered < count:
            if self._pushback is not None:
                item, self._pushback = self._pushback, None
            else:
                item = self._ring.get(timeout_s=0.2)
            if item is None:
                if self._ring.closed and len(self._ring) == 0:
                    break
                if self._watchdog and time.monotonic() - last_data > stall and not self._ring.closed:
                    self.close()
                    self._ring.close(SourceError(
                        f"{self.info.path}: no samples for {stall:g} s; the source stopped streaming "
                        "(dongle unplugged or server stalled?)"))
                continue
            last_data = time.monotonic()
            if item.start != self._expected:
                if held:
                    blk = take(held if count is None else min(held, count - delivered))
                    delivered += blk.n_samples
                    yield blk
                    if count is not None and delivered >= count:
                        self._pushback = item  # for the next call
                        break
                self._note_gap(self._expected, item.start - self._expected)
            if not held:
                first = self._first = item.start
            parts.append(item.data)
            held += item.n_samples
            self._expected = item.start + item.n_samples
            while count is None or delivered < count:
                want = block_size if count is None else min(block_size, count - delivered)
                if held < want:
                    break
                n = want
                blk = take(n)
                delivered += n
                yield blk
        if held and (count is None or delivered < count):
            n = held if count is None else min(held, count - delivered)
            blk = take(n)
            delivered += n
            yield blk
        err = self._ring.error if (count is None or delivered < count) else None
        if err is not None:
            if isinstance(err, SourceError):
                raise SourceError(str(err)) from None
            raise SourceError(f"{self.info.path}: the source failed: {err}") from err

    def blocks(self, block_size: int = DEFAULT_BLOCK_SIZE, *, overlap: int = 0, start: int = 0,
               count: int | None = None) -> Iterator[Block]:
        """complex64 blocks (full scale 1.0) of `block_size` samples with running source indices.

        With `overlap`, each block repeats the last `overlap` samples of the one before when
        the two are contiguous (never across a gap). `start` must be 0: a live stream starts now.
        """
        if not 0 <= overlap < block_size:
            raise ParameterError(f"{overlap=} must be between 0 and block_size={block_size} (exclusive)")
        if start != 0:
            raise ParameterError(f"{start=} must be 0 for a live source (it starts now)")
        if not overlap:
            for raw in self.raw_blocks(block_size, count=count):
                yield Block(to_complex64(raw.data, _CU8), raw.start)
            return
        step = block_size - overlap
        buf = np.zeros(0, dtype=np.complex64)
        buf_start = 0
        fresh = 0  # samples of buf at and after this offset were not yet yielded
        for raw in self.raw_blocks(step, count=count):
            x = to_complex64(raw.data, _CU8)
            if buf.size and raw.start != buf_start + buf.size:  # a gap: flush, start again
                if fresh < buf.size:
                    yield Block(buf, buf_start)
                buf, fresh = np.zeros(0, dtype=np.complex64), 0
            if not buf.size:
                buf_start = raw.start
            buf = np.concatenate([buf, x])
            while buf.size >= block_size:
                yield Block(buf[:block_size].copy(), buf_start)
                buf, buf_start = buf[step:], buf_start + step
                fresh = max(0, block_size - step)
        if fresh < buf.size:
            yield Block(buf, buf_start)

    def request_stop(self) -> None:
        """Ask the receiver to stop (safe from a signal handler): the stream then ends after the
        blocks already received, without an error."""
        self._stop.set()

    def close(self) -> None:
        """Stop the receiver thread (waits a little for it) and release the device or socket."""
        self._stop.set()
        try:
            self._cancel()
        finally:
            t = self._thread
            if t is not None and t is not threading.current_thread():
                t.join(timeout=2.0)
            if not self._ring.closed and (t is None or not t.is_alive()):
                self._ring.close()

    def status(self) -> dict:
        """Counters for reports: samples received and dropped, blocks dropped, ring memory."""
        return {
            "received_samples": self.received_samples,
            "dropped_samples": self.dropped_samples,
            "dropped_blocks": self.dropped_blocks,
            "gaps": len(self.gaps),
            "ring_high_water_bytes": self.ring_high_water_bytes,
        }


def live_info(scheme: str, where: str, s: LiveSettings, *, hw: str | None, extra: dict | None = None) -> CaptureInfo:
    """The CaptureInfo of a live source just opened (datetime: now)."""
    now = utc_now_iso()
    gain = s.gain_db if isinstance(s.gain_db, float) else None
    return CaptureInfo(
        format=scheme,
        dtype="cu8",
        sample_rate=float(s.rate_hz),
        center_freq=s.freq_hz,
        n_samples=None,
        path=f"{scheme}://{where}" if scheme == "rtltcp" else f"rtlsdr:{where}",
        datetime=now,
        hw=hw,
        gain_db=gain,
        segments=(Segment(0, s.freq_hz, now),),
        extra=dict(extra or {}, gain_mode="auto" if s.gain_db == "auto" else ("manual" if gain is not None else None)),
    )


def open_live(text: str, *, rate: float | None = None, freq: float | None = None, **options) -> LiveCapture:
    """Open `rtlsdr:[N]?freq=..&rate=..&gain=..` or `rtltcp://host:port?freq=..` as a LiveCapture.

    Settings: freq (Hz), rate (Hz), gain (dB or auto), ppm, agc, bias_tee, direct_sampling
    (0, 1=I, 2=Q), offset_tuning; stream options: overflow (drop|wait), ring_bytes,
    timeout (s without samples before the source counts as gone), retries (rtl_tcp reconnections).
    """
    options.pop("dtype", None)  # a live source is always cu8
    scheme, where, settings = parse_live_url(text, rate=rate, freq=freq, **options)
    if scheme == "rtltcp":
        from .rtltcp import RtlTcpCapture

        return RtlTcpCapture(where, settings)
    from .rtlsdr import RtlSdrCapture

    return RtlSdrCapture(where, settings)


def with_settings(s: LiveSettings, **changes) -> LiveSettings:
    """A copy of `s` with some settings changed, validated."""
    return _validate(replace(s, **changes))
