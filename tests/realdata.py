"""Where the third-party recordings are (../shared/captures-real), and a helper that skips without them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "captures-real"


def real(relpath: str) -> Path:
    """One real recording by its path under captures-real/, skipping the test where it is absent."""
    p = REAL / relpath
    if not p.exists():
        pytest.skip(f"real recording {relpath} not found under {REAL} (it sits beside the project in ../shared)")
    return p
