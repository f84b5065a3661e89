"""Record a stream to SigMF as it arrives: bytes as received, metadata valid at every moment.

The `.sigmf-meta` is written before the first sample and rewritten (atomically) every
`refresh_s` seconds, at every gap and at the end; the `.sigmf-data` grows by whole samples
(unbuffered writes), and SigMF takes the sample count from its length. So whatever stops the
recording (Ctrl-C, a full disk, an unplugged dongle, a killed server, a killed process) leaves
a pair that opens, holding every sample received.

Samples lost before they reached the recorder (the analysis fell behind, a reconnection) are not
filled in: the data file holds what was received, back to back. Each gap starts a new SigMF
capture segment whose `core:global_index` is the source's sample index, and gets an annotation
(`core:label` "dropped", `core:sample_count` 0, `rfkit:dropped_samples` = samples missing).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Self

import numpy as np

from .. import __version__
from ..errors import FormatError
from .capture import CaptureInfo
from .formats import sample_format
from .live import DROPPED_LABEL, utc_now_iso
from .writers import GAIN_KEY, sigmf_paths, write_sigmf_meta

__all__ = ["REFRESH_S", "SigmfRecorder"]

log = logging.getLogger("rfkit")

#: Seconds between rewrites of the metadata while recording.
REFRESH_S = 1.0


class SigmfRecorder:
    """Append stored samples (bytes as received) to a SigMF pair, keeping the metadata valid.

    Parameters
    ----------
    path : str or path
        `NAME`, `NAME.sigmf-meta` or `NAME.sigmf-data`.
    info : CaptureInfo
        The source's description (rate, centre frequency, datetime, hardware, gain).
    dtype : str
        Sample format of the bytes written (`cu8` for dongles and rtl_tcp).
    extra_global : dict, optional
        More `global` keys (e.g. `rfkit:source`).
    """

    def __init__(self, path, *, info: CaptureInfo, dtype: str = "cu8", extra_global: dict | None = None,
                 refresh_s: float = REFRESH_S):
        self.meta_path, self.data_path = sigmf_paths(path)
        self.info = info
        self.dtype = dtype
        self.fmt = sample_format(dtype)
        self.refresh_s = float(refresh_s)
        self.n_samples = 0  # samples in the data file
        self.dropped_samples = 0
        self.annotations: list[dict] = []
        self._extra = dict(extra_global or {})
        self._captures = [self._segment(0, None, info.datetime or utc_now_iso())]
        self._next_source = 0  # the source index expected next (sources count from 0)
        self._last_meta = 0.0
        self._fd: int | None = None
        self.write_meta()  # before any sample: the pair is valid from the start
        try:
            self._fd = os.open(self.data_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        except OSError as e:
            raise FormatError(f"cannot write {str(self.data_path)!r}: {e.strerror}") from None

    def _segment(self, sample_start: int, global_index: int | None, datetime: str | None) -> dict:
        seg: dict = {"core:sample_start": int(sample_start)}
        if global_index is not None:
            seg["core:global_index"] = int(global_index)
        if self.info.center_freq is not None:
            seg["core:frequency"] = float(self.info.center_freq)
        if datetime:
            seg["core:datetime"] = datetime
        if self.info.gain_db is not None:
            seg[GAIN_KEY] = float(self.info.gain_db)
        return seg

    def write_meta(self) -> None:
        """Rewrite the metadata now (atomically)."""
        extra = {"rfkit:version": __version__, **self._extra}
        gain_mode = self.info.extra.get("gain_mode") if self.info.extra else None
        if gain_mode:
            extra["rfkit:gain_mode"] = gain_mode
        if self.dropped_samples:
            extra["rfkit:dropped_samples"] = int(self.dropped_samples)
        write_sigmf_meta(self.meta_path, dtype=self.dtype, sample_rate=self.info.sample_rate,
                         hw=self.info.hw, annotations=self.annotations, extra_global=extra,
                         captures=self._captures)
        self._last_meta = time.monotonic()

    def write(self, data: np.ndarray, source_start: int | None = None) -> None:
        """Append stored components (`data`, a whole number of samples) received at `source_start`.

        A `source_start` beyond the end of what was written before marks a gap.
        """
        if self._fd is None:
            raise FormatError(f"{str(self.data_path)!r} is closed")
        buf = np.ascontiguousarray(data)
        n = buf.nbytes // self.fmt.bytes_per_sample
        if source_start is not None:
            if source_start > self._next_source:
                self._gap(source_start - self._next_source, source_start)
            self._next_source = source_start + n
        mv = memoryview(buf).cast("B")
        done = 0
        try:
            while done < len(mv):
                done += os.write(self._fd, mv[done:])
        except OSError as e:
            whole = done // self.fmt.bytes_per_sample
            self.n_samples += whole
            self._truncate()
            try:
                self.close()
            except FormatError as e2:  # no room for the metadata either: the last one stays
                log.warning("%s", e2)
            raise FormatError(f"cannot write {str(self.data_path)!r}: {e.strerror}; the recording "
                              f"holds the {self.n_samples} samples written before") from None
        self.n_samples += n
        if time.monotonic() - self._last_meta >= self.refresh_s:
            self.write_meta()

    def _gap(self, missing: int, source_start: int) -> None:
        self.dropped_samples += missing
        self._captures.append(self._segment(self.n_samples, source_start, None))
        self.annotations.append({
            "core:sample_start": int(self.n_samples),
            "core:sample_count": 0,
            "core:label": DROPPED_LABEL,
            "core:comment": f"{missing} samples lost before this one (not in the file)",
            "rfkit:dropped_samples": int(missing),
        })
        self.write_meta()

    def add_annotations(self, annotations: list[dict]) -> None:
        """Add annotations (e.g. detected events) in data-file sample indices."""
        self.annotations.extend(annotations)

    def _truncate(self) -> None:
        """Cut a partly written sample off the end of the data file."""
        try:
            os.ftruncate(self._fd, self.n_samples * self.fmt.bytes_per_sample)
        except OSError as e:
            log.warning("cannot trim %s to whole samples: %s", self.data_path, e.strerror)

    def close(self) -> None:
        """Close the data file and write the final metadata."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.fsync(fd)
        except OSError:
            pass
        os.close(fd)
        self.write_meta()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
