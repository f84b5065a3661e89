"""Independent scenario generator: labelled SigMF recordings (complex baseband, full scale 1.0) of
jammers, ordinary traffic and receiver impairments, for scoring `rfkit detect` with `rfkit score`.

Written apart from `rfkit.synth` (it imports nothing of it) so that a detector tuned on
rfkit.synth's recordings can be tried on recordings made differently: other sample rates
(1.0, 1.8, 2.048, 2.56, 3.2 MS/s), storage (cu8 with RTL-SDR-like 8-bit quantisation, cs16,
cf32), a receiver with a band-edge roll-off, DC spike, IQ imbalance and LO offset, jammers
switched with ramps (not hard keyed), and ordinary traffic that looks like jamming (LoRa-like
chirps, a periodic GFSK beacon).

    python benchmarks/altgen.py OUT_DIR --count 100 --seed 5
    rfkit score OUT_DIR --details

Power accounting (mean |x|^2, full scale 1):

    N = P_w * sum(h^2) * (|mu|^2 + |nu|^2) + Q
        thermal noise in the whole sampled band as recorded: white noise of power P_w through
        the roll-off filter h and the IQ imbalance y = mu x + nu x*, plus the quantisation noise
        Q of the stored integers (2 * LSB^2 / 12; cu8 LSB = 1/127.5, cs16 LSB = 1/32768).
    J = A^2 * g * |mu|^2
        an emission's power in the recording while it is on: a unit-power waveform times A,
        through the filter (power gain g, measured on the waveform itself) and the wanted IQ
        term (the image, |nu|^2 ~ -35 dB, is not counted).
    jn_db = 10 log10(J / N),  power_dbfs = 10 log10(J)

Pulsed jammers: J/N is the power while a pulse is on (its flat top), not averaged over the
duty cycle; ordinary packets likewise. Truth times are the half-amplitude points of the ramps.
Truth frequencies are absolute (centre + offset + the receiver's LO offset): where the
emission is in the recording.

Labels: jamming=true for the jammers; every ordinary packet is `burst`, jamming=false (OOK/FSK
sensor packets, LoRa-like packets, GFSK beacon packets, each packet its own truth event).
Continuous legitimate carriers (broadcast FM, an unmodulated beacon) are left out: DESIGN.md
has no label for a continuous, non-jamming emission, and an unmodulated one cannot be told from
a CW jammer, so their right label is not settled.
"""

from __future__ import annotations

import math
import sys
import zlib
from pathlib import Path

import numpy as np
from scipy import fft as sfft
from scipy import signal

__all__ = [
    "CENTERS_HZ",
    "DTYPES",
    "JN_LEVELS_DB",
    "RATES_HZ",
    "VARIANTS",
    "band_noise",
    "chirp",
    "chirp_frequency",
    "default_receiver",
    "gate_envelope",
    "hopping",
    "jammer_spec",
    "main",
    "multitone",
    "noise_power",
    "plan_set",
    "pulse_envelope",
    "recording_spec",
    "render",
    "rolloff_taps",
    "tone",
    "traffic_spec",
    "truth_events",
    "write_recording",
]

RATES_HZ = (1.0e6, 1.8e6, 2.048e6, 2.56e6, 3.2e6)
CENTERS_HZ = (433.92e6, 868e6, 1575.42e6, 915e6)
DTYPES = ("cu8", "cs16", "cf32")
DTYPE_WEIGHTS = (0.5, 0.25, 0.25)
JN_LEVELS_DB = (-10.0, -5.0, 0.0, 10.0)
DURATION_RANGE_S = (1.0, 4.0)
#: Emissions stay within +-EDGE * rate (the roll-off begins inside this: edges are attenuated).
EDGE = 0.45
#: Narrow emissions keep this far from 0 Hz (the DC spike), Hz.
DC_KEEP_OUT_HZ = 20e3
#: One LSB of the stored integers, full scale 1.0.
LSB = {"cu8": 1 / 127.5, "cs16": 1 / 32768, "cf32": 0.0}
#: Fractions of a set: noise-only and traffic-only recordings (false alarms are counted there).
NOISE_ONLY_FRACTION = 0.16
TRAFFIC_ONLY_FRACTION = 0.2
#: Shortest on-time of a jammer, s (a jammer is sustained).
MIN_ON_S = 0.45

VARIANTS = (
    "cw",
    "multitone",
    "chirp-saw-slow",
    "chirp-saw-fast",
    "chirp-tri-slow",
    "chirp-tri-fast",
    "noise-narrow",
    "noise-partial",
    "noise-whole",
    "pulsed-cw",
    "pulsed-multitone",
    "pulsed-chirp",
    "pulsed-noise",
    "hopping",
)


# -- receiver -------------------------------------------------------------------------------------


def rolloff_taps(rate_hz: float, *, start_fraction: float, edge_db: float, numtaps: int = 65) -> np.ndarray:
    """Real linear-phase FIR taps [numtaps] of a mild band-edge roll-off.

    Flat (0 dB) for |f| < start_fraction * rate, then attenuation rising as a raised cosine (in
    dB) to `edge_db` at |f| = rate / 2, like the decimation filter of a receiver.
    """
    f = np.linspace(0.0, 0.5, 257)
    u = np.clip((f - start_fraction) / (0.5 - start_fraction), 0.0, 1.0)
    att_db = edge_db * 0.5 * (1 - np.cos(np.pi * u))
    return signal.firwin2(numtaps, f * 2, 10 ** (-att_db / 20))


def iq_coefficients(gain_db: float, phase_deg: float) -> tuple[complex, complex]:
    """(mu, nu) of y = mu x + nu x* for a Q branch with gain error g and skew phi.

    I' = I, Q' = g (sin(phi) I + cos(phi) Q)  =>  mu = (1 + g e^{j phi}) / 2, nu = (1 - g e^{-j phi}) / 2.
    """
    g = 10 ** (gain_db / 20)
    phi = math.radians(phase_deg)
    return (1 + g * complex(math.cos(phi), math.sin(phi))) / 2, (1 - g * complex(math.cos(phi), -math.sin(phi))) / 2


