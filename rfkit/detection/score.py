"""Scoring: detections against ground truth (probability of detection, kind accuracy, false alarms
per minute, parameter errors, confusion matrix), over a folder of labelled recordings.

Matching. A detection matches a truth event when their time intervals overlap once widened
by `MatchRules.time_guard_s` on each side, and their frequency bands overlap once widened by
`MatchRules.freq_guard_fraction` of the sample rate on each side (a tone is a band of zero
width). Each truth event takes as its *primary* detection the matching one with the largest
time overlap + frequency overlap (each as a fraction of the union); the other matching
detections are *fragments* (not false alarms, counted separately).

- A jamming truth event is *detected* when a detection with jamming=true matches it.
- *Kind accuracy* is over detected events: the primary detection's kind equals the truth's.
- A *false alarm* is a detection with jamming=true that matches no jamming truth event (one
  matching only an ordinary packet is a false alarm: traffic called jamming). A detection that
  matches only the mirror image of a jamming truth event about the centre frequency (the IQ
  imbalance image) is counted as an *image*, not a false alarm.
- False alarms per minute are reported on recordings without any truth (noise only), with
  only ordinary traffic, and over all recordings.

Parameter errors (primary detection vs truth), with the issue's tolerances (`TOLERANCES`):
tone frequency in FFT bins (each true tone against the nearest measured tone, bin = the
detector's fine bin), sweep rate and PRF in %, duty cycle absolute, J/N in dB, start and end
in ms. A parameter the truth has and the detection lacks counts as *missing* (out of tolerance).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import FormatError, RfkitError
from .events import KINDS, Detections, Event, annotation_to_event

__all__ = [
    "JN_LEVELS_DB",
    "TARGETS",
    "TOLERANCES",
    "FileScore",
    "MatchRules",
    "Recording",
    "ScoreReport",
    "load_truth",
    "match_recording",
    "score_directory",
    "score_recordings",
    "truth_variant",
]

#: J/N levels (dB) the truth events are grouped by (each to the nearest level).
JN_LEVELS_DB = (-10.0, -5.0, 0.0, 10.0)
#: A sweep whose period is shorter than this many samples is "fast" (shorter than one FFT frame).
FAST_SWEEP_FRAME_SAMPLES = 1024
#: Noise narrower than this fraction of the band is "narrow"; wider than WHOLE_FRACTION "whole".
NARROW_FRACTION = 0.2
WHOLE_FRACTION = 0.95

#: Parameter tolerances of issue 5: name -> (limit, unit).
TOLERANCES = {
    "tone_bins": (1.0, "bins"),
    "sweep_rate_pct": (5.0, "%"),
    "prf_pct": (5.0, "%"),
    "duty_abs": (0.05, ""),
    "hop_rate_pct": (5.0, "%"),
    "jn_db": (2.0, "dB"),
    "start_ms": (50.0, "ms"),
    "end_ms": (50.0, "ms"),
}

#: Targets of issue 5 (checked in the report).
TARGETS = {
    "pd_min_at_or_above_-5db": 0.98,
    "pd_min_narrowband_at_-10db": 0.9,
    "kind_accuracy_at_or_above_-5db": 0.95,
    "false_alarms_per_min_max": 0.1,
}
#: Variants counted as narrowband for the −10 dB target.
NARROWBAND_VARIANTS = ("cw", "multitone", "hopping", "pulsed-cw")


@dataclass(frozen=True)
class MatchRules:
    """How near a detection must be to a truth event to match it."""

    time_guard_s: float = 0.05
    freq_guard_fraction: float = 0.01


@dataclass
class Recording:
    """One labelled recording: its truth, what was detected, and its length, rate and centre."""

    name: str
    truth: list[Event]
    detected: list[Event]
    duration_s: float
    sample_rate: float
    center_freq: float | None = None
    bin_hz: float | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileScore:
    """The outcome of matching one recording."""

    name: str
    category: str  # noise-only, traffic, jamming
    duration_s: float
    truths: list[dict]  # one per jamming truth event
    bursts: list[dict]  # one per ordinary-traffic truth event
    false_alarms: list[Event]
    images: list[Event]
    fragments: int
    detected: int


def truth_variant(ev: Event, sample_rate: float) -> str:
    """A finer label than the kind: chirp-saw-fast, noise-whole, pulsed-cw, ..."""
    p = ev.params
    if ev.kind == "chirp":
        shape = "tri" if p.get("sweep_shape") == "triangle" else "saw"
        period = p.get("sweep_period_s")
        speed = "fast" if period is not None and period * sample_rate < FAST_SWEEP_FRAME_SAMPLES else "slow"
        return f"chirp-{shape}-{speed}"
    if ev.kind == "noise":
        frac = p.get("bandwidth_hz", ev.bandwidth_hz) / sample_rate
        return "noise-narrow" if frac < NARROW_FRACTION else "noise-whole" if frac > WHOLE_FRACTION else "noise-partial"
    if ev.kind == "pulsed":
        return f"pulsed-{p.get('base_kind', 'unknown')}"
    return ev.kind


def _nearest_level(jn: float, levels) -> float:
    return min(levels, key=lambda v: abs(v - jn)) if math.isfinite(jn) else float("nan")


def _overlap(a0, a1, b0, b1) -> tuple[float, float]:
    """(overlap length, union length) of two closed intervals."""
    return max(0.0, min(a1, b1) - max(a0, b0)), max(a1, b1) - min(a0, b0)


def _matches(det: Event, tr: Event, rules: MatchRules, rate: float, mirror_about: float | None = None) -> float:
    """Match score (> 0) of a detection and a truth event, 0 where they do not match."""
    g = rules.time_guard_s
    t_ov, t_un = _overlap(det.start_s - g, det.end_s + g, tr.start_s - g, tr.end_s + g)
    if t_ov <= 0:
        return 0.0
    lo, hi = tr.freq_lo_hz, tr.freq_hi_hz
    if mirror_about is not None:
        lo, hi = 2 * mirror_about - hi, 2 * mirror_about - lo
    fg = rules.freq_guard_fraction * rate
    f_ov, f_un = _overlap(det.freq_lo_hz - fg, det.freq_hi_hz + fg, lo - fg, hi + fg)
    if f_ov <= 0:
        return 0.0
    return t_ov / t_un + f_ov / f_un


def _rel_pct(got, want):
    return abs(got - want) / abs(want) * 100 if want else float("nan")


def param_errors(det: Event, tr: Event, *, bin_hz: float) -> dict:
    """Errors of the detection's parameters against the truth's (NaN: the detection lacks it)."""
    pt, pd = tr.params, det.params
    err = {}
    nan = float("nan")
    if "tones_hz" in pt and tr.kind in ("cw", "multitone", "pulsed"):
        got = pd.get("tones_hz")
        if got:
            g = np.asarray(got, dtype=float)
            err["tone_bins"] = max(float(np.min(np.abs(g - t))) for t in pt["tones_hz"]) / bin_hz
        else:
            err["tone_bins"] = nan
    if "sweep_rate_hz_per_s" in pt:
        got = pd.get("sweep_rate_hz_per_s")
        err["sweep_rate_pct"] = nan if got is None else _rel_pct(got, pt["sweep_rate_hz_per_s"])
    if "prf_hz" in pt:
        got = pd.get("prf_hz")
        err["prf_pct"] = nan if got is None else _rel_pct(got, pt["prf_hz"])
    if "duty_cycle" in pt:
        got = pd.get("duty_cycle")
        err["duty_abs"] = nan if got is None else abs(got - pt["duty_cycle"])
    if "hop_rate_hz" in pt:
        got = pd.get("hop_rate_hz")
        err["hop_rate_pct"] = nan if got is None else _rel_pct(got, pt["hop_rate_hz"])
    err["jn_db"] = abs(det.jn_db - tr.jn_db) if math.isfinite(det.jn_db) else nan
    err["start_ms"] = abs(det.start_s - tr.start_s) * 1e3
    err["end_ms"] = abs(det.end_s - tr.end_s) * 1e3
    return err


def match_recording(rec: Recording, *, rules: MatchRules = MatchRules(),
                    jn_levels=JN_LEVELS_DB) -> FileScore:
    """Match one recording's detections to its truth (see the module docstring for the rules)."""
    rate = rec.sample_rate
    bin_hz = rec.bin_hz or rate / FAST_SWEEP_FRAME_SAMPLES
    jam_truth = [t for t in rec.truth if t.jamming]
    bursts_truth = [t for t in rec.truth if not t.jamming]
    dets = list(rec.detected)
    matched_jam = [False] * len(dets)
    truths = []
    fragments = 0
    for tr in jam_truth:
        cands = [(s, i) for i, d in enumerate(dets) if d.jamming and (s := _matches(d, tr, rules, rate)) > 0]
        for _, i in cands:
            matched_jam[i] = True
        row = {
            "recording": rec.name, "kind": tr.kind, "variant": truth_variant(tr, rate), "jn_db": tr.jn_db,
            "jn_level": _nearest_level(tr.jn_db, jn_levels), "detected": bool(cands),
            "detected_kind": None, "errors": {}, "fragments": max(0, len(cands) - 1), "seen_as": None,
        }
        if cands:
            best = dets[max(cands)[1]]
            row["detected_kind"] = best.kind
            row["errors"] = param_errors(best, tr, bin_hz=bin_hz)
            fragments += len(cands) - 1
        else:  # matched only by detections that say "not jamming"?
            other = [(s, i) for i, d in enumerate(dets) if not d.jamming and (s := _matches(d, tr, rules, rate)) > 0]
            if other:
                row["seen_as"] = dets[max(other)[1]].kind
        truths.append(row)
    bursts = []
    for tr in bursts_truth:
        hit = [i for i, d in enumerate(dets) if _matches(d, tr, rules, rate) > 0]
        # called jamming: a jamming=true detection on the packet that is not explained by a jammer
        bursts.append({"recording": rec.name, "seen": bool(hit),
                       "called_jamming": any(dets[i].jamming and not matched_jam[i] for i in hit)})
    center = rec.center_freq or 0.0
    false_alarms, images = [], []
    for i, d in enumerate(dets):
        if not d.jamming or matched_jam[i]:
            continue
        if any(_matches(d, tr, rules, rate, mirror_about=center) > 0 for tr in jam_truth):
            images.append(d)
        else:
            false_alarms.append(d)
    category = "jamming" if jam_truth else "traffic" if bursts_truth else "noise-only"
    return FileScore(name=rec.name, category=category, duration_s=rec.duration_s, truths=truths, bursts=bursts,
                     false_alarms=false_alarms, images=images, fragments=fragments, detected=len(dets))


