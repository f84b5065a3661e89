"""Scenario generator: interference + noise + RTL-SDR impairments -> samples with ground truth.

rfkit is receive-only: these waveforms exist only as sample arrays and test recordings,
to test and score detectors.

    >>> from rfkit.synth import Scenario, Chirp, CW, generate
    >>> sc = Scenario(rate_hz=2.4e6, duration_s=1.0, emitters=(
    ...     Chirp(jn_db=0, start_s=0.3, bandwidth_hz=2e6, period_s=20e-6),
    ...     CW(jn_db=-10, offset_hz=250e3)))
    >>> samples, truth = generate(sc, seed=1)
"""

from .emitters import (
    CW,
    EMITTERS,
    SWEEP_SHAPES,
    Chirp,
    Emitter,
    Hopping,
    Multitone,
    Noise,
    Pulsed,
    emitter_from_dict,
)
from .impairments import Impairments
from .scenario import (
    CHUNK,
    SCENARIO_KEY,
    Scenario,
    describe,
    generate,
    ground_truth,
    iter_blocks,
    noise_floor_power,
    scenario_from_dict,
    scenario_to_dict,
    write_scenario,
)
from .traffic import Traffic

__all__ = [
    "CHUNK",
    "CW",
    "EMITTERS",
    "SCENARIO_KEY",
    "SWEEP_SHAPES",
    "Chirp",
    "Emitter",
    "Hopping",
    "Impairments",
    "Multitone",
    "Noise",
    "Pulsed",
    "Scenario",
    "Traffic",
    "describe",
    "emitter_from_dict",
    "generate",
    "ground_truth",
    "iter_blocks",
    "noise_floor_power",
    "scenario_from_dict",
    "scenario_to_dict",
    "write_scenario",
]