def noise_power(rx: dict, rate_hz: float, dtype: str) -> float:
    """N: thermal noise power in the whole sampled band as recorded (see the module docstring)."""
    h = rolloff_taps(rate_hz, start_fraction=rx["rolloff_start"], edge_db=rx["rolloff_db"])
    mu, nu = iq_coefficients(rx["iq_gain_db"], rx["iq_phase_deg"])
    p_w = 10 ** (rx["noise_dbfs"] / 10)
    return p_w * float(np.sum(h ** 2)) * (abs(mu) ** 2 + abs(nu) ** 2) + 2 * LSB[dtype] ** 2 / 12


# -- envelopes ------------------------------------------------------------------------------------


def _ramp(x: np.ndarray, width: float) -> np.ndarray:
    """0 -> 1 raised-cosine step centred at x = 0, `width` wide (a hard step where width <= 0)."""
    if width <= 0:
        return (x >= 0).astype(float)
    u = np.clip(x / width + 0.5, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * u)


def gate_envelope(t: np.ndarray, intervals, *, ramp_s: float, duration_s: float) -> np.ndarray:
    """On/off amplitude envelope over times t (s): 1 inside each (start, end) interval.

    The edges are raised-cosine ramps `ramp_s` long centred on start and end (half amplitude
    there); an interval starting at 0 or ending at `duration_s` has no ramp at that side.
    """
    env = np.zeros(t.shape)
    for s, e in intervals:
        up = np.ones(t.shape) if s <= 0 else _ramp(t - s, ramp_s)
        down = np.ones(t.shape) if e >= duration_s else _ramp(e - t, ramp_s)
        env = np.maximum(env, up * down)
    return env


def pulse_envelope(t: np.ndarray, *, prf_hz: float, duty: float, rise_s: float, t0_s: float) -> np.ndarray:
    """Periodic pulse train amplitude over times t (s): pulses `duty / prf_hz` long (between
    half-amplitude points), the first beginning at t0_s, with raised-cosine edges `rise_s` long."""
    period = 1.0 / prf_hz
    width = duty * period
    u = np.mod(t - t0_s + rise_s / 2, period) - rise_s / 2  # time since the pulse's half-amplitude start
    return _ramp(u, rise_s) * _ramp(width - u, rise_s)


# -- jammer waveforms (unit mean power) --------------------------------------------------------------


def _cis_cycles(cycles: np.ndarray) -> np.ndarray:
    """exp(j 2 pi cycles), reducing the cycles mod 1 first (phase precision over long signals)."""
    frac = cycles - np.floor(cycles)
    return np.exp(2j * np.pi * frac)


def _unit(x: np.ndarray) -> np.ndarray:
    p = float(np.mean(np.abs(x) ** 2))
    return x / math.sqrt(p) if p > 0 else x


def tone(n: int, rate_hz: float, freq_hz: float, *, rng: np.random.Generator, linewidth_hz: float = 0.0,
         drift_hz: float = 0.0, drift_period_s: float = 2.0) -> np.ndarray:
    """A carrier [n] at freq_hz with Wiener phase noise (Lorentzian linewidth_hz) and a slow
    sinusoidal frequency wander of +-drift_hz over drift_period_s; unit power."""
    t = np.arange(n) / rate_hz
    f = freq_hz + drift_hz * np.sin(2 * np.pi * t / drift_period_s + rng.uniform(0, 2 * np.pi))
    cycles = np.cumsum(f) / rate_hz + rng.uniform()
    if linewidth_hz > 0:
        cycles += np.cumsum(rng.normal(0.0, math.sqrt(2 * np.pi * linewidth_hz / rate_hz), n)) / (2 * np.pi)
    return _cis_cycles(cycles)


def multitone(n: int, rate_hz: float, freqs_hz, *, rng: np.random.Generator, powers_db=None,
              linewidth_hz: float = 1.0) -> np.ndarray:
    """Sum of carriers [n] at freqs_hz with random phases and relative powers powers_db; unit power."""
    freqs = np.asarray(freqs_hz, dtype=float)
    p = np.zeros(freqs.size) if powers_db is None else np.asarray(powers_db, dtype=float)
    x = np.zeros(n, dtype=complex)
    for f, pd in zip(freqs, p):
        x += 10 ** (pd / 20) * tone(n, rate_hz, f, rng=rng, linewidth_hz=linewidth_hz)
    return _unit(x)


def chirp_frequency(t: np.ndarray, *, f_lo_hz: float, bandwidth_hz: float, period_s: float, shape: str,
                    nonlinearity: float = 0.0, t0_s: float = 0.0) -> np.ndarray:
    """Instantaneous frequency (Hz) of a repeating sweep at times t (s).

    With u the position in the period (0..1) and the ramp r(v) = v + a v (1 - v) (a = nonlinearity,
    r(0) = 0, r(1) = 1, mean slope 1): sawtooth f = f_lo + B r(u); triangle f = f_lo + B r(2u)
    rising for u < 1/2, f_lo + B r(2 - 2u) falling. Mean |df/dt| = B/T (sawtooth), 2B/T (triangle).
    """
    u = np.mod((t - t0_s) / period_s, 1.0)
    if shape == "triangle":
        u = np.where(u < 0.5, 2 * u, 2 - 2 * u)
    elif shape != "sawtooth":
        raise ValueError(f"{shape=} must be 'sawtooth' or 'triangle'")
    return f_lo_hz + bandwidth_hz * (u + nonlinearity * u * (1 - u))


def chirp(n: int, rate_hz: float, *, f_lo_hz: float, bandwidth_hz: float, period_s: float, shape: str,
          nonlinearity: float = 0.0, t0_s: float = 0.0, rng: np.random.Generator) -> np.ndarray:
    """A repeating sweep [n] made by accumulating the phase of `chirp_frequency`; unit power."""
    t = np.arange(n) / rate_hz
    f = chirp_frequency(t, f_lo_hz=f_lo_hz, bandwidth_hz=bandwidth_hz, period_s=period_s, shape=shape,
                        nonlinearity=nonlinearity, t0_s=t0_s)
    return _cis_cycles(np.cumsum(f) / rate_hz + rng.uniform())


