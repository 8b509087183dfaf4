"""The composer: a one-line input at the bottom; Enter sends the message to the model."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = "Message the model… (Enter sends)"
"""What the empty composer shows."""


class Composer(Input):
    """The message input. Enter posts :class:`Composer.Sent`; the app sends it and then clears the input."""

    @dataclass
    class Sent(Message):
        """The user pressed Enter on a message that is not blank."""

        composer: Composer
        """The composer it came from (cleared by whoever sends the text, so unsent text is kept)."""
        text: str
        """The message, stripped of surrounding whitespace."""

        @property
        def control(self) -> Composer:
            """The composer, for `@on(Composer.Sent, "#id")` selectors."""
            return self.composer

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(placeholder=PLACEHOLDER, id=id)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys are text, except Space in an empty composer when the app makes it the talk key
        (its ``space_talks`` attribute is true: push-to-talk)."""
        if key == "space" and not self.value and getattr(self.app, "space_talks", False):
            return False
        return super().check_consume_key(key, character)

    @on(Input.Submitted)
    def _on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            self.post_message(self.Sent(self, text))
