"""Shared fixtures: where the real recordings are, and a clean temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "captures-real"


@pytest.fixture
def real_captures() -> Path:
    """The folder of third-party recordings (skips the test where it is absent)."""
    if not (REAL / "MANIFEST.md").exists():
        pytest.skip(f"real recordings not found at {REAL} (they sit beside the project in ../shared)")
    return REAL


def real(relpath: str) -> Path:
    """One real recording by its path under captures-real/, skipping the test where it is absent."""
    p = REAL / relpath
    if not p.exists():
        pytest.skip(f"real recording {relpath} not found under {REAL}")
    return p
