"""waterfall() and psd(): calibration (tones, noise, Parseval), scipy.welch agreement, sources."""

import naive
import numpy as np
import pytest
import scipy.signal

import rfkit
from rfkit.dsp import psd, waterfall
from rfkit.dsp.settings import WINDOWS
from rfkit.errors import ParameterError
from rfkit.io.writers import write_raw

RATE = 2.4e6


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def kernels(request, monkeypatch):
    """Every test here runs on both kernel sets (through `choose_kernels`' RFKIT_DSP_KERNELS)."""
    monkeypatch.setenv("RFKIT_DSP_KERNELS", request.param)
    return request.param


def tone(n, freq_hz, amp, rate=RATE, phase=0.3):
    t = np.arange(n) / rate
    return (amp * np.exp(1j * (2 * np.pi * freq_hz * t + phase))).astype(np.complex64)


def noise(n, power, seed=0):
    rng = np.random.default_rng(seed)
    return (np.sqrt(power / 2) * (rng.standard_normal(n) + 1j * rng.standard_normal(n))).astype(np.complex64)


@pytest.mark.parametrize("window", list(WINDOWS))
@pytest.mark.parametrize("amp", [1.0, 0.1, 0.003])
def test_tone_on_a_bin_reads_its_amplitude(window, amp):
    nfft = 1024
    f = 100 * RATE / nfft + 0.0  # on bin 100 above the centre
    p = psd(tone(64 * nfft, f, amp), rate_hz=RATE, nfft=nfft, window=window, center_hz=433.92e6)
    k = int(np.argmax(p.mean_dbfs))
    assert p.mean_dbfs[k] == pytest.approx(20 * np.log10(amp), abs=0.05)
    assert abs(p.freqs_hz[k] - (433.92e6 + f)) <= p.settings.bin_hz / 2


@pytest.mark.parametrize("frac", [0.0, 0.17, 0.5, 0.83])
def test_flattop_tone_between_bins(frac):
    nfft = 2048
    f = (-300.0 + frac) * RATE / nfft
    p = psd(tone(32 * nfft, f, 0.25), rate_hz=RATE, nfft=nfft, window="flattop")
    k = int(np.argmax(p.mean_dbfs))
    assert p.mean_dbfs[k] == pytest.approx(20 * np.log10(0.25), abs=0.05)
    assert abs(p.freqs_hz[k] - f) <= p.settings.bin_hz / 2


@pytest.mark.parametrize("window", list(WINDOWS))
def test_tone_frequency_within_half_a_bin_between_bins(window):
    nfft = 512
    f = 37.4 * RATE / nfft
    p = psd(tone(16 * nfft, f, 0.5), rate_hz=RATE, nfft=nfft, window=window)
    assert abs(p.freqs_hz[np.argmax(p.mean_dbfs)] - f) <= p.settings.bin_hz / 2


@pytest.mark.parametrize("window", list(WINDOWS))
def test_white_noise_level(window):
    power = 0.01  # -20 dBFS
    x = noise(1 << 20, power, seed=4)
    p = psd(x, rate_hz=RATE, nfft=256, window=window)
    s = p.settings
    mean_lin = np.mean(10 ** (p.mean_dbfs / 10))
    # per bin: the noise in one bin's equivalent noise bandwidth
    assert 10 * np.log10(mean_lin) == pytest.approx(10 * np.log10(power * s.enbw_hz / RATE), abs=0.1)
    d = psd(x, rate_hz=RATE, nfft=256, window=window, density=True)
    assert 10 * np.log10(np.mean(10 ** (d.mean_dbfs / 10))) == pytest.approx(10 * np.log10(power / RATE), abs=0.1)


@pytest.mark.parametrize("window", list(WINDOWS))
def test_parseval(window):
    # per frame: sum over bins of density * bin_hz = sum |w x|^2 / sum w^2 (mean power for rect)
    x = noise(4096, 0.5, seed=2) + tone(4096, 12_345.0, 0.7)
    wf = waterfall(x, rate_hz=RATE, nfft=512, window=window, density=True)
    w = naive.window(window, 512).astype(np.float32).astype(np.float64)
    frames = x.astype(np.complex128).reshape(-1, 512)
    want = np.sum(np.abs(frames * w) ** 2, axis=1) / np.sum(w * w)
    got = np.sum(10 ** (wf.power_dbfs.astype(np.float64) / 10), axis=1) * wf.settings.bin_hz
    np.testing.assert_allclose(got, want, rtol=1e-4)
    if window == "rect":
        np.testing.assert_allclose(got, np.mean(np.abs(frames) ** 2, axis=1), rtol=1e-4)
        spec = waterfall(x, rate_hz=RATE, nfft=512, window=window)  # per bin sums to the power too
        np.testing.assert_allclose(np.sum(10 ** (spec.power_dbfs.astype(np.float64) / 10), axis=1), want, rtol=1e-4)


