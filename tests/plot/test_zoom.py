"""rfkit.plot.zoom: the FFT size shows a chirp's sweep and a pulse train; the view is the event's."""

from __future__ import annotations

import numpy as np
import pytest

from rfkit import ParameterError
from rfkit.detection.events import Event
from rfkit.plot import plot_zoom
from rfkit.plot.zoom import zoom_nfft, zoom_span

RATE = 2.4e6


def _chirp(n, *, bw=1e6, period=1e-3, seed=0):
    t = np.arange(n) / RATE
    frac = (t % period) / period
    f = -bw / 2 + bw * frac  # sawtooth sweep
    phase = 2 * np.pi * np.cumsum(f) / RATE
    rng = np.random.default_rng(seed)
    x = 0.3 * np.exp(1j * phase) + 0.01 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    return x.astype(np.complex64)


def _image(fig):
    ax = fig.axes[0]
    im = ax.images[0]
    return ax, np.asarray(im.get_array()), im.get_extent()


def test_nfft_follows_the_kind():
    chirp = Event(
        0,
        1,
        -5e5,
        5e5,
        "chirp",
        True,
        -10,
        20,
        0.9,
        {"sweep_rate_hz_per_s": 1e9, "sweep_period_s": 1e-3},
    )
    assert zoom_nfft(chirp, rate_hz=RATE, span_s=4e-3) == 64  # 2.4e6 / sqrt(1e9) = 76 -> 64
    pulsed = Event(
        0, 1, 1e5, 1e5, "pulsed", True, -10, 20, 0.9, {"pulse_width_s": 1e-3, "prf_hz": 100}
    )
    assert zoom_nfft(pulsed, rate_hz=RATE, span_s=0.08) == 512  # a quarter of 2400 samples -> 512
    hop = Event(0, 1, 1e5, 4e5, "hopping", True, -10, 20, 0.9, {"hop_rate_hz": 100})
    assert zoom_nfft(hop, rate_hz=RATE, span_s=0.12) == 2048  # an eighth of 24000 samples
    cw = Event(0, 1, 1e5, 1e5, "cw", True, -10, 20, 0.9)
    assert zoom_nfft(cw, rate_hz=RATE, span_s=1.0) == 32768  # as fine as ~64 rows allow
    for ev in (chirp, pulsed, hop, cw):
        n = zoom_nfft(ev, rate_hz=RATE, span_s=1e-3)
        assert 16 <= n <= 65536 and n & (n - 1) == 0


def test_span_shows_a_few_periods_of_a_long_event():
    chirp = Event(10.0, 70.0, -5e5, 5e5, "chirp", True, -10, 20, 0.9, {"sweep_period_s": 1e-3})
    t0, t1 = zoom_span(chirp, rate_hz=RATE, duration_s=100.0)
    # four sweeps from the start, after a lead-in of a tenth of that
    assert t0 == pytest.approx(10.0 - 0.4e-3) and t1 == pytest.approx(10.0 + 4e-3)
    burst = Event(1.0, 1.02, 1e5, 2e5, "burst", False, -10, 20, 0.9)
    t0, t1 = zoom_span(burst, rate_hz=RATE, duration_s=5.0)
    assert t0 < 1.0 and t1 > 1.02 and t1 - t0 < 0.03


def test_chirp_sweep_is_visible_as_a_line():
    x = _chirp(int(0.02 * RATE))
    ev = Event(
        0.002,
        0.018,
        -5e5,
        5e5,
        "chirp",
        True,
        -10,
        30,
        0.9,
        {"sweep_rate_hz_per_s": 1e9, "sweep_period_s": 1e-3},
    )
    fig = plot_zoom(x, ev, rate_hz=RATE)
    ax, img, (f0, f1, t_end, t_start) = _image(fig)
    assert "FFT 64" in ax.get_title(loc="left")
    # the peak frequency of each row rises linearly within a sweep
    rows_t = t_start + (np.arange(img.shape[0]) + 0.5) * (t_end - t_start) / img.shape[0]
    cols_f = f0 + (np.arange(img.shape[1]) + 0.5) * (f1 - f0) / img.shape[1]
    peak_f = cols_f[np.nanargmax(img, axis=1)]
    t = np.arange(x.size) / RATE
    truth = -5e5 + 1e6 * ((rows_t % 1e-3) / 1e-3)
    inner = np.abs(((rows_t % 1e-3) / 1e-3) - 0.5) < 0.4  # away from the flyback
    assert np.median(np.abs(peak_f[inner] - truth[inner])) < 2 * RATE / 64
    assert t.size  # the samples were all there
    # the axes show the band with its margin, and the event's box
    assert f0 <= -5e5 and f1 >= 5e5
    assert len([p for p in ax.patches if (p.get_gid() or "").startswith("event-")]) == 1


def test_pulse_train_is_visible():
    n = int(0.1 * RATE)
    t = np.arange(n) / RATE
    gate = ((t % 10e-3) < 3e-3).astype(np.float32)  # 100 Hz, 30 % duty
    rng = np.random.default_rng(1)
    x = (
        0.3 * gate * np.exp(2j * np.pi * 2e5 * t)
        + 0.01 * (rng.standard_normal(n) + 1j * rng.standard_normal(n))
    ).astype(np.complex64)
    ev = Event(
        0.0,
        0.1,
        2e5,
        2e5,
        "pulsed",
        True,
        -10,
        30,
        0.9,
        {"prf_hz": 100.0, "pulse_width_s": 3e-3, "duty_cycle": 0.3, "base_kind": "cw"},
    )
    fig = plot_zoom(x, ev, rate_hz=RATE)
    _ax, img, (f0, f1, _t_end, _t_start) = _image(fig)
    col = int((2e5 - f0) / (f1 - f0) * img.shape[1])
    on = img[:, col] > np.nanmedian(img) + 20
    assert 0.2 < on.mean() < 0.45  # about the duty cycle (frames straddling edges count as on)
    # several separate pulses: on/off transitions
    assert np.count_nonzero(np.diff(on.astype(int)) == 1) >= 6


def test_errors():
    x = _chirp(1000)
    ev = Event(0.0, 0.0001, -5e5, 5e5, "cw", True, -10, 30, 0.9)
    with pytest.raises(ParameterError, match="shorter than"):
        plot_zoom(x, ev, rate_hz=RATE, nfft=4096)
    with pytest.raises(ParameterError, match="span_s"):
        plot_zoom(x, ev, rate_hz=RATE, span_s=(0.001, 0.0))
    with pytest.raises(ParameterError, match="rate_hz"):
        plot_zoom(x, ev)
