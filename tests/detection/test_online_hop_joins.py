"""Hand-overs the tracker takes for hops (online._confirm_hops) must be ones a hopper makes: the
channels it leaves and takes stand clear of the floor (a CFAR-marginal piece of the receiver's
passband is no channel), and the channel taken is not on while the one left holds its channel
(a pulsed carrier keyed on and off while a packet elsewhere lasts is another emitter), nor on
before the one left came on (a pulse train's next pulse is no hand-over from a packet's one row).
Ground truth: recordings of gen3's sets rebuilt from their plan (same seed, same spec) that rfkit
got wrong before."""

from __future__ import annotations

import pytest
from independent import gen3_run as _run


def _overlaps(e, t) -> bool:
    return (min(e.end_s, t.end_s) - max(e.start_s, t.start_s) > 0.5 * (t.end_s - t.start_s)
            and e.freq_lo_hz <= t.freq_hi_hz and e.freq_hi_hz >= t.freq_lo_hz)


def test_pulsed_carrier_is_not_joined_with_packets_as_hops(tmp_path):
    # seed 13's 006: a -5 dB pulsed two-tone carrier (PRF 28 Hz, 12.8 ms pulses) with GMSK
    # packets ~700 kHz above it; packets coming on in the carrier's off-gaps were joined with it
    # as hops (and floor pieces with both), the group called cw at the packets' frequency
    (t,), d = _run(tmp_path, 13, 6)
    assert t.kind == "pulsed"
    hits = [e for e in d.jamming if _overlaps(e, t)]
    assert [e.kind for e in hits] == ["pulsed"], [(e.kind, e.start_s, e.end_s, e.freq_lo_hz) for e in d]
    assert not [e for e in d.jamming if not _overlaps(e, t)], [(e.kind, e.freq_lo_hz) for e in d.jamming]


def test_packets_are_not_joined_with_passband_pieces(tmp_path):
    # seed 5's 041: traffic only (ADS-B near DC); a packet's track was joined as a hop with
    # pieces of the receiver's passband hump that the coarse CFAR group marks now and then, and
    # the group reported as a 880 kHz noise jammer over 2.4 s
    truth, d = _run(tmp_path, 5, 41)
    assert not truth
    assert not d.jamming, [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz) for e in d.jamming]


def test_pulse_train_on_before_a_packet_row_is_no_channel_taken(tmp_path):
    # seed 19's 020: a 0 dB pulsed narrow noise (21 kHz at +543 kHz, PRF 32 Hz, 9 ms pulses) on
    # from the start, ADS-B replies (one row each) near 0 Hz; a reply's one-row piece ended in a
    # row the train had come on in the row before, and was joined with it as a hop: the group,
    # reaching across the band, was read at a pager's lines as a multitone (the jammer missed)
    (t,), d = _run(tmp_path, 19, 20)
    assert t.kind == "pulsed"
    hits = [e for e in d.jamming if _overlaps(e, t)]
    assert [e.kind for e in hits] == ["pulsed"], [(e.kind, e.start_s, e.end_s, e.freq_lo_hz) for e in d]
    assert hits[0].params["prf_hz"] == pytest.approx(t.params["prf_hz"], rel=0.05)
    assert not [e for e in d.jamming if not _overlaps(e, t)], [(e.kind, e.freq_lo_hz) for e in d.jamming]