def _stats(values: list[float], limit: float) -> dict:
    v = np.asarray(values, dtype=float)
    ok = v[np.isfinite(v)]
    return {
        "n": int(v.size),
        "missing": int(v.size - ok.size),
        "median": float(np.median(ok)) if ok.size else None,
        "p90": float(np.percentile(ok, 90)) if ok.size else None,
        "within_tolerance": float(np.mean(np.isfinite(v) & (np.nan_to_num(v, nan=np.inf) <= limit))) if v.size else None,
        "tolerance": limit,
    }


@dataclass
class ScoreReport:
    """Aggregated scores over recordings (see `to_dict` for the fields)."""

    files: list[FileScore]
    jn_levels: tuple[float, ...] = JN_LEVELS_DB
    warnings: list[str] = field(default_factory=list)

    # -- aggregates -------------------------------------------------------------------
    def _rows(self):
        return [r for f in self.files for r in f.truths]

    def pd_table(self, key: str = "kind") -> dict:
        """{label: {level: (detected, total)}} for key 'kind' or 'variant'."""
        t = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for r in self._rows():
            cell = t[r[key]][r["jn_level"]]
            cell[0] += r["detected"]
            cell[1] += 1
        return {k: {lv: tuple(c) for lv, c in v.items()} for k, v in t.items()}

    def kind_accuracy(self) -> dict:
        """{level: (correct, detected)} over detected jamming truth events."""
        t = defaultdict(lambda: [0, 0])
        for r in self._rows():
            if r["detected"]:
                t[r["jn_level"]][0] += r["detected_kind"] == r["kind"]
                t[r["jn_level"]][1] += 1
        return {k: tuple(v) for k, v in t.items()}

    def confusion(self) -> dict:
        """{truth kind: {detected kind, 'not-jamming' or 'missed': count}}, plus row '(none)' for false alarms.

        'not-jamming': the jammer was found but called ordinary traffic (jamming=false).
        """
        c = defaultdict(Counter)
        for r in self._rows():
            c[r["kind"]][r["detected_kind"] or ("not-jamming" if r.get("seen_as") else "missed")] += 1
        for f in self.files:
            for d in f.false_alarms:
                c["(none)"][d.kind] += 1
        return {k: dict(v) for k, v in c.items()}

    def false_alarm_rates(self) -> dict:
        """{category: {'false_alarms', 'minutes', 'per_min', 'recordings'}} for noise-only, traffic, all."""
        out = {}
        for cat in ("noise-only", "traffic", "jamming", "all"):
            fs = [f for f in self.files if cat == "all" or f.category == cat]
            n = sum(len(f.false_alarms) for f in fs)
            minutes = sum(f.duration_s for f in fs) / 60
            out[cat] = {"recordings": len(fs), "false_alarms": n, "minutes": minutes,
                        "per_min": n / minutes if minutes > 0 else None}
        return out

    def param_stats(self, *, min_level: float | None = None) -> dict:
        vals = defaultdict(list)
        for r in self._rows():
            if min_level is not None and not r["jn_level"] >= min_level:
                continue
            for k, v in r["errors"].items():
                vals[k].append(v)
        return {k: _stats(vals[k], TOLERANCES[k][0]) for k in TOLERANCES if k in vals}

    def targets(self) -> dict:
        """The issue's targets, each with the measured value and whether it is met."""
        pd_var = self.pd_table("variant")
        pd_kind = self.pd_table("kind")

        def pd_min(table, cond_level, labels=None):
            worst = None
            for lab, row in table.items():
                if labels is not None and lab not in labels:
                    continue
                d = sum(v[0] for lv, v in row.items() if cond_level(lv))
                n = sum(v[1] for lv, v in row.items() if cond_level(lv))
                if n:
                    worst = d / n if worst is None else min(worst, d / n)
            return worst

        acc = self.kind_accuracy()
        c = sum(v[0] for lv, v in acc.items() if lv >= -5)
        n = sum(v[1] for lv, v in acc.items() if lv >= -5)
        fa = self.false_alarm_rates()
        fa_worst = max((fa[k]["per_min"] for k in ("noise-only", "traffic") if fa[k]["per_min"] is not None),
                       default=None)
        res = {
            "pd_min_at_or_above_-5db": pd_min(pd_kind, lambda lv: lv >= -5),
            "pd_min_narrowband_at_-10db": pd_min(pd_var, lambda lv: lv == -10, NARROWBAND_VARIANTS),
            "kind_accuracy_at_or_above_-5db": c / n if n else None,
            "false_alarms_per_min_max": fa_worst,
        }
        out = {}
        for k, v in res.items():
            goal = TARGETS[k]
            met = None if v is None else (v <= goal if k.startswith("false") else v >= goal)
            out[k] = {"value": v, "target": goal, "met": met}
        return out

    # -- output -----------------------------------------------------------------------
    def to_dict(self) -> dict:
        def keyed(table):
            return {k: {f"{lv:g}": {"detected": d, "total": n, "pd": d / n} for lv, (d, n) in sorted(v.items())}
                    for k, v in sorted(table.items())}

        return {
            "recordings": len(self.files),
            "jamming_events": len(self._rows()),
            "jn_levels_db": list(self.jn_levels),
            "pd_by_kind": keyed(self.pd_table("kind")),
            "pd_by_variant": keyed(self.pd_table("variant")),
            "kind_accuracy": {f"{lv:g}": {"correct": c, "detected": n, "accuracy": c / n}
                              for lv, (c, n) in sorted(self.kind_accuracy().items())},
            "false_alarms": self.false_alarm_rates(),
            "images": sum(len(f.images) for f in self.files),
            "fragments": sum(f.fragments for f in self.files),
            "bursts": {"total": sum(len(f.bursts) for f in self.files),
                       "seen": sum(b["seen"] for f in self.files for b in f.bursts),
                       "called_jamming": sum(b["called_jamming"] for f in self.files for b in f.bursts)},
            "parameters": self.param_stats(),
            "parameters_at_or_above_-5db": self.param_stats(min_level=-5),
            "confusion": self.confusion(),
            "targets": self.targets(),
            "misses": [{"recording": r["recording"], "variant": r["variant"], "jn_db": r["jn_db"],
                        "seen_as": r.get("seen_as")} for r in self._rows() if not r["detected"]],
            "false_alarm_events": [dict(recording=f.name, **d.to_dict()) for f in self.files for d in f.false_alarms],
            "warnings": list(self.warnings),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, default=_json_default)

    def format_table(self, *, details: bool = False) -> str:
        """Plain-text tables for people."""
        lines = []
        levels = sorted(self.jn_levels)
        head = "".join(f"{f'{lv:+g} dB':>12}" for lv in levels) + f"{'all':>12}"

        def pd_block(title, table):
            lines.append(f"{title:<18}{head}")
            for lab in sorted(table):
                row = table[lab]
                cells = []
                for lv in levels:
                    d, n = row.get(lv, (0, 0))
                    cells.append(f"{d / n:6.2f} {f'({d}/{n})':>5}" if n else f"{'-':>12}")
                d = sum(v[0] for v in row.values())
                n = sum(v[1] for v in row.values())
                cells.append(f"{d / n:6.2f} {f'({d}/{n})':>5}" if n else f"{'-':>12}")
                lines.append(f"{lab:<18}" + "".join(f"{c:>12}" for c in cells))
            lines.append("")

        nrec = len(self.files)
        lines.append(f"{nrec} recordings, {len(self._rows())} jamming events; J/N grouped to the nearest of "
                     f"{', '.join(f'{v:g}' for v in levels)} dB")
        lines.append("")
        pd_block("Pd by kind", self.pd_table("kind"))
        pd_block("Pd by variant", self.pd_table("variant"))
        acc = self.kind_accuracy()
        lines.append(f"{'kind accuracy':<18}" + "".join(
            f"{(f'{acc[lv][0] / acc[lv][1]:6.2f} ({acc[lv][0]}/{acc[lv][1]})' if lv in acc else '-'):>12}"
            for lv in levels))
        lines.append("")
        lines.append("false alarms (jamming=true matching no jamming truth)")
        for cat, v in self.false_alarm_rates().items():
            rate = "-" if v["per_min"] is None else f"{v['per_min']:.2f}/min"
            lines.append(f"  {cat:<12} {v['false_alarms']:4d} in {v['minutes']:6.2f} min over "
                         f"{v['recordings']:3d} recordings  = {rate}")
        d = self.to_dict()
        lines.append(f"  images (mirror of a jammer, IQ imbalance): {d['images']};  "
                     f"fragments (extra detections of one jammer): {d['fragments']}")
        b = d["bursts"]
        lines.append(f"  ordinary packets: {b['total']}, seen {b['seen']}, called jamming {b['called_jamming']}")
        lines.append("")
        lines.append("parameter errors (primary detection vs truth; all levels | J/N >= -5 dB)")
        lines.append(f"  {'parameter':<15}{'n':>5}{'miss':>6}{'median':>10}{'p90':>10}{'ok':>7}"
                     f"   |{'n':>5}{'median':>10}{'ok':>7}   tolerance")
        hi = self.param_stats(min_level=-5)
        for k, s in self.param_stats().items():
            h = hi.get(k, {"n": 0, "median": None, "within_tolerance": None})
            lim, unit = TOLERANCES[k]

            def f(v, w=10, p=3):
                return f"{'-':>{w}}" if v is None else f"{v:>{w}.{p}g}"

            lines.append(f"  {k:<15}{s['n']:>5}{s['missing']:>6}{f(s['median'])}{f(s['p90'])}"
                         f"{f(s['within_tolerance'], 7, 2)}   |{h['n']:>5}{f(h['median'])}"
                         f"{f(h['within_tolerance'], 7, 2)}   <= {lim:g} {unit}")
        lines.append("")
        conf = self.confusion()
        cols = [k for k in KINDS if any(k in r for r in conf.values())] + ["not-jamming", "missed"]
        cols = [c for c in cols if any(c in r for r in conf.values())]
        lines.append("confusion (rows: truth kind; columns: detected kind)")
        lines.append(f"  {'':<10}" + "".join(f"{c:>12}" for c in cols))
        for k in [k for k in KINDS if k in conf] + (["(none)"] if "(none)" in conf else []):
            lines.append(f"  {k:<10}" + "".join(f"{conf[k].get(c, 0) or '.':>12}" for c in cols))
        lines.append("  (not-jamming: found, but called ordinary traffic; (none): false alarms)")
        lines.append("")
        lines.append("targets (issue 5)")
        for k, v in self.targets().items():
            val = "-" if v["value"] is None else f"{v['value']:.3f}"
            mark = "n/a" if v["met"] is None else "met" if v["met"] else "NOT met"
            lines.append(f"  {k:<34} {val:>8}  (target {v['target']:g})  {mark}")
        if details:
            lines.append("")
            for m in d["misses"]:
                seen = f"  (seen as {m['seen_as']}, jamming=false)" if m["seen_as"] else ""
                lines.append(f"  missed: {m['recording']}  {m['variant']}  J/N {m['jn_db']:+.1f} dB{seen}")
            for r in self._rows():
                if r["detected"] and r["detected_kind"] != r["kind"]:
                    lines.append(f"  wrong kind: {r['recording']}  {r['variant']}  J/N {r['jn_db']:+.1f} dB"
                                 f"  called {r['detected_kind']}")
            for r in self._rows():
                bad = [f"{k} {v:.3g}" if math.isfinite(v) else f"{k} missing"
                       for k, v in r["errors"].items() if k in TOLERANCES and not v <= TOLERANCES[k][0]]
                if bad:
                    lines.append(f"  out of tolerance: {r['recording']}  {r['variant']}  J/N {r['jn_db']:+.1f} dB"
                                 f"  {', '.join(bad)}")
            for fa in d["false_alarm_events"]:
                lines.append(f"  false alarm: {fa['recording']}  {fa['kind']}  {fa['start_s']:.3f}-{fa['end_s']:.3f} s"
                             f"  {(fa['freq_lo_hz'] + fa['freq_hi_hz']) / 2e6:.6f} MHz  J/N {fa['jn_db']:+.1f} dB")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)


