"""`rfkit info`: what a recording is, and the state of its samples (power, DC, clipping, NaN/Inf)."""

from __future__ import annotations

import json
import math

import numpy as np

from ..config import CLIP_LEVEL, DEFAULT_BLOCK_SIZE
from ..io.formats import sample_format
from .common import add_input_arguments, open_input

NAME = "info"
HELP = "show a recording's format, rate, frequency, length, power, DC offset and clipping"
DESCRIPTION = """Show what a recording is and the state of its samples, read block by block.

Mean power and DC offset are relative to full scale (amplitude 1.0). A sample is clipped when its
I or Q sits at the rail of an integer format (|I| or |Q| >= 0.999 of full scale); float formats
have no rail, so their clipped fraction is null. NaN/Inf samples are counted and read as 0.

JSON keys: path format dtype sample_rate center_freq n_samples duration_s datetime hw gain_db
power_dbfs dc_offset dc_dbfs clipped_fraction nonfinite_samples nan_samples inf_samples
leftover_bytes segments annotations (count).
"""


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def _db(x: float, factor: float) -> float:
    return factor * math.log10(x) if x > 0 else float("-inf")


def summarise(cap, *, block_size: int = DEFAULT_BLOCK_SIZE) -> dict:
    """Metadata plus sample statistics (mean power, DC, clipping, NaN/Inf), read block by block."""
    i = cap.info
    n = 0
    power = 0.0
    dc = 0j
    clipped = 0
    is_float = sample_format(i.dtype).is_float
    for blk in cap.blocks(block_size):
        x = blk.samples
        n += x.size
        re = x.real.astype(np.float64)
        im = x.imag.astype(np.float64)
        power += float(np.dot(re, re) + np.dot(im, im))
        dc += complex(re.sum(), im.sum())
        if not is_float:
            clipped += int(np.count_nonzero((np.abs(x.real) >= CLIP_LEVEL) | (np.abs(x.imag) >= CLIP_LEVEL)))
    mean_power = power / max(n, 1)
    dc = dc / max(n, 1)
    return {
        "path": i.path,
        "format": i.format,
        "dtype": i.dtype,
        "sample_rate": i.sample_rate,
        "center_freq": i.center_freq,
        "n_samples": i.n_samples,
        "duration_s": i.duration_s,
        "datetime": i.datetime,
        "hw": i.hw,
        "gain_db": i.gain_db,
        "power_dbfs": _db(mean_power, 10),
        "dc_offset": [dc.real, dc.imag],
        "dc_dbfs": _db(abs(dc), 20),
        "clipped_fraction": None if is_float else clipped / max(n, 1),
        "nonfinite_samples": cap.nonfinite,
        "nan_samples": cap.nan_samples,
        "inf_samples": cap.inf_samples,
        "leftover_bytes": i.leftover_bytes,
        "segments": [
            {"sample_start": s.sample_start, "center_freq": s.center_freq, "datetime": s.datetime}
            for s in i.segments
        ],
        "annotations": len(cap.annotations),
    }


def _jsonable(v):
    """-inf dBFS (a silent file) becomes null: JSON has no infinities."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


def _mhz(hz: float | None) -> str:
    return "unknown" if hz is None else f"{hz / 1e6:.6f} MHz"


def run(args) -> int:
    with open_input(args) as cap:
        s = summarise(cap)
    if args.json:
        print(json.dumps(_jsonable(s)))
        return 0
    clipped = "n/a (float samples)" if s["clipped_fraction"] is None else f"{100 * s['clipped_fraction']:.3f} % of samples"
    rows = [
        ("file", s["path"]),
        ("format", f"{s['format']} ({s['dtype']})"),
        ("sample rate", f"{s['sample_rate'] / 1e6:.6g} MS/s"),
        ("centre frequency", _mhz(s["center_freq"])),
        ("samples", f"{s['n_samples']:,}"),
        ("duration", f"{s['duration_s']:.6g} s"),
        ("mean power", f"{s['power_dbfs']:.2f} dBFS"),
        ("DC offset", f"{s['dc_offset'][0]:+.4f}{s['dc_offset'][1]:+.4f}j ({s['dc_dbfs']:.1f} dBFS)"),
        ("clipped", clipped),
    ]
    for key, label in (("datetime", "start time"), ("hw", "hardware"), ("gain_db", "gain (dB)")):
        if s[key] is not None:
            rows.append((label, str(s[key])))
    if len(s["segments"]) > 1:
        for k, seg in enumerate(s["segments"]):
            rows.append((f"segment {k}", f"from sample {seg['sample_start']:,} at {_mhz(seg['center_freq'])}"))
    if s["annotations"]:
        rows.append(("annotations", str(s["annotations"])))
    if s["nonfinite_samples"]:
        nf = f"{s['nonfinite_samples']} samples ({s['nan_samples']} NaN, {s['inf_samples']} Inf), read as 0"
        rows.append(("NaN/Inf", nf))
    if s["leftover_bytes"]:
        rows.append(("trailing bytes", f"{s['leftover_bytes']} (not a whole sample; ignored)"))
    w = max(len(r[0]) for r in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")
    return 0
