"""A conversation's history, bounded: the oldest turns are forgotten once it holds too many or too much.

A client can add turns for as long as it likes (Gemini's ``clientContent`` with ``turnComplete: false``
and OpenAI's ``conversation.item.create`` add them without a reply), so what the server keeps per
conversation is capped at `MAX_TURNS` turns and `MAX_CHARS` characters (as the turns took on the wire:
`Turn.chars`); the oldest turns go first, and the latest turn is always kept. User turns that were
forgotten still count in `History.user_turns`, so a scripted ``{turn}`` number keeps rising.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import overload

from livetui.server.core.turns import Turn

MAX_TURNS = 400
"""The most turns a conversation keeps."""
MAX_CHARS = 4_000_000
"""The most characters (of the turns' JSON, base64 data included) a conversation keeps: room for a message
sent as several 1 MiB frames, which must all be remembered until it is answered."""


class History(Sequence[Turn]):
    """The turns a conversation remembers, oldest first (see the module docstring)."""

    def __init__(self, max_turns: int = MAX_TURNS, max_chars: int = MAX_CHARS) -> None:
        self.max_turns = max_turns
        """The most turns kept."""
        self.max_chars = max_chars
        """The most characters kept."""
        self.forgotten_user_turns = 0
        """User turns dropped from the front so far."""
        self.added = 0
        """Turns ever added, forgotten ones included (a position that trimming does not move)."""
        self._turns: deque[tuple[Turn, int]] = deque()
        self._chars = 0

    @property
    def chars(self) -> int:
        """The characters the kept turns take."""
        return self._chars

    @property
    def user_turns(self) -> int:
        """User turns ever added, forgotten ones included."""
        return self.forgotten_user_turns + sum(1 for turn, _ in self._turns if turn.role != "model")

    def extend(self, turns: Iterable[Turn]) -> None:
        """Append turns, then forget the oldest ones beyond the bounds."""
        for turn in turns:
            size = turn.chars
            self._turns.append((turn, size))
            self._chars += size
            self.added += 1
        while len(self._turns) > 1 and (len(self._turns) > self.max_turns or self._chars > self.max_chars):
            turn, size = self._turns.popleft()
            self._chars -= size
            if turn.role != "model":
                self.forgotten_user_turns += 1

    def revise(self, item_id: str, text: str) -> bool:
        """Replace the text of the kept turn named `item_id` (what the user heard of a reply, say);
        False when no kept turn has that id."""
        for index, (turn, size) in enumerate(self._turns):
            if item_id and turn.item_id == item_id:
                revised = replace(turn, text=text, size=0)
                self._turns[index] = (revised, revised.chars)
                self._chars += revised.chars - size
                return True
        return False

    def copy(self) -> History:
        """A separate history holding the same turns (and count of forgotten ones)."""
        twin = History(self.max_turns, self.max_chars)
        twin.forgotten_user_turns = self.forgotten_user_turns
        twin.added = self.added
        twin._turns = deque(self._turns)
        twin._chars = self._chars
        return twin

    def since(self, added: int) -> list[Turn]:
        """The kept turns added after the first `added` (a value of :attr:`added` taken earlier)."""
        newer = self.added - added
        return [turn for turn, _ in islice(self._turns, max(len(self._turns) - newer, 0), None)]

    @overload
    def __getitem__(self, index: int) -> Turn: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Turn]: ...
    def __getitem__(self, index: int | slice) -> Turn | Sequence[Turn]:
        if isinstance(index, slice):
            return [turn for turn, _ in list(self._turns)[index]]
        return self._turns[index][0]

    def __len__(self) -> int:
        return len(self._turns)

    def __iter__(self) -> Iterator[Turn]:
        return (turn for turn, _ in self._turns)

    def __reversed__(self) -> Iterator[Turn]:
        return (turn for turn, _ in reversed(self._turns))
