"""`rfkit monitor`: live detection with the offline detector, alerts as emissions start and end."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import deque

import numpy as np

from ..dsp.convert import to_complex64
from ..errors import ParameterError, RfkitError
from ..io.formats import sample_format
from ..io.live import LiveCapture
from .capture import stop_on_ctrl_c
from .common import add_input_arguments, open_input, parse_float

NAME = "monitor"
HELP = "watch a dongle, an rtl_tcp stream or a file live: alert when interference starts and ends"
DESCRIPTION = """\
Run the detector of `rfkit detect` on a live stream, block by block, and print one alert line
when an interfering emission starts and one when it ends (a table, or JSON lines with
--format jsonl: the event schema of `rfkit detect` plus "alert": "start"|"end" and "alert_s",
the stream time in seconds at which the alert was raised). The detector is the one of
`rfkit detect` (rfkit.detection.online.OnlineDetector): ordinary traffic (short bursts of sensors
and keyfobs) is not alerted, but it is annotated in --record.

--snapshot FILE.png rewrites a waterfall picture with the detections every few seconds;
--gui opens a live window (needs a display); --record OUT keeps the capture as SigMF with
the detected events as annotations. A file input works too (--realtime paces it).

examples: rfkit monitor "rtlsdr:0?freq=1575.42M&rate=2.4M&gain=40" --snapshot gps.png
          rfkit monitor "rtltcp://127.0.0.1:1234?freq=433.92M&rate=1M" --format jsonl --record site
"""

log = logging.getLogger("rfkit")

#: Seconds of samples handed to the detector at a time (alert latency is at least this).
BLOCK_S = 0.05
#: Seconds between snapshot rewrites by default.
SNAPSHOT_EVERY_S = 3.0
#: Seconds of history the snapshot / window shows.
HISTORY_S = 30.0
#: Rows of history kept for the snapshot (memory: rows x nfft float32).
HISTORY_ROWS = 600
#: Seconds between redraws of the --gui window.
GUI_REFRESH_S = 0.5
#: FFT size of the snapshot's waterfall.
SNAPSHOT_NFFT = 1024


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("--format", choices=("table", "jsonl"), default="table", help="alert lines as a table or JSON lines")
    p.add_argument("--baseline", metavar="FILE", help="a site's normal spectrum (rfkit baseline) as the quiet reference")
    p.add_argument("--duration", type=parse_float, metavar="S", help="stop after S seconds of samples")
    p.add_argument("--snapshot", metavar="FILE.png", help="rewrite a waterfall PNG with the detections every few seconds")
    p.add_argument("--snapshot-every", type=parse_float, default=SNAPSHOT_EVERY_S, metavar="S",
                   help=f"seconds between snapshots (default {SNAPSHOT_EVERY_S:g})")
    p.add_argument("--gui", action="store_true", help="a live waterfall window (needs a display)")
    p.add_argument("--record", metavar="OUT", help="keep the capture as SigMF OUT.sigmf-meta/-data, events annotated")
    p.add_argument("--realtime", action="store_true", help="pace a file input at its sample rate")


# -- output --------------------------------------------------------------------------------


class AlertWriter:
    """Alert lines on a stream: a table, or JSON lines (event schema + alert + alert_s)."""

    def __init__(self, fmt: str, out=None):
        self.fmt = fmt
        self.out = out or sys.stdout
        self._header = False
        self.count = 0

    def write(self, what: str, ev, alert_s: float) -> None:
        if self.fmt == "jsonl":
            d = ev.to_dict()
            d["alert"] = what
            d["alert_s"] = round(float(alert_s), 6)
            line = json.dumps(d, separators=(", ", ": "))
        else:
            if not self._header:
                print(f"{'ALERT':5}  {'AT_S':>9}  {'KIND':9}  {'JAM':3}  {'START_S':>9}  {'END_S':>9}  "
                      f"{'FREQ_LO_MHZ':>13}  {'FREQ_HI_MHZ':>13}  {'DBFS':>6}  {'JN_DB':>5}  CONF",
                      file=self.out)
                self._header = True
            end = f"{ev.end_s:9.3f}" if what == "end" else f"{'...':>9}"
            line = (f"{what.upper():5}  {alert_s:9.3f}  {ev.kind:9}  {'yes' if ev.jamming else 'no':3}  "
                    f"{ev.start_s:9.3f}  {end}  {ev.freq_lo_hz / 1e6:13.6f}  {ev.freq_hi_hz / 1e6:13.6f}  "
                    f"{ev.power_dbfs:6.1f}  {ev.jn_db:5.1f}  {ev.confidence:.2f}")
        print(line, file=self.out, flush=True)
        self.count += 1


class History:
    """The last HISTORY_S seconds as waterfall rows (max-held), for snapshots and the window."""

    def __init__(self, sample_rate: float, center_freq: float | None):
        from ..dsp import Spectrogram, SpectrumSettings

        frames = max(1, round(HISTORY_S * sample_rate / SNAPSHOT_NFFT / HISTORY_ROWS))
        self.settings = SpectrumSettings(sample_rate, nfft=SNAPSHOT_NFFT, center_freq=center_freq, avg=frames)
        self._spec = Spectrogram(self.settings, stat="max", workers=1)
        self.rows: deque[np.ndarray] = deque(maxlen=HISTORY_ROWS)
        self.rows_done = 0

    def push(self, x: np.ndarray) -> None:
        for row in self._spec.push(x):
            self.rows.append(row.copy())
            self.rows_done += 1

    def image(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(power dBFS [rows, nfft], freqs_hz, times_s) of the rows kept; None before the first row."""
        from ..dsp import to_dbfs

        if not self.rows:
            return None
        p = to_dbfs(np.stack(self.rows))
        first = self.rows_done - len(self.rows)
        times = self.settings.row_times_s(self.rows_done)[first:]
        return p, self.settings.freqs_hz, times


