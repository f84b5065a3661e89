"""Spectrum figure: average, max-hold and min-hold power per bin (dBFS) against frequency (Hz),
with the noise floor, the detection threshold and the bands of detected events shaded."""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError
from .style import freq_axis, kind_color, outline
from .waterfall import centre_unknown, new_figure

__all__ = ["event_bands", "plot_spectrum"]

#: Colours of the three traces (neutral, so that the kind colours of the shaded bands stand out).
MEAN_COLOR = "#14213d"
MAX_COLOR = "#7a9cc6"
MIN_COLOR = "#c8c8c8"
FLOOR_COLOR = "#2a9d8f"
THRESHOLD_COLOR = "#9b2226"
#: Frames a plain-array spectrum is assumed to average (for the median bias of its noise floor).
AVERAGED_FRAMES = 1000
#: The y axis reaches at most this far below the noise floor (dB).
BELOW_FLOOR_DB = 45.0
#: Fraction of the y range left free above the highest trace, for the labels of event bands.
LEGEND_ROOM = 0.22


def event_bands(events) -> list[tuple[str, bool, float, float, int]]:
    """Merge events of one kind whose bands overlap: [(kind, jamming, lo_hz, hi_hz, count)], by lo_hz."""
    groups: dict[tuple[str, bool], list[list[float]]] = {}
    for ev in events:
        spans = groups.setdefault((ev.kind, bool(ev.jamming)), [])
        spans.append([float(ev.freq_lo_hz), float(ev.freq_hi_hz), 1])
    out = []
    for (kind, jam), spans in groups.items():
        spans.sort()
        merged = [spans[0]]
        for lo, hi, c in spans[1:]:
            if lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
                merged[-1][2] += c
            else:
                merged.append([lo, hi, c])
        out.extend((kind, jam, lo, hi, int(c)) for lo, hi, c in merged)
    return sorted(out, key=lambda b: b[2])


def _unpack(psd, freqs_hz):
    settings = getattr(psd, "settings", None)
    if hasattr(psd, "mean_dbfs"):
        freqs = psd.freqs_hz if freqs_hz is None else freqs_hz
        mean, mx, mn = psd.mean_dbfs, getattr(psd, "max_dbfs", None), getattr(psd, "min_dbfs", None)
    else:
        if freqs_hz is None:
            raise ParameterError("give freqs_hz= with a plain array (or pass an rfkit Psd)")
        freqs, mean, mx, mn = freqs_hz, psd, None, None
    freqs = np.asarray(freqs, dtype=np.float64)
    mean = np.asarray(mean, dtype=np.float64)
    if mean.ndim != 1 or mean.size < 2 or freqs.shape != mean.shape:
        raise ParameterError(
            f"the spectrum (shape {mean.shape}) and freqs_hz (shape {freqs.shape}) "
            "must be one-dimensional, of the same length >= 2"
        )
    mx = None if mx is None else np.asarray(mx, dtype=np.float64)
    mn = None if mn is None else np.asarray(mn, dtype=np.float64)
    return freqs, mean, mx, mn, settings


