"""The fields the wire models know, in either spelling, and the ones a message has that they do not.

Google's endpoint refuses a message with a field it does not know (1007, "Unknown name"); the local server
does the same with `unknown_fields`. The SDK writes some nested keys in snake_case inside camelCase
parents (``"generationConfig": {"thinking_config": ...}``): both spellings of a field are known.
Free-form objects (a function's JSON Schema, a built-in tool's options) are not looked into.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The wire models an annotation holds (``X | None``, ``tuple[X, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if get_origin(annotation) in (Union, types.UnionType, tuple, list):
        for inner in get_args(annotation):
            yield from _models(inner)


def spellings(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Every key `model` knows, in both spellings, with the wire model its value is (None: anything)."""
    known: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        inner = next(_models(field.annotation), None)
        known[name] = inner
        if field.alias:
            known[field.alias] = inner
    return known


def unknown_fields(data: object, model: type[BaseModel], where: str) -> list[str]:
    """The paths (``setup.generationConfig.futureKnob``) of keys in `data` that `model` does not know,
    looking into the wire models its fields are."""
    if isinstance(data, list):
        return [path for item in data for path in unknown_fields(item, model, where)]
    if not isinstance(data, dict):
        return []
    known = spellings(model)
    found: list[str] = []
    for key, value in data.items():
        if key not in known:
            found.append(f"{where}.{key}")
        elif (inner := known[key]) is not None:
            found.extend(unknown_fields(value, inner, f"{where}.{key}"))
    return found
