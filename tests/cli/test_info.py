"""`rfkit info`: the table and the JSON object, checked against signals whose statistics are known."""

from __future__ import annotations

import json

import numpy as np
import pytest
from realdata import real

from rfkit.cli import main
from rfkit.io.writers import write_sigmf


def info_json(capsys, *argv):
    assert main(["info", *map(str, argv), "--json"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("\n") == 1
    return json.loads(out)


def test_json_keys_and_statistics_of_a_known_signal(tmp_path, capsys):
    n = 400_000
    amp, dc = 0.25, 0.125 - 0.0625j
    x = amp * np.exp(2j * np.pi * 0.01 * np.arange(n)) + dc
    comps = np.empty(2 * n, np.int16)
    comps[0::2] = np.rint(x.real * 32768)
    comps[1::2] = np.rint(x.imag * 32768)
    comps[:200:2] = 32767  # 100 samples with I at the positive rail
    comps[201:400:2] = -32768  # 100 more with Q at the negative rail
    p = tmp_path / "tone_100M_2M.cs16"
    comps.tofile(p)
    s = info_json(capsys, p)
    assert s["format"] == "raw" and s["dtype"] == "cs16"
    assert s["sample_rate"] == 2e6 and s["center_freq"] == 100e6
    assert s["n_samples"] == n and s["duration_s"] == pytest.approx(0.2)
    assert s["clipped_fraction"] == pytest.approx(200 / n)
    stored = comps.astype(np.float64) / 32768  # naive twin: the statistics straight from the stored values
    assert s["power_dbfs"] == pytest.approx(10 * np.log10(np.mean(stored**2) * 2), abs=1e-6)
    assert s["dc_offset"] == pytest.approx([stored[0::2].mean(), stored[1::2].mean()], abs=1e-9)
    assert s["dc_offset"] == pytest.approx([dc.real, dc.imag], abs=2e-3)
    assert s["nonfinite_samples"] == 0 and s["annotations"] == 0 and s["leftover_bytes"] == 0
    assert s["segments"] == [{"sample_start": 0, "center_freq": 100e6, "datetime": None}]


def test_unknown_frequency_is_null_and_silence_is_not_infinity(tmp_path, capsys):
    np.zeros(1000, np.complex64).tofile(tmp_path / "quiet.cf32")
    s = info_json(capsys, tmp_path / "quiet.cf32", "--rate", "48k")
    assert s["center_freq"] is None
    assert s["power_dbfs"] is None and s["dc_dbfs"] is None  # -inf dBFS has no JSON spelling
    assert s["clipped_fraction"] is None  # float samples have no rail


def test_nan_and_inf_counted(tmp_path, capsys):
    x = np.full(5000, 0.5 + 0.5j, np.complex64)
    x[10] = complex(np.nan, 0)
    x[20] = complex(0, np.inf)
    x[30] = complex(np.nan, np.inf)
    x.tofile(tmp_path / "bad.cf32")
    s = info_json(capsys, tmp_path / "bad.cf32", "--rate", "1M")
    assert (s["nonfinite_samples"], s["nan_samples"], s["inf_samples"]) == (3, 2, 1)
    assert s["power_dbfs"] == pytest.approx(10 * np.log10(0.5 * 4997 / 5000), abs=1e-4)
    assert main(["info", str(tmp_path / "bad.cf32"), "--rate", "1M"]) == 0
    assert "3 samples (2 NaN, 1 Inf), read as 0" in capsys.readouterr().out


def test_segments_annotations_and_metadata(tmp_path, capsys):
    x = np.zeros(3000, np.complex64)
    caps = [{"core:sample_start": 0, "core:frequency": 433.92e6, "core:datetime": "2022-02-02T02:02:02Z"},
            {"core:sample_start": 1000, "core:frequency": 434.5e6}]
    anns = [{"core:sample_start": k, "core:sample_count": 10} for k in (5, 50, 500)]
    meta = write_sigmf(tmp_path / "m", x, sample_rate=1e6, dtype="cs8", captures=caps, annotations=anns,
                       hw="HackRF")
    s = info_json(capsys, meta)
    assert s["annotations"] == 3 and s["hw"] == "HackRF" and s["datetime"] == "2022-02-02T02:02:02Z"
    assert [seg["center_freq"] for seg in s["segments"]] == [433.92e6, 434.5e6]
    assert main(["info", str(meta)]) == 0
    out = capsys.readouterr().out
    assert "segment 1" in out and "434.500000 MHz" in out and "annotations       3" in out


def test_table_on_a_real_recording(capsys):
    p = real("kisko-doorbell/g001_868.3M_250k.cu8")
    assert main(["info", str(p)]) == 0
    out = capsys.readouterr().out
    assert "868.300000 MHz" in out and "393,216" in out and "0.25 MS/s" in out


def test_leftover_bytes_reported(tmp_path, capsys, caplog):
    (tmp_path / "odd_1M_1M.cs16").write_bytes(b"\0" * 4003)
    s = info_json(capsys, tmp_path / "odd_1M_1M.cs16")
    assert s["n_samples"] == 1000 and s["leftover_bytes"] == 3
    assert "3 trailing bytes do not make a whole sample; read 1000 whole samples" in caplog.text
