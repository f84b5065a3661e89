"""Spectral engine: calibrated power spectra and waterfalls (numba kernels, streaming).

A complex tone of amplitude a (full scale 1.0) reads 20*log10(a) dBFS at its bin whatever the
window; noise reads as power per bin (in the window's equivalent noise bandwidth), or per hertz
with density=True. Frequency axes are absolute (centre + offset) and ascending.
"""

from .engine import Spectrogram
from .floor import NoiseFloor, noise_floor
from .settings import SpectrumSettings
from .spectral import Psd, Waterfall, psd, to_dbfs, waterfall, waterfall_rows
from .stats import RunningStats, decimate_rows

__all__ = [
    "NoiseFloor",
    "Psd",
    "RunningStats",
    "Spectrogram",
    "SpectrumSettings",
    "Waterfall",
    "decimate_rows",
    "noise_floor",
    "psd",
    "to_dbfs",
    "waterfall",
    "waterfall_rows",
]
