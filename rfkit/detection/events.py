"""The event: one detected emission, in the schema of DESIGN.md (seconds, hertz, dBFS, dB).

Events serialise to JSON lines, CSV rows and SigMF annotations; these three are contracts
that users' scripts rely on, so every field name here is fixed.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field

from ..errors import MetadataError, ParameterError

__all__ = [
    "CSV_COLUMNS",
    "JAMMING_KINDS",
    "KINDS",
    "PARAM_KEYS",
    "Detections",
    "Event",
    "annotation_to_event",
    "event_to_annotation",
]

#: Every kind an event may have, as in DESIGN.md.
KINDS = ("cw", "multitone", "chirp", "noise", "pulsed", "hopping", "burst", "unknown")
#: Kinds that carry a jamming signature when sustained.
JAMMING_KINDS = frozenset(("cw", "multitone", "chirp", "noise", "pulsed", "hopping"))
#: Keys `params` may hold (each optional, units in the name).
PARAM_KEYS = (
    "tones_hz",
    "sweep_rate_hz_per_s",
    "sweep_period_s",
    "sweep_shape",
    "bandwidth_hz",
    "duty_cycle",
    "prf_hz",
    "pulse_width_s",
    "hop_rate_hz",
    "channels_hz",
    "base_kind",
)

CSV_COLUMNS = (
    "start_s",
    "end_s",
    "freq_lo_hz",
    "freq_hi_hz",
    "kind",
    "jamming",
    "power_dbfs",
    "jn_db",
    "confidence",
    "params",
)

_NS = "rfkit:"


@dataclass(frozen=True)
class Event:
    """One detected emission.

    Times are seconds from the first sample of the input; frequencies are absolute
    (centre + offset), or offsets where the centre frequency is unknown.
    """

    start_s: float
    end_s: float
    freq_lo_hz: float
    freq_hi_hz: float
    kind: str
    jamming: bool
    power_dbfs: float
    jn_db: float
    confidence: float
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ParameterError(f"kind={self.kind!r} is not one of {', '.join(KINDS)}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ParameterError(f"confidence={self.confidence} must be between 0 and 1")
        if self.end_s < self.start_s:
            raise ParameterError(f"end_s={self.end_s} must not be before start_s={self.start_s}")

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def center_hz(self) -> float:
        return 0.5 * (self.freq_lo_hz + self.freq_hi_hz)

    @property
    def bandwidth_hz(self) -> float:
        return self.freq_hi_hz - self.freq_lo_hz

    def to_dict(self) -> dict:
        d = asdict(self)
        d["params"] = _jsonable(d["params"])
        for k in ("start_s", "end_s", "freq_lo_hz", "freq_hi_hz", "power_dbfs", "jn_db", "confidence"):
            d[k] = _round(d[k])
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(", ", ": "))

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        try:
            fields = {k: d[k] for k in CSV_COLUMNS if k != "params"}
        except KeyError as e:
            raise MetadataError(f"event lacks the field {e.args[0]!r}") from None
        for k in ("power_dbfs", "jn_db"):  # null in JSON: not measurable
            if fields[k] is None:
                fields[k] = float("nan")
        return cls(**fields, params=dict(d.get("params") or {}))

    def csv_row(self) -> list:
        d = self.to_dict()
        return [d[k] if k != "params" else json.dumps(d["params"]) for k in CSV_COLUMNS]


def _round(v: float) -> float | None:
    """Ten significant digits; None (JSON null) for NaN and Inf, which JSON cannot hold."""
    return float(f"{v:.10g}") if math.isfinite(v) else None


def _float_or_nan(v) -> float:
    return float("nan") if v is None else float(v)


def _jsonable(v):
    """numpy scalars and arrays inside params -> plain JSON types."""
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if hasattr(v, "tolist"):
        return _jsonable(v.tolist())
    if isinstance(v, float):
        return _round(v)
    return v


def event_to_annotation(event: Event, *, sample_rate: float) -> dict:
    """The SigMF annotation for an event: core fields, the rest under `rfkit:`."""
    start = round(event.start_s * sample_rate)
    count = max(1, round(event.end_s * sample_rate) - start)
    ann = {
        "core:sample_start": start,
        "core:sample_count": count,
        "core:freq_lower_edge": float(event.freq_lo_hz),
        "core:freq_upper_edge": float(event.freq_hi_hz),
        "core:label": event.kind,
        "core:generator": "rfkit",
    }
    d = event.to_dict()
    for k in ("jamming", "power_dbfs", "jn_db", "confidence", "params"):
        ann[_NS + k] = d[k]
    return ann


def annotation_to_event(ann: dict, *, sample_rate: float) -> Event:
    """The event an rfkit SigMF annotation describes (inverse of `event_to_annotation`)."""
    try:
        start = ann["core:sample_start"] / sample_rate
        end = start + ann.get("core:sample_count", 0) / sample_rate
        return Event(
            start_s=start,
            end_s=end,
            freq_lo_hz=float(ann.get("core:freq_lower_edge", 0.0)),
            freq_hi_hz=float(ann.get("core:freq_upper_edge", 0.0)),
            kind=ann.get("core:label", "unknown"),
            jamming=bool(ann.get(_NS + "jamming", False)),
            power_dbfs=_float_or_nan(ann.get(_NS + "power_dbfs")),
            jn_db=_float_or_nan(ann.get(_NS + "jn_db")),
            confidence=float(ann.get(_NS + "confidence", 1.0)),
            params=dict(ann.get(_NS + "params", {})),
        )
    except KeyError as e:
        raise MetadataError(f"annotation lacks {e.args[0]!r}") from None


class Detections(list):
    """The events found in one input (a list of `Event`), with what the detector noticed.

    `warnings` holds one line each for conditions that make the answer less trustworthy
    (a clipped receiver, all-zero samples, an unknown centre frequency); `info` is the
    input's `CaptureInfo`; `noise_dbfs` the noise power in the whole sampled band.
    """

    def __init__(self, events=(), *, info=None, warnings=(), noise_dbfs: float = float("nan"),
                 stats: dict | None = None):
        super().__init__(events)
        self.info = info
        self.warnings = list(warnings)
        self.noise_dbfs = noise_dbfs
        self.stats = dict(stats or {})

    @property
    def jamming(self) -> list[Event]:
        return [e for e in self if e.jamming]
