"""Turn settings and the tool registry into the neutral configuration a session opens with."""

from __future__ import annotations

from livetui.config import Settings
from livetui.live.config import SessionConfig
from livetui.tools.registry import ToolRegistry


def build_config(settings: Settings, *, tools: ToolRegistry | None = None) -> SessionConfig:
    """The session's configuration: model, how the model replies, voice, system prompt, and the
    declarations of `tools` (none when it is None).

    Replies are spoken, with transcripts both ways, unless `settings.text_only` asks for text (then there
    is no speech to transcribe); push-to-talk makes the user's turns manual activity. Context compression
    is on whenever a camera is configured, unless the settings say otherwise. The model is the one of the
    provider whose dialect the session speaks.
    """
    compression = settings.gemini.context_compression
    if compression is None:
        compression = settings.video
    model = settings.openai.model if settings.dialect == "openai" else settings.gemini.model
    return SessionConfig(
        model=model,
        modality="text" if settings.text_only else "audio",
        voice=settings.voice,
        system_prompt=settings.system_prompt,
        tools=tools.declarations() if tools is not None else (),
        activity="manual" if settings.audio.push_to_talk else "auto",
        turn_detection=settings.openai.turn_detection,
        transcription=not settings.text_only,
        compression=compression,
    )