def band_noise(n: int, rate_hz: float, *, center_hz: float, bandwidth_hz: float,
               rng: np.random.Generator) -> np.ndarray:
    """Gaussian noise [n] with a flat band `bandwidth_hz` wide (half-power points) around center_hz.

    Shaped in the frequency domain: the power spectrum is 1 in the band with raised-cosine edges
    (10 % of the width each, half power at +-B/2); bandwidth >= rate gives white noise. Unit power.
    """
    w = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) / math.sqrt(2)
    if bandwidth_hz >= rate_hz:
        return _unit(w)
    f = sfft.fftfreq(n, 1 / rate_hz)
    d = np.abs(((f - center_hz + rate_hz / 2) % rate_hz) - rate_hz / 2)  # distance from the centre, wrapped
    tw = 0.1 * bandwidth_hz
    psd = _ramp(bandwidth_hz / 2 - d, tw)
    return _unit(sfft.ifft(sfft.fft(w) * np.sqrt(psd)))


def hopping(n: int, rate_hz: float, *, channels_hz, dwell_s: float, order: str, fm_dev_hz: float = 0.0,
            fm_rate_hz: float = 1e3, rng: np.random.Generator) -> np.ndarray:
    """A carrier [n] jumping among channels_hz every dwell_s, phase-continuous (a PLL synthesiser).

    order 'random' never stays on a channel two dwells running; 'sequential' steps through the
    channels in ascending order and wraps. fm_dev_hz > 0 frequency-modulates the carrier with a
    tone of fm_rate_hz (a narrow FM carrier). Unit power.
    """
    ch = np.asarray(channels_hz, dtype=float)
    t = np.arange(n) / rate_hz
    k = np.floor(t / dwell_s).astype(np.int64)
    hops = int(k[-1]) + 1 if n else 0
    if order == "sequential":
        seq = (int(rng.integers(ch.size)) + np.arange(hops)) % ch.size
    else:
        seq = np.empty(hops, dtype=np.int64)
        prev = -1
        for i in range(hops):
            c = int(rng.integers(ch.size - 1)) if prev >= 0 else int(rng.integers(ch.size))
            if prev >= 0 and c >= prev:
                c += 1
            seq[i] = prev = c
    f = ch[seq[k]]
    if fm_dev_hz > 0:
        f = f + fm_dev_hz * np.sin(2 * np.pi * fm_rate_hz * t + rng.uniform(0, 2 * np.pi))
    return _cis_cycles(np.cumsum(f) / rate_hz + rng.uniform())


# -- ordinary traffic (unit power while keyed on) -------------------------------------------------


def _bits(data: bytes) -> np.ndarray:
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8))


def _crc8(data: bytes, poly: int = 0x31) -> int:
    c = 0
    for b in data:
        c ^= b
        for _ in range(8):
            c = ((c << 1) ^ poly) & 0xFF if c & 0x80 else (c << 1) & 0xFF
    return c


def _sensor_payload(rng) -> bytes:
    """A weather-sensor message: id, channel/battery, temperature (0.1 C), humidity, CRC-8."""
    dev_id = int(rng.integers(256))
    flags = int(rng.integers(16))
    temp = round(rng.uniform(-10, 35) * 10) & 0xFFF
    hum = int(rng.integers(20, 95))
    body = bytes([dev_id, (flags << 4) | (temp >> 8), temp & 0xFF, hum])
    return body + bytes([_crc8(body)])


def _smooth_keying(on: np.ndarray, rate_hz: float, edge_s: float) -> np.ndarray:
    """Boolean keying -> amplitude with edges about edge_s long (a Hann smoothing)."""
    m = max(1, round(edge_s * rate_hz))
    if m < 2:
        return on.astype(float)
    w = np.hanning(m + 2)[1:-1]
    return np.convolve(on.astype(float), w / w.sum(), mode="same")


def ook_packet(rate_hz: float, *, freq_hz: float, coding: str, symbol_s: float, rng) -> tuple[np.ndarray, float]:
    """An OOK sensor packet (pulse-width or Manchester coded payload + CRC) and its shortest pulse (s).

    PWM: each bit is one symbol_s period starting with the carrier on for 1/3 (a 1) or 2/3 (a 0)
    of it; a sync pulse of 4 symbols leads. Manchester: each bit is on-off (1) or off-on (0),
    symbol_s a bit, after 8 preamble bits of 1. The carrier drifts a few kHz as the oscillator settles.
    """
    bits = _bits(_sensor_payload(rng))
    spb = symbol_s * rate_hz
    if coding == "pwm":
        n = round((4 + 1 + bits.size) * spb)
        on = np.zeros(n, dtype=bool)
        on[: round(4 * spb)] = True  # sync pulse, then a one-symbol gap
        for i, b in enumerate(bits):
            s = round((5 + i) * spb)
            on[s: s + round(spb * (1 / 3 if b else 2 / 3))] = True
        shortest = symbol_s / 3
    else:
        allbits = np.concatenate([np.ones(8, dtype=np.uint8), bits])
        halves = np.repeat(np.stack([allbits, 1 - allbits], axis=1).ravel(), 1)
        idx = np.floor(np.arange(round(allbits.size * spb)) / (spb / 2)).astype(np.int64)
        on = halves[np.minimum(idx, halves.size - 1)].astype(bool)
        shortest = symbol_s / 2
    n = on.size
    t = np.arange(n) / rate_hz
    settle = rng.uniform(-5e3, 5e3) * np.exp(-t / rng.uniform(2e-3, 10e-3))
    carrier = _cis_cycles(np.cumsum(freq_hz + settle) / rate_hz + rng.uniform())
    return carrier * _smooth_keying(on, rate_hz, rng.uniform(5e-6, 20e-6)), shortest


def fsk_packet(rate_hz: float, *, freq_hz: float, bitrate: float, deviation_hz: float, rng) -> np.ndarray:
    """A 2-FSK sensor packet: preamble 0xAAAA, sync 0x2DD4, payload + CRC-8, NRZ, phase-continuous."""
    bits = _bits(b"\xaa\xaa\x2d\xd4" + _sensor_payload(rng))
    n = round(bits.size * rate_hz / bitrate)
    k = np.minimum((np.arange(n) * bitrate / rate_hz).astype(np.int64), bits.size - 1)
    f = freq_hz + deviation_hz * (2.0 * bits[k] - 1)
    x = _cis_cycles(np.cumsum(f) / rate_hz + rng.uniform())
    return x * _smooth_keying(np.ones(n, dtype=bool), rate_hz, 20e-6)


