"""The engine's numpy kernels against its numba kernels (and the naive twins), and the choice between them."""

import os
import subprocess
import sys

import naive
import numpy as np
import pytest

from rfkit.dsp import Spectrogram, SpectrumSettings, engine, psd, waterfall
from rfkit.dsp import kernels as knb
from rfkit.dsp import kernels_numpy as knp
from rfkit.dsp.settings import WINDOWS
from rfkit.dsp.stats import RunningStats
from rfkit.errors import ParameterError

RAW = [(np.uint8, 127.5, 127.5), (np.int8, 0.0, 128.0), (np.int16, 0.0, 32768.0), (np.uint16, 32767.5, 32767.5)]


def w2_of(nfft, name="hann", inv=1.0):
    return (np.repeat(naive.window(name, nfft).astype(np.float32), 2) * np.float32(inv)).astype(np.float32)


def both_frames(fn_name, *args, nb, nfft):
    """Run a frames kernel of each set into NaN-filled buffers with two spare rows; return both."""
    outs = []
    for mod in (knb, knp):
        out = np.full((nb + 2, 2 * nfft), np.nan, np.float32)
        getattr(mod, fn_name)(*args, out)
        assert np.isnan(out[nb:]).all()  # rows past nb untouched
        outs.append(out[:nb])
    return outs


