"""RTL-SDR impairments: LO offset (ppm), band-edge roll-off, IQ imbalance, DC offset, 8-bit ADC.

Applied in the order a receiver applies them to what arrives at the antenna:

1. frequency offset: the dongle's crystal is `ppm` parts per million fast, so its LO sits
   ppm·1e-6·f_c too high and every emission appears shifted by −ppm·1e-6·f_c. The ground
   truth holds the frequencies *as they appear in the recording* (shifted); the sample
   clock's error (same ppm, a 2e-5 change of time scale) is not modelled.
2. band-edge roll-off: the anti-alias / decimation low-pass, a `rolloff_taps`-tap Kaiser FIR
   (β = 5) with its −6 dB point at `rolloff_cutoff` × Nyquist, applied with zero delay
   (linear phase, delay compensated). It shapes the thermal noise as well, so the noise
   power over the band falls by the filter's mean power gain; the ground truth's J/N
   accounts for both gains (emitter's and noise's).
3. IQ imbalance: the Q branch has gain g = 10^(iq_gain_db/20) and phase error φ:
   I' = I, Q' = g (Q cos φ − I sin φ), written widely linear as y = μ x + ν x*, with
   μ = (1 + g e^{−jφ})/2, ν = (1 − g e^{jφ})/2. A tone at +f leaves an image at −f,
   |ν|²/|μ|² below it (image rejection ≈ 36 dB for 0.2 dB and 1°). The wanted signal's
   power is scaled by |μ|², circular noise's by |μ|² + |ν|².
4. DC offset: a constant added to I and Q (the spike at 0 Hz, not part of the ground truth).
5. 8-bit ADC: rounded to the cu8 grid (u − 127.5)/127.5 and clipped at the rails. Its
   noise (LSB²/12 per component, −49.9 dBFS complex) stays ~20 dB below the default
   thermal noise (−30 dBFS), so quantisation is present but not dominant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from ..errors import ParameterError

__all__ = ["Impairments", "iq_coefficients", "quantize_cu8", "rolloff_taps"]

#: Kaiser β of the roll-off filter.
ROLLOFF_BETA = 5.0


@dataclass(frozen=True)
class Impairments:
    """Which receiver impairments to apply, each optional (the defaults apply none)."""

    ppm: float = 0.0
    rolloff: bool = False
    rolloff_cutoff: float = 0.9
    rolloff_taps: int = 31
    iq_gain_db: float = 0.0
    iq_phase_deg: float = 0.0
    dc_offset: tuple[float, float] = (0.0, 0.0)
    adc_8bit: bool = False

    def __post_init__(self):
        object.__setattr__(self, "dc_offset", tuple(float(v) for v in self.dc_offset))
        if not 0.1 <= self.rolloff_cutoff <= 1.0:
            raise ParameterError(f"rolloff_cutoff={self.rolloff_cutoff} must be between 0.1 and 1 (of Nyquist)")
        if self.rolloff_taps < 3 or self.rolloff_taps % 2 == 0:
            raise ParameterError(f"rolloff_taps={self.rolloff_taps} must be an odd number >= 3")
        if abs(self.ppm) > 1000:
            raise ParameterError(f"ppm={self.ppm} must be within ±1000")
        if len(self.dc_offset) != 2:
            raise ParameterError(f"dc_offset={self.dc_offset} must be (I, Q)")

    @classmethod
    def rtlsdr(cls, *, ppm: float = 20.0) -> Impairments:
        """Typical values of an R820T RTL-SDR: every impairment on."""
        return cls(ppm=ppm, rolloff=True, iq_gain_db=0.2, iq_phase_deg=1.0,
                   dc_offset=(0.012, -0.008), adc_8bit=True)

    def shift_hz(self, center_freq_hz: float | None) -> float:
        """Apparent frequency shift of every emission, Hz (−ppm·1e-6·f_c; 0 where f_c is unknown)."""
        if not self.ppm or center_freq_hz is None:
            return 0.0
        return -self.ppm * 1e-6 * center_freq_hz

    def to_dict(self) -> dict:
        return {"ppm": self.ppm, "rolloff": self.rolloff, "rolloff_cutoff": self.rolloff_cutoff,
                "rolloff_taps": self.rolloff_taps, "iq_gain_db": self.iq_gain_db,
                "iq_phase_deg": self.iq_phase_deg, "dc_offset": list(self.dc_offset), "adc_8bit": self.adc_8bit}


def rolloff_taps(imp: Impairments) -> np.ndarray:
    """FIR taps of the band-edge roll-off (unit gain at DC)."""
    return signal.firwin(imp.rolloff_taps, imp.rolloff_cutoff, window=("kaiser", ROLLOFF_BETA))


def power_gain(taps: np.ndarray, freqs_hz, rate_hz: float) -> np.ndarray:
    """|H(f)|² of FIR `taps` at offset frequencies `freqs_hz` (two-sided, Hz)."""
    f = np.atleast_1d(np.asarray(freqs_hz, dtype=np.float64))
    n = np.arange(taps.size) - (taps.size - 1) / 2
    h = np.exp(-2j * np.pi * np.outer(f / rate_hz, n)) @ taps
    return np.abs(h) ** 2


def iq_coefficients(imp: Impairments) -> tuple[complex, complex]:
    """(μ, ν) of the widely linear IQ imbalance y = μ x + ν x*."""
    g = 10 ** (imp.iq_gain_db / 20)
    phi = np.deg2rad(imp.iq_phase_deg)
    mu = (1 + g * np.exp(-1j * phi)) / 2
    nu = (1 - g * np.exp(1j * phi)) / 2
    return complex(mu), complex(nu)


def quantize_cu8(x: np.ndarray) -> np.ndarray:
    """Round complex samples to the RTL-SDR 8-bit grid (u − 127.5)/127.5, clipped at the rails.

    The arithmetic (float32 (u − 127.5) × float32(1/127.5)) is the cu8 reader's, so samples
    written as cu8 and read back are bit for bit the ones returned here.
    """
    inv = np.float32(1.0 / 127.5)

    def q(v):
        u = np.clip(np.rint(v * 127.5 + 127.5), 0, 255).astype(np.float32)
        return (u - np.float32(127.5)) * inv

    out = np.empty(x.shape, dtype=np.complex64)
    out.real = q(x.real)
    out.imag = q(x.imag)
    return out
