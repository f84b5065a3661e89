"""Default thresholds and tolerances, in one place, with their units. Kernels never hold literals."""

from __future__ import annotations

__all__ = ["CLIP_LEVEL", "DEFAULT_BLOCK_SIZE"]

#: Samples per block when streaming a capture (262144 complex64 = 2 MiB).
DEFAULT_BLOCK_SIZE = 262_144
#: |I| or |Q| at or above this (full scale 1.0) counts as clipped.
CLIP_LEVEL = 0.999
#: Zoom figures in an HTML report at most (the most important events; the report says so).
REPORT_MAX_ZOOMS = 12
