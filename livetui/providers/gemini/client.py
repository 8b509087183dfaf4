"""Client → server messages (reference §3). Each message has exactly one top-level key."""

from __future__ import annotations

import base64
import functools
import json
from typing import Any, Literal, TypeAlias

from livetui.providers.gemini.base import WireModel
from livetui.providers.gemini.content import Blob, Content, FunctionResponse

Modality = Literal["TEXT", "AUDIO", "IMAGE"]
"""A response modality. A session has one: TEXT or AUDIO."""


class PrebuiltVoiceConfig(WireModel):
    """Which of the provider's voices speaks."""

    voice_name: str


class VoiceConfig(WireModel):
    """Voice choice."""

    prebuilt_voice_config: PrebuiltVoiceConfig | None = None
    replicated_voice_config: dict[str, Any] | None = None


class SpeechConfig(WireModel):
    """Voice and language of the model's speech."""

    voice_config: VoiceConfig | None = None
    language_code: str | None = None


class ThinkingConfig(WireModel):
    """How much the model may think before it answers."""

    thinking_level: str | None = None
    """``MINIMAL``, ``LOW``, ``MEDIUM`` or ``HIGH`` (the newer live models take this, not a budget)."""
    thinking_budget: int | None = None
    """Tokens the model may think with (0: none; -1: as it sees fit)."""
    include_thoughts: bool | None = None
    """Send the thoughts too, as parts marked ``thought``."""


class TranslationConfig(WireModel):
    """Live translation settings."""

    target_language_code: str | None = None
    echo_target_language: bool | None = None


class GenerationConfig(WireModel):
    """Sampling and output settings."""

    response_modalities: tuple[Modality, ...] | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    max_output_tokens: int | None = None
    candidate_count: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    stop_sequences: tuple[str, ...] | None = None
    media_resolution: str | None = None
    """``MEDIA_RESOLUTION_LOW``, ``_MEDIUM`` or ``_HIGH``."""
    speech_config: SpeechConfig | None = None
    thinking_config: ThinkingConfig | None = None
    enable_affective_dialog: bool | None = None
    translation_config: TranslationConfig | None = None


class FunctionDeclaration(WireModel):
    """A function the model may call."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    """An OpenAPI-style schema (``"type": "OBJECT"``)."""
    parameters_json_schema: dict[str, Any] | None = None
    """A JSON Schema (``"type": "object"``), the alternative to `parameters`."""
    response: dict[str, Any] | None = None
    response_json_schema: dict[str, Any] | None = None
    behavior: Literal["BLOCKING", "NON_BLOCKING"] | None = None


class Tool(WireModel):
    """A tool offered to the model: declared functions or a built-in tool."""

    function_declarations: tuple[FunctionDeclaration, ...] | None = None
    google_search: dict[str, Any] | None = None
    code_execution: dict[str, Any] | None = None
    url_context: dict[str, Any] | None = None


class AutomaticActivityDetection(WireModel):
    """The server's voice-activity detector."""

    disabled: bool | None = None
    """True for manual activity: the client sends activityStart / activityEnd."""
    start_of_speech_sensitivity: str | None = None
    end_of_speech_sensitivity: str | None = None
    prefix_padding_ms: int | None = None
    silence_duration_ms: int | None = None


class RealtimeInputConfig(WireModel):
    """How streamed input is turned into turns."""

    automatic_activity_detection: AutomaticActivityDetection | None = None
    activity_handling: str | None = None
    """``START_OF_ACTIVITY_INTERRUPTS`` (default) or ``NO_INTERRUPTION``."""
    turn_coverage: str | None = None


class LanguageHints(WireModel):
    """Languages the speech is likely in."""

    language_codes: tuple[str, ...] | None = None


class AudioTranscriptionConfig(WireModel):
    """Enables a transcription (an empty object enables it), with the recogniser's options."""

    language_codes: tuple[str, ...] | None = None
    """The languages spoken (BCP-47)."""
    language_auto: dict[str, Any] | None = None
    """Detect the language (an empty object turns it on)."""
    language_hints: LanguageHints | None = None
    """Languages to prefer when detecting."""
    custom_vocabulary: tuple[str, ...] | None = None
    """Words the recogniser should know."""
    adaptation_phrases: tuple[str, ...] | None = None
    """Phrases the recogniser should favour."""
    word_timestamp: bool | None = None
    """Send each word's timing with the transcript."""
    diarization: bool | None = None
    """Label each transcript with its speaker."""
    mode: str | None = None
    """How the transcript is made (the API's ``AudioTranscriptionMode``)."""
    source_text: str | None = None
    """Text the speech is expected to say."""


class SessionResumptionConfig(WireModel):
    """Ask for resumption handles (empty) or resume a session (with `handle`)."""

    handle: str | None = None
    transparent: bool | None = None


