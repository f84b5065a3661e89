"""SigMF reader and writer: pairs, archives, every complex datatype, segments, annotations.

Files are made three ways: by rfkit's writer, by hand (numpy tofile + json), and by the official
sigmf package, so the reader is not only tested against its own writer.
"""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
import sigmf
from realdata import real
from sigmf.validate import validate

import rfkit
from rfkit.errors import FormatError, MetadataError, ParameterError
from rfkit.io.capture import CaptureInfo, Segment
from rfkit.io.formats import SAMPLE_FORMATS, SIGMF_DATATYPES
from rfkit.io.sigmf import open_sigmf, read_sigmf_meta, write_annotations
from rfkit.io.writers import sigmf_paths, write_sigmf

RNG = np.random.default_rng(3)

# SigMF datatype -> (numpy component dtype, offset, scale): ground truth written independently of rfkit
TRUTH = {
    "cu8": ("u1", 127.5, 127.5),
    "ci8": ("i1", 0.0, 128.0),
    "ci16_le": ("<i2", 0.0, 32768.0),
    "ci16_be": (">i2", 0.0, 32768.0),
    "cu16_le": ("<u2", 32767.5, 32767.5),
    "cu16_be": (">u2", 32767.5, 32767.5),
    "ci32_le": ("<i4", 0.0, 2.0**31),
    "ci32_be": (">i4", 0.0, 2.0**31),
    "cf32_le": ("<f4", 0.0, 1.0),
    "cf32_be": (">f4", 0.0, 1.0),
    "cf64_le": ("<f8", 0.0, 1.0),
    "cf64_be": (">f8", 0.0, 1.0),
}


def tone(n=4096, amp=0.7, f=0.013):
    return (amp * np.exp(2j * np.pi * f * np.arange(n))).astype(np.complex64)


def random_components(npdtype, n):
    dt = np.dtype(npdtype)
    if dt.kind == "f":
        return RNG.uniform(-1, 1, 2 * n).astype(dt)
    info = np.iinfo(dt)
    return RNG.integers(info.min, info.max, 2 * n, endpoint=True).astype(dt)


def hand_written_pair(tmp_path, name, comps, glob, captures=None, annotations=None):
    comps.tofile(tmp_path / f"{name}.sigmf-data")
    meta = {"global": {"core:version": "1.2.0", **glob},
            "captures": captures if captures is not None else [{"core:sample_start": 0}],
            "annotations": annotations or []}
    (tmp_path / f"{name}.sigmf-meta").write_text(json.dumps(meta))
    return tmp_path / f"{name}.sigmf-meta"


@pytest.mark.parametrize("datatype", sorted(TRUTH))
def test_every_complex_datatype_written_by_hand(tmp_path, datatype):
    npdt, off, scale = TRUTH[datatype]
    comps = random_components(npdt, 1000)
    meta = hand_written_pair(tmp_path, "x", comps, {"core:datatype": datatype, "core:sample_rate": 48000})
    expect = ((comps.astype(np.float64) - off) / scale).reshape(-1, 2)
    for p in (meta, meta.with_suffix(".sigmf-data")):  # either file of the pair opens it
        with rfkit.open(p) as cap:
            got = cap.read()
            assert got.dtype == np.complex64
            assert cap.info.n_samples == 1000
            assert cap.info.sample_rate == 48000
            assert cap.info.format == "sigmf"
            np.testing.assert_allclose(got.real, expect[:, 0], rtol=1e-6, atol=1e-7)
            np.testing.assert_allclose(got.imag, expect[:, 1], rtol=1e-6, atol=1e-7)


def test_datatype_table_is_one_table_both_ways():
    assert set(SIGMF_DATATYPES) <= set(SAMPLE_FORMATS)
    assert set(SIGMF_DATATYPES.values()) == set(TRUTH) | {"cu32_le", "cu32_be"}
    assert len(set(SIGMF_DATATYPES.values())) == len(SIGMF_DATATYPES)


@pytest.mark.parametrize("dtype", ["cu8", "cs8", "cs16", "cs16be", "cu16", "cs32", "cf32", "cf64"])
def test_write_then_read_within_half_a_step(tmp_path, dtype):
    x = tone()
    meta = write_sigmf(tmp_path / "t", x, sample_rate=2.4e6, dtype=dtype, center_freq=433.92e6)
    validate(json.loads(meta.read_text()))
    with rfkit.open(meta) as cap:
        y = cap.read()
    step = 1.0 / SAMPLE_FORMATS[dtype].scale
    assert np.max(np.abs(y.real - x.real)) <= 0.5 * step + 1e-6
    assert np.max(np.abs(y.imag - x.imag)) <= 0.5 * step + 1e-6
    assert cap.info.center_freq == 433.92e6


