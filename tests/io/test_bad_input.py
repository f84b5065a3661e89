"""Bad input: each case gives one RfkitError (one stderr line and exit 1 from the CLI), never a traceback.

Property tests feed random bytes to every reader: it raises RfkitError or succeeds, nothing else.
"""

from __future__ import annotations

import json
import logging
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rfkit
from rfkit.cli import main
from rfkit.errors import FormatError, MetadataError, RfkitError

# -- each case, through the library and through the CLI ---------------------------------------


def cli_error(capsys, *argv) -> str:
    code = main(["info", *map(str, argv)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("rfkit: error: ")
    assert err.count("\n") == 1, err  # one line, no traceback
    return err


def meta_pair(tmp_path, glob, data=b"\0" * 64, name="m"):
    (tmp_path / f"{name}.sigmf-data").write_bytes(data)
    meta = {"global": glob, "captures": [{"core:sample_start": 0}], "annotations": []}
    (tmp_path / f"{name}.sigmf-meta").write_text(json.dumps(meta))
    return tmp_path / f"{name}.sigmf-meta"


def test_missing_path(tmp_path, capsys):
    with pytest.raises(FormatError, match="no such file"):
        rfkit.open(tmp_path / "nope.cu8")
    assert "nope.cu8': no such file" in cli_error(capsys, tmp_path / "nope.cu8")


def test_directory(tmp_path, capsys):
    (tmp_path / "d.sigmf-meta").mkdir()
    for p in (tmp_path, tmp_path / "d.sigmf-meta"):
        with pytest.raises(FormatError, match="is a directory"):
            rfkit.open(p, dtype="cu8", rate=1e6)
    assert "is a directory" in cli_error(capsys, tmp_path)


@pytest.mark.parametrize("name", ["e_1M_1M.cu8", "e.cf32", "e.sigmf-data", "e.wav"])
def test_empty_file(tmp_path, capsys, name):
    (tmp_path / name).write_bytes(b"")
    if name.endswith("sigmf-data"):
        meta_pair(tmp_path, {"core:datatype": "cu8", "core:sample_rate": 1e6, "core:version": "1.2.0"},
                  data=b"", name="e")
    assert "is empty" in cli_error(capsys, tmp_path / name, "--rate", "1M")


def test_not_a_whole_number_of_samples(tmp_path, capsys, caplog):
    comps = np.arange(-50, 50, dtype=np.float32)
    (tmp_path / "odd.cf32").write_bytes(comps.tobytes() + b"\x01\x02\x03\x04\x05")
    with rfkit.open(tmp_path / "odd.cf32", rate=1e6) as cap:
        assert cap.info.n_samples == 50 and cap.info.leftover_bytes == 5
        np.testing.assert_array_equal(cap.read().real, comps[0::2])  # the rest is read
    assert main(["info", str(tmp_path / "odd.cf32"), "--rate", "1M", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["leftover_bytes"] == 5
    assert "5 trailing bytes do not make a whole sample" in caplog.text


def test_less_than_one_sample(tmp_path, capsys):
    (tmp_path / "tiny.cf64").write_bytes(b"\0" * 15)
    assert "15 bytes, less than one cf64 sample (16 bytes)" in cli_error(capsys, tmp_path / "tiny.cf64", "--rate", "1")


def test_unknown_extension_without_dtype(tmp_path, capsys):
    (tmp_path / "x.xyz").write_bytes(b"\0" * 16)
    err = cli_error(capsys, tmp_path / "x.xyz", "--rate", "1M")
    assert "unknown extension '.xyz'" in err and "--dtype" in err
    with rfkit.open(tmp_path / "x.xyz", rate=1e6, dtype="cs8") as cap:  # --dtype makes it readable
        assert cap.info.n_samples == 8
    (tmp_path / "x.bin").write_bytes(b"\0" * 16)
    assert "does not say the sample format" in cli_error(capsys, tmp_path / "x.bin", "--rate", "1M")


def test_no_sample_rate(tmp_path, capsys):
    (tmp_path / "x.cu8").write_bytes(b"\0" * 16)
    with pytest.raises(MetadataError, match="unknown sample rate"):
        rfkit.open(tmp_path / "x.cu8")
    assert "unknown sample rate; give it with --rate" in cli_error(capsys, tmp_path / "x.cu8")


@pytest.mark.parametrize(
    ("meta_text", "match"),
    [
        ("{\"global\": {", "is not valid JSON \\(line 1, column 13"),
        ("[1, 2]", "no \"global\" object"),
        ("{\"global\": {}, \"captures\": 3}", "\"captures\" must be a list of objects"),
        (json.dumps({"global": {"core:sample_rate": 1e6}}), "lacks core:datatype"),
        (json.dumps({"global": {"core:datatype": "cf32_le"}}), "lacks core:sample_rate; give the sample rate with --rate"),
        (json.dumps({"global": {"core:datatype": "cf32_le", "core:sample_rate": -5}}), "core:sample_rate=-5 must be"),
        (json.dumps({"global": {"core:datatype": "ci24_le", "core:sample_rate": 1}}), "'ci24_le' is not a SigMF datatype"),
        (json.dumps({"global": {"core:datatype": "rf32_le", "core:sample_rate": 1}}), "is real-valued"),
        (json.dumps({"global": {"core:datatype": 7, "core:sample_rate": 1}}), "core:datatype=7 is not"),
        (json.dumps({"global": {"core:datatype": "cu8", "core:sample_rate": 1, "core:metadata_only": True}}),
         "metadata only"),
        (b"\xff\xfe\x00garbage", "not valid JSON|not UTF-8"),
    ],
)
def test_broken_sigmf_meta(tmp_path, capsys, meta_text, match):
    (tmp_path / "b.sigmf-data").write_bytes(b"\0" * 64)
    p = tmp_path / "b.sigmf-meta"
    p.write_bytes(meta_text if isinstance(meta_text, bytes) else meta_text.encode())
    with pytest.raises(RfkitError, match=match):
        rfkit.open(p)
    cli_error(capsys, p)


def test_sigmf_rate_given_on_the_command_line(tmp_path, capsys):
    p = meta_pair(tmp_path, {"core:datatype": "ci8", "core:version": "1.2.0"})
    with rfkit.open(p, rate=2e6) as cap:
        assert cap.info.sample_rate == 2e6


def test_missing_sigmf_data_and_meta(tmp_path, capsys):
    p = meta_pair(tmp_path, {"core:datatype": "ci8", "core:sample_rate": 1e6, "core:version": "1.2.0"})
    (tmp_path / "m.sigmf-data").unlink()
    assert "m.sigmf-data': no such file (the samples of" in cli_error(capsys, p)
    (tmp_path / "n.sigmf-data").write_bytes(b"\0" * 8)
    assert "n.sigmf-meta': no such file (a SigMF pair needs" in cli_error(capsys, tmp_path / "n.sigmf-data")


def test_sigmf_data_shorter_than_header_says(tmp_path):
    p = meta_pair(tmp_path, {"core:datatype": "ci8", "core:sample_rate": 1e6, "core:version": "1.2.0",
                             "core:trailing_bytes": 100})
    with pytest.raises(FormatError, match="is empty"):
        rfkit.open(p)


def test_wav_not_iq(tmp_path, capsys):
    def wav(tag, channels, bits):
        align = channels * bits // 8
        fmt = struct.pack("<HHIIHH", tag, channels, 8000, 8000 * align, align, bits)
        body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 8) + b"\0" * 8
        return b"RIFF" + struct.pack("<I", len(body)) + body

    (tmp_path / "mono.wav").write_bytes(wav(1, 1, 16))
    (tmp_path / "mulaw.wav").write_bytes(wav(7, 2, 8))
    assert "1 channel: audio, not IQ" in cli_error(capsys, tmp_path / "mono.wav")
    assert "is compressed (mu-law)" in cli_error(capsys, tmp_path / "mulaw.wav")


def test_nan_inf_counted_and_reported(tmp_path, caplog):
    x = np.full(100, 0.5, np.complex64)
    x[[1, 2]] = np.nan
    x[50] = -np.inf
    x.tofile(tmp_path / "n.cf32")
    with rfkit.open(tmp_path / "n.cf32", rate=1e3) as cap:
        y = np.concatenate([b.samples for b in cap.blocks(16)])
        assert (cap.nonfinite, cap.nan_samples, cap.inf_samples) == (3, 2, 1)
    assert np.all(np.isfinite(y)) and y[1] == 0 and y[50] == 0 and y[0] == x[0]


def test_bad_overrides(tmp_path):
    (tmp_path / "x.cu8").write_bytes(b"\0" * 16)
    with pytest.raises(RfkitError, match="rate=-1.0 must be a positive sample rate"):
        rfkit.open(tmp_path / "x.cu8", rate=-1.0)
    with pytest.raises(RfkitError, match="dtype='cs4' is not a sample format"):
        rfkit.open(tmp_path / "x.cu8", rate=1.0, dtype="cs4")


# -- property tests: random bytes into each reader ----------------------------------------------

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_all(path, **kw):
    """Open and read every sample (through blocks and random access): RfkitError or success."""
    try:
        with rfkit.open(path, **kw) as cap:
            n = 0
            for b in cap.blocks(97):
                assert b.samples.dtype == np.complex64
                assert np.all(np.isfinite(b.samples))
                n += b.samples.size
            assert n == cap.info.n_samples
            if n:
                cap.read(n // 2, 3)
    except RfkitError:
        pass


@PROPS
@given(data=st.binary(max_size=300), dtype=st.sampled_from(["cu8", "cs8", "cs16", "cf32", "cf64"]))
def test_random_bytes_raw(tmp_path, data, dtype):
    p = tmp_path / "r.bin"
    p.write_bytes(data)
    read_all(p, rate=1e6, dtype=dtype)


@PROPS
@given(meta=st.binary(max_size=300), data=st.binary(max_size=64))
def test_random_bytes_sigmf_meta(tmp_path, meta, data):
    (tmp_path / "s.sigmf-meta").write_bytes(meta)
    (tmp_path / "s.sigmf-data").write_bytes(data)
    read_all(tmp_path / "s.sigmf-meta")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
sigmf_keys = st.sampled_from(["core:datatype", "core:sample_rate", "core:num_channels", "core:trailing_bytes",
                              "core:dataset", "core:hw", "core:metadata_only", "core:version"])
datatypes = st.sampled_from(["cu8", "ci8", "ci16_le", "cf32_be", "cf64_le", "ri16_le", "ci32_be", "zz"])


@PROPS
@given(
    glob=st.dictionaries(sigmf_keys, json_values, max_size=5),
    datatype=datatypes,
    captures=st.lists(st.dictionaries(st.sampled_from(["core:sample_start", "core:frequency", "core:header_bytes",
                                                       "core:datetime", "capture_details:gain"]),
                                      json_values, max_size=4), max_size=3),
    annotations=st.lists(st.dictionaries(st.sampled_from(["core:sample_start", "core:sample_count", "core:label"]),
                                         json_values, max_size=3), max_size=3),
    data=st.binary(max_size=64),
)
def test_random_sigmf_metadata(tmp_path, glob, datatype, captures, annotations, data):
    glob.setdefault("core:datatype", datatype)
    glob.setdefault("core:sample_rate", 1e6)
    meta = {"global": glob, "captures": captures, "annotations": annotations}
    (tmp_path / "j.sigmf-meta").write_text(json.dumps(meta))
    (tmp_path / "j.sigmf-data").write_bytes(data)
    logging.getLogger("rfkit").setLevel(logging.ERROR)  # schema complaints are expected here
    try:
        read_all(tmp_path / "j.sigmf-meta")
    finally:
        logging.getLogger("rfkit").setLevel(logging.NOTSET)


@PROPS
@given(data=st.binary(max_size=300))
def test_random_bytes_wav(tmp_path, data):
    p = tmp_path / "w.wav"
    p.write_bytes(data)
    read_all(p)


@PROPS
@given(
    tag=st.sampled_from([1, 3, 0xFFFE, 2, 0]),
    channels=st.integers(0, 3),
    rate=st.integers(0, 2**32 - 1),
    align=st.integers(0, 16),
    bits=st.sampled_from([0, 8, 16, 24, 32, 64]),
    chunks=st.lists(st.tuples(st.sampled_from([b"data", b"kiwi", b"auxi", b"ds64", b"fmt "]),
                              st.integers(0, 2**32 - 1), st.binary(max_size=40)), max_size=5),
    rf64=st.booleans(),
)
def test_random_wav_chunks(tmp_path, tag, channels, rate, align, bits, chunks, rf64):
    fmt = struct.pack("<HHIIHH", tag, channels, rate, 0, align, bits) + b"\x16\x00" + b"\x01" * 22
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    for cid, size, payload in chunks:
        body += cid + struct.pack("<I", size) + payload
    p = tmp_path / "c.wav"
    p.write_bytes((b"RF64" if rf64 else b"RIFF") + struct.pack("<I", len(body)) + body)
    read_all(p)
