"""Waveforms of the emitters at unit power, rendered piece by piece (complex128, full scale 1).

A source renders samples i0 .. i0+n counted from the moment its emitter switches on, so
that t = i / rate_hz is the time since switch-on. Calls must come in order (noise sources
carry filter state from one call to the next); phases are computed from the absolute
sample index in cycles, reduced modulo one before the multiplication by 2π, so a 60 s
recording keeps its phase as exact as a 1 s one.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from .emitters import CW, Chirp, Emitter, Hopping, Multitone, Noise, Pulsed

__all__ = ["StreamFIR", "cis", "lowpass_taps", "make_source"]

#: Stop-band attenuation of the noise-shaping low-pass filters, dB.
NOISE_FILTER_ATTEN_DB = 60.0
#: Transition width of a noise filter as a fraction of the noise bandwidth.
NOISE_FILTER_TRANSITION = 0.15
#: Longest noise-shaping filter, taps (bounds the cost of very narrow noise).
NOISE_FILTER_MAX_TAPS = 4095
#: Added before flooring a time measured in periods, so that a sample that falls on a period
#: boundary (i/rate = k·T exactly, computed as k − 1e-16) counts as the start of period k.
BOUNDARY_EPS = 1e-9


def cis(cycles: np.ndarray) -> np.ndarray:
    """exp(j 2π cycles), reducing the phase modulo one cycle first (float64 in, complex128 out)."""
    c = cycles - np.floor(cycles)
    return np.exp(2j * np.pi * c)


def lowpass_taps(cutoff_hz: float, rate_hz: float, *, transition_hz: float | None = None) -> np.ndarray:
    """Linear-phase low-pass FIR taps, −6 dB at `cutoff_hz`, 60 dB stop band (Kaiser window)."""
    if transition_hz is None:
        transition_hz = NOISE_FILTER_TRANSITION * 2 * cutoff_hz
    transition_hz = min(transition_hz, 2 * (rate_hz / 2 - cutoff_hz)) if cutoff_hz < rate_hz / 2 else transition_hz
    numtaps, beta = signal.kaiserord(NOISE_FILTER_ATTEN_DB, max(transition_hz, 1e-9) / (rate_hz / 2))
    numtaps = int(min(max(numtaps, 15), NOISE_FILTER_MAX_TAPS)) | 1
    return signal.firwin(numtaps, cutoff_hz, window=("kaiser", beta), fs=rate_hz)


class StreamFIR:
    """A causal FIR over a stream cut into pieces: the output equals filtering the whole stream."""

    def __init__(self, taps: np.ndarray):
        self.taps = np.asarray(taps, dtype=np.float64)
        self.hist = np.zeros(self.taps.size - 1, dtype=np.complex128)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.taps.size == 1:
            return x * self.taps[0]
        buf = np.concatenate([self.hist, x])
        y = signal.oaconvolve(buf, self.taps, mode="valid") if x.size else x.astype(np.complex128)
        self.hist = buf[buf.size - (self.taps.size - 1):]
        return y


class _Source:
    def __init__(self, rate_hz: float):
        self.rate = rate_hz

    def t(self, i0: int, n: int) -> np.ndarray:
        return (i0 + np.arange(n, dtype=np.float64)) / self.rate

    def __call__(self, i0: int, n: int) -> np.ndarray:
        raise NotImplementedError


class _Tones(_Source):
    def __init__(self, rate_hz, freqs_hz, rng):
        super().__init__(rate_hz)
        self.freqs = np.asarray(freqs_hz, dtype=np.float64)
        self.phase0 = rng.random(self.freqs.size)  # cycles
        self.amp = 1.0 / np.sqrt(self.freqs.size)

    def __call__(self, i0, n):
        t = self.t(i0, n)
        out = np.zeros(n, dtype=np.complex128)
        for f, p in zip(self.freqs, self.phase0):
            out += cis(f * t + p)
        return out * self.amp


class _Chirp(_Source):
    """Phase = ∫ f dt in closed form (see `Chirp`): periods k = ⌊t/T⌋, τ = t − kT."""

    def __init__(self, rate_hz, e: Chirp, rng):
        super().__init__(rate_hz)
        self.e = e
        self.phase0 = rng.random()

    def __call__(self, i0, n):
        e = self.e
        t = self.t(i0, n)
        T, B = e.period_s, e.bandwidth_hz
        f_lo = e.offset_hz - B / 2
        k = np.floor(t / T + BOUNDARY_EPS)
        tau = np.maximum(t - k * T, 0.0)
        if e.shape == "sawtooth":
            # ∫0^τ (f_lo + B s/T) ds over the current period, plus B·T/2 for every whole one
            sweep = B * tau * tau / (2 * T)
        else:
            half = T / 2
            up = tau < half
            sweep = np.where(up, B * tau * tau / T, B * (T / 4 + 2 * (tau - half) - (tau * tau - half * half) / T))
        # k·(B T/2) can reach 1e8+ cycles; reduce it modulo one cycle exactly enough in float64
        whole = np.mod(k * (B * T / 2), 1.0)
        return cis(f_lo * t + whole + sweep + self.phase0)


class _Noise(_Source):
    """Complex white Gaussian noise through a low-pass FIR, normalised to unit power, shifted."""

    def __init__(self, rate_hz, offset_hz, bandwidth_hz, rng):
        super().__init__(rate_hz)
        self.offset = offset_hz
        self.rng = rng
        if bandwidth_hz >= rate_hz * 0.999:
            self.fir = None
            self.gain = 1.0
        else:
            taps = lowpass_taps(bandwidth_hz / 2, rate_hz)
            self.fir = StreamFIR(taps)
            self.gain = 1.0 / np.sqrt(np.sum(taps * taps))

    def white(self, n):
        return self.rng.standard_normal(2 * n).view(np.complex128) * np.sqrt(0.5)

    def __call__(self, i0, n):
        x = self.white(n)
        if self.fir is not None:
            x = self.fir(x) * self.gain
        if self.offset:
            x *= cis(self.offset * self.t(i0, n))
        return x


class _Pulsed(_Source):
    """base(t) · gate(t); gate = 1 while (t mod 1/PRF) < duty/PRF."""

    def __init__(self, rate_hz, e: Pulsed, base: _Source):
        super().__init__(rate_hz)
        self.e = e
        self.base = base

    def __call__(self, i0, n):
        t = self.t(i0, n)
        cycles = t * self.e.prf_hz + BOUNDARY_EPS  # pulse periods since switch-on
        gate = (cycles - np.floor(cycles)) < self.e.duty
        return self.base(i0, n) * gate


class _Hopping(_Source):
    """Channel sequence precomputed for the emission's whole length; fresh phase every hop."""

    def __init__(self, rate_hz, e: Hopping, rng, n_total: int):
        super().__init__(rate_hz)
        self.e = e
        n_hops = int(np.ceil(n_total / rate_hz / e.dwell_s)) + 1
        nch = len(e.channels_hz)
        seq = np.empty(n_hops, dtype=np.int64)
        seq[0] = rng.integers(nch)
        steps = rng.integers(1, nch, size=n_hops)  # never the same channel twice in a row
        for k in range(1, n_hops):
            seq[k] = (seq[k - 1] + steps[k]) % nch
        self.freqs = np.asarray(e.channels_hz, dtype=np.float64)[seq]
        self.phase0 = rng.random(n_hops)
        self.noise = _Noise(rate_hz, 0.0, e.bandwidth_hz, rng) if e.bandwidth_hz > 0 else None

    def __call__(self, i0, n):
        t = self.t(i0, n)
        hop = np.floor(t / self.e.dwell_s + BOUNDARY_EPS).astype(np.int64)
        carrier = cis(self.freqs[hop] * t + self.phase0[hop])
        if self.noise is not None:
            carrier *= self.noise(i0, n)
        return carrier


def make_source(e: Emitter, *, rate_hz: float, rng: np.random.Generator, n_total: int) -> _Source:
    """The unit-power waveform of emitter `e`, `n_total` samples long at most."""
    if isinstance(e, CW):
        return _Tones(rate_hz, [e.offset_hz], rng)
    if isinstance(e, Multitone):
        return _Tones(rate_hz, e.offsets_hz, rng)
    if isinstance(e, Chirp):
        return _Chirp(rate_hz, e, rng)
    if isinstance(e, Noise):
        return _Noise(rate_hz, e.offset_hz, e.bandwidth_hz, rng)
    if isinstance(e, Hopping):
        return _Hopping(rate_hz, e, rng, n_total)
    if isinstance(e, Pulsed):
        return _Pulsed(rate_hz, e, make_source(e.base, rate_hz=rate_hz, rng=rng, n_total=n_total))
    raise TypeError(f"no waveform for {type(e).__name__}")
