"""Third, independent scenario generator: labelled SigMF recordings of jammers, ordinary traffic
and a deliberately imperfect receiver, for scoring `rfkit detect` with `rfkit score`.

It imports nothing of rfkit.synth nor of benchmarks/altgen.py (only rfkit's event schema and its
SigMF writer, to meet the truth contract `rfkit score` reads) and makes other modelling choices:

- sample rates 0.96, 1.2, 1.536, 2.4, 2.88 MS/s; recordings of 1.5-6 s (at most 8.5 M samples);
  storage mostly 8-bit (cu8, cs8) through an ADC with its own code thresholds (differential
  non-linearity), where the noise spans 0.9-2.5 LSB ("low gain") or 4-12 LSB ("high gain");
  some cs16;
- a receiver whose LO has Wiener phase noise (linewidth 5-40 Hz) and a slow drift (a linear
  ramp of 0.5-12 Hz/s and a slow wander), an RF tilt (a 2-tap complex FIR: a gain slope across
  the band), IQ imbalance y = mu*x + nu*conj(x), an IIR band-edge filter (elliptic or Chebyshev,
  passband edge 0.43-0.48 of the rate, with passband ripple), and a wandering DC offset;
- jammers with their own oscillator (Wiener phase noise 5-80 Hz, a drift and a power-on
  warm-up settle of up to 60 Hz), switched on with an exponential rise and off with a cosine
  fade, or already on when the recording starts, or still on when it ends;
- multitones of unequal powers (0-8 dB apart), combs or scattered; chirps with a short linear
  flyback (1-5 % of the period) or triangle sweeps; noise jammers with sloped or rippled spectra
  and raised-cosine edges; pulses with raised-cosine rise/fall and PRF jitter; hoppers on
  non-uniform channel sets with dwell jitter, a settling gap at each hop and random phase;
- occasionally two jammers at once (both labelled);
- traffic unlike the other generators: AIS-like GMSK bursts, ADS-B-like pulse-position
  squitters (only at >= 2 MS/s), POCSAG-like 2-FSK transmissions of about a second, short
  wideband OFDM-like packets, keyfob OOK bursts repeated 3-4 times with frequency pulling.

    python benchmarks/gen3.py OUT_DIR --count 100 --seed 1
    rfkit score OUT_DIR --details

Power accounting (mean |x|^2, full scale amplitude 1.0), everything as recorded:

    N = mean |n_rx|^2 + Q
        n_rx is the thermal noise after the receiver's linear chain (tilt, IQ imbalance with both
        its direct and image terms, band-edge filter), measured on the very samples that are
        written; Q = 2 * LSB^2 / 12 is the quantisation noise of the stored integers
        (cu8 LSB = 1/127.5, cs8 LSB = 1/128, cs16 LSB = 1/32768). The DC offset is not noise.
    J = mean |H(mu * tilt(LO * s))|^2 over the samples where the emission is fully on
        the emission s through the LO (phase noise and drift), the tilt, the direct IQ term mu and
        the band-edge filter H, measured on the rendered samples; the IQ image (nu term, -25 to
        -40 dB) is not counted. "Fully on": the switching gate, the pulse envelope (pulsed) and the
        hop envelope (hopping: excluding the settling gaps) all at >= 0.995 of full amplitude.
    jn_db = 10 log10(J / N)  (the label is the target, met exactly by scaling the emission)
    power_dbfs = 10 log10(J)

So pulsed jammers are labelled with their power while a pulse is on (not averaged over the duty
cycle); hoppers with their power while on a channel; ordinary packets likewise while keyed.

Labels (SigMF annotations in rfkit's event schema; `rfkit score` reads them back):

- every jammer is one annotation, jamming=true, kind cw/multitone/chirp/noise/pulsed/hopping;
  start_s/end_s are the first and last sample where its envelope (gate x pulse x hop) is at
  >= 0.5 of full amplitude (0 and the duration when it is on at the file's edges);
- frequencies are absolute (centre + offset) and are where the emission is in the recording:
  tones_hz and channels_hz are the nominal offsets plus the mean of the jammer's own drift and
  of the LO drift over the jammer's on-time; chirp and noise edges are the nominal band
  (noise: the -3 dB points of its raised-cosine edges; whole-band noise: centre +- rate/2);
- params: cw/multitone: tones_hz; chirp: sweep_rate_hz_per_s (the slope of the linear ramp:
  B / (T - flyback) for a sawtooth, 2B / T for a triangle), sweep_period_s (T), sweep_shape,
  bandwidth_hz; noise: bandwidth_hz; pulsed: base_kind, prf_hz (1 / mean period), duty_cycle
  (pulse width / period, pulse width between the half-amplitude points), pulse_width_s, plus the
  base's params; hopping: hop_rate_hz (1 / mean dwell), channels_hz (the channels visited);
- every ordinary packet is its own annotation, kind burst, jamming=false, with bandwidth_hz (its
  99 % occupied band, also its freq edges) and modulation; each keyfob repetition is a packet.

File names: `NNN_<variant>_jn<level>[+<variant2>_jn<level2>]_<centre>M_<rate>k_<dtype>`,
`NNN_noise-only_...` and `NNN_traffic_...` (J/N labels are the level +- 0.5 dB).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from scipy import fft as sfft
from scipy import signal

__all__ = [
    "JN_LEVELS_DB",
    "RATES_HZ",
    "VARIANTS",
    "jammer_recording",
    "main",
    "plan_set",
    "render",
    "write_recording",
]

RATES_HZ = (0.96e6, 1.2e6, 1.536e6, 2.4e6, 2.88e6)
CENTERS_HZ = (162.0e6, 315.0e6, 433.92e6, 929.6e6, 1090.0e6, 1227.6e6, 1575.42e6)
DTYPES = ("cu8", "cs8", "cs16")
DTYPE_WEIGHTS = (0.55, 0.25, 0.2)
LSB = {"cu8": 1 / 127.5, "cs8": 1 / 128.0, "cs16": 1 / 32768.0}
JN_LEVELS_DB = (-10.0, -5.0, 0.0, 10.0)
DURATION_RANGE_S = (1.5, 6.0)
MAX_SAMPLES = 8_500_000
#: Emissions stay within +-EDGE * rate of the centre.
EDGE = 0.42
#: Narrow emissions keep this far from 0 Hz (the DC offset), Hz.
DC_KEEP_OUT_HZ = 15e3
#: Largest stored magnitude allowed per component, LSB (no clipping).
HEADROOM_LSB = 122.0
#: Amplitude threshold of "fully on" for the power measurement.
ON_LEVEL = 0.995

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
#: Variants a second, simultaneous jammer may have (narrow, so it fits beside the first).
SECOND_VARIANTS = ("cw", "multitone", "hopping", "pulsed-cw", "noise-narrow")
SECOND_FRACTION = 0.15
TRAFFIC_IN_JAM_FRACTION = 0.35
TRAFFIC_TYPES = ("gmsk", "adsb", "pocsag", "ofdm", "keyfob")


def _logu(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _edge(u, width):
    """Raised-cosine step: 0 for u <= -width/2, 1 for u >= width/2, 0.5 at u = 0."""
    w = max(width, 1e-12)
    v = np.clip(u / w + 0.5, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * v)


def _wiener(rng, n, rate, linewidth_hz):
    """Phase (rad) of an oscillator with a Lorentzian line of `linewidth_hz` (full width)."""
    if linewidth_hz <= 0:
        return np.zeros(n)
    steps = rng.normal(0.0, math.sqrt(2 * math.pi * linewidth_hz / rate), n)
    return np.cumsum(steps)


def _phase_of(freq_hz, rate):
    """Phase (rad) of an instantaneous frequency array (cycles kept small before the multiply)."""
    cyc = np.cumsum(freq_hz / rate)
    cyc -= np.floor(cyc)
    return 2 * np.pi * cyc


# -- planning -------------------------------------------------------------------------------------


def _receiver_spec(rng, dtype):
    low = dtype != "cs16" and rng.random() < 0.45
    if dtype == "cs16":
        noise_lsb = _logu(rng, 20, 1500)
    else:
        noise_lsb = float(rng.uniform(0.9, 2.5) if low else rng.uniform(4.0, 12.0))
    ftype = str(rng.choice(["ellip", "cheby1"]))
    tilt = float(rng.uniform(0.02, 0.12))
    return {
        "gain": "low" if low else "high",
        "noise_lsb": noise_lsb,
        "filter": ftype,
        "order": int(rng.integers(5, 8) if ftype == "ellip" else rng.integers(4, 7)),
        "ripple_db": float(rng.uniform(0.1, 0.5) if ftype == "ellip" else rng.uniform(0.3, 1.0)),
        "stop_db": float(rng.uniform(40, 60)),
        "edge": float(rng.uniform(0.43, 0.48)),
        "tilt": [tilt * math.cos(a := rng.uniform(0, 2 * math.pi)), tilt * math.sin(a)],
        "iq_gain_db": float(rng.uniform(-0.7, 0.7)),
        "iq_phase_deg": float(rng.uniform(-4, 4)),
        "dc_sigma": float(rng.uniform(0.2, 2.5)),
        "dc_angle": float(rng.uniform(0, 2 * math.pi)),
        "dc_wander": float(rng.uniform(0.0, 0.3)),
        "dc_wander_hz": float(rng.uniform(0.2, 2.0)),
        "lo_linewidth_hz": float(rng.uniform(5, 40)),
        "lo_drift_hz_per_s": float(rng.uniform(0.5, 12) * rng.choice([-1, 1])),
        "lo_wander_hz": float(rng.uniform(0, 8)),
        "lo_wander_period_s": float(rng.uniform(0.7, 4)),
        "dnl_lsb": float(rng.uniform(0.0, 0.15)),
    }


def _oscillator_spec(rng):
    return {
        "linewidth_hz": float(_logu(rng, 5, 80)),
        "drift_hz_per_s": float(rng.uniform(-10, 10)),
        "warmup_hz": float(rng.uniform(-60, 60) if rng.random() < 0.5 else 0.0),
        "warmup_tau_s": float(rng.uniform(0.15, 0.8)),
    }


def _on_interval(rng, duration, variant):
    """(t_on, t_off): before 0 = already on at the start; past the end = still on at the end."""
    modes = ["full", "stops", "starts", "inside"]
    if variant == "noise-whole":  # a rise of the floor needs a quiet part of the same file
        modes = ["stops", "starts", "inside"]
    mode = str(rng.choice(modes))
    min_on = 0.8 if duration >= 2.2 else 0.7

    def u(a, b):
        return float(rng.uniform(a, max(a, b)))

    if mode == "full":
        return -1.0, duration + 1.0
    if mode == "stops":
        return -1.0, u(min_on, duration - 0.45)
    if mode == "starts":
        return u(0.4, duration - min_on), duration + 1.0
    t_on = u(0.25, duration - min_on - 0.3)
    return t_on, u(t_on + min_on, duration - 0.2)


def _free_centre(rng, rate, width, busy, *, avoid_dc=True):
    """A centre offset (Hz) for an emission of `width` inside +-EDGE*rate, off `busy` bands."""
    margin = 0.025 * rate
    half = width / 2
    lim = EDGE * rate - half
    for _ in range(400):
        c = float(rng.uniform(-lim, lim)) if lim > 0 else 0.0
        if avoid_dc and width < 0.1 * rate and abs(c) < half + DC_KEEP_OUT_HZ:
            continue
        if all(c + half + margin < lo or c - half - margin > hi for lo, hi in busy):
            return c
    return None


def _base_spec(kind, rng, rate, busy, *, fast_chirp=None, noise_class=None, shape=None):
    """Parameters of a base emission (offsets in Hz) and its band (lo, hi), or None if no room."""
    if kind == "cw":
        c = _free_centre(rng, rate, 2e3, busy)
        return None if c is None else ({"kind": "cw", "freq_hz": c}, (c, c))
    if kind == "multitone":
        k = int(rng.integers(2, 7))
        if rng.random() < 0.5:  # a comb of like spacing
            sp = _logu(rng, 3e3, min(60e3, 0.5 * rate / k))
            offs = np.arange(k) * sp
        else:  # scattered tones
            span = float(rng.uniform(0.05, 0.5)) * rate
            offs = np.sort(rng.uniform(0, span, k))
            for _ in range(50):
                if np.all(np.diff(offs) > 3e3):
                    break
                offs = np.sort(rng.uniform(0, span, k))
            else:
                offs = np.arange(k) * span / max(k - 1, 1)
        width = float(offs[-1] - offs[0])
        c = _free_centre(rng, rate, width + 4e3, busy)
        if c is None:
            return None
        tones = [float(c - width / 2 + o) for o in offs]
        if any(abs(f) < DC_KEEP_OUT_HZ for f in tones):
            shift = 2 * DC_KEEP_OUT_HZ * (1 if c >= 0 else -1)
            tones = [f + shift for f in tones]
        pw = [float(-rng.uniform(0, 8)) for _ in tones]
        pw[int(rng.integers(len(pw)))] = 0.0
        return ({"kind": "multitone", "tones_hz": tones, "powers_db": pw}, (min(tones), max(tones)))
    if kind == "chirp":
        fast = bool(rng.random() < 0.5) if fast_chirp is None else fast_chirp
        shape = shape or str(rng.choice(["sawtooth", "triangle"]))
        bw = float(rng.uniform(0.2, 0.8) if fast else rng.uniform(0.08, 0.75)) * rate
        c = _free_centre(rng, rate, bw, busy, avoid_dc=False)
        if c is None:
            return None
        if fast:
            period = float(rng.uniform(30, 900)) / rate
        else:
            period = _logu(rng, 2e-3, 60e-3)
        fly = float(rng.uniform(0.01, 0.05)) if shape == "sawtooth" else 0.0
        return ({"kind": "chirp", "f_lo_hz": c - bw / 2, "bandwidth_hz": bw, "period_s": period,
                 "shape": shape, "flyback": fly, "t0_s": float(rng.uniform(0, period))},
                (c - bw / 2, c + bw / 2))
    if kind == "noise":
        cls = noise_class or str(rng.choice(["narrow", "partial", "whole"]))
        if cls == "whole":
            bw, c = rate, 0.0
        else:
            bw = (_logu(rng, 8e3, 0.16 * rate) if cls == "narrow" else float(rng.uniform(0.25, 0.8)) * rate)
            c = _free_centre(rng, rate, bw, busy, avoid_dc=cls == "narrow")
            if c is None:
                return None
        shape_kind = str(rng.choice(["slope", "ripple"]))
        spec = {"kind": "noise", "center_hz": c, "bandwidth_hz": bw, "class": cls,
                "edge_fraction": float(rng.uniform(0.04, 0.15)), "shape": shape_kind,
                "slope_db": float(rng.uniform(-6, 6)), "ripple_db": float(rng.uniform(1, 3)),
                "ripple_cycles": float(rng.uniform(1.5, 6)), "ripple_phase": float(rng.uniform(0, 6.3))}
        band = (-rate / 2, rate / 2) if cls == "whole" else (c - bw / 2, c + bw / 2)
        return spec, band
    if kind == "hopping":
        n_ch = int(rng.integers(4, 17))
        span = float(rng.uniform(0.15, 0.75)) * rate
        if rng.random() < 0.5:  # a subset of a raster, with gaps
            step = float(rng.choice([12.5e3, 25e3, 50e3, 100e3]))
            grid = np.arange(0, span, step)
            if grid.size < n_ch:
                grid = np.linspace(0, span, n_ch)
            offs = np.sort(rng.choice(grid, size=n_ch, replace=False))
        else:  # anywhere, at least 10 kHz apart
            offs = np.sort(rng.uniform(0, span, n_ch))
            for _ in range(50):
                if np.all(np.diff(offs) > 10e3):
                    break
                offs = np.sort(rng.uniform(0, span, n_ch))
        width = float(offs[-1] - offs[0])
        c = _free_centre(rng, rate, width + 30e3, busy, avoid_dc=False)
        if c is None:
            return None
        chans = [float(c - width / 2 + o) for o in offs]
        chans = [f for f in chans if abs(f) > DC_KEEP_OUT_HZ] or chans
        fsk = bool(rng.random() < 0.5)
        spec = {"kind": "hopping", "channels_hz": chans, "dwell_s": _logu(rng, 0.5e-3, 25e-3),
                "dwell_jitter": float(rng.uniform(0.03, 0.2)), "gap_fraction": float(rng.uniform(0.02, 0.06)),
                "order": str(rng.choice(["cycle", "random"])),
                "fsk_dev_hz": float(rng.uniform(2e3, 8e3)) if fsk else 0.0,
                "fsk_baud": float(rng.uniform(1e3, 10e3)) if fsk else 0.0}
        half = spec["fsk_dev_hz"] + spec["fsk_baud"] / 2
        return spec, (min(chans) - half, max(chans) + half)
    raise ValueError(f"{kind=}")


def _jammer_spec(variant, rng, rate, duration, busy, jn_db):
    """A jammer of `variant` (None where it does not fit beside `busy`)."""
    if variant.startswith("pulsed-"):
        base_kind = variant.split("-", 1)[1]
        got = _base_spec(base_kind, rng, rate, busy, fast_chirp=True,
                         noise_class=str(rng.choice(["narrow", "partial"])))
    elif variant.startswith("chirp-"):
        _, shape, speed = variant.split("-")
        got = _base_spec("chirp", rng, rate, busy, fast_chirp=speed == "fast",
                         shape="triangle" if shape == "tri" else "sawtooth")
    elif variant.startswith("noise-"):
        got = _base_spec("noise", rng, rate, busy, noise_class=variant.split("-", 1)[1])
    else:
        got = _base_spec(variant, rng, rate, busy)
    if got is None:
        return None
    base, band = got
    t_on, t_off = _on_interval(rng, duration, variant)
    jam = {"variant": variant, "jn_db": float(jn_db), "t_on": t_on, "t_off": t_off,
           "rise_tau_s": _logu(rng, 30e-6, 1e-3), "fall_s": _logu(rng, 0.1e-3, 3e-3),
           "osc": _oscillator_spec(rng), "band": list(band), "base": base}
    if variant.startswith("pulsed-"):
        on_len = min(t_off, duration) - max(t_on, 0.0)
        prf = _logu(rng, max(20.0, 14 / on_len), 1500.0)
        duty = float(rng.uniform(0.1, 0.6))
        width = duty / prf
        if width < 0.25e-3:  # keep pulses longer than a quarter millisecond
            width = 0.25e-3
            duty = width * prf
        jam["pulse"] = {"prf_hz": prf, "duty": duty, "width_s": width,
                        "edge_s": max(3 / rate, float(rng.uniform(0.03, 0.1)) * width),
                        "jitter": float(rng.uniform(0.001, 0.01)), "t0_s": float(rng.uniform(0, 1 / prf))}
    return jam


def _traffic_packets(rng, rate, duration, busy_bands, types=None):
    """Packet specs (each one annotation) of 1-3 traffic types, not overlapping in time."""
    avail = [t for t in TRAFFIC_TYPES if t != "adsb" or rate >= 2e6]
    if types is None:
        types = list(rng.choice(avail, size=int(rng.integers(1, 4)), replace=False))
    busy_t: list[tuple[float, float]] = []
    packets = []

    def slot(length):
        for _ in range(200):
            t0 = float(rng.uniform(0.02, duration - length - 0.02))
            if all(t0 + length + 4e-3 < a or t0 - 4e-3 > b for a, b in busy_t):
                busy_t.append((t0, t0 + length))
                return t0
        return None

    def place(width):
        return _free_centre(rng, rate, width, busy_bands, avoid_dc=True)

    for typ in types:
        seed = int(rng.integers(2**31))
        if typ == "gmsk":
            f = place(15e3)
            for _ in range(int(rng.integers(2, 7))):
                nbits = int(rng.integers(168, 257))
                t0 = slot(nbits / 9600 + 2e-3)
                if t0 is not None and f is not None:
                    packets.append({"type": "gmsk", "t0": t0, "freq_hz": f, "nbits": nbits,
                                    "jn_db": float(rng.uniform(-2, 14)), "seed": seed + len(packets)})
        elif typ == "adsb":
            f = float(rng.uniform(-30e3, 30e3))
            for _ in range(int(rng.integers(4, 16))):
                t0 = slot(125e-6)
                if t0 is not None:
                    packets.append({"type": "adsb", "t0": t0, "freq_hz": f,
                                    "jn_db": float(rng.uniform(0, 15)), "seed": seed + len(packets)})
        elif typ == "pocsag":
            baud = float(rng.choice([512.0, 1200.0, 2400.0]))
            f = place(2 * 4.5e3 + 2 * baud)
            length = float(rng.uniform(0.6, 1.3))
            if length < duration - 0.2 and f is not None:
                t0 = slot(length)
                if t0 is not None:
                    packets.append({"type": "pocsag", "t0": t0, "freq_hz": f, "baud": baud,
                                    "length_s": length, "jn_db": float(rng.uniform(-2, 12)), "seed": seed})
        elif typ == "ofdm":
            m = int(rng.choice([256, 512, 1024]))
            used = int(rng.integers(int(0.15 * m), int(0.3 * m)))  # occupied subcarriers
            bw = used * rate / m
            f = place(bw)
            for _ in range(int(rng.integers(3, 10))):
                nsym = int(rng.integers(4, 25))
                length = (nsym + 2) * 1.25 * m / rate
                t0 = slot(length)
                if t0 is not None and f is not None:
                    packets.append({"type": "ofdm", "t0": t0, "freq_hz": f, "fft": m, "used": used,
                                    "nsym": nsym, "jn_db": float(rng.uniform(-3, 8)),
                                    "seed": seed + len(packets)})
        elif typ == "keyfob":
            f = place(40e3)
            sym = float(rng.uniform(300e-6, 900e-6))
            nbits = int(rng.integers(24, 49))
            length = (nbits + 4) * sym
            gap = float(rng.uniform(6e-3, 15e-3))
            reps = int(rng.integers(3, 5))
            for _ in range(int(rng.integers(1, 3))):
                t0 = slot(reps * (length + gap))
                if t0 is None or f is None:
                    continue
                jn = float(rng.uniform(0, 14))
                pull = float(rng.uniform(1e3, 6e3))
                for r in range(reps):
                    packets.append({"type": "keyfob", "t0": t0 + r * (length + gap), "freq_hz": f,
                                    "symbol_s": sym, "nbits": nbits, "pull_hz": pull, "jn_db": jn,
                                    "seed": seed})  # same code each repetition
    packets.sort(key=lambda p: p["t0"])
    return packets


def plan_set(count: int, *, seed: int) -> list[dict]:
    """The specs of `count` recordings (deterministic for a seed); each renders with `render`."""
    if count < 1:
        raise ValueError(f"{count=} must be at least 1")
    rng = np.random.default_rng([seed, 3303])
    n_noise = round(count / 6) if count >= 6 else 0
    n_traffic = round(count / 6) if count >= 6 else 0
    n_jam = count - n_noise - n_traffic
    cells = []
    rep = 0
    while len(cells) < n_jam:  # each variant at each level once every 4 rounds
        for v in rng.permutation(len(VARIANTS)):
            cells.append((VARIANTS[v], JN_LEVELS_DB[(int(v) + rep) % 4]))
        rep += 1
    cats = [("jam", c) for c in cells[:n_jam]] + [("noise-only", None)] * n_noise + [("traffic", None)] * n_traffic
    cats = [cats[i] for i in rng.permutation(len(cats))]
    specs = []
    for i, (cat, cell) in enumerate(cats):
        rate = float(rng.choice(RATES_HZ))
        dtype = str(rng.choice(DTYPES, p=DTYPE_WEIGHTS))
        center = float(rng.choice(CENTERS_HZ))
        duration = round(float(rng.uniform(DURATION_RANGE_S[0], min(DURATION_RANGE_S[1], MAX_SAMPLES / rate))), 3)
        spec = {"index": i, "rate_hz": rate, "dtype": dtype, "center_hz": center, "duration_s": duration,
                "seed": int(seed) * 100_003 + i, "receiver": _receiver_spec(rng, dtype),
                "jammers": [], "traffic": []}
        parts = []
        if cat == "jam":
            variant, level = cell
            jam = None
            while jam is None:
                jam = _jammer_spec(variant, rng, rate, duration, [], level + float(rng.uniform(-0.5, 0.5)))
            spec["jammers"].append(jam)
            parts.append(f"{variant}_jn{int(level):+d}")
            wide = jam["base"]["kind"] in ("chirp", "noise") and jam["band"][1] - jam["band"][0] > 0.5 * rate
            if not wide and rng.random() < SECOND_FRACTION:
                v2 = str(rng.choice(SECOND_VARIANTS))
                lv2 = float(rng.choice(JN_LEVELS_DB))
                j2 = _jammer_spec(v2, rng, rate, duration, [jam["band"]], lv2 + float(rng.uniform(-0.5, 0.5)))
                if j2 is not None:
                    spec["jammers"].append(j2)
                    parts.append(f"{v2}_jn{int(lv2):+d}")
            if rng.random() < TRAFFIC_IN_JAM_FRACTION:
                spec["traffic"] = _traffic_packets(rng, rate, duration, [j["band"] for j in spec["jammers"]])
            name = "+".join(parts)
        else:
            if cat == "traffic":
                spec["traffic"] = _traffic_packets(rng, rate, duration, [])
            name = cat
        spec["category"] = cat
        spec["name"] = f"{i:03d}_{name}_{center / 1e6:g}M_{rate / 1e3:g}k_{dtype}"
        specs.append(spec)
    return specs


def jammer_recording(variant: str, *, jn_db: float, rate_hz: float = 0.96e6, duration_s: float = 1.5,
                     dtype: str = "cu8", on: tuple[float, float] | None = None, gain: str | None = None,
                     seed: int = 0, name: str | None = None) -> dict:
    """The spec of one recording holding one jammer of `variant` at `jn_db` (for tests and checks);
    `on` = (t_on, t_off) overrides the switching times, `gain` ('low'/'high') the receiver's gain."""
    rng = np.random.default_rng([seed, 77])
    rx = _receiver_spec(rng, dtype)
    if gain is not None and dtype != "cs16":
        rx["gain"] = gain
        rx["noise_lsb"] = float(rng.uniform(0.9, 2.5) if gain == "low" else rng.uniform(4.0, 12.0))
    jam = None
    while jam is None:
        jam = _jammer_spec(variant, rng, rate_hz, duration_s, [], jn_db)
    if on is not None:
        jam["t_on"], jam["t_off"] = float(on[0]), float(on[1])
    return {"index": 0, "rate_hz": float(rate_hz), "dtype": dtype, "center_hz": 433.92e6,
            "duration_s": float(duration_s), "seed": int(seed), "receiver": rx, "jammers": [jam],
            "traffic": [], "category": "jam",
            "name": name or f"000_{variant}_jn{round(jn_db):+d}_433.92M_{rate_hz / 1e3:g}k_{dtype}"}