def _json_default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    raise TypeError(f"{type(o).__name__} is not JSON serialisable")


def score_recordings(recordings: Iterable[Recording], *, rules: MatchRules = MatchRules(),
                     jn_levels=JN_LEVELS_DB) -> ScoreReport:
    """Score recordings whose detections are already known (the maths, without the detector)."""
    files = []
    warnings = []
    for rec in recordings:
        files.append(match_recording(rec, rules=rules, jn_levels=jn_levels))
        warnings.extend(f"{rec.name}: {w}" for w in rec.warnings)
    return ScoreReport(files=files, jn_levels=tuple(jn_levels), warnings=warnings)


def load_truth(annotations: list[dict], *, sample_rate: float) -> list[Event]:
    """Ground-truth events from rfkit SigMF annotations (those carrying `rfkit:jamming`)."""
    out = []
    for a in annotations:
        if "rfkit:jamming" not in a or a.get("core:label") not in KINDS:
            continue
        out.append(annotation_to_event(a, sample_rate=sample_rate))
    return out


def recordings_in(directory: str | Path) -> list[Path]:
    """The `.sigmf-meta` files of a folder, sorted by name."""
    d = Path(directory)
    if not d.is_dir():
        raise FormatError(f"{str(d)!r} is not a directory of labelled recordings")
    paths = sorted(d.glob("*.sigmf-meta"))
    if not paths:
        raise FormatError(f"{str(d)!r} holds no .sigmf-meta recordings (make some with `rfkit scenario --set`)")
    return paths