@pytest.mark.parametrize("window", list(WINDOWS))
@pytest.mark.parametrize("dc", [False, True])
@pytest.mark.parametrize("nfft,hop,nb,first", [(16, 16, 1, 0), (16, 5, 7, 3), (128, 1, 9, 17), (256, 200, 5, 1)])
def test_frames_c64_equal(window, dc, nfft, hop, nb, first):
    rng = np.random.default_rng(nfft + hop + dc)
    n = first + (nb - 1) * hop + nfft + int(rng.integers(0, 5))
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n) + (0.7 - 0.4j)).astype(np.complex64)
    a, b = both_frames("_frames_c64", x.view(np.float32), first, hop, nb, w2_of(nfft, window), dc, nb=nb, nfft=nfft)
    np.testing.assert_allclose(b, a, rtol=2e-6, atol=2e-6 * np.abs(a).max())
    w = naive.window(window, nfft).astype(np.float32).astype(np.float64)
    ref = np.empty((nb, nfft), np.complex128)
    for f in range(nb):
        seg = x[first + f * hop : first + f * hop + nfft].astype(np.complex128)
        ref[f] = w * (seg - (np.sum(w * seg) / np.sum(w) if dc else 0))
    np.testing.assert_allclose(b.view(np.complex64), ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dtype,offset,scale", RAW)
@pytest.mark.parametrize("dc", [False, True])
@pytest.mark.parametrize("window", ["hann", "flattop"])
@pytest.mark.parametrize("nfft,hop,nb,first", [(16, 16, 3, 0), (64, 48, 6, 5), (32, 1, 40, 2)])
def test_frames_raw_equal(dtype, offset, scale, dc, window, nfft, hop, nb, first):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(nfft + hop)
    n = first + (nb - 1) * hop + nfft
    raw = rng.integers(info.min, info.max, size=2 * n, endpoint=True).astype(dtype)
    raw[:4] = (info.min, info.max, info.max, info.min)  # the rails
    w2 = w2_of(nfft, window, 1.0 / scale)
    a, b = both_frames("_frames_raw", raw, first, hop, nb, w2, np.float32(offset), dc, nb=nb, nfft=nfft)
    np.testing.assert_allclose(b, a, rtol=2e-6, atol=2e-6 * np.abs(a).max())
    v = (raw.astype(np.float64) - offset) / scale
    x = v[0::2] + 1j * v[1::2]
    w = naive.window(window, nfft).astype(np.float32).astype(np.float64)
    for f in (0, nb - 1):
        seg = x[first + f * hop : first + f * hop + nfft]
        want = w * (seg - (np.sum(w * seg) / np.sum(w) if dc else 0))
        np.testing.assert_allclose(b.view(np.complex64)[f], want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("use_max", [False, True])
@pytest.mark.parametrize("dc_fill", [False, True])
@pytest.mark.parametrize("nfft,avg,nb,acc_n", [(16, 1, 5, 0), (16, 3, 7, 2), (32, 4, 4, 0), (64, 5, 2, 1),
                                               (64, 16, 50, 9), (16, 7, 3, 6)])
def test_power_rows_equal(use_max, dc_fill, nfft, avg, nb, acc_n):
    rng = np.random.default_rng(nfft * avg + nb)
    spec = (rng.standard_normal((nb + 1, nfft)) + 1j * rng.standard_normal((nb + 1, nfft))).astype(np.complex64)
    acc0 = rng.exponential(2.0, nfft) * (acc_n > 0)
    rows = (acc_n + nb) // avg
    res = []
    for mod in (knb, knp):
        acc = acc0.copy()
        out = np.full((rows + 2, nfft), -1.0, np.float32)
        got = mod._power_rows(spec.copy(), nb, avg, use_max, dc_fill, 0.125, acc, acc_n, out, 1)
        assert (out[0] == -1).all() and (out[rows + 1] == -1).all()  # only rows row0..row0+rows-1 written
        res.append((got, out, acc))
    (g_a, o_a, acc_a), (g_b, o_b, acc_b) = res
    assert g_a == g_b == (rows, (acc_n + nb) % avg)
    np.testing.assert_allclose(o_b, o_a, rtol=2e-6)
    if g_a[1]:  # the partial row left behind
        np.testing.assert_allclose(acc_b, acc_a, rtol=2e-6)


def test_power_rows_nan_propagates():
    spec = np.ones((6, 16), np.complex64)
    spec[1, 3] = np.nan
    for use_max in (False, True):
        out = np.zeros((3, 16), np.float32)
        knp._power_rows(spec, 6, 2, use_max, False, 1.0, np.zeros(16), 0, out, 0)
        assert np.isnan(out[0, 3 + 8]) and np.isfinite(np.delete(out[0], 11)).all() and np.isfinite(out[1:]).all()


def pushes(rng, n):
    """Random block sizes adding up to n (single samples, around a frame, large)."""
    sizes, total = [], 0
    while total < n:
        k = int(rng.choice([1, 7, 255, 256, 257, 5000, int(rng.integers(1, 40_000))]))
        sizes.append(min(k, n - total))
        total += sizes[-1]
    return sizes


@pytest.mark.parametrize("window", list(WINDOWS))
@pytest.mark.parametrize("stat", ["mean", "max"])
@pytest.mark.parametrize("dc_remove", [False, True])
def test_spectrogram_backends_give_the_same_rows(window, stat, dc_remove):
    rng = np.random.default_rng(len(window) + dc_remove)
    s = SpectrumSettings(1e6, nfft=256, hop=192, window=window, avg=5, dc_remove=dc_remove)
    n = 120_000
    x = (0.1 * (rng.standard_normal(n) + 1j * rng.standard_normal(n)) + 0.05).astype(np.complex64)
    a, b = Spectrogram(s, stat=stat, kernels="numba"), Spectrogram(s, stat=stat, kernels="numpy")
    assert (a.kernels, b.kernels) == ("numba", "numpy")
    whole = a.push(x)
    parts, pos = [], 0
    for k in pushes(rng, n):  # partial frames and rows across pushes
        parts.append(b.push(x[pos : pos + k]))
        pos += k
    got = np.concatenate(parts)
    assert got.shape == whole.shape == (s.rows_for(n), 256)
    np.testing.assert_allclose(got, whole, rtol=5e-6)


@pytest.mark.parametrize("dtype,offset,scale", RAW)
@pytest.mark.parametrize("stat", ["mean", "max"])
def test_push_raw_backends_give_the_same_rows(dtype, offset, scale, stat):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(info.bits)
    n = 100_000
    raw = rng.integers(info.min, info.max, size=2 * n, endpoint=True).astype(dtype)
    s = SpectrumSettings(2.4e6, nfft=512, hop=400, avg=16, dc_remove=True)
    want = Spectrogram(s, stat=stat, kernels="numba").push_raw(raw, offset=offset, scale=scale)
    sp = Spectrogram(s, stat=stat, kernels="numpy")
    parts, pos = [], 0
    for k in pushes(rng, n):
        parts.append(sp.push_raw(raw[2 * pos : 2 * (pos + k)], offset=offset, scale=scale))
        pos += k
    got = np.concatenate(parts)
    assert got.shape == want.shape and got.shape[0] > 10
    np.testing.assert_allclose(got, want, rtol=5e-6)


def test_high_level_functions_take_kernels(tmp_path):
    rng = np.random.default_rng(4)
    x = (rng.standard_normal(50_000) + 1j * rng.standard_normal(50_000)).astype(np.complex64)
    wa = waterfall(x, rate_hz=1e6, nfft=128, avg=4, kernels="numba")
    wb = waterfall(x, rate_hz=1e6, nfft=128, avg=4, kernels="numpy")
    np.testing.assert_allclose(wb.power_dbfs, wa.power_dbfs, atol=1e-4)
    x[100] = np.nan  # read as 0 by the array capture: still the same in both
    pa = psd(x, rate_hz=1e6, nfft=128, kernels="numba")
    pb = psd(x, rate_hz=1e6, nfft=128, kernels="numpy")
    for name in ("mean_dbfs", "max_dbfs", "min_dbfs", "kurtosis"):
        np.testing.assert_allclose(getattr(pb, name), getattr(pa, name), rtol=1e-5, atol=1e-5)
    with pytest.raises(ParameterError, match="kernels='gpu' must be one of auto, numba, numpy"):
        waterfall(x, rate_hz=1e6, kernels="gpu")


def test_running_stats_backends_agree_with_nonfinite():
    rng = np.random.default_rng(8)
    p = rng.exponential(1.0, (300, 33)).astype(np.float32)
    p[5, 3], p[7, 3], p[9, 4] = np.nan, np.inf, -np.inf
    p[:, 10] = np.nan  # a bin never seen
    a, b = RunningStats(33, kernels="numba"), RunningStats(33, kernels="numpy")
    for i in range(0, 300, 64):
        a.update(p[i : i + 64])
        b.update(p[i : i + 64])
    np.testing.assert_array_equal(b.count, a.count)
    for name in ("mean", "var", "max", "min"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(b.kurtosis(), a.kurtosis(), rtol=1e-9, equal_nan=True)
    count, mean, var, mx, mn, _, _ = naive.running_stats(p)
    np.testing.assert_array_equal(b.count, count)
    for got, want in ((b.mean, mean), (b.var, var), (b.max, mx), (b.min, mn)):
        np.testing.assert_allclose(got, want, rtol=1e-9, equal_nan=True)


def test_choose_kernels(monkeypatch):
    monkeypatch.delenv("RFKIT_DSP_KERNELS", raising=False)
    assert engine.choose_kernels("numpy", n_samples=10**12) == "numpy"
    assert engine.choose_kernels("numba", n_samples=10) == "numba"
    with pytest.raises(ParameterError, match="kernels='fast'"):
        engine.choose_kernels("fast")
    be = engine.KERNELS_BREAK_EVEN_SAMPLES
    # the break-even is the load cost over the time saved per sample
    saved = be * (engine.NUMPY_S_PER_SAMPLE - engine.NUMBA_S_PER_SAMPLE)
    assert saved == pytest.approx(engine.NUMBA_LOAD_S, rel=1e-6)
    assert "numba" in sys.modules  # loaded by this test module: nothing left to pay
    assert engine.choose_kernels("auto", n_samples=1000) == "numba"
    monkeypatch.delitem(sys.modules, "numba")  # as in a process that has not loaded numba
    assert engine.choose_kernels("auto", n_samples=be - 1) == "numpy"
    assert engine.choose_kernels("auto", n_samples=be + 1) == "numba"
    psd_costs = (engine.PSD_NUMBA_S_PER_SAMPLE, engine.PSD_NUMPY_S_PER_SAMPLE)  # numba repays sooner for psd
    assert engine.choose_kernels("auto", n_samples=be // 2, s_per_sample=psd_costs) == "numba"
    assert engine.choose_kernels("auto", n_samples=be // 100, s_per_sample=psd_costs) == "numpy"
    assert engine.choose_kernels("auto", n_samples=None) == "numba"  # unbounded: live sources
    monkeypatch.setenv("RFKIT_DSP_KERNELS", "numba")
    assert engine.choose_kernels("auto", n_samples=1000) == "numba"
    monkeypatch.setenv("RFKIT_DSP_KERNELS", "NumPy")
    assert engine.choose_kernels("auto", n_samples=None) == "numpy"
    assert engine.choose_kernels("numba") == "numba"  # an explicit choice wins over the variable


def test_short_cu8_waterfall_does_not_load_numba(tmp_path):
    raw = np.random.default_rng(0).integers(0, 256, 2 * 100_000, dtype=np.uint8)
    path = tmp_path / "x_433.92M_2400k.cu8"
    raw.tofile(path)
    code = ("import sys, rfkit.dsp; assert 'numba' not in sys.modules, 'import rfkit.dsp'; "
            "from rfkit.cli import main; "
            f"assert main(['waterfall', {str(path)!r}, '-o', {str(tmp_path / 'w.npy')!r}, '--avg', '4']) == 0; "
            f"assert main(['psd', {str(path)!r}, '-o', {str(tmp_path / 'p.csv')!r}]) == 0; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numba', 'llvmlite', 'scipy')))")
    env = {k: v for k, v in os.environ.items() if k != "RFKIT_DSP_KERNELS"}
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_running_stats_empty_update():
    for k in ("numba", "numpy"):
        st = RunningStats(4, kernels=k)
        st.update(np.zeros((0, 4), np.float32))
        assert not st.count.any() and np.isnan(st.max).all()
