"""Spectral engine benchmark: rfkit's waterfall against scipy, numpy and pyFFTW pipelines, in MS/s.

Every pipeline reads the same generated cu8 recording (60 s at 2.4 MS/s by default, written to
a temporary folder, never committed) and computes the same waterfall: 1024-point Hann frames,
no overlap, 16 frames averaged per row. Each runs in its own process (so that peak memory is its
own), after a short warm-up (numba's cached kernels loaded, FFT plans made); the figure is the
best of `--repeat` runs. Then rfkit's engine throughput with each kernel set (numba, numpy)
for FFT sizes 256..65536, and the whole `rfkit waterfall` command timed as a user meets it,
for `--kernels auto`, `numba` and `numpy`: process start, imports, numba's cached compilation
(warm cache) or a first-ever run (NUMBA_CACHE_DIR pointed at a fresh folder). Last, the
numbers behind `--kernels auto`: numba's fixed load cost (the command on a 0.05 s file, numba
minus numpy kernels), the time each set takes per sample, and the break-even job length,
beside the constants in rfkit/dsp/engine.py.

    python benchmarks/bench_spectral.py              # the full run (about 2 minutes, quiet machine)
    python benchmarks/bench_spectral.py --quick      # 10 s file, one repeat: while developing

Prints markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RATE = 2.4e6
NFFT = 1024
AVG = 16
BLOCK = 1 << 20  # samples a block, for every pipeline


# -- the file ---------------------------------------------------------------------------------
def make_file(folder: Path, seconds: float) -> Path:
    """A cu8 recording: noise, a tone and a chirp, like a dongle's (rtl_433-style name)."""
    path = folder / f"bench_1575.42M_{int(RATE / 1e3)}k.cu8"
    n = int(seconds * RATE)
    rng = np.random.default_rng(0)
    step = 1 << 22
    with open(path, "wb") as f:
        for start in range(0, n, step):
            k = min(step, n - start)
            t = (start + np.arange(k)) / RATE
            x = 0.05 * (rng.standard_normal(k) + 1j * rng.standard_normal(k))
            x += 0.2 * np.exp(2j * np.pi * 300e3 * t)
            x += 0.1 * np.exp(2j * np.pi * (-1e6 * t + 20e6 * (t % 0.1) ** 2))
            v = np.empty(2 * k, dtype=np.float64)
            v[0::2], v[1::2] = x.real, x.imag
            np.clip(np.rint(v * 127.5 + 127.5), 0, 255).astype(np.uint8).tofile(f)
    return path


# -- the pipelines (each returns the waterfall's number of rows) ------------------------------
def _raw(path):
    return np.memmap(path, dtype=np.uint8, mode="r")


def _blocks_c64(path, block=BLOCK):
    """complex64 blocks of whole rows (numpy conversion), for the reference pipelines."""
    raw = _raw(path)
    row = NFFT * AVG
    block = block // row * row
    n = raw.size // 2 // row * row
    for s in range(0, n, block):
        u = raw[2 * s : 2 * min(s + block, n)].astype(np.float32)
        u -= 127.5
        u *= 1 / 127.5
        yield u.view(np.complex64)


def run_rfkit(path, nfft=NFFT, avg=AVG, workers=None, kernels="numba"):
    from rfkit.dsp import engine, waterfall

    if workers is not None:
        engine.WORKERS = workers
    return waterfall(path, nfft=nfft, avg=avg, block_size=BLOCK, kernels=kernels).power_dbfs.shape[0]


def run_scipy(path):
    import scipy.signal

    rows = 0
    for x in _blocks_c64(path):
        _, _, sxx = scipy.signal.spectrogram(x, fs=RATE, window="hann", nperseg=NFFT, noverlap=0, detrend=False,
                                             return_onesided=False, scaling="spectrum")
        p = np.fft.fftshift(sxx, axes=0).T.reshape(-1, AVG, NFFT).mean(axis=1)
        rows += (10 * np.log10(p)).shape[0]
    return rows


