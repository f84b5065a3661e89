"""Shared look of rfkit's figures: one colour per kind, tick formatters for hertz and seconds.

Axes always hold data in SI units (frequency in Hz, time in s), so that what a user overlays
(`ax.axvline(1575.42e6)`) and what tests read back (`ax.get_xlim()`) are in the units of the rest
of rfkit; only the tick labels are scaled (MHz, kHz, ms, min) for people.
"""

from __future__ import annotations

import math

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.ticker import Formatter, MaxNLocator, MultipleLocator

from ..detection.events import JAMMING_KINDS, KINDS

__all__ = [
    "CMAP",
    "KIND_COLORS",
    "FreqAxis",
    "TimeAxis",
    "event_label",
    "format_db",
    "format_hz",
    "format_s",
    "freq_axis",
    "kind_color",
    "outline",
    "text_color_on",
    "time_axis",
]

#: The colour map of waterfalls: dark floor, bright signals, perceptually uniform.
CMAP = "viridis"

#: One colour per kind. Jamming kinds are warm and saturated; ordinary traffic (`burst`) is a
#: light cyan and `unknown` grey. Lines and labels drawn over a waterfall get a dark outline
#: (`outline()`), so each colour stays readable on every part of the colour map.
KIND_COLORS: dict[str, str] = {
    "cw": "#ff3b30",  # red
    "multitone": "#ff9f0a",  # orange
    "chirp": "#ff2dd4",  # magenta
    "noise": "#ffffff",  # white
    "pulsed": "#ff6f91",  # pink
    "hopping": "#ffd60a",  # yellow
    "burst": "#5ac8fa",  # light blue: traffic, not jamming
    "unknown": "#b0b0b0",  # grey
}
#: Darker twins for thin lines and text on a white background (spectrum, timeline, tables).
KIND_COLORS_ON_WHITE: dict[str, str] = {
    "cw": "#d62728",
    "multitone": "#e67e00",
    "chirp": "#c21eb0",
    "noise": "#555555",
    "pulsed": "#e0457b",
    "hopping": "#b38f00",
    "burst": "#1f77b4",
    "unknown": "#8c8c8c",
}
assert set(KIND_COLORS) == set(KINDS) == set(KIND_COLORS_ON_WHITE)


def kind_color(kind: str, *, on_white: bool = False) -> str:
    """The colour of `kind` (grey for a kind rfkit does not know)."""
    table = KIND_COLORS_ON_WHITE if on_white else KIND_COLORS
    return table.get(kind, table["unknown"])


def is_jamming_kind(kind: str) -> bool:
    return kind in JAMMING_KINDS


