"""Live benchmark: the rtl_tcp replay server and client over loopback, and `rfkit monitor` speed.

Run:  python benchmarks/bench_live.py                  # 10 s of 2.4 MS/s cu8 (48 MB in /tmp)
      python benchmarks/bench_live.py --seconds 30 --rate 2.4e6

Figures, each as a multiple of real time at the recording's rate (>1: keeps up with a dongle):
- rfkit serve -> rfkit's rtl_tcp client, cu8 bytes (raw_blocks) and complex64 (blocks);
- rfkit serve -> Debian's rtl_433 writing the stream to a file (-W, no decoders), if installed;
- `rfkit monitor FILE` (the online detector, not paced), with the peak resident set.
The recording is white noise of random bytes, generated in /tmp (or --dir) and deleted after.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import rfkit
from rfkit.io.rtltcp import RtlTcpServer


def client_rate(path: Path, n: int, rate: float, *, complex_: bool) -> float:
    with RtlTcpServer(path, port=0, rate_limit=False) as srv:
        t = time.perf_counter()
        with rfkit.open(f"rtltcp://127.0.0.1:{srv.port}?rate={rate:g}&overflow=wait") as cap:
            if complex_:
                got = sum(b.samples.size for b in cap.blocks(262_144, count=n))
            else:
                got = sum(b.n_samples for b in cap.raw_blocks(262_144, count=n))
        dt = time.perf_counter() - t
    return got / dt


def rtl_433_rate(path: Path, n: int, rate: float) -> float | None:
    exe = shutil.which("rtl_433")
    if exe is None:
        return None
    out = path.with_name("bench_live_rtl_433_out.cu8")
    with RtlTcpServer(path, port=0, rate_limit=False) as srv:
        t = time.perf_counter()
        subprocess.run([exe, "-d", f"rtl_tcp:127.0.0.1:{srv.port}", "-f", "433.92M", "-s", f"{rate:g}",
                        "-W", str(out), "-n", str(n), "-R", "0"], capture_output=True, timeout=600, check=False)
        dt = time.perf_counter() - t
    size = out.stat().st_size if out.exists() else 0
    out.unlink(missing_ok=True)
    if size != 2 * n:
        print(f"rtl_433 wrote {size} bytes, not {2 * n}: not timed")
        return None
    return n / dt


def monitor_run(path: Path) -> tuple[float, float]:
    code = "import sys; from rfkit.cli import main; sys.exit(main(sys.argv[1:]))"
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M", sys.executable, "-c", code, "monitor", str(path),
                        "--format", "jsonl"], capture_output=True, text=True, timeout=1200, check=False)
    dt = time.perf_counter() - t
    m = re.search(r"maxrss_kb=(\d+)", r.stderr)
    return dt, (int(m.group(1)) / 1024 if m else float("nan"))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--rate", type=float, default=2.4e6)
    p.add_argument("--dir", default=tempfile.gettempdir())
    a = p.parse_args()
    n = int(a.seconds * a.rate)
    path = Path(a.dir) / f"bench_live_433.92M_{a.rate / 1e3:g}k.cu8"
    np.random.default_rng(0).integers(0, 256, 2 * n, dtype=np.uint8).tofile(path)
    try:
        rt = a.rate
        raw = client_rate(path, n, a.rate, complex_=False)
        print(f"serve -> rfkit client, cu8 bytes   : {raw / 1e6:7.1f} MS/s = {raw / rt:5.1f} x real time")
        cpx = client_rate(path, n, a.rate, complex_=True)
        print(f"serve -> rfkit client, complex64   : {cpx / 1e6:7.1f} MS/s = {cpx / rt:5.1f} x real time")
        r433 = rtl_433_rate(path, n, a.rate)
        if r433 is not None:
            print(f"serve -> rtl_433 -W file -R 0      : {r433 / 1e6:7.1f} MS/s = {r433 / rt:5.1f} x real time")
        dt, rss = monitor_run(path)
        print(f"rfkit monitor FILE (not paced)     : {n / dt / 1e6:7.1f} MS/s = {a.seconds / dt:5.1f} x real time, "
              f"peak RSS {rss:.0f} MB (process start included)")
    finally:
        path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
