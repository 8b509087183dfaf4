"""Server → client messages (reference §4). A frame may carry several top-level keys."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from livetui.providers.gemini.base import Duration, WireModel
from livetui.providers.gemini.content import Content, FunctionCall


class SetupComplete(WireModel):
    """The server accepted `setup`; always the first frame."""

    session_id: str | None = None
    """Vertex AI's name for the session."""
    voice_consent_signature: dict[str, Any] | None = None


class WordInfo(WireModel):
    """One word of a transcript and when it was said (offsets as protobuf durations)."""

    word: str = ""
    start_offset: str | None = None
    end_offset: str | None = None


class Transcription(WireModel):
    """A transcript delta."""

    text: str = ""
    finished: bool | None = None
    language_code: str | None = None
    speaker_label: str | None = None
    """Who spoke (with ``diarization`` asked for)."""
    words: tuple[WordInfo, ...] | None = None
    """Each word's timing (with ``wordTimestamp`` asked for)."""
    start_offset: str | None = None
    end_offset: str | None = None


class ServerContent(WireModel):
    """Model output and turn signals."""

    model_turn: Content | None = None
    turn_complete: bool | None = None
    turn_complete_reason: str | None = None
    waiting_for_input: bool | None = None
    generation_complete: bool | None = None
    interrupted: bool | None = None
    input_transcription: Transcription | None = None
    output_transcription: Transcription | None = None
    interim_input_transcription: Transcription | None = None
    grounding_metadata: dict[str, Any] | None = None
    url_context_metadata: dict[str, Any] | None = None
    interaction_status: str | None = None


class ToolCall(WireModel):
    """Function calls the client should run."""

    function_calls: tuple[FunctionCall, ...] = ()


class ToolCallCancellation(WireModel):
    """Ids of calls the server no longer wants."""

    ids: tuple[str, ...] = ()


class GoAway(WireModel):
    """The connection ends after `time_left`."""

    time_left: Duration = 0.0


class SessionResumptionUpdate(WireModel):
    """A handle to resume this session on a new connection."""

    new_handle: str | None = None
    resumable: bool | None = None
    last_consumed_client_message_index: int | None = None


class ModalityTokenCount(WireModel):
    """Tokens per modality."""

    modality: str = ""
    token_count: int = 0


class UsageMetadata(WireModel):
    """Token accounting."""

    prompt_token_count: int | None = None
    cached_content_token_count: int | None = None
    response_token_count: int | None = None
    candidates_token_count: int | None = None
    """Vertex's name for `response_token_count`."""
    tool_use_prompt_token_count: int | None = None
    thoughts_token_count: int | None = None
    total_token_count: int | None = None
    prompt_tokens_details: tuple[ModalityTokenCount, ...] | None = None
    cache_tokens_details: tuple[ModalityTokenCount, ...] | None = None
    response_tokens_details: tuple[ModalityTokenCount, ...] | None = None
    tool_use_prompt_tokens_details: tuple[ModalityTokenCount, ...] | None = None
    candidates_tokens_details: tuple[ModalityTokenCount, ...] | None = None
    """Vertex's name for `response_tokens_details`."""
    traffic_type: str | None = None
    service_tier: str | None = None


class VoiceActivityDetectionSignal(WireModel):
    """Start or end of speech (``VAD_SIGNAL_TYPE_SOS`` / ``_EOS``)."""

    vad_signal_type: str | None = None


class VoiceActivity(WireModel):
    """Start or end of user activity (``ACTIVITY_START`` / ``ACTIVITY_END``)."""

    voice_activity_type: str | None = Field(default=None, alias="type")
    audio_offset: str | None = None


class ServerMessage(WireModel):
    """One server frame. At least one field is set; `usage_metadata` often rides with `server_content`."""

    setup_complete: SetupComplete | None = None
    server_content: ServerContent | None = None
    tool_call: ToolCall | None = None
    tool_call_cancellation: ToolCallCancellation | None = None
    go_away: GoAway | None = None
    session_resumption_update: SessionResumptionUpdate | None = None
    usage_metadata: UsageMetadata | None = None
    voice_activity_detection_signal: VoiceActivityDetectionSignal | None = None
    voice_activity: VoiceActivity | None = None
