"""A tool: a Python function, and the declaration the model sees of it.

A tool's declaration is built from the function itself: its name, its docstring (the description and the
``Args:`` descriptions) and its type hints (the parameters' JSON Schema). `tool` marks a function with
options the function cannot say by itself: another name, ``NON_BLOCKING`` behaviour, and the `scheduling`
its responses ask for.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, overload

from livetui.live.tools import Scheduling, ToolDeclaration
from livetui.tools.docstrings import parse_docstring
from livetui.tools.schema import Schema, parameters_schema

Behavior = Literal["BLOCKING", "NON_BLOCKING"]
"""BLOCKING: the model waits for the answer; NON_BLOCKING: it may go on talking meanwhile."""
SCHEDULINGS: tuple[Scheduling, ...] = ("SILENT", "WHEN_IDLE", "INTERRUPT")
"""Every scheduling, for checking a tools file."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ToolOptions:
    """What `tool` records on a function."""

    name: str | None = None
    """The tool's name, when it is not the function's."""
    non_blocking: bool = False
    """Declare the function NON_BLOCKING."""
    scheduling: Scheduling | None = None
    """The `scheduling` sent with its responses (implies NON_BLOCKING)."""


OPTIONS_ATTRIBUTE = "__livetui_tool__"
"""Where `tool` keeps a function's `ToolOptions`."""


@overload
def tool(function: F, /) -> F: ...
@overload
def tool(
    *, name: str | None = None, non_blocking: bool = False, scheduling: Scheduling | None = None
) -> Callable[[F], F]: ...
def tool(
    function: F | None = None,
    /,
    *,
    name: str | None = None,
    non_blocking: bool = False,
    scheduling: Scheduling | None = None,
) -> F | Callable[[F], F]:
    """Mark a function in a tools file: ``@tool`` or ``@tool(non_blocking=True, scheduling="WHEN_IDLE")``.

    Args:
        function: the function, when used as a bare ``@tool``.
        name: the name the model calls it by (default: the function's name).
        non_blocking: declare it NON_BLOCKING: the model may keep talking while it runs.
        scheduling: when the model should use its answer (``SILENT``, ``WHEN_IDLE`` or ``INTERRUPT``);
            implies `non_blocking`.
    """
    options = ToolOptions(
        name=name, non_blocking=non_blocking or scheduling is not None, scheduling=scheduling
    )

    def mark(target: F) -> F:
        setattr(target, OPTIONS_ATTRIBUTE, options)
        return target

    return mark(function) if function is not None else mark


@dataclass(frozen=True)
class ToolSpec:
    """A function the model may call, and how it is declared."""

    name: str
    """The name the model calls it by."""
    function: Callable[..., Any]
    """The Python function (sync or async) that answers a call."""
    description: str = ""
    """What it does, for the model."""
    parameters: Schema | None = None
    """The JSON Schema (an object) of its arguments; None when it takes none."""
    behavior: Behavior | None = None
    """NON_BLOCKING, or None for the provider's default (blocking)."""
    scheduling: Scheduling | None = None
    """The `scheduling` its responses carry (NON_BLOCKING functions only)."""

    @property
    def is_async(self) -> bool:
        """True for an ``async def`` function (awaited on the event loop; others run in a thread)."""
        return inspect.iscoroutinefunction(self.function)

    def declaration(self) -> ToolDeclaration:
        """The declaration the model sees (a function without arguments has an empty object schema)."""
        return ToolDeclaration(
            name=self.name,
            description=self.description,
            parameters=self.parameters or {"type": "object", "properties": {}},
            non_blocking=self.behavior == "NON_BLOCKING",
        )

    @classmethod
    def from_function(cls, function: Callable[..., Any], options: ToolOptions | None = None) -> ToolSpec:
        """The spec of `function`, from its docstring, hints and `tool` options.

        Raises:
            SchemaError: a parameter's hint has no JSON Schema (the message names the parameter).
        """
        options = options or getattr(function, OPTIONS_ATTRIBUTE, None) or ToolOptions()
        doc = parse_docstring(inspect.getdoc(function))
        schema = parameters_schema(function, doc.args)
        return cls(
            name=options.name or function.__name__,
            function=function,
            description=doc.description,
            parameters=schema if schema["properties"] else None,
            behavior="NON_BLOCKING" if options.non_blocking else None,
            scheduling=options.scheduling,
        )
