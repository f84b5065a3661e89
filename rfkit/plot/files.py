"""PNG files of spectra and waterfalls, for `rfkit psd -o X.png` and `rfkit waterfall -o X.png`.

A waterfall PNG of a recording of any length is computed streaming, with about
`display_rows(nfft)` rows (frames max-held into rows), so memory stays bounded.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from ..errors import FormatError, ParameterError
from .spectrum import plot_spectrum
from .waterfall import DISPLAY_ROWS, plot_waterfall

__all__ = ["PNG_DPI", "display_rows", "save_figure", "save_psd_png", "save_waterfall_png"]

#: Resolution of PNG files written by the CLI (a 10 x 6 inch figure -> 1500 x 900 pixels).
PNG_DPI = 150
#: A display waterfall holds at most this many values (rows x nfft; 4 Mi float32 = 16 MiB) ...
DISPLAY_VALUES = 1 << 22
#: ... and never fewer rows than this.
MIN_DISPLAY_ROWS = 600


def display_rows(nfft: int) -> int:
    """Rows to compute for a picture: DISPLAY_ROWS, fewer for very large FFTs (memory bound)."""
    return int(min(DISPLAY_ROWS, max(MIN_DISPLAY_ROWS, DISPLAY_VALUES // max(int(nfft), 1))))


def save_figure(fig, path: str | os.PathLike, *, dpi: float = PNG_DPI) -> Path:
    """Write a figure to `path` (format from the extension); a clear FormatError if that fails."""
    p = Path(path)
    try:
        fig.savefig(p, dpi=dpi)
    except OSError as e:
        raise FormatError(f"cannot write {str(p)!r}: {e.strerror or e}") from None
    except ValueError as e:  # unknown image format
        raise FormatError(f"cannot write {str(p)!r}: {e}") from None
    return p


def _figure(figsize):
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=PNG_DPI, layout="constrained")
    return fig, fig.add_subplot()


def save_psd_png(
    path, psd, *, events=None, title: str | None = None, threshold_db: float | None = None
) -> Path:
    """Draw an rfkit Psd (`plot_spectrum`) into a PNG file; returns the path."""
    fig, ax = _figure((10.0, 4.6))
    plot_spectrum(
        psd, events=events, ax=ax, title=title, threshold_db=threshold_db, legend="outside"
    )
    return save_figure(fig, path)


def save_waterfall_png(
    path,
    source,
    *,
    nfft: int = 1024,
    avg: int = 1,
    stat: str = "mean",
    detect: bool = False,
    events=None,
    title: str | None = None,
    progress=False,
    **options,
) -> Path:
    """Compute a waterfall of `source` for display and draw it into a PNG file; returns the path.

    `avg` frames per row is raised where needed so that the whole input fits in about
    `display_rows(nfft)` rows; rows made of more frames than asked are max-held (`stat="max"`),
    so short bursts survive. `detect=True` runs `rfkit.detect` and draws its events (or pass
    `events`). Other options go to `rfkit.dsp.waterfall` (overlap, window, dc_remove, density,
    start_s, duration_s).
    """
    from .. import dsp
    from ..dsp.settings import hop_for_overlap

    if detect and events is None:
        import rfkit

        if not hasattr(rfkit, "detect"):
            raise ParameterError("--detect needs rfkit.detect, which this installation lacks")
        events = list(rfkit.detect(source))
    n = source.info.n_samples or 0
    rate = source.info.sample_rate
    start = round((options.get("start_s") or 0.0) * rate)
    count = n - start
    if options.get("duration_s"):
        count = min(count, round(options["duration_s"] * rate))
    hop = hop_for_overlap(int(nfft), options.get("overlap", 0.0))
    frames = max(0, (count - nfft) // hop + 1) if count >= nfft else 0
    need = max(1, math.ceil(frames / display_rows(nfft)))
    if need > avg:
        avg, stat = need, "max"
    wf = dsp.waterfall(source, nfft=nfft, avg=avg, stat=stat, progress=progress, **options)
    if wf.power_dbfs.shape[0] < 1:
        raise ParameterError(
            f"the input is shorter than one row ({nfft=} x {avg=} frames): no picture"
        )
    fig, ax = _figure((10.0, 6.0))
    if title is None and source.info.path:
        title = Path(source.info.path).name
    plot_waterfall(wf, events=events, ax=ax, title=title, legend="outside")
    return save_figure(fig, path)