class SlidingWindow(WireModel):
    """Context-window compression by dropping the oldest turns."""

    target_tokens: int | None = None


class ContextWindowCompression(WireModel):
    """Compress the context when it grows past `trigger_tokens`, so sessions are not cut short."""

    trigger_tokens: int | None = None
    sliding_window: SlidingWindow | None = None


class ProactivityConfig(WireModel):
    """Let the model decide not to answer."""

    proactive_audio: bool | None = None
    proactive_video: bool | None = None


class HistoryConfig(WireModel):
    """How initial history is given."""

    initial_history_in_client_content: bool | None = None


class Setup(WireModel):
    """The session configuration, sent first and once."""

    model: str
    """``models/{id}``."""
    generation_config: GenerationConfig | None = None
    system_instruction: Content | None = None
    tools: tuple[Tool, ...] | None = None
    realtime_input_config: RealtimeInputConfig | None = None
    input_audio_transcription: AudioTranscriptionConfig | None = None
    output_audio_transcription: AudioTranscriptionConfig | None = None
    session_resumption: SessionResumptionConfig | None = None
    context_window_compression: ContextWindowCompression | None = None
    proactivity: ProactivityConfig | None = None
    explicit_vad_signal: bool | None = None
    """Ask for ``voiceActivityDetectionSignal`` messages at the start and end of the user's speech."""
    history_config: HistoryConfig | None = None
    safety_settings: tuple[dict[str, Any], ...] | None = None
    avatar_config: dict[str, Any] | None = None
    labels: dict[str, str] | None = None
    """Vertex AI's billing labels."""

    @property
    def manual_activity(self) -> bool:
        """True when automatic activity detection is disabled (push-to-talk)."""
        config = self.realtime_input_config
        detection = config.automatic_activity_detection if config else None
        return bool(detection and detection.disabled)

    @property
    def modality(self) -> Modality:
        """The one response modality of the session (AUDIO when unset, as Google defaults)."""
        config = self.generation_config
        modalities = config.response_modalities if config else None
        return modalities[0] if modalities else "AUDIO"


class ClientContent(WireModel):
    """Ordered turns appended to the conversation; with `turn_complete` the model answers.

    It also interrupts any generation in progress.
    """

    turns: tuple[Content, ...] | None = None
    turn_complete: bool | None = None


class ActivityStart(WireModel):
    """The user started speaking (manual activity detection)."""


class ActivityEnd(WireModel):
    """The user stopped speaking (manual activity detection)."""


class RealtimeInput(WireModel):
    """Streamed input: one field per message."""

    audio: Blob | None = None
    video: Blob | None = None
    text: str | None = None
    activity_start: ActivityStart | None = None
    activity_end: ActivityEnd | None = None
    audio_stream_end: bool | None = None
    media_chunks: tuple[Blob, ...] | None = None
    """Deprecated: audio or images as a list of blobs."""


class ToolResponse(WireModel):
    """Answers to function calls."""

    function_responses: tuple[FunctionResponse, ...] = ()


class ToolList(WireModel):
    """The tools of a context update, as the SDK writes them: an object wrapping the list."""

    tools: tuple[Tool, ...] = ()


class ContextUpdate(WireModel):
    """A new system instruction and/or tools for the session in progress."""

    system_instruction: Content | None = None
    tools: ToolList | None = None


class SetupMessage(WireModel):
    """``{"setup": {...}}``."""

    setup: Setup


class ClientContentMessage(WireModel):
    """``{"clientContent": {...}}``."""

    client_content: ClientContent


class RealtimeInputMessage(WireModel):
    """``{"realtimeInput": {...}}``."""

    realtime_input: RealtimeInput


@functools.lru_cache(maxsize=16)  # a stream sends one MIME type
def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def realtime_blob(field: Literal["audio", "video"], mime_type: str, data: bytes) -> str:
    """The ``realtimeInput`` frame of one microphone block or camera frame, written without a model: it is
    the most frequent frame (one string format, no validation), and the same text `RealtimeInputMessage`
    encodes to."""
    encoded = base64.b64encode(data).decode("ascii")
    return f'{{"realtimeInput":{{"{field}":{{"mimeType":{_json_string(mime_type)},"data":"{encoded}"}}}}}}'


class ToolResponseMessage(WireModel):
    """``{"toolResponse": {...}}``."""

    tool_response: ToolResponse


class ContextUpdateMessage(WireModel):
    """``{"contextUpdate": {...}}``."""

    context_update: ContextUpdate


ClientMessage: TypeAlias = (
    SetupMessage | ClientContentMessage | RealtimeInputMessage | ToolResponseMessage | ContextUpdateMessage
)
"""Any client → server message."""
