"""Writers: complex64 samples (full scale 1.0) -> raw cu8/cs8/cs16/cf32/cf64 files and SigMF recordings.

SigMF metadata is assembled here as a plain dict and checked with the official `sigmf` package's
validator (`sigmf.validate.validate`) before it is written: every `.sigmf-meta` rfkit writes validates.
The JSON is written by hand (atomically, through a temporary file) rather than with `SigMFFile.tofile`
because rfkit streams the data file block by block and `SigMFFile` wants the whole dataset (it hashes
and sizes it) before it writes the metadata; `.sigmf` archives are written with `sigmf.SigMFArchive`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import warnings
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import FormatError, MetadataError, ParameterError
from .formats import SIGMF_DATATYPES, SampleFormat, sample_format, sigmf_datatype

__all__ = [
    "GAIN_KEY",
    "SIGMF_DATATYPES",
    "SIGMF_VERSION",
    "convert_capture",
    "output_kind",
    "sigmf_meta",
    "sigmf_paths",
    "to_stored",
    "validate_sigmf_meta",
    "write_raw",
    "write_sigmf",
    "write_sigmf_archive",
    "write_sigmf_meta",
]

#: The SigMF specification version rfkit writes.
SIGMF_VERSION = "1.2.0"
#: Receiver gain in dB: SigMF core has no gain field; the `capture_details` extension has one.
GAIN_KEY = "capture_details:gain"
#: Versions of the extension namespaces rfkit writes (declared in `core:extensions`).
_EXTENSION_VERSIONS = {"capture_details": "1.0.0", "rfkit": __version__}


def to_stored(samples: np.ndarray, fmt: SampleFormat | str) -> np.ndarray:
    """Interleaved stored components for complex samples: rounded and clipped for integers."""
    if isinstance(fmt, str):
        fmt = sample_format(fmt)
    x = np.asarray(samples)
    if fmt.is_float:
        inter = np.empty(2 * x.size, dtype=fmt.component)
        inter[0::2] = x.real
        inter[1::2] = x.imag
        return inter
    if fmt.component.itemsize <= 2 and x.dtype == np.complex64:
        from ..dsp.convert import from_complex64  # numba kernels for the common integer formats

        return from_complex64(x, fmt)
    inter = np.empty(2 * x.size, dtype=np.float64)
    inter[0::2] = x.real
    inter[1::2] = x.imag
    info = np.iinfo(fmt.component)
    v = np.rint(inter * fmt.scale + fmt.offset)
    return np.clip(v, info.min, info.max).astype(fmt.component)


def write_raw(path: str | os.PathLike, samples: np.ndarray, *, dtype: str, append: bool = False) -> int:
    """Write samples to a raw interleaved file of `dtype`; returns the number of samples written."""
    fmt = sample_format(dtype)
    data = to_stored(samples, fmt)
    try:
        with open(path, "ab" if append else "wb") as f:
            data.tofile(f)
    except OSError as e:
        raise FormatError(f"cannot write {os.fspath(path)!r}: {e.strerror}") from None
    return np.asarray(samples).size


def sigmf_paths(path: str | os.PathLike) -> tuple[Path, Path]:
    """(meta, data) paths of a SigMF pair named by either file or by their common stem."""
    p = Path(path)
    base = p.with_suffix("") if p.suffix in (".sigmf-meta", ".sigmf-data") else p
    return Path(f"{base}.sigmf-meta"), Path(f"{base}.sigmf-data")


def _now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _declare_extensions(meta: dict) -> None:
    """Add every non-core namespace used in `meta` to `core:extensions` (SigMF asks for it)."""
    used = set()
    for section in (meta["global"], *meta["captures"], *meta["annotations"]):
        used.update(k.split(":", 1)[0] for k in section if ":" in k)
    used.discard("core")
    glob = meta["global"]
    declared = {e.get("name") for e in glob.get("core:extensions", []) if isinstance(e, dict)}
    missing = sorted(used - declared)
    if missing:
        glob["core:extensions"] = list(glob.get("core:extensions", [])) + [
            {"name": ns, "version": _EXTENSION_VERSIONS.get(ns, "0.0.0"), "optional": True} for ns in missing
        ]


def validate_sigmf_meta(meta: dict, *, where: str = "SigMF metadata") -> None:
    """Check `meta` with the sigmf package's validator; MetadataError naming the first problem."""
    import jsonschema
    from sigmf.validate import validate

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # undeclared extensions: we declare ours
            validate(meta)
    except jsonschema.ValidationError as e:
        path = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        raise MetadataError(f"{where} does not validate as SigMF at {path}: {e.message}") from None
    except (KeyError, TypeError) as e:
        raise MetadataError(f"{where} does not validate as SigMF: missing or malformed {e}") from None


