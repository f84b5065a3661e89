"""Two jammers on before a recording's first sample: emissions on as the input began were not
seen to begin together, so beginning "together" in its first rows is no sign of one emitter."""

from __future__ import annotations

from independent import gen3_run


def _over(dets, t):
    """The jamming events overlapping truth event `t` in band and time."""
    return [e for e in dets.jamming if e.freq_hi_hz > t.freq_lo_hz and e.freq_lo_hz < t.freq_hi_hz
            and e.end_s > t.start_s and e.start_s < t.end_s]


def test_keyed_carrier_is_not_joined_to_the_passbands_band_beside_it(tmp_path):
    # gen3 seed 29's 098 (1.536 MS/s, cu8, low gain): a CW keyed at 23 Hz (0 dB, +90 kHz) and a
    # 71 kHz noise band (-5 dB) at -538 kHz, both on from before the first sample; the receiver's
    # tilt lifts the bins above +192 kHz, which a track holds from the first row. The carrier's
    # keying skirts lie beside that band and both tracks began in the first rows, so they were
    # joined as pieces of one emission - one "unknown", the carrier missed - though the skirts
    # hold ~27 dB more power per bin than the passband's lift
    truth, dets = gen3_run(tmp_path, 29, 98)
    (carrier,) = [t for t in truth if t.kind == "pulsed"]
    (noise,) = [t for t in truth if t.kind == "noise"]
    assert [e.kind for e in _over(dets, carrier)] == ["pulsed"], [(e.kind, e.start_s, e.end_s) for e in dets]
    assert [e.kind for e in _over(dets, noise)] == ["noise"]


def test_multitone_that_stops_apart_from_a_keyed_carrier_is_its_own_event(tmp_path):
    # gen3 seed 29's 003 (2.4 MS/s, cs16): a CW keyed at 85 Hz (+10 dB, -967 kHz) on to 1.52 s and
    # two tones (0 dB, +429 and +952 kHz) on to 1.17 s, both from before the first sample. The
    # three tracks, born in the first row at powers within 10 dB, were joined as one multitone;
    # the tones stopped 0.35 s before the carrier - less than the hold time, so the group was not
    # split where they stopped - and the group was one keyed carrier ending with the tones, the
    # multitone missed. Tones of one transmitter are keyed off together
    truth, dets = gen3_run(tmp_path, 29, 3)
    (carrier,) = [t for t in truth if t.kind == "pulsed"]
    (tones,) = [t for t in truth if t.kind == "multitone"]
    (c,) = _over(dets, carrier)
    assert c.kind == "pulsed" and abs(c.end_s - carrier.end_s) <= 0.05, (c.kind, c.start_s, c.end_s)
    (m,) = _over(dets, tones)
    assert m.kind == "multitone" and abs(m.end_s - tones.end_s) <= 0.05, (m.kind, m.start_s, m.end_s)
