"""`rfkit report`: one self-contained HTML file on a recording (figures embedded, no external links)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from ..errors import FormatError, MetadataError, ParameterError
from .common import add_input_arguments, open_input, progress

NAME = "report"
HELP = "self-contained HTML report: metadata, waterfall with detections, spectrum, timeline, events, zooms"
DESCRIPTION = """\
Detects interference in a recording and writes ONE HTML file that holds everything (PNG figures
embedded as data URIs, inline CSS, nothing fetched from elsewhere): the recording's metadata, the
detector's warnings, the waterfall with the detections boxed, the spectrum with their bands, a
timeline by kind, a table of every event with its parameters, and a zoom on each event (the most
important --max-zooms of them). Opens in any browser, prints cleanly.

  rfkit report site_1575.42M_2400k.cu8 -o report.html
  rfkit report capture.sigmf-meta --events found.jsonl -o report.html   (events from `rfkit detect`)
  rfkit report scenario.sigmf-meta --annotations -o truth.html          (the file's own annotations)
"""


def add_arguments(p):
    from ..config import (
        REPORT_MAX_ZOOMS as MAX_ZOOMS,  # not from rfkit.plot: no matplotlib to build --help
    )

    add_input_arguments(p)
    p.add_argument(
        "-o", "--output", metavar="OUT.html", required=True, help="the report to write (.html)"
    )
    p.add_argument(
        "--max-zooms",
        type=int,
        default=MAX_ZOOMS,
        metavar="N",
        help=f"zoom figures at most, jamming and strongest first (default {MAX_ZOOMS}; 0: none)",
    )
    p.add_argument("--title", help="title of the report (default: from the file name)")
    src = p.add_mutually_exclusive_group()
    src.add_argument(
        "--events",
        metavar="FILE.jsonl",
        help="report these events (JSON lines from `rfkit detect --format jsonl`) instead of detecting",
    )
    src.add_argument(
        "--annotations",
        action="store_true",
        help="report the recording's own SigMF annotations (e.g. a scenario's ground truth)",
    )
    _add_detector_options(p)


def _add_detector_options(p) -> None:
    """One --option per field of the detector's options (default: the detector's own)."""
    try:
        from ..detection.options import DetectorOptions
    except ImportError:  # pragma: no cover - detection not installed
        return
    g = p.add_argument_group("detector options (as for `rfkit detect`)")
    for f in fields(DetectorOptions):
        flag = "--" + f.name.replace("_", "-")
        help_text = f.metadata.get("help", "") + f" (default {f.default!r})"
        if isinstance(f.default, bool):
            g.add_argument(
                flag, dest=f"det_{f.name}", default=None, action="store_true", help=help_text
            )
        else:
            metavar = {int: "N", float: "X"}.get(type(f.default), "TEXT")
            g.add_argument(
                flag,
                dest=f"det_{f.name}",
                default=None,
                type=type(f.default),
                metavar=metavar,
                help=help_text,
            )


def _detector_options(args) -> dict:
    return {k[4:]: v for k, v in vars(args).items() if k.startswith("det_") and v is not None}


def _read_events(path: str):
    from ..detection.events import Detections, Event

    events = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    events.append(Event.from_dict(json.loads(line)))
                except json.JSONDecodeError as e:
                    raise MetadataError(f"{path}:{n}: not a JSON event ({e.msg})") from None
    except OSError as e:
        raise FormatError(f"cannot read {path!r}: {e.strerror}") from None
    return Detections(events)


def _annotation_events(cap):
    from ..detection.events import Detections, annotation_to_event

    anns = [
        a for a in cap.annotations if "core:freq_lower_edge" in a and "core:freq_upper_edge" in a
    ]
    if not anns:
        raise MetadataError(f"{cap.info.path!r} has no annotations with a frequency band to report")
    return Detections(
        [annotation_to_event(a, sample_rate=cap.info.sample_rate) for a in anns], info=cap.info
    )


def run(args) -> int:
    from ..plot.report import build_report

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ParameterError(f"output={args.output!r} must end in .html")
    if args.max_zooms < 0:
        raise ParameterError(f"--max-zooms={args.max_zooms} must be 0 or more")
    opts = _detector_options(args)
    with open_input(args) as cap:
        detections = None
        if args.events:
            detections = _read_events(args.events)
        elif args.annotations:
            detections = _annotation_events(cap)
        stages = 3 + (detections is None) + args.max_zooms
        with progress(stages, desc="report", unit="step") as bar:

            def step(text: str) -> None:
                bar.set_description(f"report: {text}")
                bar.update(1)

            html = build_report(
                cap,
                detections=detections,
                max_zooms=args.max_zooms,
                title=args.title,
                detect_options=opts,
                progress=step,
            )
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as e:
        raise FormatError(f"cannot write {str(out)!r}: {e.strerror}") from None
    return 0
