"""WAV IQ reader: files written by Python's `wave`, by scipy, and chunk by chunk with struct."""

from __future__ import annotations

import logging
import struct
import wave

import numpy as np
import pytest
import scipy.io.wavfile

import rfkit
from rfkit.errors import FormatError
from rfkit.io.wav import open_wav, read_wav_layout

RNG = np.random.default_rng(7)


def chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def fmt_body(tag=1, channels=2, rate=48000, bits=16, extensible_sub=None):
    align = channels * bits // 8
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    if extensible_sub is not None:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        body += struct.pack("<HHI", 22, bits, 3) + struct.pack("<H", extensible_sub) + guid_tail
    return body


def riff(*chunks: bytes, form: bytes = b"RIFF") -> bytes:
    inner = b"WAVE" + b"".join(chunks)
    return form + struct.pack("<I", len(inner)) + inner


def auxi_body(freq_hz: int, start=(2021, 6, 6, 5, 12, 13, 14, 678)) -> bytes:  # y m weekday d H M S ms
    y, mo, wd, d, h, mi, s, ms = start
    st = struct.pack("<8H", y, mo, wd, d, h, mi, s, ms)
    return st + st + struct.pack("<5I", freq_hz, 0, 0, 0, 0) + b"\0" * 32


def frames(dtype, n):
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return RNG.uniform(-1, 1, (n, 2)).astype(dt)
    info = np.iinfo(dt)
    return RNG.integers(info.min, info.max, (n, 2), endpoint=True).astype(dt)


def test_wave_module_16_bit(tmp_path):
    x = frames("<i2", 5000)
    p = tmp_path / "SDRSharp_20160112_123456Z_433920000Hz_IQ.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(250000)
        w.writeframes(x.tobytes())
    with rfkit.open(p) as cap:
        assert (cap.info.format, cap.info.dtype) == ("wav", "cs16")
        assert cap.info.sample_rate == 250000
        assert cap.info.center_freq == 433920000.0
        assert cap.info.datetime == "2016-01-12T12:34:56Z"
        y = cap.read()
    np.testing.assert_array_equal(y.real, x[:, 0] / np.float32(32768))
    np.testing.assert_array_equal(y.imag, x[:, 1] / np.float32(32768))


