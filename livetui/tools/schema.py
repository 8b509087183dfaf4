"""JSON Schema for a function's parameters, from its type hints.

| hint | schema |
|---|---|
| `str`, `int`, `float`, `bool` | `{"type": "string" \\| "integer" \\| "number" \\| "boolean"}` |
| `list[X]` (or `list`) | `{"type": "array", "items": <X>}` |
| `dict[str, X]` (or `dict`) | `{"type": "object", "additionalProperties": <X>}` |
| `Literal["a", "b"]` | `{"type": "string", "enum": ["a", "b"]}` |
| an `Enum` class | its members' values as an `enum` |
| `X \\| None`, `Optional[X]` | the schema of `X` (the argument may be null) |
| `Annotated[X, "text"]` | the schema of `X`, described by the text |

A parameter with a default is optional; the others are required. Anything else (a class, `Any`, a union of
two types, no hint at all) is refused with a `SchemaError` naming the parameter.
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

Schema = dict[str, Any]
"""A JSON Schema, as a dict."""

_SCALARS: dict[object, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


class SchemaError(TypeError):
    """A hint that has no JSON Schema here; the message is one line."""


def _name(hint: object) -> str:
    return getattr(hint, "__name__", None) or repr(hint).removeprefix("typing.")


def _literal(values: tuple[object, ...]) -> Schema:
    kinds = {_SCALARS.get(type(value)) for value in values}
    if None in kinds:
        raise SchemaError("Literal values must be strings, numbers or booleans")
    schema: Schema = {"enum": list(values)}
    if len(kinds) == 1:
        schema = {"type": kinds.pop(), **schema}
    return schema


def _enum(cls: type[enum.Enum]) -> Schema:
    return _literal(tuple(member.value for member in cls))


def hint_schema(hint: object) -> Schema:
    """The JSON Schema of one type hint.

    Raises:
        SchemaError: the hint is not one of the supported kinds.
    """
    origin = get_origin(hint)
    if origin is Annotated:
        inner, *extras = get_args(hint)
        schema = hint_schema(inner)
        text = next((extra for extra in extras if isinstance(extra, str)), None)
        return {**schema, "description": text} if text else schema
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if origin is Union or origin is types.UnionType:
        members = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(members) == 1:
            return hint_schema(members[0])
        raise SchemaError(f"unions are not supported ({_name(hint)})")
    if origin is Literal:
        return _literal(get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum(hint)
    if hint is list or origin is list:
        args = get_args(hint)
        return {"type": "array", "items": hint_schema(args[0])} if args else {"type": "array"}
    if hint is dict or origin is dict:
        args = get_args(hint)
        if args and args[0] is not str:
            raise SchemaError("dict keys must be str")
        schema = {"type": "object"}
        return {**schema, "additionalProperties": hint_schema(args[1])} if args else schema
    raise SchemaError(f"type {_name(hint)} is not supported")


def parameters_schema(function: Callable[..., Any], descriptions: dict[str, str] | None = None) -> Schema:
    """The JSON Schema (an object) of `function`'s parameters, with `descriptions` from its docstring.

    Raises:
        SchemaError: a parameter has no hint or an unsupported one, or is ``*args``/``**kwargs``; the
            message names it.
    """
    try:
        hints = typing.get_type_hints(function, include_extras=True)
    except Exception as error:
        raise SchemaError(f"cannot read the type hints ({' '.join(str(error).split())})") from None
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD, parameter.POSITIONAL_ONLY):
            raise SchemaError(f"parameter {name!r}: only named parameters are supported")
        if name not in hints:
            raise SchemaError(f"parameter {name!r} has no type hint")
        try:
            schema = hint_schema(hints[name])
        except SchemaError as error:
            raise SchemaError(f"parameter {name!r}: {error}") from None
        text = (descriptions or {}).get(name)
        if text and "description" not in schema:
            schema = {**schema, "description": text}
        properties[name] = schema
        if parameter.default is inspect.Parameter.empty:
            required.append(name)
    schema = {"type": "object", "properties": properties}
    return {**schema, "required": required} if required else schema
