"""Timeline figure: events against time (s), one lane per kind; jamming solid on tinted lanes,
ordinary traffic hatched below them."""

from __future__ import annotations

import math

from ..detection.events import KINDS
from ..errors import ParameterError
from .style import is_jamming_kind, kind_color, time_axis
from .waterfall import new_figure

__all__ = ["lanes", "plot_timeline"]

#: Lanes of jamming kinds are tinted with this colour.
JAMMING_LANE_TINT = "#fdecea"
#: Events shorter than this fraction of the axis also get a tick mark, so that they show.
TICK_BELOW_FRACTION = 0.003


def lanes(events) -> list[str]:
    """The kinds present, in lane order from the top: jamming kinds (in `KINDS` order), then the rest."""
    present = {ev.kind for ev in events}
    jam = [k for k in KINDS if k in present and is_jamming_kind(k)]
    other = [k for k in KINDS if k in present and not is_jamming_kind(k)]
    extra = sorted(present - set(KINDS))
    return jam + other + extra


def plot_timeline(
    events,
    *,
    duration_s: float | None = None,
    start_s: float = 0.0,
    ax=None,
    title: str | None = None,
):
    """Draw events as bars on one lane per kind against time (s from the start); return the figure.

    Parameters
    ----------
    events : list of Event
        What to draw (e.g. `rfkit.detect(...)`); may be empty.
    duration_s : float, optional
        Length of the input, so the axis spans all of it (by default the events' extent).
    start_s : float
        Start of the axis (s).

    Events with `jamming` true are filled; the others (ordinary traffic) are hatched outlines.
    The bars are Rectangle patches at (start_s, lane - 0.35) of width `end_s - start_s`, with
    gid "event-<index>".
    """
    events = list(events)
    if duration_s is not None and not (math.isfinite(duration_s) and duration_s > 0):
        raise ParameterError(f"{duration_s=} must be a positive number of seconds")
    names = lanes(events)
    fig, ax = new_figure(ax, figsize=(10.0, 1.2 + 0.42 * max(len(names), 1)))
    if duration_s is not None:
        t0, t1 = float(start_s), float(start_s) + float(duration_s)
    elif events:
        t0 = min(float(start_s), min(e.start_s for e in events))
        t1 = max(e.end_s for e in events)
        t1 = t1 if t1 > t0 else t0 + 1.0
    else:
        t0, t1 = float(start_s), float(start_s) + 1.0
    ax.set_xlim(t0, t1)
    n = len(names)
    ax.set_ylim(n - 0.5, -0.5) if n else ax.set_ylim(0.5, -0.5)
    for i, kind in enumerate(names):
        if is_jamming_kind(kind):
            ax.axhspan(i - 0.5, i + 0.5, color=JAMMING_LANE_TINT, lw=0, zorder=0)
    lane_of = {k: i for i, k in enumerate(names)}
    tiny = (t1 - t0) * TICK_BELOW_FRACTION
    from matplotlib.patches import Rectangle

    for i, ev in enumerate(events):
        y = lane_of[ev.kind]
        color = kind_color(ev.kind, on_white=True)
        if ev.jamming:
            rect = Rectangle(
                (ev.start_s, y - 0.35),
                ev.end_s - ev.start_s,
                0.7,
                facecolor=color,
                edgecolor="black",
                lw=0.6,
                zorder=3,
            )
        else:
            rect = Rectangle(
                (ev.start_s, y - 0.35),
                ev.end_s - ev.start_s,
                0.7,
                facecolor="white",
                edgecolor=color,
                hatch="////",
                lw=0.9,
                zorder=3,
            )
        rect.set_gid(f"event-{i}")
        ax.add_patch(rect)
        if ev.end_s - ev.start_s < tiny:  # too short to see as a bar: a tick marks it
            ax.plot(
                [0.5 * (ev.start_s + ev.end_s)] * 2,
                [y - 0.38, y + 0.38],
                color=color,
                lw=1.4,
                solid_capstyle="butt",
                zorder=4,
            )
    ax.set_yticks(range(n))
    ax.set_yticklabels(names)
    for lab, kind in zip(ax.get_yticklabels(), names):
        lab.set_color(kind_color(kind, on_white=True))
        lab.set_fontweight("bold" if is_jamming_kind(kind) else "normal")
    ax.tick_params(axis="y", length=0)
    time_axis(t0, t1).apply(ax, "x")
    ax.grid(True, axis="x", color="0.85", lw=0.6, zorder=1)
    ax.set_axisbelow(True)
    if not events:
        ax.text(
            0.5,
            0.5,
            "no events detected",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.4",
        )
        ax.set_yticks([])
    else:
        from matplotlib.patches import Patch

        handles = [
            Patch(facecolor="0.45", edgecolor="black", lw=0.6, label="jamming"),
            Patch(facecolor="white", edgecolor="0.35", hatch="////", label="ordinary traffic"),
        ]
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )
    if title is not None:
        ax.set_title(title, loc="left")
    return fig
