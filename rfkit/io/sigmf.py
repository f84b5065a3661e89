"""SigMF recordings: `.sigmf-meta` + `.sigmf-data` pairs and `.sigmf` tar archives, read and annotated.

Samples come through the raw reader's read-only memmap (`open_raw` with a byte offset and size),
so memory stays bounded by the block size; for an archive the memmap points into the tar file at
the data member's offset. Metadata is validated with the official `sigmf` package
(`sigmf.validate.validate`), and its key names come from `sigmf.keys`.

Why some of it is by hand rather than through `sigmf.fromfile` / `SigMFArchiveReader`:
- they validate strictly and stop at the first schema complaint, and say so in jsonschema's words;
  rfkit parses the JSON itself to say exactly what is wrong (not JSON, no `core:datatype`, no
  `core:sample_rate`, a real-valued datatype) and only *warns* on other schema problems, so a
  recording with, say, a slightly malformed datetime still opens;
- they hash the whole dataset on open unless told not to (seconds for GB files);
- rfkit needs the data's byte offset and size to share one memmap reader with raw files, and the
  archive reader keeps that offset private. Python's `tarfile` gives it in three lines.

Multi-channel recordings (`core:num_channels` > 1) and real-valued datatypes are refused with a
FormatError: rfkit analyses one complex IQ stream.
"""

from __future__ import annotations

import json
import logging
import os
import tarfile
from pathlib import Path

from sigmf import keys as K

from ..errors import FormatError, MetadataError, ParameterError
from .capture import Segment
from .formats import dtype_from_sigmf, sample_format
from .raw import RawCapture, open_raw
from .writers import GAIN_KEY, dump_meta, sigmf_meta, sigmf_paths, validate_sigmf_meta

__all__ = ["GAIN_KEY", "open_sigmf", "read_sigmf_meta", "write_annotations"]

log = logging.getLogger("rfkit")

META_EXT = ".sigmf-meta"
DATA_EXT = ".sigmf-data"
ARCHIVE_EXT = ".sigmf"


