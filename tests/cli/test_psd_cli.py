"""`rfkit psd`: CSV columns and values, calibration on a real-format file, errors as one line."""

import numpy as np
import pytest

from rfkit.cli import main
from rfkit.dsp import psd
from rfkit.io.writers import write_raw

RATE = 2.4e6


@pytest.fixture
def capture(tmp_path):
    n = 1 << 18
    rng = np.random.default_rng(0)
    x = 0.01 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    x += 0.25 * np.exp(2j * np.pi * 300e3 * np.arange(n) / RATE)  # -12.04 dBFS
    path = tmp_path / "tone_433.92M_2400k.cs16"
    write_raw(path, x.astype(np.complex64), dtype="cs16")
    return path


def read_csv(path):
    header = path.read_text().splitlines()[0]
    return header, np.loadtxt(path, delimiter=",", skiprows=1)


def test_psd_csv(capture, tmp_path):
    out = tmp_path / "spec.csv"
    assert main(["psd", str(capture), "-o", str(out), "--nfft", "2048", "--window", "flattop"]) == 0
    header, t = read_csv(out)
    assert header == "freq_hz,power_dbfs,max_dbfs,min_dbfs"
    assert t.shape == (2048, 4)
    assert np.all(np.diff(t[:, 0]) > 0)
    k = np.argmax(t[:, 1])
    assert t[k, 0] == pytest.approx(433.92e6 + 300e3, abs=RATE / 2048 / 2)
    assert t[k, 1] == pytest.approx(20 * np.log10(0.25), abs=0.05)
    assert np.all(t[:, 2] >= t[:, 1]) and np.all(t[:, 3] <= t[:, 1])
    ref = psd(capture, nfft=2048, window="flattop")
    np.testing.assert_allclose(t[:, 1], ref.mean_dbfs, atol=1e-3)


def test_psd_options_and_stdout(capture, capsys):
    assert main(["psd", str(capture), "--nfft", "256", "--overlap", "0", "--density", "--dc-remove",
                 "--freq", "100M", "--duration", "0.01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "freq_hz,power_dbfs,max_dbfs,min_dbfs" and len(lines) == 257
    first = [float(v) for v in lines[1].split(",")]
    assert first[0] == pytest.approx(100e6 - RATE / 2)
    ref = psd(capture, nfft=256, overlap=0.0, density=True, dc_remove=True, center_hz=100e6, duration_s=0.01)
    assert first[1] == pytest.approx(ref.mean_dbfs[0], abs=1e-3)


@pytest.mark.parametrize("argv,match", [
    (["--nfft", "1000"], "nfft=1000 must be a power of two"),
    (["--overlap", "1.5"], "overlap=1.5"),
    (["-o", "out.xyz"], "unknown extension '.xyz'"),
])
def test_psd_errors(capture, capsys, argv, match):
    assert main(["psd", str(capture), *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rfkit: error:") and match in err and len(err.strip().splitlines()) == 1


def test_psd_missing_rate(tmp_path, capsys):
    p = tmp_path / "norate.cu8"
    p.write_bytes(bytes(4096))
    assert main(["psd", str(p)]) == 1
    assert "unknown sample rate" in capsys.readouterr().err


def test_psd_kernels_give_the_same_spectrum(capture, tmp_path):
    tables = []
    for k in ("numba", "numpy"):
        out = tmp_path / f"p_{k}.csv"
        assert main(["psd", str(capture), "-o", str(out), "--nfft", "256", "--kernels", k]) == 0
        tables.append(np.loadtxt(out, delimiter=",", skiprows=1))
    assert tables[0].shape == (256, 4)
    np.testing.assert_allclose(tables[1], tables[0], atol=2e-4)  # written with 4 decimals
