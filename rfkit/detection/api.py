"""`rfkit.detect`: find and name the interfering emissions in a recording (or an array).

`detect()` is `OnlineDetector` run over the whole input: every block pushed, then `finish()`;
so offline detection and live monitoring give the same events.

Inputs shorter than one analysis frame (one fine FFT, e.g. 2048 samples at 2.4 MS/s) raise
`FormatError`; inputs shorter than one row (~10 ms) are analysed as a single shorter row.
"""

from __future__ import annotations

import os

from ..errors import ParameterError
from ..io.array import as_capture
from .events import Detections
from .online import OnlineDetector
from .options import DetectorOptions, resolve_options

__all__ = ["EIGHT_BIT_DTYPES", "detect"]

#: Sample formats of 8-bit receivers (RTL-SDR, HackRF): their DC offset is a spike at 0 Hz.
EIGHT_BIT_DTYPES = frozenset(("cu8", "cs8"))


def detect(source, *, baseline=None, options: DetectorOptions | None = None, progress: bool = False,
           rate_hz: float | None = None, center_hz: float | None = None, **option_overrides) -> Detections:
    """Find, classify and measure the interfering emissions in `source`.

    Parameters
    ----------
    source : Capture, path, or np.ndarray [shape=(n,), complex]
        What to analyse; an array needs `rate_hz=` (and optionally `center_hz=`).
    baseline : Baseline or path, optional
        A site's normal spectrum (`rfkit baseline learn`): the quiet reference for floor rises,
        and the emissions normally present are not reported.
    options : DetectorOptions, optional
        Thresholds and resolutions; any field may also be given as a keyword (`hold_s=1.0`).
    progress : bool
        A progress bar on stderr.

    Returns
    -------
    Detections
        The events (a list of `Event`, by start time) with `.warnings`, `.noise_dbfs` (whole-band
        noise power, dBFS), `.info` and `.stats`.
    """
    opts = resolve_options(options, **option_overrides)
    if isinstance(baseline, (str, os.PathLike)):
        from .baseline import Baseline

        baseline = Baseline.load(baseline)
    cap, owned = as_capture(source, rate_hz=rate_hz, center_hz=center_hz)
    try:
        info = cap.info
        if info.n_samples is None:
            raise ParameterError("detect() needs a recording of known length; use OnlineDetector for live sources")
        det = OnlineDetector(info.sample_rate, info.center_freq, baseline=baseline, options=opts,
                             eight_bit=info.dtype in EIGHT_BIT_DTYPES,
                             clip_level=None if info.format == "array" else _clip_level(info),
                             fetch=_reader(cap), alerts=False)
        bar = None
        if progress:
            from ..cli.common import progress as make_bar

            bar = make_bar(info.n_samples, desc="detect", enabled=True)
        try:
            for blk in cap.blocks(opts.block_size):
                x = blk.samples  # a block the reader made for this loop alone may be overwritten
                det.push(x, scratch=info.format != "array" and x.flags.owndata and x.flags.writeable)
                if bar is not None:
                    bar.update(blk.samples.shape[0])
        finally:
            if bar is not None:
                bar.close()
        det.finish()
        warnings = det.warnings()
        if cap.nonfinite:
            warnings.append(f"{cap.nonfinite} NaN/Inf samples were read as 0")
        stats = {"rows": det.r, "nfft": det.fe.nfft, "bin_hz": det.fe.bin_hz, "row_s": det.fe.row_s, "samples": det.n_in,
                 "clipped_fraction": det.clipped / max(det.n_in, 1)}
        return Detections(det.events, info=info, warnings=warnings, noise_dbfs=det.noise_dbfs, stats=stats)
    finally:
        if owned:
            cap.close()


def _reader(cap):
    """`cap.read` for reading samples back: what it counts (NaN/Inf) was counted on the first pass."""
    names = [n for n in ("nonfinite", "nan_samples", "inf_samples") if hasattr(cap, n)]

    def fetch(start: int, count: int):
        before = [getattr(cap, n) for n in names]
        try:
            return cap.read(start, count)
        finally:
            for n, v in zip(names, before):
                setattr(cap, n, v)

    return fetch


def _clip_level(info) -> float | None:
    from ..config import CLIP_LEVEL

    return CLIP_LEVEL