def _bin_hz(dets: Detections, rate: float) -> float:
    stats = getattr(dets, "stats", {}) or {}
    for key in ("bin_hz", "fine_bin_hz"):
        if stats.get(key):
            return float(stats[key])
    if stats.get("nfft"):
        return rate / float(stats["nfft"])
    try:  # the detector's fine spectrogram at its default resolution
        from .frontend import fine_nfft
        from .options import DetectorOptions

        return rate / fine_nfft(rate, DetectorOptions().fine_bin_hz)
    except (ImportError, AttributeError, TypeError):
        return rate / FAST_SWEEP_FRAME_SAMPLES


def public_detect() -> Callable:
    """`rfkit.detect`, looked up when needed (the detector is imported only for scoring)."""
    import rfkit

    fn = getattr(rfkit, "detect", None)
    if not callable(fn):
        raise RfkitError("rfkit.detect is not available in this installation: nothing to score")
    return fn


def score_directory(
    directory: str | Path,
    *,
    detect: Callable | None = None,
    rules: MatchRules = MatchRules(),
    jn_levels=JN_LEVELS_DB,
    on_file: Callable[[Path], None] | None = None,
    limit: int | None = None,
    **detect_options,
) -> ScoreReport:
    """Run the detector on every labelled recording of a folder and score it against the truth.

    `detect(path, **detect_options) -> Detections` defaults to `rfkit.detect`; ground truth is
    each recording's rfkit SigMF annotations. `on_file` is called after each recording.
    """
    from ..io import open as open_capture

    if detect is None:
        detect = public_detect()
    paths = recordings_in(directory)[:limit]
    recs = []
    for p in paths:
        with open_capture(p) as cap:
            info = cap.info
            truth = load_truth(cap.annotations, sample_rate=info.sample_rate)
            dets = detect(cap, **detect_options)
        recs.append(Recording(
            name=p.name.removesuffix(".sigmf-meta"), truth=truth, detected=list(dets),
            duration_s=info.duration_s or 0.0, sample_rate=info.sample_rate, center_freq=info.center_freq,
            bin_hz=_bin_hz(dets, info.sample_rate), warnings=list(getattr(dets, "warnings", []))))
        if on_file is not None:
            on_file(p)
    return score_recordings(recs, rules=rules, jn_levels=jn_levels)