def gfsk_packet(rate_hz: float, *, freq_hz: float, bitrate: float, deviation_hz: float, n_bytes: int,
                rng) -> np.ndarray:
    """A GFSK beacon packet (BT 0.5): preamble 0xAA, 4-byte address, payload, CRC-32; NRZ bits
    through a Gaussian frequency filter, phase-continuous."""
    payload = rng.integers(0, 256, n_bytes, dtype=np.uint8).tobytes()
    body = b"\x8e\x89\xbe\xd6" + payload
    bits = _bits(b"\xaa" + body + zlib.crc32(body).to_bytes(4, "little"))
    spb = rate_hz / bitrate
    n = round(bits.size * spb)
    k = np.minimum((np.arange(n) / spb).astype(np.int64), bits.size - 1)
    nrz = 2.0 * bits[k] - 1
    sigma = math.sqrt(math.log(2)) / (2 * math.pi * 0.5) * spb  # Gaussian filter, BT = 0.5, in samples
    g = np.exp(-0.5 * (np.arange(-int(3 * sigma) - 1, int(3 * sigma) + 2) / sigma) ** 2)
    f = freq_hz + deviation_hz * np.convolve(nrz, g / g.sum(), mode="same")
    x = _cis_cycles(np.cumsum(f) / rate_hz + rng.uniform())
    return x * _smooth_keying(np.ones(n, dtype=bool), rate_hz, 2 / bitrate)


def lora_packet(rate_hz: float, *, freq_hz: float, bandwidth_hz: float, sf: int, n_payload: int,
                rng) -> np.ndarray:
    """A LoRa-like chirp-spread-spectrum packet: 8 up-chirps, 2 sync symbols, 2.25 down-chirps,
    n_payload data symbols (up-chirps cyclically shifted by random values 0..2^sf-1)."""
    m = 1 << sf
    ts = m / bandwidth_hz
    syms = [("up", 0)] * 8 + [("up", 24), ("up", 32)] + [("down", 0)] * 2 + [("down25", 0)]
    syms += [("up", int(v)) for v in rng.integers(0, m, n_payload)]
    parts = []
    for kind, v in syms:
        length = ts / 4 if kind == "down25" else ts
        tau = np.arange(round(length * rate_hz)) / rate_hz
        if kind == "up":
            f = -bandwidth_hz / 2 + bandwidth_hz * np.mod(tau / ts + v / m, 1.0)
        else:
            f = bandwidth_hz / 2 - bandwidth_hz * (tau / ts)
        parts.append(f)
    f = freq_hz + np.concatenate(parts)
    x = _cis_cycles(np.cumsum(f) / rate_hz + rng.uniform())
    return x * _smooth_keying(np.ones(f.size, dtype=bool), rate_hz, 50e-6)


# -- planning -------------------------------------------------------------------------------------


def _loguniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _centre_for(rng, rate, half_width, *, narrow: bool, avoid=()):
    """A centre offset (Hz) for an emission half_width wide inside +-EDGE*rate, away from DC when
    narrow and away from the bands in `avoid` where possible."""
    lim = EDGE * rate - half_width
    if lim <= 0:
        return 0.0
    best = float(rng.uniform(-lim, lim))
    for _ in range(50):
        f = float(rng.uniform(-lim, lim))
        if narrow and abs(f) < DC_KEEP_OUT_HZ + half_width:
            continue
        if any(lo - 30e3 < f + half_width and f - half_width < hi + 30e3 for lo, hi in avoid):
            best = f
            continue
        return f
    return best


def _tone_set(rng, rate, k):
    """k tone offsets: half the time an evenly spaced comb, else random, >= 15 kHz apart, off DC."""
    lim = EDGE * rate
    for _ in range(200):
        if rng.random() < 0.5:
            spacing = float(rng.uniform(15e3, 2 * lim / (k - 1)))
            lo = float(rng.uniform(-lim, lim - spacing * (k - 1)))
            f = lo + spacing * np.arange(k)
        else:
            f = np.sort(rng.uniform(-lim, lim, k))
        if np.all(np.diff(f) >= 15e3) and np.all(np.abs(f) >= DC_KEEP_OUT_HZ):
            return [float(v) for v in f]
    raise RuntimeError("no tone set found")


def _chirp_spec(rng, rate, *, shape, fast):
    bw = float(rng.uniform(0.1, 0.9)) * rate
    period = _loguniform(rng, 5e-6, 100e-6) if fast else _loguniform(rng, max(1e-3, 1100 / rate), 50e-3)
    fc = _centre_for(rng, rate, bw / 2, narrow=False)
    return {"kind": "chirp", "f_lo_hz": fc - bw / 2, "bandwidth_hz": bw, "period_s": period, "shape": shape,
            "nonlinearity": float(rng.choice([0.0, rng.uniform(-0.08, 0.08)]))}


def _base_spec(variant, rng, rate):
    """The waveform parameters of a (non-pulsed) variant, offsets in Hz from the centre."""
    if variant == "cw":
        return {"kind": "cw", "freq_hz": _centre_for(rng, rate, 0, narrow=True),
                "linewidth_hz": _loguniform(rng, 0.3, 5), "drift_hz": float(rng.uniform(0, 5))}
    if variant == "multitone":
        k = int(rng.integers(2, 7))
        return {"kind": "multitone", "tones_hz": _tone_set(rng, rate, k),
                "powers_db": [float(v) for v in (rng.uniform(-6, 0, k) if rng.random() < 0.5 else np.zeros(k))]}
    if variant.startswith("chirp"):
        return _chirp_spec(rng, rate, shape="triangle" if "-tri" in variant else "sawtooth",
                           fast=variant.endswith("fast"))
    if variant == "noise-narrow":
        bw = float(rng.uniform(5e3, 50e3))
        return {"kind": "noise", "center_hz": _centre_for(rng, rate, bw / 2, narrow=True), "bandwidth_hz": bw}
    if variant == "noise-partial":
        bw = float(rng.uniform(0.25, 0.85)) * rate
        return {"kind": "noise", "center_hz": _centre_for(rng, rate, bw / 2, narrow=False), "bandwidth_hz": bw}
    if variant == "noise-whole":
        return {"kind": "noise", "center_hz": 0.0, "bandwidth_hz": rate}
    if variant == "hopping":
        k = int(rng.integers(2, 17))
        for _ in range(200):  # gaps of >= 25 kHz plus a random share of the slack
            slack = 2 * EDGE * rate - 25e3 * (k - 1)
            parts = rng.dirichlet(np.ones(k + 1)) * slack * rng.uniform(0.3, 1.0)
            ch = -EDGE * rate + parts[0] + np.concatenate([[0.0], np.cumsum(25e3 + parts[1:k])])
            if np.all(np.abs(ch) >= DC_KEEP_OUT_HZ):
                break
        fm = rng.random() < 0.5
        return {"kind": "hopping", "channels_hz": [float(c) for c in ch], "dwell_s": _loguniform(rng, 1e-3, 50e-3),
                "order": str(rng.choice(["random", "sequential"])),
                "fm_dev_hz": float(rng.uniform(2e3, 8e3)) if fm else 0.0, "fm_rate_hz": float(rng.uniform(300, 3000))}
    raise ValueError(f"{variant=} is not one of {', '.join(VARIANTS)}")


