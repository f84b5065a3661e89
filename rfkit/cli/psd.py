"""`rfkit psd`: Welch power spectrum of a recording (mean, max-hold, min-hold), dBFS per bin, as CSV.

The output format follows the extension of `-o` through `WRITERS` (suffix -> writer function);
without `-o` the CSV goes to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..dsp.engine import KERNELS, KERNELS_BREAK_EVEN_SAMPLES, NUMBA_LOAD_S, PSD_BREAK_EVEN_SAMPLES
from ..dsp.files import write_psd_csv
from ..dsp.settings import WINDOWS
from ..dsp.spectral import psd
from ..errors import ParameterError
from .common import add_input_arguments, open_input, progress

NAME = "psd"
HELP = "Welch power spectrum of a recording (mean, max-hold, min-hold) in dBFS, as CSV"
DESCRIPTION = """\
Welch power spectrum: frames of --nfft samples overlapping by --overlap, windowed, averaged.
A tone of amplitude a (full scale 1.0) reads 20*log10(a) dBFS whatever the window; noise reads
per bin (in the window's noise bandwidth), or per hertz with --density. Frequencies are absolute
(centre + offset) where the centre frequency is known, ascending.

  rfkit psd capture_433.92M_2400k.cu8 -o spectrum.csv
  columns: freq_hz,power_dbfs,max_dbfs,min_dbfs
"""


def _write_csv(path: Path, result, args) -> None:
    write_psd_csv(path, result)


def _write_png(path: Path, result, args) -> None:
    from ..plot.files import save_psd_png  # matplotlib only when a picture is asked for

    save_psd_png(path, result, title=Path(args.input).name)


#: Output suffix -> writer(path, Psd, args).
WRITERS = {".csv": _write_csv, ".png": _write_png}


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("-o", "--output", metavar="OUT",
                   help=f"output file ({', '.join(WRITERS)}); CSV on stdout when omitted")
    add_spectrum_arguments(p, overlap=0.5)


def add_spectrum_arguments(p, *, overlap: float) -> None:
    """--nfft --overlap --window --density --dc-remove --start --duration --kernels (shared with waterfall)."""
    p.add_argument("--nfft", type=int, default=1024, help="FFT size, a power of two (default 1024)")
    p.add_argument("--overlap", type=float, default=overlap,
                   help=f"fraction of a frame shared with the next, 0 <= overlap < 1 (default {overlap})")
    p.add_argument("--window", default="hann", choices=list(WINDOWS), help="window (default hann)")
    p.add_argument("--density", action="store_true", help="power per hertz instead of per bin")
    p.add_argument("--dc-remove", action="store_true", help="remove the DC spike (RTL-SDR)")
    p.add_argument("--start", type=float, metavar="S", help="start this many seconds into the input")
    p.add_argument("--duration", type=float, metavar="S", help="analyse this many seconds")
    wf_min = KERNELS_BREAK_EVEN_SAMPLES / 2.4e6 / 60
    psd_s = PSD_BREAK_EVEN_SAMPLES / 2 / 2.4e6  # samples through the FFT, 50 % overlap
    p.add_argument("--kernels", default="auto", choices=KERNELS,
                   help=f"compute kernels: numba (compiled, 1.2-2x faster per sample, but loading it costs "
                        f"~{NUMBA_LOAD_S:.1f} s a process), numpy (nothing to load), or auto (default: numba "
                        f"where the input is long enough to repay loading it, about {wf_min:.0f} min at "
                        f"2.4 MS/s for a waterfall, {psd_s:.0f} s for a psd, and for live sources; numpy "
                        "otherwise); the numbers agree to float32 rounding")


def _writer(output: str | None, writers: dict):
    suffix = Path(output).suffix.lower()
    if suffix not in writers:
        raise ParameterError(f"output={output!r}: unknown extension {suffix or '(none)'!r}; "
                             f"use one of {', '.join(writers)}")
    return writers[suffix]


def run(args) -> int:
    writer = _writer(args.output, WRITERS) if args.output else None
    with open_input(args) as cap, progress(cap.info.n_samples, desc="psd") as bar:
        result = psd(cap, nfft=args.nfft, overlap=args.overlap, window=args.window, density=args.density,
                     dc_remove=args.dc_remove, start_s=args.start, duration_s=args.duration, progress=bar.update,
                     kernels=args.kernels)
    if writer is None:
        write_psd_csv(sys.stdout, result)
    else:
        writer(Path(args.output), result, args)
    return 0
