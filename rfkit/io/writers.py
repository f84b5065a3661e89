"""Writers: complex64 samples (full scale 1.0) -> raw cu8/cs8/cs16/cf32/cf64 and SigMF pairs."""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import FormatError, ParameterError
from .formats import SampleFormat, sample_format

__all__ = ["to_stored", "write_raw", "write_sigmf", "SIGMF_DATATYPES"]

#: rfkit sample format -> SigMF core:datatype
SIGMF_DATATYPES = {
    "cu8": "cu8",
    "cs8": "ci8",
    "cs16": "ci16_le",
    "cs16be": "ci16_be",
    "cu16": "cu16_le",
    "cu16be": "cu16_be",
    "cf32": "cf32_le",
    "cf32be": "cf32_be",
    "cf64": "cf64_le",
    "cf64be": "cf64_be",
    "cs32": "ci32_le",
    "cs32be": "ci32_be",
}


def to_stored(samples: np.ndarray, fmt: SampleFormat) -> np.ndarray:
    """Interleaved stored components for complex samples: rounded and clipped for integers."""
    x = np.asarray(samples)
    inter = np.empty(2 * x.size, dtype=np.float64 if fmt.component.itemsize > 4 else np.float32)
    inter[0::2] = x.real
    inter[1::2] = x.imag
    if fmt.is_float:
        return inter.astype(fmt.component)
    info = np.iinfo(fmt.component)
    v = np.rint(inter.astype(np.float64) * fmt.scale + fmt.offset)
    return np.clip(v, info.min, info.max).astype(fmt.component)


def write_raw(path: str | os.PathLike, samples: np.ndarray, *, dtype: str, append: bool = False) -> int:
    """Write samples to a raw interleaved file of `dtype`; returns the number written."""
    fmt = sample_format(dtype)
    data = to_stored(samples, fmt)
    try:
        with open(path, "ab" if append else "wb") as f:
            data.tofile(f)
    except OSError as e:
        raise FormatError(f"cannot write {os.fspath(path)!r}: {e.strerror}") from None
    return np.asarray(samples).size


def sigmf_paths(path: str | os.PathLike) -> tuple[Path, Path]:
    """(meta, data) paths for a SigMF pair named by either file or by their common stem."""
    p = Path(path)
    if p.suffix in (".sigmf-meta", ".sigmf-data"):
        p = p.with_suffix("")
    return p.with_suffix(p.suffix + ".sigmf-meta") if p.suffix else p.with_name(p.name + ".sigmf-meta"), (
        p.with_suffix(p.suffix + ".sigmf-data") if p.suffix else p.with_name(p.name + ".sigmf-data")
    )


def write_sigmf_meta(
    meta_path: str | os.PathLike,
    *,
    dtype: str,
    sample_rate: float,
    center_freq: float | None = None,
    datetime: str | None = None,
    hw: str | None = None,
    annotations: list[dict] | None = None,
    extra_global: dict | None = None,
    captures: list[dict] | None = None,
) -> None:
    """Write the .sigmf-meta JSON for a data file of `dtype` samples."""
    if dtype not in SIGMF_DATATYPES:
        raise ParameterError(f"{dtype=} has no SigMF datatype; use one of {', '.join(SIGMF_DATATYPES)}")
    glob = {
        "core:datatype": SIGMF_DATATYPES[dtype],
        "core:sample_rate": float(sample_rate),
        "core:version": "1.2.0",
        "core:recorder": f"rfkit {__version__}",
    }
    if hw:
        glob["core:hw"] = hw
    glob.update(extra_global or {})
    if captures is None:
        cap = {"core:sample_start": 0}
        if center_freq is not None:
            cap["core:frequency"] = float(center_freq)
        cap["core:datetime"] = datetime or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        captures = [cap]
    anns = sorted(annotations or [], key=lambda a: a.get("core:sample_start", 0))
    meta = {"global": glob, "captures": captures, "annotations": anns}
    tmp = Path(f"{os.fspath(meta_path)}.tmp")
    try:
        tmp.write_text(json.dumps(meta, indent=2) + "\n")
        os.replace(tmp, meta_path)
    except OSError as e:
        raise FormatError(f"cannot write {os.fspath(meta_path)!r}: {e.strerror}") from None


def write_sigmf(
    path: str | os.PathLike,
    samples: np.ndarray,
    *,
    sample_rate: float,
    dtype: str = "cf32",
    center_freq: float | None = None,
    datetime: str | None = None,
    hw: str | None = None,
    annotations: list[dict] | None = None,
    extra_global: dict | None = None,
) -> Path:
    """Write a SigMF pair (`NAME.sigmf-data` + `NAME.sigmf-meta`); returns the meta path."""
    meta, data = sigmf_paths(path)
    write_raw(data, samples, dtype=dtype)
    write_sigmf_meta(meta, dtype=dtype, sample_rate=sample_rate, center_freq=center_freq,
                     datetime=datetime, hw=hw, annotations=annotations, extra_global=extra_global)
    return meta
