"""What the local server saw in the latest camera frame, and how it puts that into words.

`Scene` is plain data (no OpenCV here); `livetui.server.core.senses.vision` makes it from a frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Light = Literal["dark", "dim", "bright"]
"""How much light there is in a picture."""

NO_FRAMES_REPLY = "I can't see anything yet: no camera frames have arrived."
"""The answer to "what do you see" before any frame arrived."""


def _faces(count: int) -> str:
    if count == 0:
        return "no faces"
    return "1 face" if count == 1 else f"{count} faces"


@dataclass(frozen=True)
class Scene:
    """The analysis of one frame."""

    width: int
    """The frame's width, in pixels."""
    height: int
    """The frame's height, in pixels."""
    faces: int
    """Frontal faces found."""
    brightness: float
    """Mean brightness, 0 (black) to 1 (the brightest each pixel's colour can be)."""
    light: Light
    """The brightness in a word."""
    colour: str
    """The name of the most common colour (``blue``, ``white``, ``grey``...)."""
    qr: str | None = None
    """The text of a QR code in the picture, if one was found."""

    def describe(self) -> str:
        """The scene as the model says it: ``I see 1 face; the picture is bright and mostly blue.``"""
        text = f"I see {_faces(self.faces)}; the picture is {self.light} and mostly {self.colour}."
        if self.qr:
            text += f" There is a QR code that says: {self.qr}"
            text += "" if self.qr.endswith((".", "!", "?")) else "."
        return text

    def summary(self) -> str:
        """The scene in one line for a language model's context."""
        text = (
            f"The user's camera shows {_faces(self.faces)} in a {self.light} picture that is mostly "
            f"{self.colour}"
        )
        if self.qr:
            text += f', with a QR code that says "{self.qr}"'
        return text + "."


SEEING_QUESTION = re.compile(
    r"\bwhat (?:do|can) you see\b"
    r"|\bdescribe (?:the|this|my|what you see in the) (?:scene|image|picture|view|frame|camera)\b"
    r"|\bwhat(?:'s| is) in front of you\b"
    r"|\bwhat (?:are you|am i) (?:looking at|showing you)\b",
    re.IGNORECASE,
)
"""Words that ask what the model sees ("what do you see", "describe the scene", ...)."""


def asks_what_is_seen(text: str) -> bool:
    """True when the user's words ask what the model sees."""
    return SEEING_QUESTION.search(text.replace("\u2019", "'")) is not None


def scene_text(scene: Scene | None) -> str:
    """The answer to "what do you see": the scene described, or that no frame has arrived yet."""
    return scene.describe() if scene is not None else NO_FRAMES_REPLY
