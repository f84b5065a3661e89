"""SpectrumSettings: validation, windows against scipy, axes, ENBW and coherent gain."""

import naive
import numpy as np
import pytest

from rfkit.dsp.settings import WINDOWS, SpectrumSettings, hop_for_overlap
from rfkit.errors import ParameterError


@pytest.mark.parametrize("name", list(WINDOWS))
@pytest.mark.parametrize("nfft", [16, 1024])
def test_windows_match_scipy(name, nfft):
    s = SpectrumSettings(1e6, nfft=nfft, window=name)
    assert s.window_array.dtype == np.float32
    np.testing.assert_allclose(s.window_array, naive.window(name, nfft), atol=2e-7)


@pytest.mark.parametrize("name,enbw,cg", [("rect", 1.0, 1.0), ("hann", 1.5, 0.5),
                                         ("blackmanharris", 2.0044, 0.35875), ("flattop", 3.77, 0.2156)])
def test_enbw_and_coherent_gain_textbook(name, enbw, cg):
    # textbook values (Harris 1978 and scipy's flattop coefficients)
    s = SpectrumSettings(2.4e6, nfft=4096, window=name)
    assert s.enbw_bins == pytest.approx(enbw, rel=2e-3)
    assert s.coherent_gain == pytest.approx(cg, rel=1e-3)
    assert s.enbw_hz == pytest.approx(s.enbw_bins * 2.4e6 / 4096)


def test_axes_absolute_ascending():
    s = SpectrumSettings(1.6e6, nfft=16, center_freq=100e6)
    np.testing.assert_allclose(s.freqs_hz - 100e6, np.arange(-8, 8) * 1e5)
    assert np.all(np.diff(s.freqs_hz) > 0)
    assert SpectrumSettings(1.6e6, nfft=16).freqs_hz[8] == 0.0
    assert s.bin_hz == 1e5
    assert s.frame_s == pytest.approx(16 / 1.6e6)


def test_row_times_and_extent():
    s = SpectrumSettings(1000.0, nfft=16, hop=8, avg=3)
    assert s.row_period_s == pytest.approx(0.024)
    # row r spans samples r*24 .. r*24 + 2*8 + 16: centre at r*24 + 16
    np.testing.assert_allclose(s.row_times_s(3), [0.016, 0.040, 0.064])
    np.testing.assert_allclose(s.row_times_s(2, start_sample=1000), [1.016, 1.040])
    f0, f1, t_end, t_start = s.extent(3)
    assert f0 == pytest.approx(-500 - 1000 / 32) and f1 == pytest.approx(500 - 1000 / 16 + 1000 / 32)
    assert t_start == pytest.approx(0.016 - 0.012) and t_end == pytest.approx(0.064 + 0.012)
    assert s.rows_for(16 + 8 * 5) == 2  # 6 frames -> 2 rows of 3
    assert s.rows_for(15) == 0


def test_hop_default_and_overlap():
    assert SpectrumSettings(1.0, nfft=64).hop == 64
    assert hop_for_overlap(1024, 0.5) == 512
    assert hop_for_overlap(1024, 0.0) == 1024
    with pytest.raises(ParameterError, match="overlap=1.0"):
        hop_for_overlap(1024, 1.0)


@pytest.mark.parametrize("kwargs,match", [
    ({"nfft": 1000}, "nfft=1000 must be a power of two"),
    ({"nfft": 8}, "nfft=8 must be a power of two"),
    ({"nfft": 1 << 21}, "must be a power of two"),
    ({"hop": 0}, "hop=0"),
    ({"nfft": 64, "hop": 65}, "hop=65"),
    ({"window": "kaiser"}, "window='kaiser' is not a window"),
    ({"avg": 0}, "avg=0"),
    ({"center_freq": float("nan")}, "center_freq=nan"),
])
def test_validation_messages(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        SpectrumSettings(1e6, **kwargs)


def test_bad_rate_and_frozen():
    with pytest.raises(ParameterError, match="sample_rate=0"):
        SpectrumSettings(0)
    s = SpectrumSettings(1e6)
    with pytest.raises(AttributeError):
        s.nfft = 2048
    assert SpectrumSettings(1e6, window="boxcar").window == "rect"
