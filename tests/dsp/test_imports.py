"""The engine stays light: no matplotlib, and numba's cache is reused by a second process."""

import os
import subprocess
import sys

import pytest


def test_dsp_does_not_import_matplotlib():
    code = "import sys, rfkit.dsp, rfkit.dsp.files; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_second_process_reuses_the_numba_cache(tmp_path):
    code = ("import numpy as np, rfkit.dsp as d; raw = np.zeros(2 * 8192, np.uint8); "
            "s = d.Spectrogram(d.SpectrumSettings(1e6, nfft=256, avg=2)); s.push_u8(raw); "
            "s.push(np.zeros(8192, np.complex64))")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path), NUMBA_DEBUG_CACHE="1")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    for name in ("_frames_raw", "_frames_c64", "_power_rows"):
        assert [ln for ln in first.stdout.splitlines() if "data saved" in ln and name in ln], first.stdout
        loaded = [ln for ln in second.stdout.splitlines() if "data loaded" in ln and name in ln]
        saved = [ln for ln in second.stdout.splitlines() if "data saved" in ln and name in ln]
        assert loaded and not saved, second.stdout