def sigmf_meta(
    *,
    dtype: str,
    sample_rate: float,
    center_freq: float | None = None,
    datetime: str | None = None,
    hw: str | None = None,
    gain_db: float | None = None,
    annotations: list[dict] | None = None,
    extra_global: dict | None = None,
    captures: list[dict] | None = None,
    sha512: str | None = None,
) -> dict:
    """The SigMF metadata dict (global, captures, annotations) for `dtype` samples at `sample_rate` Hz.

    `captures` replaces the single capture built from center_freq/datetime/gain_db where given
    (one dict a segment, SigMF keys). Annotations are sorted by `core:sample_start`. Non-core
    namespaces used anywhere are declared in `core:extensions`. The result is validated.
    """
    if not (isinstance(sample_rate, (int, float)) and sample_rate > 0):
        raise ParameterError(f"{sample_rate=} must be a positive sample rate in Hz")
    glob = {
        "core:datatype": sigmf_datatype(dtype),
        "core:sample_rate": float(sample_rate),
        "core:version": SIGMF_VERSION,
        "core:recorder": f"rfkit {__version__}",
    }
    if hw:
        glob["core:hw"] = str(hw)
    for k, v in (extra_global or {}).items():
        if k not in ("core:datatype", "core:sample_rate", "core:version", "core:sha512", "core:num_channels"):
            glob[k] = v
    if sha512:
        glob["core:sha512"] = sha512
    if captures is None:
        cap: dict = {"core:sample_start": 0}
        if center_freq is not None:
            cap["core:frequency"] = float(center_freq)
        cap["core:datetime"] = datetime or _now_iso()
        if gain_db is not None:
            cap[GAIN_KEY] = float(gain_db)
        captures = [cap]
    else:
        captures = sorted((dict(c) for c in captures), key=lambda c: c.get("core:sample_start", 0))
    anns = sorted((dict(a) for a in annotations or []), key=lambda a: a.get("core:sample_start", 0))
    meta = {"global": glob, "captures": captures, "annotations": anns}
    _declare_extensions(meta)
    validate_sigmf_meta(meta)
    return meta


