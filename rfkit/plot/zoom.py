"""Zoom figure: a short-FFT waterfall of one event's time span and band (time in s, frequency in Hz).

The FFT size follows what the event is: about 1/sqrt(sweep rate) for a chirp (the frame in which
the sweep moves by one bin, so the sweep shows as a line), a quarter of a pulse for pulsed
interference, an eighth of a dwell for a hopper; otherwise as fine in frequency as the span
allows while keeping a few hundred rows.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError
from .style import format_db, format_hz, format_s
from .waterfall import draw_event_boxes, new_figure, plot_waterfall

__all__ = ["ZOOM_MAX_ROWS", "ZOOM_MAX_SAMPLES", "plot_zoom", "zoom_nfft", "zoom_span"]

#: At most this many samples are read for one zoom (4 Mi complex64 = 32 MiB; 1.7 s at 2.4 MS/s).
ZOOM_MAX_SAMPLES = 1 << 22
#: Rows computed at most (frames are max-held into rows beyond that).
ZOOM_MAX_ROWS = 8192
#: By default a zoom spans at most this many frames (at 75 % overlap): about as many rows as the
#: figure has pixels, so that what it shows is the signal's structure, not max-held blur; a long
#: event is shown from its start, and the title says how much of it.
ZOOM_ROWS_SHOWN = 1200
#: Time shown around the event, as a fraction of its duration on each side.
PAD_FRACTION = 0.15
#: Periods of the event's structure to show when it lasts longer (sweeps, pulses, hops).
PERIODS_SHOWN = {"chirp": 4, "pulsed": 8, "hopping": 12}
NFFT_LO, NFFT_HI = 16, 65536
#: The event's box lies this fraction of the zoom's span outside the event (its edges stay visible).
ZOOM_BOX_MARGIN = 0.015


def _pow2_floor(x: float) -> int:
    return 1 << max(0, math.floor(math.log2(max(x, 1.0))))


def _pow2_round(x: float) -> int:
    return 1 << max(0, round(math.log2(max(x, 1.0))))


def zoom_span(
    event,
    *,
    rate_hz: float,
    duration_s: float | None = None,
    max_samples: int = ZOOM_MAX_SAMPLES,
    max_span_s: float | None = None,
) -> tuple[float, float]:
    """(t0_s, t1_s) to show for `event`: the event with a margin, or a few periods of its structure
    (sweeps, pulses, hops) from its start when it is long; at most `max_span_s` seconds and
    `max_samples` samples, from a little before the event's start."""
    p = event.params or {}
    dur = max(event.end_s - event.start_s, 0.0)
    period = None
    if event.kind == "chirp" and _pos(p.get("sweep_period_s")):
        period = float(p["sweep_period_s"])
    elif event.kind == "pulsed" and _pos(p.get("prf_hz")):
        period = 1.0 / float(p["prf_hz"])
    elif event.kind == "hopping" and _pos(p.get("hop_rate_hz")):
        period = 1.0 / float(p["hop_rate_hz"])
    show = dur
    if period is not None:
        show = (
            min(dur, PERIODS_SHOWN[event.kind] * period)
            if dur > 0
            else PERIODS_SHOWN[event.kind] * period
        )
    show = max(show, 64.0 / rate_hz)
    whole = show >= dur  # the whole event fits: margins on both sides
    pad = PAD_FRACTION * show if whole else 0.1 * show
    t0 = event.start_s - pad
    t1 = event.start_s + show + (pad if whole else 0.0)
    limit = (
        max_samples / rate_hz
        if max_span_s is None
        else min(max_samples / rate_hz, float(max_span_s))
    )
    if t1 - t0 > limit:  # too long: a slice from just before the start
        t0 = event.start_s - 0.1 * limit
        t1 = t0 + limit
    t0 = max(0.0, t0)
    if duration_s is not None:
        t1 = min(t1, duration_s)
    return t0, max(t1, t0 + 64.0 / rate_hz)


def _pos(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v)) and float(v) > 0
    except (TypeError, ValueError):
        return False


def zoom_nfft(event, *, rate_hz: float, span_s: float) -> int:
    """FFT size (power of two, 16..65536) that shows `event`'s structure over `span_s` seconds."""
    p = event.params or {}
    n_span = span_s * rate_hz
    rows_cap = _pow2_floor(n_span / 64.0)  # keep >= ~256 rows at 75 % overlap
    base = p.get("base_kind", event.kind)
    if event.kind == "chirp" and _pos(p.get("sweep_rate_hz_per_s")):
        n = _pow2_round(rate_hz / math.sqrt(abs(float(p["sweep_rate_hz_per_s"]))))
    elif event.kind == "pulsed" and _pos(p.get("pulse_width_s")):
        n = _pow2_floor(float(p["pulse_width_s"]) * rate_hz / 4.0)
    elif event.kind == "hopping" and _pos(p.get("hop_rate_hz")):
        n = _pow2_floor(rate_hz / float(p["hop_rate_hz"]) / 8.0)
    else:
        bw = max(event.freq_hi_hz - event.freq_lo_hz, 0.0)
        if base == "chirp" and _pos(p.get("sweep_rate_hz_per_s")):
            n = _pow2_round(rate_hz / math.sqrt(abs(float(p["sweep_rate_hz_per_s"]))))
        elif bw > 0:
            n = min(_pow2_round(64.0 * rate_hz / bw), rows_cap)  # ~64 bins across the band
        else:
            n = rows_cap
    n = min(n, rows_cap) if rows_cap >= NFFT_LO else n
    return int(min(max(n, NFFT_LO), NFFT_HI))