def test_sigmf_package_reads_what_rfkit_writes(tmp_path):
    x = tone(2000)
    meta = write_sigmf(tmp_path / "w", x, sample_rate=1e6, dtype="cf32", center_freq=1e9,
                       hw="RTL-SDR v3", gain_db=29.7, datetime="2024-05-01T12:00:00.000Z",
                       annotations=[{"core:sample_start": 100, "core:sample_count": 50, "core:label": "cw",
                                     "rfkit:jn_db": 20.0}])
    sf = sigmf.fromfile(str(meta))  # checks core:sha512 too
    np.testing.assert_array_equal(sf.read_samples(), x)
    assert sf.get_global_field("core:hw") == "RTL-SDR v3"
    assert sf.get_captures()[0]["capture_details:gain"] == 29.7
    names = {e["name"] for e in sf.get_global_field("core:extensions")}
    assert names == {"rfkit", "capture_details"}
    assert sf.get_annotations()[0]["core:label"] == "cw"


def test_rfkit_reads_what_the_sigmf_package_writes(tmp_path):
    comps = random_components("<i2", 3000)
    comps.tofile(tmp_path / "p.sigmf-data")
    sf = sigmf.SigMFFile(data_file=str(tmp_path / "p.sigmf-data"),
                         global_info={"core:datatype": "ci16_le", "core:sample_rate": 250000,
                                      "core:hw": "HackRF One", "core:version": "1.2.0"})
    sf.add_capture(0, metadata={"core:frequency": 868.3e6, "core:datetime": "2023-01-02T03:04:05Z"})
    sf.add_capture(1000, metadata={"core:frequency": 868.5e6})
    sf.add_annotation(200, 300, metadata={"core:label": "burst", "core:freq_lower_edge": 868.2e6,
                                          "core:freq_upper_edge": 868.4e6})
    sf.tofile(str(tmp_path / "p"), overwrite=True)
    with rfkit.open(tmp_path / "p.sigmf-meta") as cap:
        assert cap.info.sample_rate == 250000
        assert cap.info.hw == "HackRF One"
        assert cap.info.datetime == "2023-01-02T03:04:05Z"
        assert cap.info.center_freq == 868.3e6
        assert cap.info.segments == (Segment(0, 868.3e6, "2023-01-02T03:04:05Z"), Segment(1000, 868.5e6, None))
        assert [(a["core:sample_start"], a["core:sample_count"], a["core:label"]) for a in cap.annotations] == [
            (200, 300, "burst")
        ]
        got = cap.read(10, 5)
    expect = comps.reshape(-1, 2)[10:15] / 32768.0
    np.testing.assert_allclose(got.real, expect[:, 0], atol=1e-7)
    np.testing.assert_allclose(got.imag, expect[:, 1], atol=1e-7)


def test_archive_written_by_sigmf_package(tmp_path):
    comps = random_components("u1", 5000)
    comps.tofile(tmp_path / "a.sigmf-data")
    sf = sigmf.SigMFFile(data_file=str(tmp_path / "a.sigmf-data"),
                         global_info={"core:datatype": "cu8", "core:sample_rate": 2048000, "core:version": "1.2.0"})
    sf.add_capture(0, metadata={"core:frequency": 1090e6})
    sf.tofile(str(tmp_path / "a.sigmf"), overwrite=True)
    (tmp_path / "a.sigmf-data").unlink()
    with rfkit.open(tmp_path / "a.sigmf") as cap:
        assert cap.info.format == "sigmf-archive"
        assert cap.info.center_freq == 1090e6
        assert cap.info.n_samples == 5000
        blocks = np.concatenate([b.samples for b in cap.blocks(777)])
    expect = (comps.astype(np.float64) - 127.5) / 127.5
    np.testing.assert_allclose(blocks.real, expect[0::2], atol=1e-6)
    np.testing.assert_allclose(blocks.imag, expect[1::2], atol=1e-6)


def test_archive_written_by_rfkit_opens_in_sigmf_package(tmp_path):
    x = tone(1500)
    path = write_sigmf(tmp_path / "r.sigmf", x, sample_rate=1e6, dtype="cf32", center_freq=2e6,
                       annotations=[{"core:sample_start": 3, "core:sample_count": 4}])
    assert path.name == "r.sigmf" and not (tmp_path / "r.sigmf-data").exists()
    sf = sigmf.fromarchive(str(path))
    np.testing.assert_array_equal(sf.read_samples(), x)
    with rfkit.open(path) as cap:
        np.testing.assert_array_equal(cap.read(), x)
        assert len(cap.annotations) == 1


