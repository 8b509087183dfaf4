"""Script files for the scripted brain: which reply to give to which words, and how to pace it.

A script is JSON or TOML (chosen by the file's extension)::

    [default]                     # optional; the reply when no rule matches
    reply = "You said: {text}"

    [[rules]]                     # the first rule whose `match` finds the user's words applies
    match = "weather"             # a regular expression, searched case-insensitively
    reply = "Sunny, turn {turn}." # {text}: the user's words; {turn}: this user turn's number, from 1
    chunk_chars = 8               # characters per delta (default: a few words per delta)
    interval_ms = 50              # pause between deltas

    [[rules]]
    match = "see"
    reply = "{scene}"             # what the camera's latest frame shows (faces, light, colour, QR text)

    [[rules]]
    match = "times"
    tool_calls = [{name = "calculator", args = {expression = "6 * 7"}}]
    reply = "That is {output}."   # sent once the client answered every call; {result}: the JSON of the
                                  # first call's response, {output}: its output (or its error)

    [[rules]]
    match = "bye"
    fault = "go_away"             # misbehave on purpose: go_away, drop, close_1011, malformed or burst
    time_left_ms = 1000           # go_away: the timeLeft announced before the server closes (default 1 s)

Unknown keys are errors, so a typo is reported instead of silently ignored. New behaviours are new fields
on `ReplySpec` or `Rule`.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from livetui.server.core.faults import FaultKind
from livetui.server.errors import StartupError

DEFAULT_REPLY = "You said: {text}"
"""The reply when neither a rule nor the script's `default` says otherwise."""


class ScriptError(StartupError):
    """A script file that cannot be read or is not a valid script; the message names the file."""


def _compile(value: object) -> object:
    if isinstance(value, str):
        try:
            return re.compile(value, re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"invalid regular expression {value!r}: {error}") from None
    return value


CaseInsensitivePattern = Annotated[re.Pattern[str], BeforeValidator(_compile)]
"""A regular expression given as text, compiled to match case-insensitively."""


class ScriptModel(BaseModel):
    """The base of script models: unknown keys are errors, and values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScriptedCall(ScriptModel):
    """A function call a reply asks the client to make."""

    name: str = Field(min_length=1)
    """The function's name."""
    args: dict[str, Any] = Field(default_factory=dict)
    """Its arguments, a JSON object."""


class ReplySpec(ScriptModel):
    """What to say and how to pace it."""

    reply: str = DEFAULT_REPLY
    """The reply; ``{text}`` and ``{turn}`` are filled in (and ``{result}``, ``{output}`` after tool calls),
    any other braces are left as they are."""
    chunk_chars: int | None = Field(default=None, gt=0)
    """Characters per delta; None streams a few words per delta."""
    interval_ms: float = Field(default=0, ge=0)
    """The pause between two deltas, in milliseconds."""
    tool_calls: tuple[ScriptedCall, ...] = ()
    """Functions the client is asked to call (one ``toolCall``) before the reply; the reply waits for every
    answer, and ``{result}`` / ``{output}`` in it are filled from the first call's response."""
    fault: FaultKind | None = None
    """A fault to inject during the reply (`livetui.server.core.faults`); None for a well-behaved reply."""
    time_left_ms: float = Field(default=1000, gt=0)
    """For ``fault = "go_away"``: the ``timeLeft`` announced, in milliseconds, before the server closes."""


class Rule(ReplySpec):
    """A reply given when `match` finds the user's words."""

    match: CaseInsensitivePattern
    """Searched (not anchored) in the user's words, ignoring case."""


class Script(ScriptModel):
    """A whole script: rules tried in order, then the default."""

    rules: tuple[Rule, ...] = ()
    """Tried in order; the first match wins."""
    default: ReplySpec = ReplySpec()
    """The reply when no rule matches."""

    def pick(self, text: str) -> ReplySpec:
        """The rule for the user's words `text`, or the default."""
        for rule in self.rules:
            if rule.match.search(text):
                return rule
        return self.default


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where.lstrip('.')}: {message}" if where else message


def _parse(path: Path, text: str) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ScriptError(f"{path}: not valid JSON ({error})") from None
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ScriptError(f"{path}: not valid TOML ({error})") from None
    raise ScriptError(f"{path}: a script must be a .json or .toml file")


def load_script(path: Path) -> Script:
    """Read and check a script file.

    Raises:
        ScriptError: the file cannot be read, cannot be parsed, or is not a valid script (one line,
            naming the file and the first problem).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ScriptError(f"{path}: cannot read the script ({reason})") from None
    data = _parse(path, text)
    try:
        return Script.model_validate(data)
    except ValidationError as error:
        raise ScriptError(f"{path}: {_where(error)}") from None