def _window():
    n = np.arange(NFFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / NFFT)).astype(np.float32)


def run_numpy(path):
    w = _window()
    scale = np.float32(1 / w.sum() ** 2 / AVG)
    rows = 0
    for x in _blocks_c64(path):
        spec = np.fft.fft(x.reshape(-1, NFFT) * w, axis=1)
        p = (spec.real**2 + spec.imag**2).reshape(-1, AVG, NFFT).sum(axis=1) * scale
        rows += (10 * np.log10(np.fft.fftshift(p, axes=1))).shape[0]
    return rows


def run_pyfftw(path):
    import pyfftw

    w = _window()
    scale = np.float32(1 / w.sum() ** 2 / AVG)
    frames = BLOCK // NFFT
    a = pyfftw.empty_aligned((frames, NFFT), dtype="complex64")
    b = pyfftw.empty_aligned((frames, NFFT), dtype="complex64")
    plans = {}
    rows = 0
    for x in _blocks_c64(path):
        k = x.size // NFFT
        if k not in plans:
            plans[k] = pyfftw.FFTW(a[:k], b[:k], axes=(-1,), flags=("FFTW_ESTIMATE", "FFTW_DESTROY_INPUT"))
        np.multiply(x.reshape(-1, NFFT), w, out=a[:k])
        plans[k]()
        s = b[:k]
        p = (s.real**2 + s.imag**2).reshape(-1, AVG, NFFT).sum(axis=1) * scale
        rows += (10 * np.log10(np.fft.fftshift(p, axes=1))).shape[0]
    return rows