@pytest.mark.parametrize("window", ["hann", "flattop"])
@pytest.mark.parametrize("density", [False, True])
@pytest.mark.parametrize("overlap,nfft", [(0.5, 256), (0.75, 1024), (0.0, 64)])
def test_psd_matches_scipy_welch(window, density, overlap, nfft):
    x = noise(50_000, 0.2, seed=nfft) + tone(50_000, 300e3, 0.5)
    p = psd(x, rate_hz=RATE, nfft=nfft, overlap=overlap, window=window, density=density)
    noverlap = nfft - p.settings.hop
    f, pxx = scipy.signal.welch(x, fs=RATE, window=naive.window(window, nfft), nperseg=nfft, noverlap=noverlap,
                                detrend=False, return_onesided=False, scaling="density" if density else "spectrum")
    np.testing.assert_allclose(p.freqs_hz, np.fft.fftshift(f))
    np.testing.assert_allclose(10 ** (p.mean_dbfs / 10), np.fft.fftshift(pxx), rtol=1e-4)
    frames = naive.frame_power(x, nfft=nfft, hop=p.settings.hop, window_name=window, density=density, rate=RATE)
    assert p.n_frames == frames.shape[0]
    # float32 FFTs round relative to the strongest bin: allow that (80 dB below the tone) on top
    atol = 1e-8 * frames.max()
    np.testing.assert_allclose(10 ** (p.max_dbfs / 10), frames.max(axis=0), rtol=1e-4, atol=atol)
    np.testing.assert_allclose(10 ** (p.min_dbfs / 10), frames.min(axis=0), rtol=1e-4, atol=atol)


def test_waterfall_axes_and_scipy():
    x = noise(100_000, 0.1, seed=8)
    wf = waterfall(x, rate_hz=RATE, nfft=256, avg=4, overlap=0.5, center_hz=1575.42e6)
    s = wf.settings
    assert s.hop == 128 and wf.power_dbfs.dtype == np.float32
    f, t, sxx = scipy.signal.spectrogram(x, fs=RATE, window="hann", nperseg=256, noverlap=128, detrend=False,
                                         return_onesided=False, scaling="spectrum")
    want = naive.rows(np.fft.fftshift(sxx, axes=0).T, avg=4)
    np.testing.assert_allclose(10 ** (wf.power_dbfs / 10), want, rtol=1e-4)
    np.testing.assert_allclose(wf.freqs_hz, 1575.42e6 + np.fft.fftshift(f))
    # a row's time is the centre of its 4 frames' scipy times
    np.testing.assert_allclose(wf.times_s, t[: 4 * len(wf.times_s)].reshape(-1, 4).mean(axis=1))


def test_file_source_equals_array_and_start_duration(tmp_path):
    x = noise(300_000, 0.05, seed=1) + tone(300_000, -250e3, 0.3)
    path = tmp_path / "cap_433.92M_2400k.cu8"
    write_raw(path, x, dtype="cu8")
    with rfkit.open(path) as cap:
        y = cap.read()
        a = waterfall(cap, nfft=1024, avg=8, block_size=10_000)
        assert a.info is cap.info
    b = waterfall(y, rate_hz=RATE, nfft=1024, avg=8, center_hz=433.92e6)
    c = waterfall(str(path), nfft=1024, avg=8, block_size=77_777)
    assert a.info.center_freq == 433.92e6 and b.info is None
    np.testing.assert_allclose(a.power_dbfs, b.power_dbfs, atol=1e-3)  # fused cu8 path vs converted
    np.testing.assert_allclose(c.power_dbfs, b.power_dbfs, atol=1e-3)
    np.testing.assert_allclose(a.freqs_hz, b.freqs_hz)
    part = waterfall(path, nfft=1024, avg=8, start_s=8192 * 3 / RATE, duration_s=8192 * 10 / RATE)
    assert part.power_dbfs.shape == (10, 1024)
    np.testing.assert_allclose(part.power_dbfs, a.power_dbfs[3:13], atol=1e-3)
    np.testing.assert_allclose(part.times_s, a.times_s[3:13])


