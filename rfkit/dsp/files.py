"""Waterfalls and spectra on disk: .npy rows + .json axes sidecar, .npz, and PSD CSV (dBFS, Hz, s).

A waterfall saved as `OUT.npy` is float32 dBFS, rows = time, columns = ascending frequency, written
row block by row block (memory bounded); `OUT.json` beside it holds the axes as exact linear
ramps (`freqs_hz = freq_start_hz + freq_step_hz * arange(n_freqs)`, likewise `times_s`) and the
settings. `OUT.npz` holds `power_dbfs`, `freqs_hz`, `times_s` and the same JSON as `meta`.
`load_waterfall` reads either back as a `Waterfall`.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import FormatError
from .settings import SpectrumSettings
from .spectral import Psd, Waterfall, to_dbfs

__all__ = ["PSD_CSV_COLUMNS", "load_waterfall", "save_waterfall", "stream_waterfall_npy", "waterfall_meta",
           "write_psd_csv"]

#: Columns of `rfkit psd -o OUT.csv`.
PSD_CSV_COLUMNS = ("freq_hz", "power_dbfs", "max_dbfs", "min_dbfs")


def waterfall_meta(settings: SpectrumSettings, n_rows: int, start_sample: int = 0, *, stat: str = "mean",
                   source: str | None = None) -> dict:
    """The JSON-able description of a waterfall's axes and settings."""
    t = settings.row_times_s(1, start_sample)
    return {
        "rfkit": __version__,
        "units": "dBFS per bin" + (" per Hz" if settings.density else ""),
        "n_rows": int(n_rows),
        "n_freqs": settings.nfft,
        "freq_start_hz": float(settings.freqs_hz[0]),
        "freq_step_hz": settings.bin_hz,
        "time_start_s": float(t[0]),
        "time_step_s": settings.row_period_s,
        "stat": stat,
        "source": source,
        "settings": asdict(settings),
    }


def _json_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _fail(path, e: OSError) -> FormatError:
    return FormatError(f"cannot write {os.fspath(path)!r}: {e.strerror or e}")


def _npy_header(n_rows: int, n_cols: int) -> bytes:
    """A .npy (version 1.0) header for float32[n_rows, n_cols], always NPY_HEADER_BYTES long."""
    d = f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({n_rows:d}, {n_cols:d}), }}"
    body = d.ljust(NPY_HEADER_BYTES - 10 - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body.encode("latin1")


#: Fixed header size, so that the row count can be written once the stream ends (64-byte aligned).
NPY_HEADER_BYTES = 128


def stream_waterfall_npy(path: str | os.PathLike, settings: SpectrumSettings, rows: Iterable[np.ndarray], *,
                         start_sample: int = 0, stat: str = "mean", source: str | None = None) -> int:
    """Write linear power rows as float32 dBFS into `path` (.npy) block by block, plus the .json sidecar.

    Rows are appended as they come (the process holds one block of them, never the file: the
    row count goes into the header at the end), so any length, even a live source's, fits.
    Returns the number of rows written.
    """
    path = Path(path)
    r = 0
    try:
        with open(path, "wb") as f:
            f.write(_npy_header(0, settings.nfft))
            for block in rows:
                to_dbfs(block).astype("<f4", copy=False).tofile(f)
                r += block.shape[0]
            f.seek(0)
            f.write(_npy_header(r, settings.nfft))
    except OSError as e:
        raise _fail(path, e) from None
    meta = waterfall_meta(settings, r, start_sample, stat=stat, source=source)
    try:
        _json_path(path).write_text(json.dumps(meta, indent=1) + "\n")
    except OSError as e:
        raise _fail(_json_path(path), e) from None
    return r


def save_waterfall(path: str | os.PathLike, wf: Waterfall) -> None:
    """Save a Waterfall as .npy (+ .json sidecar) or .npz, by the path's suffix."""
    path = Path(path)
    start = round(wf.times_s[0] * wf.settings.sample_rate - wf.settings.row_span / 2) if len(wf.times_s) else 0
    meta = waterfall_meta(wf.settings, wf.power_dbfs.shape[0], start, stat=wf.stat,
                          source=None if wf.info is None else wf.info.path)
    try:
        if path.suffix.lower() == ".npz":
            with open(path, "wb") as f:
                np.savez(f, power_dbfs=wf.power_dbfs, freqs_hz=wf.freqs_hz, times_s=wf.times_s,
                         meta=np.array(json.dumps(meta)))
        else:
            np.save(path, wf.power_dbfs.astype(np.float32, copy=False))
            _json_path(path).write_text(json.dumps(meta, indent=1) + "\n")
    except OSError as e:
        raise _fail(path, e) from None


def _settings_from(meta: dict) -> SpectrumSettings:
    return SpectrumSettings(**meta["settings"])


def load_waterfall(path: str | os.PathLike) -> Waterfall:
    """Read a waterfall written by `rfkit waterfall -o OUT.npy|OUT.npz` back as a Waterfall (info None)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".npz":
            with np.load(path) as z:
                meta = json.loads(str(z["meta"]))
                power = z["power_dbfs"]
        else:
            power = np.load(path, mmap_mode="r")
            meta = json.loads(_json_path(path).read_text())
        s = _settings_from(meta)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise FormatError(f"{os.fspath(path)!r} is not an rfkit waterfall (with its .json axes): {e}") from None
    n = power.shape[0]
    times = meta["time_start_s"] + meta["time_step_s"] * np.arange(n, dtype=np.float64)
    return Waterfall(power_dbfs=power, freqs_hz=s.freqs_hz, times_s=times, settings=s, stat=meta.get("stat", "mean"))


def write_psd_csv(path_or_file, p: Psd) -> None:
    """Write a Psd as CSV: freq_hz,power_dbfs,max_dbfs,min_dbfs (a path, or an open text file)."""
    table = np.column_stack([p.freqs_hz, p.mean_dbfs, p.max_dbfs, p.min_dbfs])
    header = ",".join(PSD_CSV_COLUMNS)
    fmt = ["%.3f", "%.4f", "%.4f", "%.4f"]
    if not isinstance(path_or_file, (str, os.PathLike)):
        np.savetxt(path_or_file, table, delimiter=",", header=header, comments="", fmt=fmt)
        return
    try:
        with open(path_or_file, "w") as f:
            np.savetxt(f, table, delimiter=",", header=header, comments="", fmt=fmt)
    except OSError as e:
        raise _fail(path_or_file, e) from None
