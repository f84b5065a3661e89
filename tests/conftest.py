"""Shared fixtures: where the real recordings are."""

from __future__ import annotations

from pathlib import Path

import pytest
from realdata import REAL


@pytest.fixture
def real_captures() -> Path:
    """The folder of third-party recordings (skips the test where it is absent)."""
    if not (REAL / "MANIFEST.md").exists():
        pytest.skip(f"real recordings not found at {REAL} (they sit beside the project in ../shared)")
    return REAL
