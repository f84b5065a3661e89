"""Figures of what rfkit computes: waterfall, spectrum, timeline, zoom on an event, HTML report.

Every function takes computed results (an rfkit Waterfall or Psd, a list of Events, or plain
arrays with their axes) and an optional matplotlib `Axes`, and returns the Figure; none calls
`plt.show()`. A new figure is a `matplotlib.figure.Figure` outside pyplot: Jupyter shows it inline
when it is the cell's value, a script saves it with `fig.savefig("out.png")`.
Axes hold SI units (Hz, s); tick labels read MHz/kHz and ms/s/min.
"""

from .report import build_report, write_report
from .spectrum import plot_spectrum
from .style import KIND_COLORS, kind_color
from .timeline import plot_timeline
from .waterfall import display_waterfall, draw_event_boxes, plot_waterfall
from .zoom import plot_zoom

__all__ = [
    "KIND_COLORS",
    "build_report",
    "display_waterfall",
    "draw_event_boxes",
    "kind_color",
    "plot_spectrum",
    "plot_timeline",
    "plot_waterfall",
    "plot_zoom",
    "write_report",
]