def plot_spectrum(
    psd,
    *,
    freqs_hz=None,
    max_dbfs=None,
    min_dbfs=None,
    events=None,
    floor_dbfs: float | None = None,
    threshold_db: float | None = None,
    ax=None,
    offsets: bool | None = None,
    holds: bool = True,
    title: str | None = None,
    legend: str = "auto",
):
    """Draw a power spectrum (dBFS per bin against frequency); return the figure.

    Parameters
    ----------
    psd : rfkit Psd or np.ndarray [shape=(nbins,)]
        The spectrum: a Psd draws its mean, max-hold and min-hold; an array (mean power in dBFS)
        needs `freqs_hz` (bin centres, Hz, ascending) and may come with `max_dbfs`/`min_dbfs`.
    events : list of Event, optional
        Their bands are shaded in the colour of their kind (events of one kind whose bands overlap
        are merged and counted).
    floor_dbfs : float, optional
        The noise floor per bin (dBFS), drawn as a line; by default estimated from the mean
        (`rfkit.dsp.noise_floor`, taking a plain array as an average of many frames). Pass NaN
        to draw none.
    threshold_db : float, optional
        A detection threshold in dB above the floor, drawn as a line.
    holds : bool
        Draw the max-hold and min-hold traces (where known).
    legend : str
        "outside" (below the axes, in the figure), "inside", "none"; "auto" is outside on a new
        figure, inside on a given axes.
    """
    freqs, mean, mx, mn, settings = _unpack(psd, freqs_hz)
    if max_dbfs is not None:
        mx = np.asarray(max_dbfs, dtype=np.float64)
    if min_dbfs is not None:
        mn = np.asarray(min_dbfs, dtype=np.float64)
    for name, arr in (("max_dbfs", mx), ("min_dbfs", mn)):
        if arr is not None and arr.shape != mean.shape:
            raise ParameterError(f"{name}.shape={arr.shape} must match the spectrum's {mean.shape}")
    own = ax is None
    fig, ax = new_figure(ax, figsize=(10.0, 4.6))
    step = float(getattr(settings, "bin_hz", freqs[1] - freqs[0]))
    f_lo, f_hi = float(freqs[0] - step / 2), float(freqs[-1] + step / 2)
    if offsets is None:
        offsets = centre_unknown(settings, f_lo, f_hi)

    if floor_dbfs is None:
        from ..dsp import noise_floor

        lin = np.power(10.0, mean / 10.0)
        # the mean of n frames has 2n degrees of freedom; a plain array is taken as well averaged
        frames = getattr(psd, "n_frames", None) or AVERAGED_FRAMES
        floor_dbfs = noise_floor(lin, dof=2.0 * frames).overall_dbfs
    floor_ok = floor_dbfs is not None and math.isfinite(floor_dbfs)

    if holds and mx is not None:
        ax.plot(freqs, mx, color=MAX_COLOR, lw=0.7, label="max-hold", zorder=2)
    if holds and mn is not None:
        ax.plot(freqs, mn, color=MIN_COLOR, lw=0.7, label="min-hold", zorder=2)
    ax.plot(freqs, mean, color=MEAN_COLOR, lw=1.0, label="average", zorder=3)
    if floor_ok:
        ax.axhline(
            floor_dbfs,
            color=FLOOR_COLOR,
            lw=1.2,
            ls="--",
            zorder=4,
            label=f"noise floor {floor_dbfs:.1f} dBFS",
        )
        if threshold_db is not None and math.isfinite(threshold_db):
            ax.axhline(
                floor_dbfs + threshold_db,
                color=THRESHOLD_COLOR,
                lw=1.2,
                ls=":",
                zorder=4,
                label=f"threshold: floor + {threshold_db:g} dB",
            )

    # y limits: from a little under the lowest min-hold (ignoring digital silence) to the top
    finite = np.concatenate(
        [a[np.isfinite(a) & (a > -250)] for a in (mean, mx, mn) if a is not None]
    )
    if finite.size:
        lows = mn if (holds and mn is not None) else mean
        lows = lows[np.isfinite(lows) & (lows > -250)]
        bottom = float(np.percentile(lows, 5.0)) - 3.0 if lows.size else float(finite.min()) - 3.0
        if floor_ok:  # min-hold of noise sits 20-40 dB under the floor; no need to show deeper
            bottom = min(max(bottom, floor_dbfs - BELOW_FLOOR_DB), floor_dbfs - 10.0)
        top = float(finite.max())
        top = max(top, bottom + 20.0)
        room = LEGEND_ROOM if events else 0.08  # headroom for the labels of event bands
        ax.set_ylim(bottom, top + room * (top - bottom))
    ax.set_xlim(f_lo, f_hi)
    freq_axis(f_lo, f_hi, offsets=offsets).apply(ax, "x")
    unit = "dBFS/Hz" if getattr(settings, "density", False) else "dBFS per bin"
    rbw = f", {step / 1e3:.3g} kHz bins" if step >= 1e3 else f", {step:.3g} Hz bins"
    ax.set_ylabel(f"power ({unit}{rbw})")
    ax.grid(True, color="0.88", lw=0.6, zorder=0)

    if events:
        _shade_bands(ax, events)
    if legend == "auto":
        legend = "outside" if own else "inside"
    if legend == "outside":  # below the axes, where it hides nothing
        fig.legend(
            *ax.get_legend_handles_labels(),
            loc="outside lower center",
            fontsize=8,
            ncol=5,
            frameon=False,
        )
    elif legend == "inside":
        ax.legend(loc="lower right", fontsize=8, framealpha=0.9, ncol=3)
    if title is not None:
        ax.set_title(title, loc="left")
    return fig


def _shade_bands(ax, events) -> None:
    from matplotlib.transforms import blended_transform_factory

    tr = blended_transform_factory(ax.transData, ax.transAxes)
    x0, x1 = ax.get_xlim()
    bands = event_bands(events)
    min_w = (x1 - x0) * 0.002  # a narrow tone's band still shows as a thin stripe
    last_label_x = -math.inf
    for kind, jam, lo, hi, count in bands:
        color = kind_color(kind, on_white=True)
        if hi - lo < min_w:
            c = 0.5 * (lo + hi)
            lo, hi = c - min_w / 2, c + min_w / 2
        ax.axvspan(
            lo,
            hi,
            color=color,
            alpha=0.18 if jam else 0.10,
            lw=0,
            zorder=1,
            hatch=None if jam else "///",
        )
        # label at the top of the band unless it would overlap the previous one
        fx = (0.5 * (lo + hi) - x0) / (x1 - x0)
        if fx - last_label_x < 0.02 or not 0.0 <= fx <= 1.0:
            continue
        last_label_x = fx
        text = kind if count == 1 else f"{kind} ×{count}"
        ax.text(
            0.5 * (lo + hi),
            0.985,
            text,
            transform=tr,
            ha="center",
            va="top",
            fontsize=7.5,
            color=color,
            rotation=90,
            path_effects=outline(2.5, "white"),
            zorder=5,
            clip_on=True,
        )
