"""Gemini's `setup` message from the neutral session configuration.

What the user asked for (`livetui.live.config.SessionConfig`) becomes Gemini's terms here: the model as
``models/{id}``, the response modality, the voice, transcriptions, manual activity detection, resumption
handles, the sliding-window context compression, and the tools as `FunctionDeclaration`s.
"""

from __future__ import annotations

from collections.abc import Sequence

from livetui.live.config import SessionConfig
from livetui.live.tools import ToolDeclaration
from livetui.providers.gemini.client import (
    AudioTranscriptionConfig,
    AutomaticActivityDetection,
    ContextWindowCompression,
    FunctionDeclaration,
    GenerationConfig,
    PrebuiltVoiceConfig,
    RealtimeInputConfig,
    SessionResumptionConfig,
    Setup,
    SlidingWindow,
    SpeechConfig,
    Tool,
    VoiceConfig,
)
from livetui.providers.gemini.content import Content, Part

MODEL_PREFIXES = ("models/", "tunedModels/")
"""How Gemini model names begin on the wire; a name without one gets ``models/``."""


def model_name(model: str) -> str:
    """The model as `setup` names it (``models/{id}``)."""
    return model if model.startswith(MODEL_PREFIXES) else f"models/{model}"


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


def gemini_setup(config: SessionConfig, *, handle: str | None = None) -> Setup:
    """The `setup` of one connection of the session `config` describes, resuming with `handle` if any.

    Transcripts of the user's speech are asked for whenever `config.transcription` is; of the model's
    speech only when it speaks (AUDIO).
    """
    modality = "TEXT" if config.modality == "text" else "AUDIO"
    hearing = AudioTranscriptionConfig() if config.transcription else None
    realtime = None
    if config.manual_activity:
        realtime = RealtimeInputConfig(automatic_activity_detection=AutomaticActivityDetection(disabled=True))
    speech = None
    if config.voice:
        voice = VoiceConfig(prebuilt_voice_config=PrebuiltVoiceConfig(voice_name=config.voice))
        speech = SpeechConfig(voice_config=voice)
    instruction = None
    if config.system_prompt:
        instruction = Content(role="user", parts=(Part(text=config.system_prompt),))
    return Setup(
        model=model_name(config.model),
        generation_config=GenerationConfig(response_modalities=(modality,), speech_config=speech),
        system_instruction=instruction,
        realtime_input_config=realtime,
        input_audio_transcription=hearing,
        output_audio_transcription=hearing if modality == "AUDIO" else None,
        context_window_compression=(
            ContextWindowCompression(sliding_window=SlidingWindow()) if config.compression else None
        ),
        tools=setup_tools(config.tools),
        session_resumption=SessionResumptionConfig(handle=handle) if config.resumption else None,
    )
