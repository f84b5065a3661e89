"""The recordings shipped in captures/: they open, say what their source states, and are intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sigmf
from sigmf.validate import validate

import rfkit

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
EXPECT = {  # stem: (datatype, rate Hz, centre Hz, samples, licence) as the sources state them
    "doorbell_868.3M_250k": ("cu8", 250e3, 868.3e6, 393_216, "MIT"),
    "adsb_modes1_1090M_2M": ("cu8", 2e6, 1090e6, 356_868, "BSD-3-Clause"),
    "gps_l1_cttc_4Msps_4ms": ("cf32", 4e6, 1575.42e6, 16_000, "CC-BY-4.0"),
}


@pytest.mark.parametrize("stem", sorted(EXPECT))
def test_shipped_capture(stem):
    dtype, rate, freq, n, lic = EXPECT[stem]
    meta_path = CAPTURES / f"{stem}.sigmf-meta"
    meta = json.loads(meta_path.read_text())
    validate(meta)
    assert lic in meta["global"]["core:license"] and meta["global"]["core:author"]
    sigmf.fromfile(str(meta_path))  # verifies core:sha512 against the data
    with rfkit.open(meta_path) as cap:
        assert (cap.info.dtype, cap.info.sample_rate, cap.info.center_freq, cap.info.n_samples) == (dtype, rate, freq, n)
    assert stem in (CAPTURES / "README.md").read_text()
