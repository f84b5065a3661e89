"""Raw interleaved IQ files (cu8, cs8, cs16, cf32, cf64, ...), read through a read-only memmap."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..dsp.convert import to_complex64
from ..errors import FormatError
from .capture import Capture, CaptureInfo, Segment
from .formats import SampleFormat, sample_format

__all__ = ["RawCapture", "open_raw"]


class RawCapture(Capture):
    """Samples of one sample format stored back to back from `offset` bytes into a file."""

    def __init__(self, path: Path, fmt: SampleFormat, info: CaptureInfo, *, offset: int = 0,
                 annotations: list[dict] | None = None):
        super().__init__(info, annotations)
        self.fmt = fmt
        n = info.n_samples or 0
        self._mm = (
            np.memmap(path, dtype=fmt.component, mode="r", offset=offset, shape=(2 * n,))
            if n
            else np.zeros(0, dtype=fmt.component)
        )

    def _read(self, start: int, count: int) -> np.ndarray:
        return to_complex64(np.asarray(self._mm[2 * start : 2 * (start + count)]), self.fmt)

    def raw(self, start: int, count: int) -> np.ndarray:
        """The stored components of samples start..start+count, untouched (for lossless copies)."""
        return np.asarray(self._mm[2 * start : 2 * (start + count)])

    def close(self) -> None:
        mm = getattr(self._mm, "_mmap", None)
        self._mm = np.zeros(0, dtype=self.fmt.component)
        if mm is not None:
            mm.close()


def open_raw(
    path: Path,
    *,
    dtype: str,
    sample_rate: float,
    center_freq: float | None = None,
    offset: int = 0,
    size: int | None = None,
    container: str = "raw",
    **info_fields,
) -> RawCapture:
    """Open `size` bytes (to the end of the file where None) at `offset` as `dtype` samples."""
    fmt = sample_format(dtype)
    total = path.stat().st_size - offset if size is None else size
    if total <= 0:
        raise FormatError(f"{str(path)!r} is empty: no samples to read")
    n = total // fmt.bytes_per_sample
    leftover = total - n * fmt.bytes_per_sample
    if n == 0:
        raise FormatError(
            f"{str(path)!r} holds {total} bytes, less than one {dtype} sample ({fmt.bytes_per_sample} bytes)"
        )
    info = CaptureInfo(
        format=container,
        dtype=dtype,
        sample_rate=float(sample_rate),
        center_freq=center_freq,
        n_samples=int(n),
        path=str(path),
        leftover_bytes=int(leftover),
        **info_fields,
    )
    if not info.segments:
        info = info.replace(segments=(Segment(0, center_freq, info.datetime),))
    return RawCapture(path, fmt, info, offset=offset)
