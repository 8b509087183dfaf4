"""The server-wide registry of resumable conversations: a handle names a conversation's history.

What the registry keeps is bounded: at most `MAX_SESSIONS` handles, none older than `MAX_AGE` seconds
since it was issued or last used, and only the latest `HANDLES_PER_CONVERSATION` of each conversation;
the least recently used go first.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from livetui.server.core.history import History

MAX_SESSIONS = 256
"""Handles kept for resumption; the least recently used ones are forgotten first."""
MAX_AGE = 2 * 60 * 60.0
"""Seconds a handle is kept after it was issued or last used (Google keeps them about two hours)."""
HANDLES_PER_CONVERSATION = 2
"""Handles kept per conversation: its latest, and the one before in case the latest never arrived."""


class Handles:
    """The server-wide registry of resumable conversations, by handle (bounded: module docstring)."""

    def __init__(
        self,
        capacity: int = MAX_SESSIONS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        """How many handles are remembered at most."""
        self.max_age = max_age
        """Seconds a handle is remembered after it was issued or last used."""
        self._clock = clock
        self._histories: OrderedDict[str, tuple[History, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._histories)

    def issue(self, history: History) -> str:
        """A new handle for the conversation whose (live) history is `history`."""
        handle = secrets.token_urlsafe(18)
        now = self._clock()
        older = [h for h, (kept, _) in self._histories.items() if kept is history]
        for stale in older[: max(0, len(older) - HANDLES_PER_CONVERSATION + 1)]:
            del self._histories[stale]
        self._histories[handle] = (history, now)
        self._forget(now)
        return handle

    def find(self, handle: str) -> History | None:
        """The history of the conversation `handle` names, as it is now; None for an unknown handle."""
        now = self._clock()
        self._forget(now)
        found = self._histories.get(handle)
        if found is None:
            return None
        self._histories[handle] = (found[0], now)
        self._histories.move_to_end(handle)
        return found[0]

    def _forget(self, now: float) -> None:
        """Drop the handles over the capacity and those past their age, least recently used first."""
        histories = self._histories
        while histories and (
            len(histories) > self.capacity or now - next(iter(histories.values()))[1] > self.max_age
        ):
            histories.popitem(last=False)
