"""Numbers as people say them ("six", "forty-two", "one hundred and five") written as digits.

Speech recognition writes what it hears in words, so "what is six times seven" reaches the brain with no
digit in it. `with_digits` rewrites each run of number words as one number, so the arithmetic intent sees
"what is 6 times 7". A run follows the order of spoken English (a ten may take a unit, "hundred" and the
larger scales multiply what precedes them, "and" may follow a scale), so "one two" stays two numbers.
"""

from __future__ import annotations

import re

_UNITS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)
}
_SCALES = {"thousand": 1_000, "million": 1_000_000}
_TOKEN = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
_JOINER = re.compile(r" +| *- *")
MAX_WORDS = 12
"""The longest run read as one number (a bound on the work per run)."""


def with_digits(text: str) -> str:
    """`text` with every run of number words replaced by its value in digits."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    index = 0
    while index < len(tokens):
        end, value = _number_at(tokens, index)
        if value is None:
            out.append(tokens[index])
            index += 1
        else:
            out.append(str(value))
            index = end
    return "".join(out)


def _number_at(tokens: list[str], start: int) -> tuple[int, int | None]:
    """Where the run of number words at `start` ends, and its value (None: no number starts there)."""
    total = current = 0
    last = ""  # the kind of the last word read: "unit", "ten", "hundred", "scale"
    end = start
    index = start
    words = 0
    while index < len(tokens) and words < MAX_WORDS:
        word = tokens[index].lower()
        if word in _UNITS and _unit_may_follow(last, _UNITS[word]):
            current += _UNITS[word]
            last = "unit" if _UNITS[word] else "zero"
        elif word in _TENS and last in ("", "hundred", "scale"):
            current += _TENS[word]
            last = "ten"
        elif word == "hundred" and last in ("unit", "ten") and current < 100:
            current *= 100
            last = "hundred"
        elif word in _SCALES and last in ("unit", "ten", "hundred"):
            total += current * _SCALES[word]
            current = 0
            last = "scale"
        elif not (word == "and" and last in ("hundred", "scale") and _small_follows(tokens, index)):
            break
        if word != "and":
            end = index + 1
        words += 1
        if last == "zero" or index + 1 >= len(tokens) or not _JOINER.fullmatch(tokens[index + 1]):
            break
        index += 2
    if end == start:
        return start, None
    return end, total + current


def _unit_may_follow(last: str, value: int) -> bool:
    """True when a unit word of `value` may follow a word of kind `last` in one number."""
    return last in ("", "hundred", "scale") or (last == "ten" and 0 < value < 10)


def _small_follows(tokens: list[str], index: int) -> bool:
    """True when the word after the "and" at `index` is a unit or a ten ("one hundred and five")."""
    following = tokens[index + 2].lower() if index + 2 < len(tokens) else ""
    return following in _UNITS or following in _TENS
