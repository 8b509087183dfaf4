"""Function calls as they come from Gemini: arguments streamed in pieces, and calls without an id.

**Streamed arguments.** A model may send a call's arguments as `PartialArg` pieces (``partialArgs``), the
call marked ``willContinue`` until its last part. `StreamedCalls` lays each piece into the arguments at its
``jsonPath`` (a string marked ``willContinue`` is continued by the next piece for the same path) and hands
the call on once it is complete; in between, what the arguments are so far.

**Calls without an id** (older Vertex models) get a local id (``local-call-N``) so the tool runner can
tell them apart, two in one ``toolCall`` included; their answers go back without an id, matched by name,
as the SDK does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from livetui.providers.gemini.content import FunctionCall, PartialArg

LOCAL_ID_PREFIX = "local-call-"
"""How the local ids of id-less calls begin."""

_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]")


MAX_PATH_CHARS = 1000
"""The longest ``jsonPath`` of one streamed argument piece."""
MAX_PATH_STEPS = 32
"""The most keys and indices in one path (as deep as the frame bounds allow JSON)."""
MAX_INDEX = 1024
"""Array indices in a path are below this: a piece cannot make a list of a billion empty items."""


def path_steps(json_path: str) -> list[str | int]:
    """The keys and indices of a ``jsonPath`` (``$.stops[1].name`` → ``["stops", 1, "name"]``).

    Raises:
        ValueError: it is not a path of keys and indices from ``$``.
    """
    if not json_path.startswith("$") or len(json_path) > MAX_PATH_CHARS:
        raise ValueError(f"not a JSON path: {json_path[:100]!r}")
    steps: list[str | int] = []
    rest = json_path[1:]
    while rest:
        match = _STEP.match(rest)
        if match is None or len(steps) >= MAX_PATH_STEPS:
            raise ValueError(f"not a JSON path of at most {MAX_PATH_STEPS} steps: {json_path[:100]!r}")
        key, index, quoted = match.groups()
        if index is not None and (len(index) > 4 or int(index) >= MAX_INDEX):
            raise ValueError(f"an index past {MAX_INDEX - 1} in {json_path[:100]!r}")
        steps.append(int(index) if index is not None else key if key is not None else quoted)
        rest = rest[match.end() :]
    return steps


def _value(piece: PartialArg) -> object:
    if piece.string_value is not None:
        return piece.string_value
    if piece.number_value is not None:
        number = piece.number_value
        return int(number) if number.is_integer() else number
    if piece.bool_value is not None:
        return piece.bool_value
    return None


def _place(container: Any, steps: list[str | int], value: object, *, append: bool) -> Any:
    """`container` (a dict, list or None) with `value` at `steps`; a string is appended to when `append`."""
    if not steps:
        if append and isinstance(container, str) and isinstance(value, str):
            return container + value
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(step, int):
        items = container if isinstance(container, list) else []
        while len(items) <= step:  # bounded: `path_steps` refuses an index past MAX_INDEX
            items.append(None)
        items[step] = _place(items[step], rest, value, append=append)
        return items
    mapping = container if isinstance(container, dict) else {}
    mapping[step] = _place(mapping.get(step), rest, value, append=append)
    return mapping


@dataclass
class _Growing:
    """A call whose arguments are still streaming."""

    call_id: str
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    continuing: set[str] = field(default_factory=set)
    """Paths whose string goes on in the next piece."""

    def take(self, pieces: tuple[PartialArg, ...]) -> None:
        for piece in pieces:
            try:
                steps = path_steps(piece.json_path)
            except ValueError:
                continue  # a piece we cannot place is left out, never a crash
            append = piece.json_path in self.continuing
            placed = _place(self.args, steps, _value(piece), append=append)
            self.args = placed if isinstance(placed, dict) else self.args
            if piece.will_continue:
                self.continuing.add(piece.json_path)
            else:
                self.continuing.discard(piece.json_path)


@dataclass(frozen=True)
class Arrived:
    """What one function call part brings: a call complete, or the arguments of one still streaming."""

    call_id: str
    """The call's id (a local one for a call that came without)."""
    name: str
    """The function's name."""
    args: dict[str, Any]
    """The arguments (so far, while `complete` is False)."""
    complete: bool
    """True when the call can be run."""


class StreamedCalls:
    """The function calls of one connection, as their parts arrive (see the module docstring)."""

    def __init__(self) -> None:
        self._growing: dict[str, _Growing] = {}
        self._last: str | None = None
        self._local = 0
        self._names: dict[str, str] = {}

    def take(self, call: FunctionCall) -> Arrived:
        """Take one ``functionCall`` of a ``toolCall``."""
        growing = self._open_for(call)
        if growing is None and not call.will_continue and not call.partial_args:
            call_id = call.id or self._local_id(call.name)
            return Arrived(call_id, call.name, dict(call.args), complete=True)
        if growing is None:
            growing = _Growing(call.id or self._local_id(call.name), call.name, dict(call.args))
            self._growing[growing.call_id] = growing
        growing.args.update(call.args)
        growing.take(call.partial_args or ())
        self._last = growing.call_id
        if call.will_continue:
            return Arrived(growing.call_id, growing.name, dict(growing.args), complete=False)
        del self._growing[growing.call_id]
        self._last = None
        return Arrived(growing.call_id, growing.name, growing.args, complete=True)

    def _open_for(self, call: FunctionCall) -> _Growing | None:
        """The streaming call this part continues: by id, else (no id) by name or the latest one."""
        if call.id:
            return self._growing.get(call.id)
        if call.name:
            found = [g for g in self._growing.values() if g.name == call.name]
            return found[-1] if found else None
        return self._growing.get(self._last) if self._last is not None else None

    def _local_id(self, name: str) -> str:
        self._local += 1
        call_id = f"{LOCAL_ID_PREFIX}{self._local}"
        self._names[call_id] = name
        return call_id

    def wire_id(self, call_id: str) -> str | None:
        """The id an answer to `call_id` carries: None for a call that came without one."""
        return None if call_id in self._names else call_id
