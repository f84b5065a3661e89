"""Every recording in ../shared/captures-real/ opens with the rate, centre frequency and sample count
its source states (MANIFEST.md), and its samples equal a plain numpy read of the file.

Overrides are given where the file's name does not say them, as a user would on the command line
(`--rate`, `--dtype`, `--freq`): URH files, gnss_jamming_demo .bin files, dump1090's modes1.bin, ...
"""

from __future__ import annotations

import struct

import numpy as np
import pytest
from realdata import real

import rfkit
from rfkit.errors import FormatError

# path, overrides given by the user, expected (rate Hz, centre Hz or None, samples), numpy dtype, offset, scale
CASES = [
    ("gnss_jamming_demo/JammerData.bin", {"rate": 10e6, "dtype": "cs8"}, (10e6, None, 500_000), "i1", 0, 128),
    ("gnss_jamming_demo/JamData400.bin", {"rate": 10e6, "dtype": "cs8"}, (10e6, None, 500_000), "i1", 0, 128),
    ("gnss_jamming_demo/JamData500.bin", {"rate": 10e6, "dtype": "cs8"}, (10e6, None, 500_000), "i1", 0, 128),
    ("lte-cell-scanner/f2646_s1.92_noise_hackrf.bin", {}, (1.92e6, 2646e6, 960_000), "i1", 0, 128),
    ("rolljam/Test-Recording-File.iq", {"rate": 2.4e6, "dtype": "cf32", "freq": 372e6}, (2.4e6, 372e6, 262_144),
     "<f4", 0, 1),
    ("rtl_433/skylink_ha-434tl/g001_433.92M_250k.cu8", {}, (250e3, 433.92e6, 262_144), "u1", 127.5, 127.5),
    ("rtl_433/skylink_ha-434tl/g002_433.92M_250k.cu8", {}, (250e3, 433.92e6, 262_144), "u1", 127.5, 127.5),
    ("rtl_433/skylink_ha-434tl/g003_433.92M_250k.cu8", {}, (250e3, 433.92e6, 262_144), "u1", 127.5, 127.5),
    ("rtl_433/radiohead_ask_sensible_living/g001_433.92M_250k.cu8", {}, (250e3, 433.92e6, 131_072), "u1",
     127.5, 127.5),
    ("rtl_433/radiohead_ask_sensible_living/g004_433.92M_250k.cu8", {}, (250e3, 433.92e6, 131_072), "u1",
     127.5, 127.5),
    ("kisko-doorbell/g001_868.3M_250k.cu8", {}, (250e3, 868.3e6, 393_216), "u1", 127.5, 127.5),
    ("dump1090/modes1.bin", {"rate": 2e6, "dtype": "cu8", "freq": 1090e6}, (2e6, 1090e6, 356_868), "u1", 127.5, 127.5),
    ("lte-cell-scanner/f1860_s1.92_g0_1s_rtlsdr.bin", {}, (1.92e6, 1860e6, 1_920_000), "u1", 127.5, 127.5),
    ("lte-cell-scanner/f796_s1.92_bw1.2_0.08s_rtlsdr.bin", {}, (1.92e6, 796e6, 153_600), "u1", 127.5, 127.5),
    ("lte-cell-scanner/f1815.3_s19.2_bw20_0.08s_hackrf-1.bin", {}, (19.2e6, 1815.3e6, 1_536_000), "i1", 0, 128),
    ("gnss-sdr/GSoC_CTTC_capture_2012_07_26_4Msps_4ms.dat", {"dtype": "cf32", "freq": 1575.42e6},
     (4e6, 1575.42e6, 16_000), "<f4", 0, 1),
    ("gnss-sdr/NT1065_GLONASS_L1_20160831_fs6625e6_if0e3_4ms.bin", {"rate": 6.625e6, "dtype": "cf32"},
     (6.625e6, None, 26_499), "<f4", 0, 1),
    ("urh/esaver.complex16s", {"rate": 1e6, "dtype": "cs8"}, (1e6, None, 299_046), "i1", 0, 128),
    ("urh/homematic.complex32s", {"rate": 1e6, "dtype": "cs16"}, (1e6, None, 117_396), "<i2", 0, 32768),
    ("urh/enocean.complex", {"rate": 1e6}, (1e6, None, 49_100), "<f4", 0, 1),
]


@pytest.mark.parametrize(("relpath", "overrides", "expect", "npdtype", "offset", "scale"), CASES,
                         ids=[c[0] for c in CASES])
def test_opens_as_the_manifest_states(relpath, overrides, expect, npdtype, offset, scale):
    p = real(relpath)
    rate, center, n = expect
    with rfkit.open(p, **overrides) as cap:
        assert cap.info.sample_rate == pytest.approx(rate)
        assert cap.info.center_freq == (None if center is None else pytest.approx(center))
        assert cap.info.n_samples == n
        got = np.concatenate([b.samples for b in cap.blocks(100_003)])
        assert cap.nonfinite == 0
    comps = np.fromfile(p, dtype=npdtype, count=2 * n).astype(np.float64)  # the naive twin
    np.testing.assert_allclose(got.real, (comps[0::2] - offset) / scale, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(got.imag, (comps[1::2] - offset) / scale, rtol=1e-6, atol=1e-6)


def test_nt1065_leftover_bytes_reported():
    with rfkit.open(real("gnss-sdr/NT1065_GLONASS_L1_20160831_fs6625e6_if0e3_4ms.bin"), rate=6.625e6,
                    dtype="cf32") as cap:
        assert cap.info.leftover_bytes == 4  # 211 996 bytes = 26 499 samples of 8 bytes + 4


def test_kiwisdr_wav_reads_all_691_data_chunks():
    p = real("kiwisdr_tdoa/20171127T104156Z_77500_HB9RYZ_iq.wav")
    with rfkit.open(p) as cap:
        assert cap.info.sample_rate == 12001
        assert cap.info.center_freq == 77500.0
        assert cap.info.n_samples == 353_792
        assert cap.info.duration_s == pytest.approx(29.48, abs=0.01)
        assert cap.info.datetime == "2017-11-27T10:41:56Z"
        assert cap.info.extra["wav_chunks"] == 691
        got = cap.read()
    # naive twin: walk the RIFF chunks with struct and keep every data chunk
    blob = p.read_bytes()
    pos, parts = 12, []
    while pos + 8 <= len(blob):
        cid, size = blob[pos : pos + 4], struct.unpack("<I", blob[pos + 4 : pos + 8])[0]
        if cid == b"data":
            parts.append(np.frombuffer(blob, "<i2", size // 2, pos + 8))
        pos += 8 + size + (size & 1)
    comps = np.concatenate(parts) / 32768.0
    np.testing.assert_array_equal(got.real, comps[0::2].astype(np.float32))
    np.testing.assert_array_equal(got.imag, comps[1::2].astype(np.float32))


def test_sigmf_logo_refused_as_not_iq():
    with pytest.raises(FormatError, match="real-valued"):
        rfkit.open(real("sigmf-logo/sigmf_logo.sigmf-meta"))


def test_every_file_in_the_manifest_is_walked(real_captures):
    listed = {c[0] for c in CASES} | {"kiwisdr_tdoa/20171127T104156Z_77500_HB9RYZ_iq.wav",
                                      "sigmf-logo/sigmf_logo.sigmf-meta", "sigmf-logo/sigmf_logo.sigmf-data"}
    present = {str(p.relative_to(real_captures)) for p in real_captures.rglob("*") if p.is_file()}
    assert present - {"MANIFEST.md"} == listed
