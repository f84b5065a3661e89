"""The bounded ring between receiver thread and analysis: drop-oldest, wait, close, bounds."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from rfkit.errors import ParameterError, SourceError
from rfkit.io.ring import BlockRing


def block(start: int, n: int = 100) -> np.ndarray:
    return np.full(2 * n, start % 256, np.uint8)


def test_fifo_order_and_indices():
    r = BlockRing(capacity_bytes=10_000)
    for k in range(5):
        assert r.put(block(k * 100), k * 100)
    got = [r.get(0) for _ in range(5)]
    assert [g.start for g in got] == [0, 100, 200, 300, 400]
    assert all(g.n_samples == 100 for g in got)
    assert r.get(0.01) is None  # empty, open: times out


def test_drop_oldest_when_full_counts_what_it_drops():
    r = BlockRing(capacity_bytes=1000, overflow="drop")  # room for 5 blocks of 200 bytes
    for k in range(12):
        assert r.put(block(k), k * 100)  # never blocks
    assert len(r) == 5
    assert (r.dropped_blocks, r.dropped_samples) == (7, 700)
    assert [r.get(0).start for _ in range(5)] == [700, 800, 900, 1000, 1100]  # the newest stay
    assert r.high_water_bytes <= 1000


def test_a_block_larger_than_the_ring_still_passes_alone():
    r = BlockRing(capacity_bytes=100)
    r.put(block(0, 500), 0)
    r.put(block(500, 500), 500)
    assert r.dropped_blocks == 1 and r.get(0).start == 500


def test_wait_policy_is_lossless_and_bounded():
    r = BlockRing(capacity_bytes=1000, overflow="wait")
    done = threading.Event()

    def producer():
        for k in range(50):
            r.put(block(k), k * 100)
        r.close()
        done.set()

    t = threading.Thread(target=producer)
    t.start()
    starts = []
    while (item := r.get(5)) is not None:
        starts.append(item.start)
        time.sleep(0.001)
    t.join(5)
    assert done.is_set() and starts == [k * 100 for k in range(50)]
    assert r.dropped_blocks == 0 and r.high_water_bytes <= 1000


def test_wait_policy_gives_up_when_told_to_stop():
    r = BlockRing(capacity_bytes=200, overflow="wait")
    r.put(block(0), 0)
    stop = threading.Event()
    stop.set()
    assert r.put(block(1), 100, stop=stop) is False


def test_close_drains_then_ends_and_keeps_the_first_error():
    r = BlockRing(capacity_bytes=10_000)
    r.put(block(0), 0)
    r.close(SourceError("unplugged"))
    r.close(SourceError("later"))
    assert r.put(block(1), 100) is False
    assert r.get(0).start == 0
    assert r.get(1) is None
    assert str(r.error) == "unplugged"


@pytest.mark.parametrize(("kw", "match"), [({"capacity_bytes": 0}, "capacity_bytes=0"),
                                           ({"capacity_bytes": 10, "overflow": "block"}, "overflow='block'")])
def test_bad_parameters(kw, match):
    with pytest.raises(ParameterError, match=match):
        BlockRing(**kw)
