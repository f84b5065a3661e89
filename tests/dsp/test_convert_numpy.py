"""to_complex64: the numba kernels and the numpy casts taken where numba is not loaded give the same samples."""

import sys

import numpy as np
import pytest

from rfkit.dsp.convert import to_complex64
from rfkit.io.formats import sample_format


@pytest.mark.parametrize("name", ["cu8", "cs8", "cs16", "cu16", "cs16be"])
def test_numpy_path_equals_numba_kernels(name, monkeypatch):
    fmt = sample_format(name)
    comp = fmt.component
    info = np.iinfo(comp)
    rng = np.random.default_rng(len(name))
    raw = rng.integers(info.min, info.max, size=2 * 5001, endpoint=True).astype(comp)
    raw[:4] = (info.min, info.max, info.max, info.min)  # the rails
    import numba  # noqa: F401 - the kernels' path

    want = to_complex64(raw, fmt)
    monkeypatch.delitem(sys.modules, "numba")  # as in a process without numba: numpy's casts
    got = to_complex64(raw, fmt)
    np.testing.assert_array_equal(got, want)
    v = (raw.astype(np.float64) - fmt.offset) / fmt.scale
    np.testing.assert_allclose(got, v[0::2] + 1j * v[1::2], rtol=1e-6, atol=1e-7)
