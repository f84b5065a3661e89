"""The Capture: any IQ source as metadata plus complex64 samples (full scale = amplitude 1.0)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Self

import numpy as np

from ..errors import ParameterError

__all__ = ["Block", "Capture", "CaptureInfo", "Segment"]


@dataclass(frozen=True)
class Segment:
    """A run of samples recorded at one centre frequency (a SigMF `captures` entry)."""

    sample_start: int
    center_freq: float | None
    datetime: str | None = None


@dataclass(frozen=True)
class CaptureInfo:
    """What is known about a recording or a live source.

    `n_samples` is None for a live source of unknown length. `center_freq` is None where
    nothing says it; frequencies are then offsets from the centre.
    """

    format: str  # container: raw, sigmf, sigmf-archive, wav, rtlsdr, rtltcp
    dtype: str  # sample format name, see rfkit.io.formats.SAMPLE_FORMATS
    sample_rate: float  # Hz
    center_freq: float | None = None  # Hz
    n_samples: int | None = None
    path: str | None = None
    datetime: str | None = None  # ISO 8601 UTC of the first sample
    hw: str | None = None
    gain_db: float | None = None
    segments: tuple[Segment, ...] = ()
    leftover_bytes: int = 0  # bytes past the last whole sample, not read
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def duration_s(self) -> float | None:
        if self.n_samples is None:
            return None
        return self.n_samples / self.sample_rate

    def replace(self, **changes) -> CaptureInfo:
        return replace(self, **changes)


class Block(NamedTuple):
    """A block of samples and the index of its first sample in the source."""

    samples: np.ndarray  # complex64[n]
    start: int


class Capture:
    """Base of every source: subclasses implement `_read(start, count)` (and `_blocks` if live).

    Use as a context manager; `read` and `blocks` always give complex64 at full scale 1.0.
    """

    info: CaptureInfo
    annotations: list[dict]

    def __init__(self, info: CaptureInfo, annotations: list[dict] | None = None):
        self.info = info
        self.annotations = list(annotations or [])
        self.nonfinite = 0  # NaN/Inf samples met so far (replaced by 0 before they leave)
        self.nan_samples = 0  # of which with a NaN component
        self.inf_samples = 0  # of which with an infinite component and no NaN

    # -- what subclasses provide -------------------------------------------------------
    def _read(self, start: int, count: int) -> np.ndarray:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # -- public ------------------------------------------------------------------------
    @property
    def sample_rate(self) -> float:
        return self.info.sample_rate

    @property
    def center_freq(self) -> float | None:
        return self.info.center_freq

    @property
    def n_samples(self) -> int | None:
        return self.info.n_samples

    def read(self, start: int = 0, count: int | None = None) -> np.ndarray:
        """Samples `start` .. `start + count` (to the end where count is None) as complex64."""
        n = self.info.n_samples
        if n is None:
            raise ParameterError("read() needs a source of known length; use blocks() on a live source")
        if start < 0 or start > n:
            raise ParameterError(f"{start=} must be between 0 and n_samples={n}")
        count = n - start if count is None else count
        if count < 0:
            raise ParameterError(f"{count=} must not be negative")
        count = min(count, n - start)
        return self._clean(self._read(start, count))

    def blocks(
        self, block_size: int = 262144, *, overlap: int = 0, start: int = 0, count: int | None = None
    ) -> Iterator[Block]:
        """Blocks of `block_size` samples, each starting `block_size - overlap` after the last.

        The last block may be shorter. Memory is bounded by the block size.
        """
        if block_size <= 0:
            raise ParameterError(f"{block_size=} must be a positive number of samples")
        if not 0 <= overlap < block_size:
            raise ParameterError(f"{overlap=} must be between 0 and block_size={block_size} (exclusive)")
        n = self.info.n_samples
        end = n if count is None else min(n, start + count)
        step = block_size - overlap
        pos = start
        while pos < end:
            take = min(block_size, end - pos)
            yield Block(self.read(pos, take), pos)
            if pos + take >= end:
                break
            pos += step

    def _clean(self, x: np.ndarray) -> np.ndarray:
        """Count and zero NaN/Inf in float sources so that they never reach the kernels."""
        if self.info.dtype.startswith("cf"):
            bad = ~np.isfinite(x)
            nbad = int(bad.sum())
            if nbad:
                nan = int(np.count_nonzero(np.isnan(x.real) | np.isnan(x.imag)))
                self.nonfinite += nbad
                self.nan_samples += nan
                self.inf_samples += nbad - nan
                x = np.where(bad, np.complex64(0), x)
        return x

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        i = self.info
        return (
            f"<{type(self).__name__} {i.format}/{i.dtype} rate={i.sample_rate:g} Hz "
            f"center={i.center_freq} n={i.n_samples} path={i.path!r}>"
        )
