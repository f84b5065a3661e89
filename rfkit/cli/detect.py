"""`rfkit detect`: find, classify and measure interference in one or more recordings.

Output formats (`--format`): `table` for people (default), `jsonl` (one event a line, the
DESIGN.md schema; `Event.from_dict` reads each line back), `csv` (columns `CSV_COLUMNS`,
params as a JSON string). With several inputs each line or row also names its `input`.

`--annotate [OUT.sigmf-meta]` writes the events as SigMF annotations next to the samples:
- for a SigMF input, without OUT: into the input's own `.sigmf-meta` (annotations from an
  earlier `rfkit detect` are replaced; ground truth and anyone else's are kept);
- for a raw input (`x.cu8`), without OUT: a new `x.sigmf-meta` beside it, whose `core:dataset`
  names `x.cu8` (a SigMF non-conforming dataset: the samples are not copied or renamed);
- with OUT: that file, updated if it exists, otherwise created with `core:dataset` pointing
  to the input's samples (relative to OUT's folder); with several inputs OUT must be a folder
  and each input gets `OUT/<name>.sigmf-meta`.
Detections are marked `core:generator: "rfkit detect"`, so they are told apart from ground truth.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from dataclasses import MISSING, fields
from pathlib import Path

from ..errors import ParameterError, RfkitError
from .common import add_input_arguments, open_input, parse_float

NAME = "detect"
HELP = "find, classify and measure jamming and interference in recordings"
DESCRIPTION = __doc__.split("\n", 2)[2] if __doc__ else HELP

log = logging.getLogger("rfkit")

FORMATS = ("table", "jsonl", "csv")
#: `core:generator` of the annotations `rfkit detect` writes.
GENERATOR = "rfkit detect"
#: Inputs longer than this (s) show a progress bar on a terminal.
PROGRESS_MIN_S = 5.0
#: Container formats `--annotate` can point a SigMF metadata file at.
ANNOTATABLE = ("raw", "sigmf")


def _option_fields():
    try:
        from ..detection.options import DetectorOptions
    except ImportError:  # the detector is not installed: no tuning options
        return []
    return [f for f in fields(DetectorOptions) if f.init]


def add_arguments(p):
    add_input_arguments(p, nargs="+")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the events to FILE instead of standard output")
    p.add_argument("--annotate", metavar="OUT.sigmf-meta", nargs="?", const="",
                   help="write the events as SigMF annotations (no OUT: next to the samples; see above)")
    p.add_argument("--baseline", metavar="SITE.json", help="a site baseline (rfkit baseline learn): report what is new")
    p.add_argument("--jamming-only", action="store_true", help="leave out ordinary traffic (jamming=false)")
    g = p.add_argument_group("detector options (defaults in parentheses)")
    for f in _option_fields():
        flag = "--" + f.name.replace("_", "-")
        default = f.default if f.default is not MISSING else None
        help_text = f"{f.metadata.get('help', '')} ({default})".replace("%", "%%")
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "str")
        kw = {"dest": f"opt_{f.name}", "default": None, "help": help_text}
        if kind == "bool":
            kw["action"] = argparse.BooleanOptionalAction
        else:
            kw["type"] = {"float": parse_float, "int": int}.get(kind, str)
            kw["metavar"] = {"float": "X", "int": "N"}.get(kind, "TEXT")
        try:
            g.add_argument(flag, **kw)
        except argparse.ArgumentError:  # a name the command already uses
            g.add_argument("--det-" + f.name.replace("_", "-"), **kw)


def detector_overrides(args) -> dict:
    """The detector options given on the command line (name -> value)."""
    return {f.name: getattr(args, f"opt_{f.name}") for f in _option_fields()
            if getattr(args, f"opt_{f.name}", None) is not None}


# -- formatting ------------------------------------------------------------------------
def params_summary(ev) -> str:
    """A short human summary of an event's params (units in the text)."""
    p = ev.params or {}
    parts = []
    if p.get("base_kind"):
        parts.append(f"of {p['base_kind']}")
    if p.get("tones_hz"):
        tones = p["tones_hz"]
        shown = ", ".join(f"{t / 1e6:.6f}" for t in tones[:3]) + (f" +{len(tones) - 3}" if len(tones) > 3 else "")
        parts.append(f"tone{'s' if len(tones) > 1 else ''} {shown} MHz")
    if p.get("sweep_rate_hz_per_s") is not None:
        shape = p.get("sweep_shape", "")
        parts.append(f"{shape} sweep {p['sweep_rate_hz_per_s'] / 1e9:.4g} MHz/ms".strip())
    if p.get("sweep_period_s") is not None:
        parts.append(f"period {_time(p['sweep_period_s'])}")
    if p.get("bandwidth_hz") is not None:
        parts.append(f"bw {_hz(p['bandwidth_hz'])}")
    if p.get("prf_hz") is not None:
        parts.append(f"PRF {p['prf_hz']:.4g} Hz")
    if p.get("pulse_width_s") is not None:
        parts.append(f"width {_time(p['pulse_width_s'])}")
    if p.get("duty_cycle") is not None:
        parts.append(f"duty {p['duty_cycle']:.2f}")
    if p.get("hop_rate_hz") is not None:
        parts.append(f"{p['hop_rate_hz']:.4g} hops/s")
    if p.get("channels_hz"):
        parts.append(f"{len(p['channels_hz'])} channels")
    return ", ".join(parts)


