"""Handing audio blocks from a device thread to the event loop without ever blocking either side.

A device callback runs on PortAudio's thread and must return quickly, so it only schedules
:meth:`DropOldestQueue.offer` on the loop with ``loop.call_soon_threadsafe``. The queue is bounded: when
the consumer falls behind (a slow network), the *oldest* block is dropped, so the newest audio always gets
through and memory stays flat.
"""

from __future__ import annotations

import asyncio
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
