"""Phrases said over and over: the guard that stops a small model's loop, and the measure the bench prints.

A phrase is `PHRASE_WORDS` words in a row, compared without case or punctuation. A reply "repeats a
phrase" when one occurs `REPEATS` times or more.
"""

from __future__ import annotations

import re
from collections import Counter

PHRASE_WORDS = 3
"""The words of a phrase."""
REPEATS = 3
"""How many times a phrase must occur for the reply to count as repeating it."""

_WORD = re.compile(r"[\w']+")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, without punctuation."""
    return [word.lower() for word in _WORD.findall(text)]


def phrase_counts(text: str) -> Counter[tuple[str, ...]]:
    """How often each phrase of `text` occurs."""
    said = words(text)
    return Counter(tuple(said[i : i + PHRASE_WORDS]) for i in range(len(said) - PHRASE_WORDS + 1))


def repeats_a_phrase(text: str) -> bool:
    """True when some phrase occurs `REPEATS` times or more in `text`."""
    return any(count >= REPEATS for count in phrase_counts(text).values())


class LoopGuard:
    """Watches a reply as it streams and says when the next delta would say a phrase a `REPEATS`-th time."""

    def __init__(self) -> None:
        self._text = ""

    def allows(self, delta: str) -> bool:
        """True when `delta` may be said; False when it would make the reply repeat a phrase (the reply
        should then end before it)."""
        text = self._text + delta
        if repeats_a_phrase(text):
            return False
        self._text = text
        return True
