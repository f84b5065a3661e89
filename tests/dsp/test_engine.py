"""Spectrogram (streaming engine): scipy agreement, naive twins, block-size invariance, cu8 fusion."""

import naive
import numpy as np
import pytest
import scipy.signal

from rfkit.dsp.convert import to_complex64
from rfkit.dsp.engine import Spectrogram
from rfkit.dsp.settings import SpectrumSettings
from rfkit.errors import ParameterError
from rfkit.io.formats import sample_format


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def kernels(request, monkeypatch):
    """Every test here runs on both kernel sets (through `choose_kernels`' RFKIT_DSP_KERNELS)."""
    monkeypatch.setenv("RFKIT_DSP_KERNELS", request.param)
    return request.param


def noise(n, seed=0, scale=0.1):
    rng = np.random.default_rng(seed)
    return (scale * (rng.standard_normal(n) + 1j * rng.standard_normal(n))).astype(np.complex64)


@pytest.mark.parametrize("window", ["hann", "blackmanharris", "flattop", "rect"])
@pytest.mark.parametrize("nfft,hop,avg", [(16, 16, 1), (64, 32, 3), (256, 100, 2), (1024, 1024, 4)])
@pytest.mark.parametrize("density", [False, True])
def test_matches_scipy_spectrogram(window, nfft, hop, avg, density):
    x = noise(20_000, seed=nfft + hop)
    rate = 2.4e6
    s = SpectrumSettings(rate, nfft=nfft, hop=hop, window=window, avg=avg, density=density)
    got = Spectrogram(s).push(x)
    _, _, sxx = scipy.signal.spectrogram(
        x, fs=rate, window=naive.window(window, nfft), nperseg=nfft, noverlap=nfft - hop, detrend=False,
        return_onesided=False, scaling="density" if density else "spectrum", mode="psd")
    frames = np.fft.fftshift(sxx, axes=0).T  # [frames, nfft], ascending frequency
    want = naive.rows(frames, avg=avg)
    assert got.shape == want.shape and got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-4)


@pytest.mark.parametrize("stat", ["mean", "max"])
@pytest.mark.parametrize("dc_remove", [False, True])
def test_matches_naive_twin(stat, dc_remove, kernels):
    x = noise(5000, seed=3) + np.complex64(0.3 - 0.2j)  # with a DC offset
    s = SpectrumSettings(1e6, nfft=128, hop=96, window="blackmanharris", avg=5, dc_remove=dc_remove)
    sp = Spectrogram(s, stat=stat)
    assert sp.kernels == kernels
    got = sp.push(x)
    want = naive.rows(naive.frame_power(x, nfft=128, hop=96, window_name="blackmanharris", dc_remove=dc_remove),
                      avg=5, stat=stat, dc_fill=dc_remove)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-12)


def test_dc_remove_removes_the_spike():
    x = noise(1 << 14, seed=5, scale=0.01) + np.complex64(0.2 + 0.1j)
    s = SpectrumSettings(1e6, nfft=256, avg=8)
    with_dc = Spectrogram(s).push(x)
    without = Spectrogram(SpectrumSettings(1e6, nfft=256, avg=8, dc_remove=True)).push(x)
    c = 128
    assert 10 * np.log10(with_dc[:, c].mean()) > -20  # the offset reads at DC (0.05 -> -13 dBFS)
    floor = np.median(without)
    # after removal the centre and its neighbours read like the rest of the noise
    assert np.all(without[:, c - 2 : c + 3].mean(axis=0) < 3 * floor)


