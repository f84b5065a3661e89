"""burst: short, sparse transmissions of ordinary devices (keyfobs, sensors, ADS-B): not jamming.

Signature: an emission with an edge inside the input that lasts less than `min_jamming_s`
(packets last 1..40 ms; trains merged across gaps shorter than hold_s still end), or one whose
on-time is a small, irregular share of its span: on in < 30 % of rows, or on < 30 % of the time
in a 10 us envelope (ADS-B replies of 64-120 us, many a second, fill every row), with no
regular pulse train.
Params: `duty_cycle` (share of rows on).
Checked on: dump1090 modes1.bin (ADS-B), rtl_433 skylink/radiohead (OOK), kisko-doorbell
(saturated FSK), urh esaver/homematic/enocean, generated OOK/FSK traffic.
"""

from __future__ import annotations

from ._base import Match, margin

ID = "burst"
JAMMING = False
#: Share of rows on below which an emission is sparse packets (row resolution, 10 ms).
SPARSE_ROWS = 0.3
#: Share of time on (10 us envelope) below which, irregular, it is packets (ADS-B: a few %).
SPARSE_TIME = 0.3


def match(ev) -> Match | None:
    if ev.bounded and ev.duration_s < ev.min_jamming_s:
        return Match(ID, 0.95, {"duty_cycle": ev.on_fraction}, jamming=False)  # short: no train to look for
    regular = (ev.row_train is not None and ev.row_train.regular) or (
        ev.snip is not None and ev.snip.train is not None and ev.snip.train.regular)
    sparse = ev.bounded and ev.on_fraction < SPARSE_ROWS and not regular
    act = ev.activity
    packets = act < SPARSE_TIME and not regular  # (False for NaN)
    if not (sparse or packets):
        return None
    if sparse:
        score, duty = margin(-ev.on_fraction, -SPARSE_ROWS, 0.05), ev.on_fraction
    else:
        score, duty = margin(-act, -SPARSE_TIME, 0.05), act
    return Match(ID, score, {"duty_cycle": duty}, jamming=False)
