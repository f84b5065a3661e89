"""Sources of IQ samples: recorded files of every common format, and live receivers.

`open(source, **overrides)` is the one front door: it picks the reader from the extension
(or the `rtlsdr:` / `rtltcp://` prefix) through explicit tables.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import FormatError, MetadataError, ParameterError
from .capture import Block, Capture, CaptureInfo, Segment
from .formats import DTYPE_CHOICES, SAMPLE_FORMATS, container_for, parse_name, sample_format

__all__ = ["DTYPE_CHOICES", "SAMPLE_FORMATS", "Block", "Capture", "CaptureInfo", "Segment", "open"]

_LIVE_PREFIXES = ("rtlsdr:", "rtltcp://")


def open(
    source: str | os.PathLike,
    *,
    rate: float | None = None,
    freq: float | None = None,
    dtype: str | None = None,
    **options,
) -> Capture:
    """Open a recording or a live source as a `Capture`.

    Parameters
    ----------
    source : str or path
        A file path (format from the extension: .cu8 .cs8 .cs16 .cf32 .cf64 .sigmf-meta
        .sigmf-data .sigmf .wav, .fc32 .cfile .complex .raw .bin ...), `rtlsdr:[index]?freq=..`
        for a USB dongle, or `rtltcp://host:port?freq=..` for an rtl_tcp server.
    rate, freq : float, optional
        Sample rate and centre frequency in Hz; they override what the file says.
    dtype : str, optional
        Sample format (`cu8 cs8 cs16 cf32 cf64`) for raw files; overrides the extension.
    """
    if rate is not None and not rate > 0:
        raise ParameterError(f"{rate=} must be a positive sample rate in Hz")
    if dtype is not None:
        sample_format(dtype)
    text = os.fspath(source)
    if text.startswith(_LIVE_PREFIXES):
        from .live import open_live  # pyrtlsdr and sockets only when asked for

        return open_live(text, rate=rate, freq=freq, **options)

    path = Path(text)
    if not path.exists():
        raise FormatError(f"{text!r}: no such file")
    if path.is_dir():
        raise FormatError(f"{text!r} is a directory, not a recording")
    try:
        container, ext_dtype = container_for(path)
    except FormatError:
        if dtype is None:
            raise
        container, ext_dtype = "raw", dtype

    if container in ("sigmf", "sigmf-archive"):
        from .sigmf import open_sigmf

        return open_sigmf(path, rate=rate, freq=freq, dtype=dtype, **options)
    if container == "wav":
        from .wav import open_wav

        return open_wav(path, rate=rate, freq=freq, **options)

    from .raw import open_raw

    hints = parse_name(path)
    dtype = dtype or ext_dtype or hints.dtype
    if dtype is None:
        raise FormatError(
            f"{text!r}: the extension {path.suffix!r} does not say the sample format; "
            f"give it with --dtype {'|'.join(DTYPE_CHOICES)}"
        )
    rate = rate or hints.sample_rate
    if rate is None:
        raise MetadataError(
            f"{text!r}: unknown sample rate; give it with --rate (e.g. --rate 2.4e6) "
            "or name the file rtl_433-style (name_433.92M_250k.cu8)"
        )
    freq = freq if freq is not None else hints.center_freq
    return open_raw(path, dtype=dtype, sample_rate=rate, center_freq=freq, **options)
