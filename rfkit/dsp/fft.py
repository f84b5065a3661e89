"""Batched complex64 FFTs of the spectral engine: FFTW through pyFFTW, chosen by measurement.

Measured on the 2-core development machine (shared, so +-20 %), 64 frames of 1024 complex64
points a call, single thread, MS/s of input:

| backend | MS/s |
| --- | ---: |
| FFTW (pyFFTW, out of place, FFTW_ESTIMATE) | 1250 |
| FFTW in place | 970 |
| numba + rocket-fft (pocketfft inside a kernel) | 490 |
| scipy.fft, workers=1 / workers=2 | 475 / 430 |
| numpy.fft | 195 |

FFTW threads=2 on such small batches was 30-40x slower (thread hand-off per call), so the
engine parallelises above the FFT instead (two lanes, each with its own plans: see engine.py).
Batches of 65536 samples (512 KiB) were fastest for nfft 256..4096 (8192: -15 %, 131072: -10 %).
FFTW_MEASURE gained nothing consistent at nfft <= 1024 (up to +25 % at 4096, noisy) and costs
0.06 s (1024) to 0.9 s (65536) of planning per process and batch shape, so plans are ESTIMATE.
The whole pipeline (cu8 -> window -> FFT -> |X|^2 -> rows) is about 55 % FFT, 20 % windowing
(fused with the u8 conversion), 20 % power folding.
Without pyFFTW, scipy.fft (pocketfft) takes over with the same numbers to float32 rounding.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["BACKEND", "BatchFFT"]



def _load_pyfftw():
    """pyFFTW's compiled core (FFTW, empty_aligned), or None where pyFFTW is not installed.

    `import pyfftw` also imports its scipy/dask interfaces, and with them scipy.fft: 0.15-0.35 s
    of start-up that every `rfkit` command would pay. The core extension needs only numpy, so it is
    loaded on its own, under its own name (a later `import pyfftw` reuses it); on any surprise,
    the ordinary import.
    """
    import importlib.machinery
    import importlib.util
    import sys

    core = sys.modules.get("pyfftw.pyfftw")
    if core is not None:
        return core
    try:
        spec = importlib.util.find_spec("pyfftw")
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    try:
        for folder in spec.submodule_search_locations or ():
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = os.path.join(folder, "pyfftw" + suffix)
                if os.path.exists(path):
                    ext = importlib.util.spec_from_file_location("pyfftw.pyfftw", path)
                    core = importlib.util.module_from_spec(ext)
                    ext.loader.exec_module(core)
                    sys.modules["pyfftw.pyfftw"] = core
                    return core
    except Exception:  # noqa: BLE001 - any failure: fall back to the documented import
        sys.modules.pop("pyfftw.pyfftw", None)
    try:
        import pyfftw
    except ImportError:
        return None
    return pyfftw


_pyfftw = _load_pyfftw()

#: Which library transforms: "fftw" (pyFFTW) or "scipy" (pocketfft).
BACKEND = "fftw" if _pyfftw is not None else "scipy"
#: FFTW planner rigour: ESTIMATE plans in microseconds; MEASURE gained nothing consistent at
#: nfft <= 1024 and cost 0.06 s (1024) to 0.9 s (65536) per process and per batch shape.
PLANNER = "FFTW_ESTIMATE"


class BatchFFT:
    """Forward FFTs of up to `batch` frames of `nfft` complex64 points.

    Fill `input[:k]`, call `run(k)`, read the returned complex64[k, nfft] (FFT order). One
    instance per thread: it owns its buffers and plans.
    """

    def __init__(self, nfft: int, batch: int):
        self.nfft = nfft
        self.batch = batch
        self._plans: dict[int, object] = {}
        if _pyfftw is not None:
            self.input = _pyfftw.empty_aligned((batch, nfft), dtype="complex64")
            self.output = _pyfftw.empty_aligned((batch, nfft), dtype="complex64")
        else:
            self.input = np.empty((batch, nfft), dtype=np.complex64)

    def _plan(self, k: int):
        plan = self._plans.get(k)
        if plan is None:
            plan = _pyfftw.FFTW(self.input[:k], self.output[:k], axes=(-1,), direction="FFTW_FORWARD",
                                flags=(PLANNER, "FFTW_DESTROY_INPUT"), threads=1)
            if len(self._plans) > 8:
                self._plans.clear()
            self._plans[k] = plan
        return plan

    def run(self, k: int) -> np.ndarray:
        if _pyfftw is None:
            import scipy.fft

            return scipy.fft.fft(self.input[:k], axis=-1, workers=1, overwrite_x=True)
        self._plan(k).execute()
        return self.output[:k]
