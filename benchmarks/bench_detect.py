"""Detector benchmark: the whole `rfkit detect` on a 60 s, 2.4 MS/s cu8 recording, side by side with
the spectral engine alone (the same fine spectrogram, no detection), in times real time.

The recording (written to a temporary folder, never committed) is generated with rfkit.synth:
thermal noise through RTL-SDR impairments, a CW jammer for 40 s, a fast sawtooth chirp jammer for
20 s, and ordinary bursty traffic (OOK/FSK packets, 2 a second). Each measurement runs in its
own process after a warm-up on a short file (numba's cached kernels loaded), best of `--repeat`.

    python benchmarks/bench_detect.py            # 60 s file (the issue's target: >= 20x real time)
    python benchmarks/bench_detect.py --quick    # 10 s file, one repeat: while developing

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATE = 2.4e6


def make_file(folder: Path, seconds: float) -> Path:
    from rfkit.synth.emitters import CW, Chirp
    from rfkit.synth.impairments import Impairments
    from rfkit.synth.scenario import Scenario, write_scenario
    from rfkit.synth.traffic import Traffic

    third = seconds / 3
    sc = Scenario(
        emitters=(CW(offset_hz=-500e3, jn_db=-5.0, start_s=third / 2, end_s=seconds - third / 2),
                  Chirp(offset_hz=500e3, bandwidth_hz=600e3, period_s=50e-6, jn_db=0.0,
                        start_s=third, end_s=2 * third)),
        rate_hz=RATE, duration_s=seconds, center_freq_hz=1575.42e6, impairments=Impairments(),
        traffic=Traffic(rate_per_s=2.0))
    path = folder / "bench_detect.sigmf-meta"
    write_scenario(path, sc, seed=1, dtype="cu8")
    return path


def run(kind: str, path: str) -> dict:
    """One measurement in this process: seconds of wall time for `kind` on `path`."""
    import rfkit
    from rfkit.detection.frontend import fine_nfft
    from rfkit.detection.options import DetectorOptions

    t0 = time.perf_counter()
    if kind == "detect":
        d = rfkit.detect(path)
        out = {"events": len(d), "jamming": [e.kind for e in d.jamming]}
    else:  # the spectral engine alone, at the detector's fine resolution and row length
        o = DetectorOptions()
        with rfkit.open(path) as cap:
            nfft = fine_nfft(cap.info.sample_rate, o.fine_bin_hz)
            avg = max(1, round(o.row_s * cap.info.sample_rate / nfft))
            from rfkit.dsp import Spectrogram, SpectrumSettings

            sp = Spectrogram(SpectrumSettings(cap.info.sample_rate, nfft=nfft, avg=avg))
            rows = 0
            for blk in cap.blocks(o.block_size):
                rows += sp.push(blk.samples).shape[0]
        out = {"rows": rows}
    out["seconds"] = time.perf_counter() - t0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10 s file, one repeat")
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(*args.child)))
        return 0
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    repeat = args.repeat or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        path = make_file(folder, seconds)
        warm = make_file(folder / "warm", 1.0) if (folder / "warm").mkdir() is None else None
        print(f"generated {seconds:g} s at {RATE / 1e6:g} MS/s cu8 in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        rows = []
        for kind, label in (("engine", "spectral engine alone (fine spectrogram)"), ("detect", "rfkit.detect (whole)")):
            subprocess.run([sys.executable, __file__, "--child", kind, str(warm)], check=True, capture_output=True)
            best = None
            for _ in range(repeat):
                r = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], check=True,
                                   capture_output=True, text=True)
                res = json.loads(r.stdout)
                if best is None or res["seconds"] < best["seconds"]:
                    best = res
            rows.append((label, best))
        print(f"| pipeline ({seconds:g} s of 2.4 MS/s cu8) | wall time, s | x real time | MS/s |")
        print("|---|---:|---:|---:|")
        for label, res in rows:
            s = res["seconds"]
            print(f"| {label} | {s:.2f} | {seconds / s:.1f} | {seconds * RATE / s / 1e6:.0f} |")
        print()
        print(f"detect found: {rows[1][1].get('jamming')} ({rows[1][1].get('events')} events in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
