"""A bounded, thread-safe ring of byte blocks between a live receiver thread and the analysis.

The receiver (USB callback, socket reader) puts blocks of stored samples tagged with the index
of their first sample; the consumer takes them in order. Memory is bounded by `capacity_bytes`.
When the consumer falls behind, the ring either drops its OLDEST blocks (`overflow="drop"`:
the receiver is never stalled; what was dropped is counted) or makes the receiver wait
(`overflow="wait"`: lossless, for sources that can be paused, such as a TCP stream).
"""

from __future__ import annotations

import collections
import threading
import time
from typing import NamedTuple

import numpy as np

from ..errors import ParameterError

__all__ = ["OVERFLOW_POLICIES", "BlockRing", "RingItem"]

#: What the ring does when a block arrives and it is full.
OVERFLOW_POLICIES = ("drop", "wait")


class RingItem(NamedTuple):
    """A block of stored components (uint8 for cu8) and the source index of its first sample."""

    data: np.ndarray
    start: int
    n_samples: int


class BlockRing:
    """Bounded FIFO of `RingItem`s; `put` never blocks under `overflow="drop"`.

    Parameters
    ----------
    capacity_bytes : int
        Most bytes held at once (a single block larger than this is still accepted alone).
    bytes_per_sample : int
        Size of one stored complex sample (2 for cu8).
    overflow : {"drop", "wait"}
        Drop the oldest blocks when full, or make `put` wait for room.
    """

    def __init__(self, *, capacity_bytes: int, bytes_per_sample: int = 2, overflow: str = "drop"):
        if capacity_bytes <= 0:
            raise ParameterError(f"{capacity_bytes=} must be a positive number of bytes")
        if overflow not in OVERFLOW_POLICIES:
            raise ParameterError(f"{overflow=} must be one of {', '.join(OVERFLOW_POLICIES)}")
        self.capacity_bytes = int(capacity_bytes)
        self.bytes_per_sample = int(bytes_per_sample)
        self.overflow = overflow
        self._items: collections.deque[RingItem] = collections.deque()
        self._bytes = 0
        self._cond = threading.Condition()
        self._closed = False
        self.error: BaseException | None = None
        #: blocks and samples dropped because the consumer fell behind
        self.dropped_blocks = 0
        self.dropped_samples = 0
        #: the most bytes held at once (to check that memory stays bounded)
        self.high_water_bytes = 0

    def __len__(self) -> int:
        with self._cond:
            return len(self._items)

    @property
    def closed(self) -> bool:
        return self._closed

    def put(self, data: np.ndarray, start: int, *, stop: threading.Event | None = None) -> bool:
        """Add a block (copied by the caller if its buffer is reused); returns False once closed."""
        n = data.size * data.itemsize // self.bytes_per_sample
        item = RingItem(data, int(start), int(n))
        with self._cond:
            if self._closed:
                return False
            if self.overflow == "wait":
                while self._items and self._bytes + data.nbytes > self.capacity_bytes and not self._closed:
                    if stop is not None and stop.is_set():
                        return False
                    self._cond.wait(0.1)
                if self._closed:
                    return False
            else:
                while self._items and self._bytes + data.nbytes > self.capacity_bytes:
                    old = self._items.popleft()
                    self._bytes -= old.data.nbytes
                    self.dropped_blocks += 1
                    self.dropped_samples += old.n_samples
            self._items.append(item)
            self._bytes += data.nbytes
            self.high_water_bytes = max(self.high_water_bytes, self._bytes)
            self._cond.notify_all()
            return True

    def get(self, timeout_s: float | None = None) -> RingItem | None:
        """The oldest block; None when the ring is closed and empty, or after `timeout_s`."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            while not self._items:
                if self._closed:
                    return None
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining if remaining is not None else 0.5)
            item = self._items.popleft()
            self._bytes -= item.data.nbytes
            self._cond.notify_all()
            return item

    def close(self, error: BaseException | None = None) -> None:
        """No more blocks will come; `error` says why, if the source failed."""
        with self._cond:
            if error is not None and self.error is None:
                self.error = error
            self._closed = True
            self._cond.notify_all()
