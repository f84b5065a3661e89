"""Ordinary continuous traffic that is not jamming (kind `unknown`, jamming false).

Signatures, each physical structure that a jammer lacks:
* OFDM (LTE, DVB-T, Wi-Fi): Gaussian envelope like noise, but the cyclic prefix repeats the
  end of each symbol, so |R(tau)| has one isolated peak at the useful-symbol time Tu of height
  <= CP/(Tu+CP) <= 0.25 (>= 10 sigmas of the 1/sqrt(N) estimation noise, at lags >= 32/B past the band's own correlation); noise has none.
* A keyed carrier carrying data (DCF77, OOK beacons): one tone, keyed at row resolution with
  off times of different lengths (data), i.e. not a regular pulse train.
Params: `note` says which.
Checked on: lte-cell-scanner f1860 (1.92 MS/s, weak), f796, f1815.3 (19.2 MS/s, 15 MHz
occupied); kiwisdr_tdoa DCF77 (77.5 kHz carrier at 0 Hz with 100/200 ms dips).
"""

from __future__ import annotations

from ._base import Match, gaussian_envelope, margin

ID = "unknown"
JAMMING = False
OFDM_SIGMA = 10.0
OFDM_HEIGHT_MAX = 0.3
#: |R| at twice the cyclic-prefix lag, relative to it, below which the peak is isolated.
REPEAT_MAX = 0.5


def match(ev) -> Match | None:
    sn = ev.snip
    if sn is not None and sn.ofdm_sig >= OFDM_SIGMA and sn.ofdm_height <= OFDM_HEIGHT_MAX:
        g = gaussian_envelope(ev)
        periodic = not sn.ofdm_repeat < REPEAT_MAX  # a periodic wave correlates at every multiple
        if (g is None or g > 0.3) and not periodic and not (sn.train is not None and sn.train.regular):
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
