"""Detector benchmark: the whole `rfkit detect` on 60 s, 2.4 MS/s cu8 recordings, side by side with
the spectral engine alone (the same fine spectrogram, no detection), in times real time.

Two recordings (written to a temporary folder, never committed), generated with rfkit.synth:
thermal noise through RTL-SDR impairments and ordinary bursty traffic (OOK/FSK packets, 2 a second),
plus
- "mixed": a CW jammer for the middle 2/3 and a fast sawtooth chirp jammer (600 kHz, 50 us) for
  the middle third;
- "chirp": a fast sawtooth chirp jammer over most of the band (2 MHz, 50 us, J/N 0 dB) from the
  first sample to the last (the whole band occupied: every row takes the detector's second pass);
- "traffic": the traffic alone, no jammer (the commonest input: a band where nothing is wrong;
  the detector keeps looking for trains too weak for its rows, every 0.2 s).

Rows: `rfkit.detect(path)` in a fresh process (`import rfkit` done; the detector's own imports and
numba's first cached-kernel load are inside the time, as they are for any first call), and the
`rfkit detect PATH --format jsonl` command as a new process (interpreter start-up included). Each
runs after a warm-up on a short file (numba's cache written), best of `--repeat`. rfkit's own
bytecode is compiled first, as an installed package has it (an environment with
PYTHONDONTWRITEBYTECODE set would otherwise recompile rfkit's sources in every new process).

    python benchmarks/bench_detect.py            # 60 s files (the issue's target: >= 20x real time)
    python benchmarks/bench_detect.py --quick    # 10 s files, one repeat: while developing

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RATE = 2.4e6
#: The `rfkit` command as this interpreter runs it.
CLI = [sys.executable, "-c", "import sys, rfkit.cli; sys.exit(rfkit.cli.main(sys.argv[1:]))"]


def make_file(folder: Path, seconds: float, *, scenario: str = "mixed") -> Path:
    """Write the `scenario` ("mixed", "chirp" or "traffic") recording of `seconds` s into `folder`; its path."""
    from rfkit.synth.emitters import CW, Chirp
    from rfkit.synth.impairments import Impairments
    from rfkit.synth.scenario import Scenario, write_scenario
    from rfkit.synth.traffic import Traffic

    third = seconds / 3
    if scenario == "mixed":
        emitters = (CW(offset_hz=-500e3, jn_db=-5.0, start_s=third / 2, end_s=seconds - third / 2),
                    Chirp(offset_hz=500e3, bandwidth_hz=600e3, period_s=50e-6, jn_db=0.0,
                          start_s=third, end_s=2 * third))
    elif scenario == "chirp":
        emitters = (Chirp(offset_hz=0.0, bandwidth_hz=2.0e6, period_s=50e-6, jn_db=0.0, start_s=0.0,
                          end_s=seconds),)
    else:
        emitters = ()
    sc = Scenario(emitters=emitters, rate_hz=RATE, duration_s=seconds, center_freq_hz=1575.42e6,
                  impairments=Impairments(), traffic=Traffic(rate_per_s=2.0))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench_{scenario}.sigmf-meta"
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


def measure(kind: str, path: Path) -> dict:
    """`kind` on `path` in a new process: {"seconds": wall time, ...}."""
    if kind == "cli":
        t = time.perf_counter()
        r = subprocess.run(CLI + ["detect", str(path), "--format", "jsonl", "-o", os.devnull], check=True,
                           capture_output=True, text=True)
        return {"seconds": time.perf_counter() - t, "stderr": r.stderr}
    r = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], check=True,
                       capture_output=True, text=True)
    return json.loads(r.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10 s files, one repeat")
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--scenarios", default="mixed,chirp,traffic", help="comma-separated: mixed, chirp, traffic")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(*args.child)))
        return 0
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    repeat = args.repeat or (1 if args.quick else 3)
    scenarios = [s for s in args.scenarios.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        paths = {s: make_file(folder, seconds, scenario=s) for s in scenarios}
        warm = make_file(folder / "warm", 1.0)
        print(f"generated {len(paths)} x {seconds:g} s at {RATE / 1e6:g} MS/s cu8 in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
        plan = [("engine", "spectral engine alone (fine spectrogram)"), ("detect", "rfkit.detect (whole)"),
                ("cli", "`rfkit detect --format jsonl` (new process)")]
        import rfkit
        compileall.compile_dir(Path(rfkit.__file__).parent, quiet=1)
        for kind, _ in plan:
            measure(kind, warm)
        rows = []
        for s, path in paths.items():
            for kind, label in plan:
                if kind == "engine" and s != scenarios[0]:
                    continue  # the engine does the same work on any recording
                best = None
                for _ in range(repeat):
                    res = measure(kind, path)
                    if best is None or res["seconds"] < best["seconds"]:
                        best = res
                rows.append((s, label, best))
        print(f"| recording ({seconds:g} s of 2.4 MS/s cu8) | pipeline | wall time, s | x real time | MS/s |")
        print("|---|---|---:|---:|---:|")
        for s, label, res in rows:
            sec = res["seconds"]
            print(f"| {s} | {label} | {sec:.2f} | {seconds / sec:.1f} | {seconds * RATE / sec / 1e6:.0f} |")
        print()
        for s, label, res in rows:
            if "jamming" in res:
                print(f"{s}: detect found {res['jamming']} jamming ({res['events']} events in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