def test_wave_module_8_bit_unsigned(tmp_path):
    x = frames("u1", 3001)
    p = tmp_path / "HDSDR_20200101_101010Z_7050kHz_RF.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(48000)
        w.writeframes(x.tobytes())
    with rfkit.open(p) as cap:
        assert cap.info.dtype == "cu8" and cap.info.center_freq == 7050e3
        y = cap.read()
    np.testing.assert_allclose(y.real, (x[:, 0] - 127.5) / 127.5, atol=1e-6)
    np.testing.assert_allclose(y.imag, (x[:, 1] - 127.5) / 127.5, atol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
def test_scipy_written(tmp_path, dtype):
    x = frames(dtype, 2000)
    p = tmp_path / "s.wav"
    scipy.io.wavfile.write(p, 96000, x)
    with rfkit.open(p) as cap:
        y = cap.read()
        assert cap.info.center_freq is None
    scale = 2.0**31 if dtype == "int32" else 1.0
    np.testing.assert_allclose(y.real, x[:, 0] / scale, rtol=1e-6)
    np.testing.assert_allclose(y.imag, x[:, 1] / scale, rtol=1e-6)


def test_extensible_float_with_auxi_and_many_data_chunks(tmp_path):
    parts = [frames("<f4", n) for n in (100, 1, 333, 64)]
    chunks = [chunk(b"fmt ", fmt_body(tag=0xFFFE, bits=32, extensible_sub=3)), chunk(b"auxi", auxi_body(1575420000))]
    for i, x in enumerate(parts):
        chunks.append(chunk(b"kiwi", b"0123456789"[: 9 + i % 2]))  # odd sizes exercise the pad byte
        chunks.append(chunk(b"data", x.tobytes()))
    chunks.append(chunk(b"LIST", b"INFOISFT\x05\x00\x00\x00test\x00"))
    p = tmp_path / "x.wav"
    p.write_bytes(riff(*chunks))
    lay = read_wav_layout(p)
    assert len(lay.data) == 4 and lay.dtype == "cf32"
    with rfkit.open(p) as cap:
        assert cap.info.center_freq == 1575420000.0
        assert cap.info.datetime == "2021-06-05T12:13:14.678Z"
        assert cap.info.n_samples == 498
        whole = cap.read()
        pieces = np.concatenate([b.samples for b in cap.blocks(7, overlap=2)][::1])  # crossing chunk edges
        across = cap.read(95, 10)
    x = np.concatenate(parts)
    np.testing.assert_array_equal(whole.real, x[:, 0])
    np.testing.assert_array_equal(whole.imag, x[:, 1])
    np.testing.assert_array_equal(across, whole[95:105])
    assert pieces.size > whole.size


def test_rf64_with_ds64(tmp_path):
    x = frames("<i2", 700)
    ds64 = struct.pack("<QQQI", 0, x.nbytes, 700, 0)
    body = x.tobytes()
    data = b"data" + struct.pack("<I", 0xFFFFFFFF) + body
    p = tmp_path / "r.wav"
    p.write_bytes(b"RF64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + chunk(b"ds64", ds64)
                  + chunk(b"fmt ", fmt_body(rate=2_000_000)) + data)
    with open_wav(p, freq=100e6) as cap:
        assert cap.info.n_samples == 700 and cap.info.center_freq == 100e6
        np.testing.assert_array_equal(cap.read().real, x[:, 0] / np.float32(32768))


def test_truncated_data_chunk_reads_what_is_there(tmp_path, caplog):
    x = frames("<i2", 100)
    raw = riff(chunk(b"fmt ", fmt_body()), chunk(b"data", x.tobytes()))
    p = tmp_path / "t.wav"
    p.write_bytes(raw[:-41])  # 10 whole frames and one byte short of the 11th missing
    with caplog.at_level(logging.WARNING, logger="rfkit"), rfkit.open(p) as cap:
        assert cap.info.n_samples == 89
        assert cap.info.leftover_bytes == 3
    assert "only 359 remain" in caplog.text


def test_streamed_header_with_unknown_size(tmp_path):
    x = frames("<f4", 50)
    p = tmp_path / "u.wav"
    p.write_bytes(b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + chunk(b"fmt ", fmt_body(tag=3, bits=32))
                  + b"data" + struct.pack("<I", 0) + x.tobytes())
    with rfkit.open(p) as cap:
        assert cap.info.n_samples == 50


@pytest.mark.parametrize(
    ("fmt", "match"),
    [
        (fmt_body(channels=1), "1 channel: audio, not IQ"),
        (fmt_body(channels=4), "4 channels; an IQ WAV has 2 channels"),
        (fmt_body(tag=2), r"compressed \(MS ADPCM\)"),
        (fmt_body(tag=0x55), r"compressed \(MP3\)"),
        (fmt_body(tag=0xFFFE, extensible_sub=0x11), r"compressed \(IMA ADPCM\)"),
        (fmt_body(bits=24), "24-bit PCM samples are not supported"),
        (fmt_body(tag=3, bits=16), "16-bit float samples are not supported"),
    ],
)
def test_not_iq_refused(tmp_path, fmt, match):
    p = tmp_path / "bad.wav"
    p.write_bytes(riff(chunk(b"fmt ", fmt), chunk(b"data", b"\0" * 64)))
    with pytest.raises(FormatError, match=match):
        rfkit.open(p)


def test_mono_wave_module_refused(tmp_path):
    p = tmp_path / "mono.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 100)
    with pytest.raises(FormatError, match="1 channel: audio, not IQ"):
        rfkit.open(p)


@pytest.mark.parametrize(
    ("blob", "match"),
    [
        (b"", "is empty"),
        (b"RIFX\0\0\0\0WAVE", "not a WAV file"),
        (riff(chunk(b"data", b"\0" * 8)), "no .*fmt chunk"),
        (riff(chunk(b"fmt ", fmt_body())), "no data chunk"),
        (riff(chunk(b"fmt ", fmt_body()[:10])), "no .*fmt chunk"),
        (riff(chunk(b"fmt ", fmt_body()), chunk(b"data", b"")), "is empty"),
        (riff(chunk(b"fmt ", struct.pack("<HHIIHH", 1, 2, 48000, 0, 3, 16)), chunk(b"data", b"\0" * 8)),
         "block_align=3"),
    ],
)
def test_broken_wav(tmp_path, blob, match):
    p = tmp_path / "broken.wav"
    p.write_bytes(blob)
    with pytest.raises(FormatError, match=match):
        rfkit.open(p)
