"""Turn settings into the `setup` message a session opens with."""

from __future__ import annotations

from livetui.config import Settings
from livetui.protocol.client import (
    AudioTranscriptionConfig,
    AutomaticActivityDetection,
    ContextWindowCompression,
    GenerationConfig,
    Modality,
    PrebuiltVoiceConfig,
    RealtimeInputConfig,
    Setup,
    SlidingWindow,
    SpeechConfig,
    VoiceConfig,
)
from livetui.protocol.content import Content, Part
from livetui.tools.registry import ToolRegistry


def build_setup(
    settings: Settings, *, modality: Modality | None = None, tools: ToolRegistry | None = None
) -> Setup:
    """The session's `setup`: model, response modality, voice, system instruction, and the declarations
    of `tools` (none when it is None).

    The modality is AUDIO (with input and output transcription) unless `settings.text_only` or `modality`
    say TEXT; push-to-talk turns the server's voice-activity detection off (manual activity).
    """
    if modality is None:
        modality = "TEXT" if settings.text_only else "AUDIO"
    transcription = AudioTranscriptionConfig() if modality == "AUDIO" else None
    realtime = None
    if settings.audio.push_to_talk:
        detection = AutomaticActivityDetection(disabled=True)
        realtime = RealtimeInputConfig(automatic_activity_detection=detection)
    speech = None
    if settings.voice:
        voice = VoiceConfig(prebuilt_voice_config=PrebuiltVoiceConfig(voice_name=settings.voice))
        speech = SpeechConfig(voice_config=voice)
    instruction = None
    if settings.system_prompt:
        instruction = Content(role="user", parts=(Part(text=settings.system_prompt),))
    compression = (
        settings.video if settings.gemini.context_compression is None else settings.gemini.context_compression
    )
    model = (
        settings.gemini.model
        if settings.gemini.model.startswith(("models/", "tunedModels/"))
        else f"models/{settings.gemini.model}"
    )
    return Setup(
        model=model,
        generation_config=GenerationConfig(response_modalities=(modality,), speech_config=speech),
        system_instruction=instruction,
        realtime_input_config=realtime,
        input_audio_transcription=transcription,
        output_audio_transcription=transcription,
        context_window_compression=(
            ContextWindowCompression(sliding_window=SlidingWindow()) if compression else None
        ),
        tools=tools.setup_tools() if tools is not None else None,
    )
