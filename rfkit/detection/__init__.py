"""Detection of interfering emissions: CFAR over time-frequency, features, kinds, tracking."""

from .baseline import Baseline, learn_baseline
from .events import JAMMING_KINDS, KINDS, Detections, Event
from .online import OnlineDetector
from .options import DetectorOptions

__all__ = ["Event", "Detections", "KINDS", "JAMMING_KINDS", "DetectorOptions", "OnlineDetector",
           "Baseline", "learn_baseline"]
