"""rfkit.detect: inputs (array, path, Capture), warnings, errors, options."""

import numpy as np
import pytest

import rfkit
from rfkit.detection import Detections, DetectorOptions
from rfkit.detection.options import resolve_options
from rfkit.errors import FormatError, ParameterError
from rfkit.io.array import ArrayCapture
from rfkit.io.writers import write_raw

RATE = 250e3


def _noise(n, p=1e-3, seed=0):
    rng = np.random.default_rng(seed)
    return ((rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(p / 2)).astype(np.complex64)


def test_noise_only_gives_no_jamming_and_the_floor():
    d = rfkit.detect(_noise(int(RATE)), rate_hz=RATE)
    assert isinstance(d, Detections)
    assert not d.jamming
    assert d.noise_dbfs == pytest.approx(-30.0, abs=0.3)
    assert any("unknown centre frequency" in w for w in d.warnings)


def test_path_and_absolute_frequencies(tmp_path):
    n = int(RATE)
    t = np.arange(n) / RATE
    x = _noise(n) + (0.1 * np.exp(2j * np.pi * 40e3 * t)).astype(np.complex64)
    p = tmp_path / "cw_433.92M_250k.cf32"
    write_raw(p, x, dtype="cf32")
    d = rfkit.detect(p)
    cw = [e for e in d if e.kind == "cw"]
    assert len(cw) == 1 and cw[0].jamming
    assert cw[0].params["tones_hz"][0] == pytest.approx(433.92e6 + 40e3, abs=d.stats["bin_hz"])
    assert not any("unknown centre" in w for w in d.warnings)


def test_dc_offset_taken_out_of_the_blocks_read_but_never_out_of_the_callers_array(tmp_path):
    n = int(2 * RATE)
    t = np.arange(n) / RATE
    x = _noise(n) + np.complex64(0.2 - 0.1j) + (0.1 * np.exp(2j * np.pi * 40e3 * t)).astype(np.complex64)
    kept = x.copy()
    p = tmp_path / "dc_433.92M_250k.cf32"
    write_raw(p, x, dtype="cf32")
    from_file, from_array = rfkit.detect(p), rfkit.detect(x, rate_hz=RATE, center_hz=433.92e6)
    np.testing.assert_array_equal(x, kept)
    assert [e.to_json() for e in from_file] == [e.to_json() for e in from_array]
    assert [e.kind for e in from_file.jamming] == ["cw"]


def test_clipping_and_all_zero_warnings():
    n = int(RATE)
    t = np.arange(n) / RATE
    loud = np.clip(3 * np.exp(2j * np.pi * 1e4 * t).real, -1, 1) + 1j * np.clip(3 * np.exp(2j * np.pi * 1e4 * t).imag, -1, 1)
    cap = ArrayCapture(loud.astype(np.complex64), rate_hz=RATE)
    cap.info = cap.info.replace(format="raw", dtype="cu8")  # as if read from an 8-bit file
    d = rfkit.detect(cap)
    assert any("clipped" in w and "fakes jamming" in w for w in d.warnings)
    d = rfkit.detect(np.zeros(n, np.complex64), rate_hz=RATE)
    assert any("all samples are zero" in w for w in d.warnings)
    assert len(d) == 0


def test_too_short_input_is_a_clear_error_and_one_partial_row_works():
    with pytest.raises(FormatError, match="fewer than one analysis frame"):
        rfkit.detect(_noise(100), rate_hz=RATE)
    d = rfkit.detect(_noise(600), rate_hz=RATE)  # > one 256-point frame, < one row
    assert isinstance(d, Detections)


def test_bad_arguments():
    with pytest.raises(ParameterError, match="rate_hz"):
        rfkit.detect(_noise(1000))
    with pytest.raises(ParameterError, match="unknown detector option"):
        rfkit.detect(_noise(10000), rate_hz=RATE, no_such_option=1)
    with pytest.raises(ParameterError, match="pfa"):
        DetectorOptions(pfa=2.0)
    x = _noise(10000)
    x[5] = np.nan
    x[7] = np.inf
    assert any("2 NaN/Inf samples were read as 0" in w for w in rfkit.detect(x, rate_hz=RATE).warnings)


def test_options_are_simple_fields_with_help():
    from dataclasses import fields

    for f in fields(DetectorOptions):
        assert f.type in ("float", "int", "bool", "str")
        assert f.metadata["help"]
    o = resolve_options(None, hold_s=1.0)
    assert o.hold_s == 1.0 and o.pfa == DetectorOptions().pfa
