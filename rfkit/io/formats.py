"""Sample formats and file-name conventions: explicit tables, no substring guessing.

A sample format says how one complex sample is stored and how it maps onto rfkit's
complex64 scale, where full scale is amplitude 1.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FormatError, ParameterError

__all__ = [
    "DTYPE_CHOICES",
    "EXTENSIONS",
    "SAMPLE_FORMATS",
    "SIGMF_DATATYPES",
    "NameHints",
    "SampleFormat",
    "container_for",
    "dtype_from_sigmf",
    "parse_name",
    "sample_format",
    "sigmf_datatype",
]


@dataclass(frozen=True)
class SampleFormat:
    """How one complex sample is stored: two interleaved components of `component` dtype.

    value = (stored - offset) / scale, so that full scale reads as amplitude 1.0.
    """

    name: str
    component: np.dtype
    offset: float
    scale: float

    @property
    def bytes_per_sample(self) -> int:
        return 2 * self.component.itemsize

    @property
    def is_float(self) -> bool:
        return self.component.kind == "f"


def _fmt(name: str, dtype: str, offset: float, scale: float) -> SampleFormat:
    return SampleFormat(name, np.dtype(dtype), offset, scale)


#: Every sample format rfkit reads, by canonical name. `--dtype` accepts the first five;
#: the others arrive through SigMF (`ci16_be`, `cu16_le`, ...).
SAMPLE_FORMATS: dict[str, SampleFormat] = {
    f.name: f
    for f in (
        _fmt("cu8", "u1", 127.5, 127.5),
        _fmt("cs8", "i1", 0.0, 128.0),
        _fmt("cs16", "<i2", 0.0, 32768.0),
        _fmt("cf32", "<f4", 0.0, 1.0),
        _fmt("cf64", "<f8", 0.0, 1.0),
        _fmt("cu16", "<u2", 32767.5, 32767.5),
        _fmt("cs16be", ">i2", 0.0, 32768.0),
        _fmt("cu16be", ">u2", 32767.5, 32767.5),
        _fmt("cf32be", ">f4", 0.0, 1.0),
        _fmt("cf64be", ">f8", 0.0, 1.0),
        _fmt("cs32", "<i4", 0.0, 2147483648.0),
        _fmt("cs32be", ">i4", 0.0, 2147483648.0),
        _fmt("cu32", "<u4", 2147483647.5, 2147483647.5),
        _fmt("cu32be", ">u4", 2147483647.5, 2147483647.5),
    )
}

#: The values `--dtype` takes on the command line.
DTYPE_CHOICES = ("cu8", "cs8", "cs16", "cf32", "cf64")

#: File extension -> (container, sample format or None where the container says).
EXTENSIONS: dict[str, tuple[str, str | None]] = {
    ".cu8": ("raw", "cu8"),
    ".cs8": ("raw", "cs8"),
    ".cs16": ("raw", "cs16"),
    ".cf32": ("raw", "cf32"),
    ".cf64": ("raw", "cf64"),
    ".fc32": ("raw", "cf32"),
    ".cfile": ("raw", "cf32"),
    ".complex": ("raw", "cf32"),
    ".raw": ("raw", "cu8"),
    ".bin": ("raw", None),
    ".iq": ("raw", None),
    ".dat": ("raw", None),
    ".sigmf-meta": ("sigmf", None),
    ".sigmf-data": ("sigmf", None),
    ".sigmf": ("sigmf-archive", None),
    ".wav": ("wav", None),
}


#: rfkit sample format <-> SigMF `core:datatype`: the one table both ways (reader and writer).
#: SigMF spells 8-bit types without a byte order; readers also meet `ci8_le`-style spellings,
#: accepted through `_SIGMF_ALIASES` below.
SIGMF_DATATYPES: dict[str, str] = {
    "cu8": "cu8",
    "cs8": "ci8",
    "cs16": "ci16_le",
    "cs16be": "ci16_be",
    "cu16": "cu16_le",
    "cu16be": "cu16_be",
    "cs32": "ci32_le",
    "cs32be": "ci32_be",
    "cu32": "cu32_le",
    "cu32be": "cu32_be",
    "cf32": "cf32_le",
    "cf32be": "cf32_be",
    "cf64": "cf64_le",
    "cf64be": "cf64_be",
}
_FROM_SIGMF: dict[str, str] = {v: k for k, v in SIGMF_DATATYPES.items()}
_SIGMF_ALIASES: dict[str, str] = {"cu8_le": "cu8", "cu8_be": "cu8", "ci8_le": "cs8", "ci8_be": "cs8"}
# SigMF real-valued datatypes (rf32_le, ri16_be, ru8, ...): well-formed, but not IQ
_SIGMF_REAL = re.compile(r"^r[fiu](8|16|32|64)(_(le|be))?$")


def sigmf_datatype(dtype: str) -> str:
    """The SigMF `core:datatype` for an rfkit sample format (`cs16` -> `ci16_le`)."""
    try:
        return SIGMF_DATATYPES[dtype]
    except KeyError:
        raise ParameterError(f"{dtype=} has no SigMF datatype; use one of {', '.join(SIGMF_DATATYPES)}") from None


def dtype_from_sigmf(datatype: object) -> str:
    """The rfkit sample format for a SigMF `core:datatype` (`ci16_le` -> `cs16`).

    Real-valued and unknown datatypes raise FormatError: rfkit reads complex IQ only.
    """
    key = datatype.lower() if isinstance(datatype, str) else datatype
    if isinstance(key, str):
        if key in _FROM_SIGMF:
            return _FROM_SIGMF[key]
        if key in _SIGMF_ALIASES:
            return _SIGMF_ALIASES[key]
        if _SIGMF_REAL.match(key):
            raise FormatError(
                f"core:datatype={datatype!r} is real-valued (one component a sample); rfkit reads "
                f"complex IQ only: {' '.join(_FROM_SIGMF)}"
            )
    raise FormatError(
        f"core:datatype={datatype!r} is not a SigMF datatype rfkit reads; use one of {' '.join(_FROM_SIGMF)}"
    )


def sample_format(name: str) -> SampleFormat:
    """The `SampleFormat` called `name` (`cu8`, `cs8`, `cs16`, `cf32`, `cf64`, ...)."""
    try:
        return SAMPLE_FORMATS[name]
    except KeyError:
        allowed = ", ".join(SAMPLE_FORMATS)
        raise ParameterError(f"dtype={name!r} is not a sample format rfkit reads; use one of {allowed}") from None


def container_for(path: Path) -> tuple[str, str | None]:
    """(container, sample format or None) for a path, from its extension."""
    suffix = path.suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    allowed = " ".join(EXTENSIONS)
    raise FormatError(
        f"{str(path)!r}: unknown extension {suffix or '(none)'!r}; "
        f"give the sample format with --dtype cu8|cs8|cs16|cf32|cf64 (known extensions: {allowed})"
    )


@dataclass(frozen=True)
class NameHints:
    """What a file name says about a recording (each None where it says nothing)."""

    center_freq: float | None = None
    sample_rate: float | None = None
    dtype: str | None = None
    datetime: str | None = None  # ISO 8601 UTC of the first sample


_UNITS = {"": 1.0, "k": 1e3, "m": 1e6, "g": 1e9}
# rtl_433: g001_433.92M_250k.cu8, name_868.3M_1024k.cs16 (frequency then rate, SI suffixes)
_RTL433 = re.compile(r"_(\d+(?:\.\d+)?)([kMG])_(\d+(?:\.\d+)?)([kM])(?=\.|_|$)", re.IGNORECASE)
# LTE-Cell-Scanner style: f1860_s1.92_..._rtlsdr.bin (MHz and Msps)
_FS_MHZ = re.compile(r"(?:^|_)f(\d+(?:\.\d+)?)_s(\d+(?:\.\d+)?)(?=_|\.|$)")
# the board named in such a name fixes the sample format of a `.bin`
_BOARD_DTYPES = {"_rtlsdr": "cu8", "_hackrf": "cs8"}
# SDR# / HDSDR / SDRuno WAV names: ..._433920000Hz_IQ.wav, ..._433920kHz_RF.wav
_WAV_HZ = re.compile(r"_(\d+(?:\.\d+)?)(Hz|kHz|MHz)(?=_|\.|$)", re.IGNORECASE)
# kiwirecorder: 20171127T104156Z_77500_HB9RYZ_iq.wav (UTC start, frequency in Hz, station)
_KIWI = re.compile(r"^(\d{8}T\d{6}Z)_(\d+(?:\.\d+)?)_[^_]+_iq\.wav$", re.IGNORECASE)
# gnss-sdr test files: ..._4Msps_4ms.dat (sample rate only). Their `_fs6625e6_` spelling is NOT
# parsed: the NT1065 file so named is sampled at 6.625 MHz, not 6625e6 Hz.
_MSPS = re.compile(r"(?:^|_)(\d+(?:\.\d+)?)Msps(?=_|\.|$)", re.IGNORECASE)
# SDR# / HDSDR start time: ..._20160112_123456Z_...
_YMD_HMS_Z = re.compile(r"(?:^|_)(\d{8})_(\d{6})Z(?=_|\.|$)")


def _iso(ymd: str, hms: str) -> str | None:
    """'20171127', '104156' -> '2017-11-27T10:41:56Z' (None where it is not a real date)."""
    import datetime as _dt

    try:
        t = _dt.datetime.strptime(ymd + hms, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_name(path: Path) -> NameHints:
    """Centre frequency, sample rate and start time from conventional file names.

    rtl_433 (`g001_433.92M_250k.cu8`: frequency, rate), LTE-Cell-Scanner (`f1860_s1.92_..._rtlsdr.bin`:
    MHz, Msps, board), SDR#/HDSDR (`..._20160112_123456Z_433920000Hz_IQ.wav`, `..._433920kHz_RF.wav`:
    start, frequency), kiwirecorder (`20171127T104156Z_77500_HB9RYZ_iq.wav`: start, frequency in Hz) and
    gnss-sdr test files (`..._4Msps_4ms.dat`: rate).
    """
    name = path.name
    m = _KIWI.match(name)
    if m:
        stamp = m.group(1)
        return NameHints(center_freq=float(m.group(2)), datetime=_iso(stamp[:8], stamp[9:15]))
    m = _RTL433.search(name)
    if m:
        freq = float(m.group(1)) * _UNITS[m.group(2).lower()]
        rate = float(m.group(3)) * _UNITS[m.group(4).lower()]
        return NameHints(center_freq=freq, sample_rate=rate)
    m = _FS_MHZ.search(path.stem)
    if m:
        board = next((d for tag, d in _BOARD_DTYPES.items() if tag in path.stem.lower()), None)
        return NameHints(float(m.group(1)) * 1e6, float(m.group(2)) * 1e6, board)
    m = _WAV_HZ.search(name)
    if m:
        unit = {"hz": 1.0, "khz": 1e3, "mhz": 1e6}[m.group(2).lower()]
        t = _YMD_HMS_Z.search(name)
        return NameHints(center_freq=float(m.group(1)) * unit, datetime=_iso(*t.groups()) if t else None)
    m = _MSPS.search(path.stem)
    if m:
        return NameHints(sample_rate=float(m.group(1)) * 1e6)
    return NameHints()