class SnapshotWriter:
    """Render the history with the events to a PNG on a thread of its own (latest wins)."""

    def __init__(self, path: str, *, title: str):
        self.path = path
        self.title = title
        self._job = None
        self._cond = threading.Condition()
        self._done = False
        self.written = 0
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="rfkit-snapshot", daemon=True)
        self._thread.start()

    def submit(self, image, events) -> None:
        with self._cond:
            self._job = (image, list(events))
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._job is None and not self._done:
                    self._cond.wait()
                if self._job is None:
                    return
                job, self._job = self._job, None
            try:
                render_png(self.path, *job, title=self.title)
                self.written += 1
            except Exception as e:  # noqa: BLE001 - a failed picture must not stop the monitor
                if self.error is None:
                    log.warning("monitor: cannot write the snapshot %s: %s", self.path, e)
                self.error = e

    def close(self) -> None:
        with self._cond:
            self._done = True
            self._cond.notify()
        self._thread.join(timeout=30)


def render_png(path: str, image, events, *, title: str) -> None:
    """A waterfall PNG of `image` (power, freqs, times) with `events` boxed; written atomically."""
    from ..plot.waterfall import new_figure, plot_waterfall

    p, freqs, times = image
    t0, t1 = float(times[0]), float(times[-1])
    shown = [e for e in events if e.end_s >= t0 and e.start_s <= t1]
    fig, ax = new_figure(figsize=(10.0, 6.0), dpi=80)
    plot_waterfall(p, freqs_hz=freqs, times_s=times, events=shown, ax=ax, title=title)
    tmp = f"{path}.tmp.png"
    fig.savefig(tmp)
    os.replace(tmp, path)


def _non_interactive(backend: str) -> bool:
    """True for matplotlib backends that cannot open a window (agg, pdf, svg, template, ...)."""
    name = backend.lower()
    try:
        from matplotlib.backends import BackendFilter, backend_registry

        return name in backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE)
    except ImportError:  # matplotlib < 3.9
        return name in ("agg", "cairo", "pdf", "pgf", "ps", "svg", "template")


class LiveWindow:
    """A matplotlib window showing the history and the events, refreshed from the main loop."""

    def __init__(self, *, title: str):
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise ParameterError("--gui needs a display (DISPLAY is not set); use --snapshot FILE.png instead")
        import matplotlib.pyplot as plt

        if _non_interactive(plt.get_backend()):
            raise ParameterError(f"--gui needs an interactive matplotlib backend (have {plt.get_backend()}); "
                                 "use --snapshot FILE.png instead")
        self.plt = plt
        self.fig = plt.figure(title, figsize=(10, 6))
        self.title = title
        plt.ion()
        plt.show(block=False)

    def update(self, image, events) -> None:
        from ..plot.waterfall import plot_waterfall

        if image is None or not self.plt.fignum_exists(self.fig.number):
            return
        self.fig.clear()
        ax = self.fig.add_subplot()
        p, freqs, times = image
        shown = [e for e in events if e.end_s >= times[0]]
        plot_waterfall(p, freqs_hz=freqs, times_s=times, events=shown, ax=ax, title=self.title)
        self.plt.pause(0.001)

    def close(self) -> None:
        self.plt.close(self.fig)


# -- the loop ------------------------------------------------------------------------------


def _stream(cap, block: int, count: int | None, realtime: bool):
    """(stored components, dtype, source index, complex64 samples) blocks from any Capture."""
    if isinstance(cap, LiveCapture):
        fmt = sample_format("cu8")
        for raw in cap.raw_blocks(block, count=count):
            yield raw.data, raw.start, to_complex64(raw.data, fmt)
        return
    raw_reader = getattr(cap, "raw", None)
    t0 = time.monotonic()
    rate = cap.info.sample_rate
    for blk in cap.blocks(block, count=count):
        if realtime:
            due = t0 + (blk.start + blk.samples.size) / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        if raw_reader is not None:
            stored = raw_reader(blk.start, blk.samples.size)
        else:
            from ..io.writers import to_stored

            stored = to_stored(blk.samples, "cf32")
        yield stored, blk.start, blk.samples


