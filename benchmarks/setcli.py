"""The command line both independent scenario generators share (`altgen.py`, `gen3.py`): plan a
set from a seed, write its recordings into a folder, and a manifest of the plan beside them.
Only the command line is shared; each generator's signals and receiver are its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def run_set_cli(argv, *, prog: str, description: str, default_seed: int, manifest: str,
                plan_set: Callable[..., list[dict]], write_recording: Callable[[Path, dict], Path],
                plain: Callable[[object], object] = lambda v: v) -> int:
    """Parse `argv` (OUT_DIR --count --seed --only --list), write the planned recordings (each
    name on stderr as it is written) and `OUT_DIR/manifest` ({seed, count, recordings}: the plan,
    through `plain` into JSON values); 0."""
    p = argparse.ArgumentParser(
        prog=prog, description=description,
        epilog=f"example: python benchmarks/{prog} /tmp/set --count 100 --seed {default_seed} && "
               "rfkit score /tmp/set --details",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", metavar="OUT_DIR", help="folder to write the recordings into (created)")
    p.add_argument("--count", type=int, default=100, help="number of recordings (default 100)")
    p.add_argument("--seed", type=int, default=default_seed,
                   help=f"random seed: the same seed writes the same set (default {default_seed})")
    p.add_argument("--only", default=None, help="write only recordings whose name contains this text")
    p.add_argument("--list", action="store_true", help="print the plan (one line a recording) and write nothing")
    args = p.parse_args(argv)
    if args.count < 1:
        p.error(f"--count={args.count} must be at least 1")
    specs = plan_set(args.count, seed=args.seed)
    if args.only:
        specs = [s for s in specs if args.only in s["name"]]
    if args.list:
        for s in specs:
            print(f"{s['name']}  {s['duration_s']:.3f} s  traffic {len(s['traffic'])}")
        return 0
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for s in specs:
        write_recording(out, s)
        print(s["name"], file=sys.stderr)
    (out / manifest).write_text(json.dumps({"seed": args.seed, "count": args.count, "recordings": plain(specs)},
                                           indent=1) + "\n")
    return 0