def test_max_stat_and_progress():
    x = noise(64 * 100, 1e-6, seed=3)
    x[64 * 50 : 64 * 51] += tone(64, 0.0, 1.0)  # a one-frame burst
    seen = []
    mx = waterfall(x, rate_hz=RATE, nfft=64, avg=10, stat="max", progress=seen.append)
    mean = waterfall(x, rate_hz=RATE, nfft=64, avg=10)
    assert sum(seen) == len(x)
    assert mx.power_dbfs[5].max() == pytest.approx(0.0, abs=0.05)  # the burst at full level
    assert mean.power_dbfs[5].max() == pytest.approx(-10.0, abs=0.05)  # one frame of ten


def test_array_nonfinite_read_as_zero():
    x = noise(4096, 0.01)
    x[100] = np.nan
    wf = waterfall(x, rate_hz=RATE, nfft=256)
    assert np.isfinite(wf.power_dbfs).all()


def test_errors():
    x = noise(1000, 0.01)
    with pytest.raises(ParameterError, match="rate_hz is required"):
        waterfall(x)
    with pytest.raises(ParameterError, match="shorter than one frame"):
        psd(x, rate_hz=RATE, nfft=2048)
    with pytest.raises(ParameterError, match="nfft=1000"):
        waterfall(x, rate_hz=RATE, nfft=1000)
    with pytest.raises(ParameterError, match="overlap=1"):
        waterfall(x, rate_hz=RATE, overlap=1)
    with pytest.raises(ParameterError, match="start_s=1.0 is past the end"):
        waterfall(x, rate_hz=RATE, nfft=64, start_s=1.0)
    with pytest.raises(ParameterError, match="source must be"):
        waterfall(42, rate_hz=RATE)
    with pytest.raises(rfkit.FormatError, match="no such file"):
        psd("/nonexistent/file.cu8", rate_hz=RATE)
    assert waterfall(x, rate_hz=RATE, nfft=2048).power_dbfs.shape == (0, 2048)


def test_top_level_exports():
    assert rfkit.psd is psd and rfkit.waterfall is waterfall


def test_waterfall_extent_and_linear():
    x = noise(64 * 40, 0.01)
    wf = waterfall(x, rate_hz=RATE, nfft=64, avg=4, start_s=64 * 8 / RATE, center_hz=1e9)
    f0, f1, t_end, t_start = wf.extent
    assert f0 == pytest.approx(wf.freqs_hz[0] - RATE / 128) and f1 == pytest.approx(wf.freqs_hz[-1] + RATE / 128)
    period = wf.settings.row_period_s
    assert t_start == pytest.approx(wf.times_s[0] - period / 2) and t_end == pytest.approx(wf.times_s[-1] + period / 2)
    np.testing.assert_allclose(10 * np.log10(wf.power_linear), wf.power_dbfs, atol=1e-4)


def test_silence_reads_the_floor_not_minus_inf():
    wf = waterfall(np.zeros(1024, np.complex64), rate_hz=RATE, nfft=256)
    np.testing.assert_allclose(wf.power_dbfs, -300.0, atol=1e-3)


@pytest.mark.parametrize("dtype", ["cs8", "cs16", "cf32"])
def test_other_file_formats_equal_the_array(tmp_path, dtype):
    # integer formats take the fused path (push_raw), cf32 the converted one: same numbers
    x = noise(70_000, 0.05, seed=5) + tone(70_000, 123e3, 0.4)
    path = tmp_path / f"cap_100M_2400k.{dtype}"
    write_raw(path, x, dtype=dtype)
    with rfkit.open(path) as cap:
        y = cap.read()
    a = waterfall(path, nfft=512, avg=3, overlap=0.5, dc_remove=True, block_size=9_999)
    b = waterfall(y, rate_hz=RATE, nfft=512, avg=3, overlap=0.5, dc_remove=True, center_hz=100e6)
    np.testing.assert_allclose(a.power_dbfs, b.power_dbfs, atol=1e-3)
    np.testing.assert_allclose(a.freqs_hz, b.freqs_hz)


def test_psd_kurtosis_tells_tone_noise_and_bursts():
    n = 1 << 18
    x = noise(n, 0.01, seed=11) + tone(n, 300e3, 0.3)
    on = (np.arange(n) // 4096) % 8 == 0  # a burst 1/8 of the time at -400 kHz
    x[on] += tone(n, -400e3, 0.5)[on]
    p = psd(x, rate_hz=RATE, nfft=256, overlap=0.0)
    k = p.kurtosis
    f = p.freqs_hz
    assert k[np.argmin(np.abs(f - 300e3))] < 0.1
    assert k[np.argmin(np.abs(f + 400e3))] > 3
    quiet = (np.abs(f - 300e3) > 50e3) & (np.abs(f + 400e3) > 50e3)
    assert np.median(k[quiet]) == pytest.approx(1.0, abs=0.05)
