"""`rfkit waterfall`: .npy + .json axes and .npz outputs equal the library's waterfall."""

import json

import numpy as np
import pytest

from rfkit.cli import main
from rfkit.dsp import waterfall
from rfkit.dsp.files import load_waterfall
from rfkit.io.writers import write_raw

RATE = 1.024e6


@pytest.fixture
def capture(tmp_path):
    n = 400_000
    rng = np.random.default_rng(1)
    x = 0.02 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    t = np.arange(n) / RATE
    on = (t > 0.1) & (t < 0.12)  # a 20 ms burst at +100 kHz
    x[on] += 0.5 * np.exp(2j * np.pi * 100e3 * t[on])
    path = tmp_path / "burst_868.3M_1024k.cu8"
    write_raw(path, x.astype(np.complex64), dtype="cu8")
    return path


def test_waterfall_npy_and_json(capture, tmp_path):
    out = tmp_path / "wf.npy"
    assert main(["waterfall", str(capture), "-o", str(out), "--nfft", "512", "--avg", "8", "--stat", "max",
                 "--window", "blackmanharris", "--dc-remove"]) == 0
    power = np.load(out)
    meta = json.loads(out.with_suffix(".json").read_text())
    ref = waterfall(capture, nfft=512, avg=8, stat="max", window="blackmanharris", dc_remove=True)
    assert power.dtype == np.float32 and power.shape == ref.power_dbfs.shape == (400_000 // 4096, 512)
    np.testing.assert_allclose(power, ref.power_dbfs, atol=1e-4)
    assert meta["n_rows"] == power.shape[0] and meta["n_freqs"] == 512
    freqs = meta["freq_start_hz"] + meta["freq_step_hz"] * np.arange(meta["n_freqs"])
    times = meta["time_start_s"] + meta["time_step_s"] * np.arange(meta["n_rows"])
    np.testing.assert_allclose(freqs, ref.freqs_hz)
    np.testing.assert_allclose(times, ref.times_s)
    # the burst: rows within 20 ms near 0.1 s, at 868.4 MHz, read about -6 dBFS
    k = np.argmin(np.abs(freqs - 868.4e6))
    hot = times[power[:, k] > -10]
    assert hot.min() > 0.095 and hot.max() < 0.125 and power[:, k].max() == pytest.approx(-6.0, abs=0.2)
    back = load_waterfall(out)
    np.testing.assert_array_equal(back.power_dbfs, power)
    np.testing.assert_allclose(back.times_s, ref.times_s)
    assert back.settings == ref.settings


def test_waterfall_npz_overlap_and_span(capture, tmp_path):
    out = tmp_path / "wf.npz"
    assert main(["waterfall", str(capture), "-o", str(out), "--nfft", "256", "--overlap", "0.5",
                 "--start", "0.05", "--duration", "0.1"]) == 0
    with np.load(out) as z:
        power, freqs, times = z["power_dbfs"], z["freqs_hz"], z["times_s"]
    ref = waterfall(capture, nfft=256, overlap=0.5, start_s=0.05, duration_s=0.1)
    np.testing.assert_allclose(power, ref.power_dbfs, atol=1e-4)
    np.testing.assert_allclose(times, ref.times_s)
    assert times[0] == pytest.approx(0.05 + 128 / RATE, abs=1 / RATE)
    np.testing.assert_allclose(freqs, ref.freqs_hz)
    back = load_waterfall(out)
    np.testing.assert_allclose(back.times_s, times)


@pytest.mark.parametrize("argv,match", [
    (["-o", "x.xyz", "--avg", "2"], "unknown extension '.xyz'"),
    (["-o", "x.npy", "--avg", "0"], "avg=0"),
    (["-o", "x.npy", "--nfft", "3"], "nfft=3"),
    (["-o", "/nonexistent/dir/x.npy"], "cannot write"),
])
def test_waterfall_errors(capture, capsys, argv, match):
    assert main(["waterfall", str(capture), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error:") and match in err and len(err.strip().splitlines()) == 1


def test_waterfall_kernels_give_the_same_file(capture, tmp_path, capsys):
    got = {}
    for k in ("numba", "numpy", "auto"):
        out = tmp_path / f"wf_{k}.npy"
        assert main(["waterfall", str(capture), "-o", str(out), "--avg", "16", "--kernels", k]) == 0
        got[k] = np.load(out)
    p = {k: 10 ** (v.astype(np.float64) / 10) for k, v in got.items()}
    on = p["numba"] > 1e-12
    assert on.mean() > 0.99 and got["numba"].shape == (400_000 // (1024 * 16), 1024)
    for k in ("numpy", "auto"):
        assert np.max(np.abs(p[k][on] - p["numba"][on]) / p["numba"][on]) < 1e-4
    with pytest.raises(SystemExit):
        main(["waterfall", str(capture), "-o", str(tmp_path / "x.npy"), "--kernels", "gpu"])
    assert "invalid choice: 'gpu'" in capsys.readouterr().err
