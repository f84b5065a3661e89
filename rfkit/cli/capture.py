"""`rfkit capture`: record a live source (or a file) to SigMF, keeping every sample received."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import contextmanager

from ..errors import ParameterError, RfkitError
from ..io.live import LiveCapture
from ..io.live_record import SigmfRecorder
from ..io.writers import sigmf_paths
from .common import add_input_arguments, open_input, parse_float, progress

NAME = "capture"
HELP = "record a dongle or an rtl_tcp stream to SigMF (datatype as received)"
DESCRIPTION = """\
Record INPUT to a SigMF pair OUT.sigmf-meta + OUT.sigmf-data: the samples as received (cu8
for dongles and rtl_tcp), with core:datetime, core:hw, core:frequency, the gain and the rfkit
version. Runs until --duration / --samples, Ctrl-C, or the source goes away; whatever ends it,
the pair on disk opens and holds every sample received. Samples lost on the way (the disk
could not keep up, a reconnection) are annotated as "dropped".

examples: rfkit capture "rtlsdr:0?freq=1575.42M&rate=2.4M&gain=40" -o gps --duration 10
          rfkit capture "rtltcp://127.0.0.1:1234?freq=433.92M&rate=250k" -o car-park
"""

log = logging.getLogger("rfkit")

#: Samples per block written (65536 cu8 samples = 128 KiB, 27 ms at 2.4 MS/s).
BLOCK_SAMPLES = 65_536


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="SigMF name (OUT.sigmf-meta/-data)")
    stop = p.add_mutually_exclusive_group()
    stop.add_argument("--duration", type=parse_float, metavar="S", help="seconds to record")
    stop.add_argument("--samples", type=int, metavar="N", help="samples to record")
    p.add_argument("--progress", action="store_true", default=None, help="show the progress bar even off a terminal")


@contextmanager
def stop_on_ctrl_c(cap):
    """While inside: the first Ctrl-C asks `cap` to stop (what was received still comes out and
    is written; `state["stopped"]` turns True); a second Ctrl-C interrupts at once."""
    state = {"stopped": False}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def on_sigint(_signum, _frame):
        if state["stopped"]:
            raise KeyboardInterrupt
        state["stopped"] = True
        stop = getattr(cap, "request_stop", None)
        if stop is not None:
            stop()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


def _stored_blocks(cap, count: int | None):
    """(stored components, source index, dtype) blocks: bytes as received for live sources."""
    if isinstance(cap, LiveCapture):
        for raw in cap.raw_blocks(BLOCK_SAMPLES, count=count):
            yield raw.data, raw.start
        return
    raw_reader = getattr(cap, "raw", None)
    for blk in cap.blocks(BLOCK_SAMPLES, count=count):
        if raw_reader is not None:
            yield raw_reader(blk.start, blk.samples.size), blk.start
        else:
            from ..io.writers import to_stored

            yield to_stored(blk.samples, "cf32"), blk.start


def run(args) -> int:
    if args.samples is not None and args.samples <= 0:
        raise ParameterError(f"--samples={args.samples} must be a positive number of samples")
    if args.duration is not None and not args.duration > 0:
        raise ParameterError(f"--duration={args.duration} must be a positive number of seconds")
    meta_path, _ = sigmf_paths(args.output)
    with open_input(args) as cap:
        info = cap.info
        count = args.samples
        if args.duration is not None:
            count = max(1, round(args.duration * info.sample_rate))
        if count is None and info.n_samples is not None:
            count = info.n_samples
        live = isinstance(cap, LiveCapture)
        dtype = "cu8" if live else (info.dtype if getattr(cap, "raw", None) is not None else "cf32")
        rec = SigmfRecorder(args.output, info=info, dtype=dtype, extra_global={"rfkit:source": info.path})
        bar = progress(count, desc="capture", enabled=args.progress)
        failure: RfkitError | None = None
        interrupted = False
        try:
            with stop_on_ctrl_c(cap) as ctrl_c:
                for data, start in _stored_blocks(cap, count):
                    rec.write(data, start)
                    bar.update(data.size * data.itemsize // rec.fmt.bytes_per_sample)
                    if ctrl_c["stopped"] and not live:
                        break
            interrupted = ctrl_c["stopped"]
        except KeyboardInterrupt:
            interrupted = True
        except RfkitError as e:  # source gone, disk full: keep what arrived, then report
            failure = e
        finally:
            bar.close()
            rec.close()
        dropped = cap.dropped_samples if live else 0
    secs = rec.n_samples / info.sample_rate
    msg = (f"rfkit: captured {rec.n_samples} samples ({secs:.3f} s) to {meta_path}"
           + (f"; {dropped} samples dropped (annotated)" if dropped else "")
           + ("; stopped by Ctrl-C" if interrupted else ""))
    print(msg, file=sys.stderr)
    if failure is not None:
        raise failure
    if count is not None and rec.n_samples < count and not interrupted:
        log.warning("the source ended after %d of %d samples", rec.n_samples, count)
    return 0


