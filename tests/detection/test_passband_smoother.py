"""The passband test's local quadratic (rfkit/detection/passband.py) by hand, without importing
scipy.signal (its import costs a tenth of a minute's `rfkit detect`): the same weights and the
same smoothed spectrum as scipy.signal's Savitzky-Golay coefficients and FFT convolution, and a
quadratic is smoothed onto itself."""

import numpy as np
import pytest
from scipy.signal import fftconvolve, savgol_coeffs

from rfkit.detection.passband import _convolve_same, _quadratic_smoother


@pytest.mark.parametrize("m", [7, 9, 25, 103, 205, 1639])
def test_quadratic_smoother_matches_savgol(m):
    w = _quadratic_smoother(m)
    np.testing.assert_allclose(w, savgol_coeffs(m, 2), rtol=1e-12, atol=1e-15)
    # a least-squares quadratic reproduces any quadratic at its middle; the weights sum to 1
    x = np.arange(m, dtype=np.float64) - m // 2
    assert abs(float(np.dot(w[::-1], 3.0 - 0.5 * x + 0.01 * x ** 2)) - 3.0) < 1e-9
    assert abs(float(w.sum()) - 1.0) < 1e-9


@pytest.mark.parametrize("n, m", [(64, 7), (1024, 103), (2048, 205), (2000, 201), (16384, 1639)])
def test_convolve_same_matches_fftconvolve(n, m):
    rng = np.random.default_rng(n + m)
    d = 10 * np.log10(rng.exponential(size=n))
    w = _quadratic_smoother(m)
    got = _convolve_same(d, w)
    assert got.shape == d.shape
    np.testing.assert_allclose(got, fftconvolve(d, w, mode="same"), rtol=0, atol=1e-12)
    # the naive twin: the direct sum, zeros beyond the ends, centred as "same" is
    np.testing.assert_allclose(got, np.convolve(d, w, mode="same"), rtol=0, atol=1e-9)


def test_passband_module_does_not_import_scipy_signal():
    import subprocess
    import sys

    code = "import sys, rfkit.detection.online; print('scipy.signal' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
