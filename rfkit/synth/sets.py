"""Labelled scoring sets: many short synthetic recordings covering every kind, J/N and sample rate.

`plan_set(count, seed=)` draws the scenarios (deterministic for a seed); `write_set(dir, ...)`
writes them as SigMF pairs plus an index `set.json`. What a set holds:

- every variant of jamming, round robin over J/N levels (`JN_LEVELS_DB`): cw, multitone, chirp
  sawtooth/triangle × slow (5–50 ms periods: lines on a waterfall) / fast (10–100 µs, or at
  least 24 samples: shorter than one FFT frame), noise narrow (1–10 % of the band) / partial
  (30–70 %) / whole band, pulsed (over cw, fast chirp, narrow noise, multitone; PRF 100–2000 Hz
  log-uniform, duty 0.1–0.6), hopping (4–10 channels, dwell 1–20 ms log-uniform);
- the jammer switches on at 20–35 % of the recording (a quiet reference to compare with:
  without it a whole-band noise jammer cannot be told from thermal noise), and in 30 % of
  recordings off again at 90–97 %, so that it lasts at least 0.55 s (a jammer is sustained;
  packets of ordinary traffic last milliseconds);
- sample rates 250 kS/s, 1.024 MS/s, 2.4 MS/s (30, 30, 32 %) and 10 MS/s (8 %);
  lengths 1–2.5 s (10 MS/s: 1 s);
- RTL-SDR impairments in half of them, bursty traffic added to a quarter;
- 20 % without jamming, for false-alarm rates: half noise only, half with traffic only.

Frequencies are drawn as fractions of the sample rate, inside ±0.4 of it (`EDGE`); the dongle's
frequency error moves them by at most 0.05 of it (`MAX_SHIFT`).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..errors import FormatError, ParameterError
from .emitters import CW, Chirp, Hopping, Multitone, Noise, Pulsed
from .impairments import Impairments
from .scenario import Scenario, scenario_to_dict, write_scenario
from .traffic import Traffic

__all__ = ["JN_LEVELS_DB", "VARIANTS", "SetItem", "plan_set", "write_set"]

#: J/N levels the jamming recordings cycle through, dB.
JN_LEVELS_DB = (-10.0, -5.0, 0.0, 10.0)
#: Sample rates and how often each is drawn.
RATES_HZ = (250e3, 1.024e6, 2.4e6, 10e6)
RATE_WEIGHTS = (0.3, 0.3, 0.32, 0.08)
#: Recording lengths, s.
DURATION_RANGE_S = (1.0, 2.5)
DURATION_10M_S = 1.0
#: When the jammer switches on, and (in OFF_FRACTION of recordings) off, as fractions of the length.
ON_RANGE = (0.2, 0.35)
OFF_RANGE = (0.9, 0.97)
OFF_FRACTION = 0.3
#: Fraction of recordings without jamming (half noise only, half traffic only).
QUIET_FRACTION = 0.2
#: Band edge kept free, as a fraction of the rate (emissions stay within ±(0.5 − EDGE)·rate,
#: where the RTL-SDR roll-off of `Impairments.rtlsdr` is still flat to 0.05 dB).
EDGE = 0.1
#: Largest apparent shift of the dongle's crystal error, as a fraction of the rate: with the
#: emissions inside ±(0.5 − EDGE)·rate, it keeps them inside the roll-off's passband (a real
#: receiver filters what its error pushes past Nyquist; the generator would alias it back in).
MAX_SHIFT = EDGE / 2

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
    "pulsed-chirp",
    "pulsed-noise",
    "pulsed-multitone",
    "hopping",
)


class SetItem(dict):
    """One planned recording: name, variant, jn_db, scenario, seed (a dict, for the index)."""


def _loguniform(rng, lo, hi):
    return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _offset_for(rng, rate, half_width):
    lim = (0.5 - EDGE) * rate - half_width
    return float(rng.uniform(-lim, lim)) if lim > 0 else 0.0


def _tones(rng, rate, k):
    lim = (0.5 - EDGE) * rate
    grid = rng.choice(np.arange(-0.9, 0.91, 0.05), size=k, replace=False)  # ≥ 1 % of the rate apart with the jitter
    return tuple(sorted(float(g * lim + rng.uniform(-0.005, 0.005) * rate) for g in grid))


def _base(variant: str, rng, rate: float, **common):
    """The emitter of a variant name (without the pulsed- prefix)."""
    if variant == "cw":
        return CW(offset_hz=_offset_for(rng, rate, 0), **common)
    if variant == "multitone":
        return Multitone(offsets_hz=_tones(rng, rate, int(rng.integers(2, 6))), **common)
    if variant.startswith("chirp"):
        shape = "triangle" if "-tri" in variant else "sawtooth"
        fast = not variant.endswith("slow")
        bw = float(rng.uniform(0.3, 0.8) if fast else rng.uniform(0.2, 0.8)) * rate
        if fast:
            period = float(rng.uniform(max(10e-6, 24 / rate), max(100e-6, 96 / rate)))
        else:
            period = _loguniform(rng, 5e-3, 50e-3)
        return Chirp(offset_hz=_offset_for(rng, rate, bw / 2), bandwidth_hz=bw, period_s=period, shape=shape,
                     **common)
    if variant == "noise-narrow":
        bw = float(rng.uniform(0.01, 0.1)) * rate
        return Noise(offset_hz=_offset_for(rng, rate, bw / 2), bandwidth_hz=bw, **common)
    if variant == "noise-partial":
        bw = float(rng.uniform(0.3, 0.7)) * rate
        return Noise(offset_hz=_offset_for(rng, rate, bw / 2), bandwidth_hz=bw, **common)
    if variant == "noise-whole":
        return Noise(offset_hz=0.0, bandwidth_hz=rate, **common)
    if variant == "hopping":
        k = int(rng.integers(4, 11))
        spacing = float(rng.uniform(0.02, 0.08)) * rate
        span = spacing * (k - 1)
        if span > (1 - 2 * EDGE) * rate:
            spacing = (1 - 2 * EDGE) * rate / (k - 1)
            span = spacing * (k - 1)
        lo = _offset_for(rng, rate, span / 2) - span / 2
        return Hopping(channels_hz=tuple(lo + spacing * i for i in range(k)),
                       dwell_s=_loguniform(rng, 1e-3, 20e-3), **common)
    raise ParameterError(f"variant={variant!r} is not one of {', '.join(VARIANTS)}")


def make_emitter(variant: str, rng: np.random.Generator, *, rate_hz: float, jn_db: float,
                 start_s: float, end_s: float | None):
    """A random emitter of `variant` (see VARIANTS) with physically sensible parameters."""
    common = {"jn_db": jn_db, "start_s": start_s, "end_s": end_s}
    if variant.startswith("pulsed-"):
        base_name = {"pulsed-cw": "cw", "pulsed-chirp": "chirp-saw-fast", "pulsed-noise": "noise-narrow",
                     "pulsed-multitone": "multitone"}[variant]
        base = _base(base_name, rng, rate_hz)
        return Pulsed(base=base, prf_hz=_loguniform(rng, 100.0, 2000.0), duty=float(rng.uniform(0.1, 0.6)),
                      **common)
    return _base(variant, rng, rate_hz, **common)


def plan_set(count: int, *, seed: int) -> list[SetItem]:
    """The `count` recordings of a scoring set (deterministic for a seed)."""
    if count < 1:
        raise ParameterError(f"{count=} must be at least 1")
    rng = np.random.default_rng([seed, 7])
    n_quiet = max(2, round(count * QUIET_FRACTION)) if count >= 4 else 0
    n_jam = count - n_quiet
    cells = [(v, jn) for jn in JN_LEVELS_DB for v in VARIANTS]
    items = []
    for i in range(count):
        rate = float(rng.choice(RATES_HZ, p=RATE_WEIGHTS))
        duration = DURATION_10M_S if rate >= 10e6 else round(float(rng.uniform(*DURATION_RANGE_S)), 3)
        impaired = bool(rng.random() < 0.5)
        imp = Impairments.rtlsdr(ppm=float(rng.uniform(-30, 30))) if impaired else None
        if i < n_jam:
            variant, jn = cells[i % len(cells)]
            start = round(duration * float(rng.uniform(*ON_RANGE)), 4)
            end = round(duration * float(rng.uniform(*OFF_RANGE)), 4) if rng.random() < OFF_FRACTION else None
            em = make_emitter(variant, rng, rate_hz=rate, jn_db=jn, start_s=start, end_s=end)
            traffic = Traffic() if rng.random() < 0.25 else None
            emitters = (em,)
        else:
            quiet_idx = i - n_jam
            variant = "traffic" if quiet_idx % 2 else "noise-only"
            jn = None
            emitters = ()
            traffic = Traffic(rate_per_s=float(rng.uniform(2, 6))) if variant == "traffic" else None
        center = _center(rng)
        sc = Scenario(emitters=emitters, rate_hz=rate, duration_s=duration, center_freq_hz=center,
                      impairments=_shift_within_band(imp, center, rate), traffic=traffic)
        jn_txt = "" if jn is None else f"_jn{int(jn):+d}"
        name = f"{i:03d}_{variant}{jn_txt}_{int(rate / 1e3)}k"
        items.append(SetItem(name=name, variant=variant, jn_db=jn, scenario=sc, seed=int(seed) * 100_000 + i))
    return items


def _shift_within_band(imp: Impairments | None, center_hz: float, rate_hz: float) -> Impairments | None:
    """`imp` with its ppm error cut to an apparent shift of at most MAX_SHIFT of the rate.

    30 ppm at 2.44 GHz moves every emission by 73 kHz, past the band edge of a 250 kS/s
    recording; the truth would then name a frequency the recording cannot hold.
    """
    if imp is None:
        return None
    limit_ppm = MAX_SHIFT * rate_hz / (center_hz * 1e-6)
    if abs(imp.ppm) <= limit_ppm:
        return imp
    return dataclasses.replace(imp, ppm=math.copysign(limit_ppm, imp.ppm))


def _center(rng) -> float:
    """A plausible centre frequency: GPS L1, 433.92 MHz, 868.3 MHz or 2.44 GHz."""
    return float(rng.choice((1575.42e6, 433.92e6, 868.3e6, 2440e6)))


def write_set(directory: str | os.PathLike, *, count: int, seed: int, dtype: str = "cu8",
              on_file: Callable[[Path], None] | None = None) -> list[Path]:
    """Write a scoring set into `directory` (created); returns the `.sigmf-meta` paths.

    `set.json` lists every recording with its variant, J/N and scenario.
    """
    d = Path(directory)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FormatError(f"cannot create {str(d)!r}: {e.strerror}") from None
    paths, index = [], []
    for item in plan_set(count, seed=seed):
        p = write_scenario(d / f"{item['name']}.sigmf-meta", item["scenario"], seed=item["seed"], dtype=dtype)
        paths.append(p)
        index.append({"file": p.name, "variant": item["variant"], "jn_db": item["jn_db"], "seed": item["seed"],
                      "scenario": scenario_to_dict(item["scenario"])})
        if on_file is not None:
            on_file(p)
    (d / "set.json").write_text(json.dumps({"count": len(paths), "seed": seed, "recordings": index}, indent=1) + "\n")
    return paths
