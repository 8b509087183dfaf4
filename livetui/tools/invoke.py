"""Running one call of a tool, and shaping what goes back to the model.

Arguments are checked (and converted: an enum's value to the member, ``"3"`` to ``3``) against the
function's hints before it runs. An ``async def`` function is awaited on the event loop; a plain function
runs in a worker thread so a slow one never freezes the app. Whatever it returns is made JSON-able and sent
as ``{"output": ...}``; an exception is sent as ``{"error": "..."}``.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import typing
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

from livetui.tools.spec import ToolSpec

Response = dict[str, Any]
"""A function response's ``response``: ``{"output": ...}`` or ``{"error": "..."}``."""


class ToolArgumentsError(ValueError):
    """The model's arguments do not fit the function; the message is one line."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


@functools.lru_cache(maxsize=256)
def _adapters(function: Callable[..., Any]) -> dict[str, tuple[TypeAdapter[Any], bool]]:
    """Each parameter's validator, and whether the parameter is required."""
    hints = typing.get_type_hints(function, include_extras=True)
    return {
        name: (TypeAdapter(hints.get(name, Any)), parameter.default is inspect.Parameter.empty)
        for name, parameter in inspect.signature(function).parameters.items()
    }


def check_arguments(spec: ToolSpec, args: dict[str, Any]) -> dict[str, Any]:
    """`args` checked against the function's parameters and converted to their hinted types.

    Raises:
        ToolArgumentsError: an unknown or missing argument, or a value of the wrong type.
    """
    adapters = _adapters(spec.function)
    unknown = sorted(set(args) - set(adapters))
    if unknown:
        raise ToolArgumentsError(f"bad arguments: unexpected argument {unknown[0]!r}")
    missing = [name for name, (_, required) in adapters.items() if required and name not in args]
    if missing:
        raise ToolArgumentsError(f"bad arguments: missing argument {missing[0]!r}")
    checked: dict[str, Any] = {}
    for name, value in args.items():
        try:
            checked[name] = adapters[name][0].validate_python(value)
        except ValidationError as error:
            problem = error.errors()[0]
            raise ToolArgumentsError(f"bad arguments: {name}: {_one_line(problem['msg'])}") from None
    return checked


async def invoke(spec: ToolSpec, args: dict[str, Any]) -> Any:
    """Run `spec`'s function with `args` and return what it returns.

    Raises:
        ToolArgumentsError: the arguments do not fit the function.
        Exception: whatever the function raises.
    """
    checked = check_arguments(spec, args)
    if spec.is_async:
        return await spec.function(**checked)
    return await asyncio.to_thread(spec.function, **checked)


def output_response(value: Any) -> Response:
    """``{"output": value}``, with `value` made JSON-able (anything else becomes its ``str``)."""
    return {"output": to_jsonable_python(value, fallback=str)}


def error_response(message: str) -> Response:
    """``{"error": message}`` on one line."""
    return {"error": _one_line(message)}


def describe_exception(error: BaseException) -> str:
    """One line for an exception a tool raised: its message, or its type when it has none."""
    text = _one_line(error)
    if isinstance(error, ValueError | ToolArgumentsError) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def parse_answer(text: str) -> Response:
    """The response a user typed by hand (manual mode).

    An object whose only keys are ``output`` and/or ``error`` is sent as it is; any other JSON value is
    wrapped as ``{"output": value}``.

    Raises:
        ValueError: the text is not JSON (one line, with the position).
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    if isinstance(value, dict) and value and set(value) <= {"output", "error"}:
        return value
    return {"output": value}
