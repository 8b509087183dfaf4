"""The thread → event-loop bridge: bounded, drops the oldest, never blocks the producer."""

from __future__ import annotations

import asyncio
import threading

import pytest

from livetui.media.audio.bridge import DropOldestQueue, ThreadHandoff


async def test_blocks_offered_from_a_thread_arrive_in_order() -> None:
    loop = asyncio.get_running_loop()
    queue: DropOldestQueue[int] = DropOldestQueue(100)

    def device() -> None:
        for n in range(50):
            loop.call_soon_threadsafe(queue.offer, n)
        loop.call_soon_threadsafe(queue.close)

    threading.Thread(target=device).start()
    got = []
    while (item := await queue.get()) is not None:
        got.append(item)
    assert got == list(range(50)) and queue.dropped == 0


async def test_a_full_queue_drops_its_oldest_items() -> None:
    queue: DropOldestQueue[int] = DropOldestQueue(3)
    for n in range(5):
        queue.offer(n)
    assert queue.dropped == 2 and len(queue) == 3
    assert [await queue.get() for _ in range(3)] == [2, 3, 4]
    queue.close()
    queue.offer(9)  # ignored once closed
    assert await queue.get() is None


def test_a_queue_needs_room() -> None:
    with pytest.raises(ValueError):
        DropOldestQueue[int](0)


async def test_blocks_put_while_the_loop_is_busy_cross_in_one_batch() -> None:
    loop = asyncio.get_running_loop()
    queue: DropOldestQueue[int] = DropOldestQueue(100)
    handoff = ThreadHandoff(loop, queue)

    def device() -> None:
        for n in range(5):
            handoff.put(n)

    thread = threading.Thread(target=device)
    thread.start()
    thread.join()  # the loop is blocked here: all five wait for it together
    assert handoff.wakeups == 1 and len(queue) == 0
    assert [await queue.get() for _ in range(5)] == [0, 1, 2, 3, 4]
    handoff.put(5)  # the loop took the batch: the next block wakes it again
    handoff.close()
    assert [await queue.get(), await queue.get()] == [5, None] and handoff.wakeups == 2
