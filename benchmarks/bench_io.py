"""I/O benchmark: sample-conversion kernels (numba) against plain numpy, and streaming a large file.

Run:  python benchmarks/bench_io.py                 # kernels, then a 4 GB cu8 file streamed
      python benchmarks/bench_io.py --size-gb 1 --dtype cs16
      python benchmarks/bench_io.py --skip-stream

Figures: MS/s (million complex samples a second) and the numba/numpy ratio for each conversion;
for streaming, MS/s and the peak resident set (VmHWM) of a fresh process that opens the file
with rfkit.open and reads every block. The file is generated in /tmp (or --dir) and deleted after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rfkit.dsp.convert import from_complex64, to_complex64
from rfkit.io.formats import sample_format

RSS_LIMIT_MB = 300  # the bound on peak RSS while streaming


def best_time(fn, repeat: int) -> float:
    fn()  # warm-up (and numba compilation)
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def numpy_to_complex64(raw, fmt):
    """The plain numpy way: float32 arithmetic on the interleaved pairs, viewed as complex64."""
    f = (raw.astype(np.float32) - np.float32(fmt.offset)) * np.float32(1.0 / fmt.scale)
    return f.view(np.complex64)


def numpy_from_complex64(x, fmt):
    info = np.iinfo(fmt.component)
    v = x.view(np.float32) * np.float32(fmt.scale) + np.float32(fmt.offset)
    return np.clip(np.rint(v), info.min, info.max).astype(fmt.component)


def bench_kernels(n: int, repeat: int) -> list[dict]:
    rng = np.random.default_rng(0)
    rows = []
    for name in ("cu8", "cs8", "cs16"):
        fmt = sample_format(name)
        info = np.iinfo(fmt.component)
        raw = rng.integers(info.min, info.max, 2 * n, endpoint=True).astype(fmt.component)
        out = np.empty(n, np.complex64)
        t_nb = best_time(lambda raw=raw, fmt=fmt, out=out: to_complex64(raw, fmt, out=out), repeat)
        t_np = best_time(lambda raw=raw, fmt=fmt: numpy_to_complex64(raw, fmt), repeat)
        rows.append({"conversion": f"{name} -> complex64", "numba_MSps": n / t_nb / 1e6,
                     "numpy_MSps": n / t_np / 1e6, "ratio": t_np / t_nb})
        x = to_complex64(raw, fmt)
        st = np.empty(2 * n, fmt.component)
        t_nb = best_time(lambda x=x, fmt=fmt, st=st: from_complex64(x, fmt, out=st), repeat)
        t_np = best_time(lambda x=x, fmt=fmt: numpy_from_complex64(x, fmt), repeat)
        rows.append({"conversion": f"complex64 -> {name}", "numba_MSps": n / t_nb / 1e6,
                     "numpy_MSps": n / t_np / 1e6, "ratio": t_np / t_nb})
    return rows


def generate(path: Path, size_bytes: int) -> None:
    """Random bytes, written 64 MiB at a time (the same chunk repeated: content does not matter)."""
    chunk = np.random.default_rng(1).integers(0, 256, 64 << 20, dtype=np.uint8)
    left = size_bytes
    with open(path, "wb") as f:
        while left > 0:
            part = chunk[: min(left, chunk.size)]
            part.tofile(f)
            left -= part.size


def child_stream(path: str, dtype: str, block: int) -> None:
    """Run in a fresh process: open, read every block, touch the samples; print JSON figures."""
    import rfkit

    with rfkit.open(path, rate=1e6, dtype=dtype) as cap:
        next(cap.blocks(block))  # compile kernels before the clock starts
        t = time.perf_counter()
        n = 0
        acc = 0.0
        for blk in cap.blocks(block):
            n += blk.samples.size
            acc += float(np.vdot(blk.samples[:1024], blk.samples[:1024]).real)
        dt = time.perf_counter() - t
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"samples": n, "seconds": dt, "MSps": n / dt / 1e6, "peak_rss_mb": hwm / 1024}))


def bench_stream(size_gb: float, dtype: str, block: int, where: str | None) -> dict:
    fmt = sample_format(dtype)
    size = int(size_gb * 1e9) // fmt.bytes_per_sample * fmt.bytes_per_sample
    fd, name = tempfile.mkstemp(suffix=f".{dtype}", dir=where)
    os.close(fd)
    path = Path(name)
    try:
        t = time.perf_counter()
        generate(path, size)
        gen_s = time.perf_counter() - t
        res = subprocess.run([sys.executable, __file__, "--child-stream", str(path), "--dtype", dtype,
                              "--block", str(block)], capture_output=True, text=True, check=True)
        out = json.loads(res.stdout.strip().splitlines()[-1])
    finally:
        path.unlink(missing_ok=True)
    out.update({"file_gb": size / 1e9, "dtype": dtype, "block": block, "generate_s": gen_s})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-gb", type=float, default=4.0, help="size of the streamed file (default 4 GB)")
    ap.add_argument("--dtype", default="cu8", choices=["cu8", "cs8", "cs16", "cf32"], help="its sample format")
    ap.add_argument("--block", type=int, default=1 << 20, help="samples a block (default 1048576)")
    ap.add_argument("--kernel-samples", type=int, default=1 << 22, help="samples a kernel run (default 4M)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dir", help="where to write the generated file (default: the temp folder)")
    ap.add_argument("--skip-stream", action="store_true")
    ap.add_argument("--child-stream", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child_stream:
        child_stream(a.child_stream, a.dtype, a.block)
        return 0

    print(f"conversion kernels, {a.kernel_samples} samples, best of {a.repeat}")
    print(f"{'conversion':<22}{'numba MS/s':>12}{'numpy MS/s':>12}{'ratio':>8}")
    for r in bench_kernels(a.kernel_samples, a.repeat):
        print(f"{r['conversion']:<22}{r['numba_MSps']:>12.0f}{r['numpy_MSps']:>12.0f}{r['ratio']:>8.2f}")
    if a.skip_stream:
        return 0
    s = bench_stream(a.size_gb, a.dtype, a.block, a.dir)
    ok = s["peak_rss_mb"] < RSS_LIMIT_MB
    print(f"\nstreaming {s['file_gb']:.2f} GB of {s['dtype']} ({s['samples']} samples, blocks of {s['block']}): "
          f"{s['MSps']:.0f} MS/s, {s['seconds']:.1f} s; peak RSS {s['peak_rss_mb']:.0f} MB "
          f"({'under' if ok else 'OVER'} {RSS_LIMIT_MB} MB); generating the file took {s['generate_s']:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