def test_compressed_archive_is_refused_clearly(tmp_path):
    x = tone(100)
    write_sigmf(tmp_path / "c", x, sample_rate=1e6, dtype="cf32")
    sf = sigmf.fromfile(str(tmp_path / "c.sigmf-meta"))
    sf.tofile(str(tmp_path / "c.sigmf.gz"), overwrite=True)
    (tmp_path / "c.sigmf.gz").rename(tmp_path / "cz.sigmf")
    with pytest.raises(FormatError, match="not an uncompressed SigMF tar archive"):
        rfkit.open(tmp_path / "cz.sigmf")


def test_segments_frequencies_and_starts(tmp_path):
    comps = random_components("<f4", 300)
    caps = [{"core:sample_start": 0, "core:frequency": 100e6, "core:datetime": "2020-01-01T00:00:00Z"},
            {"core:sample_start": 100, "core:frequency": 102.4e6},
            {"core:sample_start": 200, "core:frequency": 104.8e6}]
    meta = hand_written_pair(tmp_path, "seg", comps, {"core:datatype": "cf32_le", "core:sample_rate": 2.4e6},
                             captures=caps)
    with rfkit.open(meta) as cap:
        assert [s.sample_start for s in cap.info.segments] == [0, 100, 200]
        assert [s.center_freq for s in cap.info.segments] == [100e6, 102.4e6, 104.8e6]
        assert cap.info.center_freq == 100e6
        assert cap.info.n_samples == 300
    with rfkit.open(meta, freq=1e9, rate=1e6) as cap:  # overrides
        assert cap.info.center_freq == 1e9 and cap.info.sample_rate == 1e6


def test_header_and_trailing_bytes_are_skipped(tmp_path):
    comps = random_components("<i2", 64)
    blob = b"HEADER!!" + comps.tobytes() + b"TRAIL"
    (tmp_path / "h.sigmf-data").write_bytes(blob)
    meta = {"global": {"core:datatype": "ci16_le", "core:sample_rate": 1000, "core:version": "1.2.0",
                       "core:trailing_bytes": 5},
            "captures": [{"core:sample_start": 0, "core:header_bytes": 8}], "annotations": []}
    (tmp_path / "h.sigmf-meta").write_text(json.dumps(meta))
    with rfkit.open(tmp_path / "h.sigmf-meta") as cap:
        got = cap.read()
        assert cap.info.leftover_bytes == 0
    np.testing.assert_allclose(got.real, comps[0::2] / 32768.0, atol=1e-7)


def test_non_conforming_dataset_named_in_meta(tmp_path):
    comps = random_components("i1", 100)
    comps.tofile(tmp_path / "capture.cs8")
    meta = {"global": {"core:datatype": "ci8", "core:sample_rate": 1e6, "core:version": "1.2.0",
                       "core:dataset": "capture.cs8"}, "captures": [{"core:sample_start": 0}], "annotations": []}
    (tmp_path / "ncd.sigmf-meta").write_text(json.dumps(meta))
    with rfkit.open(tmp_path / "ncd.sigmf-meta") as cap:
        np.testing.assert_allclose(cap.read().real, comps[0::2] / 128.0)


def test_dtype_override_and_8_bit_alias(tmp_path):
    comps = random_components("i1", 10)
    meta = hand_written_pair(tmp_path, "al", comps, {"core:datatype": "ci8_le", "core:sample_rate": 1e3})
    with rfkit.open(meta) as cap:
        assert cap.info.dtype == "cs8"
    with open_sigmf(meta, dtype="cu8") as cap:
        assert cap.info.dtype == "cu8"


def test_two_channels_refused(tmp_path):
    comps = random_components("<f4", 100)
    meta = hand_written_pair(tmp_path, "mc", comps, {"core:datatype": "cf32_le", "core:sample_rate": 1e3,
                                                     "core:num_channels": 2})
    with pytest.raises(FormatError, match=r"core:num_channels=2; rfkit reads single-channel"):
        rfkit.open(meta)


def test_real_sigmf_logo_is_refused_clearly():
    # real (ri16_le), 2 channels: not IQ. rfkit refuses it rather than guess at a pairing of channels.
    p = real("sigmf-logo/sigmf_logo.sigmf-data")
    with pytest.raises(FormatError, match=r"sigmf_logo.sigmf-meta.*core:datatype='ri16_le' is real-valued"):
        rfkit.open(p)
    meta = read_sigmf_meta(p.with_suffix(".sigmf-meta"))  # the metadata itself reads fine
    assert len(meta["annotations"]) == 3


def test_schema_problem_is_a_warning_not_a_refusal(tmp_path, caplog):
    comps = random_components("<f4", 10)
    meta = hand_written_pair(tmp_path, "w", comps, {"core:datatype": "cf32_le", "core:sample_rate": 1e3},
                             captures=[{"core:sample_start": 0, "core:frequency": "not a number"}])
    with caplog.at_level(logging.WARNING, logger="rfkit"), rfkit.open(meta) as cap:
        assert cap.info.center_freq is None
    assert "does not validate as SigMF" in caplog.text


