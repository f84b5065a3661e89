"""`rfkit score DIR`: run the detector on labelled recordings and score it against their ground truth."""

from __future__ import annotations

import argparse
import sys

from ..errors import ParameterError
from .common import parse_float, progress

NAME = "score"
HELP = "score the detector on a folder of labelled recordings (Pd, kind accuracy, false alarms, errors)"
DESCRIPTION = """\
Run `rfkit detect` on every .sigmf-meta recording in DIR whose annotations hold ground truth
(make such a folder with `rfkit scenario --set DIR`), match detections to truth by
time-frequency overlap, and print: probability of detection by kind and by variant at each
J/N level, kind accuracy over detected events, false alarms per minute (noise-only,
traffic-only and all recordings), parameter errors against the tolerances of issue 5, a
confusion matrix, and whether the targets are met. --json prints the same as one object.

example:
  rfkit scenario --set scoring --count 120 --seed 1 && rfkit score scoring
"""


def _levels(text: str) -> tuple[float, ...]:
    try:
        v = tuple(sorted(float(t) for t in text.split(",") if t.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} must be comma-separated numbers (dB), e.g. -10,-5,0,10") from None
    if not v:
        raise argparse.ArgumentTypeError("needs at least one level")
    return v


def add_arguments(p):
    p.add_argument("directory", metavar="DIR", help="folder of labelled .sigmf-meta recordings")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--jn-bins", type=_levels, default=None, metavar="LEVELS",
                   help="J/N levels in dB truth events are grouped by, each to the nearest "
                        "(default: --jn-bins=-10,-5,0,10)")
    p.add_argument("--details", action="store_true",
                   help="also list every missed jammer, every one found but called the wrong kind, every "
                        "parameter out of tolerance and every false alarm")
    p.add_argument("--limit", type=int, default=None, help="score only the first N recordings (by name)")
    p.add_argument("--time-guard", type=parse_float, default=None,
                   help="time slack when matching a detection to the truth, s (default 0.05)")
    p.add_argument("--freq-guard", type=float, default=None,
                   help="frequency slack when matching, as a fraction of the sample rate (default 0.01)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")


def run(args) -> int:
    from ..detection.score import (
        JN_LEVELS_DB,
        MatchRules,
        public_detect,
        recordings_in,
        score_directory,
    )

    rules = MatchRules()
    if args.time_guard is not None or args.freq_guard is not None:
        rules = MatchRules(time_guard_s=rules.time_guard_s if args.time_guard is None else args.time_guard,
                           freq_guard_fraction=rules.freq_guard_fraction if args.freq_guard is None
                           else args.freq_guard)
    if args.limit is not None and args.limit < 1:
        raise ParameterError(f"--limit={args.limit} must be at least 1")
    detect = public_detect()
    n = len(recordings_in(args.directory)[: args.limit])
    bar = progress(n, desc="scoring", unit="file")
    try:
        report = score_directory(args.directory, detect=detect, rules=rules,
                                 jn_levels=args.jn_bins or JN_LEVELS_DB, limit=args.limit,
                                 on_file=lambda _p: bar.update(1))
    finally:
        bar.close()
    text = report.to_json() if args.json else report.format_table(details=args.details)
    if args.output:
        from pathlib import Path

        try:
            Path(args.output).write_text(text + "\n")
        except OSError as e:
            from ..errors import FormatError

            raise FormatError(f"cannot write {args.output!r}: {e.strerror}") from None
    else:
        sys.stdout.write(text + "\n")
    return 0
