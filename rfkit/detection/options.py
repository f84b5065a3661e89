"""Every tunable of the detector, with units in its name and a default (`DetectorOptions`).

The CLI builds one `--field-name` option per field from `dataclasses.fields(DetectorOptions)`,
so field types stay simple (float, int, bool, str) and each has `metadata={"help": ...}`.
Defaults are set for physical reasons (stated in each help text), not tuned to a test set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

from ..errors import ParameterError

__all__ = ["DetectorOptions", "resolve_options"]


def _opt(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class DetectorOptions:
    """Thresholds, resolutions and durations of the detector (seconds, hertz, dB)."""

    fine_bin_hz: float = _opt(
        1200.0,
        "target bin width of the fine spectrogram in Hz; nfft is the power of two nearest "
        "sample_rate/fine_bin_hz (64..65536), so tones are resolved to ~1 kHz at any rate")
    row_s: float = _opt(
        0.01,
        "duration of one fine-spectrogram row in s (frames are averaged over it); sets the "
        "time resolution of start/end (well inside the 50 ms target)")
    pfa: float = _opt(
        1e-6,
        "false-alarm probability per time-frequency cell of the CFAR tests; thresholds come "
        "from the chi-square law of the averaged periodogram, not from trials")
    min_excess_db: float = _opt(
        0.2,
        "smallest excess over the noise floor counted as an emission, in dB, whatever the "
        "statistics say (guards against receiver ripple and floor drift in long averages)")
    floor_rise_db: float = _opt(
        0.4,
        "smallest rise of the whole-band noise floor over the quiet reference reported as a "
        "wideband emission, in dB (whole-band noise at J/N -5 dB raises the floor 1.2 dB)")
    min_bandwidth_bins: int = _opt(
        1, "narrowest emission kept, in fine bins")
    merge_gap_hz: float = _opt(
        3000.0, "segments of one row closer than this in frequency are one emission, in Hz")
    confirm_s: float = _opt(
        0.25,
        "an emission must persist this long (s) before it is confirmed and classified online; "
        "a jammer is alerted once it has also lasted min_jamming_s: with the defaults the live "
        "alert comes ~0.45 s after onset")
    hold_s: float = _opt(
        0.5,
        "gaps shorter than this (s) do not end an emission: a pulsed or hopping jammer is one "
        "event, not one per pulse or hop")
    min_jamming_s: float = _opt(
        0.4,
        "shortest emission that may be called jamming, in s, where it starts or ends inside the "
        "input; shorter ones are ordinary bursts (keyfob and sensor packets last 1-40 ms and "
        "repeat 3-6 times within ~0.3 s; LoRa packets at spreading factors up to 10 last under "
        "0.3 s; longer trains are told apart by their irregular, low time duty)")
    min_jn_db: float = _opt(
        -20.0,
        "weakest emission reported as jamming, J/N over the whole band in dB (at -20 dB a jammer "
        "lifts the noise by 0.04 dB; weaker lines are receiver spurs as often as not)")
    analysis_s: float = _opt(
        0.4, "seconds of raw IQ analysed for classification each time an emission is classified")
    reclassify_s: float = _opt(
        10.0, "an emission that lasts is classified again every this many seconds (s)")
    coarse_nfft: int = _opt(
        64, "FFT size of the short-time (coarse) analysis used for fast sweeps and short pulses")
    dc_guard_hz: float = _opt(
        0.0,
        "half-width in Hz around 0 Hz offset where a narrow stationary line is taken as the "
        "receiver's DC offset (not reported as jamming); 0 = two fine bins")
    reference: str = _opt(
        "auto",
        "reference for whole-band floor rises: 'auto' (the quietest part of the input, or the "
        "baseline when given), 'input' (ignore the baseline for the floor), 'none'")
    clip_warn_fraction: float = _opt(
        0.01, "fraction of samples at the converter rails above which the output warns of clipping")
    block_size: int = _opt(262_144, "samples read and pushed at a time")

    def __post_init__(self):
        checks = (
            ("fine_bin_hz", self.fine_bin_hz > 0),
            ("row_s", self.row_s > 0),
            ("pfa", 0 < self.pfa < 0.5),
            ("min_excess_db", self.min_excess_db >= 0),
            ("floor_rise_db", self.floor_rise_db > 0),
            ("min_bandwidth_bins", self.min_bandwidth_bins >= 1),
            ("merge_gap_hz", self.merge_gap_hz >= 0),
            ("confirm_s", self.confirm_s >= 0),
            ("hold_s", self.hold_s >= 0),
            ("min_jamming_s", self.min_jamming_s >= 0),
            ("min_jn_db", self.min_jn_db < 100),
            ("analysis_s", self.analysis_s > 0),
            ("reclassify_s", self.reclassify_s > 0),
            ("coarse_nfft", self.coarse_nfft >= 8 and self.coarse_nfft & (self.coarse_nfft - 1) == 0),
            ("dc_guard_hz", self.dc_guard_hz >= 0),
            ("reference", self.reference in ("auto", "input", "none")),
            ("clip_warn_fraction", 0 <= self.clip_warn_fraction <= 1),
            ("block_size", self.block_size >= 1024),
        )
        for name, ok in checks:
            value = getattr(self, name)
            if isinstance(value, float) and not math.isfinite(value):
                ok = False
            if not ok:
                raise ParameterError(f"{name}={value!r} is out of range: {_help(name)}")


def _help(name: str) -> str:
    for f in fields(DetectorOptions):
        if f.name == name:
            return f.metadata["help"]
    return ""


def resolve_options(options: DetectorOptions | None = None, **overrides) -> DetectorOptions:
    """`options` (defaults where None) with keyword overrides applied; unknown names are errors."""
    opts = options if options is not None else DetectorOptions()
    if not isinstance(opts, DetectorOptions):
        raise ParameterError(f"options={opts!r} must be a DetectorOptions")
    if not overrides:
        return opts
    names = {f.name for f in fields(DetectorOptions)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ParameterError(f"unknown detector option(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    return replace(opts, **overrides)
