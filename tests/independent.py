"""benchmarks/altgen.py, the independent scenario generator, as a module for the tests."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def altgen():
    """The module benchmarks/altgen.py (loaded once; it lives outside the package on purpose)."""
    spec = importlib.util.spec_from_file_location("altgen", ROOT / "benchmarks" / "altgen.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["altgen"] = mod
    spec.loader.exec_module(mod)
    return mod