def run_fftw_only(path):
    """The ceiling: only the FFTs of as many frames (single thread, data already windowed)."""
    import pyfftw

    n = _raw(path).size // 2
    frames = 64
    a = pyfftw.empty_aligned((frames, NFFT), dtype="complex64")
    b = pyfftw.empty_aligned((frames, NFFT), dtype="complex64")
    a[:] = 1
    plan = pyfftw.FFTW(a, b, axes=(-1,), flags=("FFTW_ESTIMATE",))
    for _ in range(n // (frames * NFFT)):
        plan()
    return n // (NFFT * AVG)


PIPELINES = {
    "rfkit (numba kernels)": run_rfkit,
    "rfkit (numpy kernels)": lambda p: run_rfkit(p, kernels="numpy"),
    "rfkit (numba, 2 threads)": lambda p: run_rfkit(p, workers=2),
    "scipy.signal.spectrogram": run_scipy,
    "numpy (np.fft)": run_numpy,
    "pyFFTW pipeline": run_pyfftw,
    "FFTW transform only": run_fftw_only,
}


def one(name: str, path: str, repeat: int, nfft: int, kernels: str = "numba") -> dict:
    """Run one pipeline in this process: warm up on 1 s, then the best of `repeat` runs."""
    short = Path(tempfile.mkdtemp()) / Path(path).name
    with open(path, "rb") as f:
        short.write_bytes(f.read(int(2 * RATE)))
    fn = PIPELINES[name] if name in PIPELINES else (
        lambda p: run_rfkit(p, nfft=nfft, avg=max(1, 16384 // nfft), kernels=kernels))
    fn(short)
    shutil.rmtree(short.parent)
    best = float("inf")
    rows = 0
    for _ in range(repeat):
        t = time.perf_counter()
        rows = fn(path)
        best = min(best, time.perf_counter() - t)
    return {"seconds": best, "rows": rows, "rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(name: str, path: Path, repeat: int, nfft: int = NFFT, kernels: str = "numba") -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", name, "--file", str(path), "--repeat", str(repeat),
                          "--nfft", str(nfft), "--kernels", kernels], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rfkit_command() -> list[str]:
    """The installed `rfkit` script, or the same through this Python."""
    exe = shutil.which("rfkit")
    return [exe] if exe else [sys.executable, "-c", "import sys; from rfkit.cli import main; sys.exit(main())"]


def whole_command(path: Path, out_dir: Path, *, cold: bool, repeat: int, kernels: str = "auto") -> float:
    """Wall time of `rfkit waterfall FILE -o OUT.npy --avg 16 --kernels K` in a fresh process (best of repeat)."""
    env = {k: v for k, v in os.environ.items() if k != "RFKIT_DSP_KERNELS"}
    best = float("inf")
    for _ in range(repeat):
        cache = None
        if cold:
            cache = tempfile.mkdtemp(prefix="numba-cold-")
            env["NUMBA_CACHE_DIR"] = cache
        t = time.perf_counter()
        subprocess.run([*_rfkit_command(), "waterfall", str(path), "-o", str(out_dir / f"wf_{kernels}.npy"),
                        "--nfft", str(NFFT), "--avg", str(AVG), "--kernels", kernels], check=True, env=env)
        best = min(best, time.perf_counter() - t)
        if cache:
            shutil.rmtree(cache, ignore_errors=True)
    return best


def _compare(a: Path, b: Path) -> float:
    """Max relative difference of two dBFS waterfalls in linear power, where it is above 1e-12."""
    pa = 10 ** (np.load(a).astype(np.float64) / 10)
    pb = 10 ** (np.load(b).astype(np.float64) / 10)
    on = pb > 1e-12
    return float(np.max(np.abs(pa[on] - pb[on]) / pb[on]))


def command_rss_mb(path: Path, out_dir: Path) -> float:
    """Peak resident memory of the waterfall command (read in the process itself: VmHWM)."""
    code = ("import sys; from pathlib import Path; from rfkit.cli import main; main(sys.argv[1:]); "
            "print([l.split()[1] for l in Path('/proc/self/status').read_text().splitlines() "
            "if l.startswith('VmHWM')][0])")
    out = subprocess.run([sys.executable, "-c", code, "waterfall", str(path), "-o", str(out_dir / "wf.npy"),
                          "--nfft", str(NFFT), "--avg", "1"], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-1]) / 1024


def startup(path: Path) -> dict:
    """Import time of rfkit and time of the first small waterfall, warm numba cache (fresh process)."""
    code = ("import time; t=time.perf_counter(); import rfkit; t1=time.perf_counter(); "
            f"rfkit.waterfall({str(path)!r}, nfft=1024, avg=16, duration_s=0.05); t2=time.perf_counter(); "
            "print(t1-t, t2-t1)")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # make sure the cache is warm
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return {"import_s": float(out[0]), "first_call_s": float(out[1])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10 s file, one repeat")
    ap.add_argument("--seconds", type=float, help="length of the generated file (default 60, 10 with --quick)")
    ap.add_argument("--repeat", type=int, help="runs per pipeline, best kept (default 3, 1 with --quick)")
    ap.add_argument("--skip-slow", action="store_true", help="leave scipy and numpy out")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--nfft", type=int, default=NFFT, help=argparse.SUPPRESS)
    ap.add_argument("--kernels", default="numba", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(one(a.one, a.file, a.repeat or 1, a.nfft, a.kernels)))
        return 0
    seconds = a.seconds or (10.0 if a.quick else 60.0)
    repeat = a.repeat or (1 if a.quick else 3)
    folder = Path(tempfile.mkdtemp(prefix="rfkit-bench-"))
    try:
        path = make_file(folder, seconds)
        n = int(seconds * RATE)
        print(f"file: {seconds:g} s of cu8 at {RATE / 1e6:g} MS/s ({n / 1e6:.0f} MS, {path.stat().st_size >> 20} MiB); "
              f"nfft {NFFT}, Hann, no overlap, {AVG} frames a row; best of {repeat}; {os.cpu_count()} CPUs\n")
        print("| pipeline | time (s) | MS/s | vs rfkit (numba) | peak RSS (MB) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        ref = None
        for name in PIPELINES:
            if a.skip_slow and name in ("scipy.signal.spectrogram", "numpy (np.fft)"):
                continue
            r = in_child(name, path, repeat)
            msps = n / r["seconds"] / 1e6
            ref = ref or msps
            print(f"| {name} | {r['seconds']:.3f} | {msps:.0f} | {msps / ref:.2f} | {r['rss_mb']:.0f} |", flush=True)

        print("\n| nfft | rows | engine MS/s, numba kernels | numpy kernels | numba / numpy | "
              "peak RSS (MB), numba / numpy |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        per_sample = {}
        for nfft in (256, 1024, 4096, 16384, 65536):
            r = {k: in_child("nfft", path, repeat, nfft, k) for k in ("numba", "numpy")}
            msps = {k: n / v["seconds"] / 1e6 for k, v in r.items()}
            if nfft == NFFT:
                per_sample = {k: v["seconds"] / n for k, v in r.items()}
            print(f"| {nfft} | {r['numba']['rows']} | {msps['numba']:.0f} | {msps['numpy']:.0f} | "
                  f"{msps['numba'] / msps['numpy']:.2f} | {r['numba']['rss_mb']:.0f} / {r['numpy']['rss_mb']:.0f} |",
                  flush=True)

        s = startup(path)
        print("\n| whole `rfkit waterfall` command | wall (s) | MS/s |")
        print("| --- | ---: | ---: |")
        for k in ("auto", "numpy", "numba"):
            warm = whole_command(path, folder, cold=False, repeat=repeat, kernels=k)
            print(f"| `--kernels {k}`, warm numba cache | {warm:.2f} | {n / warm / 1e6:.0f} |", flush=True)
        for k in ("auto", "numba"):
            cold = whole_command(path, folder, cold=True, repeat=1, kernels=k)
            print(f"| `--kernels {k}`, cold numba cache (first-ever run) | {cold:.2f} | {n / cold / 1e6:.0f} |",
                  flush=True)
        same = _compare(folder / "wf_numpy.npy", folder / "wf_numba.npy")
        print(f"\nnumpy vs numba kernels, the same file: max relative difference {same:.1e} "
              "(bins above 1e-12 linear power)")

        # the cost model behind --kernels auto
        tiny = folder / f"tiny_1575.42M_{int(RATE / 1e3)}k.cu8"
        with open(path, "rb") as f:
            tiny.write_bytes(f.read(2 * int(RATE * 0.05)))
        fixed = {k: whole_command(tiny, folder, cold=False, repeat=max(3, repeat), kernels=k)
                 for k in ("numpy", "numba")}
        load = fixed["numba"] - fixed["numpy"]
        saved = per_sample["numpy"] - per_sample["numba"]
        from rfkit.dsp import engine

        print(f"\nthe command on a 0.05 s file: numpy kernels {fixed['numpy']:.3f} s, numba {fixed['numba']:.3f} s: "
              f"numba's fixed load cost {load:.2f} s (engine.NUMBA_LOAD_S = {engine.NUMBA_LOAD_S})")
        print(f"engine time per sample, nfft {NFFT}: numba {per_sample['numba'] * 1e9:.2f} ns, numpy "
              f"{per_sample['numpy'] * 1e9:.2f} ns (engine: {engine.NUMBA_S_PER_SAMPLE * 1e9:.2f}, "
              f"{engine.NUMPY_S_PER_SAMPLE * 1e9:.2f})")
        if saved > 0:
            be = load / saved
            print(f"break-even: {be / 1e6:.0f} M samples = {be / RATE:.0f} s at {RATE / 1e6:g} MS/s "
                  f"(engine.KERNELS_BREAK_EVEN_SAMPLES = {engine.KERNELS_BREAK_EVEN_SAMPLES / 1e6:.0f} M)")
        print(f"\n`import rfkit`: {s['import_s']:.2f} s; first small waterfall after it (warm cache): "
              f"{s['first_call_s']:.2f} s; peak RSS of `rfkit waterfall --avg 1` (rows streamed to disk): "
              f"{command_rss_mb(path, folder):.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
