"""`rfkit baseline learn INPUT -o site.json`: record a site's normal spectrum (noise floor per bin
and the emissions always present), for `rfkit detect --baseline site.json` to report what is new.
"""

from __future__ import annotations

import logging

from ..errors import ParameterError
from .common import add_input_arguments, open_input, parse_float

NAME = "baseline"
HELP = "learn a site's normal spectrum (rfkit baseline learn INPUT -o site.json)"
DESCRIPTION = __doc__

log = logging.getLogger("rfkit")


def add_arguments(p):
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    learn = sub.add_parser("learn", help="learn a baseline from a recording of the site as it normally is")
    add_input_arguments(learn)
    learn.add_argument("-o", "--output", metavar="SITE.json", required=True, help="where to write the baseline")
    learn.add_argument("--fine-bin-hz", type=parse_float, default=None,
                       help="fine FFT bin width in Hz (must match the detector's; default as rfkit detect)")
    show = sub.add_parser("show", help="print what a baseline file holds")
    show.add_argument("path", metavar="SITE.json")


def run(args) -> int:
    from ..detection.baseline import Baseline, learn_baseline

    if args.action == "learn":
        overrides = {}
        if args.fine_bin_hz is not None:
            overrides["fine_bin_hz"] = args.fine_bin_hz
        with open_input(args) as cap:
            bl = learn_baseline(cap, **overrides)
        bl.save(args.output)
        busy = int((bl.occupancy >= 0.5).sum())
        print(f"{args.output}: {bl.duration_s:.3g} s learned at {bl.sample_rate / 1e6:g} MS/s, nfft {bl.nfft}; "
              f"noise floor {bl.floor_dbfs:.1f} dBFS over the band; {busy} bins normally occupied")
        return 0
    if args.action == "show":
        bl = Baseline.load(args.path)
        centre = "unknown" if bl.center_freq is None else f"{bl.center_freq / 1e6:.6f} MHz"
        busy = int((bl.occupancy >= 0.5).sum())
        print(f"rate {bl.sample_rate / 1e6:g} MS/s, centre {centre}, nfft {bl.nfft}, learned over "
              f"{bl.duration_s:.3g} s; noise floor {bl.floor_dbfs:.1f} dBFS; {busy} bins normally occupied")
        return 0
    raise ParameterError("say what to do: rfkit baseline learn INPUT -o site.json, or rfkit baseline show SITE.json")
