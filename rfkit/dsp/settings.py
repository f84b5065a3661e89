"""Spectrum settings: one validated frozen object (FFT size, hop, window, rate, centre) with the axes.

Calibration (pinned by tests/dsp): a complex tone of amplitude `a` (full scale 1.0) reads
`20*log10(a)` dBFS at its bin whatever the window (the window's coherent gain is divided out);
white noise of power `s2` reads `s2 * enbw_hz / sample_rate` per bin (the noise in one bin's
equivalent noise bandwidth), or `s2 / sample_rate` per hertz with `density=True`.

Both scalings are the ones `scipy.signal.welch`/`spectrogram` call `scaling="spectrum"`
(`1 / sum(w)**2`) and `scaling="density"` (`1 / (fs * sum(w**2))`); they differ by the factor
`enbw_hz` (spectrum = density * enbw_hz).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import ParameterError

__all__ = ["NFFT_MAX", "NFFT_MIN", "WINDOWS", "SpectrumSettings", "hop_for_overlap", "make_window"]

NFFT_MIN = 16
NFFT_MAX = 1 << 20

#: Window name -> cosine-sum coefficients a_k of w[n] = sum_k (-1)^k a_k cos(2 pi k n / N),
#: periodic (DFT-even) form as used for spectral analysis (scipy's `fftbins=True`).
WINDOWS: dict[str, tuple[float, ...]] = {
    "rect": (1.0,),
    "hann": (0.5, 0.5),
    "blackmanharris": (0.35875, 0.48829, 0.14128, 0.01168),
    "flattop": (0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368),
}
#: Other names accepted for the same windows.
WINDOW_ALIASES = {"rectangular": "rect", "boxcar": "rect", "none": "rect", "hanning": "hann"}


def _window_name(window: str) -> str:
    name = str(window).lower()
    name = WINDOW_ALIASES.get(name, name)
    if name not in WINDOWS:
        raise ParameterError(f"{window=} is not a window rfkit knows; use one of {', '.join(WINDOWS)}")
    return name


def make_window(window: str, nfft: int) -> np.ndarray:
    """The periodic window `window` of `nfft` points as float64 (peak near 1)."""
    coeffs = WINDOWS[_window_name(window)]
    n = np.arange(nfft, dtype=np.float64)
    w = np.zeros(nfft, dtype=np.float64)
    for k, a in enumerate(coeffs):
        w += (-1) ** k * a * np.cos(2.0 * np.pi * k * n / nfft)
    return w


def hop_for_overlap(nfft: int, overlap: float) -> int:
    """The hop in samples for an `overlap` fraction of `nfft` (0 <= overlap < 1)."""
    if not (0.0 <= overlap < 1.0):
        raise ParameterError(f"{overlap=} must be a fraction between 0 (no overlap) and 1 (exclusive)")
    return max(1, round(nfft * (1.0 - overlap)))


@dataclass(frozen=True)
class SpectrumSettings:
    """How samples become spectra: FFT size, hop, window, averaging and scaling, plus the axes.

    Parameters
    ----------
    sample_rate : float
        Samples per second (Hz).
    nfft : int
        FFT size, a power of two from 16 to 1048576 (1024 = 427 us at 2.4 MS/s).
    hop : int or None
        Samples between the starts of consecutive frames, 1..nfft; None means nfft (no overlap).
    window : str
        "hann", "blackmanharris", "flattop" or "rect" (periodic forms).
    center_freq : float or None
        Centre frequency in Hz; frequencies are absolute where given, offsets otherwise.
    avg : int
        Frames averaged (or max-held) into each output row.
    dc_remove : bool
        Remove each frame's DC offset (the RTL-SDR spike): the window-weighted mean is subtracted
        before the FFT and the centre bin is then filled with the mean of its two neighbours.
    density : bool
        Power per hertz instead of per bin (see the module docstring).
    """

    sample_rate: float
    nfft: int = 1024
    hop: int | None = None
    window: str = "hann"
    center_freq: float | None = None
    avg: int = 1
    dc_remove: bool = False
    density: bool = False

    def __post_init__(self):
        rate = self.sample_rate
        if not (isinstance(rate, (int, float, np.integer, np.floating)) and math.isfinite(rate) and rate > 0):
            raise ParameterError(f"sample_rate={rate!r} must be a positive number of Hz")
        object.__setattr__(self, "sample_rate", float(rate))
        nfft = self.nfft
        if (not isinstance(nfft, (int, np.integer)) or isinstance(nfft, bool) or nfft < NFFT_MIN
                or nfft > NFFT_MAX or nfft & (nfft - 1)):
            raise ParameterError(f"{nfft=} must be a power of two between {NFFT_MIN} and {NFFT_MAX}")
        object.__setattr__(self, "nfft", int(nfft))
        hop = nfft if self.hop is None else self.hop
        if not isinstance(hop, (int, np.integer)) or isinstance(hop, bool) or not 1 <= hop <= nfft:
            raise ParameterError(f"hop={self.hop!r} must be a whole number of samples from 1 to {nfft=}")
        object.__setattr__(self, "hop", int(hop))
        object.__setattr__(self, "window", _window_name(self.window))
        cf = self.center_freq
        if cf is not None:
            if not (isinstance(cf, (int, float, np.integer, np.floating)) and math.isfinite(cf)):
                raise ParameterError(f"center_freq={cf!r} must be a finite frequency in Hz or None")
            object.__setattr__(self, "center_freq", float(cf))
        avg = self.avg
        if not isinstance(avg, (int, np.integer)) or isinstance(avg, bool) or avg < 1:
            raise ParameterError(f"{avg=} must be a positive whole number of frames per row")
        object.__setattr__(self, "avg", int(avg))
        object.__setattr__(self, "dc_remove", bool(self.dc_remove))
        object.__setattr__(self, "density", bool(self.density))

    # -- window and scaling ------------------------------------------------------------
    @cached_property
    def window_array(self) -> np.ndarray:
        """The window, float32[nfft] (read-only)."""
        w = make_window(self.window, self.nfft).astype(np.float32)
        w.flags.writeable = False
        return w

    @cached_property
    def _w64(self) -> np.ndarray:
        return self.window_array.astype(np.float64)

    @property
    def coherent_gain(self) -> float:
        """mean(w): the factor by which the window scales a tone's amplitude."""
        return float(self._w64.mean())

    @property
    def enbw_bins(self) -> float:
        """Equivalent noise bandwidth in bins: nfft * sum(w^2) / sum(w)^2 (1 for rect, 1.5 for hann)."""
        w = self._w64
        return float(self.nfft * np.sum(w * w) / np.sum(w) ** 2)

    @property
    def enbw_hz(self) -> float:
        """Equivalent noise bandwidth in Hz."""
        return self.enbw_bins * self.bin_hz

    @cached_property
    def scale(self) -> float:
        """Factor from |FFT(w*x)|^2 to calibrated power: 1/sum(w)^2, or 1/(fs*sum(w^2)) with density."""
        w = self._w64
        if self.density:
            return float(1.0 / (self.sample_rate * np.sum(w * w)))
        return float(1.0 / np.sum(w) ** 2)

    # -- axes ----------------------------------------------------------------------------
    @property
    def bin_hz(self) -> float:
        """Spacing of the frequency bins in Hz (sample_rate / nfft)."""
        return self.sample_rate / self.nfft

    @cached_property
    def freqs_hz(self) -> np.ndarray:
        """Bin centres, float64[nfft], ascending: centre + offset (offsets where the centre is None)."""
        f = (np.arange(self.nfft, dtype=np.float64) - self.nfft // 2) * self.bin_hz
        if self.center_freq is not None:
            f = f + self.center_freq
        f.flags.writeable = False
        return f

    @property
    def frame_s(self) -> float:
        """Duration of one FFT frame in seconds (nfft / sample_rate)."""
        return self.nfft / self.sample_rate

    @property
    def row_samples(self) -> int:
        """Samples between the starts of consecutive rows (hop * avg)."""
        return self.hop * self.avg

    @property
    def row_period_s(self) -> float:
        """Time between consecutive rows in seconds (hop * avg / sample_rate)."""
        return self.row_samples / self.sample_rate

    @property
    def row_span(self) -> int:
        """Samples that one row covers: (avg - 1) * hop + nfft."""
        return (self.avg - 1) * self.hop + self.nfft

    def rows_for(self, n_samples: int) -> int:
        """Number of whole rows that `n_samples` samples give."""
        frames = 0 if n_samples < self.nfft else (n_samples - self.nfft) // self.hop + 1
        return frames // self.avg

    def row_times_s(self, n_rows: int, start_sample: int = 0) -> np.ndarray:
        """Centre time of each row, float64[n_rows], in seconds from the first sample of the input."""
        r = np.arange(int(n_rows), dtype=np.float64)
        return (start_sample + r * self.row_samples + self.row_span / 2.0) / self.sample_rate

    def extent(self, n_rows: int, start_sample: int = 0) -> tuple[float, float, float, float]:
        """(f_lo, f_hi, t_end, t_start) bin and row edges for `imshow(..., origin="upper")`.

        Row 0 (the earliest) is at the top; frequency grows to the right.
        """
        f = self.freqs_hz
        half = self.bin_hz / 2.0
        t0 = (start_sample + self.row_span / 2.0) / self.sample_rate - self.row_period_s / 2.0
        t1 = t0 + max(int(n_rows), 0) * self.row_period_s
        return (float(f[0] - half), float(f[-1] + half), float(t1), float(t0))
