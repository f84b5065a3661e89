"""`rfkit scenario`: write a synthetic labelled recording (or a whole scoring set) as SigMF."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import ParameterError
from .common import parse_float, progress

NAME = "scenario"
HELP = "write a synthetic test recording with ground-truth annotations (or a labelled scoring set)"
DESCRIPTION = """\
Write a synthetic IQ recording, labelled with its ground truth as SigMF annotations, to test
and score detectors (rfkit is receive-only: this writes sample files, nothing else).

examples:
  rfkit scenario chirp -o gps.sigmf-meta --jn-db -5 --rate 2.4M --freq 1575.42M --duration 2 \\
      --bandwidth 2M --period 20u --start 0.5
  rfkit scenario pulsed --base cw --prf 1k --duty 0.3 -o p.sigmf-meta --impairments
  rfkit scenario none --traffic -o quiet.sigmf-meta          (no jamming: false-alarm test)
  rfkit scenario cw --background real_433.92M_250k.cu8 -o mixed.sigmf-meta --jn-db 0
  rfkit scenario --set scoring/ --count 120 --seed 1       (a labelled set for `rfkit score`)

KIND is one of cw multitone chirp noise pulsed hopping, or none (noise, traffic or background only).
Negative values with a unit suffix need "=": --offset=-100k, --tones=-300k,50k.
J/N is the emission's power while on over the thermal noise power of the whole sampled band.
"""

log = logging.getLogger("rfkit")

KIND_CHOICES = ("cw", "multitone", "chirp", "noise", "pulsed", "hopping", "none")


def _floats(text: str) -> tuple[float, ...]:
    return tuple(parse_float(t) for t in text.split(",") if t.strip())


def _seconds(text: str) -> float:
    """Seconds, with an optional u/m suffix (20u = 20 µs, 5m = 5 ms)."""
    t = text.strip()
    units = {"u": 1e-6, "m": 1e-3, "s": 1.0}
    if t and t[-1] in units:
        return parse_float(t[:-1]) * units[t[-1]]
    return parse_float(t)


def add_arguments(p):
    p.add_argument("kind", metavar="KIND", nargs="?", choices=KIND_CHOICES,
                   help="interference kind: " + " ".join(KIND_CHOICES))
    p.add_argument("-o", "--output", metavar="OUT.sigmf-meta", help="where to write (a SigMF pair)")
    p.add_argument("--set", metavar="DIR", dest="set_dir", help="write a labelled scoring set into DIR instead")
    p.add_argument("--count", type=int, default=120, help="recordings in a --set (default 120)")
    p.add_argument("--seed", type=int, default=None,
                   help="random seed (default 1, or the one --from names): same seed, same bytes")
    p.add_argument("--from", dest="from_file", metavar="SCENARIO",
                   help="remake a scenario described in JSON (a scenario dict, or a .sigmf-meta written "
                        "by rfkit with its rfkit:scenario key); KIND and the emitter options are then ignored")
    p.add_argument("--jn-db", type=float, default=0.0, help="J/N over the whole band, dB (default 0)")
    p.add_argument("--rate", type=parse_float, default=2.4e6, help="sample rate, Hz (default 2.4M)")
    p.add_argument("--freq", type=parse_float, default=1575.42e6, help="centre frequency, Hz (default 1575.42M)")
    p.add_argument("--duration", type=_seconds, default=2.0, help="length, s (default 2)")
    p.add_argument("--start", type=_seconds, default=0.0, help="the emitter switches on at this time, s")
    p.add_argument("--end", type=_seconds, default=None, help="... and off at this time, s (default: the end)")
    p.add_argument("--offset", type=parse_float, default=None,
                   help="emitter frequency offset from the centre, Hz (default: rate/8 for tones, 0 otherwise)")
    p.add_argument("--tones", type=_floats, default=None, help="multitone offsets, Hz, comma-separated")
    p.add_argument("--bandwidth", type=parse_float, default=None,
                   help="swept band of a chirp / width of noise, Hz (default rate/2; noise: rate/10)")
    p.add_argument("--period", type=_seconds, default=1e-3, help="chirp sweep period, s (20u = 20 µs; default 1m)")
    p.add_argument("--shape", choices=("sawtooth", "triangle"), default="sawtooth", help="chirp sweep shape")
    p.add_argument("--base", choices=("cw", "multitone", "chirp", "noise", "hopping"), default="cw",
                   help="what a pulsed emitter switches on and off (default cw)")
    p.add_argument("--prf", type=parse_float, default=1e3, help="pulse repetition frequency, Hz (default 1k)")
    p.add_argument("--duty", type=float, default=0.5, help="pulse duty cycle, 0..1 (default 0.5)")
    p.add_argument("--channels", type=_floats, default=None, help="hopping channel offsets, Hz, comma-separated")
    p.add_argument("--dwell", type=_seconds, default=10e-3, help="hopping dwell time, s (default 10m)")
    p.add_argument("--noise-dbfs", type=float, default=-30.0, help="thermal noise power, dBFS (default -30)")
    p.add_argument("--impairments", action="store_true",
                   help="RTL-SDR impairments: 8-bit ADC, DC offset, IQ imbalance, band-edge roll-off, --ppm")
    p.add_argument("--ppm", type=float, default=20.0, help="frequency error with --impairments, ppm (default 20)")
    p.add_argument("--traffic", action="store_true", help="add ordinary bursty OOK/FSK packets (not jamming)")
    p.add_argument("--background", metavar="REAL", help="mix into this real recording instead of thermal noise")
    p.add_argument("--dtype", choices=("cu8", "cs8", "cs16", "cf32"), default="cu8",
                   help="sample format written (default cu8)")


def build_emitter(args):
    """The emitter the command line describes (None for KIND none)."""
    from .. import synth

    kind = args.kind
    if kind == "none":
        return None
    rate = args.rate
    common = {"jn_db": args.jn_db, "start_s": args.start, "end_s": args.end}

    def base_of(k, **c):
        off = args.offset
        if k == "cw":
            return synth.CW(offset_hz=rate / 8 if off is None else off, **c)
        if k == "multitone":
            tones = args.tones or tuple((off or 0.0) + d for d in (-rate / 8, rate / 16, rate / 5))
            return synth.Multitone(offsets_hz=tones, **c)
        if k == "chirp":
            return synth.Chirp(offset_hz=off or 0.0, bandwidth_hz=args.bandwidth or rate / 2,
                               period_s=args.period, shape=args.shape, **c)
        if k == "noise":
            return synth.Noise(offset_hz=off or 0.0, bandwidth_hz=args.bandwidth or rate / 10, **c)
        if k == "hopping":
            ch = args.channels or tuple((off or 0.0) + rate * f for f in (-0.3, -0.15, 0.05, 0.2, 0.35))
            return synth.Hopping(channels_hz=ch, dwell_s=args.dwell, **c)
        raise ParameterError(f"kind={k!r} is not an emitter kind")

    if kind == "pulsed":
        return synth.Pulsed(base=base_of(args.base), prf_hz=args.prf, duty=args.duty, **common)
    return base_of(kind, **common)


def run(args) -> int:
    from .. import synth

    seed = 1 if args.seed is None else args.seed
    if args.from_file:
        return _from_file(args)
    if args.set_dir:
        from ..synth.sets import write_set

        if args.count < 1:
            raise ParameterError(f"--count={args.count} must be at least 1")
        bar = progress(args.count, desc="scenarios", unit="file")
        paths = write_set(args.set_dir, count=args.count, seed=seed, dtype=args.dtype,
                          on_file=lambda p: bar.update(1))
        bar.close()
        print(f"wrote {len(paths)} labelled recordings to {args.set_dir} (index: {Path(args.set_dir) / 'set.json'})")
        return 0
    if args.kind is None:
        raise ParameterError("give a KIND (cw multitone chirp noise pulsed hopping none) or --set DIR")
    if not args.output:
        raise ParameterError("give the output file with -o OUT.sigmf-meta")
    rate, freq, duration = args.rate, args.freq, args.duration
    if args.background:
        from ..io import open as open_capture

        with open_capture(args.background) as bg:
            rate = bg.info.sample_rate
            freq = bg.info.center_freq if bg.info.center_freq is not None else freq
            duration = min(duration, bg.info.duration_s)
        args.rate = rate
    em = build_emitter(args)
    sc = synth.Scenario(
        emitters=() if em is None else (em,),
        rate_hz=rate,
        duration_s=duration,
        center_freq_hz=freq,
        noise_dbfs=args.noise_dbfs,
        impairments=synth.Impairments.rtlsdr(ppm=args.ppm) if args.impairments else None,
        traffic=synth.Traffic() if args.traffic else None,
        background=args.background,
    )
    return _write(args, sc, seed)


def _write(args, sc, seed: int) -> int:
    from .. import synth

    meta = synth.write_scenario(args.output, sc, seed=seed, dtype=args.dtype)
    truth = synth.ground_truth(sc, seed=seed)
    n = round(sc.duration_s * sc.rate_hz) if sc.duration_s else 0
    print(f"wrote {meta} ({n:,} samples, {sc.duration_s:g} s at {sc.rate_hz / 1e6:g} MS/s, {args.dtype}, "
          f"seed {seed}); ground truth: {len(truth)} event(s)")
    for ev in truth:
        print(f"  {ev.start_s:8.3f}-{ev.end_s:8.3f} s  {ev.center_hz / 1e6:12.6f} MHz  {ev.kind:<9} "
              f"jamming={str(ev.jamming).lower():<5} J/N {ev.jn_db:+6.1f} dB")
    return 0


def _from_file(args) -> int:
    """`--from`: the scenario (and seed) a JSON file or an rfkit .sigmf-meta describes."""
    import json

    from .. import synth
    from ..errors import FormatError, MetadataError

    if not args.output:
        raise ParameterError("give the output file with -o OUT.sigmf-meta")
    try:
        d = json.loads(Path(args.from_file).read_text())
    except OSError as e:
        raise FormatError(f"cannot read {args.from_file!r}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise MetadataError(f"{args.from_file!r} is not JSON ({e.msg}, line {e.lineno})") from None
    if isinstance(d, dict) and "global" in d:
        d = d["global"].get(synth.SCENARIO_KEY)
        if d is None:
            raise MetadataError(f"{args.from_file!r} has no {synth.SCENARIO_KEY} key: not written by rfkit scenario")
    if not isinstance(d, dict):
        raise MetadataError(f"{args.from_file!r} does not hold a scenario object")
    sc = synth.scenario_from_dict(d)
    seed = args.seed if args.seed is not None else int(d.get("seed", 1))
    return _write(args, sc, seed)