def plot_zoom(
    source,
    event,
    *,
    ax=None,
    nfft: int | None = None,
    rate_hz: float | None = None,
    span_s: tuple[float, float] | None = None,
    band_pad_fraction: float = 0.5,
    max_samples: int = ZOOM_MAX_SAMPLES,
    title: str | None = None,
    colorbar: bool = True,
):
    """Draw a short-FFT waterfall around one event; return the figure.

    Parameters
    ----------
    source : Capture, path or np.ndarray
        The recording the event was found in (an array of complex samples needs `rate_hz`).
    event : Event
        The event to look at; its box is drawn dashed over the zoom.
    nfft : int, optional
        FFT size; by default `zoom_nfft` (the sweep, the pulse train or the hops made visible).
    span_s : (float, float), optional
        Time span to show (s from the start of the input); by default `zoom_span`, cut to
        ZOOM_ROWS_SHOWN frames.
    band_pad_fraction : float
        Frequency margin on each side of the event's band, as a fraction of its width (at least
        8 bins); the whole band is shown when that is wider than the sampled band.
    max_samples : int
        At most this many samples are read (memory bound).
    """
    from .. import dsp
    from ..dsp.spectral import open_source

    cap, own, _ = open_source(source, rate_hz=rate_hz)
    try:
        rate = cap.info.sample_rate
        if span_s is None:
            t0, t1 = zoom_span(
                event, rate_hz=rate, duration_s=cap.info.duration_s, max_samples=max_samples
            )
        else:
            t0, t1 = (float(v) for v in span_s)
            if not t1 > t0 >= 0:
                raise ParameterError(
                    f"{span_s=} must be (start, end) seconds with end > start >= 0"
                )
            t1 = min(t1, t0 + max_samples / rate)
        if nfft is None:
            nfft = zoom_nfft(event, rate_hz=rate, span_s=t1 - t0)
        if span_s is None:  # no more rows than a figure shows: structure, not a blur of max-holds
            t0, t1 = zoom_span(
                event,
                rate_hz=rate,
                duration_s=cap.info.duration_s,
                max_samples=max_samples,
                max_span_s=ZOOM_ROWS_SHOWN * max(1, nfft // 4) / rate,
            )
        n_span = round((t1 - t0) * rate)
        if n_span < nfft:
            raise ParameterError(f"the zoom span ({n_span} samples) is shorter than {nfft=}")
        hop = max(1, nfft // 4)
        frames = (n_span - nfft) // hop + 1
        avg = max(1, math.ceil(frames / ZOOM_MAX_ROWS))
        wf = dsp.waterfall(
            cap,
            nfft=int(nfft),
            avg=avg,
            overlap=0.75,
            stat="max" if avg > 1 else "mean",
            start_s=t0,
            duration_s=t1 - t0,
        )
    finally:
        if own:
            cap.close()
    if wf.power_dbfs.shape[0] < 1:
        raise ParameterError(f"the zoom span {t0:.6g}..{t1:.6g} s holds no whole frame of {nfft=}")

    freqs = wf.freqs_hz
    bin_hz = wf.settings.bin_hz
    bw = max(event.freq_hi_hz - event.freq_lo_hz, 0.0)
    pad = max(band_pad_fraction * bw, 8 * bin_hz)
    keep = (freqs >= event.freq_lo_hz - pad) & (freqs <= event.freq_hi_hz + pad)
    if keep.sum() < 16:  # at least 16 bins around the centre of the band
        c = int(np.argmin(np.abs(freqs - event.center_hz)))
        lo = max(0, min(c - 8, freqs.size - 16))
        keep = np.zeros(freqs.size, dtype=bool)
        keep[lo : lo + 16] = True
    cols = np.flatnonzero(keep)
    sub = wf.power_dbfs[:, cols[0] : cols[-1] + 1]
    fig, ax = new_figure(ax, figsize=(8.0, 5.0))
    plot_waterfall(
        sub,
        freqs_hz=freqs[cols[0] : cols[-1] + 1],
        times_s=wf.times_s,
        ax=ax,
        offsets=wf.settings.center_freq is None,
        colorbar=colorbar,
        title="",
        time_ref_s=event.start_s if t0 > 0 else 0.0,
    )
    draw_event_boxes(ax, [event], labels=False, legend=False, margin=ZOOM_BOX_MARGIN)
    if title is None:
        jn = (
            f", J/N {format_db(event.jn_db)}"
            if event.jn_db is not None and math.isfinite(event.jn_db)
            else ""
        )
        where = format_hz(event.center_hz, digits=7)
        if wf.settings.center_freq is None:
            where = f"offset {'+' if event.center_hz >= 0 else ''}{where}"
        shown = "" if t1 >= event.end_s else f", first {format_s(t1 - event.start_s)} shown"
        title = (
            f"{event.kind} at {where}, {format_hz(bw, digits=3)} wide, {format_s(event.duration_s)}"
            f"{jn}{shown}\nFFT {nfft} ({format_s(nfft / rate)} frames, {format_hz(bin_hz, digits=3)} bins)"
        )
    ax.set_title(title, loc="left", fontsize=9)
    return fig
