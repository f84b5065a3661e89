"""Scenarios: emitters + thermal noise (or a real recording) + impairments -> samples and ground truth.

`generate(scenario, seed=)` returns complex64 samples (full scale 1.0) and the ground truth
as `Event`s in the DESIGN.md schema; `iter_blocks` yields the same samples piece by piece;
`write_scenario` streams them into a SigMF pair whose annotations are the ground truth.

Power accounting (all powers are mean |x|², full scale = 1):

    N  = 10^(noise_dbfs/10)          thermal noise over the whole band (complex Gaussian, white)
    J  = 10^(jn_db/10) · N           an emitter's power while transmitting (unit-power waveform × √J)

With a real recording as background, N is that recording's noise floor: the median over
frequency of its averaged periodogram (Hann window, normalised so that white noise of power
σ² reads σ² in every bin), which strong narrow signals do not move; thermal noise is then
not added. Impairments change both powers: the roll-off filter by its mean |H|² over the
band (noise) and over the emitter's spectrum (emitter), IQ imbalance by |μ|²+|ν|² (noise)
and |μ|² (emitter); the ground truth's `jn_db` and `power_dbfs` are the values *in the
recording*, after these gains. The 8-bit ADC's own noise (−49.9 dBFS) is not counted.

Determinism: every random stream is seeded from (seed, stream id) and the samples are made
in fixed internal pieces of `CHUNK` samples, so a seed gives the same bytes every time.

Memory: `generate` holds the whole result, 8 bytes a sample (60 s at 2.4 MS/s = 1.15 GB);
`iter_blocks` and `write_scenario` hold a few arrays of `CHUNK` complex128 samples whatever
the length: writing 60 s at 2.4 MS/s (a chirp, traffic, every impairment; 288 MB of cu8) peaked
at 250 MB resident, 170 MB of which is the interpreter with rfkit imported, in 50 s on one core.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..detection.events import Event, event_to_annotation
from ..errors import ParameterError
from ..io.capture import Capture
from ._sources import StreamFIR, cis, make_source
from .emitters import Emitter, emitter_from_dict
from .impairments import Impairments, iq_coefficients, power_gain, quantize_cu8, rolloff_taps
from .traffic import Traffic, plan_packets, render_packets

__all__ = [
    "CHUNK",
    "SCENARIO_KEY",
    "Scenario",
    "describe",
    "generate",
    "ground_truth",
    "iter_blocks",
    "noise_floor_power",
    "scenario_from_dict",
    "scenario_to_dict",
    "write_scenario",
]

#: Samples made per internal piece (fixes the random streams; bounds memory).
CHUNK = 1 << 17
#: SigMF global key holding the scenario description.
SCENARIO_KEY = "rfkit:scenario"
#: FFT size and maximum samples read to estimate a background recording's noise floor.
FLOOR_NFFT = 1024
FLOOR_MAX_SAMPLES = 1 << 21
#: Bins either side of 0 Hz left out of the floor estimate (the DC spike).
FLOOR_DC_BINS = 2

_STREAM_NOISE = 1
_STREAM_TRAFFIC = 2
_STREAM_EMITTER = 100


@dataclass(frozen=True)
class Scenario:
    """What a recording holds: emitters over noise, seen through a receiver.

    emitters : the interference (see `rfkit.synth.emitters`), offsets relative to the centre.
    rate_hz, duration_s : sample rate and length; duration None takes the background's length.
    center_freq_hz : the receiver's centre (None: ground truth frequencies are offsets).
    noise_dbfs : thermal noise power over the whole band, dBFS (default −30: ~2.9 LSB rms a
        component in cu8, so 8-bit quantisation is not dominant; emitters up to J/N ≈ +20 dB
        stay clear of clipping).
    impairments : RTL-SDR impairments, or None for an ideal receiver.
    traffic : ordinary bursty packets, or None.
    background : a recording (path or open `Capture`) used instead of thermal noise; the
        emitters' J/N are relative to its noise floor; its rate must equal `rate_hz`.
    """

    emitters: tuple[Emitter, ...] = ()
    rate_hz: float = 2.4e6
    duration_s: float | None = 1.0
    center_freq_hz: float | None = 1575.42e6
    noise_dbfs: float = -30.0
    impairments: Impairments | None = None
    traffic: Traffic | None = None
    background: str | os.PathLike | Capture | None = None

    def __post_init__(self):
        object.__setattr__(self, "emitters", tuple(self.emitters))
        if not self.rate_hz > 0:
            raise ParameterError(f"rate_hz={self.rate_hz} must be a positive sample rate in Hz")
        if self.duration_s is None and self.background is None:
            raise ParameterError("duration_s=None needs a background recording to take the length from")
        if self.duration_s is not None and not self.duration_s > 0:
            raise ParameterError(f"duration_s={self.duration_s} must be > 0 seconds")
        for e in self.emitters:
            if not isinstance(e, Emitter):
                raise ParameterError(f"emitter {e!r} is not an rfkit.synth emitter")
            e.check(self.rate_hz)
        if not self.noise_dbfs < 0:
            raise ParameterError(f"noise_dbfs={self.noise_dbfs} must be below 0 dBFS (full scale)")

    @property
    def n_samples(self) -> int | None:
        return None if self.duration_s is None else round(self.duration_s * self.rate_hz)


def noise_floor_power(capture: Capture, *, nfft: int = FLOOR_NFFT, max_samples: int = FLOOR_MAX_SAMPLES) -> float:
    """Noise power over the whole band of a recording (linear, full scale 1): median bin of its periodogram."""
    n = min(capture.info.n_samples or 0, max_samples)
    frames = n // nfft
    if frames < 1:
        raise ParameterError(f"background has {n} samples, fewer than one {nfft}-point frame")
    x = capture.read(0, frames * nfft).astype(np.complex128).reshape(frames, nfft)
    w = np.hanning(nfft)
    p = np.mean(np.abs(np.fft.fft(x * w, axis=1)) ** 2, axis=0) / np.sum(w * w)
    keep = np.ones(nfft, dtype=bool)
    keep[:FLOOR_DC_BINS + 1] = False
    keep[-FLOOR_DC_BINS:] = False
    return float(np.median(p[keep]))


class _Plan:
    """Everything fixed before the first sample: scales, sources, packets, ground truth."""

    def __init__(self, sc: Scenario, seed: int, *, render: bool = True):
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ParameterError(f"{seed=} must be a non-negative integer")
        self.sc = sc
        self.seed = int(seed)
        self.rate = sc.rate_hz
        imp = sc.impairments or Impairments()
        self.imp = imp
        self.capture = None
        self._own_capture = False
        if sc.background is not None:
            self._open_background()
            n_bg = self.capture.info.n_samples or 0
            self.n = n_bg if sc.duration_s is None else sc.n_samples
            if self.n > n_bg:
                raise ParameterError(
                    f"duration_s={sc.duration_s} is longer than the background ({n_bg / self.rate:.6g} s)"
                )
            self.noise_power = noise_floor_power(self.capture)
            if not self.noise_power > 0:
                raise ParameterError("the background recording is silent (noise floor 0): nothing to scale J/N by")
            self.thermal = False
        else:
            self.n = sc.n_samples
            self.noise_power = 10 ** (sc.noise_dbfs / 10)
            self.thermal = True
        if self.n < 1:
            raise ParameterError(f"duration_s={sc.duration_s} gives no samples at rate_hz={self.rate}")
        self.center = sc.center_freq_hz
        self.shift = imp.shift_hz(self.center)
        self.taps = rolloff_taps(imp) if imp.rolloff else None
        self.mu, self.nu = iq_coefficients(imp)
        mu2, nu2 = abs(self.mu) ** 2, abs(self.nu) ** 2
        g_noise = 1.0
        if self.thermal:
            if self.taps is not None:
                grid = (np.arange(4096) + 0.5) / 4096 * self.rate - self.rate / 2
                g_noise = float(np.mean(power_gain(self.taps, grid, self.rate)))
            g_noise *= mu2 + nu2
        self.noise_in_recording = self.noise_power * g_noise

        self.emitters = []  # (emitter, amplitude, start sample, end sample, source)
        self.truth: list[Event] = []
        for idx, e in enumerate(sc.emitters):
            amp = math.sqrt(10 ** (e.jn_db / 10) * self.noise_power)
            g_e = mu2
            if self.taps is not None:
                g_e *= float(np.mean(power_gain(self.taps, np.asarray(e.spectrum_hz()) + self.shift, self.rate)))
            s = min(self.n, math.ceil(e.start_s * self.rate))
            end = self.n if e.end_s is None else min(self.n, math.ceil(e.end_s * self.rate))
            src = None
            if render and end > s:
                rng = np.random.default_rng([self.seed, _STREAM_EMITTER + idx])
                src = make_source(e, rate_hz=self.rate, rng=rng, n_total=end - s)
            self.emitters.append((e, amp, s, end, src))
            if end > s:
                self.truth.append(self._event(e, s, end, amp * amp * g_e))

        self.packets, self.packet_amps = [], []
        if sc.traffic is not None:
            rng = np.random.default_rng([self.seed, _STREAM_TRAFFIC])
            self.packets = plan_packets(sc.traffic, rate_hz=self.rate, duration_s=self.n / self.rate, rng=rng)
            for p in self.packets:
                a = math.sqrt(10 ** (p.jn_db / 10) * self.noise_power)
                g_e = mu2
                if self.taps is not None:
                    g_e *= float(np.mean(power_gain(self.taps, [p.offset_hz + self.shift], self.rate)))
                self.packet_amps.append(a)
                lo, hi = p.offset_hz - p.half_band_hz + self.shift, p.offset_hz + p.half_band_hz + self.shift
                self.truth.append(self._make_event(
                    p.start_s, p.end_s, lo, hi, "burst", False, a * a * g_e, {"bandwidth_hz": 2 * p.half_band_hz}))
        self.truth.sort(key=lambda ev: (ev.start_s, ev.freq_lo_hz))

    def _open_background(self):
        from ..io import open as open_capture

        bg = self.sc.background
        if isinstance(bg, Capture):
            self.capture = bg
        else:
            self.capture = open_capture(bg)
            self._own_capture = True
        rate = self.capture.info.sample_rate
        if abs(rate - self.rate) > 1e-6 * self.rate:
            self.close()
            raise ParameterError(f"rate_hz={self.rate:g} differs from the background's sample rate {rate:g} Hz")

    def close(self):
        if self._own_capture and self.capture is not None:
            self.capture.close()
            self.capture = None

    def _abs(self, f: float) -> float:
        return f + self.shift + (self.center or 0.0)

    def _make_event(self, start_s, end_s, lo, hi, kind, jamming, power, params) -> Event:
        c = self.center or 0.0
        return Event(
            start_s=float(start_s), end_s=float(end_s), freq_lo_hz=float(lo + c), freq_hi_hz=float(hi + c),
            kind=kind, jamming=jamming, power_dbfs=float(10 * np.log10(power)),
            jn_db=float(10 * np.log10(power / self.noise_in_recording)), confidence=1.0, params=params,
        )

    def _event(self, e: Emitter, s: int, end: int, power: float) -> Event:
        lo, hi = e.band_hz()
        params = e.params(self.shift + (self.center or 0.0))
        return self._make_event(s / self.rate, end / self.rate, lo + self.shift, hi + self.shift,
                                e.kind, True, power, params)

    # -- the sample pipeline ------------------------------------------------------------
    def _antenna(self, n_out: int) -> Iterator[np.ndarray]:
        """What reaches the receiver: thermal noise + emitters + traffic, shifted by the LO error."""
        noise_rng = np.random.default_rng([self.seed, _STREAM_NOISE])
        sigma = math.sqrt(self.noise_power / 2)
        for i0 in range(0, n_out, CHUNK):
            m = min(CHUNK, n_out - i0)
            sig = np.zeros(m, dtype=np.complex128)
            for _e, amp, s, end, src in self.emitters:
                a, b = max(i0, s), min(i0 + m, end)
                if b > a:
                    sig[a - i0:b - i0] += amp * src(a - s, b - a)
            if self.packets:
                tr = render_packets(self.packets, self.packet_amps, i0=i0, n=m, rate_hz=self.rate)
                if tr is not None:
                    sig += tr
            if self.shift:
                sig *= cis(self.shift * (i0 + np.arange(m, dtype=np.float64)) / self.rate)
            if self.thermal:  # I and Q interleaved: the stream's prefix does not depend on its length
                sig += sigma * noise_rng.standard_normal(2 * m).view(np.complex128)
            yield sig

    def blocks(self) -> Iterator[np.ndarray]:
        """The recording's samples, complex64, in pieces (about CHUNK samples each)."""
        if self.taps is None:
            stream = self._antenna(self.n)
        else:
            stream = _centred(self._antenna(self.n + (self.taps.size - 1) // 2), self.taps, self.n)
        pos = 0
        for x in stream:
            if self.nu != 0 or self.mu != 1:
                x = self.mu * x + self.nu * np.conj(x)
            dc = self.imp.dc_offset
            if dc[0] or dc[1]:
                x = x + complex(dc[0], dc[1])
            if self.capture is not None:
                x = x + self.capture.read(pos, x.size)
            if self.imp.adc_8bit:
                x = quantize_cu8(x)
            pos += x.size
            yield x.astype(np.complex64)


def _centred(chunks: Iterator[np.ndarray], taps: np.ndarray, n: int) -> Iterator[np.ndarray]:
    """Filter a stream with a linear-phase FIR, delay removed: fed n + (L−1)/2 samples, yields n."""
    fir = StreamFIR(taps)
    skip = (taps.size - 1) // 2
    done = 0
    for x in chunks:
        y = fir(x)
        if skip:
            d = min(skip, y.size)
            y, skip = y[d:], skip - d
        y = y[: n - done]
        done += y.size
        if y.size:
            yield y


def iter_blocks(scenario: Scenario, *, seed: int) -> Iterator[np.ndarray]:
    """The scenario's samples as consecutive complex64 arrays (bounded memory, ~CHUNK each)."""
    plan = _Plan(scenario, seed)
    try:
        yield from plan.blocks()
    finally:
        plan.close()


def ground_truth(scenario: Scenario, *, seed: int) -> list[Event]:
    """The ground-truth events of a scenario (without making its samples)."""
    plan = _Plan(scenario, seed, render=False)
    plan.close()
    return plan.truth


def generate(scenario: Scenario, *, seed: int) -> tuple[np.ndarray, list[Event]]:
    """(samples complex64 [n], ground truth events) of a scenario; same seed, same samples.

    Memory: the whole result, 8 bytes a sample; use `iter_blocks`/`write_scenario` for long ones.
    """
    plan = _Plan(scenario, seed)
    try:
        out = np.empty(plan.n, dtype=np.complex64)
        pos = 0
        for x in plan.blocks():
            out[pos:pos + x.size] = x
            pos += x.size
    finally:
        plan.close()
    return out, plan.truth


def write_scenario(path: str | os.PathLike, scenario: Scenario, *, seed: int, dtype: str = "cu8",
                   datetime: str | None = None) -> Path:
    """Write a scenario as a SigMF pair, ground truth as annotations; returns the `.sigmf-meta` path.

    The data file is written piece by piece (memory bounded by CHUNK). The global object holds
    the scenario description (and seed) under `rfkit:scenario`, so the file can be remade.
    """
    from ..io.formats import sample_format
    from ..io.writers import sigmf_paths, to_stored, write_sigmf_meta

    fmt = sample_format(dtype)
    meta_path, data_path = sigmf_paths(path)
    plan = _Plan(scenario, seed)
    sha = hashlib.sha512()
    try:
        with open(data_path, "wb") as f:
            for x in plan.blocks():
                stored = to_stored(x, fmt)
                sha.update(stored.tobytes())
                stored.tofile(f)
    except OSError as e:
        from ..errors import FormatError

        raise FormatError(f"cannot write {str(data_path)!r}: {e.strerror}") from None
    finally:
        plan.close()
    annotations = [event_to_annotation(ev, sample_rate=plan.rate) for ev in plan.truth]
    write_sigmf_meta(
        meta_path, dtype=dtype, sample_rate=plan.rate, center_freq=scenario.center_freq_hz,
        datetime=datetime, hw="rfkit.synth (generated, not recorded)", annotations=annotations,
        extra_global={SCENARIO_KEY: scenario_to_dict(scenario, seed=seed),
                      "core:description": describe(scenario)},
        sha512=sha.hexdigest(),
    )
    return meta_path


def describe(sc: Scenario) -> str:
    """A one-line description: kinds, J/N and times."""
    parts = []
    for e in sc.emitters:
        k = e.kind if e.kind != "pulsed" else f"pulsed {e.base.kind}"
        when = f"{e.start_s:g}-{'end' if e.end_s is None else f'{e.end_s:g}'} s"
        parts.append(f"{k} J/N {e.jn_db:+g} dB {when}")
    if sc.traffic is not None:
        parts.append("bursty traffic")
    if not parts:
        parts.append("noise only")
    bg = "" if sc.background is None else " over a real recording"
    return "synthetic: " + ", ".join(parts) + bg


def scenario_to_dict(sc: Scenario, *, seed: int | None = None) -> dict:
    """A JSON-able description of the scenario (inverse: `scenario_from_dict`)."""
    bg = sc.background
    if isinstance(bg, Capture):
        bg = bg.info.path
    d = {
        "rate_hz": sc.rate_hz,
        "duration_s": sc.duration_s,
        "center_freq_hz": sc.center_freq_hz,
        "noise_dbfs": sc.noise_dbfs,
        "emitters": [e.to_dict() for e in sc.emitters],
        "impairments": None if sc.impairments is None else sc.impairments.to_dict(),
        "traffic": None if sc.traffic is None else sc.traffic.to_dict(),
        "background": None if bg is None else os.fspath(bg),
    }
    if seed is not None:
        d["seed"] = int(seed)
    return d


def scenario_from_dict(d: dict) -> Scenario:
    """The scenario a `scenario_to_dict` result describes (the `seed` key, if any, is ignored)."""
    d = dict(d)
    d.pop("seed", None)
    try:
        d["emitters"] = tuple(emitter_from_dict(e) for e in d.get("emitters", ()))
        if d.get("impairments") is not None:
            d["impairments"] = Impairments(**d["impairments"])
        if d.get("traffic") is not None:
            d["traffic"] = Traffic(**d["traffic"])
        return Scenario(**d)
    except TypeError as e:
        raise ParameterError(f"scenario description: {e}") from None

