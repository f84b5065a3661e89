"""chirp: a carrier swept linearly across a band, repeating (sawtooth or triangle).

Signature: a band wider than 4 fine bins with a constant envelope (kappa <= 1.3) and
either
* fast sweeps (period shorter than ~1/4 of the snippet): the band signal repeats, so |R(tau)|
  peaks at the period T with >= 0.3 of its signal share; the second-order phase difference
  at the lag where a sawtooth turns 1 rad tells sawtooth (mean phase ~1 rad) from triangle
  (a real mean: 0 or pi); rate = B/T (sawtooth) or 2B/T (triangle), B between the quarter-power
  edges of the averaged spectrum;
* slow sweeps (lines on the waterfall): the per-row peak frequency fits straight lines
  (residual < 10 % of the span), with resets (sawtooth) or slope reversals (triangle).
A sweep wider than the receiver's band enters and leaves it once a period: in-band it is a
train of pulses (real GNSS jammer captures JamData400/500); it is still reported as a chirp,
with the in-band `duty_cycle`, since the emitter sweeps, it is not keyed.
Params: `sweep_rate_hz_per_s`, `sweep_period_s`, `sweep_shape`, `bandwidth_hz`.
Checked on: generated sawtooth/triangle chirps, periods 10 us..50 ms (tests/detection/
test_kinds.py); gnss_jamming_demo JammerData.bin (real chirp jammer, 10 MS/s).
"""

from __future__ import annotations

from ._base import Match, constant_envelope, margin, sustained

ID = "chirp"
JAMMING = True
MIN_BINS = 4


def match(ev) -> Match | None:
    lo, hi = ev.band_bins
    if hi - lo < MIN_BINS:
        return None
    if ev.tones.stationary and ev.tones.fraction > 0.7:
        return None
    env = constant_envelope(ev)
    sn = ev.snip
    fast = ev.sweep_fast() if sn is not None else None
    through = False
    if fast is None and sn is not None and sn.train is not None and sn.train.regular:
        # a sweep wider than the band: in-band pulses, periodic, constant envelope while on
        through = _through_band(ev)
        if through is None:
            return None
        fast = through
    slow = ev.sweep if fast is None else None
    if fast is None and slow is None:
        return None
    if env is not None and env < 0.2 and not through:
        return None
    score = env if env is not None else 0.6
    if fast is not None:
        score *= margin(fast["coherence"], 0.02, 0.02) if not through else 0.9
        params = {k: fast[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape", "bandwidth_hz")}
        if through:
            params["duty_cycle"] = sn.train.duty
    else:
        score *= margin(slow["fit_rows"], 8, 4)
        b0, b1 = ev.band_hz
        params = {k: slow[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape")}
        params["bandwidth_hz"] = b1 - b0
    return Match(ID, score, params, jamming=sustained(ev))


def _through_band(ev) -> dict | None:
    """A sweep crossing the whole receiver band once per pulse: rate from the phase curvature."""
    from .. import features as ft

    sn = ev.snip
    b0, b1 = ev.band_hz
    if b1 - b0 < 0.7 * ev.rate_hz:
        return None
    t = sn.train
    width_s = t.width_s
    # the band (b1 - b0) is crossed in one pulse: rate ~ B / width; confirm from the phase
    r_guess = (b1 - b0) / max(width_s, 1e-12)
    lag = max(1, int(round(ev.rate_hz / (2 * 3.14159 * r_guess) ** 0.5)))
    rate, coh = ft.chirp_rate(sn.y, ev.rate_hz, lag)
    if not rate == rate or abs(rate) < 0.3 * r_guess:
        return None
    return {"sweep_rate_hz_per_s": abs(rate), "sweep_period_s": 1.0 / t.prf_hz,
            "sweep_shape": "sawtooth", "bandwidth_hz": abs(rate) / t.prf_hz, "coherence": coh}
