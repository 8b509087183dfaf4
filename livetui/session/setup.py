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
    is on whenever a camera is configured, unless the settings say otherwise.
    """
    compression = settings.video if settings.context_compression is None else settings.context_compression
    return SessionConfig(
        model=settings.model,
        modality="text" if settings.text_only else "audio",
        voice=settings.voice,
        system_prompt=settings.system_prompt,
        tools=tools.declarations() if tools is not None else (),
        activity="manual" if settings.push_to_talk else "auto",
        transcription=not settings.text_only,
        compression=compression,
    )
