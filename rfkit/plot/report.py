"""Interference report: one self-contained HTML file (PNG figures as data URIs, inline CSS).

It holds the recording's metadata, the detector's warnings, the waterfall with the detections,
the spectrum, the timeline, a table of every event with its parameters, and a zoom per event
(the strongest `max_zooms`, jamming first). Nothing in it refers to anything outside the file,
so it can be mailed, archived and printed as is.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import math
import os
from pathlib import Path

from ..config import REPORT_MAX_ZOOMS
from ..errors import FormatError, ParameterError
from .style import format_db, format_hz, format_s, kind_color

__all__ = ["MAX_ZOOMS", "build_report", "figure_to_data_uri", "format_param", "write_report"]

#: Zooms in a report at most (the strongest events, jamming first); the report says so.
MAX_ZOOMS = REPORT_MAX_ZOOMS
#: Resolution of the embedded figures (dots per inch of a 10-inch wide figure).
REPORT_DPI = 100

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f;
       max-width: 1050px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }
h3 { font-size: 1.0em; margin: 1.2em 0 0.3em; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.86em; margin: 0.5em 0; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.55em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { width: 12em; }
.kind { display: inline-block; padding: 0 0.4em; border-radius: 3px; font-weight: 600; }
.jam { color: #9b2226; font-weight: 600; }
.summary { font-size: 1.05em; padding: 0.6em 0.9em; background: #f6f8fa; border-left: 4px solid #5b7db1; }
.summary.alert { border-left-color: #c0392b; background: #fdf0ee; }
.warnings { padding: 0.5em 0.9em; background: #fff8e1; border-left: 4px solid #e0a800; }
.warnings ul { margin: 0.2em 0; padding-left: 1.2em; }
figure { margin: 0.6em 0 1.2em; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
figcaption { font-size: 0.85em; color: #555; }
.zooms figure { display: inline-block; width: 49%; vertical-align: top; margin: 0 0 0.8em; }
.note { color: #666; font-size: 0.88em; }
footer { margin-top: 3em; color: #888; font-size: 0.8em; border-top: 1px solid #ddd; padding-top: 0.5em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  .zooms figure { width: 48%; }
}
"""


