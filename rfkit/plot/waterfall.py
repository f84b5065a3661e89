"""Waterfall figure: time (s, downwards) against frequency (Hz, labelled in MHz/kHz), colour in dBFS.

The image is max-held down to the pixels of the axes (rows and columns), so that a 20 ms burst
in an hour-long recording or a one-bin tone in a 65536-point FFT still shows; detections are
drawn as boxes labelled with their kind and J/N, one colour per kind.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError
from .style import (
    CMAP,
    event_label,
    freq_axis,
    is_jamming_kind,
    kind_color,
    outline,
    text_color_on,
    time_axis,
)

__all__ = [
    "DISPLAY_ROWS",
    "FLOOR_MARGIN_DB",
    "MIN_RANGE_DB",
    "TOP_PERCENTILE",
    "centre_unknown",
    "display_waterfall",
    "draw_event_boxes",
    "new_figure",
    "plot_waterfall",
    "robust_limits",
]

#: Rows a waterfall is computed with for display (a few thousand: more than any screen shows).
DISPLAY_ROWS = 2000
#: The colour scale starts this far below the displayed noise floor (dB): noise reads as dark texture.
FLOOR_MARGIN_DB = 5.0
#: ... and spans at least this many dB.
MIN_RANGE_DB = 30.0
#: ... and reaches up to this percentile of the displayed values (plus 1 dB).
TOP_PERCENTILE = 99.95
#: Size of the event labels (points), and how many may stack at one corner.
LABEL_FONT_PT = 7.5
LABEL_STACK = 4
#: Event boxes lie this fraction of the axes' span outside the event on each side.
BOX_MARGIN = 0.004
#: At most this many event labels on one axes (the boxes are all drawn; a legend names colours).
MAX_LABELS = 30


def new_figure(ax=None, *, figsize=(10.0, 6.0), dpi: float = 100.0):
    """(figure, axes): the given axes' figure, or a new Figure outside pyplot (no global state;
    Jupyter shows a returned Figure inline)."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    return fig, fig.add_subplot()


def _axes_pixels(ax) -> tuple[int, int]:
    """Approximate (width, height) of the axes in device pixels (before layout)."""
    fig = ax.figure
    pos = ax.get_position()
    w_in, h_in = fig.get_size_inches()
    return max(16, int(pos.width * w_in * fig.dpi)), max(16, int(pos.height * h_in * fig.dpi))


def _unpack(wf, freqs_hz, times_s):
    """(power_dbfs, freqs_hz, times_s, settings or None) from a Waterfall or from arrays."""
    settings = getattr(wf, "settings", None)
    if hasattr(wf, "power_dbfs"):
        power = wf.power_dbfs
        freqs_hz = wf.freqs_hz if freqs_hz is None else freqs_hz
        times_s = wf.times_s if times_s is None else times_s
    else:
        power = wf
    power = np.asarray(power)
    if power.ndim != 2 or power.shape[0] < 1 or power.shape[1] < 2:
        raise ParameterError(f"power_dbfs.shape={power.shape} must be (rows >= 1, bins >= 2)")
    if freqs_hz is None or times_s is None:
        raise ParameterError(
            "give freqs_hz= and times_s= with a plain array (or pass an rfkit Waterfall)"
        )
    freqs_hz = np.asarray(freqs_hz, dtype=np.float64)
    times_s = np.asarray(times_s, dtype=np.float64)
    if freqs_hz.shape != (power.shape[1],):
        raise ParameterError(
            f"freqs_hz.shape={freqs_hz.shape} must match the {power.shape[1]} columns of power"
        )
    if times_s.shape != (power.shape[0],):
        raise ParameterError(
            f"times_s.shape={times_s.shape} must match the {power.shape[0]} rows of power"
        )
    return power, freqs_hz, times_s, settings


def centre_unknown(settings, f_lo: float, f_hi: float) -> bool:
    """Whether a frequency axis holds offsets from an unknown centre: the settings say so, or
    (no settings) the axis spans 0 Hz, as only a baseband axis does."""
    if settings is not None:
        return getattr(settings, "center_freq", None) is None
    return f_lo < 0.0 < f_hi


