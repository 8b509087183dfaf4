"""Gemini's `setup` message from the neutral session configuration.

What the user asked for (`livetui.live.config.SessionConfig`) becomes Gemini's terms here: the model as
``models/{id}``, the response modality, the voice, transcriptions, manual activity detection, resumption
handles, the sliding-window context compression, and the tools as `FunctionDeclaration`s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from livetui.live.config import SessionConfig
from livetui.live.tools import ToolDeclaration
from livetui.providers.gemini.client import (
    AudioTranscriptionConfig,
    AutomaticActivityDetection,
    ContextWindowCompression,
    FunctionDeclaration,
    GenerationConfig,
    PrebuiltVoiceConfig,
    ProactivityConfig,
    RealtimeInputConfig,
    SessionResumptionConfig,
    Setup,
    SlidingWindow,
    SpeechConfig,
    ThinkingConfig,
    Tool,
    VoiceConfig,
)
from livetui.providers.gemini.content import Content, Part


@dataclass(frozen=True)
class SetupOptions:
    """What only Gemini's `setup` can ask for (the `[gemini]` settings), beyond the neutral configuration."""

    thinking_level: str | None = None
    """``thinkingConfig.thinkingLevel`` (``MINIMAL``, ``LOW``, ``MEDIUM``, ``HIGH``), or None."""
    thinking_budget: int | None = None
    """``thinkingConfig.thinkingBudget``, or None."""
    include_thoughts: bool | None = None
    """``thinkingConfig.includeThoughts``, or None."""
    transcription: Mapping[str, Any] = field(default_factory=dict)
    """Options of both transcriptions (`AudioTranscriptionConfig`'s fields, either spelling)."""
    explicit_vad_signal: bool = False
    """Ask for ``voiceActivityDetectionSignal`` messages."""
    proactive_audio: bool = False
    """``proactivity.proactiveAudio``: the model may choose not to answer."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Fields merged into the encoded `setup` as given (`livetui.providers.gemini.extra`)."""
    model_prefix: str = "models/"
    """What goes before the model's id (Vertex AI: `livetui.providers.gemini.vertex.vertex_model_prefix`)."""

    @property
    def thinking(self) -> ThinkingConfig | None:
        """The ``thinkingConfig`` these options ask for, or None when they ask for none."""
        if self.thinking_level is None and self.thinking_budget is None and self.include_thoughts is None:
            return None
        level = self.thinking_level.upper() if self.thinking_level else None
        return ThinkingConfig(
            thinking_level=level, thinking_budget=self.thinking_budget, include_thoughts=self.include_thoughts
        )


FULL_NAMES = ("projects/", "publishers/", "tunedModels/")
"""How model names begin that are given in full (Vertex AI's among them): sent as they are."""


def model_name(model: str, prefix: str = "models/") -> str:
    """The model as `setup` names it: ``models/{id}``, or `prefix` then the id (Vertex AI's
    ``projects/.../publishers/google/models/``); a name given in full is kept."""
    if model.startswith(FULL_NAMES):
        return model
    return prefix + model.removeprefix("models/")


def function_declaration(tool: ToolDeclaration) -> FunctionDeclaration:
    """A neutral declaration in Gemini's terms (a function without arguments declares no schema)."""
    return FunctionDeclaration(
        name=tool.name,
        description=tool.description or None,
        parameters_json_schema=tool.parameters if tool.parameters.get("properties") else None,
        behavior="NON_BLOCKING" if tool.non_blocking else None,
    )


def setup_tools(tools: Sequence[ToolDeclaration]) -> tuple[Tool, ...] | None:
    """The `setup.tools` that declare every function, or None when there are none."""
    if not tools:
        return None
    return (Tool(function_declarations=tuple(function_declaration(tool) for tool in tools)),)


def system_instruction(text: str | None) -> Content | None:
    """A system prompt as Gemini's ``systemInstruction``, or None for none."""
    return Content(role="user", parts=(Part(text=text),)) if text else None


def gemini_setup(
    config: SessionConfig, *, handle: str | None = None, options: SetupOptions | None = None
) -> Setup:
    """The `setup` of one connection of the session `config` describes, resuming with `handle` if any,
    with Gemini's own `options`.

    Transcripts of the user's speech are asked for whenever `config.transcription` is; of the model's
    speech only when it speaks (AUDIO).

    Raises:
        ValueError: the transcription options are not `AudioTranscriptionConfig` fields (one line).
    """
    options = options or SetupOptions()
    modality = "TEXT" if config.modality == "text" else "AUDIO"
    hearing = transcription_config(options.transcription) if config.transcription else None
    realtime = None
    if config.manual_activity:
        realtime = RealtimeInputConfig(automatic_activity_detection=AutomaticActivityDetection(disabled=True))
    speech = None
    if config.voice:
        voice = VoiceConfig(prebuilt_voice_config=PrebuiltVoiceConfig(voice_name=config.voice))
        speech = SpeechConfig(voice_config=voice)
    generation = GenerationConfig(
        response_modalities=(modality,), speech_config=speech, thinking_config=options.thinking
    )
    return Setup(
        model=model_name(config.model, options.model_prefix),
        generation_config=generation,
        system_instruction=system_instruction(config.system_prompt),
        realtime_input_config=realtime,
        input_audio_transcription=hearing,
        output_audio_transcription=hearing if modality == "AUDIO" else None,
        context_window_compression=(
            ContextWindowCompression(sliding_window=SlidingWindow()) if config.compression else None
        ),
        tools=setup_tools(config.tools),
        session_resumption=SessionResumptionConfig(handle=handle) if config.resumption else None,
        proactivity=ProactivityConfig(proactive_audio=True) if options.proactive_audio else None,
        explicit_vad_signal=True if options.explicit_vad_signal else None,
    )


def transcription_config(given: Mapping[str, Any]) -> AudioTranscriptionConfig:
    """The ``AudioTranscriptionConfig`` of the options `given` (empty: a plain transcription).

    Raises:
        ValueError: a name is not one of its fields, or a value has the wrong shape (one line).
    """
    known = set(AudioTranscriptionConfig.model_fields) | {
        f.alias for f in AudioTranscriptionConfig.model_fields.values() if f.alias
    }
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown transcription option {unknown[0]!r}; known: {', '.join(sorted(known))}")
    try:
        return AudioTranscriptionConfig.model_validate(dict(given))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"transcription option {where}: {first['msg']}") from None
