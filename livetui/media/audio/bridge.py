"""Handing audio blocks from a device thread to the event loop without ever blocking either side.

A device callback runs on PortAudio's thread and must return quickly, so it only hands its block to a
:class:`ThreadHandoff`, which wakes the loop once per batch: blocks that arrive while the loop has not
yet taken the previous ones join them and cross together, in one ``call_soon_threadsafe``. On the loop
they go into a :class:`DropOldestQueue`. The queue is bounded: when the consumer falls behind (a slow
network), the *oldest* block is dropped, so the newest audio always gets through and memory stays flat.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    """A bounded queue on the event loop that drops its oldest item when full. Use from the loop only."""

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        """How many items it holds at most."""
        self.dropped = 0
        """Items dropped because the queue was full."""
        self._items: deque[T] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    def __len__(self) -> int:
        return len(self._items)

    def offer(self, item: T) -> None:
        """Add an item; drop the oldest if the queue is full. Never blocks, never raises."""
        if self._closed:
            return
        if len(self._items) >= self.maxsize:
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._wake()

    def close(self) -> None:
        """No more items will come: `get` returns None once the queue is empty."""
        self._closed = True
        self._wake()

    async def get(self) -> T | None:
        """The oldest item, waiting for one; None once closed and empty."""
        while not self._items:
            if self._closed:
                return None
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class ThreadHandoff(Generic[T]):
    """Items put from any thread reach `queue` on `loop` in batches: one wake-up of the loop per batch."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: DropOldestQueue[T]) -> None:
        self.queue = queue
        """Where the items go, on the loop."""
        self.wakeups = 0
        """Times the loop was woken to take a batch."""
        self._loop = loop
        self._lock = threading.Lock()
        self._batch: list[T] = []
        self._scheduled = False

    def put(self, item: T) -> None:
        """Hand over one item (from any thread); never blocks on the loop, never raises."""
        with self._lock:
            self._batch.append(item)
            if self._scheduled:
                return  # the loop has not taken the batch yet: this item goes with it
            self._scheduled = True
            self.wakeups += 1
        with contextlib.suppress(RuntimeError):  # the loop is closing
            self._loop.call_soon_threadsafe(self._deliver)

    def close(self) -> None:
        """No more items (from any thread): the queue closes once what was handed over is in it."""
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._close)

    def _take(self) -> list[T]:
        with self._lock:
            batch, self._batch = self._batch, []
            self._scheduled = False
        return batch

    def _deliver(self) -> None:
        for item in self._take():
            self.queue.offer(item)

    def _close(self) -> None:
        self._deliver()
        self.queue.close()