def _jammer_spec(variant, rng, rate):
    if variant.startswith("pulsed-"):
        base_variant = {"pulsed-cw": "cw", "pulsed-multitone": "multitone", "pulsed-noise":
                        str(rng.choice(["noise-narrow", "noise-partial"])),
                        "pulsed-chirp": str(rng.choice(["chirp-saw-fast", "chirp-tri-fast"]))}[variant]
        prf = _loguniform(rng, 50, 5000)
        duty = float(rng.uniform(0.05, 0.7))
        width = duty / prf
        rise = float(min(max(2 / rate, rng.uniform(0.02, 0.1) * width), 20e-6))
        return {"kind": "pulsed", "base": _base_spec(base_variant, rng, rate), "prf_hz": prf, "duty": duty,
                "rise_s": rise}
    return _base_spec(variant, rng, rate)


def _on_intervals(rng, duration, variant):
    """When a jammer is on: one or two (start, end) intervals, each >= MIN_ON_S."""
    if variant == "noise-whole":  # a floor rise needs a quiet reference first
        s = float(rng.uniform(max(0.3, 0.25 * duration), max(0.31, 0.5 * duration)))
        e = float(rng.uniform(s + MIN_ON_S, duration)) if rng.random() < 0.4 and duration - s > MIN_ON_S + 0.1 \
            else duration
        return [(round(s, 4), round(min(e, duration), 4))]
    if duration >= 2.2 and rng.random() < 0.15:  # on, off, on again
        s1 = float(rng.uniform(0.05, 0.2) * duration)
        e1 = s1 + float(rng.uniform(MIN_ON_S, 0.35 * duration))
        s2 = e1 + float(rng.uniform(0.3, 0.5))
        e2 = duration if rng.random() < 0.5 else float(rng.uniform(min(s2 + MIN_ON_S, duration), duration))
        if duration - s2 >= MIN_ON_S:
            return [(round(s1, 4), round(e1, 4)), (round(s2, 4), round(max(e2, s2 + MIN_ON_S), 4))]
    s = 0.0 if rng.random() < 0.2 else float(rng.uniform(0.05, 0.45) * duration)
    s = min(s, duration - MIN_ON_S - 0.05)
    if rng.random() < 0.45:
        e = float(rng.uniform(s + MIN_ON_S, duration - 0.05))
    else:
        e = duration
    return [(round(max(s, 0.0), 4), round(e, 4))]


def _emission_band(spec):
    """(lo, hi) offsets (Hz) an emission occupies (tones: zero width)."""
    k = spec["kind"]
    if k == "pulsed":
        return _emission_band(spec["base"])
    if k == "cw":
        return spec["freq_hz"], spec["freq_hz"]
    if k == "multitone":
        return min(spec["tones_hz"]), max(spec["tones_hz"])
    if k == "chirp":
        return spec["f_lo_hz"], spec["f_lo_hz"] + spec["bandwidth_hz"]
    if k == "noise":
        return spec["center_hz"] - spec["bandwidth_hz"] / 2, spec["center_hz"] + spec["bandwidth_hz"] / 2
    if k == "hopping":
        w = 2 * (spec["fm_dev_hz"] + spec["fm_rate_hz"]) if spec["fm_dev_hz"] > 0 else 0.0
        return min(spec["channels_hz"]) - w / 2, max(spec["channels_hz"]) + w / 2
    if k == "burst":
        return spec["freq_hz"] - spec["half_width_hz"], spec["freq_hz"] + spec["half_width_hz"]
    raise ValueError(k)