def text_color_on(color: str) -> str:
    """Black or white, whichever reads better on `color` (relative luminance)."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if lum > 0.5 else "white"


def outline(width: float = 3.0, color: str = "black"):
    """Path effects drawing a dark halo under a line or text (readable on any background)."""
    return [pe.Stroke(linewidth=width, foreground=color, alpha=0.9), pe.Normal()]


# -- numbers for people ------------------------------------------------------------------------
_HZ_UNITS = ((1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz"), (1.0, "Hz"))


def format_hz(hz: float, *, digits: int = 6) -> str:
    """A frequency for people: '1575.42 MHz', '250 kHz', '12 Hz' (`digits` significant; MHz up to
    10 GHz)."""
    if hz is None or not math.isfinite(hz):
        return "unknown"
    a = abs(hz)
    for scale, unit in _HZ_UNITS:
        if scale == 1e9 and a < 10e9:  # radio people say 1575.42 MHz, not 1.57542 GHz
            continue
        if a >= scale or scale == 1.0:
            return f"{hz / scale:.{digits}g} {unit}"
    return f"{hz:g} Hz"  # pragma: no cover


def format_s(s: float) -> str:
    """A duration for people: '12.5 µs', '3.2 ms', '4.75 s', '12 min 5 s'."""
    if s is None or not math.isfinite(s):
        return "unknown"
    a = abs(s)
    if a < 1e-3:
        return f"{s * 1e6:.3g} µs"
    if a < 1.0:
        return f"{s * 1e3:.3g} ms"
    if a < 120.0:
        return f"{s:.3g} s"
    m, sec = divmod(s, 60.0)
    return f"{int(m)} min {sec:.0f} s"


def format_db(db: float, *, decimals: int = 0) -> str:
    """A level in dB for people: '23 dB', never '-0 dB'; 'unknown' for NaN."""
    if db is None or not math.isfinite(db):
        return "unknown"
    v = round(float(db), decimals) + 0.0
    return f"{v:.{decimals}f} dB"


def event_label(ev, *, short: bool = False) -> str:
    """The label drawn next to an event: its kind and J/N ('chirp  J/N 23 dB')."""
    jn = ev.jn_db
    jn_txt = format_db(jn) if jn is not None and math.isfinite(jn) else "?"
    return f"{ev.kind} {jn_txt}" if short else f"{ev.kind}  J/N {jn_txt}"


# -- axis formatting -------------------------------------------------------------------------------
class _ScaledFormatter(Formatter):
    """Tick labels for data in SI units shown as (x - ref) / scale, with just enough decimals."""

    def __init__(self, scale: float, ref: float = 0.0):
        self.scale = float(scale)
        self.ref = float(ref)
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        locs = np.asarray(locs, dtype=np.float64)
        if locs.size >= 2:
            step = float(np.min(np.abs(np.diff(locs)))) / self.scale
            self.decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
            # 2.5-steps need one more digit than their decade
            if (
                step > 0
                and abs(round(step / 10**-self.decimals) * 10**-self.decimals - step) > 1e-9 * step
            ):
                self.decimals += 1
        else:
            self.decimals = 3

    def __call__(self, x, pos=None):
        v = (x - self.ref) / self.scale
        if abs(v) < 0.5 * 10 ** -(self.decimals + 3):
            v = 0.0
        return f"{v:.{self.decimals}f}"


class _ShiftedLocator(MaxNLocator):
    """MaxNLocator choosing round numbers of (x - ref) rather than of x."""

    def __init__(self, ref: float, **kw):
        super().__init__(**kw)
        self.ref = float(ref)

    def tick_values(self, vmin, vmax):
        return np.asarray(super().tick_values(vmin - self.ref, vmax - self.ref)) + self.ref


def _locator(ref: float, nbins: int):
    steps = [1, 2, 2.5, 5, 10]
    return (
        _ShiftedLocator(ref, nbins=nbins, steps=steps)
        if ref
        else MaxNLocator(nbins=nbins, steps=steps)
    )


class FreqAxis:
    """How a frequency axis spanning [lo_hz, hi_hz] is labelled.

    Absolute frequencies above 1 MHz read in MHz; a narrow span (under 20 kHz) at a high centre
    reads in kHz from a reference frequency; offsets (centre unknown) read in the unit the span
    calls for and say so in the label.
    """

    def __init__(self, lo_hz: float, hi_hz: float, *, offsets: bool):
        self.lo_hz, self.hi_hz, self.offsets = float(lo_hz), float(hi_hz), bool(offsets)
        span = max(abs(self.hi_hz - self.lo_hz), 1e-9)
        top = max(abs(self.lo_hz), abs(self.hi_hz))
        self.ref = 0.0
        if offsets:
            self.scale, unit = _unit_for(span)
            self.label = f"offset from centre ({unit}), centre frequency unknown"
        elif top >= 1e6 and span >= 20e3:
            self.scale, unit = 1e6, "MHz"
            if top >= 10e9:
                self.scale, unit = 1e9, "GHz"
            self.label = f"frequency ({unit})"
        elif top >= 1e6:
            self.scale, unit = _unit_for(span)
            mid = 0.5 * (self.lo_hz + self.hi_hz)
            self.ref = round(mid / 1e3) * 1e3
            self.label = f"frequency − {self.ref / 1e6:.6f} MHz ({unit})"
        else:
            self.scale, unit = _unit_for(top)
            self.label = f"frequency ({unit})"
        self.unit = unit

    def formatter(self) -> Formatter:
        return _ScaledFormatter(self.scale, self.ref)

    def apply(self, ax, which: str = "x", *, nbins: int = 7, label: bool = True) -> None:
        axis = ax.xaxis if which == "x" else ax.yaxis
        axis.set_major_locator(_locator(self.ref, nbins))
        axis.set_major_formatter(self.formatter())
        if label:
            (ax.set_xlabel if which == "x" else ax.set_ylabel)(self.label)


def _unit_for(span_hz: float) -> tuple[float, str]:
    if span_hz >= 2e9:
        return 1e9, "GHz"
    if span_hz >= 2e6:
        return 1e6, "MHz"
    if span_hz >= 2e3:
        return 1e3, "kHz"
    return 1.0, "Hz"


def freq_axis(lo_hz: float, hi_hz: float, *, offsets: bool) -> FreqAxis:
    """The `FreqAxis` for a span (see its docstring)."""
    return FreqAxis(lo_hz, hi_hz, offsets=offsets)


_MINUTE_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440)


class TimeAxis:
    """How a time axis from t0_s to t1_s (seconds from the start of the input) is labelled:
    µs, ms, s or min, whichever keeps tick labels short."""

    def __init__(self, t0_s: float, t1_s: float, *, relative_to_s: float = 0.0, what: str = "time"):
        self.ref = float(relative_to_s)
        self.span_s = abs(float(t1_s) - float(t0_s))
        top = max(abs(t0_s - self.ref), abs(t1_s - self.ref), 1e-12)
        if top >= 600.0:
            self.scale, unit = 60.0, "min"
        elif top >= 1.0:
            self.scale, unit = 1.0, "s"
        elif top >= 1e-3:
            self.scale, unit = 1e-3, "ms"
        else:
            self.scale, unit = 1e-6, "µs"
        self.unit = unit
        if self.ref:
            self.label = f"{what} from {format_s(self.ref)} ({unit})"
        else:
            self.label = f"{what} ({unit})"

    def apply(self, ax, which: str = "y", *, nbins: int = 7, label: bool = True) -> None:
        axis = ax.xaxis if which == "x" else ax.yaxis
        if self.scale == 60.0:
            span_min = self.span_s / 60.0
            step = next((m for m in _MINUTE_STEPS if span_min / m <= nbins), _MINUTE_STEPS[-1])
            axis.set_major_locator(MultipleLocator(step * 60.0, offset=self.ref % (step * 60.0)))
        else:
            axis.set_major_locator(_locator(self.ref, nbins))
        axis.set_major_formatter(_ScaledFormatter(self.scale, self.ref))
        if label:
            (ax.set_xlabel if which == "x" else ax.set_ylabel)(self.label)


def time_axis(t0_s: float, t1_s: float, **kw) -> TimeAxis:
    """The `TimeAxis` for a span (see its docstring)."""
    return TimeAxis(t0_s, t1_s, **kw)
