"""hopping: one narrow emission at a time, jumping among a set of channels.

Signature: >= 3 channels (separate narrow sub-bands of the averaged spectrum, filling at most
half the span between the outer two), one on at a
time in short frames (0.6 <= mean channels on <= 1.5: always one, rarely two) with >= 4
channel changes, or the tracker saw >= 4 hand-overs (one narrow emission ending in the row
another begins) and something is on in >= 60 % of the rows (packets of several devices are
sparse). The envelope is constant (kappa <= 1.35
where the band SNR allows: tones on together beat). Two channels
alternating is 2-FSK data (ordinary traffic), not a hopper.
Params: `channels_hz` (centroids), `hop_rate_hz` (channel changes per second in short frames,
or hand-overs per second at row resolution for slow hoppers), `bandwidth_hz` of one channel.
Checked on: generated hoppers, 4..10 channels, dwell 1..20 ms (tests/detection/test_kinds.py).
"""

from __future__ import annotations

import math

from ._base import Match, margin, sustained

ID = "hopping"
JAMMING = True
MIN_CHANNELS = 3
#: Channels are separate: they fill at most this share of the span between the outer ones
#: (a sweep's spectrum is contiguous).
MAX_FILL = 0.5
#: A hopper is always on somewhere: channels on per frame (and rows on) at least this.
MIN_ON = 0.6
#: One carrier at a time has a constant envelope; above this kappa several are on at once ...
KAPPA_MAX = 1.35
#: ... where the band SNR (linear) is enough to tell.
KAPPA_MIN_SNR = 0.2
#: Most share of the active frames with two or more channels on (hop boundaries only).
MAX_MULTI = 0.3
#: Most channels on at once, on average, for a hopper.
MAX_SIMULTANEOUS = 1.5


def match(ev) -> Match | None:
    ch = ev.channels
    if ch.size < MIN_CHANNELS or ev.channel_fill > MAX_FILL:
        return None
    sn = ev.snip
    if sn is not None and sn.snr > KAPPA_MIN_SNR and sn.kappa > KAPPA_MAX:
        return None  # the envelope beats: several carriers at once (a multitone), not one hopping
    act = ev.channel_activity()
    rate = None
    score = 0.0
    if act is not None and (act[0] > MAX_SIMULTANEOUS or act[2] > MAX_MULTI):
        return None  # several channels on at once: a multitone or a line spectrum
    if act is not None and math.isfinite(act[0]) and math.isfinite(act[1]):
        mean_on, changes, _ = act
        if MIN_ON <= mean_on <= MAX_SIMULTANEOUS and changes * ev.snip.n / ev.rate_hz >= 4:
            rate = changes
            score = margin(-mean_on, -MAX_SIMULTANEOUS, 0.15)
    if rate is None and ev.hand_overs >= 4 and ev.duration_s > 0 and ev.on_fraction >= MIN_ON:
        rate = ev.hand_overs / ev.duration_s
        score = margin(ev.hand_overs, 4, 2)
    if rate is None:
        return None
    params = {"channels_hz": sorted(float(f) for f in ch), "hop_rate_hz": float(rate)}
    return Match(ID, score, params, jamming=sustained(ev))
