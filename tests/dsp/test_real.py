"""The engine on real third-party recordings (read in place from ../shared/captures-real)."""

import naive
import numpy as np
import pytest
import scipy.signal
from realdata import real

import rfkit
from rfkit.dsp import noise_floor, psd, waterfall


def test_lte_rtlsdr_dc_spike_and_scipy():
    path = real("lte-cell-scanner/f1860_s1.92_g0_1s_rtlsdr.bin")  # cu8, RTL-SDR, DC spike
    with rfkit.open(path) as cap:
        assert cap.info.sample_rate == 1.92e6 and cap.info.center_freq == 1860e6
        x = cap.read()
    p = psd(path, nfft=1024, overlap=0.5)  # the fused cu8 path
    f, pxx = scipy.signal.welch(x, fs=1.92e6, window="hann", nperseg=1024, noverlap=512, detrend=False,
                                return_onesided=False, scaling="spectrum")
    np.testing.assert_allclose(10 ** (p.mean_dbfs / 10), np.fft.fftshift(pxx), rtol=1e-4)
    np.testing.assert_allclose(p.freqs_hz, 1860e6 + np.fft.fftshift(f))
    # the DC offset: a spike on the centre bin over a broader low-frequency hump (+-8 bins)
    c = 512
    a = p.mean_dbfs
    assert a[c] > max(a[c - 2], a[c + 2]) + 3
    clean = psd(path, nfft=1024, overlap=0.5, dc_remove=True).mean_dbfs
    assert clean[c] < max(clean[c - 2], clean[c + 2]) + 1  # the spike is gone, the hump stays
    np.testing.assert_allclose(clean[: c - 8], a[: c - 8], atol=0.05)  # elsewhere nothing changes
    np.testing.assert_allclose(clean[c + 9 :], a[c + 9 :], atol=0.05)


@pytest.mark.parametrize("relpath", ["kisko-doorbell/g001_868.3M_250k.cu8", "dump1090/modes1.bin"])
def test_fused_path_equals_converted_any_block(relpath):
    path = real(relpath)
    with rfkit.open(path, rate=2e6 if "modes1" in relpath else None, dtype="cu8") as cap:
        x = cap.read()
        a = waterfall(cap, nfft=256, avg=5, overlap=0.25, stat="max", block_size=12_345)
    b = waterfall(x, rate_hz=a.settings.sample_rate, nfft=256, avg=5, overlap=0.25, stat="max")
    np.testing.assert_allclose(a.power_dbfs, b.power_dbfs, atol=1e-3)
    frames = naive.frame_power(x, nfft=256, hop=192)
    np.testing.assert_allclose(10 ** (a.power_dbfs / 10), naive.rows(frames, avg=5, stat="max"), rtol=1e-4, atol=1e-12)


def test_noise_floor_real_noise_with_injected_tones_and_bursts():
    # real receiver noise (HackRF, flat) is the ground truth: its plain per-bin mean, untouched
    with rfkit.open(real("lte-cell-scanner/f2646_s1.92_noise_hackrf.bin")) as cap:
        x = cap.read().astype(np.complex128)
        rate = cap.info.sample_rate
    clean = 10 ** (waterfall(x, rate_hz=rate, nfft=256).power_dbfs.astype(np.float64) / 10)
    truth_db = 10 * np.log10(np.median(clean.mean(axis=0)))
    level = np.mean(np.abs(x) ** 2)
    t = np.arange(x.size) / rate
    for f, db in [(-600e3, 45), (-100e3, 50), (250e3, 40), (700e3, 55)]:  # strong narrow signals
        x = x + np.sqrt(level * 10 ** (db / 10) / 256) * np.exp(2j * np.pi * f * t)
    burst = (np.arange(x.size) // 2560) % 5 == 0  # 20 % of the time, +20 dB across the band
    rng = np.random.default_rng(0)
    x[burst] += np.sqrt(level * 50) * (rng.standard_normal(burst.sum()) + 1j * rng.standard_normal(burst.sum()))
    dirty = 10 ** (waterfall(x, rate_hz=rate, nfft=256).power_dbfs.astype(np.float64) / 10)
    nf = noise_floor(dirty)
    assert 10 * np.log10(dirty.mean()) > truth_db + 10  # a plain mean is far off
    assert nf.overall_dbfs == pytest.approx(truth_db, abs=0.2)
    quiet_bins = np.abs(np.fft.fftshift(np.fft.fftfreq(256, 1 / rate))[:, None] -
                        np.array([-600e3, -100e3, 250e3, 700e3])).min(axis=1) > 50e3
    assert np.median(nf.per_bin_dbfs[quiet_bins]) == pytest.approx(truth_db, abs=0.2)
