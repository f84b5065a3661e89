"""pulsed: any other kind switched on and off periodically (a keyed jammer).

Signature: the band envelope is a regular pulse train: >= 4 pulses, PRIs within 10 % of
their median (<= 25 % outliers), pulse widths and off times with a robust spread <= 25 %
(keyed data - DCF77's 100/200 ms dips, OOK/PWM packets - has two widths), off level < 15 %
of the on level above the noise, duty 0.02..0.97; sustained. Fast trains come from the band-
filtered snippet (envelope averaged to 4x SNR per point), slow ones (PRF below ~25 Hz) from
the row series. The base kind is what is on during a pulse: tones -> cw/multitone, a
constant-envelope sweep -> chirp, else noise. A sweep crossing the whole band is chirp's.
Params: `prf_hz` (straight-line fit of pulse starts), `duty_cycle` (mean power / on power),
`pulse_width_s` = duty / PRF, `base_kind`, and the base's own params.
Checked on: generated pulsed cw/chirp/noise/multitone, PRF 100..2000 Hz, duty 0.1..0.6
(tests/detection/test_kinds.py); gnss_jamming_demo JamData400/500 (-> chirp, see chirp.py).
"""

from __future__ import annotations

from ._base import Match, margin, sustained

ID = "pulsed"
JAMMING = True


def match(ev) -> Match | None:
    sn = ev.snip
    train = sn.train if sn is not None else None
    if train is None or not train.regular:
        rt = ev.row_train
        if rt is None or not rt.regular:
            return None
        train = rt
    if not sustained(ev) and train.n_pulses < 8:
        return None
    b0, b1 = ev.band_hz
    tones = ev.tones
    params = {"prf_hz": train.prf_hz, "duty_cycle": train.duty, "pulse_width_s": train.width_s}
    if tones.offsets_hz.size >= 1 and tones.fraction >= 0.5:
        base = "cw" if tones.offsets_hz.size == 1 else "multitone"
        params["tones_hz"] = sorted(float(f) for f in tones.offsets_hz)
    else:
        fast = ev.sweep_fast()
        if fast is not None and fast["coherence"] > 0.02:
            if b1 - b0 >= 0.7 * ev.rate_hz:
                return None  # a sweep passing through the whole band: chirp
            base = "chirp"
            params.update({k: fast[k] for k in ("sweep_rate_hz_per_s", "sweep_period_s", "sweep_shape")})
        else:
            base = "noise"
        params["bandwidth_hz"] = b1 - b0
    params["base_kind"] = base
    score = (margin(-train.pri_spread, -0.25, 0.08) * margin(-train.width_cv, -0.25, 0.06)
             * margin(-train.off_ratio, -0.15, 0.04))
    score = min(1.0, 0.3 + score)
    return Match(ID, score, params, jamming=sustained(ev))
