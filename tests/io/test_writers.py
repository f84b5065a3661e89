"""Writers: complex64 -> stored integers (numba kernel vs a numpy twin), raw files, SigMF metadata."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sigmf.validate import validate

from rfkit.dsp.convert import from_complex64, to_complex64
from rfkit.errors import FormatError, MetadataError, ParameterError
from rfkit.io.formats import sample_format
from rfkit.io.writers import output_kind, sigmf_meta, sigmf_paths, to_stored, write_raw, write_sigmf

RNG = np.random.default_rng(9)


def naive_to_stored(x, fmt):
    """The obviously right twin: float64, NaN -> 0, round half to even, clip."""
    inter = np.empty(2 * x.size)
    inter[0::2], inter[1::2] = x.real, x.imag
    inter = np.where(np.isnan(inter), 0.0, inter)
    info = np.iinfo(fmt.component)
    with np.errstate(invalid="ignore"):
        v = np.clip(np.rint(inter * fmt.scale + fmt.offset), info.min, info.max)
    return v.astype(fmt.component)


def edge_samples(fmt):
    step = 1.0 / fmt.scale
    re = np.array([0, 0.5 * step, 1.5 * step, -0.5 * step, 1.0, -1.0, 1.7, -3.0, np.nan, np.inf, -np.inf,
                   2.5 * step - fmt.offset / fmt.scale, 0.999999, -0.999999])
    x = np.empty(re.size, np.complex64)
    x.real, x.imag = re, re[::-1]
    return np.concatenate([x, (RNG.normal(0, 0.5, 5001) + 1j * RNG.normal(0, 0.5, 5001)).astype(np.complex64)])


@pytest.mark.parametrize("dtype", ["cu8", "cs8", "cs16", "cs16be", "cu16", "cu16be"])
def test_from_complex64_matches_numpy_twin(dtype):
    fmt = sample_format(dtype)
    for n in (0, 1, 7):
        x = edge_samples(fmt)[:n]
        np.testing.assert_array_equal(from_complex64(x, fmt), naive_to_stored(x, fmt))
    x = edge_samples(fmt)
    got = from_complex64(x, fmt)
    assert got.dtype == fmt.component
    np.testing.assert_array_equal(got, naive_to_stored(x, fmt))
    out = np.empty(2 * x.size, fmt.component)
    assert from_complex64(x, fmt, out=out) is out
    np.testing.assert_array_equal(out, got)


@pytest.mark.parametrize("dtype", ["cu8", "cs8", "cs16"])
def test_stored_to_complex_and_back_is_identity(dtype):
    fmt = sample_format(dtype)
    info = np.iinfo(fmt.component)
    comps = np.arange(info.min, info.max + 1).astype(fmt.component)
    comps = np.concatenate([comps, comps[::-1]])  # every stored value, as I and as Q
    np.testing.assert_array_equal(from_complex64(to_complex64(comps, fmt), fmt), comps)


def test_from_complex64_validates():
    with pytest.raises(ParameterError, match="one-dimensional complex64"):
        from_complex64(np.zeros(4, np.complex128), sample_format("cs8"))
    with pytest.raises(ParameterError, match="not a 1- or 2-byte integer format"):
        from_complex64(np.zeros(4, np.complex64), sample_format("cf32"))
    with pytest.raises(ParameterError, match="out must be"):
        from_complex64(np.zeros(4, np.complex64), sample_format("cs8"), out=np.zeros(4, np.int8))


@pytest.mark.parametrize("dtype", ["cs32", "cf32", "cf64", "cf32be"])
def test_to_stored_other_formats(dtype):
    fmt = sample_format(dtype)
    x = edge_samples(fmt)[14:]
    got = to_stored(x, fmt)
    if fmt.is_float:
        np.testing.assert_array_equal(got[0::2], x.real.astype(fmt.component))
    else:
        np.testing.assert_array_equal(got, naive_to_stored(x, fmt))


def test_write_raw_append_and_numpy_reads_it(tmp_path):
    x = (RNG.normal(0, 0.3, 100) + 1j * RNG.normal(0, 0.3, 100)).astype(np.complex64)
    p = tmp_path / "w.cs16"
    assert write_raw(p, x[:60], dtype="cs16") == 60
    write_raw(p, x[60:], dtype="cs16", append=True)
    np.testing.assert_array_equal(np.fromfile(p, "<i2"), naive_to_stored(x, sample_format("cs16")))
    with pytest.raises(FormatError, match="cannot write"):
        write_raw(tmp_path / "no" / "dir.cu8", x, dtype="cu8")


def test_sigmf_paths_and_output_kind(tmp_path):
    assert sigmf_paths("a/b.sigmf-data") == sigmf_paths("a/b.sigmf-meta") == sigmf_paths("a/b")
    assert sigmf_paths("x.y")[0].name == "x.y.sigmf-meta"
    assert output_kind("o.cfile") == ("raw", "cf32")
    assert output_kind("o.sigmf") == ("sigmf-archive", None)
    with pytest.raises(FormatError, match="cannot write '.wav'"):
        output_kind("o.wav")


def test_sigmf_meta_declares_extensions_and_validates():
    meta = sigmf_meta(dtype="cu8", sample_rate=2.4e6, center_freq=1e8, gain_db=12.5,
                      annotations=[{"core:sample_start": 9, "rfkit:kind": "cw"}, {"core:sample_start": 1}],
                      extra_global={"core:author": "me", "core:sha512": "ignored"})
    validate(meta)
    assert {e["name"] for e in meta["global"]["core:extensions"]} == {"rfkit", "capture_details"}
    assert [a["core:sample_start"] for a in meta["annotations"]] == [1, 9]
    assert "core:sha512" not in meta["global"]
    with pytest.raises(ParameterError, match="sample_rate=0 must be a positive"):
        sigmf_meta(dtype="cu8", sample_rate=0)
    with pytest.raises(MetadataError, match="captures/0/core:frequency"):
        sigmf_meta(dtype="cu8", sample_rate=1.0, captures=[{"core:sample_start": 0, "core:frequency": "x"}])


def test_write_sigmf_hash_matches_data(tmp_path):
    import hashlib

    meta = write_sigmf(tmp_path / "h", np.zeros(10, np.complex64), sample_rate=1.0, dtype="cs8")
    m = json.loads(meta.read_text())
    assert m["global"]["core:sha512"] == hashlib.sha512((tmp_path / "h.sigmf-data").read_bytes()).hexdigest()