def _edges(centres: np.ndarray, step: float | None) -> tuple[float, float]:
    if step is None:
        step = float(centres[1] - centres[0]) if centres.size > 1 else 1.0
    return float(centres[0] - step / 2.0), float(centres[-1] + step / 2.0)


def robust_limits(power_dbfs: np.ndarray) -> tuple[float, float]:
    """(vmin, vmax) in dB for an image of `power_dbfs`: from FLOOR_MARGIN_DB below its median
    (the noise floor as displayed, max-hold included) to its TOP_PERCENTILE (+1 dB), at least
    MIN_RANGE_DB apart. NaN and infinities are ignored."""
    p = np.asarray(power_dbfs)
    sample = p.ravel()[:: max(1, p.size // 1_000_000)]
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        return -100.0, 0.0
    vmin = float(np.median(sample)) - FLOOR_MARGIN_DB
    top = float(np.percentile(sample, TOP_PERCENTILE)) + 1.0
    return vmin, max(top, vmin + MIN_RANGE_DB)


def _max_decimate_cols(p: np.ndarray, factor: int) -> np.ndarray:
    if factor <= 1:
        return p
    idx = np.arange(0, p.shape[1], factor)
    return np.maximum.reduceat(p, idx, axis=1)


def _decimate_rows(p: np.ndarray, factor: int) -> np.ndarray:
    if factor <= 1:
        return p
    from ..dsp.stats import decimate_rows

    return decimate_rows(p, int(factor), how="max")


def plot_waterfall(
    wf,
    *,
    freqs_hz=None,
    times_s=None,
    events=None,
    ax=None,
    vmin_dbfs: float | None = None,
    vmax_dbfs: float | None = None,
    cmap: str = CMAP,
    offsets: bool | None = None,
    max_rows: int | None = None,
    max_cols: int | None = None,
    colorbar: bool = True,
    labels: bool = True,
    title: str | None = None,
    time_ref_s: float = 0.0,
    legend: str = "auto",
):
    """Draw a waterfall (time downwards, frequency across, colour in dBFS); return the figure.

    Parameters
    ----------
    wf : rfkit Waterfall or np.ndarray [shape=(rows, nbins)]
        Power in dBFS, rows in time, columns in ascending frequency. With an array, give
        `freqs_hz` (bin centres, Hz) and `times_s` (row centres, s from the start of the input).
    events : list of Event, optional
        Detections (e.g. `rfkit.detect(...)`) drawn as boxes labelled with kind and J/N.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure (outside pyplot) where None.
    vmin_dbfs, vmax_dbfs : float, optional
        Colour limits; by default `robust_limits` (noise floor - 5 dB to a high percentile).
    offsets : bool, optional
        Frequencies are offsets from an unknown centre (labelled so). By default: the Waterfall's
        capture had no centre frequency, or (arrays) the axis spans 0 Hz.
    max_rows, max_cols : int, optional
        Rows and columns drawn, by default the axes' size in pixels: larger inputs are max-held
        down (a short burst or a narrow tone stays visible).
    time_ref_s : float
        Tick labels read as time from this instant (s), e.g. an event's start in a zoom.
    legend : str
        Where the legend of event colours goes: "outside" (below the axes, in the figure),
        "inside", "none"; "auto" is outside on a new figure, inside on a given axes.

    The axes hold Hz and seconds (`ax.get_xlim()` is the band's edges in Hz); only the tick
    labels are scaled.
    """
    power, freqs, times, settings = _unpack(wf, freqs_hz, times_s)
    own = ax is None
    fig, ax = new_figure(ax)
    f_lo, f_hi = _edges(freqs, getattr(settings, "bin_hz", None))
    t0, t1 = _edges(times, getattr(settings, "row_period_s", None))
    if offsets is None:
        offsets = centre_unknown(settings, f_lo, f_hi)

    width_px, height_px = _axes_pixels(ax)
    max_rows = height_px if max_rows is None else int(max_rows)
    max_cols = width_px if max_cols is None else int(max_cols)
    if max_rows < 1 or max_cols < 1:
        raise ParameterError(f"{max_rows=} and {max_cols=} must be positive")
    rfac = math.ceil(power.shape[0] / max_rows)
    cfac = math.ceil(power.shape[1] / max_cols)
    shown = _max_decimate_cols(_decimate_rows(power, rfac), cfac)
    # each shown row/column stands for rfac/cfac source ones: the image may reach past the
    # data by less than one shown row/column; the axes limits stay on the data
    img_t1 = t0 + shown.shape[0] * rfac * (t1 - t0) / power.shape[0]
    img_f1 = f_lo + shown.shape[1] * cfac * (f_hi - f_lo) / power.shape[1]

    lo, hi = robust_limits(shown)
    vmin = lo if vmin_dbfs is None else float(vmin_dbfs)
    vmax = hi if vmax_dbfs is None else float(vmax_dbfs)
    if not vmax > vmin:
        raise ParameterError(f"vmax_dbfs={vmax} must be above vmin_dbfs={vmin}")

    im = ax.imshow(
        np.ma.masked_invalid(shown),
        aspect="auto",
        origin="upper",
        extent=(f_lo, img_f1, img_t1, t0),
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.set_xlim(f_lo, f_hi)
    ax.set_ylim(t1, t0)
    freq_axis(f_lo, f_hi, offsets=offsets).apply(ax, "x")
    time_axis(t0, t1, relative_to_s=time_ref_s).apply(ax, "y")
    if colorbar:
        cb = fig.colorbar(im, ax=ax, pad=0.01, fraction=0.04, extend="both")
        cb.set_label("power per bin (dBFS)")
    if events:
        if legend == "auto":
            legend = "outside" if own else "inside"
        draw_event_boxes(ax, events, labels=labels, legend=legend if legend != "none" else False)
    if title is not None:
        ax.set_title(title, loc="left")
    elif rfac > 1 or cfac > 1:
        ax.set_title(
            _decimation_note(power.shape, rfac, cfac), loc="right", fontsize=8, color="0.35"
        )
    return fig


def _decimation_note(shape, rfac, cfac) -> str:
    parts = []
    if rfac > 1:
        parts.append(f"{shape[0]} rows max-held by {rfac}")
    if cfac > 1:
        parts.append(f"{shape[1]} bins max-held by {cfac}")
    return "; ".join(parts)


def draw_event_boxes(
    ax,
    events,
    *,
    labels: bool = True,
    max_labels: int = MAX_LABELS,
    legend: bool | str = True,
    margin: float | None = None,
):
    """Draw each event as a rectangle (frequency x time, data in Hz and s) on a waterfall axes.

    Each box encloses its event with a `margin` (default BOX_MARGIN) of the axes' span on every side (a
    tone or the edge of a band stays visible inside it, a 20 ms burst still gets a box).
    Jamming is drawn with solid lines, ordinary traffic dashed; colours per kind (`KIND_COLORS`)
    with a dark halo. At most `max_labels` labels, strongest jamming first, none overlapping;
    a legend names the colours (inside the axes, or below them in the figure with
    `legend="outside"`). Returns the list of Rectangle patches, in the order of `events`.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    patches = []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    margin = BOX_MARGIN if margin is None else float(margin)
    mx = margin * abs(x1 - x0)  # boxes sit just outside the event, so its edges stay visible
    my = margin * abs(y1 - y0)
    for ev in events:
        color = kind_color(ev.kind)
        rect = Rectangle(
            (ev.freq_lo_hz - mx, ev.start_s - my),
            ev.freq_hi_hz - ev.freq_lo_hz + 2 * mx,
            ev.end_s - ev.start_s + 2 * my,
            fill=False,
            edgecolor=color,
            linewidth=1.6,
            linestyle="-" if ev.jamming else (0, (4, 2)),
            path_effects=outline(3.4),
            zorder=3,
        )
        rect.set_gid(f"event-{len(patches)}")
        ax.add_patch(rect)
        patches.append(rect)
    if labels:
        _label_boxes(ax, events, max_labels)
    if legend and events:
        seen = []
        for ev in events:
            key = (ev.kind, bool(ev.jamming))
            if key not in seen:
                seen.append(key)
        handles = [
            Line2D(
                [],
                [],
                color=kind_color(k),
                lw=2.0,
                linestyle="-" if jam else (0, (4, 2)),
                path_effects=outline(3.8),
                label=k if jam or is_jamming_kind(k) is False else f"{k} (not jamming)",
            )
            for k, jam in seen
        ]
        kw = {
            "handles": handles,
            "ncol": min(len(handles), 8),
            "fontsize": 8,
            "handlelength": 2.2,
            "columnspacing": 1.2,
        }
        if legend == "outside":  # below the axes, in the figure's layout
            ax.figure.legend(loc="outside lower center", frameon=False, **kw)
        else:
            kw["ncol"] = min(len(handles), 4)
            ax.legend(loc="lower right", framealpha=0.8, facecolor="0.15", labelcolor="white", **kw)
    return patches


def _label_boxes(ax, events, max_labels: int) -> None:
    """Label the strongest events at their box's top-left corner, skipping labels that would overlap."""
    if not events:
        return
    width_px, height_px = _axes_pixels(ax)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()  # y0 is the bottom (latest time), y1 the top
    order = sorted(
        range(len(events)), key=lambda i: (not events[i].jamming, -_finite(events[i].jn_db))
    )
    placed: list[tuple[float, float, float, float]] = []
    px_per_pt = ax.figure.dpi / 72.0
    char_px, line_px = 0.62 * LABEL_FONT_PT * px_per_pt, 1.5 * LABEL_FONT_PT * px_per_pt
    n = 0
    for i in order:
        if n >= max_labels:
            break
        ev = events[i]
        text = event_label(ev, short=True)
        fx = (max(ev.freq_lo_hz, x0) - x0) / (x1 - x0)
        # fy: 0 at the top edge of the axes, growing downwards (the time axis is inverted)
        fy = (max(ev.start_s, y1) - y1) / (y0 - y1) if y0 != y1 else 0.0
        if not (0.0 <= fx < 1.0 and 0.0 <= fy < 1.0):
            continue
        px, py = fx * width_px, fy * height_px
        bottom_px = (min(ev.end_s, y0) - y1) / (y0 - y1) * height_px if y0 != y1 else py
        room = max(3, int((bottom_px - py) / line_px))  # stack near the event: in or under its box
        for k in range(min(LABEL_STACK, room)):  # at the corner, else below labels already there
            box = (px, py + k * line_px, px + char_px * len(text) + 4, py + (k + 1) * line_px)
            if not any(
                not (box[2] < b[0] or box[0] > b[2] or box[3] <= b[1] or box[1] >= b[3])
                for b in placed
            ):
                break
        else:
            continue
        placed.append(box)
        color = kind_color(ev.kind)
        ax.annotate(
            text,
            xy=(max(ev.freq_lo_hz, x0), max(ev.start_s, y1)),
            xytext=(2, -2 - k * line_px / px_per_pt),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=LABEL_FONT_PT,
            color=text_color_on(color),
            bbox={
                "boxstyle": "square,pad=0.15",
                "fc": color,
                "ec": "black",
                "lw": 0.5,
                "alpha": 0.85,
            },
            zorder=4,
            annotation_clip=True,
        )
        n += 1


def _finite(v) -> float:
    return float(v) if v is not None and math.isfinite(v) else -1e9


def display_waterfall(
    source,
    *,
    rows: int = DISPLAY_ROWS,
    nfft: int | None = None,
    stat: str = "max",
    window: str = "hann",
    dc_remove: bool = False,
    progress=None,
):
    """Compute a waterfall of a whole capture for display, streaming in bounded memory.

    Chooses `avg` (frames per row) so that the result has about `rows` rows, and max-holds the
    frames of each row by default (`stat="max"`), so that short bursts survive. `nfft` defaults
    to 1024 (512 for captures under ~0.1 s). Returns an rfkit Waterfall.
    """
    from .. import dsp
    from ..io import Capture
    from ..io import open as open_capture

    cap = source if isinstance(source, Capture) else open_capture(source)
    try:
        n = cap.info.n_samples or 0
        if nfft is None:
            nfft = (
                1024 if n >= 1024 * 64 else max(64, 1 << max(4, int(math.log2(max(n // 64, 16)))))
            )
        frames = max(1, n // nfft)
        avg = max(1, frames // max(1, int(rows)))
        return dsp.waterfall(
            cap,
            nfft=nfft,
            avg=avg,
            stat=stat,
            window=window,
            dc_remove=dc_remove,
            progress=progress,
        )
    finally:
        if cap is not source:
            cap.close()
