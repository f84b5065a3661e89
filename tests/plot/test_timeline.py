"""rfkit.plot.timeline: one lane per kind, bars where the events are, jamming distinct from traffic."""

from __future__ import annotations

import pytest
from matplotlib.patches import Rectangle

from rfkit import ParameterError
from rfkit.detection.events import JAMMING_KINDS, KINDS, Event
from rfkit.plot import plot_timeline
from rfkit.plot.timeline import lanes


def _bars(ax):
    return [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("event-")
    ]


def test_one_lane_per_kind_jamming_first():
    events = [
        Event(i, i + 0.5, 1e6, 2e6, k, k in JAMMING_KINDS, -20, 10, 0.5)
        for i, k in enumerate(reversed(KINDS))
    ]
    fig = plot_timeline(events, duration_s=10.0)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == lanes(events)
    assert set(names) == set(KINDS)
    n_jam = sum(1 for k in names if k in JAMMING_KINDS)
    assert all(k in JAMMING_KINDS for k in names[:n_jam])
    assert ax.get_xlim() == (0.0, 10.0)
    bars = _bars(ax)
    assert len(bars) == len(events)
    for ev, bar in zip(events, bars):
        lane = names.index(ev.kind)
        assert bar.get_x() == pytest.approx(ev.start_s) and bar.get_width() == pytest.approx(
            ev.duration_s
        )
        assert bar.get_y() < lane < bar.get_y() + bar.get_height()
        # jamming: filled in the kind's colour; traffic: white, hatched
        if ev.jamming:
            assert bar.get_facecolor()[:3] != (1.0, 1.0, 1.0) and not bar.get_hatch()
        else:
            assert bar.get_facecolor()[:3] == (1.0, 1.0, 1.0) and bar.get_hatch()


def test_short_events_get_a_tick_and_long_spans_read_in_minutes(tmp_path):
    events = [
        Event(100.0, 100.02, 1e6, 1.1e6, "burst", False, -30, 5, 0.5),
        Event(600.0, 1800.0, 1e6, 2e6, "chirp", True, -20, 15, 0.9),
    ]
    fig = plot_timeline(events, duration_s=3600.0)
    ax = fig.axes[0]
    assert "min" in ax.get_xlabel()
    assert len(ax.lines) == 1 and ax.lines[0].get_xdata()[0] == pytest.approx(100.01)
    fig.savefig(tmp_path / "t.png")


def test_empty_and_bad_input(tmp_path):
    fig = plot_timeline([], duration_s=2.0)
    assert any("no events" in t.get_text() for t in fig.axes[0].texts)
    fig.savefig(tmp_path / "e.png")
    with pytest.raises(ParameterError, match="duration_s"):
        plot_timeline([], duration_s=-1.0)
