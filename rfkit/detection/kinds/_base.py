"""What the kind modules share: the `Match` verdict, logistic margins, common predicates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = [
    "KAPPA_CONSTANT_MAX",
    "KAPPA_GAUSS_RANGE",
    "KAPPA_SWEEP_MAX",
    "Match",
    "constant_envelope",
    "detection_confidence",
    "gaussian_envelope",
    "margin",
    "sustained",
]

#: Noise-corrected envelope kappa below which the envelope counts as constant (CW, chirp: 1).
KAPPA_CONSTANT_MAX = 1.3
#: A sweep through a receiver whose response is not flat is amplitude-modulated by it (|H(f(t))|):
#: its kappa rises above 1, yet stays well below a Gaussian's 2.
KAPPA_SWEEP_MAX = 1.65
#: kappa range of a Gaussian (noise-like) envelope: 2 in theory.
KAPPA_GAUSS_RANGE = (1.6, 2.8)
#: Noise-corrected kappa is trusted only where the in-band SNR (linear) exceeds this.
KAPPA_MIN_SNR = 0.05


@dataclass(frozen=True)
class Match:
    """A kind's verdict: this kind, how well it fits (0..1), its measured params."""

    kind: str
    score: float
    params: dict = field(default_factory=dict)
    jamming: bool = True


def margin(value: float, threshold: float, scale: float) -> float:
    """Logistic margin: 0.5 at threshold, -> 1 as value exceeds it by several `scale`s."""
    if value is None or not math.isfinite(value):
        return 0.0
    z = (value - threshold) / scale
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def detection_confidence(deflection: float) -> float:
    """Confidence that an emission is real from its deflection (excess / its estimation noise):
    0.5 at 6 sigmas, 0.9 at 13, 0.99 at 30 (logistic in log10)."""
    if not deflection > 0:
        return 0.0
    return margin(math.log10(deflection), math.log10(6.0), 0.15)


def sustained(ev) -> bool:
    """On long enough to be jamming, or cut by both edges of the input (a short input can't tell)."""
    return ev.duration_s >= ev.min_jamming_s or not ev.bounded


def constant_envelope(ev, kappa_max: float = KAPPA_CONSTANT_MAX) -> float | None:
    """Margin (0..1) that the band envelope is constant (kappa below `kappa_max`); None where
    the snippet can't tell."""
    sn = ev.snip
    if sn is None or not math.isfinite(sn.kappa) or sn.snr < KAPPA_MIN_SNR:
        return None
    return margin(-sn.kappa, -kappa_max, 0.08)


def gaussian_envelope(ev) -> float | None:
    """Margin (0..1) that the band envelope is Gaussian (kappa near 2); None where unknown."""
    sn = ev.snip
    if sn is None or not math.isfinite(sn.kappa) or sn.snr < KAPPA_MIN_SNR:
        return None
    lo, hi = KAPPA_GAUSS_RANGE
    return min(margin(sn.kappa, lo, 0.08), margin(-sn.kappa, -hi, 0.15))
