"""The engine's numba kernels against naive numpy twins: edge sizes, seeded input, NaN/Inf."""

import naive
import numpy as np
import pytest

from rfkit.dsp import Spectrogram, SpectrumSettings
from rfkit.dsp import fft as fftmod
from rfkit.dsp.kernels import _frames_c64, _frames_raw, _power_rows


def w2_of(nfft, name="hann"):
    return np.repeat(naive.window(name, nfft).astype(np.float32), 2)


def naive_frames(x, first, hop, nb, nfft, w, dc):
    out = np.empty((nb, nfft), np.complex128)
    for f in range(nb):
        seg = x[first + f * hop : first + f * hop + nfft].astype(np.complex128)
        if dc:
            seg = seg - np.sum(w * seg) / np.sum(w)
        out[f] = w * seg
    return out


@pytest.mark.parametrize("nfft,hop,nb,first", [(16, 16, 1, 0), (16, 5, 7, 3), (64, 64, 4, 100), (128, 1, 9, 17)])
@pytest.mark.parametrize("dc", [False, True])
def test_frames_c64(nfft, hop, nb, first, dc):
    rng = np.random.default_rng(nfft + hop)
    x = (rng.standard_normal(first + nb * hop + nfft) + 1j * rng.standard_normal(first + nb * hop + nfft) + 0.3)
    x = x.astype(np.complex64)
    out = np.full((nb + 2, nfft), np.nan, np.complex64)  # rows past nb stay untouched
    _frames_c64(x.view(np.float32), first, hop, nb, w2_of(nfft), dc, out.view(np.float32))
    w = naive.window("hann", nfft).astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(out[:nb], naive_frames(x, first, hop, nb, nfft, w, dc), rtol=1e-5, atol=1e-6)
    assert np.isnan(out[nb:]).all()


@pytest.mark.parametrize("nfft,hop,nb,first", [(16, 16, 1, 0), (32, 7, 5, 11)])
@pytest.mark.parametrize("dc", [False, True])
def test_frames_raw(nfft, hop, nb, first, dc):
    rng = np.random.default_rng(nfft)
    raw = rng.integers(0, 256, size=2 * (first + nb * hop + nfft), dtype=np.uint8)
    raw[:2] = (0, 255)  # the rails
    out = np.empty((nb, nfft), np.complex64)
    _frames_raw(raw, first, hop, nb, w2_of(nfft) / np.float32(127.5), np.float32(127.5), dc, out.view(np.float32))
    w = naive.window("hann", nfft).astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(out, naive_frames(naive.u8_to_complex(raw), first, hop, nb, nfft, w, dc),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("nfft,avg,nb,acc_n", [(16, 1, 1, 0), (16, 3, 7, 2), (32, 4, 4, 0), (64, 5, 2, 1)])
@pytest.mark.parametrize("use_max", [False, True])
def test_power_rows(nfft, avg, nb, acc_n, use_max):
    rng = np.random.default_rng(nfft + avg)
    spec = (rng.standard_normal((nb, nfft)) + 1j * rng.standard_normal((nb, nfft))).astype(np.complex64)
    prev = rng.exponential(2.0, size=(acc_n, nfft))  # frames already in the partial row
    acc = np.zeros(nfft)
    if acc_n:
        acc[:] = prev.max(axis=0) if use_max else prev.sum(axis=0)
    out = np.zeros(((acc_n + nb) // avg + 1, nfft), np.float32)
    factor = 0.25
    rows, left = _power_rows(spec, nb, avg, use_max, True, factor, acc, acc_n, out, 1)
    p = np.concatenate([prev, np.abs(spec.astype(np.complex128)) ** 2])
    c = nfft // 2
    assert rows == (acc_n + nb) // avg and left == (acc_n + nb) % avg
    # rows: max or sum (the kernel sums; `factor` carries 1/avg) of avg frames, fftshifted, scaled
    g = p[: rows * avg].reshape(rows, avg, nfft)
    shifted = np.fft.fftshift(g.max(axis=1) if use_max else g.sum(axis=1), axes=1) * factor
    shifted[:, c] = 0.5 * (shifted[:, c - 1] + shifted[:, c + 1])
    np.testing.assert_allclose(out[1 : 1 + rows], shifted, rtol=1e-5)
    assert not out[0].any()
    # the partial row left in acc holds the frames that did not complete a row
    rest = p[rows * avg :]
    if len(rest):
        np.testing.assert_allclose(acc, rest.max(axis=0) if use_max else rest.sum(axis=0), rtol=1e-5)


def test_power_rows_nan_propagates():
    spec = np.ones((4, 16), np.complex64)
    spec[1, 3] = np.nan
    for use_max in (False, True):
        out = np.zeros((2, 16), np.float32)
        _power_rows(spec, 4, 2, use_max, False, 1.0, np.zeros(16), 0, out, 0)
        assert np.isnan(out[0, 3 + 8]) and np.isfinite(np.delete(out[0], 11)).all() and np.isfinite(out[1]).all()


@pytest.mark.parametrize("avg,stat", [(1, "mean"), (5, "max"), (3, "mean")])
def test_two_workers_give_the_same_rows(avg, stat):
    s = SpectrumSettings(1e6, nfft=32, hop=24, avg=avg, dc_remove=True)
    rng = np.random.default_rng(avg)
    x = (rng.standard_normal(600_001) + 1j * rng.standard_normal(600_001)).astype(np.complex64)
    one, two = Spectrogram(s, stat=stat, workers=1), Spectrogram(s, stat=stat, workers=2)
    pos = 0
    for k in (250_001, 777, 300_000, 49_223):  # pushes of > 2 chunks go to two threads
        np.testing.assert_array_equal(one.push(x[pos : pos + k]), two.push(x[pos : pos + k]))
        pos += k
    assert one.rows_done == two.rows_done > 0
    raw = rng.integers(0, 256, size=2 * 400_000, dtype=np.uint8)
    np.testing.assert_array_equal(Spectrogram(s, stat=stat, workers=1).push_u8(raw),
                                  Spectrogram(s, stat=stat, workers=2).push_u8(raw))


def test_scipy_fallback_backend(monkeypatch):
    x = (np.random.default_rng(0).standard_normal(4096) * 1j + 0.5).astype(np.complex64)
    s = SpectrumSettings(1e6, nfft=64, avg=2)
    want = Spectrogram(s).push(x)
    monkeypatch.setattr(fftmod, "_pyfftw", None)
    got = Spectrogram(s).push(x)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    ref = naive.rows(naive.frame_power(x, nfft=64, hop=64), avg=2)
    np.testing.assert_allclose(got, ref, rtol=1e-4)


@pytest.mark.parametrize("dtype,offset,scale", [(np.int8, 0.0, 128.0), (np.int16, 0.0, 32768.0),
                                                (np.uint16, 32767.5, 32767.5)])
def test_frames_raw_other_integers(dtype, offset, scale):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(2)
    nfft, hop, nb = 64, 48, 6
    raw = rng.integers(info.min, info.max, size=2 * (nb * hop + nfft), endpoint=True).astype(dtype)
    raw[:4] = (info.min, info.max, info.max, info.min)  # the rails
    out = np.empty((nb, nfft), np.complex64)
    _frames_raw(raw, 0, hop, nb, w2_of(nfft) / np.float32(scale), np.float32(offset), True, out.view(np.float32))
    v = (raw.astype(np.float64) - offset) / scale
    w = naive.window("hann", nfft).astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(out, naive_frames(v[0::2] + 1j * v[1::2], 0, hop, nb, nfft, w, True),
                               rtol=1e-5, atol=1e-6)
