"""rfkit: find and characterise jamming and interference in radio spectrum.

The heavy parts (numba kernels, the detector and its scipy statistics) load on first use, so
that `rfkit --help` and `import rfkit` stay quick.
"""

from __future__ import annotations

import importlib

from .errors import FormatError, MetadataError, ParameterError, RfkitError, SourceError
from .io import Capture, CaptureInfo
from .io import open as open

__version__ = "0.1.0"

#: Public names that load their module on first access: name -> (module, attribute).
_LAZY = {
    "detect": ("rfkit.detection.api", "detect"),
    "psd": ("rfkit.dsp", "psd"),
    "waterfall": ("rfkit.dsp", "waterfall"),
    "Psd": ("rfkit.dsp", "Psd"),
    "Waterfall": ("rfkit.dsp", "Waterfall"),
    "SpectrumSettings": ("rfkit.dsp", "SpectrumSettings"),
}

__all__ = [
    "Capture",
    "CaptureInfo",
    "FormatError",
    "MetadataError",
    "ParameterError",
    "Psd",
    "RfkitError",
    "SourceError",
    "SpectrumSettings",
    "Waterfall",
    "__version__",
    "detect",
    "open",
    "psd",
    "waterfall",
]


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rfkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
