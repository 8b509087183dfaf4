"""Gemini's setup and turns in the core's neutral terms (`livetui.server.core.turns`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from livetui.live.tools import ToolAnswer, ToolDeclaration
from livetui.providers.gemini.client import ContextUpdate, FunctionDeclaration, Setup, Tool
from livetui.providers.gemini.codec import encode
from livetui.providers.gemini.content import Content, FunctionResponse
from livetui.server.core.turns import Role, SessionSettings, Turn
from livetui.server.dialects.gemini.sink import Traits, once_model


def content_text(content: Content) -> str:
    """The visible text of a turn: its text parts joined, thoughts left out."""
    return "".join(part.text for part in content.parts if part.text and not part.thought)


def _size(content: Content) -> int:
    """The characters `content` takes as JSON (its repr's length if it cannot be written as JSON)."""
    try:
        return len(encode(content))
    except ValueError:  # text that is not valid Unicode: still counted, never a crash
        return len(repr(content))


def turn_of(content: Content) -> Turn:
    """The turn `content` is (a content without a role is the user's), sized as it came on the wire."""
    role: Role = "model" if content.role == "model" else "user"
    return Turn(role, content_text(content), size=_size(content))


def _declared(tools: tuple[Tool, ...]) -> list[FunctionDeclaration]:
    """The functions `tools` declare."""
    return [declaration for tool in tools for declaration in tool.function_declarations or ()]


def updated_settings(settings: SessionSettings, update: ContextUpdate) -> SessionSettings:
    """`settings` with what a ``contextUpdate`` replaces: the system instruction, the tools, or both."""
    if update.system_instruction is not None:
        settings = replace(settings, system_text=content_text(update.system_instruction))
    if update.tools is not None:
        declared = _declared(update.tools.tools)
        functions = frozenset(declaration.name for declaration in declared)
        tools = tuple(declaration_of(declaration) for declaration in declared)
        settings = replace(settings, functions=functions, tools=tools)
    return settings


def traits_of(setup: Setup, *, vertex: bool = False) -> Traits:
    """What `setup` (and the path it came by) says about the session's output."""
    return Traits(
        heard=setup.input_audio_transcription is not None,
        spoken=setup.output_audio_transcription is not None,
        once=once_model(setup.model),
        vertex=vertex,
        modality=setup.modality,
    )


def settings_of(setup: Setup) -> SessionSettings:
    """What `setup` asks for."""
    instruction = setup.system_instruction
    config = setup.generation_config
    declared = _declared(setup.tools or ())
    functions = frozenset(declaration.name for declaration in declared)
    return SessionSettings(
        system_text=content_text(instruction) if instruction else "",
        modality="AUDIO" if setup.modality == "AUDIO" else "TEXT",
        manual_activity=setup.manual_activity,
        functions=functions,
        tools=tuple(declaration_of(declaration) for declaration in declared),
        max_output_tokens=config.max_output_tokens if config else None,
        temperature=config.temperature if config else None,
    )


def json_schema(schema: Any) -> Any:
    """An OpenAPI-style schema (``"type": "OBJECT"``) as JSON Schema (``"type": "object"``)."""
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: value.lower() if key == "type" and isinstance(value, str) else json_schema(value)
        for key, value in schema.items()
    }


def declaration_of(declaration: FunctionDeclaration) -> ToolDeclaration:
    """The neutral declaration of a ``functionDeclaration``, its parameters as JSON Schema."""
    parameters = declaration.parameters_json_schema or json_schema(declaration.parameters)
    return ToolDeclaration(
        name=declaration.name,
        description=declaration.description or "",
        parameters=parameters or {"type": "object", "properties": {}},
    )


def answer_of(response: FunctionResponse) -> ToolAnswer:
    """The neutral answer a ``functionResponse`` gives."""
    return ToolAnswer(call_id=response.id or "", name=response.name or "", output=dict(response.response))
