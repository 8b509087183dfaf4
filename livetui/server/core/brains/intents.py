"""Questions a small brain answers with the client's built-in tools rather than its own guess.

A 135M-parameter model cannot multiply or read a clock, so questions about the time ("what time is it?")
and arithmetic ("what is 6 times 7", "twelve plus thirty") become calls of ``current_time`` and
``calculator``, when the session declared them, and the answer is phrased from the tool's response with a
template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from livetui.live.tools import ToolAnswer
from livetui.server.core.brains.base import FunctionRequest
from livetui.server.core.brains.spoken_numbers import with_digits

_NUMBER = r"-?\d+(?:\.\d+)?"
_OPERATORS = {
    "to the power of": "**",
    "multiplied by": "*",
    "divided by": "/",
    "modulo": "%",
    "minus": "-",
    "times": "*",
    "plus": "+",
    "over": "/",
    "mod": "%",
    "**": "**",
    "x": "*",
    "×": "*",
    "*": "*",
    "÷": "/",
    "/": "/",
    "+": "+",
    "-": "-",
    "^": "**",
    "%": "%",
}
_OPERATOR = "|".join(re.escape(word) for word in sorted(_OPERATORS, key=len, reverse=True))
_ARITHMETIC = re.compile(rf"{_NUMBER}(?:\s*(?:{_OPERATOR})\s*{_NUMBER})+", re.IGNORECASE)
_PIECE = re.compile(rf"({_NUMBER})|({_OPERATOR})", re.IGNORECASE)
_TIME = re.compile(
    r"\bwhat time\b|\btime is it\b|\bcurrent time\b|\bthe time\b|\bwhat day is\b|\btoday's date\b"
    r"|\bwhat(?:'s| is) the date\b",
    re.IGNORECASE,
)
_ZONE = re.compile(r"\b(UTC|[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)\b")


def expression_in(text: str) -> tuple[str, str] | None:
    """The arithmetic in `text`, as (the words with numbers in digits, a calculator expression), or None.
    Numbers may be written in words, as speech recognition writes them ("six times seven")."""
    found = _ARITHMETIC.search(with_digits(text))
    if found is None:
        return None
    pieces = []
    for piece in _PIECE.finditer(found.group(0)):
        number, operator = piece.groups()
        pieces.append(number if number is not None else _OPERATORS[operator.lower()])
    return " ".join(found.group(0).split()), " ".join(pieces)


def tool_request(text: str, declared: Collection[str]) -> FunctionRequest | None:
    """The call of a built-in tool that answers `text`, if the session declared that tool."""
    if "calculator" in declared and (arithmetic := expression_in(text)):
        return FunctionRequest("calculator", {"expression": arithmetic[1]})
    if "current_time" in declared and _TIME.search(text):
        zone = _ZONE.search(text)
        return FunctionRequest("current_time", {"timezone": zone.group(1)} if zone else {})
    return None


def _value(response: dict[str, Any]) -> tuple[Any, str | None]:
    if "error" in response:
        return None, str(response["error"])
    return response.get("output"), None


def phrase_answer(text: str, request: FunctionRequest, responses: Sequence[ToolAnswer]) -> str:
    """The reply to `text` once `request` was answered with `responses`."""
    if not responses:
        return "I did not get an answer from the tool."
    output, error = _value(responses[0].output)
    if request.name == "calculator":
        arithmetic = expression_in(text)
        words = arithmetic[0] if arithmetic else str(request.args.get("expression", "that"))
        if error is not None:
            return f"I could not work out {words}: {error}."
        shown = output if isinstance(output, str) else json.dumps(output)
        return f"{words} is {shown}."
    if error is not None:
        return f"I could not read the clock: {error}."
    if isinstance(output, dict) and {"time", "date", "weekday"} <= set(output):
        zone = f" ({output['timezone']})" if output.get("timezone") else ""
        return f"It is {str(output['time'])[:5]} on {output['weekday']}, {output['date']}{zone}."
    return f"The clock says {json.dumps(output)}."
