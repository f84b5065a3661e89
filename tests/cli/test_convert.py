"""`rfkit convert`: lossless round trips bit-exact, metadata and annotations carried, bad output refused."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sigmf
from sigmf.validate import validate

import rfkit
from rfkit.cli import main
from rfkit.io.writers import convert_capture, write_sigmf

RNG = np.random.default_rng(11)


def run(capsys, *argv):
    code = main(["convert", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def make(tmp_path, name, npdtype, n=30000):
    dt = np.dtype(npdtype)
    info = np.iinfo(dt)
    comps = RNG.integers(info.min, info.max, 2 * n, endpoint=True).astype(dt)
    p = tmp_path / name
    comps.tofile(p)
    return p, comps


def test_cu8_to_cf32_to_cu8_bit_exact(tmp_path, capsys):
    src, comps = make(tmp_path, "g001_433.92M_250k.cu8", "u1")
    assert run(capsys, src, tmp_path / "a.cf32", "--block-size", "1000")[0] == 0
    f = np.fromfile(tmp_path / "a.cf32", "<f4")
    np.testing.assert_allclose(f, (comps - 127.5) / 127.5, atol=1e-7)
    code, out, _ = run(capsys, tmp_path / "a.cf32", "--rate", "250k", tmp_path / "b.cu8", "--block-size", "777")
    assert code == 0 and out.strip().endswith("30000 samples")
    assert (tmp_path / "b.cu8").read_bytes() == src.read_bytes()


@pytest.mark.parametrize(("dtype", "npdtype"), [("cs8", "i1"), ("cs16", "<i2")])
def test_integer_through_cf32_and_back_bit_exact(tmp_path, capsys, dtype, npdtype):
    src, _ = make(tmp_path, f"x_100M_1M.{dtype}", npdtype)
    assert run(capsys, src, tmp_path / "x.cf32")[0] == 0
    assert run(capsys, tmp_path / "x.cf32", "--rate", "1M", tmp_path / f"y.{dtype}")[0] == 0
    assert (tmp_path / f"y.{dtype}").read_bytes() == src.read_bytes()


def test_cs16_through_sigmf_pair_and_archive_bit_exact(tmp_path, capsys):
    src, _ = make(tmp_path, "rec_868.3M_1024k.cs16", "<i2")
    assert run(capsys, src, tmp_path / "rec.sigmf-meta")[0] == 0
    assert (tmp_path / "rec.sigmf-data").read_bytes() == src.read_bytes()
    meta = json.loads((tmp_path / "rec.sigmf-meta").read_text())
    validate(meta)
    assert meta["global"]["core:datatype"] == "ci16_le"
    assert meta["global"]["core:sample_rate"] == 1024e3
    assert meta["captures"][0]["core:frequency"] == 868.3e6
    sf = sigmf.fromfile(str(tmp_path / "rec.sigmf-meta"))  # checks core:sha512 against the data
    assert sf.sample_count == 30000
    assert run(capsys, tmp_path / "rec.sigmf-meta", tmp_path / "rec.sigmf")[0] == 0
    assert run(capsys, tmp_path / "rec.sigmf", tmp_path / "back.cs16")[0] == 0
    assert (tmp_path / "back.cs16").read_bytes() == src.read_bytes()


def test_sigmf_metadata_and_annotations_carried(tmp_path, capsys):
    x = (0.5 * np.exp(2j * np.pi * 0.1 * np.arange(5000))).astype(np.complex64)
    anns = [{"core:sample_start": 100, "core:sample_count": 200, "core:label": "cw",
             "core:freq_lower_edge": 1.0e9, "core:freq_upper_edge": 1.001e9, "rfkit:jn_db": 30.0}]
    src = write_sigmf(tmp_path / "in", x, sample_rate=2e6, dtype="cf32", center_freq=1e9,
                      datetime="2024-01-02T03:04:05.000Z", hw="RTL-SDR Blog V4", gain_db=40.2, annotations=anns,
                      extra_global={"core:author": "someone", "core:license": "CC-BY-4.0"})
    assert run(capsys, src, tmp_path / "out.sigmf-meta", "--to-dtype", "cs16")[0] == 0
    with rfkit.open(tmp_path / "out.sigmf-meta") as cap:
        i = cap.info
        assert (i.dtype, i.sample_rate, i.center_freq, i.hw, i.gain_db) == ("cs16", 2e6, 1e9, "RTL-SDR Blog V4", 40.2)
        assert i.datetime == "2024-01-02T03:04:05.000Z"
        assert i.extra["sigmf_global"]["core:author"] == "someone"
        assert i.extra["sigmf_global"]["core:license"] == "CC-BY-4.0"
        assert cap.annotations == anns
        np.testing.assert_allclose(cap.read(), x, atol=1 / 32768)


def test_multi_segment_carried(tmp_path):
    x = np.zeros(300, np.complex64)
    caps = [{"core:sample_start": 0, "core:frequency": 1e8}, {"core:sample_start": 150, "core:frequency": 2e8}]
    src = write_sigmf(tmp_path / "seg", x, sample_rate=1e6, dtype="cs8", captures=caps)
    with rfkit.open(src) as cap:
        convert_capture(cap, tmp_path / "o.sigmf-meta")
    with rfkit.open(tmp_path / "o.sigmf-meta") as cap:
        assert [(s.sample_start, s.center_freq) for s in cap.info.segments] == [(0, 1e8), (150, 2e8)]


def test_nan_written_as_zero_and_reported(tmp_path, capsys, caplog):
    x = np.ones(1000, np.complex64) * 0.25
    x[[3, 500]] = np.nan
    x[7] = np.inf
    x.tofile(tmp_path / "n.cf32")
    code, _, _ = run(capsys, tmp_path / "n.cf32", "--rate", "1M", tmp_path / "o.cf32")
    assert code == 0
    assert "3 samples held NaN or Inf; written as 0" in caplog.text
    y = np.fromfile(tmp_path / "o.cf32", np.complex64)
    assert np.all(np.isfinite(y)) and y[3] == 0 and y[7] == 0 and y[4] == x[4]


@pytest.mark.parametrize(
    ("out", "extra", "match"),
    [
        ("o.wav", [], "rfkit cannot write '.wav'"),
        ("o.bin", [], "give it with --to-dtype"),
        ("o.cu8", ["--to-dtype", "cf32"], "contradicts the extension"),
        ("in.cu8", ["--force"], "would overwrite the input"),
    ],
)
def test_bad_output(tmp_path, capsys, out, extra, match):
    src, _ = make(tmp_path, "in.cu8", "u1", n=10)
    code, _, err = run(capsys, src, "--rate", "1M", tmp_path / out, *extra)
    assert code == 1
    assert err.startswith("rfkit: error: ") and match in err and err.count("\n") == 1


def test_existing_output_needs_force(tmp_path, capsys):
    src, _ = make(tmp_path, "in_1M_1M.cu8", "u1", n=10)
    (tmp_path / "o.cs8").write_bytes(b"keep")
    code, _, err = run(capsys, src, tmp_path / "o.cs8")
    assert code == 1 and "exists; use --force" in err
    assert (tmp_path / "o.cs8").read_bytes() == b"keep"
    assert run(capsys, src, tmp_path / "o.cs8", "--force")[0] == 0
    assert (tmp_path / "o.cs8").stat().st_size == 20


def test_wav_to_raw_and_sigmf(tmp_path, capsys):
    import wave

    x = RNG.integers(-32768, 32767, (4000, 2), endpoint=True).astype("<i2")
    p = tmp_path / "SDRSharp_20160112_123456Z_433920000Hz_IQ.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(96000)
        w.writeframes(x.tobytes())
    assert run(capsys, p, tmp_path / "w.cs16")[0] == 0
    assert (tmp_path / "w.cs16").read_bytes() == x.tobytes()
    assert run(capsys, p, tmp_path / "w.sigmf-meta")[0] == 0
    with rfkit.open(tmp_path / "w.sigmf-meta") as cap:
        assert (cap.info.sample_rate, cap.info.center_freq) == (96000, 433.92e6)
        assert cap.info.datetime == "2016-01-12T12:34:56Z"
    assert (tmp_path / "w.sigmf-data").read_bytes() == x.tobytes()
