"""Both directions of one question, is the floor raised by an emitter: whole-band noise jammers
the detector missed, and ordinary traffic (packets over the receiver's passband humps) it read as
weak noise jammers.

* a 0 dB whole-band jammer on from the first sample that stops, shaped by its own filter (a 1 dB
  ripple of ~5 cycles across the band): the fall of the floor takes away a spectrum that is not a
  gain step's (`online._fall_shape`, `_gain_step_fit`; the synthetic case is in test_floor_fall.py);
* a -5 dB whole-band jammer switched on under GFSK beacons (a packet every ~0.1 s in three or more
  of the snippet's blocks): its envelope is judged in the blocks at its steady level
  (`features.envelope_kappa`);
* traffic over a receiver whose passband humps the row CFAR finds while packets are on: the
  hump's shape and its first and latest levels are read without the rows and chunks a packet fell
  on (`passband.quiet_rows_mean`), and a hump at the roll-off's shoulder is judged on its central
  part (`passband.receiver_passband`).
"""

import numpy as np
import pytest
from independent import gen3_run, recording

from rfkit.detection.passband import quiet_rows_mean, same_power


def test_a_whole_band_jammer_from_the_start_at_0db_that_stops_is_found(tmp_path):
    # gen3 seed 5's 058: +0.2 dB over the whole band from the first sample to 2.595 s (of 3.91 s),
    # 8-bit; its spectrum a 1 dB ripple of 4.75 cycles across the band
    truth, d = gen3_run(tmp_path, 5, 58)
    (t,) = truth
    jam = d.jamming
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s) for e in d]
    e = jam[0]
    assert e.kind == "noise"
    assert abs(e.start_s - t.start_s) <= 0.05 and abs(e.end_s - t.end_s) <= 0.05
    assert abs(e.jn_db - t.jn_db) <= 3.0
    assert e.freq_hi_hz - e.freq_lo_hz >= 0.8 * (t.freq_hi_hz - t.freq_lo_hz)


def test_a_whole_band_jammer_under_beacons_is_noise(tmp_path):
    # independent 89's alt082: -5 dB over the whole band from 0.568 s to the end (1.684 s), a GFSK
    # beacon at +9 dB every ~0.1 s and LoRa packets at +12 dB in the band: missed (its envelope
    # read from the beacons' blocks, kappa ~7)
    spec, d = recording(tmp_path, 89, 82)
    jam = d.jamming
    assert jam, [(e.kind, e.start_s, e.end_s, e.jamming) for e in d]
    assert all(e.kind == "noise" for e in jam)
    assert max(e.freq_hi_hz - e.freq_lo_hz for e in jam) >= 0.8 * spec["rate_hz"]


@pytest.mark.parametrize(("seed", "index"), [(4, 50), (4, 68), (4, 69), (7, 30)])
def test_traffic_over_passband_humps_is_no_jamming(tmp_path, seed, index):
    # gen3's traffic recordings read as -13..-16 dB "noise" jammers over the receiver's passband
    # humps: a GMSK packet in the hump in 7 of its 15 chunks (seed 4's 050), humps at the roll-off's
    # shoulder (seed 4's 068, seed 7's 030), a packet in the input's last 0.1 s (seed 4's 069)
    truth, d = gen3_run(tmp_path, seed, index)
    assert truth == []
    assert d.jamming == [], [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz, e.jn_db) for e in d.jamming]


def test_quiet_rows_mean_leaves_out_the_rows_a_packet_fell_on():
    """A floor's rows, two of them with a narrow packet 20 dB over it in the band: the band's
    power without them is the floor's (same_power), with them it is not."""
    rng = np.random.default_rng(4)
    nfft, dof = 1024, 16.0
    central = slice(102, nfft - 102)
    floor = np.ones(nfft)
    rows = rng.gamma(dof / 2, 2 / dof, size=(10, nfft)) * floor
    first = rng.gamma(dof / 2, 2 / dof, size=(10, nfft)).mean(axis=0)
    rows[[3, 8], 300:310] += 100.0
    assert not same_power(rows.mean(axis=0), first, 200, 500, central=central)
    q = quiet_rows_mean(rows, 200, 500, central=central, dof=dof)
    assert same_power(q, first, 200, 500, central=central)
    # a floor with no packet keeps all its rows (none stands PACKET_SIGMAS over the median)
    clean = rng.gamma(dof / 2, 2 / dof, size=(10, nfft))
    assert np.allclose(quiet_rows_mean(clean, 200, 500, central=central, dof=dof), clean.mean(axis=0))


def test_a_sweep_on_for_part_of_its_event_is_not_left_out_as_packets(tmp_path):
    # gen3 seed 7's 067: a 0 dB sweep over 37 % of the band from 0.69 to 1.52 s, its event held on
    # to 2.33 s by a packet: its chunks are no packets on a passband hump (without them the band
    # holds nothing over the floor), so the band is no passband
    truth, d = gen3_run(tmp_path, 7, 67)
    (t,) = truth
    jam = [e for e in d.jamming if min(e.end_s, t.end_s) - max(e.start_s, t.start_s) > 0.5 * (t.end_s - t.start_s)]
    assert [e.kind for e in jam] == ["chirp"], [(e.kind, e.start_s, e.end_s, e.params) for e in d]