def _parse_meta(text: bytes, where: str) -> dict:
    """The metadata dict from JSON bytes, with the three top-level sections checked."""
    try:
        meta = json.loads(text)
    except UnicodeDecodeError:
        raise MetadataError(f"{where} is not SigMF metadata: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise MetadataError(f"{where} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except (ValueError, RecursionError) as e:
        raise MetadataError(f"{where} is not valid JSON ({type(e).__name__})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("global"), dict):
        raise MetadataError(f"{where} is not SigMF metadata: no \"global\" object")
    for section in ("captures", "annotations"):
        if not isinstance(meta.get(section, []), list) or not all(isinstance(x, dict) for x in meta.get(section, [])):
            raise MetadataError(f"{where}: \"{section}\" must be a list of objects")
    return meta


def read_sigmf_meta(meta_path: str | os.PathLike) -> dict:
    """The parsed `.sigmf-meta` of a pair (MetadataError if it is not JSON or not SigMF)."""
    p = Path(meta_path)
    try:
        text = p.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{str(p)!r}: no such file") from None
    except OSError as e:
        raise FormatError(f"cannot read {str(p)!r}: {e.strerror}") from None
    return _parse_meta(text, repr(str(p)))


def _check_schema(meta: dict, where: str) -> None:
    """Validate with the sigmf package; a complaint is logged, not fatal (rfkit checks what it needs)."""
    try:
        validate_sigmf_meta(meta, where=where)
    except MetadataError as e:
        log.warning("%s", e)


def _as_int(value, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MetadataError(f"{where}: {name}={value!r} must be a non-negative integer")
    return value


def _open_from_meta(
    meta: dict,
    data_path: Path,
    *,
    where: str,
    container: str,
    data_offset: int,
    data_size: int,
    rate: float | None,
    freq: float | None,
    dtype: str | None,
) -> RawCapture:
    glob = meta["global"]
    if K.DATATYPE_KEY not in glob:
        raise MetadataError(f"{where} lacks {K.DATATYPE_KEY} (the sample format, e.g. \"ci16_le\")")
    try:
        file_dtype = dtype_from_sigmf(glob[K.DATATYPE_KEY])
    except FormatError as e:
        raise FormatError(f"{where}: {e}") from None
    if dtype is not None and dtype != file_dtype:
        log.warning("%s: reading as %s although %s says %s", where, dtype, K.DATATYPE_KEY, glob[K.DATATYPE_KEY])
    dtype = dtype or file_dtype
    channels = glob.get(K.NUM_CHANNELS_KEY, 1)
    if channels != 1:
        raise FormatError(
            f"{where}: {K.NUM_CHANNELS_KEY}={channels!r}; rfkit reads single-channel recordings only "
            "(split the channels first)"
        )
    if glob.get(K.METADATA_ONLY_KEY):
        raise FormatError(f"{where} is metadata only ({K.METADATA_ONLY_KEY}): there are no samples to read")
    file_rate = glob.get(K.SAMPLE_RATE_KEY)
    if rate is None:
        if file_rate is None:
            raise MetadataError(f"{where} lacks {K.SAMPLE_RATE_KEY}; give the sample rate with --rate")
        if isinstance(file_rate, bool) or not isinstance(file_rate, (int, float)) or not file_rate > 0:
            raise MetadataError(f"{where}: {K.SAMPLE_RATE_KEY}={file_rate!r} must be a positive number (Hz)")
        rate = float(file_rate)

    caps = sorted(meta.get("captures") or [{K.SAMPLE_START_KEY: 0}],
                  key=lambda c: c.get(K.SAMPLE_START_KEY, 0) if isinstance(c.get(K.SAMPLE_START_KEY, 0), int) else 0)
    segments = []
    for c in caps:
        start = _as_int(c.get(K.SAMPLE_START_KEY, 0), K.SAMPLE_START_KEY, where)
        f = c.get(K.FREQUENCY_KEY)
        f = float(f) if isinstance(f, (int, float)) and not isinstance(f, bool) else None
        dt = c.get(K.DATETIME_KEY)
        segments.append(Segment(start, f, dt if isinstance(dt, str) else None))
    header = _as_int(caps[0].get(K.HEADER_BYTES_KEY, 0), K.HEADER_BYTES_KEY, where)
    if any(c.get(K.HEADER_BYTES_KEY, 0) for c in caps[1:]):
        raise FormatError(f"{where}: {K.HEADER_BYTES_KEY} inside the data (after the first capture) is not supported")
    trailing = _as_int(glob.get(K.TRAILING_BYTES_KEY, 0), K.TRAILING_BYTES_KEY, where)

    size = data_size - header - trailing
    if size <= 0:
        raise FormatError(f"{str(data_path)!r} is empty: no samples to read")
    gain = caps[0].get(GAIN_KEY)
    gain = float(gain) if isinstance(gain, (int, float)) and not isinstance(gain, bool) else None
    hw = glob.get(K.HW_KEY)
    center = freq if freq is not None else segments[0].center_freq
    anns = sorted(meta.get("annotations") or [],
                  key=lambda a: a.get(K.SAMPLE_START_KEY, 0) if isinstance(a.get(K.SAMPLE_START_KEY, 0), int) else 0)
    cap = open_raw(
        data_path,
        dtype=dtype,
        sample_rate=rate,
        center_freq=center,
        offset=data_offset + header,
        size=size,
        container=container,
        datetime=segments[0].datetime,
        hw=hw if isinstance(hw, str) else None,
        gain_db=gain,
        segments=tuple(segments),
        extra={"sigmf_global": dict(glob), "sigmf_captures": [dict(c) for c in caps]},
    )
    cap.annotations = [dict(a) for a in anns]
    if cap.info.leftover_bytes:
        log.warning("%s: %d trailing bytes do not make a whole %s sample", where, cap.info.leftover_bytes, dtype)
    return cap


def _open_archive(path: Path, **overrides) -> RawCapture:
    where = repr(str(path))
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by `with tar` below; uncompressed only
    except tarfile.ReadError:
        raise FormatError(
            f"{where} is not an uncompressed SigMF tar archive (compressed archives cannot be streamed; "
            "unpack it and open the .sigmf-meta)"
        ) from None
    except OSError as e:
        raise FormatError(f"cannot read {where}: {e.strerror}") from None
    with tar:
        try:
            members = [m for m in tar.getmembers() if m.isfile()]
        except (tarfile.TarError, OSError) as e:
            raise FormatError(f"{where} is a damaged tar archive: {e}") from None
        metas = sorted((m for m in members if m.name.endswith(META_EXT)), key=lambda m: m.name)
        if not metas:
            raise FormatError(f"{where} holds no {META_EXT} file")
        if len(metas) > 1:
            log.warning("%s holds %d recordings; reading the first, %s", where, len(metas), metas[0].name)
        meta_m = metas[0]
        fobj = tar.extractfile(meta_m)
        meta = _parse_meta(fobj.read() if fobj else b"", f"{where} ({meta_m.name})")
        want = meta_m.name[: -len(META_EXT)] + DATA_EXT
        dataset = meta["global"].get(K.DATASET_KEY)
        data_m = next((m for m in members if m.name == want), None)
        if data_m is None and isinstance(dataset, str):
            data_m = next((m for m in members if Path(m.name).name == dataset), None)
        if data_m is None:
            raise FormatError(f"{where} holds {meta_m.name} but not its data file {want}")
        _check_schema(meta, f"{where} ({meta_m.name})")
        return _open_from_meta(meta, path, where=f"{where} ({meta_m.name})", container="sigmf-archive",
                               data_offset=data_m.offset_data, data_size=data_m.size, **overrides)


def open_sigmf(
    path: str | os.PathLike,
    *,
    rate: float | None = None,
    freq: float | None = None,
    dtype: str | None = None,
) -> RawCapture:
    """Open a SigMF recording (either file of a pair, or a `.sigmf` archive) as a Capture.

    Parameters
    ----------
    path : str or path
        `NAME.sigmf-meta`, `NAME.sigmf-data` or `NAME.sigmf` (uncompressed tar archive).
    rate, freq : float, optional
        Sample rate and centre frequency in Hz, overriding `core:sample_rate` and the first
        capture's `core:frequency` (the per-segment frequencies in `info.segments` stay as written).
    dtype : str, optional
        rfkit sample format overriding `core:datatype` (for a file that states it wrongly).

    The capture's `info` holds `datetime` (first capture's `core:datetime`), `hw` (`core:hw`),
    `gain_db` (first capture's `capture_details:gain`), `segments` (one a `captures` entry) and
    `extra["sigmf_global"]`; `annotations` holds the SigMF annotations sorted by sample start.
    """
    if rate is not None and not rate > 0:
        raise ParameterError(f"{rate=} must be a positive sample rate in Hz")
    if dtype is not None:
        sample_format(dtype)
    p = Path(path)
    overrides = {"rate": rate, "freq": freq, "dtype": dtype}
    if p.is_dir():
        raise FormatError(f"{str(p)!r} is a directory, not a recording")
    if p.suffix == ARCHIVE_EXT:
        if not p.exists():
            raise FormatError(f"{str(p)!r}: no such file")
        return _open_archive(p, **overrides)
    if p.suffix not in (META_EXT, DATA_EXT):
        raise FormatError(f"{str(p)!r} is not SigMF: expected {META_EXT}, {DATA_EXT} or {ARCHIVE_EXT}")
    meta_path, data_path = sigmf_paths(p)
    if not meta_path.exists():
        raise FormatError(f"{str(meta_path)!r}: no such file (a SigMF pair needs its {META_EXT})")
    meta = read_sigmf_meta(meta_path)
    where = repr(str(meta_path))
    dataset = meta["global"].get(K.DATASET_KEY)
    if isinstance(dataset, str) and dataset and not data_path.exists():
        data_path = meta_path.parent / dataset  # a non-conforming dataset named in the metadata
    if not data_path.exists():
        raise FormatError(f"{str(data_path)!r}: no such file (the samples of {where} are missing)")
    if data_path.is_dir():
        raise FormatError(f"{str(data_path)!r} is a directory, not a SigMF dataset")
    _check_schema(meta, where)
    return _open_from_meta(meta, data_path, where=where, container="sigmf", data_offset=0,
                           data_size=data_path.stat().st_size, **overrides)


def write_annotations(
    meta_path: str | os.PathLike,
    annotations: list[dict],
    *,
    replace: bool = False,
    info=None,
    data_path: str | os.PathLike | None = None,
) -> Path:
    """Add SigMF annotations to a `.sigmf-meta`, creating it from `info` where it does not exist.

    Parameters
    ----------
    meta_path : path
        The `.sigmf-meta` to update (rewritten atomically) or create.
    annotations : list of dict
        SigMF annotation objects (`core:sample_start` required), e.g. from
        `rfkit.detection.events.event_to_annotation`.
    replace : bool
        Drop the annotations an earlier rfkit run wrote (`core:generator` starting with "rfkit")
        before adding these; annotations from anyone else are kept. Default: append.
    info : CaptureInfo, optional
        Needed only to create a new file: sample format, rate, centre frequency, segments, start
        time, hardware and gain of the analysed recording (a SigMF source's global fields carry over).
    data_path : path, optional
        The recording the annotations describe, where it is not `NAME.sigmf-data` beside the
        metadata: it is named in `core:dataset` (a SigMF non-conforming dataset), relative to the
        metadata's folder where possible.

    The result validates with the sigmf package. Returns the metadata path.
    """
    meta_path = Path(meta_path)
    if meta_path.suffix != META_EXT:
        raise ParameterError(f"meta_path={str(meta_path)!r} must end in {META_EXT}")
    new = [dict(a) for a in annotations]
    for a in new:
        if not isinstance(a.get(K.SAMPLE_START_KEY), int) or a[K.SAMPLE_START_KEY] < 0:
            raise ParameterError(f"annotation {a!r} needs a non-negative integer {K.SAMPLE_START_KEY}")
    if meta_path.exists():
        meta = read_sigmf_meta(meta_path)
        try:
            validate_sigmf_meta(meta, where=repr(str(meta_path)))
            was_valid = True
        except MetadataError as e:  # someone else's file: annotate it anyway, say so
            log.warning("%s (annotations are added all the same)", e)
            was_valid = False
        old = meta.get("annotations") or []
        if replace:
            old = [a for a in old if not str(a.get(K.GENERATOR_KEY, "")).startswith("rfkit")]
        meta["annotations"] = sorted(old + new, key=lambda a: a.get(K.SAMPLE_START_KEY, 0))
        meta.setdefault("captures", [])
        from .writers import _declare_extensions

        _declare_extensions(meta)
        if was_valid:
            validate_sigmf_meta(meta, where=f"{str(meta_path)!r} with the new annotations")
    else:
        if info is None:
            raise ParameterError(
                f"{str(meta_path)!r} does not exist; pass info= (the recording's CaptureInfo) to create it"
            )
        extra = dict(info.extra.get("sigmf_global", {})) if info.extra else {}
        extra.pop(K.DATASET_KEY, None)
        if data_path is not None:
            d = Path(data_path)
            if d.resolve() != sigmf_paths(meta_path)[1].resolve():
                try:
                    name = os.path.relpath(d.resolve(), meta_path.resolve().parent)
                except ValueError:
                    name = str(d.resolve())
                extra[K.DATASET_KEY] = name
        captures = None
        if info.segments and (len(info.segments) > 1 or info.segments[0].sample_start):
            captures = []
            for s in info.segments:
                c = {K.SAMPLE_START_KEY: int(s.sample_start)}
                if s.center_freq is not None:
                    c[K.FREQUENCY_KEY] = float(s.center_freq)
                if s.datetime:
                    c[K.DATETIME_KEY] = s.datetime
                captures.append(c)
        meta = sigmf_meta(dtype=info.dtype, sample_rate=info.sample_rate, center_freq=info.center_freq,
                          datetime=info.datetime, hw=info.hw, gain_db=info.gain_db, annotations=new,
                          extra_global=extra, captures=captures)
    dump_meta(meta_path, meta)
    return meta_path
