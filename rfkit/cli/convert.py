"""`rfkit convert`: copy a recording into another sample format or container, block by block."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import FormatError
from ..io.formats import DTYPE_CHOICES
from ..io.writers import convert_capture, output_kind
from .common import add_input_arguments, open_input, progress

NAME = "convert"
HELP = "convert a recording to raw cu8/cs8/cs16/cf32/cf64 or SigMF (metadata and annotations kept)"
DESCRIPTION = """Convert a recording to another sample format or container, in bounded memory.

The output format comes from OUT's extension: .cu8 .cs8 .cs16 .cf32 .cf64 (.fc32 .cfile .complex)
for raw files, .sigmf-meta or .sigmf-data for a SigMF pair, .sigmf for a SigMF archive. SigMF output
keeps the sample rate, centre frequency, segments, start time, hardware, gain and annotations.
Conversions that lose nothing (cu8/cs8/cs16 -> cf32 -> back, same format -> SigMF) are bit-exact.

examples:
  rfkit convert g001_433.92M_250k.cu8 doorbell.sigmf-meta
  rfkit convert capture.bin --rate 2.4M --dtype cu8 capture.cf32
  rfkit convert rec.sigmf-meta rec.cs8 --to-dtype cs8
"""

log = logging.getLogger("rfkit")


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("output", metavar="OUT", help="output file (.cu8 .cs8 .cs16 .cf32 .cf64 .sigmf-meta .sigmf)")
    p.add_argument("--to-dtype", choices=DTYPE_CHOICES,
                   help="sample format to write (default: from OUT's extension, else the input's)")
    p.add_argument("--block-size", type=int, default=1 << 20, help="samples a block (default 1048576)")
    p.add_argument("-f", "--force", action="store_true", help="overwrite OUT if it exists")


def run(args) -> int:
    out = Path(args.output)
    container, _ = output_kind(out)  # refuse an unwritable extension before reading anything
    if out.exists() and not args.force:
        raise FormatError(f"{str(out)!r} exists; use --force to overwrite it")
    with open_input(args) as cap:
        with progress(cap.info.n_samples, desc="convert") as bar:
            path, n = convert_capture(cap, out, dtype=args.to_dtype, block_size=args.block_size,
                                      on_block=bar.update)
        if cap.nonfinite:
            log.warning("%s: %d samples held NaN or Inf; written as 0", cap.info.path, cap.nonfinite)
        if container == "raw" and (cap.annotations or cap.info.center_freq is not None):
            log.info("%s is a raw file: rate, frequency and %d annotations are not kept in it "
                     "(write .sigmf-meta to keep them)", path, len(cap.annotations))
    print(f"{path}: {n} samples")
    return 0
