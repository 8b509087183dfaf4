"""The tools of a session: their declarations for the session's configuration, and lookup by name when
the model calls one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from livetui.live.tools import ToolDeclaration
from livetui.tools.builtin import builtin_tools
from livetui.tools.loader import load_tools_file
from livetui.tools.spec import ToolSpec


class ToolRegistry:
    """Tools by name; a later tool replaces an earlier one of the same name."""

    def __init__(self, specs: Iterable[ToolSpec] = ()) -> None:
        self._specs: dict[str, ToolSpec] = {}
        for spec in specs:
            self._specs[spec.name] = spec

    @classmethod
    def load(cls, path: Path | None = None, *, builtins: bool = True) -> ToolRegistry:
        """The built-in tools, then the tools of the file at `path` (which may replace a built-in).

        Raises:
            ToolsFileError: the tools file cannot be used (one line naming the file).
        """
        specs = builtin_tools() if builtins else []
        if path is not None:
            specs += load_tools_file(path)
        return cls(specs)

    def get(self, name: str) -> ToolSpec | None:
        """The tool called `name`, or None."""
        return self._specs.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every tool's name, in declaration order."""
        return tuple(self._specs)

    def __iter__(self) -> Iterator[ToolSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def declarations(self) -> tuple[ToolDeclaration, ...]:
        """The declaration of every function, in order."""
        return tuple(spec.declaration() for spec in self)
