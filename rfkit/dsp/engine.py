"""The streaming spectral engine: complex64 (or stored integer I/Q) blocks in, calibrated power rows out.

`Spectrogram(settings).push(block)` returns float32[k, nfft] rows of linear power (10*log10
gives dBFS; see `rfkit.dsp.settings` for the calibration), fftshifted to ascending frequency.
Frames start every `hop` samples from the first sample pushed; the samples of a frame that
is not complete yet wait for the next push, so frames are never lost or doubled at block
boundaries, and pushing a stream in blocks of any size gives the rows of pushing it whole.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import os
import sys

import numpy as np

from ..errors import ParameterError
from . import fft as _fft
from .settings import SpectrumSettings

__all__ = ["BATCH_SAMPLES", "KERNELS", "KERNELS_BREAK_EVEN_SAMPLES", "PSD_BREAK_EVEN_SAMPLES", "RAW_DTYPES",
           "STATS", "WORKERS", "Spectrogram", "break_even_samples", "choose_kernels"]

#: Stored component types `push_raw` takes (native byte order).
RAW_DTYPES = (np.dtype(np.uint8), np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.uint16))
#: How rows combine their `avg` frames.
STATS = ("mean", "max")
#: Frames are windowed and transformed in batches of about this many samples (complex64:
#: 512 KiB), small enough to stay in cache between the window, FFT and power passes.
BATCH_SAMPLES = 65_536
#: Frames go to the threads in chunks of about this many FFT batches (row-aligned).
CHUNK_BATCHES = 1


#: Kernel sets: "numba" (compiled: fastest per sample, but loading numba costs a fixed time per
#: process), "numpy" (ufuncs: nothing to load), or "auto" (`choose_kernels` weighs the two).
KERNELS = ("auto", "numba", "numpy")
#: Fixed cost of numba in a process that has not loaded it, in seconds: `import numba` (~0.2 s,
#: most of it numba importing scipy.linalg for BLAS) and loading the first cached kernel (~0.35 s:
#: numba's lowering registries). Measured as the wall time of `rfkit waterfall` on a 0.05 s cu8
#: file, `--kernels numba` minus `--kernels numpy`, warm cache: 0.53-0.59 s (0.82 s against
#: 0.23-0.24 s) on the 2-core development machine (benchmarks/bench_spectral.py prints it).
NUMBA_LOAD_S = 0.55
#: Engine time per input sample in seconds, cu8 in, nfft 1024, 16 frames a row, one thread, FFTW
#: included, kernels loaded (bench_spectral.py, engine table; the shared machine varies by tens of
#: percent): numba 1.6-1.9 ns (530-620 MS/s), numpy 2.8-4.1 ns (240-350 MS/s); in the whole command
#: on the 60 s file, 2.2 ns and 3.7 ns. numba's lead is 1.5-2x at nfft 256..4096, 1.1-1.3x above.
NUMBA_S_PER_SAMPLE = 1.8e-9
NUMPY_S_PER_SAMPLE = 3.0e-9


def break_even_samples(s_per_sample: tuple[float, float] = (NUMBA_S_PER_SAMPLE, NUMPY_S_PER_SAMPLE)) -> float:
    """Samples of a job from which loading numba pays: NUMBA_LOAD_S / (numpy - numba seconds per
    sample); inf where numba saves nothing per sample."""
    saved = s_per_sample[1] - s_per_sample[0]
    return NUMBA_LOAD_S / saved if saved > 0 else math.inf


#: A job of at least this many samples (through the transforms) repays loading numba:
#: NUMBA_LOAD_S / (time saved per sample) = 0.55 s / 1.2 ns = 460 M samples, 3.2 minutes at
#: 2.4 MS/s (measured 250-600 M); shorter jobs run the numpy kernels. Near the break-even the
#: two cost the same, so a wrong guess by 2x costs at most ~0.3 s.
KERNELS_BREAK_EVEN_SAMPLES = round(break_even_samples())
#: The same for `psd` (one row a frame, then per-bin running statistics), seconds per sample
#: through the FFT, nfft 1024, overlap 0.5: numba 3.1-3.7 ns, numpy 7.0 ns (numpy's statistics
#: take several passes over every frame), so numba pays from ~160 M samples (33 s at 2.4 MS/s).
PSD_NUMBA_S_PER_SAMPLE = 3.4e-9
PSD_NUMPY_S_PER_SAMPLE = 7.0e-9
PSD_BREAK_EVEN_SAMPLES = round(break_even_samples((PSD_NUMBA_S_PER_SAMPLE, PSD_NUMPY_S_PER_SAMPLE)))


def choose_kernels(kernels: str = "auto", *, n_samples: int | None = None,
                   s_per_sample: tuple[float, float] = (NUMBA_S_PER_SAMPLE, NUMPY_S_PER_SAMPLE)) -> str:
    """The kernel set to run, "numba" or "numpy", for a job of `n_samples` samples (None: unbounded).

    `s_per_sample` is (numba, numpy) seconds per sample of the job (the waterfall's by default).

    "auto": the environment variable RFKIT_DSP_KERNELS where it names one ("numba", "numpy");
    else numba where it is already loaded in this process (a notebook, the detector, the live
    monitor: nothing left to pay), or where the job is long enough to repay loading it
    (`KERNELS_BREAK_EVEN_SAMPLES` samples through the transforms, or an unbounded stream);
    numpy otherwise, and where numba is not installed. Both give the same rows to float32
    rounding (1e-6 relative).
    """
    if kernels not in KERNELS:
        raise ParameterError(f"{kernels=} must be one of {', '.join(KERNELS)}")
    if kernels != "auto":
        return kernels
    forced = os.environ.get("RFKIT_DSP_KERNELS", "").strip().lower()
    if forced in ("numba", "numpy"):
        return forced
    if "numba" in sys.modules:
        return "numba"
    if n_samples is not None and n_samples < break_even_samples(s_per_sample):
        return "numpy"
    return "numba" if importlib.util.find_spec("numba") is not None else "numpy"


def _kernel_module(name: str):
    """rfkit.dsp.kernels (numba, imported on first use) or rfkit.dsp.kernels_numpy."""
    return importlib.import_module(".kernels" if name == "numba" else ".kernels_numpy", __package__)


def _default_workers() -> int:
    """RFKIT_DSP_WORKERS where set to a positive whole number, else 1."""
    text = os.environ.get("RFKIT_DSP_WORKERS", "")
    if text.strip().isdigit() and int(text) >= 1:
        return int(text)
    return 1


#: Threads a Spectrogram uses on large pushes; the environment variable RFKIT_DSP_WORKERS sets
#: it. One by default: on the shared 2-core development machine (both cores oversubscribed) two
#: threads ran at 0.4x of one (a thread descheduled while it holds the GIL stalls the other);
#: on a machine with idle cores two should approach 2x (bench_spectral.py shows both).
WORKERS = _default_workers()


class Spectrogram:
    """Streaming short-time power spectra: push blocks, get rows of `avg` frames each.

    Parameters
    ----------
    settings : SpectrumSettings
        FFT size, hop, window, averaging and scaling.
    stat : str
        "mean" averages the `avg` frames of a row (Welch), "max" max-holds them.
    workers : int, optional
        Threads for large pushes (default `WORKERS`); the rows are the same for any number.
    kernels : str
        "numba", "numpy" or "auto" (see `choose_kernels`; a Spectrogram does not know how much
        will be pushed, so "auto" means numba unless numba is missing); the rows agree to float32
        rounding. The choice made is in `.kernels`.

    Non-finite samples make the rows whose frames contain them NaN (the high-level
    functions read captures, which replace NaN/Inf by 0 and count them).
    """

    def __init__(self, settings: SpectrumSettings, *, stat: str = "mean", workers: int | None = None,
                 kernels: str = "auto"):
        if not isinstance(settings, SpectrumSettings):
            raise ParameterError(f"settings must be a SpectrumSettings, got {type(settings).__name__}")
        if stat not in STATS:
            raise ParameterError(f"{stat=} must be one of {', '.join(STATS)}")
        self.settings = settings
        self.stat = stat
        s = settings
        self._w2 = np.repeat(s.window_array, 2).astype(np.float32)  # w[i] at 2i and 2i+1
        self._w2_raw: dict[float, np.ndarray] = {}
        self._batch = max(1, BATCH_SAMPLES // s.nfft)
        self._lanes: list[_Lane] = []
        self._acc = np.zeros(s.nfft, dtype=np.float64)
        self._factor = s.scale / s.avg if stat == "mean" else s.scale
        if workers is None:
            workers = WORKERS
        if not isinstance(workers, (int, np.integer)) or workers < 1:
            raise ParameterError(f"{workers=} must be a positive number of threads")
        self.workers = int(workers)
        self.kernels = choose_kernels(kernels)
        k = _kernel_module(self.kernels)
        self._k_c64, self._k_raw, self._k_power = k._frames_c64, k._frames_raw, k._power_rows
        self.reset()

    def reset(self) -> None:
        """Forget everything pushed so far (the next push starts a new stream)."""
        self._tail = np.zeros(0, dtype=np.complex64)  # samples from the next frame's start on
        self._acc_n = 0
        self.frames_done = 0  # frames transformed so far
        self.rows_done = 0  # rows returned so far
        self.samples_in = 0  # samples pushed so far

    # -- public ----------------------------------------------------------------------------
    def push(self, samples: np.ndarray) -> np.ndarray:
        """Process a block of complex samples; return the rows completed, float32[k, nfft]."""
        x = np.asarray(samples)
        if x.ndim != 1:
            raise ParameterError(f"samples.shape={x.shape} must be one-dimensional")
        if x.dtype != np.complex64:
            if not (np.issubdtype(x.dtype, np.complexfloating) or np.issubdtype(x.dtype, np.floating)):
                raise ParameterError(f"samples.dtype={x.dtype} must be complex (complex64 preferred)")
            x = x.astype(np.complex64)
        if not x.flags.c_contiguous:
            x = np.ascontiguousarray(x)
        return self._push(x, x.shape[0], None)

    def push_raw(self, raw: np.ndarray, *, offset: float, scale: float) -> np.ndarray:
        """Like `push` for interleaved stored I/Q components: value = (raw - offset) / scale.

        raw: uint8, int8, int16 or uint16 in native byte order (cu8: offset 127.5, scale 127.5;
        cs8: 0, 128; cs16: 0, 32768). The conversion is fused into the windowing pass (one pass
        over memory fewer); the rows equal those of `push(to_complex64(raw, fmt))` to float32
        rounding.
        """
        raw = np.asarray(raw)
        if raw.ndim != 1 or raw.dtype not in RAW_DTYPES or raw.shape[0] % 2 or not raw.dtype.isnative:
            raise ParameterError(f"raw must be native uint8/int8/int16/uint16 of even length, "
                                 f"got {raw.dtype} {raw.shape}")
        if not (np.isfinite(scale) and scale > 0 and np.isfinite(offset)):
            raise ParameterError(f"{scale=} must be positive and {offset=} finite")
        if not raw.flags.c_contiguous:
            raw = np.ascontiguousarray(raw)
        return self._push(raw, raw.shape[0] // 2, (np.float32(offset), np.float32(1.0 / scale)))

    def push_u8(self, raw: np.ndarray, *, offset: float = 127.5, scale: float = 127.5) -> np.ndarray:
        """`push_raw` for RTL-SDR cu8 components (uint8, value = (u - 127.5) / 127.5)."""
        return self.push_raw(raw, offset=offset, scale=scale)

    # -- internals ------------------------------------------------------------------------
    def _lane(self, i: int) -> _Lane:
        while len(self._lanes) <= i:
            self._lanes.append(_Lane(self.settings.nfft, self._batch))
        return self._lanes[i]

    def _push(self, x, n, conv) -> np.ndarray:
        s = self.settings
        nfft, hop, avg = s.nfft, s.hop, s.avg
        nt = self._tail.shape[0]
        total = nt + n
        nframes = 0 if total < nfft else (total - nfft) // hop + 1
        out = np.empty(((self._acc_n + nframes) // avg, nfft), dtype=np.float32)
        row = 0
        done = 0
        lane = self._lane(0)
        if nt and nframes:
            # frames that start in the tail: stitch the tail to the head of this block
            head = x[: 2 * nfft] if conv is None else x[: 4 * nfft]
            stitched = np.concatenate([self._tail, self._to_c64(head, conv)])
            k = min(nframes, (nt - 1) // hop + 1)
            r, self._acc_n = self._frames(stitched, 0, k, None, out, row, lane, self._acc, self._acc_n)
            row += r
            done = k
        # frames that start inside this block: in chunks that end on row boundaries, taken by
        # two lanes (threads) in turn when there are enough; every row is still summed in frame
        # order within one chunk, so the numbers do not depend on who took it
        first = done * hop - nt
        rest = nframes - done
        chunk = max(avg, (CHUNK_BATCHES * self._batch) // avg * avg)
        if self.workers > 1 and rest >= 2 * chunk:
            row += self._chunked(x, first, rest, chunk, conv, out, row)
        elif rest > 0:
            r, self._acc_n = self._frames(x, first, rest, conv, out, row, lane, self._acc, self._acc_n)
            row += r
        # keep what the next frame needs
        keep_from = nframes * hop - nt  # index into x of the next frame's start (may be < 0)
        if keep_from < 0:
            tail = np.concatenate([self._tail[nt + keep_from:], self._to_c64(x, conv)])
        else:
            tail = self._to_c64(x[keep_from:] if conv is None else x[2 * keep_from:], conv)
        self._tail = tail.copy() if conv is None else tail
        self.frames_done += nframes
        self.rows_done += row
        self.samples_in += n
        assert row == out.shape[0]
        return out

    def _chunked(self, x, first, rest, chunk, conv, out, row) -> int:
        """Process `rest` frames from x[first] in row-aligned chunks on `workers` threads; rows written."""
        hop, avg = self.settings.hop, self.settings.avg
        acc_n0 = self._acc_n
        jobs = []  # (first frame, frames, first row, continues the partial row, is last)
        f = 0
        while f < rest:
            k = min(chunk - (acc_n0 if f == 0 else 0), rest - f)
            r0 = row + (acc_n0 + f) // avg
            jobs.append((f, k, r0, f == 0, f + k == rest))
            f += k
        todo = iter(jobs)
        left = {}

        def work(lane):
            for f0, k, r0, cont, last in todo:  # next() on a shared iterator: atomic under the GIL
                if cont:
                    lane.acc[:] = self._acc
                _, acc_n = self._frames(x, first + f0 * hop, k, conv, out, r0, lane, lane.acc,
                                        acc_n0 if cont else 0)
                if last:
                    left["acc"], left["n"] = lane.acc.copy(), acc_n

        futs = [_executor(self.workers - 1).submit(work, self._lane(i)) for i in range(1, self.workers)]
        try:
            work(self._lane(0))
        finally:
            for fut in futs:
                fut.result()
        self._acc[:] = left["acc"]
        self._acc_n = left["n"]
        return (acc_n0 + rest) // avg

    def _to_c64(self, x, conv):
        if conv is None:
            return x
        off, inv = conv
        v = (x.astype(np.float32) - off) * inv
        return (v[0::2] + 1j * v[1::2]).astype(np.complex64)

    def _frames(self, x, first, count, conv, out, row, lane, acc, acc_n) -> tuple[int, int]:
        """Window, transform and fold `count` frames from x[first] (stride hop), batch by batch.

        Returns (rows written from `row`, frames left in `acc`). Runs in any thread (the
        kernels and FFTW release the GIL); a lane is used by one thread at a time.
        """
        s = self.settings
        hop = s.hop
        xs = x.view(np.float32) if conv is None else x
        if conv is not None:
            off, inv = conv
            w2 = self._w2_raw.get(inv)
            if w2 is None:
                w2 = self._w2_raw[inv] = self._w2 * inv
        use_max = self.stat == "max"
        factor = self._factor
        r0 = row
        done = 0
        while done < count:
            k = min(self._batch, count - done)
            buf = lane.fft.input[:k].view(np.float32)
            if conv is None:
                self._k_c64(xs, first + done * hop, hop, k, self._w2, s.dc_remove, buf)
            else:
                self._k_raw(xs, first + done * hop, hop, k, w2, off, s.dc_remove, buf)
            spec = lane.fft.run(k)
            r, acc_n = self._k_power(spec, k, s.avg, use_max, s.dc_remove, factor, acc, acc_n, out, row)
            row += r
            done += k
        return row - r0, acc_n


class _Lane:
    """What one thread of a Spectrogram owns: FFT buffers and plans, a partial-row accumulator."""

    def __init__(self, nfft: int, batch: int):
        self.fft = _fft.BatchFFT(nfft, batch)
        self.acc = np.zeros(nfft, dtype=np.float64)


_EXECUTOR = None
_EXECUTOR_SIZE = 0


def _executor(helpers: int):
    """The engine's pool of helper threads, with at least `helpers` threads (made on first use)."""
    global _EXECUTOR, _EXECUTOR_SIZE
    if _EXECUTOR is None or _EXECUTOR_SIZE < helpers:
        from concurrent.futures import ThreadPoolExecutor

        _EXECUTOR_SIZE = max(1, helpers)
        _EXECUTOR = ThreadPoolExecutor(max_workers=_EXECUTOR_SIZE, thread_name_prefix="rfkit-dsp")
    return _EXECUTOR
