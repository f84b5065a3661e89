"""WAV IQ recordings (I left, Q right): PCM u8 / s16 / s32, IEEE float32 / float64, RIFF and RF64.

Every chunk of the file is walked, so recordings whose samples are split into many `data` chunks
(kiwirecorder interleaves a 10-byte `kiwi` GNSS-timestamp chunk before each 512-frame `data`
chunk; Python's `wave` and scipy stop at the first) are read whole. The samples are not loaded:
an index of (byte offset, size) of each `data` chunk goes to the raw reader's memmap.

Centre frequency: from an `auxi` chunk (SpectraVue / SDR# / SDRuno: two Windows SYSTEMTIME of
16 bytes each — start and stop — then the centre frequency as a little-endian uint32 in Hz at
byte 32 of the chunk body), else from the file name (SDR#/HDSDR `_433920000Hz_IQ.wav`,
`_433920kHz_RF.wav`; kiwirecorder `20171127T104156Z_77500_HB9RYZ_iq.wav`), else unknown.
"""

from __future__ import annotations

import logging
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError, ParameterError
from .formats import parse_name, sample_format
from .raw import RawCapture, open_raw

__all__ = ["WAVE_FORMATS", "WavLayout", "open_wav", "read_wav_layout"]

log = logging.getLogger("rfkit")

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_EXTENSIBLE = 0xFFFE

#: (WAVE format code, bits a component) -> rfkit sample format. 8-bit PCM is unsigned (offset 128).
WAVE_FORMATS: dict[tuple[int, int], str] = {
    (WAVE_FORMAT_PCM, 8): "cu8",
    (WAVE_FORMAT_PCM, 16): "cs16",
    (WAVE_FORMAT_PCM, 32): "cs32",
    (WAVE_FORMAT_IEEE_FLOAT, 32): "cf32",
    (WAVE_FORMAT_IEEE_FLOAT, 64): "cf64",
}
_FORMAT_NAMES = {0x0002: "MS ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM", 0x0055: "MP3"}
_SIZE_UNKNOWN = 0xFFFFFFFF  # RF64 placeholder, and what streaming writers leave behind
_AUXI_FREQ_AT = 32  # byte offset of CenterFreq (uint32, Hz) in the auxi body, after two SYSTEMTIMEs


@dataclass(frozen=True)
class WavLayout:
    """What the chunks of a WAV file say: format, rate, where the samples are, and metadata."""

    dtype: str
    sample_rate: float
    channels: int
    data: tuple[tuple[int, int], ...]  # (byte offset, byte size) of each data chunk
    center_freq: float | None = None  # from an auxi chunk
    datetime: str | None = None  # from an auxi chunk
    chunk_ids: tuple[str, ...] = ()


def _systemtime(b: bytes) -> str | None:
    """A Windows SYSTEMTIME (8 little-endian uint16: y, m, weekday, d, H, M, S, ms) as ISO 8601."""
    if len(b) < 16:
        return None
    y, mo, _, d, h, mi, s, ms = struct.unpack("<8H", b[:16])
    if not (1970 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 61 and ms < 1000):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z"


