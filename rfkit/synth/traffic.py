"""Ordinary bursty traffic: sparse OOK and FSK packets like keyfobs and sensors (not jamming).

Packets arrive as a Poisson process (mean `rate_per_s`, with a minimum gap), each a few
milliseconds long, at a random frequency and strength. Ground truth kind `burst`,
jamming = false.

- OOK (keyfobs, PWM): each bit period T_b = 1/bitrate carries one carrier pulse, short
  (T_b/3, a 0) or long (2T_b/3, a 1). The shortest pulse fixes the spectral main lobe,
  about ±3·bitrate around the carrier; that is the truth band.
- FSK (sensors, 2-FSK): frequency f0 ± deviation per bit, phase continuous:
  φ(t) = 2π [Σ_{m<k} f_m T_b + f_k (t − k T_b)] for bit k. Truth band f0 ± (deviation + bitrate)
  (Carson's rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ._sources import BOUNDARY_EPS, cis

__all__ = ["MODULATIONS", "Packet", "Traffic", "plan_packets", "render_packets"]

MODULATIONS = ("ook", "fsk")
#: Bit rates drawn for OOK keyfobs, bit/s (PWM symbol 250 µs .. 1 ms).
OOK_BITRATE_RANGE = (1e3, 4e3)
#: Bit rates drawn for FSK sensors, bit/s.
FSK_BITRATE_RANGE = (5e3, 40e3)
#: Bits per packet (OOK, FSK).
OOK_BITS_RANGE = (12, 40)
FSK_BITS_RANGE = (48, 160)
#: FSK deviation as a fraction of the sample rate, and its cap in Hz.
FSK_DEVIATION_FRACTION = 0.03
FSK_DEVIATION_MAX_HZ = 50e3
#: Packets stay this fraction of the band away from the band edges.
EDGE_MARGIN = 0.1


@dataclass(frozen=True)
class Traffic:
    """Bursty ordinary traffic: mean `rate_per_s` packets a second, J/N drawn in `jn_db_range`."""

    rate_per_s: float = 2.0
    jn_db_range: tuple[float, float] = (-5.0, 10.0)
    modulations: tuple[str, ...] = MODULATIONS
    min_gap_s: float = 0.02

    def __post_init__(self):
        object.__setattr__(self, "jn_db_range", tuple(float(v) for v in self.jn_db_range))
        object.__setattr__(self, "modulations", tuple(self.modulations))
        if not self.rate_per_s > 0:
            raise ParameterError(f"rate_per_s={self.rate_per_s} must be > 0")
        if len(self.jn_db_range) != 2 or self.jn_db_range[0] > self.jn_db_range[1]:
            raise ParameterError(f"jn_db_range={self.jn_db_range} must be (low, high) with low <= high")
        bad = [m for m in self.modulations if m not in MODULATIONS]
        if bad or not self.modulations:
            raise ParameterError(f"modulations={self.modulations} must be some of {', '.join(MODULATIONS)}")

    def to_dict(self) -> dict:
        return {"rate_per_s": self.rate_per_s, "jn_db_range": list(self.jn_db_range),
                "modulations": list(self.modulations), "min_gap_s": self.min_gap_s}


@dataclass(frozen=True)
class Packet:
    """One packet: when, where (offset Hz), how strong, and its bits."""

    start_s: float
    offset_hz: float
    jn_db: float
    modulation: str
    bitrate: float
    deviation_hz: float
    bits: tuple[int, ...]
    phase0: float

    @property
    def duration_s(self) -> float:
        return len(self.bits) / self.bitrate

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    @property
    def half_band_hz(self) -> float:
        if self.modulation == "ook":
            return 3.0 * self.bitrate
        return self.deviation_hz + self.bitrate


def plan_packets(traffic: Traffic, *, rate_hz: float, duration_s: float, rng: np.random.Generator) -> list[Packet]:
    """The packets of a recording `duration_s` long (drawn from `rng`, in time order)."""
    out = []
    t = rng.exponential(1.0 / traffic.rate_per_s)
    lim = rate_hz / 2 * (1 - 2 * EDGE_MARGIN)
    while True:
        mod = traffic.modulations[rng.integers(len(traffic.modulations))]
        if mod == "ook":
            bitrate = float(rng.uniform(*OOK_BITRATE_RANGE))
            nbits = int(rng.integers(OOK_BITS_RANGE[0], OOK_BITS_RANGE[1] + 1))
            dev = 0.0
        else:
            bitrate = float(rng.uniform(*FSK_BITRATE_RANGE))
            nbits = int(rng.integers(FSK_BITS_RANGE[0], FSK_BITS_RANGE[1] + 1))
            dev = min(FSK_DEVIATION_FRACTION * rate_hz, FSK_DEVIATION_MAX_HZ)
        bitrate = min(bitrate, rate_hz / 16)  # at least 16 samples a bit
        bits = tuple(int(b) for b in rng.integers(0, 2, size=nbits))
        p = Packet(
            start_s=float(t),
            offset_hz=float(rng.uniform(-lim, lim)),
            jn_db=float(rng.uniform(*traffic.jn_db_range)),
            modulation=mod,
            bitrate=bitrate,
            deviation_hz=dev,
            bits=bits,
            phase0=float(rng.random()),
        )
        if p.end_s > duration_s:
            break
        out.append(p)
        t = p.end_s + traffic.min_gap_s + rng.exponential(1.0 / traffic.rate_per_s)
    return out


def _packet_wave(p: Packet, t: np.ndarray) -> np.ndarray:
    """Unit-power-while-on waveform of packet p at times t (s since the packet began)."""
    bits = np.asarray(p.bits, dtype=np.int64)
    tb = 1.0 / p.bitrate
    k = np.clip(np.floor(t / tb + BOUNDARY_EPS).astype(np.int64), 0, bits.size - 1)
    within = np.maximum(t - k * tb, 0.0)
    if p.modulation == "ook":
        on = within < np.where(bits[k] == 1, 2.0 / 3.0, 1.0 / 3.0) * tb
        return cis(p.offset_hz * t + p.phase0) * on
    f = p.offset_hz + p.deviation_hz * (2.0 * bits - 1.0)
    start_cycles = np.concatenate([[0.0], np.cumsum(f * tb)])[:-1]
    return cis(start_cycles[k] + f[k] * within + p.phase0)


def render_packets(packets: list[Packet], amps: list[float], *, i0: int, n: int, rate_hz: float) -> np.ndarray | None:
    """Sum of the packets overlapping samples i0 .. i0+n (None where none does)."""
    t0, t1 = i0 / rate_hz, (i0 + n) / rate_hz
    out = None
    for p, a in zip(packets, amps):
        if p.end_s <= t0 or p.start_s >= t1:
            continue
        s = max(i0, int(np.ceil(p.start_s * rate_hz)))
        e = min(i0 + n, int(np.ceil(p.end_s * rate_hz)))
        if e <= s:
            continue
        if out is None:
            out = np.zeros(n, dtype=np.complex128)
        t = np.arange(s, e, dtype=np.float64) / rate_hz - p.start_s
        out[s - i0:e - i0] += a * _packet_wave(p, t)
    return out
