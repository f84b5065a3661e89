"""Waterfall files: streamed .npy (+ .json), .npz, load back; PSD CSV."""

import json

import numpy as np
import pytest

from rfkit.dsp import psd, waterfall
from rfkit.dsp.files import (
    NPY_HEADER_BYTES,
    _npy_header,
    load_waterfall,
    save_waterfall,
    stream_waterfall_npy,
    write_psd_csv,
)
from rfkit.dsp.settings import SpectrumSettings
from rfkit.errors import FormatError


def test_npy_header_fixed_size_any_count(tmp_path):
    for n in (0, 7, 10**15):
        h = _npy_header(n, 65536)
        assert len(h) == NPY_HEADER_BYTES
        p = tmp_path / f"h{n}.npy"
        p.write_bytes(h + (b"" if n > 100 else bytes(4 * n * 65536)))
        if n <= 100:
            assert np.load(p).shape == (n, 65536)


def test_stream_npy_rows_and_axes(tmp_path):
    s = SpectrumSettings(1e6, nfft=32, hop=16, avg=2, center_freq=100e6)
    rng = np.random.default_rng(0)
    blocks = [rng.exponential(1e-3, size=(k, 32)).astype(np.float32) for k in (3, 0, 5, 1)]
    path = tmp_path / "w.npy"
    assert stream_waterfall_npy(path, s, iter(blocks), start_sample=100) == 9
    got = np.load(path)
    np.testing.assert_allclose(got, 10 * np.log10(np.concatenate(blocks)), rtol=1e-6)
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["n_rows"] == 9 and meta["freq_start_hz"] == pytest.approx(100e6 - 0.5e6)
    back = load_waterfall(path)
    np.testing.assert_allclose(back.times_s, s.row_times_s(9, start_sample=100))
    assert back.settings == s
    assert stream_waterfall_npy(tmp_path / "e.npy", s, iter([])) == 0
    assert np.load(tmp_path / "e.npy").shape == (0, 32)


@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_save_load_roundtrip(tmp_path, suffix):
    x = (np.random.default_rng(1).standard_normal(20_000) * 0.1).astype(np.complex64)
    wf = waterfall(x, rate_hz=2e6, nfft=256, avg=3, overlap=0.25, start_s=0.001, stat="max")
    save_waterfall(tmp_path / f"w{suffix}", wf)
    back = load_waterfall(tmp_path / f"w{suffix}")
    np.testing.assert_array_equal(back.power_dbfs, wf.power_dbfs)
    np.testing.assert_allclose(back.times_s, wf.times_s)
    np.testing.assert_allclose(back.freqs_hz, wf.freqs_hz)
    assert back.settings == wf.settings and back.stat == "max"


def test_load_errors(tmp_path):
    np.save(tmp_path / "plain.npy", np.zeros((2, 16), np.float32))
    with pytest.raises(FormatError, match="not an rfkit waterfall"):
        load_waterfall(tmp_path / "plain.npy")
    with pytest.raises(FormatError, match="not an rfkit waterfall"):
        load_waterfall(tmp_path / "missing.npz")


def test_psd_csv(tmp_path):
    x = (np.exp(2j * np.pi * 0.25 * np.arange(4096)) * 0.5).astype(np.complex64)
    p = psd(x, rate_hz=1e6, nfft=64, window="flattop")
    write_psd_csv(tmp_path / "p.csv", p)
    t = np.loadtxt(tmp_path / "p.csv", delimiter=",", skiprows=1)
    assert t.shape == (64, 4)
    np.testing.assert_allclose(t[:, 0], p.freqs_hz)
    np.testing.assert_allclose(t[:, 1:], np.column_stack([p.mean_dbfs, p.max_dbfs, p.min_dbfs]), atol=1e-4)
    with pytest.raises(FormatError, match="cannot write"):
        write_psd_csv(tmp_path / "no" / "p.csv", p)