def _online_detector(info, baseline_path: str | None):
    """The detector of `rfkit detect`, set up for this source as `rfkit.detect` sets it up."""
    from ..config import CLIP_LEVEL
    from ..detection.api import EIGHT_BIT_DTYPES
    from ..detection.online import OnlineDetector

    baseline = None
    if baseline_path:
        from ..detection.baseline import Baseline

        baseline = Baseline.load(baseline_path)
    return OnlineDetector(info.sample_rate, info.center_freq, baseline=baseline,
                          eight_bit=info.dtype in EIGHT_BIT_DTYPES, clip_level=CLIP_LEVEL)


def run(args) -> int:
    if args.duration is not None and not args.duration > 0:
        raise ParameterError(f"--duration={args.duration} must be a positive number of seconds")
    if not args.snapshot_every > 0:
        raise ParameterError(f"--snapshot-every={args.snapshot_every} must be a positive number of seconds")
    if args.snapshot and not args.snapshot.lower().endswith(".png"):
        raise ParameterError(f"--snapshot={args.snapshot!r} must name a .png file")
    window = LiveWindow(title="rfkit monitor") if args.gui else None
    with open_input(args) as cap:
        info = cap.info
        rate = info.sample_rate
        live = isinstance(cap, LiveCapture)
        count = None if args.duration is None else max(1, round(args.duration * rate))
        block = max(256, round(BLOCK_S * rate))
        detector = _online_detector(info, args.baseline)
        alerts = AlertWriter(args.format)
        history = History(rate, info.center_freq) if (args.snapshot or window) else None
        snapper = SnapshotWriter(args.snapshot, title=f"rfkit monitor: {info.path}") if args.snapshot else None
        recorder = None
        if args.record:
            from ..io.live_record import SigmfRecorder

            dtype = "cu8" if live else (info.dtype if getattr(cap, "raw", None) is not None else "cf32")
            recorder = SigmfRecorder(args.record, info=info, dtype=dtype,
                                     extra_global={"rfkit:source": info.path})
        opened: list = []  # events started, not ended (latest version of each)
        pushed = 0
        last_view = time.monotonic()
        failure: RfkitError | None = None
        interrupted = False

        def handle(changes) -> None:
            for what, ev in changes:
                # an event keeps its start time from "start" to "end" (its kind may be refined)
                opened[:] = [o for o in opened if abs(o.start_s - ev.start_s) > 1e-9]
                if what == "start":
                    opened.append(ev)
                alerts.write(what, ev, pushed / rate)

        def process(stored, start, x) -> None:
            nonlocal pushed, last_view
            if recorder is not None:
                recorder.write(stored, start if live else None)
            pushed += x.size
            handle(detector.push(x))
            if history is None:
                return
            history.push(x)
            now = time.monotonic()
            if now - last_view >= (args.snapshot_every if snapper else GUI_REFRESH_S):
                last_view = now
                shown = detector.events + opened
                if snapper is not None and history.rows:
                    snapper.submit(history.image(), shown)
                if window is not None:
                    window.update(history.image(), shown)

        try:
            try:
                with stop_on_ctrl_c(cap) as ctrl_c:
                    for stored, start, x in _stream(cap, block, count, args.realtime):
                        process(stored, start, x)
                        if ctrl_c["stopped"] and not live:
                            break
                interrupted = ctrl_c["stopped"]
            except KeyboardInterrupt:
                interrupted = True
            except RfkitError as e:  # the source went away: finish what we have, then report
                failure = e
            if pushed:
                handle(detector.finish())
        finally:
            cap.close()  # stop the receiver now: what follows (the last picture) takes a while
            events = list(detector.events)  # every emission, ordinary traffic included
            if recorder is not None:
                from ..detection.events import event_to_annotation

                recorder.add_annotations([event_to_annotation(ev, sample_rate=rate) for ev in events])
                recorder.close()
            if snapper is not None:
                if history is not None and history.rows:
                    snapper.submit(history.image(), events)
                snapper.close()
            if window is not None:
                window.close()
        dropped = cap.dropped_samples if live else 0
    for w in detector.warnings():
        log.warning("%s", w)
    jam = sum(1 for e in events if e.jamming)
    print(f"rfkit: monitored {pushed / rate:.3f} s ({pushed} samples): {len(events)} emissions, {jam} "
          f"interfering; {alerts.count} alerts" + (f"; {dropped} samples dropped" if dropped else "")
          + ("; stopped by Ctrl-C" if interrupted else ""), file=sys.stderr)
    if failure is not None:
        raise failure
    return 0
