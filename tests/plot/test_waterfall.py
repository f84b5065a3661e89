"""rfkit.plot.waterfall: axes span the data, boxes sit on the events, max-hold keeps short bursts."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.patches import Rectangle
from plot_helpers import BURST, CENTER, FORMATS, RATE, TONE_HZ, tone_samples, write_format

import rfkit
from rfkit import ParameterError
from rfkit.detection.events import KINDS, Event
from rfkit.dsp import waterfall
from rfkit.plot import plot_waterfall
from rfkit.plot.waterfall import BOX_MARGIN, display_waterfall, robust_limits


def _event_rects(ax):
    return [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("event-")
    ]


def _png_ok(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = buf.getvalue()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    return data


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_input_format_gives_a_waterfall_spanning_the_data(tmp_path, fmt):
    x = tone_samples()
    path, kw = write_format(tmp_path, fmt, x)
    with rfkit.open(path, **kw) as cap:
        wf = display_waterfall(cap, rows=400)
    fig = plot_waterfall(wf)
    ax = fig.axes[0]
    bin_hz = RATE / wf.settings.nfft
    assert ax.get_xlim() == pytest.approx(
        (CENTER - RATE / 2 - bin_hz / 2, CENTER + RATE / 2 - bin_hz / 2), abs=1e-3
    )
    # time runs downwards: the bottom is the end of the last row, the top the start of the first
    period = wf.settings.row_period_s
    bottom, top = ax.get_ylim()
    assert top == pytest.approx(wf.times_s[0] - period / 2, abs=1e-9)
    assert bottom == pytest.approx(wf.times_s[-1] + period / 2, abs=1e-9)
    assert bottom > top
    assert abs(bottom - x.size / RATE) < 2 * period  # the whole recording is shown
    # the tone is the brightest column of the image, where it is in frequency
    img = np.asarray(ax.images[0].get_array())
    lo, _, _, _ = ax.images[0].get_extent()
    col_hz = (ax.images[0].get_extent()[1] - lo) / img.shape[1]
    peak = lo + (np.argmax(np.nanmedian(img, axis=0)) + 0.5) * col_hz
    assert abs(peak - (CENTER + TONE_HZ)) <= col_hz
    assert "MHz" in ax.get_xlabel() and "time" in ax.get_ylabel()
    _png_ok(fig)


def test_max_hold_keeps_a_2ms_burst_visible_when_decimated():
    x = tone_samples(n=1 << 20)
    wf = waterfall(x, rate_hz=RATE, center_hz=CENTER, nfft=256)  # 4096 rows of 256 us
    fig = plot_waterfall(wf, max_rows=64)  # each shown row holds 64 source rows
    img = np.asarray(fig.axes[0].images[0].get_array())
    assert img.shape[0] == 64
    row = int(
        (BURST[0] - (wf.times_s[0] - wf.settings.row_period_s / 2))
        / (64 * wf.settings.row_period_s)
    )
    band = np.ones(img.shape[1], bool)
    band[np.argmax(np.median(img, axis=0))] = False  # away from the tone
    burst_level = np.median(img[row, band])
    others = np.median(np.delete(img, row, axis=0)[:, band])
    # the burst is ~ +34 dB over the noise per bin; max-hold keeps it (a mean would dilute it 64x)
    assert burst_level > others + 15.0
    # and the colour scale reaches it
    assert fig.axes[0].images[0].get_clim()[1] >= burst_level - 1.0


def test_event_boxes_enclose_each_event():
    x = tone_samples()
    wf = waterfall(x, rate_hz=RATE, center_hz=CENTER, nfft=512)
    events = [
        Event(0.05, 0.25, CENTER + TONE_HZ - 2e3, CENTER + TONE_HZ + 2e3, "cw", True, -10, 30, 0.9),
        Event(BURST[0], BURST[1], CENTER - 300e3, CENTER + 300e3, "burst", False, -12, 20, 0.6),
        Event(0.1, 0.4, CENTER - 450e3, CENTER - 350e3, "chirp", True, -20, 10, 0.8),
    ]
    fig = plot_waterfall(wf, events=events)
    ax = fig.axes[0]
    rects = _event_rects(ax)
    assert len(rects) == len(events)
    (x0, x1), (y1, y0) = ax.get_xlim(), ax.get_ylim()
    mx, my = BOX_MARGIN * (x1 - x0), BOX_MARGIN * (y1 - y0)
    for ev, r in zip(events, rects):
        assert r.get_x() == pytest.approx(ev.freq_lo_hz - mx)
        assert r.get_x() + r.get_width() == pytest.approx(ev.freq_hi_hz + mx)
        assert r.get_y() == pytest.approx(ev.start_s - my)
        assert r.get_y() + r.get_height() == pytest.approx(ev.end_s + my)
        assert (r.get_linestyle() == "-") == ev.jamming  # traffic is dashed
    labels = [t.get_text() for t in ax.texts]
    assert any(t.startswith("cw 30 dB") for t in labels)
    assert any(t.startswith("chirp 10 dB") for t in labels)
    _png_ok(fig)


def test_every_kind_gets_its_own_colour_and_a_legend_entry():
    events = [
        Event(
            0.1 * i,
            0.1 * i + 0.05,
            CENTER - 400e3 + i * 90e3,
            CENTER - 350e3 + i * 90e3,
            k,
            k != "burst",
            -20,
            10,
            0.5,
        )
        for i, k in enumerate(KINDS)
    ]
    wf = waterfall(tone_samples(), rate_hz=RATE, center_hz=CENTER, nfft=512)
    fig = plot_waterfall(wf, events=events)
    rects = _event_rects(fig.axes[0])
    colours = {tuple(r.get_edgecolor()) for r in rects}
    assert len(colours) == len(KINDS)
    legend_texts = {t.get_text() for leg in fig.legends for t in leg.get_texts()}
    assert set(KINDS) <= legend_texts
    _png_ok(fig)


def test_ground_truth_boxes_of_a_scenario(all_kinds_scenario):
    meta, truth = all_kinds_scenario
    with rfkit.open(meta) as cap:
        wf = display_waterfall(cap)
    fig = plot_waterfall(wf, events=truth)
    ax = fig.axes[0]
    rects = _event_rects(ax)
    assert len(rects) == len(truth) and {e.kind for e in truth} >= set(KINDS) - {"unknown"}
    x0, x1 = ax.get_xlim()
    for ev, r in zip(truth, rects):
        # every box lies inside the axes and around its event
        assert x0 <= ev.freq_lo_hz and ev.freq_hi_hz <= x1
        assert r.get_x() < ev.freq_lo_hz and r.get_x() + r.get_width() > ev.freq_hi_hz
        assert r.get_y() < ev.start_s and r.get_y() + r.get_height() > ev.end_s
    # the boxes of sustained jamming hold more power than the same band outside the event
    img = np.asarray(ax.images[0].get_array())
    f_lo, _, t1, t0 = ax.images[0].get_extent()
    fstep = (ax.images[0].get_extent()[1] - f_lo) / img.shape[1]
    tstep = (t1 - t0) / img.shape[0]
    for ev in truth:
        if ev.kind in ("cw", "noise", "multitone", "chirp"):
            c0 = int((ev.freq_lo_hz - f_lo) / fstep)
            c1 = int((ev.freq_hi_hz - f_lo) / fstep) + 1
            inside = img[
                int((ev.start_s - t0) / tstep) + 1 : int((ev.end_s - t0) / tstep) - 1, c0:c1
            ]
            before = img[: max(1, int((ev.start_s - t0) / tstep) - 2), c0:c1]
            if before.size:
                assert np.nanmax(inside) > np.nanmedian(before) + 6.0, ev.kind
    _png_ok(fig)


def test_offsets_when_the_centre_is_unknown():
    x = tone_samples()
    wf = waterfall(x, rate_hz=RATE, nfft=512)
    fig = plot_waterfall(wf)
    ax = fig.axes[0]
    assert "offset" in ax.get_xlabel() and "unknown" in ax.get_xlabel()
    assert ax.get_xlim()[0] < 0 < ax.get_xlim()[1]


def test_narrow_span_reads_in_khz_from_a_reference():
    x = tone_samples(n=1 << 16, rate=10e3)
    wf = waterfall(x, rate_hz=10e3, center_hz=868.3e6, nfft=256)
    fig = plot_waterfall(wf)
    ax = fig.axes[0]
    assert "868.300000 MHz" in ax.get_xlabel() and "(kHz)" in ax.get_xlabel()
    fig.canvas.draw()
    lo, hi = ax.get_xlim()
    shown = [t for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]
    values = [float(t.get_text().replace("\u2212", "-")) for t in shown]
    assert len(values) >= 3 and all(abs(v) <= 5.0 for v in values)
    # labels are kHz from the reference: they match the tick positions
    for t, v in zip(shown, values):
        assert t.get_position()[0] == pytest.approx(868.3e6 + v * 1e3, abs=1.0)


def test_arrays_need_their_axes_and_matching_shapes():
    p = np.zeros((10, 64), np.float32)
    with pytest.raises(ParameterError, match="freqs_hz"):
        plot_waterfall(p)
    with pytest.raises(ParameterError, match="freqs_hz.shape"):
        plot_waterfall(p, freqs_hz=np.arange(63.0), times_s=np.arange(10.0))
    with pytest.raises(ParameterError, match="power_dbfs.shape"):
        plot_waterfall(np.zeros(64), freqs_hz=np.arange(64.0), times_s=np.arange(1.0))
    with pytest.raises(ParameterError, match="vmax_dbfs"):
        plot_waterfall(
            p, freqs_hz=np.arange(64.0), times_s=np.arange(10.0), vmin_dbfs=0, vmax_dbfs=-10
        )


def test_draws_on_a_given_axes_and_returns_its_figure():
    from matplotlib.figure import Figure

    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    out = plot_waterfall(
        np.random.default_rng(0).normal(-60, 3, (50, 128)),
        freqs_hz=np.arange(128.0) * 1e3 + 1e8,
        times_s=np.arange(50) * 0.01 + 0.005,
        ax=ax2,
        colorbar=False,
    )
    assert out is fig and len(ax2.images) == 1 and not ax1.images


def test_robust_limits_start_under_the_floor_and_reach_the_peaks():
    rng = np.random.default_rng(3)
    p = 10 * np.log10(rng.exponential(1e-6, (500, 256)))
    p[100:120, 40] = -10.0
    vmin, vmax = robust_limits(p)
    floor = np.median(p)
    assert floor - 8 < vmin < floor
    assert vmax >= vmin + 30
    nan = np.full((4, 4), np.nan)
    assert robust_limits(nan) == (-100.0, 0.0)
