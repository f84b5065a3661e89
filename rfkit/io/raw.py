"""Raw interleaved IQ files (cu8, cs8, cs16, cf32, cf64, ...), read through a read-only memmap.

The samples may sit in one run of bytes (a raw file, a SigMF dataset, a member of a tar archive)
or in several (the `data` chunks of a WAV file): a capture is a list of byte extents of one
sample format, mapped once. Pages are handed back to the kernel (`madvise(MADV_DONTNEED)`) as soon
as a read has converted them, so that streaming a file of any size keeps the resident set bounded
by the block size: a plain memmap would keep every page it touched resident, and count it.
"""

from __future__ import annotations

import bisect
import mmap
from pathlib import Path

import numpy as np

from ..dsp.convert import to_complex64
from ..errors import FormatError, ParameterError
from .capture import Capture, CaptureInfo, Segment
from .formats import SampleFormat, sample_format

__all__ = ["RawCapture", "open_raw"]

_PAGE = mmap.PAGESIZE
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)


class RawCapture(Capture):
    """Samples of one sample format stored back to back in one or more byte extents of a file.

    `extents` is a list of (byte offset in the file, number of samples), in sample order.
    """

    def __init__(self, path: Path, fmt: SampleFormat, info: CaptureInfo, *,
                 extents: list[tuple[int, int]], annotations: list[dict] | None = None):
        super().__init__(info, annotations)
        self.fmt = fmt
        bps = fmt.bytes_per_sample
        extents = [(int(o), int(n)) for o, n in extents if n > 0]
        self._starts = []  # first sample index of each extent
        self._offsets = []  # byte offset of each extent, relative to the mapped base
        self._counts = []
        self._mm = None
        self._pending = None  # (start, count) handed out by raw(), released at the next read
        self._delta = 0  # bytes between the start of the mmap object and the mapped base
        if extents:
            base = min(o for o, _ in extents)
            end = max(o + n * bps for o, n in extents)
            self._mm = np.memmap(path, dtype=np.uint8, mode="r", offset=base, shape=(end - base,))
            self._delta = base % mmap.ALLOCATIONGRANULARITY
            pos = 0
            for o, n in extents:
                self._starts.append(pos)
                self._offsets.append(o - base)
                self._counts.append(n)
                pos += n

    def _components(self, start: int, count: int) -> np.ndarray:
        """Stored components of samples start..start+count (a view where they are contiguous)."""
        if count <= 0 or self._mm is None:
            return np.zeros(0, dtype=self.fmt.component)
        bps = self.fmt.bytes_per_sample
        i = bisect.bisect_right(self._starts, start) - 1
        parts = []
        while count > 0 and i < len(self._starts):
            skip = start - self._starts[i]
            take = min(count, self._counts[i] - skip)
            a = self._offsets[i] + skip * bps
            parts.append(self._mm[a : a + take * bps].view(self.fmt.component))
            start += take
            count -= take
            i += 1
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _release(self, start: int, count: int) -> None:
        """Drop the pages of samples start..start+count from the resident set (they reload on demand)."""
        mm = getattr(self._mm, "_mmap", None)
        if mm is None or _DONTNEED is None or count <= 0:
            return
        bps = self.fmt.bytes_per_sample
        i = bisect.bisect_right(self._starts, start) - 1
        j = bisect.bisect_right(self._starts, start + count - 1) - 1
        a = self._delta + self._offsets[i] + (start - self._starts[i]) * bps
        b = self._delta + self._offsets[j] + (start + count - self._starts[j]) * bps
        lo, hi = (a // _PAGE) * _PAGE, (b // _PAGE) * _PAGE
        if hi > lo:
            try:
                mm.madvise(_DONTNEED, lo, hi - lo)
            except (OSError, ValueError):
                pass

    def _read(self, start: int, count: int) -> np.ndarray:
        self._release_pending()
        out = to_complex64(np.asarray(self._components(start, count)), self.fmt)
        self._release(start, count)
        return out

    def _release_pending(self) -> None:
        if self._pending is not None:
            self._release(*self._pending)
            self._pending = None

    def raw(self, start: int, count: int) -> np.ndarray:
        """The stored components of samples start..start+count, untouched (for lossless copies).

        A read-only view into the file where the samples are contiguous. Its pages are released
        from memory at the next read, so use it before reading further (or copy it).
        """
        n = self.info.n_samples or 0
        if not 0 <= start <= n or count < 0:
            raise ParameterError(f"{start=} and {count=} must lie within n_samples={n}")
        count = min(count, n - start)
        self._release_pending()
        out = np.asarray(self._components(start, count))
        self._pending = (start, count)
        return out

    def close(self) -> None:
        mm = getattr(self._mm, "_mmap", None)
        self._mm = None
        self._starts, self._offsets, self._counts = [], [], []
        if mm is not None:
            try:
                mm.close()
            except BufferError:  # a caller still holds a view; the map goes when it does
                pass


def open_raw(
    path: Path,
    *,
    dtype: str,
    sample_rate: float,
    center_freq: float | None = None,
    offset: int = 0,
    size: int | None = None,
    extents: list[tuple[int, int]] | None = None,
    container: str = "raw",
    **info_fields,
) -> RawCapture:
    """Open `size` bytes (to the end of the file where None) at `offset` as `dtype` samples.

    `extents` — (byte offset, byte size) of each run of samples, in order — replaces offset/size
    for files whose samples are split into chunks (WAV). Bytes past the last whole sample of each
    run are counted in `info.leftover_bytes` and not read.
    """
    path = Path(path)
    fmt = sample_format(dtype)
    bps = fmt.bytes_per_sample
    if extents is None:
        try:
            file_size = path.stat().st_size
        except OSError as e:
            raise FormatError(f"cannot read {str(path)!r}: {e.strerror}") from None
        total = file_size - offset if size is None else size
        if size is not None and offset + size > file_size:
            raise FormatError(
                f"{str(path)!r} holds {file_size} bytes, fewer than the {offset + size} its metadata promises"
            )
        extents = [(offset, max(total, 0))]
    total = sum(s for _, s in extents)
    if total <= 0:
        raise FormatError(f"{str(path)!r} is empty: no samples to read")
    runs = [(o, s // bps) for o, s in extents]
    n = sum(k for _, k in runs)
    leftover = total - n * bps
    if n == 0:
        raise FormatError(f"{str(path)!r} holds {total} bytes, less than one {dtype} sample ({bps} bytes)")
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
    return RawCapture(path, fmt, info, extents=runs)