def _hz(v: float) -> str:
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.4g} MHz"
    if a >= 1e3:
        return f"{v / 1e3:.4g} kHz"
    return f"{v:.4g} Hz"


def _time(v: float) -> str:
    a = abs(v)
    if a >= 1:
        return f"{v:.4g} s"
    if a >= 1e-3:
        return f"{v * 1e3:.4g} ms"
    return f"{v * 1e6:.4g} us"


def format_table(results: list[tuple[str, list]], *, offsets: bool = False) -> str:
    """Aligned columns for people: one row an event; `results` is [(input name, events)]."""
    many = len(results) > 1
    header = (["input"] if many else []) + ["start s", "end s", "offset MHz" if offsets else "MHz",
                                            "width", "kind", "jamming", "J/N dB", "conf", "params"]
    rows = []
    for name, events in results:
        for ev in events:
            rows.append(([name] if many else []) + [
                f"{ev.start_s:.3f}", f"{ev.end_s:.3f}", f"{ev.center_hz / 1e6:.6f}", _hz(ev.bandwidth_hz),
                ev.kind, "yes" if ev.jamming else "no", f"{ev.jn_db:+.1f}", f"{ev.confidence:.2f}",
                params_summary(ev)])
    if not rows:
        names = ", ".join(n for n, _ in results)
        return f"no emissions found in {names}"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    right = {"start s", "end s", "MHz", "offset MHz", "width", "J/N dB", "conf"}
    def line(cells):
        out = []
        for i, (c, h) in enumerate(zip(cells, header)):
            last = i == len(header) - 1
            out.append(c if last else (c.rjust(widths[i]) if h in right else c.ljust(widths[i])))
        return "  ".join(out).rstrip()
    return "\n".join([line(header)] + [line(r) for r in rows])


def format_jsonl(results: list[tuple[str, list]]) -> str:
    """One JSON object a line in the event schema (plus `input` with several inputs)."""
    many = len(results) > 1
    lines = []
    for name, events in results:
        for ev in events:
            d = ev.to_dict()
            if many:
                d = {"input": name, **d}
            lines.append(json.dumps(d, separators=(", ", ": ")))
    return "\n".join(lines) + ("\n" if lines else "")


def format_csv(results: list[tuple[str, list]]) -> str:
    """CSV with the header `CSV_COLUMNS` (plus `input` first with several inputs)."""
    from ..detection.events import CSV_COLUMNS

    many = len(results) > 1
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow((["input"] if many else []) + list(CSV_COLUMNS))
    for name, events in results:
        for ev in events:
            w.writerow(([name] if many else []) + ev.csv_row())
    return buf.getvalue()


