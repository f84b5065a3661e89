"""Raw reader: random access and blocks against numpy, chunked extents, bounded resident memory."""

from __future__ import annotations

import os

import numpy as np
import pytest

import rfkit
from rfkit.io.formats import sample_format
from rfkit.io.raw import open_raw

RNG = np.random.default_rng(5)


@pytest.mark.parametrize(("dtype", "npdtype"), [("cu8", "u1"), ("cs8", "i1"), ("cs16", "<i2"), ("cf32", "<f4"),
                                                 ("cf64", "<f8")])
def test_read_and_blocks_match_numpy(tmp_path, dtype, npdtype):
    fmt = sample_format(dtype)
    n = 10_007
    comps = (RNG.integers(0, 255, 2 * n) if dtype == "cu8" else RNG.integers(-128, 127, 2 * n)).astype(npdtype)
    p = tmp_path / f"x.{dtype}"
    comps.tofile(p)
    expect = ((comps.astype(np.float64) - fmt.offset) / fmt.scale).reshape(-1, 2)
    expect = (expect[:, 0] + 1j * expect[:, 1]).astype(np.complex64)
    with rfkit.open(p, rate=1e6) as cap:
        np.testing.assert_allclose(cap.read(), expect, rtol=2e-7, atol=1e-7)  # float32 arithmetic: 1 ulp
        np.testing.assert_array_equal(cap.read(9_999, 100), cap.read()[9_999:])
        blocks = list(cap.blocks(1000, overlap=250))
        assert [b.start for b in blocks] == list(range(0, n - 250, 750))
        for b in blocks:
            np.testing.assert_array_equal(b.samples, cap.read(b.start, 1000))
        assert blocks[-1].start + blocks[-1].samples.size == n
        part = list(cap.blocks(300, start=5000, count=1000))
        assert [b.start for b in part] == [5000, 5300, 5600, 5900]
        assert part[-1].samples.size == 100


def test_extents_join_chunks_in_order(tmp_path):
    a = np.arange(0, 20, dtype="<i2")
    b = np.arange(100, 140, dtype="<i2")
    blob = b"JUNK!" + a.tobytes() + b"XYZ" + b.tobytes() + b"\x01"  # odd offsets on purpose
    (tmp_path / "c.bin").write_bytes(blob)
    with open_raw(tmp_path / "c.bin", dtype="cs16", sample_rate=1.0,
                  extents=[(5, a.nbytes), (5 + a.nbytes + 3, b.nbytes + 1)]) as cap:
        assert cap.info.n_samples == 30 and cap.info.leftover_bytes == 1
        both = np.concatenate([a, b]).astype(np.float32) / 32768
        np.testing.assert_array_equal(cap.read().real, both[0::2])
        np.testing.assert_array_equal(cap.read(8, 4).imag, both[17:25:2])
        np.testing.assert_array_equal(cap.raw(9, 2), np.concatenate([a, b])[18:22])


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc (Linux) to read the resident set")
def test_streaming_keeps_resident_memory_bounded(tmp_path):
    def rss_kb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    p = tmp_path / "big.cu8"
    with open(p, "wb") as f:
        chunk = RNG.integers(0, 256, 16 << 20, dtype=np.uint8)
        for _ in range(8):  # 128 MiB
            chunk.tofile(f)
    del chunk
    with rfkit.open(p, rate=1e6) as cap:
        next(cap.blocks(1 << 18))  # compile and warm up first
        before = rss_kb()
        total = 0
        for blk in cap.blocks(1 << 18):
            total += blk.samples.size
        for pos in range(0, cap.info.n_samples, 1 << 18):
            cap.raw(pos, 1 << 18).sum()
        grown_mb = (rss_kb() - before) / 1024
    assert total == 64 << 20
    assert grown_mb < 48, f"resident set grew by {grown_mb:.0f} MB while streaming 128 MiB"