def read_wav_layout(path: str | os.PathLike) -> WavLayout:
    """Walk every RIFF chunk of a WAV file (reading only chunk headers, fmt, ds64 and auxi)."""
    path = Path(path)
    where = repr(str(path))
    try:
        f = path.open("rb")
    except OSError as e:
        raise FormatError(f"cannot read {where}: {e.strerror}") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise FormatError(f"{where} is empty: no samples to read")
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            raise FormatError(f"{where} is not a WAV file (no RIFF/RF64 WAVE header)")
        rf64 = head[:4] == b"RF64"
        fmt = None
        ds64_data = None
        data: list[tuple[int, int]] = []
        ids: list[str] = []
        center = when = None
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            hdr = f.read(8)
            cid, csize = hdr[:4], struct.unpack("<I", hdr[4:])[0]
            body = pos + 8
            ids.append(cid.decode("latin-1"))
            if cid == b"data":
                if rf64 and csize == _SIZE_UNKNOWN and ds64_data is not None and not data:
                    csize = ds64_data
                if csize in (0, _SIZE_UNKNOWN) or body + csize > size:
                    if body + csize > size and csize not in (0, _SIZE_UNKNOWN):
                        log.warning("%s: data chunk at byte %d says %d bytes, only %d remain; reading those",
                                    where, pos, csize, size - body)
                    csize = size - body  # unfinished header (streamed or interrupted recording)
                data.append((body, csize))
            elif cid == b"fmt ":
                fmt = f.read(min(csize, 40))
            elif cid == b"ds64" and rf64:
                b = f.read(min(csize, 24))
                if len(b) >= 16:
                    ds64_data = struct.unpack("<Q", b[8:16])[0]
            elif cid == b"auxi":
                b = f.read(min(csize, 64))
                when = _systemtime(b)
                if len(b) >= _AUXI_FREQ_AT + 4:
                    hz = struct.unpack("<I", b[_AUXI_FREQ_AT : _AUXI_FREQ_AT + 4])[0]
                    center = float(hz) if hz else None
            pos = body + csize + (csize & 1)
    if fmt is None or len(fmt) < 16:
        raise FormatError(f"{where} has no (complete) fmt chunk: not a readable WAV file")
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == WAVE_FORMAT_EXTENSIBLE:
        if len(fmt) < 26:
            raise FormatError(f"{where}: WAVE_FORMAT_EXTENSIBLE fmt chunk is too short ({len(fmt)} bytes)")
        tag = struct.unpack("<H", fmt[24:26])[0]  # first two bytes of the SubFormat GUID
    if tag not in (WAVE_FORMAT_PCM, WAVE_FORMAT_IEEE_FLOAT):
        name = _FORMAT_NAMES.get(tag, f"format code 0x{tag:04x}")
        raise FormatError(f"{where} is compressed ({name}); rfkit reads PCM or float IQ WAV only")
    if channels != 2:
        what = "1 channel: audio, not IQ" if channels == 1 else f"{channels} channels"
        raise FormatError(f"{where} has {what}; an IQ WAV has 2 channels (I left, Q right)")
    dtype = WAVE_FORMATS.get((tag, bits))
    if dtype is None:
        kind = "PCM" if tag == WAVE_FORMAT_PCM else "float"
        allowed = ", ".join(f"{'PCM' if t == 1 else 'float'} {b}-bit" for t, b in WAVE_FORMATS)
        raise FormatError(f"{where}: {bits}-bit {kind} samples are not supported (rfkit reads {allowed})")
    if block_align != 2 * bits // 8:
        raise FormatError(f"{where}: fmt says block_align={block_align}, but 2 channels of {bits} bits "
                          f"take {2 * bits // 8} bytes a frame")
    if rate <= 0:
        raise FormatError(f"{where}: fmt says sample rate {rate} Hz")
    if not data:
        raise FormatError(f"{where} has no data chunk: no samples to read")
    return WavLayout(dtype, float(rate), channels, tuple(data), center, when, tuple(ids))


def open_wav(path: str | os.PathLike, *, rate: float | None = None, freq: float | None = None) -> RawCapture:
    """Open a 2-channel WAV IQ recording as a Capture (I = left channel, Q = right).

    `rate` and `freq` (Hz) override the fmt chunk's rate and the auxi chunk's or file name's
    centre frequency. `info.extra["wav_chunks"]` holds the number of data chunks read.
    """
    if rate is not None and not rate > 0:
        raise ParameterError(f"{rate=} must be a positive sample rate in Hz")
    path = Path(path)
    if not path.exists():
        raise FormatError(f"{str(path)!r}: no such file")
    if path.is_dir():
        raise FormatError(f"{str(path)!r} is a directory, not a recording")
    lay = read_wav_layout(path)
    hints = parse_name(path)
    center = freq if freq is not None else lay.center_freq if lay.center_freq is not None else hints.center_freq
    sample_format(lay.dtype)
    cap = open_raw(
        path,
        dtype=lay.dtype,
        sample_rate=rate or lay.sample_rate,
        center_freq=center,
        extents=list(lay.data),
        container="wav",
        datetime=lay.datetime or hints.datetime,
        extra={"wav_chunks": len(lay.data)},
    )
    if cap.info.leftover_bytes:
        log.warning("%s: %d bytes of the data chunks do not make a whole frame", path, cap.info.leftover_bytes)
    return cap
