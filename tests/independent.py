"""benchmarks/altgen.py and benchmarks/gen3.py, the independent scenario generators, as modules
for the tests."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _benchmark_module(name: str):
    """The module benchmarks/<name>.py (loaded once; the generators live outside the package on
    purpose)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def altgen():
    """The module benchmarks/altgen.py."""
    return _benchmark_module("altgen")


def gen3():
    """The module benchmarks/gen3.py (the third generator, written without reading the detector)."""
    return _benchmark_module("gen3")


def recording(tmp_path, seed: int, index: int):
    """(plan, detections) of recording `index` of the independent generator's 100-recording set
    `seed`, rebuilt from its plan (same seed, same spec) in tmp_path."""
    import rfkit

    ag = altgen()
    spec = ag.plan_set(100, seed=seed)[index]
    return spec, rfkit.detect(ag.write_recording(tmp_path, spec))


def gen3_run(tmp_path, seed: int, index: int):
    """(truth jammer events, detections) of recording `index` of gen3's 100-recording set `seed`,
    rebuilt from its plan (same seed, same spec) in tmp_path."""
    import rfkit
    from rfkit.detection.score import load_truth

    g = gen3()
    meta = g.write_recording(tmp_path, g.plan_set(100, seed=seed)[index])
    with rfkit.open(meta) as cap:
        truth = [e for e in load_truth(cap.annotations, sample_rate=cap.info.sample_rate) if e.jamming]
    return truth, rfkit.detect(meta)


def gen3_jammed(tmp_path, seed: int, index: int, variant: str):
    """(truth annotation, jamming detections overlapping its band) of recording `index` of gen3's
    100-recording set `seed`, whose name must start with `variant` and which holds one jammer."""
    import rfkit

    g = gen3()
    spec = g.plan_set(100, seed=seed)[index]
    assert spec["name"].startswith(f"{index:03d}_{variant}"), spec["name"]
    meta = g.write_recording(tmp_path, spec)
    with rfkit.open(meta) as cap:
        (truth,) = [a for a in cap.annotations if a.get("rfkit:jamming")]
    lo, hi = truth["core:freq_lower_edge"], truth["core:freq_upper_edge"]
    dets = rfkit.detect(meta)
    jam = [e for e in dets.jamming if e.freq_hi_hz >= lo and e.freq_lo_hz <= hi]
    assert jam, [(e.kind, e.start_s, e.end_s, e.freq_lo_hz, e.freq_hi_hz) for e in dets]
    return truth, jam


def gen3_multitone(tmp_path, seed: int, index: int, n_tones: int, tol_hz: float = 500.0):
    """(truth annotation, event) of recording `index` of gen3's set `seed`, a lone multitone of
    `n_tones` tones: asserted found as one multitone whose tones each lie within `tol_hz` of
    one of the truth's."""
    truth, jam = gen3_jammed(tmp_path, seed, index, "multitone")
    assert [e.kind for e in jam] == ["multitone"], [(e.kind, e.start_s, e.end_s, e.params) for e in jam]
    want = truth["rfkit:params"]["tones_hz"]
    got = jam[0].params["tones_hz"]
    assert len(got) == len(want) == n_tones
    for f in want:
        assert min(abs(f - g) for g in got) <= tol_hz
    return truth, jam[0]


def covering_jammer(d, spec):
    """The one jamming event over more than half the on-time of the plan's first jammer
    (asserted: exactly one)."""
    (t0, t1), = spec["jammers"][0]["on"]
    jam = [e for e in d.jamming if min(e.end_s, t1) - max(e.start_s, t0) > 0.5 * (t1 - t0)]
    assert len(jam) == 1, [(e.kind, e.start_s, e.end_s, e.params) for e in d]
    return jam[0]


def one_jammer(d, spec):
    """`covering_jammer`, its start and end within 50 ms of the truth (asserted)."""
    (t0, t1), = spec["jammers"][0]["on"]
    ev = covering_jammer(d, spec)
    assert abs(ev.start_s - t0) <= 0.05 and abs(ev.end_s - t1) <= 0.05
    return ev


def one_chirp(tmp_path, seed: int, index: int):
    """(event, the plan's jammer, its true sweep rate Hz/s) of recording `index` of set `seed`,
    whose one jammer must be found (`one_jammer`) and called a chirp (asserted)."""
    spec, d = recording(tmp_path, seed, index)
    ev = one_jammer(d, spec)
    jam = spec["jammers"][0]
    assert ev.kind == "chirp", (ev.kind, ev.params)
    rate = (2 if jam["shape"] == "triangle" else 1) * jam["bandwidth_hz"] / jam["period_s"]
    return ev, jam, rate


def tuned_hz(spec) -> float:
    """The frequency the plan's receiver is tuned to (its centre plus the receiver's LO offset):
    the plan's offsets are from it."""
    return spec["center_hz"] + spec["receiver"]["freq_offset_hz"]
