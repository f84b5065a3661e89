"""The kinds of emission, one module each (like rtl_433's decoders), and their registry.

Each module has a head comment giving its signature, features and thresholds (with units)
and the recordings it was checked on; it exports `ID` (the stable string id, one of
`rfkit.detection.events.KINDS`), `JAMMING` and `match(ev: Evidence) -> Match | None`.
`None` means "not this kind"; a `Match` with a low `score` means "this kind, low confidence".
Adding a kind touches only this list. `burst` goes first: an emission that is short, or on in
irregular packets for a small share of the time, is ordinary traffic whatever its waveform.

Confidence (calibrated from margins, not trials): each module's `score` in [0, 1] is the product
of logistic margins of its deciding features (0.5 exactly at a threshold, 0.88 one scale unit
past it); `classify` multiplies the winner's score by the detection confidence
of its deflection d = SNR * sqrt(independent time-frequency cells) (the excess over the noise
in units of its estimation noise): 1 / (1 + exp(-(log10 d - log10 6) / 0.15)), 0.5 at 6 sigmas,
0.99 at 30 sigmas.
"""

from __future__ import annotations

from ..evidence import Evidence
from . import burst, chirp, cw, hopping, multitone, noise, pulsed, traffic
from ._base import Match, detection_confidence, margin, sustained

__all__ = ["REGISTRY", "Match", "classify", "detection_confidence", "margin"]


#: Below this score a jamming kind's signature is too weak to report as jamming.
MIN_SCORE = 0.3
#: Share of clipped samples in the analysed snippet above which noise-like is not believed.
CLIPPED_NOISE_MAX = 0.02

#: The registry: module per kind, in the order ties are broken.
REGISTRY = (pulsed, hopping, cw, multitone, chirp, noise, traffic, burst)


def classify(ev: Evidence) -> Match:
    """The best-fitting kind for an emission (`unknown` where none fits)."""
    b = burst.match(ev)
    if b is not None:
        return b  # short, sparse or irregular packets: ordinary traffic whatever they carry
    best = None
    for mod in REGISTRY:
        m = mod.match(ev)
        if m is not None and (best is None or m.score > best.score):
            best = m
    if best is None:
        return Match("unknown", 0.2, {}, jamming=False)
    if best.jamming and best.score < MIN_SCORE:
        # a signature too weak to call: this kind, low confidence - not reported as jamming
        return Match("unknown", best.score, {"note": f"weak {best.kind} signature"}, jamming=False)
    if best.kind == "noise" and ev.clipped_fraction > CLIPPED_NOISE_MAX:
        # a saturated receiver turns any strong signal into intermodulation that looks like noise
        return Match("unknown", best.score, {"note": "noise-like while the receiver clips: intermodulation?"},
                     jamming=False)
    if best.kind != "burst" and not sustained(ev) and best.kind != "unknown":
        # a jamming signature, but short and bounded: an ordinary burst
        return Match("burst", best.score, {"duty_cycle": ev.on_fraction}, jamming=False)
    return best
