"""One instance per process of a sense that is costly to load or global underneath."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def process_wide(factory: Callable[[], T]) -> Callable[[], T]:
    """Wrap `factory` so it runs once per process: the first caller builds the object, under a lock (two
    connections starting together must not build two), and every caller gets that same object."""
    lock = threading.Lock()
    built: list[T] = []

    def shared() -> T:
        with lock:
            if not built:
                built.append(factory())
            return built[0]

    shared.__doc__ = factory.__doc__
    return shared
