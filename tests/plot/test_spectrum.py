"""rfkit.plot.spectrum: the traces are the Psd's, the floor and threshold lines, shaded event bands."""

from __future__ import annotations

import numpy as np
import pytest
from plot_helpers import CENTER, FORMATS, RATE, TONE_HZ, tone_samples, write_format

import rfkit
from rfkit import ParameterError
from rfkit.detection.events import Event
from rfkit.dsp import psd
from rfkit.plot import plot_spectrum
from rfkit.plot.spectrum import event_bands


def _line(ax, label):
    return next(ln for ln in ax.lines if ln.get_label() == label)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_input_format(tmp_path, fmt):
    path, kw = write_format(tmp_path, fmt, tone_samples(n=1 << 17))
    with rfkit.open(path, **kw) as cap:
        p = psd(cap, nfft=1024)
    fig = plot_spectrum(p)
    ax = fig.axes[0]
    bin_hz = RATE / 1024
    assert ax.get_xlim() == pytest.approx(
        (CENTER - RATE / 2 - bin_hz / 2, CENTER + RATE / 2 - bin_hz / 2), abs=1e-3
    )
    mean = _line(ax, "average")
    np.testing.assert_allclose(mean.get_xdata(), p.freqs_hz)
    np.testing.assert_allclose(mean.get_ydata(), p.mean_dbfs, rtol=1e-6)
    np.testing.assert_allclose(_line(ax, "max-hold").get_ydata(), p.max_dbfs, rtol=1e-6)
    np.testing.assert_allclose(_line(ax, "min-hold").get_ydata(), p.min_dbfs, rtol=1e-6)
    # the tone (-10.5 dBFS) is inside the y range, at its frequency
    peak = p.freqs_hz[np.argmax(p.mean_dbfs)]
    assert abs(peak - (CENTER + TONE_HZ)) <= bin_hz
    lo, hi = ax.get_ylim()
    assert lo < np.median(p.mean_dbfs) and hi > p.max_dbfs.max()
    fig.savefig(tmp_path / "s.png")


def test_floor_and_threshold_lines():
    p = psd(tone_samples(), rate_hz=RATE, center_hz=CENTER, nfft=512)
    fig = plot_spectrum(p, floor_dbfs=-57.0, threshold_db=12.0)
    ax = fig.axes[0]
    floor = next(ln for ln in ax.lines if ln.get_label().startswith("noise floor"))
    thr = next(ln for ln in ax.lines if ln.get_label().startswith("threshold"))
    assert set(floor.get_ydata()) == {-57.0} and set(thr.get_ydata()) == {-45.0}
    # the default floor is the robust estimate: near the noise per bin, not pulled up by the tone
    fig2 = plot_spectrum(psd(tone_samples(burst=False), rate_hz=RATE, center_hz=CENTER, nfft=512))
    est = next(
        ln for ln in fig2.axes[0].lines if ln.get_label().startswith("noise floor")
    ).get_ydata()[0]
    noise_per_bin = 10 * np.log10(2 * 0.007**2 * 1.5 / 512)  # sigma^2 * enbw_bins / nfft (hann)
    assert est == pytest.approx(noise_per_bin, abs=1.0)


def test_event_bands_are_shaded_where_the_events_are():
    p = psd(tone_samples(), rate_hz=RATE, center_hz=CENTER, nfft=512)
    events = [
        Event(0, 0.1, CENTER + 100e3, CENTER + 150e3, "cw", True, -10, 30, 0.9),
        Event(0.2, 0.3, CENTER - 300e3, CENTER - 200e3, "burst", False, -20, 10, 0.5),
        Event(0.4, 0.5, CENTER - 250e3, CENTER - 150e3, "burst", False, -20, 10, 0.5),
    ]
    fig = plot_spectrum(p, events=events)
    ax = fig.axes[0]
    spans = sorted((q.get_x(), q.get_x() + q.get_width()) for q in ax.patches)
    # the two overlapping bursts merge into one band, labelled with their count
    assert spans == [
        pytest.approx((CENTER - 300e3, CENTER - 150e3)),
        pytest.approx((CENTER + 100e3, CENTER + 150e3)),
    ]
    assert {"cw", "burst ×2"} <= {t.get_text() for t in ax.texts}
    assert event_bands(events)[0][4] == 2


def test_plain_arrays_and_errors():
    f = np.linspace(-5e5, 5e5, 256)
    fig = plot_spectrum(np.full(256, -60.0), freqs_hz=f, floor_dbfs=float("nan"))
    assert "offset" in fig.axes[0].get_xlabel()
    with pytest.raises(ParameterError, match="freqs_hz"):
        plot_spectrum(np.zeros(10))
    with pytest.raises(ParameterError, match="same length"):
        plot_spectrum(np.zeros(10), freqs_hz=np.arange(11.0))
    with pytest.raises(ParameterError, match="max_dbfs.shape"):
        plot_spectrum(np.zeros(10), freqs_hz=np.arange(10.0), max_dbfs=np.zeros(3))