def figure_to_data_uri(fig, *, dpi: float = REPORT_DPI) -> str:
    """The figure as a `data:image/png;base64,...` URI (nothing written to disk)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def format_param(key: str, value) -> str:
    """One event parameter for people, by the unit in its name (`_hz`, `_s`, `_hz_per_s`, ...)."""
    if isinstance(value, (list, tuple)):
        items = [format_param(key, v) for v in value[:12]]
        more = f" … ({len(value)} in all)" if len(value) > 12 else ""
        return ", ".join(items) + more
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return "unknown"
    if key.endswith("_hz_per_s"):  # sweep rates: MHz/µs for GNSS jammers, MHz/ms, else Hz/s
        if abs(value) >= 1e11:
            return f"{value / 1e12:.4g} MHz/µs"
        if abs(value) >= 1e8:
            return f"{value / 1e9:.4g} MHz/ms"
        return format_hz(value, digits=4) + "/s"
    if key.endswith("_hz"):
        return format_hz(value, digits=7 if abs(value) >= 1e6 else 4)
    if key.endswith("_s"):
        return format_s(value)
    if key == "duty_cycle":
        return f"{100 * value:.3g} %"
    if key.endswith("_db"):
        return format_db(value, decimals=1)
    return f"{value:.6g}"


#: How the table names event parameters (the rest: the key with spaces).
PARAM_LABELS = {
    "tones_hz": "tones",
    "sweep_rate_hz_per_s": "sweep rate",
    "sweep_period_s": "sweep period",
    "sweep_shape": "sweep shape",
    "bandwidth_hz": "bandwidth",
    "duty_cycle": "duty cycle",
    "prf_hz": "pulse rate",
    "pulse_width_s": "pulse width",
    "hop_rate_hz": "hop rate",
    "channels_hz": "channels",
    "base_kind": "switched signal",
}


def _esc(v) -> str:
    return html.escape(str(v), quote=True)


def _meta_rows(info, source_name: str) -> list[tuple[str, str]]:
    rows = [("file", source_name)]
    if info is None:
        return rows
    rows += [
        ("format", f"{info.format} ({info.dtype})"),
        ("sample rate", f"{info.sample_rate / 1e6:.6g} MS/s"),
        (
            "centre frequency",
            format_hz(info.center_freq, digits=9)
            if info.center_freq is not None
            else "unknown (frequencies are offsets from the centre)",
        ),
        ("samples", f"{info.n_samples:,}" if info.n_samples is not None else "unknown"),
        ("duration", format_s(info.duration_s) if info.duration_s is not None else "unknown"),
    ]
    for attr, label in (
        ("datetime", "start time (UTC)"),
        ("hw", "hardware"),
        ("gain_db", "gain (dB)"),
    ):
        v = getattr(info, attr, None)
        if v is not None:
            rows.append((label, str(v)))
    if getattr(info, "leftover_bytes", 0):
        rows.append(("trailing bytes", f"{info.leftover_bytes} (not a whole sample; ignored)"))
    return rows


def _zoom_order(events) -> list[int]:
    """Indices of the events to zoom on, most important first: jamming, then by J/N."""

    def key(i):
        e = events[i]
        jn = e.jn_db if e.jn_db is not None and math.isfinite(e.jn_db) else -1e9
        return (not e.jamming, -jn, e.start_s)

    return sorted(range(len(events)), key=key)


def build_report(
    source,
    *,
    detections=None,
    max_zooms: int = MAX_ZOOMS,
    title: str | None = None,
    detect_options: dict | None = None,
    progress=None,
) -> str:
    """The HTML text of an interference report on `source` (a path or an open Capture).

    Parameters
    ----------
    detections : rfkit Detections or list of Event, optional
        The events to report; by default `rfkit.detect(source, **detect_options)`.
    max_zooms : int
        Zoom figures at most (0 for none); the report says how many events were left out.
    progress : callable, optional
        Called with a short text as each stage starts (e.g. to drive a progress bar).
    """
    from .. import dsp
    from ..io import Capture
    from ..io import open as open_capture
    from .spectrum import plot_spectrum
    from .timeline import plot_timeline
    from .waterfall import display_waterfall, plot_waterfall
    from .zoom import plot_zoom

    if not isinstance(max_zooms, int) or max_zooms < 0:
        raise ParameterError(f"{max_zooms=} must be a whole number >= 0")
    step = progress if callable(progress) else (lambda _text: None)
    cap = source if isinstance(source, Capture) else open_capture(source)
    try:
        info = cap.info
        name = Path(info.path).name if info.path else str(source)
        if detections is None:
            step("detecting")
            import rfkit

            if not hasattr(rfkit, "detect"):
                raise ParameterError(
                    "rfkit.detect is not available in this installation; give the events "
                    "(detections= in Python, --events or --annotations on the command line)"
                )
            detections = rfkit.detect(cap, **(detect_options or {}))
        events = list(detections)
        warnings = list(getattr(detections, "warnings", []) or [])
        noise_dbfs = getattr(detections, "noise_dbfs", float("nan"))

        step("waterfall")
        wf = display_waterfall(cap)
        fig_wf = plot_waterfall(wf, events=events, title="Waterfall with detections")
        img_wf = figure_to_data_uri(fig_wf)

        step("spectrum")
        ps = dsp.psd(cap, nfft=wf.settings.nfft)
        img_sp = figure_to_data_uri(plot_spectrum(ps, events=events, title="Spectrum"))

        step("timeline")
        img_tl = figure_to_data_uri(
            plot_timeline(events, duration_s=info.duration_s or None, title="Events over time")
        )

        zooms = []
        order = _zoom_order(events)[:max_zooms]
        for k, i in enumerate(order):
            step(f"zoom {k + 1}/{len(order)}")
            try:
                fig = plot_zoom(cap, events[i])
                zooms.append((i, figure_to_data_uri(fig), None))
            except ParameterError as e:  # e.g. an event too short for one frame: say so, go on
                zooms.append((i, None, str(e)))
    finally:
        if cap is not source:
            cap.close()

    return _html(
        title=title or f"Interference report: {name}",
        meta=_meta_rows(info, name),
        events=events,
        warnings=warnings,
        noise_dbfs=noise_dbfs,
        wf=wf,
        images=(img_wf, img_sp, img_tl),
        zooms=zooms,
        max_zooms=max_zooms,
    )


def _html(*, title, meta, events, warnings, noise_dbfs, wf, images, zooms, max_zooms) -> str:
    from .. import __version__

    img_wf, img_sp, img_tl = images
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    n_jam = sum(1 for e in events if e.jamming)
    kinds: dict[str, int] = {}
    for e in events:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="sub">Generated {now} by rfkit {_esc(__version__)}.</p>',
    ]
    if events:
        by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        verdict = (
            f"<b>Jamming found:</b> {n_jam} of {len(events)} events carry a jamming signature."
            if n_jam
            else f"<b>No jamming found.</b> {len(events)} events of ordinary traffic."
        )
        out.append(
            f'<p class="summary{" alert" if n_jam else ""}">{verdict} By kind: {_esc(by_kind)}.</p>'
        )
    else:
        out.append('<p class="summary"><b>No events detected.</b></p>')
    if warnings:
        out.append(
            '<div class="warnings"><b>Detector warnings</b> (they make the answer less certain):<ul>'
        )
        out += [f"<li>{_esc(w)}</li>" for w in warnings]
        out.append("</ul></div>")

    out.append("<h2>Recording</h2>")
    out.append('<table class="meta">')
    out += [f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in meta]
    if noise_dbfs is not None and math.isfinite(noise_dbfs):
        out.append(f"<tr><th>noise power (whole band)</th><td>{noise_dbfs:.1f} dBFS</td></tr>")
    s = wf.settings
    out.append(
        f"<tr><th>waterfall</th><td>FFT {s.nfft} ({format_hz(s.bin_hz, digits=3)} bins, {s.window} window), "
        f"{s.avg} frame(s) {'max-held' if wf.stat == 'max' else 'averaged'} per row, "
        f"{wf.power_dbfs.shape[0]} rows</td></tr>"
    )
    out.append("</table>")

    out.append("<h2>Waterfall</h2>")
    out.append(
        _figure(
            img_wf,
            "Time runs downwards. Boxes are detections: solid for jamming, dashed for "
            "ordinary traffic, labelled with kind and J/N (jammer-to-noise ratio over the whole "
            "band). Rows are max-held, so short bursts stay visible.",
        )
    )
    out.append("<h2>Spectrum</h2>")
    out.append(
        _figure(
            img_sp,
            "Average, max-hold and min-hold power per bin; the bands of detected events "
            "are shaded in the colour of their kind (hatched: ordinary traffic).",
        )
    )
    out.append("<h2>Timeline</h2>")
    out.append(
        _figure(img_tl, "One lane per kind; jamming lanes are tinted, ordinary traffic hatched.")
    )

    out.append(f"<h2>Events ({len(events)})</h2>")
    if events:
        out.append(_event_table(events))
    else:
        out.append('<p class="note">The detector found no emission above its thresholds.</p>')

    if zooms or (events and max_zooms == 0):
        out.append("<h2>Zoom on each event</h2>")
        if len(events) > len(zooms):
            out.append(
                f'<p class="note">Showing {len(zooms)} of {len(events)} events (the first {max_zooms}: '
                "jamming first, strongest J/N first); every event is in the table above.</p>"
            )
        out.append('<div class="zooms">')
        for i, uri, err in zooms:
            ev = events[i]
            cap_txt = f"Event {i + 1}: {ev.kind}, {format_s(ev.start_s)} to {format_s(ev.end_s)}"
            if uri is None:
                out.append(
                    f'<figure id="zoom-{i + 1}"><figcaption>{_esc(cap_txt)}: no zoom ({_esc(err)})'
                    "</figcaption></figure>"
                )
            else:
                out.append(
                    f'<figure id="zoom-{i + 1}"><img src="{uri}" alt="{_esc(cap_txt)}">'
                    f"<figcaption>{_esc(cap_txt)}</figcaption></figure>"
                )
        out.append("</div>")

    out.append(
        f"<footer>rfkit {_esc(__version__)} — receive-only analysis. Times are seconds from the first "
        "sample of the recording; frequencies are absolute where the centre frequency is known.</footer>"
    )
    out.append("</body></html>")
    return "\n".join(out)


def _figure(uri: str, caption: str) -> str:
    return f'<figure><img src="{uri}" alt="{_esc(caption)}"><figcaption>{_esc(caption)}</figcaption></figure>'


def _event_table(events) -> str:
    span = max((e.end_s for e in events), default=0.0)
    tfmt = "{:.3f} s" if span >= 10 else "{:.6f} s"
    head = (
        "#",
        "kind",
        "jamming",
        "start",
        "end",
        "duration",
        "low edge",
        "high edge",
        "bandwidth",
        "power",
        "J/N",
        "confidence",
        "parameters",
    )
    rows = [
        '<table class="events"><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
    ]
    for i, e in enumerate(events):
        color = kind_color(e.kind, on_white=True)
        params = "<br>".join(
            f"{_esc(PARAM_LABELS.get(k, k.replace('_', ' ')))}: {_esc(format_param(k, v))}"
            for k, v in sorted((e.params or {}).items())
        )
        cells = [
            f'<td class="num">{i + 1}</td>',
            f'<td><span class="kind" style="color:{color}">{_esc(e.kind)}</span></td>',
            f"<td>{'<span class=jam>yes</span>' if e.jamming else 'no'}</td>",
            f'<td class="num">{tfmt.format(e.start_s)}</td>',
            f'<td class="num">{tfmt.format(e.end_s)}</td>',
            f'<td class="num">{_esc(format_s(e.duration_s))}</td>',
            f'<td class="num">{_esc(_freq_cell(e.freq_lo_hz))}</td>',
            f'<td class="num">{_esc(_freq_cell(e.freq_hi_hz))}</td>',
            f'<td class="num">{_esc(format_hz(e.bandwidth_hz, digits=4))}</td>',
            f'<td class="num">{_esc(_dbfs(e.power_dbfs))}</td>',
            f'<td class="num">{_esc(format_db(e.jn_db, decimals=1))}</td>',
            f'<td class="num">{e.confidence:.2f}</td>',
            f"<td>{params}</td>",
        ]
        rows.append(f'<tr id="event-{i + 1}">' + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _freq_cell(hz: float) -> str:
    """A band edge for the table: fixed decimals to the hertz, so a column lines up."""
    a = abs(hz)
    if not math.isfinite(hz):
        return "unknown"
    if a >= 1e6:
        return f"{hz / 1e6:.6f} MHz"
    if a >= 1e3:
        return f"{hz / 1e3:.3f} kHz"
    return f"{hz:.0f} Hz"


def _dbfs(v) -> str:
    return f"{v:.1f} dBFS" if v is not None and math.isfinite(v) else "unknown"


def write_report(path: str | os.PathLike, source, **options) -> Path:
    """Write `build_report(source, **options)` to `path` (UTF-8); returns the path."""
    text = build_report(source, **options)
    p = Path(path)
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as e:
        raise FormatError(f"cannot write {str(p)!r}: {e.strerror}") from None
    return p
