"""Options and helpers shared by the subcommands: every command that reads a capture takes
INPUT with --rate/--freq/--dtype; --format is kept for what a command writes."""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import ParameterError
from ..io import DTYPE_CHOICES, Capture
from ..io import open as open_capture

__all__ = ["add_input_arguments", "open_input", "parse_float", "progress"]

log = logging.getLogger("rfkit")


def parse_float(text: str) -> float:
    """A number with an optional SI suffix: 2.4e6, 2.4M, 250k, 1.57542G."""
    units = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}
    t = text.strip()
    try:
        if t and t[-1] in units:
            return float(t[:-1]) * units[t[-1]]
        return float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (examples: 2.4e6, 2.4M, 250k)") from None


def add_input_arguments(p: argparse.ArgumentParser, *, nargs: str | None = None) -> None:
    p.add_argument("input", metavar="INPUT", nargs=nargs,
                   help="recording (.cu8 .cs8 .cs16 .cf32 .sigmf-meta .sigmf .wav ...), "
                        "rtlsdr:[N]?freq=..&rate=.. or rtltcp://host:port?freq=..")
    p.add_argument("--rate", type=parse_float, help="sample rate in Hz (overrides the file)")
    p.add_argument("--freq", type=parse_float, help="centre frequency in Hz (overrides the file)")
    p.add_argument("--dtype", choices=DTYPE_CHOICES, help="sample format of a raw file (overrides the extension)")


def open_input(args: argparse.Namespace, source: str | None = None) -> Capture:
    """Open the command's INPUT with its overrides, warning about what the reader noticed."""
    cap = open_capture(source or args.input, rate=args.rate, freq=args.freq, dtype=args.dtype)
    if cap.info.leftover_bytes:
        log.warning("%s: %d trailing bytes do not make a whole sample; read %d whole samples",
                    cap.info.path, cap.info.leftover_bytes, cap.info.n_samples)
    return cap


class _NoBar:
    """What `progress` gives where no bar is shown: the calls of a tqdm bar, doing nothing
    (and not importing tqdm, ~10 ms of start-up)."""

    n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_description(self, desc: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def progress(total: int | None, *, desc: str, unit: str = "S", enabled: bool | None = None):
    """A tqdm progress bar on stderr, shown only on a terminal unless enabled is set."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if total is not None and total < 0:
        raise ParameterError(f"{total=} must not be negative")
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr, leave=False)
