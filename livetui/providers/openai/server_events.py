"""The server events livetui reads from an OpenAI Realtime server, GA and beta names alike.

Only the fields livetui uses are declared; everything else a server sends is kept (``extra="allow"``), so
a new field never breaks a session. `SERVER_EVENTS` maps each ``type`` livetui acts on to its model; a type
it does not know is shown in the events pane and otherwise left alone.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from livetui.live.limits import LimitError, bounded_json


class ServerModel(BaseModel):
    """Base of everything read from the server: unknown fields are kept, not refused."""

    model_config = ConfigDict(extra="allow", frozen=True)


class ServerEvent(ServerModel):
    """Any server event: its ``type`` and, usually, an ``event_id``."""

    type: str
    event_id: str | None = None


class SessionEvent(ServerEvent):
    """``session.created`` / ``session.updated``."""

    session: dict[str, Any] = Field(default_factory=dict)


class ErrorDetail(ServerModel):
    """What went wrong, in an ``error`` event or a failed response."""

    type: str | None = None
    code: str | None = None
    message: str | None = None
    param: str | None = None


class ErrorEvent(ServerEvent):
    """``error``: a client event was refused, or something failed; the session goes on."""

    error: ErrorDetail = Field(default_factory=ErrorDetail)


class RateLimit(ServerModel):
    """One rate limit of ``rate_limits.updated``."""

    name: str = ""
    limit: int | None = None
    remaining: int | None = None
    reset_seconds: float | None = None


class RateLimitsUpdated(ServerEvent):
    """``rate_limits.updated``."""

    rate_limits: tuple[RateLimit, ...] = ()


class ItemEvent(ServerEvent):
    """An event about one item: speech started or stopped, audio committed, a transcript's piece."""

    item_id: str | None = None


class TranscriptDelta(ItemEvent):
    """``conversation.item.input_audio_transcription.delta``."""

    delta: str = ""


class TranscriptCompleted(ItemEvent):
    """``conversation.item.input_audio_transcription.completed``."""

    transcript: str = ""


class OutputItem(ServerModel):
    """An item the model produced (a message, or a function call)."""

    id: str | None = None
    type: str = ""
    call_id: str | None = None
    name: str | None = None
    arguments: str | None = None


class OutputItemEvent(ServerEvent):
    """``response.output_item.added`` / ``.done``."""

    response_id: str | None = None
    item: OutputItem = Field(default_factory=OutputItem)


class ResponseDelta(ItemEvent):
    """A piece of the reply: text, audio (base64) or the audio's transcript."""

    response_id: str | None = None
    delta: str = ""


class ArgumentsDone(ItemEvent):
    """``response.function_call_arguments.done``."""

    response_id: str | None = None
    call_id: str | None = None
    name: str | None = None
    arguments: str = ""


class StatusDetails(ServerModel):
    """Why a response ended as it did."""

    type: str | None = None
    reason: str | None = None
    error: ErrorDetail | None = None


class TokenDetails(ServerModel):
    """Tokens by modality (``input_token_details``, ``output_token_details``)."""

    text_tokens: int | None = None
    audio_tokens: int | None = None
    image_tokens: int | None = None

    def by_modality(self) -> dict[str, int]:
        """The counts given, by modality (`text`, `audio`, `image`)."""
        counts = {"text": self.text_tokens, "audio": self.audio_tokens, "image": self.image_tokens}
        return {modality: count for modality, count in counts.items() if count is not None}


class TokenUsage(ServerModel):
    """Tokens a response used."""

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    input_token_details: TokenDetails | None = None
    output_token_details: TokenDetails | None = None


class Response(ServerModel):
    """The response object of ``response.created`` / ``response.done``."""

    id: str | None = None
    status: str | None = None
    """``in_progress``, ``completed``, ``cancelled``, ``incomplete`` or ``failed``."""
    status_details: StatusDetails | None = None
    output: tuple[OutputItem, ...] = ()
    usage: TokenUsage | None = None


class ResponseEvent(ServerEvent):
    """``response.created`` / ``response.done``."""

    response: Response = Field(default_factory=Response)


TRANSCRIPTION = "conversation.item.input_audio_transcription"

SERVER_EVENTS: dict[str, type[ServerEvent]] = {
    "session.created": SessionEvent,
    "session.updated": SessionEvent,
    "error": ErrorEvent,
    "rate_limits.updated": RateLimitsUpdated,
    "input_audio_buffer.speech_started": ItemEvent,
    "input_audio_buffer.speech_stopped": ItemEvent,
    "input_audio_buffer.committed": ItemEvent,
    f"{TRANSCRIPTION}.delta": TranscriptDelta,
    f"{TRANSCRIPTION}.completed": TranscriptCompleted,
    "response.created": ResponseEvent,
    "response.done": ResponseEvent,
    "response.output_item.added": OutputItemEvent,
    "response.output_item.done": OutputItemEvent,
    "response.output_text.delta": ResponseDelta,
    "response.text.delta": ResponseDelta,
    "response.output_audio.delta": ResponseDelta,
    "response.audio.delta": ResponseDelta,
    "response.output_audio_transcript.delta": ResponseDelta,
    "response.audio_transcript.delta": ResponseDelta,
    "response.function_call_arguments.done": ArgumentsDone,
}
"""The events livetui acts on, by ``type`` (GA names, and the beta names they replaced)."""

TEXT_DELTAS = frozenset(("response.output_text.delta", "response.text.delta"))
"""A piece of a text reply (GA, beta)."""
AUDIO_DELTAS = frozenset(("response.output_audio.delta", "response.audio.delta"))
"""A piece of the reply's audio, base64 PCM16 24 kHz (GA, beta)."""
TRANSCRIPT_DELTAS = frozenset(("response.output_audio_transcript.delta", "response.audio_transcript.delta"))
"""A piece of the reply's audio transcript (GA, beta)."""


class FrameError(ValueError):
    """A server frame that cannot be used; the message is one line, fit to show a user."""


def load(frame: str | bytes) -> dict[str, Any]:
    """A frame's JSON object, within the bounds of `livetui.live.limits`.

    Raises:
        FrameError: not UTF-8 JSON within those bounds, or not an object.
    """
    try:
        data = bounded_json(frame)
    except LimitError as error:
        raise FrameError(str(error)) from None
    if not isinstance(data, dict):
        raise FrameError(f"frame is a JSON {type(data).__name__}, not an object")
    return data


def parse(data: dict[str, Any]) -> ServerEvent | None:
    """The event a frame's JSON object holds; None for a type livetui does not act on.

    Raises:
        FrameError: the object has no type, or fields of the wrong shape for its type.
    """
    kind = data.get("type")
    if not isinstance(kind, str):
        raise FrameError("it has no type")
    model = SERVER_EVENTS.get(kind)
    if model is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FrameError(f"invalid {kind[:80]}: {where + ': ' if where else ''}{first['msg']}") from None
