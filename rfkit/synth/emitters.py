"""Emitters: frozen descriptions of interference (offsets in Hz, times in s, power as J/N in dB).

Each emitter is a small frozen dataclass. Its frequency is an *offset* from the receiver's
centre frequency (Hz, within ±rate/2); it is switched on at `start_s` and off at `end_s`
(None: the end of the recording); its strength is `jn_db`, the jammer-to-noise ratio over
the whole sampled band:

    J/N = P_emitter / P_noise,   P_noise = thermal noise power in the full band (rate_hz wide)

where P_emitter is the mean power *while transmitting* (for `Pulsed`, during a pulse; the
power averaged over on and off time is `duty` times less). A whole-band noise jammer at
J/N = 0 dB thus doubles the noise floor; a CW at J/N = −10 dB over a 2.4 MHz band sits
10·log10(nfft) − 10 dB above the floor of one bin of an nfft-point FFT.

The waveforms are rendered by `_sources.py` at unit power; the generator scales them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..errors import ParameterError

__all__ = [
    "CW",
    "EMITTERS",
    "SWEEP_SHAPES",
    "Chirp",
    "Emitter",
    "Hopping",
    "Multitone",
    "Noise",
    "Pulsed",
    "emitter_from_dict",
]

#: Sweep shapes of a chirp: sawtooth (up, then jump back) and triangle (up, then down).
SWEEP_SHAPES = ("sawtooth", "triangle")


def _check_time(e) -> None:
    if not e.start_s >= 0:
        raise ParameterError(f"start_s={e.start_s} must be >= 0 seconds")
    if e.end_s is not None and not e.end_s > e.start_s:
        raise ParameterError(f"end_s={e.end_s} must be after start_s={e.start_s}")


@dataclass(frozen=True)
class Emitter:
    """Common fields: strength (J/N over the whole band, dB) and on/off times (s)."""

    jn_db: float = 0.0
    start_s: float = 0.0
    end_s: float | None = None

    kind = "unknown"

    def __post_init__(self):
        _check_time(self)

    # -- what the generator and the ground truth need -------------------------------------
    def band_hz(self) -> tuple[float, float]:
        """(lowest, highest) offset frequency the emission occupies, Hz."""
        raise NotImplementedError

    def spectrum_hz(self) -> list[float]:
        """Offset frequencies sampling where the power sits, with equal weights (for filter gains)."""
        lo, hi = self.band_hz()
        if hi <= lo:
            return [lo]
        n = 64
        return [lo + (hi - lo) * (k + 0.5) / n for k in range(n)]

    def params(self, shift_hz: float) -> dict:
        """Kind-specific ground-truth `params` (absolute frequencies = offset + shift_hz)."""
        return {}

    def check(self, rate_hz: float) -> None:
        """Raise ParameterError where the emitter does not fit in a band `rate_hz` wide."""
        lo, hi = self.band_hz()
        if lo < -rate_hz / 2 or hi > rate_hz / 2:
            raise ParameterError(
                f"{self.kind} band {lo:+.6g}..{hi:+.6g} Hz lies outside ±rate/2 = ±{rate_hz / 2:.6g} Hz"
            )

    def to_dict(self) -> dict:
        d = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            d[f.name] = v.to_dict() if isinstance(v, Emitter) else (list(v) if isinstance(v, tuple) else v)
        return d


@dataclass(frozen=True)
class CW(Emitter):
    """One unmodulated carrier at `offset_hz`: x(t) = exp(j(2π f t + φ0))."""

    offset_hz: float = 0.0

    kind = "cw"

    def band_hz(self):
        return (self.offset_hz, self.offset_hz)

    def spectrum_hz(self):
        return [self.offset_hz]

    def params(self, shift_hz):
        return {"tones_hz": [self.offset_hz + shift_hz]}


@dataclass(frozen=True)
class Multitone(Emitter):
    """Several carriers at once, the power split equally: x(t) = Σ_k exp(j(2π f_k t + φ_k)) / √K."""

    offsets_hz: tuple[float, ...] = (-100e3, 100e3)

    kind = "multitone"

    def __post_init__(self):
        object.__setattr__(self, "offsets_hz", tuple(float(f) for f in self.offsets_hz))
        super().__post_init__()
        if len(self.offsets_hz) < 2:
            raise ParameterError(f"offsets_hz={self.offsets_hz} must hold at least two tones")
        if len(set(self.offsets_hz)) != len(self.offsets_hz):
            raise ParameterError(f"offsets_hz={self.offsets_hz} holds the same tone twice")

    def band_hz(self):
        return (min(self.offsets_hz), max(self.offsets_hz))

    def spectrum_hz(self):
        return list(self.offsets_hz)

    def params(self, shift_hz):
        return {"tones_hz": [f + shift_hz for f in sorted(self.offsets_hz)]}


@dataclass(frozen=True)
class Chirp(Emitter):
    """A tone swept linearly over `bandwidth_hz` around `offset_hz`, repeating every `period_s`.

    Instantaneous frequency, with τ = time since the sweep began modulo the period T and
    B the swept bandwidth, f_lo = offset − B/2:

        sawtooth:  f(τ) = f_lo + B τ/T                      (rate B/T, then a jump back)
        triangle:  f(τ) = f_lo + 2B τ/T        for τ < T/2  (rate 2B/T up, then down)
                   f(τ) = f_lo + 2B (1 − τ/T)  for τ ≥ T/2

    The phase is 2π times the integral of f, so it stays continuous across the jump of a
    sawtooth and across periods. A sweep with T shorter than one FFT frame (GPS jammers:
    T = 10–100 µs) does not draw a line on a waterfall but fills the swept band.
    `sweep_rate_hz_per_s` in the ground truth is |df/dt|: B/T (sawtooth) or 2B/T (triangle).
    """

    offset_hz: float = 0.0
    bandwidth_hz: float = 1e6
    period_s: float = 1e-3
    shape: str = "sawtooth"

    kind = "chirp"

    def __post_init__(self):
        super().__post_init__()
        if self.shape not in SWEEP_SHAPES:
            raise ParameterError(f"shape={self.shape!r} must be one of {', '.join(SWEEP_SHAPES)}")
        if not self.bandwidth_hz > 0:
            raise ParameterError(f"bandwidth_hz={self.bandwidth_hz} must be > 0")
        if not self.period_s > 0:
            raise ParameterError(f"period_s={self.period_s} must be > 0")

    def band_hz(self):
        return (self.offset_hz - self.bandwidth_hz / 2, self.offset_hz + self.bandwidth_hz / 2)

    @property
    def sweep_rate_hz_per_s(self) -> float:
        return self.bandwidth_hz / self.period_s * (2.0 if self.shape == "triangle" else 1.0)

    def params(self, shift_hz):
        return {
            "sweep_rate_hz_per_s": self.sweep_rate_hz_per_s,
            "sweep_period_s": self.period_s,
            "sweep_shape": self.shape,
            "bandwidth_hz": self.bandwidth_hz,
        }


@dataclass(frozen=True)
class Noise(Emitter):
    """Band-limited complex Gaussian noise, `bandwidth_hz` wide (−6 dB) around `offset_hz`.

    White noise through a linear-phase low-pass FIR (Kaiser window, cut-off B/2, ≥ 60 dB
    stop band), shifted to the offset, normalised to unit power by the filter's noise gain
    Σ|h|². `bandwidth_hz` equal to the sample rate means white noise over the whole band:
    a rise of the noise floor, which only a quiet reference can reveal.
    """

    offset_hz: float = 0.0
    bandwidth_hz: float = 100e3

    kind = "noise"

    def __post_init__(self):
        super().__post_init__()
        if not self.bandwidth_hz > 0:
            raise ParameterError(f"bandwidth_hz={self.bandwidth_hz} must be > 0")

    def band_hz(self):
        return (self.offset_hz - self.bandwidth_hz / 2, self.offset_hz + self.bandwidth_hz / 2)

    def params(self, shift_hz):
        return {"bandwidth_hz": self.bandwidth_hz}


@dataclass(frozen=True)
class Hopping(Emitter):
    """A narrow emission hopping among `channels_hz` (offsets), staying `dwell_s` on each.

    The channel sequence is pseudo-random (seeded), never the same channel twice in a row;
    each hop starts with a fresh random phase. `bandwidth_hz` = 0 hops a pure carrier;
    > 0 hops narrow band noise of that width. Hop rate = 1/dwell_s.
    """

    channels_hz: tuple[float, ...] = (-300e3, -100e3, 100e3, 300e3)
    dwell_s: float = 10e-3
    bandwidth_hz: float = 0.0

    kind = "hopping"

    def __post_init__(self):
        object.__setattr__(self, "channels_hz", tuple(float(f) for f in self.channels_hz))
        super().__post_init__()
        if len(set(self.channels_hz)) < 2:
            raise ParameterError(f"channels_hz={self.channels_hz} must hold at least two channels")
        if not self.dwell_s > 0:
            raise ParameterError(f"dwell_s={self.dwell_s} must be > 0")
        if self.bandwidth_hz < 0:
            raise ParameterError(f"bandwidth_hz={self.bandwidth_hz} must be >= 0")

    def band_hz(self):
        h = self.bandwidth_hz / 2
        return (min(self.channels_hz) - h, max(self.channels_hz) + h)

    def spectrum_hz(self):
        return list(self.channels_hz)

    def params(self, shift_hz):
        p = {"hop_rate_hz": 1.0 / self.dwell_s, "channels_hz": [c + shift_hz for c in sorted(self.channels_hz)]}
        if self.bandwidth_hz > 0:
            p["bandwidth_hz"] = self.bandwidth_hz
        return p


@dataclass(frozen=True)
class Pulsed(Emitter):
    """Any base emitter switched on and off: on for duty/prf_hz seconds, every 1/prf_hz seconds.

    The first pulse begins at `start_s`. The base's own `jn_db`, `start_s` and `end_s` are
    ignored: this emitter's `jn_db` is the power during a pulse. The gate is a hard switch
    (like a keyed amplifier), so the spectrum carries sin(x)/x side lobes at multiples of the PRF.
    """

    base: Emitter = field(default_factory=CW)
    prf_hz: float = 1e3
    duty: float = 0.5

    kind = "pulsed"

    def __post_init__(self):
        super().__post_init__()
        if not isinstance(self.base, Emitter) or isinstance(self.base, Pulsed):
            raise ParameterError(f"base={self.base!r} must be an emitter other than Pulsed")
        if not self.prf_hz > 0:
            raise ParameterError(f"prf_hz={self.prf_hz} must be > 0")
        if not 0 < self.duty < 1:
            raise ParameterError(f"duty={self.duty} must be between 0 and 1 (exclusive)")

    @property
    def pulse_width_s(self) -> float:
        return self.duty / self.prf_hz

    def band_hz(self):
        return self.base.band_hz()

    def spectrum_hz(self):
        return self.base.spectrum_hz()

    def check(self, rate_hz):
        self.base.check(rate_hz)

    def params(self, shift_hz):
        p = dict(self.base.params(shift_hz))
        p.update({
            "base_kind": self.base.kind,
            "prf_hz": self.prf_hz,
            "duty_cycle": self.duty,
            "pulse_width_s": self.pulse_width_s,
        })
        return p


#: Emitter classes by kind (the registry `emitter_from_dict` uses).
EMITTERS: dict[str, type[Emitter]] = {c.kind: c for c in (CW, Multitone, Chirp, Noise, Pulsed, Hopping)}


def emitter_from_dict(d: dict) -> Emitter:
    """The emitter a `to_dict()` describes."""
    d = dict(d)
    kind = d.pop("kind", None)
    if kind not in EMITTERS:
        raise ParameterError(f"kind={kind!r} is not an emitter kind; use one of {', '.join(EMITTERS)}")
    if "base" in d and isinstance(d["base"], dict):
        d["base"] = emitter_from_dict(d["base"])
    for k in ("offsets_hz", "channels_hz"):
        if k in d:
            d[k] = tuple(d[k])
    try:
        return EMITTERS[kind](**d)
    except TypeError as e:
        raise ParameterError(f"{kind} emitter: {e}") from None
