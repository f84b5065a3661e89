"""Detection of interfering emissions: CFAR over time-frequency, features, kinds, tracking."""

from .events import JAMMING_KINDS, KINDS, Detections, Event

__all__ = ["Event", "Detections", "KINDS", "JAMMING_KINDS"]
