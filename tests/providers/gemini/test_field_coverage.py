"""Every field of the official SDK's Live messages, and of the types nested in them, is modelled by
livetui's wire models or listed, with a reason, in `livetui.providers.gemini.coverage`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from google.genai import types
from pydantic import BaseModel

from livetui.providers.gemini import client, server
from livetui.providers.gemini.codec import _CLIENT_KINDS
from livetui.providers.gemini.coverage import NOT_MODELLED

PAIRS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (types.LiveClientSetup, client.Setup),
    (types.LiveClientContent, client.ClientContent),
    (types.LiveClientRealtimeInput, client.RealtimeInput),
    (types.LiveClientToolResponse, client.ToolResponse),
    (types.LiveClientContextUpdate, client.ContextUpdate),
    (types.LiveServerMessage, server.ServerMessage),
]
"""The SDK's messages beside livetui's."""


def models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation holds (inside Optional, lists, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for inner in get_args(annotation):
        yield from models(inner)


def left_out() -> set[str]:
    """``Type.field`` of every SDK field with no livetui field beside it, looking into nested types."""
    seen: set[tuple[type[BaseModel], type[BaseModel]]] = set()
    missing: set[str] = set()

    def walk(sdk: type[BaseModel], ours: type[BaseModel]) -> None:
        if (sdk, ours) in seen:
            return
        seen.add((sdk, ours))
        for name, field in sdk.model_fields.items():
            mine = ours.model_fields.get(name)
            if mine is None:
                missing.add(f"{sdk.__name__}.{name}")
                continue
            inner_sdk, inner_ours = next(models(field.annotation), None), next(models(mine.annotation), None)
            if inner_sdk is not None and inner_ours is not None:
                walk(inner_sdk, inner_ours)

    for sdk, ours in PAIRS:
        walk(sdk, ours)
    return missing


def test_every_sdk_field_is_modelled_or_listed_with_a_reason() -> None:
    missing = left_out()
    unlisted = sorted(missing - set(NOT_MODELLED))
    assert not unlisted, f"model these fields or list them in coverage.NOT_MODELLED: {unlisted}"
    stale = sorted(set(NOT_MODELLED) - missing)
    assert not stale, f"these are modelled now (or gone from the SDK): drop them from NOT_MODELLED: {stale}"
    assert all(reason.strip() for reason in NOT_MODELLED.values())
    assert len(NOT_MODELLED) < 30, "the list stays short"


@pytest.mark.parametrize("name", list(types.LiveClientMessage.model_fields))
def test_every_client_message_kind_is_read_in_both_spellings(name: str) -> None:
    camel = name.split("_")[0] + "".join(word.title() for word in name.split("_")[1:])
    assert name in _CLIENT_KINDS and camel in _CLIENT_KINDS
