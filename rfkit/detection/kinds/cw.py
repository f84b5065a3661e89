"""cw: one stationary unmodulated carrier.

Signature: one narrow spectral peak (its excess 3 fine bins away down >= 6 dB: a Hann main
lobe; weaker lines beside it hold < 20 % of the tones' power) holding >= 70 % of the
emission's excess power over the noise, a constant envelope (noise-corrected kappa <= 1.3; a
carrier keyed with data or pulses is not CW) and no on/off keying at row resolution (10 ms):
no regular row train, and on in >= 60 % of its span's rows.
Params: `tones_hz` (parabolic peak interpolation on the log spectrum: well inside one bin).
Checked on: generated CW at J/N -15..+10 dB (tests/detection/test_kinds.py), rolljam
Test-Recording-File.iq (+471 kHz, 28 dB up), gnss-sdr GSoC capture (+580 kHz spur, 23 dB up).
"""

from __future__ import annotations

from ._base import Match, constant_envelope, margin, sustained

ID = "cw"
JAMMING = True
#: A tone holding this share of the tones' power makes a CW even beside weak spurs.
DOMINANT = 0.8
#: Share of the excess power the tone must hold.
TONE_FRACTION_MIN = 0.7
#: Share of its span's rows (10 ms) a carrier must be on in: a CW is on throughout (generated
#: CW at J/N -10..+10 dB: >= 0.82), a tone on in under this share is keyed on and off, however
#: irregularly (the carrier of OOK or the preamble line of FSK packets, repeated).
ON_ROWS_MIN = 0.6


def keyed(ev) -> bool:
    """On/off keying visible at row resolution (a keyed or pulsed carrier, not CW): a regular
    train, or off in a large share of the rows of its span (irregular keying: packets)."""
    t = ev.row_train
    if t is not None and t.n_pulses >= 3 and t.off_ratio < 0.3 and t.duty < 0.97:
        return True
    return ev.on_fraction < ON_ROWS_MIN


def match(ev) -> Match | None:
    tones = ev.tones
    if not tones.stationary or tones.fraction < TONE_FRACTION_MIN:
        return None
    if tones.count > 1 and tones.powers.max() < DOMINANT * tones.powers.sum():
        return None  # several tones of weight: multitone's
    f0 = float(tones.offsets_hz[int(tones.powers.argmax())])
    if keyed(ev):
        return None
    sn = ev.snip
    if sn is not None and sn.train is not None and sn.train.regular:
        return None  # a pulse train: pulsed's
    score = margin(tones.fraction, TONE_FRACTION_MIN, 0.08)
    env = constant_envelope(ev)
    if env is not None:
        if env < 0.1:
            return None
        score *= env
    return Match(ID, score, {"tones_hz": [f0]}, jamming=sustained(ev))
