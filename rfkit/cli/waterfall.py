"""`rfkit waterfall`: rows of dBFS power over time, written as .npy (+ .json axes) or .npz.

`-o OUT.npy` streams float32 dBFS rows (time) x columns (ascending frequency) to disk block by
block, with `OUT.json` beside it: the axes as linear ramps (freq_start_hz, freq_step_hz, n_freqs,
time_start_s, time_step_s, n_rows) and the settings. `-o OUT.npz` holds power_dbfs, freqs_hz,
times_s and the same JSON (`meta`). `rfkit.dsp.files.load_waterfall` reads either back.
The output format follows the extension through `WRITERS` (suffix -> writer function).
"""

from __future__ import annotations

from pathlib import Path

from ..dsp.engine import STATS
from ..dsp.files import save_waterfall, stream_waterfall_npy
from ..dsp.spectral import waterfall, waterfall_rows
from .common import add_input_arguments, open_input, progress
from .psd import _writer, add_spectrum_arguments

NAME = "waterfall"
HELP = "waterfall (spectrogram) of a recording: float32 dBFS rows over time, as .npy + .json or .npz"
DESCRIPTION = """\
Rows of power over time: frames of --nfft samples (--overlap shared), --avg frames per row combined
by --stat (mean, or max to keep short bursts). Calibrated like `rfkit psd`: a tone of amplitude a
reads 20*log10(a) dBFS. Output: float32 dBFS, rows = time, columns = ascending frequency.

  rfkit waterfall capture_433.92M_2400k.cu8 --avg 16 -o wf.npy     (axes in wf.json)
  rfkit waterfall capture.sigmf-meta --nfft 4096 -o wf.npz
  rfkit waterfall capture.sigmf-meta --detect -o wf.png   (picture; rows max-held to ~2000)
"""


def _options(args) -> dict:
    """The waterfall options from the command line, as keywords of `rfkit.dsp.waterfall`."""
    return {"nfft": args.nfft, "avg": args.avg, "overlap": args.overlap, "window": args.window, "stat": args.stat,
            "dc_remove": args.dc_remove, "density": args.density, "start_s": args.start,
            "duration_s": args.duration, "kernels": args.kernels}


def _write_npy(path: Path, cap, args, bar) -> None:
    """Stream rows to OUT.npy (memory bounded by the block size) and the axes to OUT.json."""
    s, _, start, _, rows = waterfall_rows(cap, progress=bar, **_options(args))
    stream_waterfall_npy(path, s, rows, start_sample=start, stat=args.stat, source=cap.info.path)


def _write_npz(path: Path, cap, args, bar) -> None:
    save_waterfall(path, waterfall(cap, progress=bar, **_options(args)))


def _write_png(path: Path, cap, args, bar) -> None:
    """A picture: rows max-held down to a few thousand (bounded memory), events drawn with --detect."""
    from ..plot.files import save_waterfall_png  # matplotlib only when a picture is asked for

    save_waterfall_png(path, cap, detect=args.detect, progress=bar, **_options(args))


#: Output suffix -> writer(path, capture, args, progress_callback).
WRITERS = {".npy": _write_npy, ".npz": _write_npz, ".png": _write_png}


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("-o", "--output", metavar="OUT", required=True, help=f"output file ({', '.join(WRITERS)})")
    add_spectrum_arguments(p, overlap=0.0)
    p.add_argument("--avg", type=int, default=1, help="frames per row (default 1)")
    p.add_argument("--stat", default="mean", choices=STATS,
                   help="how a row combines its frames: mean (default) or max (max-hold)")
    p.add_argument("--detect", action="store_true",
                   help="PNG only: run detection and draw the events as labelled boxes")


def run(args) -> int:
    writer = _writer(args.output, WRITERS)
    with open_input(args) as cap, progress(cap.info.n_samples, desc="waterfall") as bar:
        writer(Path(args.output), cap, args, bar.update)
    return 0
