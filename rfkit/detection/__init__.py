"""Detection of interfering emissions: CFAR over time-frequency, features, kinds, tracking.

The event schema loads at once; the detector itself (numba kernels, scipy) on first use, so
that reading `DetectorOptions` for a command's --help costs nothing.
"""

from __future__ import annotations

import importlib

from .events import JAMMING_KINDS, KINDS, Detections, Event

_LAZY = {
    "DetectorOptions": ".options",
    "OnlineDetector": ".online",
    "Baseline": ".baseline",
    "learn_baseline": ".baseline",
}

__all__ = [
    "JAMMING_KINDS",
    "KINDS",
    "Baseline",
    "Detections",
    "DetectorOptions",
    "Event",
    "OnlineDetector",
    "learn_baseline",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rfkit.detection' has no attribute {name!r}")
