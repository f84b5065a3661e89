"""burst: short, sparse transmissions of ordinary devices (keyfobs, sensors, ADS-B): not jamming.

Signature: an emission with both ends inside the input that lasts less than `min_jamming_s`
(packets last 1..40 ms; trains merged across gaps shorter than hold_s still end), or one whose
on-time is a small, irregular share of its span (on in < 30 % of rows, no regular pulse train).
Params: `duty_cycle` (share of rows on).
Checked on: dump1090 modes1.bin (ADS-B), rtl_433 skylink/radiohead (OOK), kisko-doorbell
(saturated FSK), urh esaver/homematic/enocean, generated OOK/FSK traffic.
"""

from __future__ import annotations

from ._base import Match, margin

ID = "burst"
JAMMING = False


def match(ev) -> Match | None:
    short = ev.bounded and ev.duration_s < ev.min_jamming_s
    sparse = ev.bounded and ev.on_fraction < 0.3 and not (ev.row_train is not None and ev.row_train.regular)
    if not (short or sparse):
        return None
    score = 0.95 if short else margin(-ev.on_fraction, -0.3, 0.05)
    return Match(ID, score, {"duty_cycle": ev.on_fraction}, jamming=False)
