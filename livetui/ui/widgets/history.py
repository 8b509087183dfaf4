"""The composer's history of sent messages, walked with Up and Down as a shell walks its history."""

from __future__ import annotations

MAX_HISTORY = 500
"""Sent messages remembered (the oldest are forgotten first)."""


class History:
    """Sent messages, oldest first, and where a walk through them stands.

    A walk starts with :meth:`older` from the text being typed (the draft), which is kept: :meth:`newer`
    past the newest message gives it back.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        """What was sent, oldest first (a message sent twice in a row is kept once)."""
        self._index: int | None = None
        self._draft = ""

    @property
    def walking(self) -> bool:
        """True while the composer shows a message from the history."""
        return self._index is not None

    def add(self, text: str) -> None:
        """Remember a sent message; ends any walk."""
        if not self.messages or self.messages[-1] != text:
            self.messages.append(text)
            del self.messages[:-MAX_HISTORY]
        self._index = None
        self._draft = ""

    def older(self, current: str) -> str | None:
        """The message before the one shown (the newest when a walk starts from `current`), or None."""
        if not self.messages or self._index == 0:
            return None
        if self._index is None:
            self._draft = current
            self._index = len(self.messages)
        self._index -= 1
        return self.messages[self._index]

    def newer(self) -> str | None:
        """The message after the one shown, the draft past the newest, or None outside a walk."""
        if self._index is None:
            return None
        self._index += 1
        if self._index < len(self.messages):
            return self.messages[self._index]
        self._index = None
        return self._draft

    def stop(self) -> None:
        """The user edited the message shown: it is a new draft, and the walk is over."""
        self._index = None