@pytest.mark.parametrize("seed", range(6))
def test_block_size_invariance(seed):
    rng = np.random.default_rng(seed)
    nfft = int(rng.choice([16, 64, 256]))
    hop = int(rng.integers(1, nfft + 1))
    avg = int(rng.integers(1, 5))
    stat = ["mean", "max"][seed % 2]
    s = SpectrumSettings(1e6, nfft=nfft, hop=hop, avg=avg, window="hann", dc_remove=bool(seed % 3 == 0))
    x = noise(int(rng.integers(0, 6000)), seed=seed)
    whole = Spectrogram(s, stat=stat).push(x)
    sp = Spectrogram(s, stat=stat)
    parts, pos = [], 0
    while pos < len(x):
        k = int(rng.choice([1, 2, nfft - 1, nfft, nfft + 1, int(rng.integers(1, 3000))]))
        parts.append(sp.push(x[pos : pos + k]))
        pos += k
    got = np.concatenate(parts + [np.empty((0, nfft), np.float32)])
    assert got.shape == whole.shape
    np.testing.assert_allclose(got, whole, rtol=1e-6, atol=0)
    assert sp.rows_done == whole.shape[0] == s.rows_for(len(x))
    assert sp.frames_done == (0 if len(x) < nfft else (len(x) - nfft) // hop + 1)


def test_batches_longer_than_the_batch():
    # more frames in one push than one FFT batch holds, with max-hold rows spanning batches
    s = SpectrumSettings(1e6, nfft=16, hop=1, avg=7)
    x = noise(200_000, seed=9)
    got = Spectrogram(s, stat="max").push(x)
    ref = Spectrogram(s, stat="max")
    want = np.concatenate([ref.push(x[i : i + 4099]) for i in range(0, len(x), 4099)])
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(got[:50], naive.rows(naive.frame_power(x[:400], nfft=16, hop=1), avg=7,
                                                    stat="max")[:50], rtol=1e-4)


@pytest.mark.parametrize("block", [1, 333, 4096, 100_000])
def test_push_u8_equals_converted(block):
    rng = np.random.default_rng(1)
    raw = rng.integers(0, 256, size=2 * 50_000, dtype=np.uint8)
    s = SpectrumSettings(2.4e6, nfft=512, hop=384, avg=3, dc_remove=True)
    want = Spectrogram(s).push(to_complex64(raw, sample_format("cu8")))
    sp = Spectrogram(s)
    got = np.concatenate([sp.push_u8(raw[i : i + 2 * block]) for i in range(0, raw.size, 2 * block)])
    np.testing.assert_allclose(got, want, rtol=2e-5)
    twin = naive.rows(naive.frame_power(naive.u8_to_complex(raw), nfft=512, hop=384, dc_remove=True),
                      avg=3, dc_fill=True)
    np.testing.assert_allclose(got, twin, rtol=1e-4)


def test_reset_and_counters():
    s = SpectrumSettings(1e6, nfft=64, avg=2)
    sp = Spectrogram(s)
    assert sp.push(noise(100)).shape == (0, 64)
    assert sp.frames_done == 1 and sp.rows_done == 0
    assert sp.push(noise(100)).shape == (1, 64)  # 200 samples: 3 frames -> 1 row, 1 frame held
    sp.reset()
    assert sp.frames_done == sp.rows_done == 0
    assert sp.push(noise(128)).shape == (1, 64)


def test_nonfinite_samples_make_their_rows_nan():
    x = noise(64 * 8)
    x[64 * 3 + 5] = np.nan
    for stat in ("mean", "max"):
        r = Spectrogram(SpectrumSettings(1e6, nfft=64, avg=2), stat=stat).push(x)
        bad = ~np.isfinite(r).all(axis=1)
        assert bad.tolist() == [False, True, False, False]


def test_bad_input():
    sp = Spectrogram(SpectrumSettings(1e6, nfft=64))
    with pytest.raises(ParameterError, match="one-dimensional"):
        sp.push(np.zeros((2, 64), np.complex64))
    with pytest.raises(ParameterError, match="must be complex"):
        sp.push(np.zeros(64, np.int16))
    with pytest.raises(ParameterError, match="must be native uint8/int8/int16/uint16 of even length"):
        sp.push_u8(np.zeros(63, np.uint8))
    with pytest.raises(ParameterError, match="stat='median'"):
        Spectrogram(SpectrumSettings(1e6), stat="median")
    with pytest.raises(ParameterError, match="SpectrumSettings"):
        Spectrogram(1024)