# -- annotations -----------------------------------------------------------------------
def annotate(events, info, out: str | Path | None) -> Path:
    """Write `events` as SigMF annotations describing the recording `info` (see the module doc)."""
    from ..detection.events import event_to_annotation
    from ..io.sigmf import read_sigmf_meta, write_annotations
    from ..io.writers import dump_meta, sigmf_paths

    if info.format not in ANNOTATABLE or not info.path:
        raise ParameterError(
            f"--annotate needs a raw or SigMF recording, not {info.format!r}; convert it first "
            "(rfkit convert INPUT OUT.sigmf-meta)")
    data = Path(info.path)
    if out:
        meta = Path(out)
    elif info.format == "sigmf":
        meta = sigmf_paths(data)[0]
    else:
        meta = data.with_suffix(".sigmf-meta")
    anns = []
    for ev in events:
        a = event_to_annotation(ev, sample_rate=info.sample_rate)
        a["core:generator"] = GENERATOR
        anns.append(a)
    if meta.exists():  # drop an earlier `rfkit detect`'s annotations, keep everything else
        m = read_sigmf_meta(meta)
        kept = [a for a in m.get("annotations", []) if a.get("core:generator") != GENERATOR]
        if len(kept) != len(m.get("annotations", [])):
            m["annotations"] = kept
            dump_meta(meta, m)
        return write_annotations(meta, anns)
    return write_annotations(meta, anns, info=info, data_path=data)


# -- the command -------------------------------------------------------------------------
def _load_baseline(path: str):
    """The site baseline in `path` (`Baseline.load`), or the path itself for the detector to load."""
    try:
        from ..detection.baseline import Baseline
    except ImportError:
        return path
    return Baseline.load(path)


def _detect_one(args, source: str, detect, baseline=None):
    with open_input(args, source) as cap:
        info = cap.info
        long_input = (info.duration_s or 0) > PROGRESS_MIN_S
        kw = dict(detector_overrides(args))
        if baseline is not None:
            kw["baseline"] = baseline
        dets = detect(cap, progress=long_input and sys.stderr.isatty(), **kw)
    return info, dets


def run(args) -> int:
    import rfkit

    detect = getattr(rfkit, "detect", None)
    if not callable(detect):
        raise RfkitError("the detector (rfkit.detect) is not available in this installation")
    inputs = list(args.input)
    if args.annotate and len(inputs) > 1 and not Path(args.annotate).is_dir():
        raise ParameterError(f"--annotate {args.annotate!r} must be an existing folder when several inputs are given")
    results, centers, failures = [], [], 0
    baseline = _load_baseline(args.baseline) if args.baseline else None
    for source in inputs:
        try:
            info, dets = _detect_one(args, source, detect, baseline)
        except RfkitError as e:
            if len(inputs) == 1:
                raise
            where = "" if source in str(e) else f"{source}: "
            print(f"rfkit: error: {where}{e}", file=sys.stderr)
            failures += 1
            continue
        for w in getattr(dets, "warnings", []):
            print(f"rfkit: warning: {source}: {w}", file=sys.stderr)
        events = [e for e in dets if e.jamming] if args.jamming_only else list(dets)
        results.append((source, events))
        centers.append(info.center_freq)
        if args.annotate is not None:
            out = args.annotate
            if out and len(inputs) > 1:
                out = Path(out) / (Path(source).name.split(".")[0] + ".sigmf-meta")
            written = annotate(list(dets), info, out or None)
            log.info("annotations written to %s", written)
    offsets = bool(centers) and all(c is None for c in centers)
    if args.format == "jsonl":
        text = format_jsonl(results)
    elif args.format == "csv":
        text = format_csv(results)
    else:
        text = format_table(results, offsets=offsets) + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text)
        except OSError as e:
            raise RfkitError(f"cannot write {args.output!r}: {e.strerror}") from None
    else:
        sys.stdout.write(text)
    return 1 if failures else 0