# -- write_annotations -----------------------------------------------------------------------------


def ann(start, count, gen="rfkit", label="cw"):
    return {"core:sample_start": start, "core:sample_count": count, "core:label": label, "core:generator": gen}


def test_write_annotations_appends_and_replaces(tmp_path):
    meta = write_sigmf(tmp_path / "a", tone(1000), sample_rate=1e6, dtype="cs16",
                       annotations=[ann(500, 10, gen="human", label="keyfob")])
    write_annotations(meta, [ann(100, 20)])
    write_annotations(meta, [ann(50, 5)])
    got = read_sigmf_meta(meta)
    validate(got)
    assert [a["core:sample_start"] for a in got["annotations"]] == [50, 100, 500]
    write_annotations(meta, [ann(700, 1, label="chirp")], replace=True)
    got = read_sigmf_meta(meta)
    assert [(a["core:sample_start"], a["core:label"]) for a in got["annotations"]] == [(500, "keyfob"), (700, "chirp")]
    with rfkit.open(meta) as cap:  # the samples are untouched
        assert cap.info.n_samples == 1000


def test_write_annotations_creates_meta_for_a_raw_recording(tmp_path):
    comps = random_components("u1", 2000)
    raw = tmp_path / "g001_433.92M_250k.cu8"
    comps.tofile(raw)
    with rfkit.open(raw) as cap:
        info = cap.info
    out = tmp_path / "out" / "found.sigmf-meta"
    out.parent.mkdir()
    write_annotations(out, [ann(10, 100)], info=info, data_path=raw)
    meta = read_sigmf_meta(out)
    validate(meta)
    assert meta["global"]["core:dataset"] == "../g001_433.92M_250k.cu8"
    with rfkit.open(out) as cap:  # the annotated recording opens through its new metadata
        assert cap.info.center_freq == 433.92e6 and cap.info.sample_rate == 250e3
        assert cap.annotations[0]["core:sample_count"] == 100
        with rfkit.open(raw) as orig:
            np.testing.assert_array_equal(cap.read(), orig.read())


def test_write_annotations_needs_info_to_create(tmp_path):
    with pytest.raises(ParameterError, match="pass info="):
        write_annotations(tmp_path / "none.sigmf-meta", [ann(0, 1)])
    with pytest.raises(ParameterError, match="must end in .sigmf-meta"):
        write_annotations(tmp_path / "x.json", [ann(0, 1)], info=CaptureInfo("raw", "cu8", 1e6))


def test_write_sigmf_refuses_invalid_annotations(tmp_path):
    with pytest.raises(MetadataError, match="does not validate as SigMF"):
        write_sigmf(tmp_path / "bad", tone(10), sample_rate=1e6,
                    annotations=[{"core:sample_start": 0, "core:sample_count": -3}])
    assert not sigmf_paths(tmp_path / "bad")[1].exists()


def test_write_annotations_on_a_file_that_does_not_validate(tmp_path, caplog):
    comps = random_components("i1", 20)
    meta = hand_written_pair(tmp_path, "nv", comps, {"core:datatype": "ci8", "core:sample_rate": 1e3},
                             captures=[{"core:sample_start": 0, "core:datetime": "yesterday"}])
    with caplog.at_level(logging.WARNING, logger="rfkit"):
        write_annotations(meta, [ann(1, 2)])
    assert "annotations are added all the same" in caplog.text
    assert read_sigmf_meta(meta)["annotations"][0]["core:sample_start"] == 1


def test_write_annotations_refuses_bad_annotations(tmp_path):
    meta = write_sigmf(tmp_path / "v", tone(10), sample_rate=1e3, dtype="cs8")
    with pytest.raises(MetadataError, match="with the new annotations"):
        write_annotations(meta, [{"core:sample_start": 0, "core:freq_lower_edge": "low"}])
    with pytest.raises(ParameterError, match="needs a non-negative integer core:sample_start"):
        write_annotations(meta, [{"core:sample_start": -1}])
    assert read_sigmf_meta(meta)["annotations"] == []


def test_write_annotations_keeps_sigmf_source_globals(tmp_path):
    src = write_sigmf(tmp_path / "src", tone(100), sample_rate=1e3, dtype="cs8", center_freq=5e6,
                      extra_global={"core:author": "field team", "core:license": "CC0-1.0"})
    with rfkit.open(src) as cap:
        info = cap.info
    out = write_annotations(tmp_path / "det.sigmf-meta", [ann(3, 4)], info=info, data_path=tmp_path / "src.sigmf-data")
    meta = read_sigmf_meta(out)
    assert meta["global"]["core:author"] == "field team" and meta["global"]["core:dataset"] == "src.sigmf-data"
    with rfkit.open(out) as cap:
        assert cap.info.center_freq == 5e6 and len(cap.annotations) == 1
