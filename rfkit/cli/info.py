"""`rfkit info`: what a recording is, and the state of its samples (power, DC, clipping)."""

from __future__ import annotations

import json

import numpy as np

from .common import add_input_arguments, open_input

NAME = "info"
HELP = "show a recording's format, rate, frequency, length, power, DC offset and clipping"


def add_arguments(p):
    add_input_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def summarise(cap, block_size: int = 1 << 20) -> dict:
    """Metadata plus sample statistics, read block by block."""
    i = cap.info
    n = 0
    power = 0.0
    dc = 0j
    clipped = 0
    for blk in cap.blocks(block_size):
        x = blk.samples
        n += x.size
        power += float(np.sum(x.real.astype(np.float64) ** 2 + x.imag.astype(np.float64) ** 2))
        dc += complex(np.sum(x, dtype=np.complex128))
        if not i.dtype.startswith("cf"):
            clipped += int(np.count_nonzero((np.abs(x.real) >= 0.999) | (np.abs(x.imag) >= 0.999)))
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
        "power_dbfs": 10 * np.log10(mean_power) if mean_power > 0 else float("-inf"),
        "dc_offset": [dc.real, dc.imag],
        "dc_dbfs": 20 * np.log10(abs(dc)) if abs(dc) > 0 else float("-inf"),
        "clipped_fraction": clipped / max(n, 1),
        "nonfinite_samples": cap.nonfinite,
        "leftover_bytes": i.leftover_bytes,
        "annotations": len(cap.annotations),
    }


def run(args) -> int:
    with open_input(args) as cap:
        s = summarise(cap)
    if args.json:
        print(json.dumps(s))
        return 0
    freq = "unknown" if s["center_freq"] is None else f"{s['center_freq'] / 1e6:.6f} MHz"
    rows = [
        ("file", s["path"]),
        ("format", f"{s['format']} ({s['dtype']})"),
        ("sample rate", f"{s['sample_rate'] / 1e6:.6g} MS/s"),
        ("centre frequency", freq),
        ("samples", f"{s['n_samples']:,}"),
        ("duration", f"{s['duration_s']:.6g} s"),
        ("mean power", f"{s['power_dbfs']:.2f} dBFS"),
        ("DC offset", f"{s['dc_offset'][0]:+.4f}{s['dc_offset'][1]:+.4f}j ({s['dc_dbfs']:.1f} dBFS)"),
        ("clipped", f"{100 * s['clipped_fraction']:.3f} % of samples"),
    ]
    for key, label in (("datetime", "start time"), ("hw", "hardware"), ("gain_db", "gain (dB)")):
        if s[key] is not None:
            rows.append((label, str(s[key])))
    if s["nonfinite_samples"]:
        rows.append(("NaN/Inf", f"{s['nonfinite_samples']} samples (read as 0)"))
    if s["leftover_bytes"]:
        rows.append(("trailing bytes", f"{s['leftover_bytes']} (not a whole sample; ignored)"))
    w = max(len(r[0]) for r in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")
    return 0
