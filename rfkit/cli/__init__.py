"""The `rfkit` command: a thin layer over the library; one module a subcommand.

Each subcommand module has NAME, HELP, `add_arguments(parser)` and `run(args) -> int`.
Adding a command touches only the module list below.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .. import __version__
from ..errors import RfkitError

__all__ = ["COMMANDS", "main"]

#: The subcommands, in the order `--help` lists them (module names under rfkit.cli).
COMMANDS = (
    "info",
    "convert",
    "psd",
    "waterfall",
    "detect",
    "report",
    "scenario",
    "score",
    "baseline",
    "capture",
    "monitor",
    "serve",
)


def _load(name: str):
    return importlib.import_module(f".{name}", __name__)


def _chosen_command(argv: list[str]) -> str | None:
    """The subcommand named on the command line (the first word that is not an option)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `only`, the other subcommands are listed but not built.

    Building a subcommand's options may import its part of rfkit (the detector's options, say),
    so `rfkit waterfall` does not pay for the detector's imports; nor are the other subcommands'
    modules imported (~0.02 s of writers, live sources, ... that `rfkit detect` never uses):
    their help lines show only in `rfkit --help`, which builds them all.
    """
    parser = argparse.ArgumentParser(
        prog="rfkit",
        description="Find and characterise jamming and interference in IQ recordings and live SDR streams.",
    )
    parser.add_argument("--version", action="version", version=f"rfkit {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more output; -vv for debug and tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is not None and only != name:
            sub.add_parser(name)
            continue
        mod = _load(name)
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if only is None or only == name:
            mod.add_arguments(p)
            p.set_defaults(_run=mod.run)
    return parser


class _Formatter(logging.Formatter):
    """`rfkit: warning: ...`, in the same case as the CLI's own error and warning lines."""

    def format(self, record: logging.LogRecord) -> str:
        record.levelname = record.levelname.lower()
        return super().format(record)


def main(argv: list[str] | None = None) -> int:
    """Run the rfkit command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=_chosen_command(argv))
    args = parser.parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    handler = logging.StreamHandler()
    handler.setFormatter(_Formatter("rfkit: %(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except RfkitError as e:
        print(f"rfkit: error: {e}", file=sys.stderr)
        if args.verbose >= 2:
            raise
        return 1
    except KeyboardInterrupt:
        print("rfkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
