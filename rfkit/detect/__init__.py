"""Detection of interfering emissions: CFAR over time-frequency, features, kinds, tracking."""

from .events import JAMMING_KINDS, KINDS, Event

__all__ = ["Event", "KINDS", "JAMMING_KINDS"]