# -- waveforms (unit amplitude while on, offsets in Hz) -------------------------------------------


def _osc_freq(osc, t, t_on):
    """The jammer oscillator's frequency deviation (Hz) at times t."""
    df = osc["drift_hz_per_s"] * (t - t[-1] / 2)
    if osc["warmup_hz"]:
        age = np.maximum(t - max(t_on, -5.0), 0.0)
        df = df + osc["warmup_hz"] * np.exp(-age / osc["warmup_tau_s"])
    return df


def _noise_shape(base, rate, n, rng):
    """Band-limited Gaussian noise with a sloped or rippled spectrum and raised-cosine edges."""
    nf = sfft.next_fast_len(n)
    f = sfft.fftfreq(nf, 1 / rate)
    bw, c = base["bandwidth_hz"], base["center_hz"]
    rel = (f - c) / bw  # -0.5..0.5 inside the band
    if base["shape"] == "slope":
        db = base["slope_db"] * rel
    else:
        db = 0.5 * base["ripple_db"] * np.sin(2 * np.pi * base["ripple_cycles"] * rel + base["ripple_phase"])
    p = 10 ** (db / 10)
    if base["class"] != "whole":
        ew = base["edge_fraction"] * bw
        p = p * _edge(f - (c - bw / 2), ew) * _edge((c + bw / 2) - f, ew)
    w = (rng.standard_normal(nf) + 1j * rng.standard_normal(nf)) * np.sqrt(p)
    del f, rel, db, p
    x = sfft.ifft(w, workers=1)[:n]
    return x / math.sqrt(np.mean(np.abs(x) ** 2))


