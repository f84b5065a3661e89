"""High-level spectra of a whole capture: `waterfall` (rows of dBFS over time) and `psd` (Welch).

Both read any source block by block (memory bounded by the block size plus the result), with
the calibration of `rfkit.dsp.settings`: a tone of amplitude a reads 20*log10(a) dBFS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..config import DEFAULT_BLOCK_SIZE
from ..errors import ParameterError
from ..io.array import ArrayCapture, as_capture
from ..io.capture import Capture, CaptureInfo
from .engine import (
    PSD_NUMBA_S_PER_SAMPLE,
    PSD_NUMPY_S_PER_SAMPLE,
    STATS,
    Spectrogram,
    choose_kernels,
)
from .settings import SpectrumSettings, hop_for_overlap
from .stats import RunningStats

__all__ = [
    "POWER_FLOOR_DBFS",
    "Psd",
    "Waterfall",
    "open_source",
    "psd",
    "to_dbfs",
    "waterfall",
    "waterfall_rows",
]

#: Zero power (digital silence) reads as this instead of -inf, so plots and statistics stay finite.
POWER_FLOOR_DBFS = -300.0
_POWER_FLOOR = 10.0 ** (POWER_FLOOR_DBFS / 10.0)


def to_dbfs(power: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """10*log10(power) (float32 for float32 input), zero power floored at POWER_FLOOR_DBFS."""
    p = np.asarray(power)
    if out is None:
        out = np.empty(p.shape, dtype=np.float32 if p.dtype == np.float32 else np.float64)
    np.maximum(p, _POWER_FLOOR, out=out)
    np.log10(out, out=out)
    out *= 10.0
    return out


@dataclass(frozen=True)
class Waterfall:
    """Rows of power over time: `power_dbfs` float32[rows, nfft] (ascending frequency),
    `freqs_hz` float64[nfft] (absolute where the centre is known), `times_s` float64[rows]
    (row centres, seconds from the first sample of the input), the `settings`, and the
    capture's `info` (None for an array)."""

    power_dbfs: np.ndarray
    freqs_hz: np.ndarray
    times_s: np.ndarray
    settings: SpectrumSettings
    info: CaptureInfo | None = None
    stat: str = "mean"

    @property
    def power_linear(self) -> np.ndarray:
        """Linear power, float32[rows, nfft] (computed on each access)."""
        return np.power(np.float32(10.0), self.power_dbfs / np.float32(10.0))

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(f_lo, f_hi, t_end, t_start) edges for `imshow(power_dbfs, origin="upper", extent=...)`."""
        start = round((self.times_s[0] * self.settings.sample_rate) - self.settings.row_span / 2) \
            if len(self.times_s) else 0
        return self.settings.extent(len(self.times_s), start)


@dataclass(frozen=True)
class Psd:
    """A Welch power spectrum: mean, max-hold and min-hold over `n_frames` frames, dBFS per bin
    (per hertz with `settings.density`), ascending `freqs_hz`; `kurtosis` is the per-bin spectral
    kurtosis of the frames (`RunningStats.kurtosis`; overlapping frames are not independent, so
    noise reads a little off 1 with overlap)."""

    freqs_hz: np.ndarray
    mean_dbfs: np.ndarray
    max_dbfs: np.ndarray
    min_dbfs: np.ndarray
    n_frames: int
    settings: SpectrumSettings
    info: CaptureInfo | None = None
    kurtosis: np.ndarray | None = None  # spectral kurtosis per bin: ~1 noise, ~0 steady tone, >1 bursty


def open_source(source, *, rate_hz: float | None = None,
                center_hz: float | None = None) -> tuple[Capture, bool, bool]:
    """Any source `waterfall`/`psd` take as (capture, opened here so close it, has a CaptureInfo).

    A Capture is used as it is; a path is opened with `rfkit.open(rate=, freq=)`; a complex array
    becomes an in-memory capture (NaN/Inf read as 0) and needs `rate_hz`.
    """
    cap, own = as_capture(source, rate_hz=rate_hz, center_hz=center_hz)
    return cap, own, not isinstance(cap, ArrayCapture)


def _span(cap: Capture, start_s, duration_s) -> tuple[int, int | None]:
    rate = cap.info.sample_rate
    start = 0
    if start_s is not None:
        if not (np.isfinite(start_s) and start_s >= 0):
            raise ParameterError(f"{start_s=} must be a non-negative number of seconds")
        start = round(start_s * rate)
        n = cap.info.n_samples
        if n is not None and start >= n:
            raise ParameterError(f"{start_s=} is past the end of the capture ({n / rate:.6g} s)")
    count = None
    if duration_s is not None:
        if not (np.isfinite(duration_s) and duration_s > 0):
            raise ParameterError(f"{duration_s=} must be a positive number of seconds")
        count = round(duration_s * rate)
    return start, count


#: Default block for raw integer files (the fused path): 1 Mi samples (2 MiB of cu8).
FUSED_BLOCK_SIZE = 1 << 20


def _block_size(block_size, nfft, fused=False) -> int:
    if block_size is None:
        return max(FUSED_BLOCK_SIZE if fused else DEFAULT_BLOCK_SIZE, 4 * nfft)
    if not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ParameterError(f"{block_size=} must be a positive number of samples")
    return int(block_size)


def _settings(cap, *, nfft, avg, overlap, window, dc_remove, density, center_hz) -> SpectrumSettings:
    if not isinstance(nfft, (int, np.integer)) or isinstance(nfft, bool):
        raise ParameterError(f"{nfft=} must be a power of two between 16 and 1048576")
    hop = hop_for_overlap(int(nfft), overlap)
    cf = cap.info.center_freq if center_hz is None else center_hz
    return SpectrumSettings(cap.info.sample_rate, nfft=int(nfft), hop=hop, window=window, center_freq=cf,
                            avg=avg, dc_remove=dc_remove, density=density)


def _blocks(cap: Capture, spec: Spectrogram, start: int, count: int | None, block_size: int,
            progress) -> Iterator[np.ndarray]:
    """Rows (linear power) block by block; raw integer files go straight to `push_raw` (fused)."""
    n = cap.info.n_samples
    end = None if n is None else (n if count is None else min(n, start + count))
    fmt = getattr(cap, "fmt", None)
    fused = _fused(cap) and end is not None
    bar = _progress_bar(progress, None if end is None else end - start)
    try:
        if fused:
            pos = start
            while pos < end:
                take = min(block_size, end - pos)
                raw = cap.raw(pos, take)
                if not raw.dtype.isnative:
                    raw = raw.astype(raw.dtype.newbyteorder("="))
                rows = spec.push_raw(raw, offset=fmt.offset, scale=fmt.scale)
                pos += take
                bar(take)
                yield rows
        else:
            for blk in cap.blocks(block_size, start=start, count=count):
                rows = spec.push(blk.samples)
                bar(blk.samples.shape[0])
                yield rows
    finally:
        bar(None)


def _fused(cap: Capture) -> bool:
    """Whether stored components can go straight to the engine (raw integer files: cu8, cs8, cs16).

    Float formats take the ordinary path, where NaN/Inf are counted and read as 0.
    """
    fmt = getattr(cap, "fmt", None)
    component = getattr(fmt, "component", None)
    return (component is not None and component.kind in "iu" and component.itemsize <= 2
            and callable(getattr(cap, "raw", None)))


def _progress_bar(progress, total) -> Callable[[int | None], None]:
    if callable(progress):
        return lambda k: None if k is None else progress(k)
    if not progress:
        return lambda k: None
    import sys

    from tqdm import tqdm

    t = tqdm(total=total, unit="S", unit_scale=True, file=sys.stderr, leave=False, desc="spectrum")

    def step(k):
        if k is None:
            t.close()
        else:
            t.update(k)

    return step


def waterfall_rows(source, *, nfft: int = 1024, avg: int = 1, overlap: float = 0.0, window: str = "hann",
                   stat: str = "mean", dc_remove: bool = False, density: bool = False,
                   rate_hz: float | None = None, center_hz: float | None = None, start_s: float | None = None,
                   duration_s: float | None = None, block_size: int | None = None,
                   progress=False, kernels: str = "auto",
                   ) -> tuple[SpectrumSettings, CaptureInfo | None, int, int, Iterator[np.ndarray]]:
    """The streaming form of `waterfall`: (settings, info, first sample, expected rows, iterator).

    The iterator yields float32[k, nfft] rows of *linear* power, block by block; the expected
    number of rows is exact for sources of known length (None for live sources).
    """
    return _rows(source, nfft=nfft, avg=avg, overlap=overlap, window=window, stat=stat, dc_remove=dc_remove,
                 density=density, rate_hz=rate_hz, center_hz=center_hz, start_s=start_s, duration_s=duration_s,
                 block_size=block_size, progress=progress, kernels=kernels)[:5]


def _rows(source, *, nfft, avg, overlap, window, stat, dc_remove, density, rate_hz, center_hz, start_s,
          duration_s, block_size, progress, kernels, costs=None):
    """`waterfall_rows`, plus the kernel set chosen (the sixth item)."""
    cap, own, is_file = open_source(source, rate_hz=rate_hz, center_hz=center_hz)
    try:
        if stat not in STATS:
            raise ParameterError(f"{stat=} must be one of {', '.join(STATS)}")
        s = _settings(cap, nfft=nfft, avg=avg, overlap=overlap, window=window, dc_remove=dc_remove,
                      density=density, center_hz=center_hz)
        start, count = _span(cap, start_s, duration_s)
        bs = _block_size(block_size, s.nfft, _fused(cap))
        n = cap.info.n_samples
        avail = None if n is None else (n - start if count is None else min(count, n - start))
        expected = None if avail is None else s.rows_for(avail)
        work = None if avail is None else avail * s.nfft // s.hop  # samples through the FFT
        chosen = choose_kernels(kernels, n_samples=work, **({} if costs is None else {"s_per_sample": costs}))
    except BaseException:
        if own:
            cap.close()
        raise

    def it():
        try:
            yield from _blocks(cap, Spectrogram(s, stat=stat, kernels=chosen), start, count, bs, progress)
        finally:
            if own:
                cap.close()

    return s, (cap.info if is_file else None), start, expected, it(), chosen


def waterfall(source, *, nfft: int = 1024, avg: int = 1, overlap: float = 0.0, window: str = "hann",
              stat: str = "mean", dc_remove: bool = False, density: bool = False,
              rate_hz: float | None = None, center_hz: float | None = None, start_s: float | None = None,
              duration_s: float | None = None, block_size: int | None = None, progress=False,
              kernels: str = "auto") -> Waterfall:
    """Waterfall of a capture: rows of dBFS power over time, `avg` frames of `nfft` per row.

    Parameters
    ----------
    source : Capture, path or np.ndarray [shape=(n,), complex]
        What to analyse; a path is opened with `rfkit.open`; an array needs `rate_hz`.
    nfft : int
        FFT size (power of two, 16..1048576); 1024 bins = 2.34 kHz each at 2.4 MS/s.
    avg : int
        Frames per row, combined by `stat` ("mean" or "max").
    overlap : float
        Fraction of a frame shared with the next one (0 <= overlap < 1); hop = round(nfft*(1-overlap)).
    window : str
        "hann", "blackmanharris", "flattop" or "rect".
    dc_remove, density : bool
        Remove each frame's DC offset (RTL-SDR spike); power per hertz instead of per bin.
    rate_hz, center_hz : float, optional
        Sample rate and centre frequency in Hz (overrides for files; rate required for arrays).
    start_s, duration_s : float, optional
        The part of the capture to analyse, seconds from its first sample.
    block_size : int, optional
        Samples read at a time (memory bound); default `config.DEFAULT_BLOCK_SIZE`.
    progress : bool or callable
        A progress bar on stderr, or a function called with the number of samples done per block.
    kernels : str
        "auto" (default), "numba" or "numpy": which compiled kernels compute (the rows agree to
        float32 rounding). "auto" runs numba where it is loaded already or the job is long enough
        to repay loading it (`rfkit.dsp.engine.KERNELS_BREAK_EVEN_SAMPLES`), numpy otherwise.

    Returns
    -------
    Waterfall
        `power_dbfs` float32[rows, nfft] (10*log10 of linear power, zero power at -300 dBFS),
        `freqs_hz`, `times_s` (row centres from the first sample of the input), `settings`, `info`.
    """
    s, info, start, expected, rows_iter = waterfall_rows(
        source, nfft=nfft, avg=avg, overlap=overlap, window=window, stat=stat, dc_remove=dc_remove,
        density=density, rate_hz=rate_hz, center_hz=center_hz, start_s=start_s, duration_s=duration_s,
        block_size=block_size, progress=progress, kernels=kernels)
    if expected is not None:
        out = np.empty((expected, s.nfft), dtype=np.float32)
        r = 0
        for rows in rows_iter:
            to_dbfs(rows, out=out[r : r + rows.shape[0]])
            r += rows.shape[0]
        out = out[:r]
    else:
        out = np.concatenate([to_dbfs(rows) for rows in rows_iter] or [np.empty((0, s.nfft), np.float32)])
    return Waterfall(power_dbfs=out, freqs_hz=s.freqs_hz, times_s=s.row_times_s(out.shape[0], start),
                     settings=s, info=info, stat=stat)


def psd(source, *, nfft: int = 1024, overlap: float = 0.5, window: str = "hann", density: bool = False,
        dc_remove: bool = False, rate_hz: float | None = None, center_hz: float | None = None,
        start_s: float | None = None, duration_s: float | None = None, block_size: int | None = None,
        progress=False, kernels: str = "auto") -> Psd:
    """Welch power spectrum of a capture: mean, max-hold and min-hold over every frame, dBFS.

    Frames of `nfft` samples overlap by `overlap` (a fraction; 0.5 by default). The mean equals
    `scipy.signal.welch(x, fs, window, nfft, noverlap, detrend=False, return_onesided=False,
    scaling="spectrum")` (or "density" with density=True), fftshifted to ascending frequency.
    Other parameters as for `waterfall`.
    """
    s, info, _, _, rows_iter, chosen = _rows(
        source, nfft=nfft, avg=1, overlap=overlap, window=window, stat="mean", dc_remove=dc_remove,
        density=density, rate_hz=rate_hz, center_hz=center_hz, start_s=start_s, duration_s=duration_s,
        block_size=block_size, progress=progress, kernels=kernels,
        costs=(PSD_NUMBA_S_PER_SAMPLE, PSD_NUMPY_S_PER_SAMPLE))
    st = RunningStats(s.nfft, kernels=chosen)
    for rows in rows_iter:
        st.update(rows)
    n = int(st.count.max()) if st.count.size else 0
    if n == 0:
        raise ParameterError(f"the input is shorter than one frame ({nfft=} samples): no spectrum")
    return Psd(freqs_hz=s.freqs_hz, mean_dbfs=to_dbfs(st.mean), max_dbfs=to_dbfs(st.max),
               min_dbfs=to_dbfs(st.min), n_frames=n, settings=s, info=info, kurtosis=st.kurtosis())