def _traffic_specs(rng, rate, duration, avoid=()):
    """Ordinary devices of one recording: each a list of packet specs (start times in s)."""
    packets = []
    devices = rng.choice(["ook", "fsk", "lora", "beacon"], size=int(rng.integers(1, 4)), replace=True)
    for dev in devices:
        jn = float(rng.uniform(-3, 15))
        if dev == "beacon":
            br = float(rng.choice([50e3, 100e3]))
            dev_hz = float(rng.uniform(0.25, 0.5)) * br
            hw = dev_hz + br
            f0 = _centre_for(rng, rate, hw, narrow=True, avoid=avoid)
            t = float(rng.uniform(0, 0.1))
            n_bytes = int(rng.integers(8, 31))
            while t < duration - 0.01:
                packets.append({"kind": "burst", "modulation": "gfsk-beacon", "start_s": round(t, 6),
                                "freq_hz": f0, "half_width_hz": hw, "bitrate": br, "deviation_hz": dev_hz,
                                "n_bytes": n_bytes, "jn_db": jn})
                t += 0.1 + float(rng.uniform(0, 0.01))  # 100 ms interval plus a random delay
            continue
        if dev == "lora":
            combos = [(bw, sf) for bw in (125e3, 250e3, 500e3) for sf in range(7, 13)
                      if bw <= 0.5 * rate and 20.25 * (1 << sf) / bw <= 0.3]
            bw, sf = combos[int(rng.integers(len(combos)))]
            ts = (1 << sf) / bw
            target = float(rng.uniform(0.05, 0.3))
            n_pay = max(8, int((target - 12.25 * ts) / ts))
            dur = (12.25 + n_pay) * ts
            f0 = _centre_for(rng, rate, bw / 2, narrow=False, avoid=avoid)
            for _ in range(int(rng.integers(1, 4))):
                t = float(rng.uniform(0, max(0.0, duration - dur - 0.01)))
                packets.append({"kind": "burst", "modulation": "lora", "start_s": round(t, 6), "freq_hz": f0,
                                "half_width_hz": bw / 2, "bandwidth_hz": bw, "sf": sf, "n_payload": n_pay,
                                "jn_db": jn})
            continue
        # an rtl_433-style sensor: one message repeated 3..6 times with short gaps
        reps = int(rng.integers(3, 7))
        gap = float(rng.uniform(3e-3, 15e-3))
        if dev == "ook":
            coding = str(rng.choice(["pwm", "manchester"]))
            symbol = float(rng.uniform(0.4e-3, 1.2e-3)) if coding == "pwm" else 1 / float(rng.uniform(1e3, 5e3))
            shortest = symbol / 3 if coding == "pwm" else symbol / 2
            hw = 1 / shortest
            f0 = _centre_for(rng, rate, hw, narrow=True, avoid=avoid)
            spec = {"kind": "burst", "modulation": f"ook-{coding}", "freq_hz": f0, "half_width_hz": hw,
                    "coding": coding, "symbol_s": symbol, "jn_db": jn}
            length = ((45 if coding == "pwm" else 48) * symbol)
        else:
            br = float(rng.choice([4.8e3, 9.6e3, 17.24e3, 38.4e3]))
            dev_hz = float(rng.uniform(10e3, 40e3))
            hw = dev_hz + br
            f0 = _centre_for(rng, rate, hw, narrow=True, avoid=avoid)
            spec = {"kind": "burst", "modulation": "fsk", "freq_hz": f0, "half_width_hz": hw, "bitrate": br,
                    "deviation_hz": dev_hz, "jn_db": jn}
            length = 72 / br
        t = float(rng.uniform(0, max(0.0, duration - reps * (length + gap) - 0.01)))
        seed = int(rng.integers(2**31))
        for _ in range(reps):  # the same message each time
            packets.append(dict(spec, start_s=round(t, 6), payload_seed=seed))
            t += length + gap
    return packets


def _receiver_spec(rng, dtype, rate, center):
    eight = dtype == "cu8"
    if eight:  # 8-bit: noise 2.5..6 LSB rms a component at a sensible gain
        sigma_lsb = float(rng.uniform(2.5, 6.0))
        noise_dbfs = 10 * math.log10(2 * (sigma_lsb * LSB["cu8"]) ** 2)
    else:
        noise_dbfs = float(rng.uniform(-55, -30) if dtype == "cs16" else rng.uniform(-70, -25))
    ppm = float(rng.uniform(-2.5, 2.5) if eight else rng.uniform(-0.5, 0.5))
    return {
        "noise_dbfs": noise_dbfs,
        "rolloff_start": float(rng.uniform(0.35, 0.42)),
        "rolloff_db": float(rng.uniform(1.0, 4.0)),
        "dc_db": float(rng.uniform(-20, -8)) if eight else (float(rng.uniform(-30, -20)) if rng.random() < 0.5
                                                          else None),
        "iq_gain_db": float(rng.uniform(-0.5, 0.5) if eight else rng.uniform(-0.15, 0.15)),
        "iq_phase_deg": float(rng.uniform(-3, 3) if eight else rng.uniform(-1, 1)),
        "freq_offset_hz": ppm * 1e-6 * center,
        "gain_db": float(rng.choice([28.0, 32.8, 36.4, 38.6, 40.2])) if eight else None,
    }


def default_receiver(dtype: str = "cf32", *, center_hz: float = 868e6) -> dict:
    """A typical impaired receiver spec (roll-off, DC spike, IQ imbalance, LO offset) for `dtype`."""
    return {"noise_dbfs": -27.0 if dtype == "cu8" else -40.0, "rolloff_start": 0.38, "rolloff_db": 2.5,
            "dc_db": -12.0, "iq_gain_db": 0.3, "iq_phase_deg": 2.0, "freq_offset_hz": 1.5e-6 * center_hz,
            "gain_db": 36.4 if dtype == "cu8" else None}


def jammer_spec(variant: str, *, rate_hz: float, jn_db: float, on, ramp_s: float = 1e-3, seed: int = 0,
                **overrides) -> dict:
    """A jammer spec of `variant` (random waveform parameters from `seed`, any replaced by
    `overrides`), on during the (start_s, end_s) intervals `on`."""
    spec = _jammer_spec(variant, np.random.default_rng(seed), rate_hz)
    spec.update(overrides)
    spec.update(variant=variant, jn_db=float(jn_db), on=[(float(s), float(e)) for s, e in on], ramp_s=float(ramp_s))
    return spec


def recording_spec(*, rate_hz: float, duration_s: float, dtype: str = "cf32", center_hz: float = 868e6,
                   jammers=(), traffic=(), receiver: dict | None = None, seed: int = 0,
                   name: str = "altgen") -> dict:
    """A recording spec by hand (what `plan_set` draws at random); render it with `render`."""
    return {"index": 0, "rate_hz": float(rate_hz), "dtype": dtype, "center_hz": float(center_hz),
            "duration_s": float(duration_s), "seed": int(seed),
            "receiver": receiver if receiver is not None else default_receiver(dtype, center_hz=center_hz),
            "jammers": list(jammers), "traffic": list(traffic),
            "category": jammers[0]["variant"] if jammers else "traffic" if traffic else "noise-only", "name": name}


def traffic_spec(rng: np.random.Generator, *, rate_hz: float, duration_s: float) -> list[dict]:
    """Packet specs of a few random ordinary devices (OOK/FSK sensors, LoRa-like, GFSK beacon)."""
    return _traffic_specs(rng, rate_hz, duration_s)