def dump_meta(meta_path: str | os.PathLike, meta: dict) -> None:
    """Write a metadata dict as JSON, atomically (a reader never sees half a file)."""
    tmp = Path(f"{os.fspath(meta_path)}.tmp")
    try:
        tmp.write_text(json.dumps(meta, indent=2) + "\n")
        os.replace(tmp, meta_path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise FormatError(f"cannot write {os.fspath(meta_path)!r}: {e.strerror}") from None


def write_sigmf_meta(meta_path: str | os.PathLike, **fields) -> dict:
    """Write the `.sigmf-meta` JSON (fields as for `sigmf_meta`); returns the metadata written."""
    meta = sigmf_meta(**fields)
    dump_meta(meta_path, meta)
    return meta


def write_sigmf(
    path: str | os.PathLike,
    samples: np.ndarray,
    *,
    sample_rate: float,
    dtype: str = "cf32",
    center_freq: float | None = None,
    datetime: str | None = None,
    hw: str | None = None,
    gain_db: float | None = None,
    annotations: list[dict] | None = None,
    extra_global: dict | None = None,
    captures: list[dict] | None = None,
) -> Path:
    """Write complex samples (full scale 1.0) as SigMF; returns the path of the metadata.

    `path` names the pair (`NAME`, `NAME.sigmf-meta` or `NAME.sigmf-data`: writes both files) or
    an archive (`NAME.sigmf`: one tar holding both, written with the sigmf package).
    The metadata carries `core:sha512` of the data and validates with the sigmf package.
    """
    fields = {"dtype": dtype, "sample_rate": sample_rate, "center_freq": center_freq, "datetime": datetime,
              "hw": hw, "gain_db": gain_db, "annotations": annotations, "extra_global": extra_global,
              "captures": captures}
    sigmf_meta(**fields)  # validate before touching the disk
    data = to_stored(samples, sample_format(dtype))
    if Path(path).suffix == ".sigmf":
        return write_sigmf_archive(path, data, **fields)
    meta_path, data_path = sigmf_paths(path)
    try:
        data.tofile(data_path)
    except OSError as e:
        raise FormatError(f"cannot write {str(data_path)!r}: {e.strerror}") from None
    sha = hashlib.sha512(data.tobytes()).hexdigest()
    write_sigmf_meta(meta_path, sha512=sha, **fields)
    return meta_path


def write_sigmf_archive(path: str | os.PathLike, stored: np.ndarray | str | os.PathLike, **fields) -> Path:
    """Write a `.sigmf` tar archive of stored components (an array, or a file of them) with `sigmf`."""
    import tempfile

    from sigmf import SigMFFile
    from sigmf.error import SigMFError

    path = Path(path)
    name = path.name.removesuffix(".sigmf")
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        if isinstance(stored, np.ndarray):
            data_file = Path(tmp) / f"{name}.sigmf-data"
            stored.tofile(data_file)
        else:
            data_file = Path(stored)
        meta = sigmf_meta(**fields)
        try:
            sf = SigMFFile(metadata=meta)
            sf.set_data_file(data_file)  # computes core:sha512
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sf.archive(str(path), overwrite=True)
        except (SigMFError, OSError) as e:
            raise FormatError(f"cannot write SigMF archive {str(path)!r}: {e}") from None
    return path


# -- streaming conversion (rfkit convert) --------------------------------------------------------

#: Output containers by extension; raw ones carry their sample format.
_OUT_RAW = {".cu8": "cu8", ".cs8": "cs8", ".cs16": "cs16", ".cf32": "cf32", ".cf64": "cf64",
            ".fc32": "cf32", ".cfile": "cf32", ".complex": "cf32", ".bin": None, ".iq": None, ".dat": None}
_OUT_SIGMF = (".sigmf-meta", ".sigmf-data")


def output_kind(path: str | os.PathLike) -> tuple[str, str | None]:
    """(container, sample format or None) that rfkit writes for an output path, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix in _OUT_RAW:
        return "raw", _OUT_RAW[suffix]
    if suffix in _OUT_SIGMF:
        return "sigmf", None
    if suffix == ".sigmf":
        return "sigmf-archive", None
    allowed = " ".join([*_OUT_RAW, *_OUT_SIGMF, ".sigmf"])
    raise FormatError(f"{os.fspath(path)!r}: rfkit cannot write {suffix or 'files without an extension'!r}; "
                      f"use one of {allowed}")


def _captures_of(info) -> list[dict] | None:
    if not info.segments:
        return None
    out = []
    for i, s in enumerate(info.segments):
        c: dict = {"core:sample_start": int(s.sample_start)}
        freq = info.center_freq if i == 0 and info.center_freq is not None else s.center_freq
        if freq is not None:
            c["core:frequency"] = float(freq)
        if s.datetime or (i == 0 and info.datetime):
            c["core:datetime"] = s.datetime or info.datetime
        if i == 0 and info.gain_db is not None:
            c[GAIN_KEY] = float(info.gain_db)
        out.append(c)
    return out


def convert_capture(
    cap,
    out_path: str | os.PathLike,
    *,
    dtype: str | None = None,
    block_size: int = 1 << 20,
    on_block=None,
) -> tuple[Path, int]:
    """Stream a Capture into a raw or SigMF file, block by block; returns (path written, samples).

    The output container comes from `out_path`'s extension (`.cu8 .cs8 .cs16 .cf32 .cf64 ...`,
    `.sigmf-meta`/`.sigmf-data` for a pair, `.sigmf` for an archive); the sample format from `dtype`,
    else the extension, else (SigMF) the input's. Where the sample format does not change, the stored
    components are copied untouched (bit-exact); otherwise samples go through complex64 (exact from
    8- and 16-bit integers to cf32 and back). NaN/Inf are written as 0 and counted in
    `cap.nonfinite`. SigMF output keeps rate, segments, start time, hardware, gain, the source's
    global fields (author, licence, description) and the annotations, and carries `core:sha512`.
    `on_block(n)` is called after each block (progress bars).
    """
    import tempfile

    container, ext_dtype = output_kind(out_path)
    if dtype is not None and ext_dtype is not None and dtype != ext_dtype:
        raise ParameterError(f"--to-dtype {dtype} contradicts the extension of {os.fspath(out_path)!r} ({ext_dtype})")
    dtype = dtype or ext_dtype or (cap.info.dtype if container != "raw" else None)
    if dtype is None:
        raise ParameterError(f"{os.fspath(out_path)!r}: the extension does not say the sample format; "
                             "give it with --to-dtype cu8|cs8|cs16|cf32|cf64")
    fmt = sample_format(dtype)
    if container != "raw":
        sigmf_datatype(dtype)
    if block_size <= 0:
        raise ParameterError(f"{block_size=} must be a positive number of samples")
    info = cap.info
    if info.n_samples is None:
        raise ParameterError("convert needs a recording of known length, not a live source")

    out_path = Path(out_path)
    if container == "sigmf":
        meta_path, data_path = sigmf_paths(out_path)
    elif container == "sigmf-archive":
        meta_path, data_path = None, Path(tempfile.mkstemp(suffix=".sigmf-data", dir=out_path.parent)[1])
    else:
        meta_path, data_path = None, out_path
    src = Path(info.path).resolve() if info.path else None
    if src is not None and data_path.resolve() == src:
        raise ParameterError(f"{str(out_path)!r} would overwrite the input it is read from")

    same = getattr(cap, "fmt", None) == fmt and hasattr(cap, "raw")
    sha = hashlib.sha512()
    n = 0
    try:
        with open(data_path, "wb") as f:
            for pos in range(0, info.n_samples, block_size):
                count = min(block_size, info.n_samples - pos)
                if same:
                    comps = cap.raw(pos, count)
                    if fmt.is_float and not np.isfinite(comps).all():
                        comps = comps.copy()
                        bad = ~np.isfinite(comps)
                        if bad.any():
                            pair = bad.reshape(-1, 2).any(axis=1)
                            nan = int(np.isnan(comps).reshape(-1, 2).any(axis=1).sum())
                            cap.nonfinite += int(pair.sum())
                            cap.nan_samples += nan
                            cap.inf_samples += int(pair.sum()) - nan
                            comps[bad] = 0
                else:
                    comps = to_stored(cap.read(pos, count), fmt)
                b = comps.tobytes()
                f.write(b)
                if container != "raw":
                    sha.update(b)
                n += count
                if on_block is not None:
                    on_block(count)
    except OSError as e:
        data_path.unlink(missing_ok=True)
        raise FormatError(f"cannot write {str(data_path)!r}: {e.strerror}") from None

    if container == "raw":
        return out_path, n
    sg = dict(info.extra.get("sigmf_global", {})) if info.extra else {}
    for k in ("core:dataset", "core:trailing_bytes", "core:metadata_only", "core:recorder", "core:hw"):
        sg.pop(k, None)
    if info.path and "core:description" not in sg:
        sg["core:description"] = f"converted by rfkit from {Path(info.path).name}"
    fields = {"dtype": dtype, "sample_rate": info.sample_rate, "center_freq": info.center_freq,
              "datetime": info.datetime, "hw": info.hw, "gain_db": info.gain_db,
              "annotations": list(getattr(cap, "annotations", []) or []), "extra_global": sg,
              "captures": _captures_of(info)}
    if container == "sigmf":
        write_sigmf_meta(meta_path, sha512=sha.hexdigest(), **fields)
        return meta_path, n
    try:
        write_sigmf_archive(out_path, data_path, **fields)
    finally:
        data_path.unlink(missing_ok=True)
    return out_path, n
