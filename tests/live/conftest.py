"""Fixtures for the live tests: small recordings with known bytes, replay servers that always stop."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from rfkit.io.rtltcp import RtlTcpServer


@pytest.fixture
def cu8_file(tmp_path):
    """A 0.4 s cu8 recording of seeded random bytes, named rtl_433-style (433.92 MHz, 250 kS/s)."""
    rng = np.random.default_rng(6)
    data = rng.integers(0, 256, size=2 * 100_000, dtype=np.uint8)
    p = tmp_path / "rand_433.92M_250k.cu8"
    data.tofile(p)
    return p


@pytest.fixture
def serve():
    """Factory: start an RtlTcpServer on a free loopback port; every one is stopped at teardown."""
    servers = []

    def start(source, **kw):
        kw.setdefault("port", 0)
        srv = RtlTcpServer(source, **kw).start()
        servers.append(srv)
        return srv

    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def rtl_433():
    """Path of Debian's rtl_433 (skips where it is not installed)."""
    exe = shutil.which("rtl_433")
    if exe is None:
        pytest.skip("rtl_433 is not installed (Debian package rtl-433)")
    return exe
