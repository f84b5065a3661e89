"""Sample-format tables and file-name conventions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rfkit.errors import FormatError, ParameterError
from rfkit.io.formats import (
    DTYPE_CHOICES,
    SAMPLE_FORMATS,
    SIGMF_DATATYPES,
    container_for,
    dtype_from_sigmf,
    parse_name,
    sample_format,
    sigmf_datatype,
)


@pytest.mark.parametrize(
    ("name", "freq", "rate", "dtype", "when"),
    [
        ("g001_433.92M_250k.cu8", 433.92e6, 250e3, None, None),
        ("name_868.3M_1024k.cs16", 868.3e6, 1024e3, None, None),
        ("x_1.57542G_2.4M.cf32", 1.57542e9, 2.4e6, None, None),
        ("f1860_s1.92_g0_1s_rtlsdr.bin", 1860e6, 1.92e6, "cu8", None),
        ("f1815.3_s19.2_bw20_0.08s_hackrf-1.bin", 1815.3e6, 19.2e6, "cs8", None),
        ("SDRSharp_20160112_123456Z_433920000Hz_IQ.wav", 433.92e6, None, None, "2016-01-12T12:34:56Z"),
        ("HDSDR_20200101_101010Z_7050kHz_RF.wav", 7.05e6, None, None, "2020-01-01T10:10:10Z"),
        ("rec_433920kHz_RF.wav", 433.92e6, None, None, None),
        ("20171127T104156Z_77500_HB9RYZ_iq.wav", 77.5e3, None, None, "2017-11-27T10:41:56Z"),
        ("20171399T104156Z_77500_X_iq.wav", 77.5e3, None, None, None),  # not a date: no start time
        ("GSoC_CTTC_capture_2012_07_26_4Msps_4ms.dat", None, 4e6, None, None),
        ("NT1065_GLONASS_L1_20160831_fs6625e6_if0e3_4ms.bin", None, None, None, None),  # the name would lie
        ("capture.cu8", None, None, None, None),
    ],
)
def test_parse_name(name, freq, rate, dtype, when):
    h = parse_name(Path(name))
    assert h.center_freq == (None if freq is None else pytest.approx(freq))
    assert h.sample_rate == (None if rate is None else pytest.approx(rate))
    assert (h.dtype, h.datetime) == (dtype, when)


def test_full_scale_is_amplitude_one():
    for name, fmt in SAMPLE_FORMATS.items():
        if fmt.is_float:
            continue
        info = np.iinfo(fmt.component)
        top = (info.max - fmt.offset) / fmt.scale
        bottom = (info.min - fmt.offset) / fmt.scale
        assert bottom == -1.0, name
        assert 0.99 <= top <= 1.0, name
    assert {"cu8", "cs8", "cs16", "cf32", "cf64"} == set(DTYPE_CHOICES)


def test_sigmf_table_both_ways():
    for dtype, datatype in SIGMF_DATATYPES.items():
        assert sigmf_datatype(dtype) == datatype
        assert dtype_from_sigmf(datatype) == dtype
        assert dtype_from_sigmf(datatype.upper()) == dtype
    assert dtype_from_sigmf("ci8_le") == "cs8"
    with pytest.raises(FormatError, match="real-valued"):
        dtype_from_sigmf("rf32_le")
    with pytest.raises(FormatError, match="is not a SigMF datatype"):
        dtype_from_sigmf("ci16")  # 16-bit types need their byte order
    with pytest.raises(ParameterError, match="has no SigMF datatype"):
        sigmf_datatype("cs4")


def test_container_and_format_lookup():
    assert container_for(Path("a.SIGMF-META")) == ("sigmf", None)
    assert container_for(Path("a.fc32")) == ("raw", "cf32")
    with pytest.raises(FormatError, match="unknown extension '.xyz'"):
        container_for(Path("a.xyz"))
    with pytest.raises(ParameterError, match="dtype='cs4' is not a sample format"):
        sample_format("cs4")