def plan_set(count: int, *, seed: int) -> list[dict]:
    """The specs of `count` recordings (deterministic for a seed): every variant round-robin over
    J/N levels, plus noise-only and traffic-only recordings; each spec renders with `render`."""
    if count < 1:
        raise ValueError(f"{count=} must be at least 1")
    rng = np.random.default_rng([seed, 4242])
    n_noise = round(count * NOISE_ONLY_FRACTION) if count >= 5 else 0
    n_traffic = round(count * TRAFFIC_ONLY_FRACTION) if count >= 5 else 0
    n_jam = count - n_noise - n_traffic
    cells = [(v, lv) for lv in JN_LEVELS_DB for v in VARIANTS]
    order = list(rng.permutation(len(cells)))
    jam_cells = [cells[order[i % len(cells)]] for i in range(n_jam)]
    cats = [("jam", c) for c in jam_cells] + [("noise-only", None)] * n_noise + [("traffic", None)] * n_traffic
    cats = [cats[i] for i in rng.permutation(len(cats))]
    specs = []
    for i, (cat, cell) in enumerate(cats):
        rate = float(rng.choice(RATES_HZ))
        dtype = str(rng.choice(DTYPES, p=DTYPE_WEIGHTS))
        center = float(rng.choice(CENTERS_HZ))
        duration = round(float(rng.uniform(*DURATION_RANGE_S)), 3)
        spec = {"index": i, "rate_hz": rate, "dtype": dtype, "center_hz": center, "duration_s": duration,
                "seed": int(seed) * 10_000 + i, "receiver": _receiver_spec(rng, dtype, rate, center),
                "jammers": [], "traffic": []}
        if cat == "jam":
            variant, jn = cell
            jam = _jammer_spec(variant, rng, rate)
            jam.update(variant=variant, jn_db=jn, on=_on_intervals(rng, duration, variant),
                       ramp_s=float(_loguniform(rng, 0.2e-3, 5e-3)))
            spec["jammers"].append(jam)
            if rng.random() < 0.4:
                spec["traffic"] = _traffic_specs(rng, rate, duration, avoid=[_emission_band(jam)])
            spec["category"] = variant
            name = f"alt{i:03d}_{variant}_jn{int(jn):+d}"
        else:
            if cat == "traffic":
                spec["traffic"] = _traffic_specs(rng, rate, duration)
            spec["category"] = cat
            name = f"alt{i:03d}_{cat}"
        spec["name"] = f"{name}_{center / 1e6:g}M_{rate / 1e3:g}k_{dtype}"
        specs.append(spec)
    return specs


# -- rendering ------------------------------------------------------------------------------------


def _waveform(spec, n, rate, rng):
    """The unit-power continuous waveform [n] of a jammer spec (before on/off gating)."""
    k = spec["kind"]
    if k == "cw":
        return tone(n, rate, spec["freq_hz"], rng=rng, linewidth_hz=spec["linewidth_hz"], drift_hz=spec["drift_hz"])
    if k == "multitone":
        return multitone(n, rate, spec["tones_hz"], powers_db=spec["powers_db"], rng=rng)
    if k == "chirp":
        return chirp(n, rate, f_lo_hz=spec["f_lo_hz"], bandwidth_hz=spec["bandwidth_hz"], period_s=spec["period_s"],
                     shape=spec["shape"], nonlinearity=spec["nonlinearity"], t0_s=0.0, rng=rng)
    if k == "noise":
        return band_noise(n, rate, center_hz=spec["center_hz"], bandwidth_hz=spec["bandwidth_hz"], rng=rng)
    if k == "hopping":
        return _unit(hopping(n, rate, channels_hz=spec["channels_hz"], dwell_s=spec["dwell_s"], order=spec["order"],
                             fm_dev_hz=spec["fm_dev_hz"], fm_rate_hz=spec["fm_rate_hz"], rng=rng))
    if k == "pulsed":
        return _waveform(spec["base"], n, rate, rng)
    raise ValueError(k)


def _packet(spec, rate, rng):
    m = spec["modulation"]
    if m.startswith("ook"):
        prng = np.random.default_rng(spec["payload_seed"])
        x, _ = ook_packet(rate, freq_hz=spec["freq_hz"], coding=spec["coding"], symbol_s=spec["symbol_s"], rng=prng)
        return x
    if m == "fsk":
        prng = np.random.default_rng(spec["payload_seed"])
        return fsk_packet(rate, freq_hz=spec["freq_hz"], bitrate=spec["bitrate"], deviation_hz=spec["deviation_hz"],
                          rng=prng)
    if m == "gfsk-beacon":
        return gfsk_packet(rate, freq_hz=spec["freq_hz"], bitrate=spec["bitrate"], deviation_hz=spec["deviation_hz"],
                           n_bytes=spec["n_bytes"], rng=rng)
    if m == "lora":
        return lora_packet(rate, freq_hz=spec["freq_hz"], bandwidth_hz=spec["bandwidth_hz"], sf=spec["sf"],
                           n_payload=spec["n_payload"], rng=rng)
    raise ValueError(m)


def _filter_gain(x: np.ndarray, h: np.ndarray) -> float:
    """Mean power gain of filtering x by h (x's own spectrum weighs |H(f)|^2)."""
    y = signal.oaconvolve(x, h, mode="same")
    return float(np.mean(np.abs(y) ** 2) / np.mean(np.abs(x) ** 2))


