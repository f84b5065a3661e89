"""Benchmark: `rfkit waterfall REC.cu8 -o wf.png` on a long 2.4 MS/s recording — wall time and peak RSS.

Generates a cu8 recording in a temporary folder (default 600 s = 2.88 GB: noise, a steady tone, and
one 20 ms burst near the middle), renders its waterfall PNG with the command line in a child
process (process start and numba's cached compilation included), reports time, throughput and the
child's peak resident memory, checks that the 20 ms burst shows in the picture's data, and deletes
the recording.

    python benchmarks/bench_plot.py                    # the full 10-minute run (~3 GB in /tmp)
    python benchmarks/bench_plot.py --duration-s 30    # a short run while developing
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHUNK_SAMPLES = 1 << 22  # 4 Mi samples = 8 MiB of cu8 per write
BURST_S = 0.020


def make_recording(path: Path, *, duration_s: float, rate_hz: float, seed: int = 0) -> float:
    """Write noise + a tone (+ a 20 ms burst at the middle) as cu8; returns the burst's start (s)."""
    rng = np.random.default_rng(seed)
    n_total = int(duration_s * rate_hz)
    t = np.arange(CHUNK_SAMPLES) / rate_hz
    base = 0.02 * (rng.standard_normal(CHUNK_SAMPLES) + 1j * rng.standard_normal(CHUNK_SAMPLES))
    # the tone's frequency fits a whole number of cycles in a chunk, so repeated chunks join smoothly
    tone_hz = round(300e3 * CHUNK_SAMPLES / rate_hz) * rate_hz / CHUNK_SAMPLES
    base += 0.05 * np.exp(2j * np.pi * tone_hz * t)
    stored = np.empty(2 * CHUNK_SAMPLES, dtype=np.uint8)
    stored[0::2] = np.clip(np.rint(base.real * 127.5 + 127.5), 0, 255)
    stored[1::2] = np.clip(np.rint(base.imag * 127.5 + 127.5), 0, 255)
    burst_start = (n_total // 2) / rate_hz
    b0, b1 = n_total // 2, n_total // 2 + int(BURST_S * rate_hz)
    with open(path, "wb") as f:
        pos = 0
        while pos < n_total:
            take = min(CHUNK_SAMPLES, n_total - pos)
            if (
                pos < b1 and pos + take > b0
            ):  # the chunk that holds the burst: a strong wideband burst
                block = stored[: 2 * take].copy()
                lo, hi = max(b0, pos) - pos, min(b1, pos + take) - pos
                block[2 * lo : 2 * hi] = rng.integers(20, 236, 2 * (hi - lo), dtype=np.uint8)
                block.tofile(f)
            else:
                stored[: 2 * take].tofile(f)
            pos += take
    return burst_start


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--duration-s", type=float, default=600.0, help="length of the recording (default 600 s)"
    )
    p.add_argument("--rate", type=float, default=2.4e6, help="sample rate in Hz (default 2.4e6)")
    p.add_argument("--nfft", type=int, default=1024, help="FFT size (default 1024)")
    p.add_argument(
        "--dir",
        default=tempfile.gettempdir(),
        help="where the recording goes (default the temp dir)",
    )
    p.add_argument("--keep", action="store_true", help="keep the recording and the PNG")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="rfkit-bench-plot-", dir=args.dir))
    rec = work / f"bench_1575.42M_{args.rate / 1e3:g}k.cu8"
    png = work / "waterfall.png"
    try:
        t0 = time.perf_counter()
        burst_s = make_recording(rec, duration_s=args.duration_s, rate_hz=args.rate)
        t_gen = time.perf_counter() - t0
        size = rec.stat().st_size

        cmd = [
            sys.executable,
            "-c",
            "import sys; from rfkit.cli import main; sys.exit(main())",
            "waterfall",
            str(rec),
            "--nfft",
            str(args.nfft),
            "-o",
            str(png),
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, check=False)
        t_png = time.perf_counter() - t0
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return 1
        peak_kib = max(
            before, peak_kib
        )  # an earlier child was bigger: the figure is an upper bound

        # the 20 ms burst survives the reduction to a few thousand rows (max-hold), in-process check
        import rfkit
        from rfkit.plot.files import display_rows

        with rfkit.open(rec) as cap:
            n = cap.info.n_samples
            frames = n // args.nfft
            avg = max(1, -(-frames // display_rows(args.nfft)))
            wf = rfkit.dsp.waterfall(
                cap,
                nfft=args.nfft,
                avg=avg,
                stat="max",
                start_s=max(0.0, burst_s - 5 * avg * args.nfft / args.rate),
                duration_s=10 * avg * args.nfft / args.rate,
            )
        rows = np.median(wf.power_dbfs, axis=1)
        burst_seen = bool(rows.max() > np.median(rows) + 10.0)

        result = {
            "duration_s": args.duration_s,
            "rate_hz": args.rate,
            "file_bytes": size,
            "generate_s": round(t_gen, 2),
            "png_wall_s": round(t_png, 2),
            "throughput_ms_per_s": round(n / t_png / 1e6, 1),
            "realtime_factor": round(args.duration_s / t_png, 1),
            "peak_rss_mb": round(peak_kib / 1024, 1),
            "burst_visible": burst_seen,
            "png_bytes": png.stat().st_size,
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"recording: {args.duration_s:g} s at {args.rate / 1e6:g} MS/s cu8, {size / 1e9:.2f} GB "
                f"(generated in {t_gen:.1f} s)"
            )
            print(
                f"rfkit waterfall -o PNG: {t_png:.2f} s wall ({n / t_png / 1e6:.0f} MS/s, "
                f"{args.duration_s / t_png:.0f}x real time), peak RSS {peak_kib / 1024:.0f} MB"
            )
            print(
                f"20 ms burst visible after max-hold: {burst_seen}; PNG {png.stat().st_size / 1e3:.0f} kB"
            )
        return 0 if burst_seen else 1
    finally:
        if not args.keep:
            for f in (rec, png):
                if f.exists():
                    f.unlink()
            if not any(work.iterdir()):
                os.rmdir(work)


if __name__ == "__main__":
    sys.exit(main())
