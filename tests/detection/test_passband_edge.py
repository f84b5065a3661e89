"""The receiver's passband out to a steep filter's edge (rfkit/detection/passband.py
`_judged_bins`): an elliptic filter keeps the band flat to within a few per cent of its edge, so a
tilt's hump lying wholly out there is read like any other - its inner edge smooth - and is no
jammer, however a packet beside it cuts it short; a noise band there from the first sample has a
sharp inner edge and is still found. Ground truth: gen3's seed 19 recording 70 rebuilt from its plan, and variants of it."""

from __future__ import annotations

import copy

import pytest
from independent import gen3

import rfkit

RECORDING = (19, 70)  # gen3 seed 19's 070: traffic through a 1.2 MS/s receiver, tilted edges up ~1 dB


def _plan():
    seed, index = RECORDING
    return copy.deepcopy(gen3().plan_set(100, seed=seed)[index])


def _jamming(tmp_path, spec):
    return [e for e in rfkit.detect(gen3().write_recording(tmp_path, spec)) if e.jamming]


def _gmsk_moved(spec, freq_hz):
    """The recording's GMSK packets moved to freq_hz, its OFDM packets left out."""
    spec["traffic"] = [t for t in spec["traffic"] if t["type"] != "ofdm"]
    for t in spec["traffic"]:
        if t["type"] == "gmsk":
            t["freq_hz"] = freq_hz
    return spec


@pytest.mark.parametrize("what", ["as recorded", "GMSK on the other side"])
def test_a_tilt_hump_at_a_steep_filters_edge_cut_short_by_packets_is_no_jammer(tmp_path, what):
    # gen3 seed 19's 070: the tilt lifts the band's edges ~1 dB over its middle, the elliptic filter
    # keeps it so to 24 bins (of 1024) from the edge; GMSK packets at -420 kHz (or their IQ image,
    # when sent at +420 kHz) cut the lower hump short at -432 kHz, so that none of it reached the
    # quadratic's judged bins (the central 80 % less half its window): called a -15 dB noise band
    spec = _plan()
    if what != "as recorded":
        spec = _gmsk_moved(spec, 420e3)
    assert spec["jammers"] == []
    found = _jamming(tmp_path, spec)
    assert found == [], [(e.kind, e.freq_lo_hz - spec["center_hz"], e.jn_db) for e in found]


def test_a_weak_noise_band_at_a_steep_filters_edge_from_the_first_sample_is_found(tmp_path):
    # the same receiver with no traffic and a -10 dB noise band over -560..-440 kHz, on from before
    # the first sample (no onset tells it): its inner edge, a few bins wide, is no receiver's, and
    # judging the shoulder as passband must not take it for one (found before that rule too; a
    # -13 dB band there is found only where the whole shoulder is judged, `_judged_bins`)
    spec = _plan()
    spec["traffic"] = []
    jam = copy.deepcopy(gen3().plan_set(100, seed=19)[76]["jammers"][0])  # a noise-partial jammer
    lo_hz, hi_hz = -560e3, -440e3
    jam.update(jn_db=-10.0, t_on=-1.0, t_off=5.0, band=[lo_hz, hi_hz])
    jam["base"].update(center_hz=0.5 * (lo_hz + hi_hz), bandwidth_hz=hi_hz - lo_hz, shape="slope", slope_db=0.0,
                       edge_fraction=0.03)
    spec["jammers"] = [jam]
    found = _jamming(tmp_path, spec)
    assert len(found) == 1, found
    e = found[0]
    assert e.kind == "noise"
    assert e.freq_lo_hz - spec["center_hz"] < -520e3 and abs(e.freq_hi_hz - spec["center_hz"] - hi_hz) < 10e3
    assert e.jn_db == pytest.approx(-10.0, abs=2.0)