def render(spec: dict) -> tuple[np.ndarray, list[dict]]:
    """(samples complex64 [n] full scale 1.0, truth dicts) of a recording spec (see `plan_set`).

    Each truth dict holds the DESIGN.md event fields (start_s, end_s, freq_lo_hz, freq_hi_hz as
    absolute frequencies, kind, jamming, power_dbfs, jn_db, confidence, params).
    """
    rate, dur, dtype = spec["rate_hz"], spec["duration_s"], spec["dtype"]
    rx = spec["receiver"]
    n = round(dur * rate)
    rng = np.random.default_rng(spec["seed"])
    h = rolloff_taps(rate, start_fraction=rx["rolloff_start"], edge_db=rx["rolloff_db"])
    mu, nu = iq_coefficients(rx["iq_gain_db"], rx["iq_phase_deg"])
    big_n = noise_power(rx, rate, dtype)
    foff = rx["freq_offset_hz"]
    p_w = 10 ** (rx["noise_dbfs"] / 10)
    x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * math.sqrt(p_w / 2)
    truth = []

    def add(seg, i0, jn_db, *, gain_ref):
        """Scale a unit waveform so that its plateau power in the recording is J = N 10^(jn/10); add it."""
        nonlocal x
        g = _filter_gain(gain_ref, h)
        j = big_n * 10 ** (jn_db / 10)
        amp = math.sqrt(j / (g * abs(mu) ** 2))
        m = seg.size
        tt = (i0 + np.arange(m)) / rate
        x[i0:i0 + m] += amp * seg * np.exp(2j * np.pi * foff * tt)
        return 10 * math.log10(j)

    for jam in spec["jammers"]:
        on = jam["on"]
        i0 = max(0, math.floor((on[0][0] - jam["ramp_s"]) * rate))
        i1 = min(n, math.ceil((on[-1][1] + jam["ramp_s"]) * rate))
        wave = _waveform(jam, i1 - i0, rate, rng)
        t = (i0 + np.arange(i1 - i0)) / rate
        env = gate_envelope(t, on, ramp_s=jam["ramp_s"], duration_s=dur)
        if jam["kind"] == "pulsed":
            pe = np.zeros(t.shape)
            for s, e in on:
                inside = (t >= s - jam["rise_s"]) & (t <= e + jam["rise_s"])
                pe[inside] = np.maximum(pe[inside], pulse_envelope(t[inside], prf_hz=jam["prf_hz"], duty=jam["duty"],
                                                                   rise_s=jam["rise_s"], t0_s=s))
            env = env * pe
        pdbfs = add(wave * env, i0, jam["jn_db"], gain_ref=wave)
        lo, hi = _emission_band(jam)
        for s, e in on:
            truth.append(_truth_dict(jam, s, min(e, dur), lo + foff, hi + foff, spec["center_hz"], pdbfs,
                                     jam["jn_db"], rate))
    for pk in spec["traffic"]:
        seg = _packet(pk, rate, rng)
        i0 = round(pk["start_s"] * rate)
        seg = seg[: max(0, n - i0)]
        if seg.size == 0:
            continue
        pdbfs = add(seg, i0, pk["jn_db"], gain_ref=seg)
        end = (i0 + seg.size) / rate
        lo, hi = _emission_band(pk)
        truth.append(_truth_dict(pk, pk["start_s"], end, lo + foff, hi + foff, spec["center_hz"], pdbfs, pk["jn_db"],
                                 rate))
    y = signal.oaconvolve(x, h, mode="same")
    y = mu * y + nu * np.conj(y)
    if rx["dc_db"] is not None:
        y += math.sqrt(big_n * 10 ** (rx["dc_db"] / 10)) * np.exp(1j * rng.uniform(0, 2 * np.pi))
    return y.astype(np.complex64), truth


def _truth_dict(em, start, end, lo, hi, center, pdbfs, jn_db, rate):
    kind = em["kind"]
    shift = center + (lo - _emission_band(em)[0])  # centre + LO offset
    p: dict = {}
    base = em["base"] if kind == "pulsed" else em
    bk = base["kind"]
    if bk == "cw":
        p["tones_hz"] = [base["freq_hz"] + shift]
    elif bk == "multitone":
        p["tones_hz"] = [f + shift for f in sorted(base["tones_hz"])]
    elif bk == "chirp":
        b, per = base["bandwidth_hz"], base["period_s"]
        p.update(sweep_rate_hz_per_s=(2 if base["shape"] == "triangle" else 1) * b / per, sweep_period_s=per,
                 sweep_shape=base["shape"], bandwidth_hz=b)
    elif bk == "noise":
        p["bandwidth_hz"] = base["bandwidth_hz"]
    elif bk == "hopping":
        p.update(hop_rate_hz=1 / base["dwell_s"], channels_hz=[c + shift for c in base["channels_hz"]])
    elif bk == "burst":
        p.update(bandwidth_hz=2 * em["half_width_hz"], modulation=em["modulation"])
    if kind == "pulsed":
        p.update(base_kind=bk, prf_hz=em["prf_hz"], duty_cycle=em["duty"], pulse_width_s=em["duty"] / em["prf_hz"])
    if kind == "noise" and base["bandwidth_hz"] >= rate:
        lo, hi = center - rate / 2, center + rate / 2
    else:
        lo, hi = lo + center, hi + center
    return {"start_s": float(start), "end_s": float(end), "freq_lo_hz": float(lo), "freq_hi_hz": float(hi),
            "kind": kind, "jamming": kind != "burst", "power_dbfs": float(pdbfs), "jn_db": float(jn_db),
            "confidence": 1.0, "params": p}


def truth_events(truth: list[dict]):
    """rfkit `Event`s of truth dicts (the schema `rfkit score` reads back)."""
    from rfkit.detection.events import Event

    return [Event(**d) for d in truth]


def write_recording(directory, spec: dict) -> Path:
    """Render a spec and write it as `<name>.sigmf-meta/-data` in directory; returns the meta path.

    Ground truth goes into the annotations (rfkit's event schema); the spec into the global
    `altgen:spec`, so the recording can be remade and its receiver inspected.
    """
    from rfkit.detection.events import event_to_annotation
    from rfkit.io.writers import write_sigmf

    samples, truth = render(spec)
    rate = spec["rate_hz"]
    anns = [event_to_annotation(ev, sample_rate=rate) for ev in truth_events(truth)]
    jams = [f"{j['variant']} J/N {j['jn_db']:+g} dB" for j in spec["jammers"]]
    desc = "altgen: " + (", ".join(jams) if jams else spec["category"]) + (
        f", {len(spec['traffic'])} ordinary packets" if spec["traffic"] else "")
    return write_sigmf(Path(directory) / spec["name"], samples, sample_rate=rate, dtype=spec["dtype"],
                       center_freq=spec["center_hz"], hw="benchmarks/altgen.py (generated, not recorded)",
                       gain_db=spec["receiver"]["gain_db"], annotations=anns,
                       extra_global={"altgen:spec": spec, "core:description": desc})


def main(argv=None) -> int:
    from setcli import run_set_cli  # (benchmarks/setcli.py: the script's own folder is on sys.path)

    return run_set_cli(argv, prog="altgen.py", description=__doc__.split("\n\n")[0], default_seed=5,
                       manifest="altset.json", plan_set=plan_set, write_recording=write_recording)


if __name__ == "__main__":
    sys.exit(main())
