"""Reading a function's docstring for its declaration: the description, and Google-style ``Args:``.

::

    def weather(city: str, unit: str = "C") -> str:
        \"\"\"The weather in a city today.

        Args:
            city: The city's name, e.g. "Paris".
            unit (str): "C" or "F"; the description may go on
                over several indented lines.
        \"\"\"

gives the description ``The weather in a city today.`` and a description for each argument.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Returns|Return|Yields|Raises|"
    r"Examples?|Notes?|Warnings?|See Also|Attributes|Todo)\s*:\s*$"
)
_ARGS_SECTIONS = {"Args", "Arguments", "Parameters", "Params", "Keyword Args", "Keyword Arguments"}
_ARG = re.compile(r"^\*{0,2}(?P<name>\w+)\s*(\([^)]*\))?\s*:\s*(?P<text>.*)$")


@dataclass(frozen=True)
class Docstring:
    """What a docstring says about a function."""

    description: str = ""
    """The text before the first section, paragraphs separated by blank lines, each on one line."""
    args: dict[str, str] = field(default_factory=dict)
    """Each argument's description, from the ``Args:`` section."""


def _paragraphs(lines: list[str]) -> str:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def _args(lines: list[str]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    indent: int | None = None
    name: str | None = None
    for line in lines:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        if indent is None:
            indent = depth
        match = _ARG.match(line.strip()) if depth <= indent else None
        if match:
            name = match.group("name")
            found[name] = [match.group("text").strip()]
        elif name is not None:
            found[name].append(line.strip())
    return {key: " ".join(part for part in parts if part) for key, parts in found.items()}


def parse_docstring(doc: str | None) -> Docstring:
    """The description and argument descriptions of a (Google-style) docstring; empty when there is none."""
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    description: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        header = _SECTION.match(line) if not line.startswith((" ", "\t")) else None
        if header:
            current = sections.setdefault(header.group(1), [])
        elif current is None:
            description.append(line)
        else:
            current.append(line)
    args: dict[str, str] = {}
    for title, body in sections.items():
        if title in _ARGS_SECTIONS:
            args.update(_args(body))
    return Docstring(description=_paragraphs(description), args=args)