def _chirp_freq(base, t):
    per, bw, lo = base["period_s"], base["bandwidth_hz"], base["f_lo_hz"]
    u = np.mod(t - base["t0_s"], per) / per
    if base["shape"] == "triangle":
        return lo + bw * (1 - np.abs(2 * u - 1))
    up = 1 - base["flyback"]
    return lo + bw * np.where(u < up, u / up, 1 - (u - up) / base["flyback"])


def _base_wave(base, t, rate, rng):
    n = t.size
    k = base["kind"]
    if k == "cw":
        return np.exp(1j * _phase_of(np.full(n, base["freq_hz"]), rate)), np.ones(n), {}
    if k == "multitone":
        x = np.zeros(n, complex)
        amps = 10 ** (np.asarray(base["powers_db"]) / 20)
        amps = amps / math.sqrt(np.sum(amps**2))
        for f, a in zip(base["tones_hz"], amps, strict=True):
            x += a * np.exp(1j * (2 * np.pi * ((f * t) % 1.0) + rng.uniform(0, 2 * np.pi)))
        return x, np.ones(n), {}
    if k == "chirp":
        return np.exp(1j * _phase_of(_chirp_freq(base, t), rate)), np.ones(n), {}
    if k == "noise":
        return _noise_shape(base, rate, n, rng), np.ones(n), {}
    if k == "hopping":
        dwell = base["dwell_s"] * (1 + rng.uniform(-base["dwell_jitter"], base["dwell_jitter"],
                                                   int(t[-1] / base["dwell_s"] / 0.7) + 4))
        bounds = np.concatenate([[-float(rng.uniform(0, dwell[0]))], np.cumsum(dwell)])
        bounds[1:] += bounds[0]
        nh = bounds.size - 1
        chans = np.asarray(base["channels_hz"])
        if base["order"] == "cycle":
            seq = np.concatenate([rng.permutation(chans.size) for _ in range(nh // chans.size + 1)])[:nh]
        else:  # random, never the same channel twice in a row
            seq = np.empty(nh, int)
            seq[0] = int(rng.integers(chans.size))
            for i in range(1, nh):
                c = int(rng.integers(chans.size - 1))
                seq[i] = c + (c >= seq[i - 1])
        idx = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, nh - 1)
        freq = chans[seq[idx]]
        if base["fsk_baud"]:
            nb = int(t[-1] * base["fsk_baud"]) + 2
            bits = rng.integers(0, 2, nb) * 2 - 1
            freq = freq + base["fsk_dev_hz"] * bits[(t * base["fsk_baud"]).astype(int)]
        ph = _phase_of(freq, rate) + rng.uniform(0, 2 * np.pi, nh)[idx]
        gap = base["gap_fraction"] * base["dwell_s"]
        ew = max(0.4 * gap, 2 / rate)
        env = _edge(t - (bounds[idx] + gap), ew) * _edge(bounds[idx + 1] - t, ew)
        return np.exp(1j * ph), env, {"bounds": bounds, "channels": chans[seq]}
    raise ValueError(k)


def _pulse_env(p, t, rate, rng):
    per = 1 / p["prf_hz"]
    n_p = int(t[-1] / per) + 3
    periods = per * (1 + p["jitter"] * rng.standard_normal(n_p))
    starts = p["t0_s"] - per + np.concatenate([[0.0], np.cumsum(periods[:-1])])
    k = np.clip(np.searchsorted(starts - p["edge_s"], t, side="right") - 1, 0, n_p - 1)
    s = starts[k]
    return _edge(t - s, p["edge_s"]) * _edge(s + p["width_s"] - t, p["edge_s"]), starts


def _gate(jam, t):
    g = np.ones(t.size)
    if jam["t_on"] > 0:
        g = np.where(t >= jam["t_on"], 1 - np.exp(-np.maximum(t - jam["t_on"], 0) / jam["rise_tau_s"]), 0.0)
    if jam["t_off"] < t[-1]:
        g = g * _edge(jam["t_off"] - t, jam["fall_s"])
    return g


def _packet_wave(p, rate):
    """(unit-amplitude waveform at offset 0, envelope) of one ordinary packet."""
    rng = np.random.default_rng(p["seed"])
    typ = p["type"]
    if typ == "gmsk":  # AIS-like: 9600 bd GMSK, BT 0.4, h 0.5, 8-bit ramps
        br = 9600.0
        bits = np.concatenate([np.tile([0, 1], 12), [0, 1, 1, 1, 1, 1, 1, 0],
                               rng.integers(0, 2, p["nbits"] - 32)]) * 2 - 1
        sps = rate / br
        n = math.ceil((bits.size + 2) * sps)
        tb = np.arange(n) / sps
        nrz = np.where((tb >= 1) & (tb < bits.size + 1), bits[np.clip((tb - 1).astype(int), 0, bits.size - 1)], 0)
        sig = math.sqrt(math.log(2)) / (2 * math.pi * 0.4)
        tt = np.arange(-int(2 * sps), int(2 * sps) + 1) / sps
        g = np.exp(-(tt**2) / (2 * sig**2))
        fr = np.convolve(nrz, g / g.sum(), mode="same")
        ph = np.pi * 0.5 * np.cumsum(fr) / sps
        env = _edge(tb - 1.0, 1.0) * _edge(bits.size + 1.0 - tb, 1.0)
        return np.exp(1j * ph) * env, env
    if typ == "adsb":  # 1 Mb/s pulse-position: preamble pulses at 0, 1, 3.5, 4.5 us, 112 bits
        n = int(125e-6 * rate)
        t = np.arange(n) / rate
        starts = [0.0, 1.0, 3.5, 4.5] + [8.0 + i + 0.5 * b for i, b in enumerate(rng.integers(0, 2, 112))]
        env = np.zeros(n)
        for s in starts:
            env = np.maximum(env, _edge(t - s * 1e-6, 0.1e-6) * _edge((s + 0.5) * 1e-6 - t, 0.1e-6))
        chirp = 2 * np.pi * rng.uniform(-20e3, 20e3) * t**2 / (2 * 120e-6)  # transmitter pulling
        return env * np.exp(1j * chirp), env
    if typ == "pocsag":  # 2-FSK +-4.5 kHz, 576-bit 1010 preamble, then codewords
        baud = p["baud"]
        nb = int(p["length_s"] * baud)
        bits = np.concatenate([np.tile([1, 0], 288), rng.integers(0, 2, max(nb - 576, 0))])[:nb] * 2 - 1
        n = int(p["length_s"] * rate)
        t = np.arange(n) / rate
        fr = 4.5e3 * bits[np.clip((t * baud).astype(int), 0, bits.size - 1)].astype(float)
        k = max(int(rate / baud / 4), 1)  # a moving average a quarter bit long
        c = np.concatenate([[0.0], np.cumsum(fr)])
        fr = np.interp(np.arange(n) + 0.5, np.arange(n + 1 - k) + k / 2, (c[k:] - c[:-k]) / k)
        env = _edge(t - 2e-3, 2e-3) * _edge(p["length_s"] - 2e-3 - t, 2e-3)
        return np.exp(1j * _phase_of(fr, rate)) * env, env
    if typ == "ofdm":  # M-point IFFT at the sample rate, cyclic prefix M/4, 2 repeated training symbols
        m, used = p["fft"], p["used"]
        k = np.concatenate([np.arange(1, used // 2 + 1), np.arange(-(used // 2), 0)]) % m
        syms = []
        train = np.zeros(m, complex)
        train[k[::2]] = np.exp(1j * np.pi / 4 * rng.integers(0, 8, k[::2].size))
        for s in range(p["nsym"] + 2):
            if s < 2:
                spec = train
            else:
                spec = np.zeros(m, complex)
                spec[k] = (rng.choice([-1, 1], k.size) + 1j * rng.choice([-1, 1], k.size)) / math.sqrt(2)
            x = np.fft.ifft(spec)
            syms.append(np.concatenate([x[-m // 4:], x]))
        x = np.concatenate(syms)
        x = x / math.sqrt(np.mean(np.abs(x) ** 2))
        t = np.arange(x.size) / rate
        env = _edge(t - 8 / rate, 8 / rate) * _edge(t[-1] - 8 / rate - t, 8 / rate)
        return x * env, env
    if typ == "keyfob":  # PWM OOK: 1 = 2/3 on, 0 = 1/3 on, a sync pulse, frequency pulling when keyed
        sym = p["symbol_s"]
        code = np.random.default_rng(p["seed"]).integers(0, 2, p["nbits"])
        n = int((p["nbits"] + 4) * sym * rate)
        t = np.arange(n) / rate
        on = np.zeros(n)
        onset = np.full(n, -1.0)
        pulses = [(0.0, sym)] + [((4 + i) * sym, (4 + i + (2 / 3 if b else 1 / 3)) * sym) for i, b in enumerate(code)]
        for a, b in pulses:
            m = (t >= a - 20e-6) & (t <= b + 20e-6)
            on[m] = np.maximum(on[m], _edge(t[m] - a, 20e-6) * _edge(b - t[m], 20e-6))
            onset[m] = a
        fr = p["pull_hz"] * (1 - np.exp(-np.maximum(t - onset, 0) / 60e-6))
        return on * np.exp(1j * _phase_of(fr, rate)), on
    raise ValueError(typ)


# -- the receiver ---------------------------------------------------------------------------------


class _Receiver:
    def __init__(self, rx, rate, n, rng):
        self.rx = rx
        self.rate = rate
        kind = rx["filter"]
        wn = 2 * rx["edge"]
        if kind == "ellip":
            self.sos = signal.ellip(rx["order"], rx["ripple_db"], rx["stop_db"], wn, output="sos")
        else:
            self.sos = signal.cheby1(rx["order"], rx["ripple_db"], wn, output="sos")
        self.tilt = complex(*rx["tilt"])
        a = 10 ** (rx["iq_gain_db"] / 40)
        b = 1 / a
        phi = math.radians(rx["iq_phase_deg"])
        self.mu = (a + b * np.exp(-1j * phi)) / 2
        self.nu = (a - b * np.exp(1j * phi)) / 2
        t = np.arange(n) / rate
        dev = rx["lo_drift_hz_per_s"] * (t - t[-1] / 2) + rx["lo_wander_hz"] * np.sin(
            2 * np.pi * t / rx["lo_wander_period_s"] + rng.uniform(0, 6.3))
        self.lo_dev_hz = dev
        self.lo = np.exp(1j * (_phase_of(dev, rate) + _wiener(rng, n, rate, rx["lo_linewidth_hz"])))

    def tilt_of(self, x):
        z = x.copy()
        z[1:] += self.tilt * x[:-1]
        return z

    def wanted(self, z):
        """The direct IQ term through the band-edge filter (z: after LO and tilt)."""
        return signal.sosfilt(self.sos, self.mu * z)

    def full(self, z):
        return signal.sosfilt(self.sos, self.mu * z + self.nu * np.conj(z))


def _occupied(x, rate, frac=0.99):
    """(lo, hi) offsets (Hz) holding `frac` of a waveform's power."""
    nfft = max(4096, 1 << math.ceil(math.log2(x.size)))
    s = np.abs(np.fft.fftshift(np.fft.fft(x, nfft))) ** 2
    f = np.fft.fftshift(np.fft.fftfreq(nfft, 1 / rate))
    c = np.cumsum(s) / s.sum()
    lo = f[np.searchsorted(c, (1 - frac) / 2)]
    hi = f[min(np.searchsorted(c, 1 - (1 - frac) / 2), nfft - 1)]
    return float(lo), float(hi)


def _quantise(v, dtype, rng, dnl):
    """Stored codes of real values in LSB units (cu8: offset 127.5), with per-code threshold errors."""
    if dtype == "cs16":
        return np.clip(np.rint(v), -32768, 32767)
    lo, hi = (0, 255) if dtype == "cu8" else (-128, 127)
    off = 127.5 if dtype == "cu8" else 0.0
    thr = np.arange(lo, hi) + 0.5 + dnl * rng.uniform(-1, 1, hi - lo)
    return lo + np.searchsorted(thr, v + off).astype(float) - off


def render(spec: dict) -> tuple[np.ndarray, list[dict]]:
    """(samples, truth dicts in rfkit's event schema) of a recording spec."""
    rate, dtype = spec["rate_hz"], spec["dtype"]
    n = round(spec["duration_s"] * rate)
    duration = n / rate
    rng = np.random.default_rng(spec["seed"])
    rx = spec["receiver"]
    rcv = _Receiver(rx, rate, n, rng)
    lsb = LSB[dtype]
    q = 2 * lsb**2 / 12
    t = np.arange(n) / rate

    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * math.sqrt(0.5)
    noise = rcv.full(rcv.tilt_of(noise))
    noise *= math.sqrt(2 * (rx["noise_lsb"] * lsb) ** 2 / np.mean(np.abs(noise) ** 2))
    n_th = float(np.mean(np.abs(noise) ** 2))
    n_total = n_th + q

    z_em = np.zeros(n, complex)
    truth = []
    center = spec["center_hz"]
    for jam in spec["jammers"]:
        base = jam["base"]
        x, env_h, info = _base_wave(base, t, rate, rng)
        env = _gate(jam, t) * env_h
        if "pulse" in jam:
            pe, info["starts"] = _pulse_env(jam["pulse"], t, rate, rng)
            env = env * pe
        odev = _osc_freq(jam["osc"], t, jam["t_on"])
        x = x * env * np.exp(1j * (_phase_of(odev, rate) + _wiener(rng, n, rate, jam["osc"]["linewidth_hz"])))
        z = rcv.tilt_of(x * rcv.lo)
        on = env >= ON_LEVEL
        if not on.any():
            raise ValueError(f"{spec['name']}: jammer {jam['variant']} is never fully on")
        p_unit = float(np.mean(np.abs(rcv.wanted(z)[on]) ** 2))
        j_pow = n_total * 10 ** (jam["jn_db"] / 10)
        z_em += math.sqrt(j_pow / p_unit) * z
        shift = float(np.mean(odev[on] + rcv.lo_dev_hz[on]))
        half = np.flatnonzero(env >= 0.5)
        truth.append(_jammer_truth(jam, half[0] / rate, (half[-1] + 1) / rate, center, shift, rate,
                                   j_pow, duration, info))
        del x, z, env, odev
    for p in spec["traffic"]:
        x, env = _packet_wave(p, rate)
        i0 = round(p["t0"] * rate)
        m = min(x.size, n - i0)
        if m <= 16:
            continue
        x, env = x[:m], env[:m]
        lo_b, hi_b = _occupied(x, rate)
        x = x * np.exp(1j * 2 * np.pi * p["freq_hz"] * (t[i0:i0 + m] - t[i0]))
        z = rcv.tilt_of(x * rcv.lo[i0:i0 + m])
        w = rcv.wanted(np.concatenate([z, np.zeros(64)]))[:m]
        on = env >= (ON_LEVEL if p["type"] not in ("adsb",) else 0.5)
        p_pow = n_total * 10 ** (p["jn_db"] / 10)
        z_em[i0:i0 + m] += math.sqrt(p_pow / float(np.mean(np.abs(w[on]) ** 2))) * z
        half = np.flatnonzero(env >= 0.5)
        lo_f = min(max(p["freq_hz"] + lo_b, -rate / 2), rate / 2)
        hi_f = max(min(p["freq_hz"] + hi_b, rate / 2), lo_f)
        truth.append({"start_s": (i0 + half[0]) / rate, "end_s": (i0 + half[-1] + 1) / rate,
                      "freq_lo_hz": center + lo_f, "freq_hi_hz": center + hi_f, "kind": "burst",
                      "jamming": False, "power_dbfs": 10 * math.log10(p_pow), "jn_db": p["jn_db"],
                      "confidence": 1.0, "params": {"bandwidth_hz": hi_f - lo_f, "modulation": p["type"]}})
    y_em = rcv.full(z_em) if spec["jammers"] or spec["traffic"] else np.zeros(n, complex)
    del z_em
    sigma = math.sqrt(n_th / 2)
    dc = sigma * rx["dc_sigma"] * np.exp(1j * rx["dc_angle"]) * (
        1 + rx["dc_wander"] * np.sin(2 * np.pi * rx["dc_wander_hz"] * t))
    # headroom: scale the whole front end down (noise, DC and emissions) until nothing clips;
    # emissions are rescaled so that J/(N_th + Q) keeps its label
    k_noise, k_em = 1.0, 1.0
    for _ in range(8):
        y = k_noise * (noise + dc) + k_em * y_em
        peak = float(max(np.max(np.abs(y.real)), np.max(np.abs(y.imag)))) / lsb
        if peak <= HEADROOM_LSB:
            break
        k_noise *= HEADROOM_LSB / peak * 0.98
        k_em = math.sqrt((n_th * k_noise**2 + q) / n_total)
    else:
        raise ValueError(f"{spec['name']}: cannot fit the emissions into the ADC's range")
    if k_em != 1.0:
        for tr in truth:
            tr["power_dbfs"] += 20 * math.log10(k_em)
    codes_re = _quantise(y.real / lsb, dtype, rng, rx["dnl_lsb"])
    codes_im = _quantise(y.imag / lsb, dtype, rng, rx["dnl_lsb"])
    samples = (codes_re + 1j * codes_im) * lsb
    spec["receiver"]["scaled_noise_lsb"] = rx["noise_lsb"] * k_noise
    return samples, truth


def _jammer_truth(jam, start, end, center, shift, rate, j_pow, duration, info):
    base = jam["base"]
    bk = base["kind"]
    p: dict = {}
    lo, hi = jam["band"]
    if bk == "cw":
        p["tones_hz"] = [center + base["freq_hz"] + shift]
    elif bk == "multitone":
        p["tones_hz"] = [center + f + shift for f in base["tones_hz"]]
    elif bk == "chirp":
        bw, per = base["bandwidth_hz"], base["period_s"]
        slope = 2 * bw / per if base["shape"] == "triangle" else bw / (per * (1 - base["flyback"]))
        p.update(sweep_rate_hz_per_s=slope, sweep_period_s=per, sweep_shape=base["shape"], bandwidth_hz=bw)
    elif bk == "noise":
        p["bandwidth_hz"] = base["bandwidth_hz"]
    elif bk == "hopping":
        b = info["bounds"]
        inside = np.flatnonzero((b[:-1] >= start) & (b[1:] <= end))  # hops wholly within the on-time
        dwell = float(np.mean(np.diff(b)[inside])) if inside.size else base["dwell_s"]
        visited = np.unique(info["channels"][inside]) if inside.size else base["channels_hz"]
        p.update(hop_rate_hz=1 / dwell, channels_hz=[center + float(c) + shift for c in visited])
    kind = bk
    if "pulse" in jam:
        pl = jam["pulse"]
        kind = "pulsed"
        st = info["starts"]
        st = st[(st >= start - 1e-9) & (st + pl["width_s"] <= end + 1e-9)]
        prf = 1 / float(np.mean(np.diff(st))) if st.size > 2 else pl["prf_hz"]
        p.update(base_kind=bk, prf_hz=prf, duty_cycle=pl["width_s"] * prf, pulse_width_s=pl["width_s"])
    if bk in ("cw", "multitone", "hopping"):
        lo, hi = lo + shift, hi + shift
    return {"start_s": float(start), "end_s": float(min(end, duration)), "freq_lo_hz": float(center + lo),
            "freq_hi_hz": float(center + hi), "kind": kind, "jamming": True,
            "power_dbfs": 10 * math.log10(j_pow), "jn_db": float(jam["jn_db"]), "confidence": 1.0, "params": p}


# -- writing --------------------------------------------------------------------------------------


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def write_recording(directory, spec: dict) -> Path:
    """Render a spec and write it as `<name>.sigmf-meta/-data` in directory; returns the meta path."""
    from rfkit.detection.events import Event, event_to_annotation
    from rfkit.io.writers import write_sigmf

    samples, truth = render(spec)
    rate = spec["rate_hz"]
    anns = [event_to_annotation(Event(**_plain(d)), sample_rate=rate) for d in truth]
    jams = [f"{j['variant']} J/N {j['jn_db']:+.1f} dB" for j in spec["jammers"]]
    desc = "gen3: " + (", ".join(jams) if jams else spec["category"]) + (
        f", {len(spec['traffic'])} ordinary packets" if spec["traffic"] else "")
    return write_sigmf(Path(directory) / spec["name"], samples, sample_rate=rate, dtype=spec["dtype"],
                       center_freq=spec["center_hz"], hw="benchmarks/gen3.py (generated, not recorded)",
                       annotations=anns, extra_global={"gen3:spec": _plain(spec), "core:description": desc})


def main(argv=None) -> int:
    from setcli import run_set_cli  # (benchmarks/setcli.py: the script's own folder is on sys.path)

    return run_set_cli(argv, prog="gen3.py", description=__doc__.split("\n\n")[0], default_seed=1,
                       manifest="gen3set.json", plan_set=plan_set, write_recording=write_recording, plain=_plain)


if __name__ == "__main__":
    sys.exit(main())
