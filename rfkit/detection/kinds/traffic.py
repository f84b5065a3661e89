"""Ordinary continuous traffic that is not jamming (kind `unknown`, jamming false).

Signatures, each physical structure that a jammer lacks:
* OFDM (LTE, DVB-T, Wi-Fi): Gaussian envelope like noise, but the cyclic prefix repeats the
  end of each symbol, so |R(tau)| has one isolated peak at the useful-symbol time Tu of height
  <= CP/(Tu+CP) <= 0.25 (>= 20 sigmas of the 1/sqrt(N) estimation noise, height >= 0.03, at lags >= 32/B past
  the band's own correlation), not at 2 Tu (a pilot comb or a repeating sweep recurs), and not
  a multiple of the emission's own pulse or repetition period; the envelope is not a sweep's
  (LTE pilots also give combs, at 1/45 kHz = 22 us). Noise has none of this.
* A keyed carrier carrying data (DCF77, OOK beacons): one tone, keyed at row resolution with
  off times of different lengths (data), i.e. not a regular pulse train.
Params: `note` says which.
Checked on: lte-cell-scanner f1860 (1.92 MS/s, weak), f796, f1815.3 (19.2 MS/s, 15 MHz
occupied); kiwisdr_tdoa DCF77 (77.5 kHz carrier at 0 Hz with 100/200 ms dips).
"""

from __future__ import annotations

import math

from ._base import Match, gaussian_envelope, margin

ID = "unknown"
JAMMING = False
OFDM_SIGMA = 20.0


def match(ev) -> Match | None:
    sn = ev.snip
    if ev.ofdm:
        # (a lightly loaded LTE carrier also switches its symbols on and off with its frames:
        # a pulse train, but still OFDM)
        g = gaussian_envelope(ev)
        kon = ev.kappa_on
        sweep_like = (g is not None and g < 0.3 and sn.kappa < 1.65) or (math.isfinite(kon) and kon < 1.65)
        if not sweep_like or ev.sweep_fast() is None:
            score = margin(sn.ofdm_sig, OFDM_SIGMA, 2.0)
            return Match(ID, score, {"note": f"OFDM: cyclic-prefix correlation at {sn.ofdm_lag_s * 1e6:.1f} us"},
                         jamming=False)
    tones = ev.tones
    rt = ev.row_train
    if tones.offsets_hz.size == 1 and tones.fraction >= 0.5 and rt is not None and not rt.regular \
            and rt.n_pulses >= 3 and rt.off_ratio < 0.3:
        return Match(ID, 0.7, {"note": "carrier keyed with data (irregular on/off times)",
                               "tones_hz": [float(tones.offsets_hz[0])]}, jamming=False)
    return None
