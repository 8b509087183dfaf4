"""The domain events of a live session: one vocabulary for every provider and every consumer.

The engine turns wire frames into these events; the UI, the audio player, the journal and the latency
tracker consume them and never see a provider's wire format. Each event is a small frozen pydantic model
with a literal ``kind`` tag, so a journal line (``event.model_dump_json()``) reads back into the same event
with :data:`EVENT_ADAPTER`.

Turns are numbered by the engine from 1. A *turn* is one model reply; the user input that caused it (typed
text or speech) carries the same number. Times are seconds on the client's monotonic clock
(``time.monotonic()``) unless a field says otherwise.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Event(BaseModel):
    """Base of every domain event."""

    model_config = ConfigDict(frozen=True, ser_json_bytes="base64", val_json_bytes="base64")


class Connecting(Event):
    """The engine is opening a socket to the provider."""

    kind: Literal["connecting"] = "connecting"
    url: str
    """The endpoint, with any API key removed."""
    attempt: int = 1
    """1 for the first connection, more for reconnects."""


class Connected(Event):
    """The WebSocket handshake succeeded; `setup` is on its way."""

    kind: Literal["connected"] = "connected"
    url: str
    """The endpoint, with any API key removed."""


class SetupComplete(Event):
    """The server accepted `setup`: the session is live."""

    kind: Literal["setup_complete"] = "setup_complete"
    session_id: str | None = None
    """The server's session id, where it sends one (Vertex does)."""


class UserText(Event):
    """The user sent a typed turn."""

    kind: Literal["user_text"] = "user_text"
    turn: int
    text: str


class TextDelta(Event):
    """A piece of the model's text reply, in order."""

    kind: Literal["text_delta"] = "text_delta"
    turn: int
    text: str
    thought: bool = False
    """True for a thought part (reasoning the model shows but does not say)."""


class AudioOut(Event):
    """A chunk of the model's speech: PCM16 mono little-endian."""

    kind: Literal["audio_out"] = "audio_out"
    turn: int
    pcm: bytes
    rate: int = 24000


class Word(BaseModel):
    """One word of a transcript, with when it was said where the server tells."""

    model_config = ConfigDict(frozen=True)

    word: str
    start: float | None = None
    """Seconds into the audio the word starts at."""
    end: float | None = None
    """Seconds into the audio the word ends at."""


class InputTranscript(Event):
    """What the model heard the user say (a delta, or the whole utterance when `final`)."""

    kind: Literal["input_transcript"] = "input_transcript"
    turn: int
    text: str
    final: bool = False
    speaker: str | None = None
    """Who spoke, where the server labels speakers."""
    words: tuple[Word, ...] = ()
    """The words' timings, where the server sends them."""
    language: str | None = None
    """The language heard (BCP-47), where the server says."""

    def heard_after(self, before: str) -> str:
        """The utterance heard so far once this event is applied to `before`: a final transcript is the
        whole utterance and replaces the deltas before it (which may have been revised); a delta is
        appended."""
        return self.text if self.final else before + self.text


class OutputTranscript(Event):
    """A delta of the transcript of the model's speech."""

    kind: Literal["output_transcript"] = "output_transcript"
    turn: int
    text: str
    final: bool = False
    speaker: str | None = None
    """Who spoke, where the server labels speakers."""
    words: tuple[Word, ...] = ()
    """The words' timings, where the server sends them."""
    language: str | None = None
    """The language spoken (BCP-47), where the server says."""


class ToolCall(Event):
    """One function call the model asks the client to run."""

    kind: Literal["tool_call"] = "tool_call"
    turn: int
    call_id: str
    name: str
    args: dict[str, object] = Field(default_factory=dict)


class ToolCallRequested(Event):
    """The model asked for one or more function calls."""

    kind: Literal["tool_call_requested"] = "tool_call_requested"
    turn: int
    calls: tuple[ToolCall, ...]


class ToolCallCancelled(Event):
    """The server cancelled calls it asked for earlier (usually because the turn was interrupted)."""

    kind: Literal["tool_call_cancelled"] = "tool_call_cancelled"
    turn: int
    call_ids: tuple[str, ...]


class ToolResult(Event):
    """The client answered a function call (sent as `toolResponse`)."""

    kind: Literal["tool_result"] = "tool_result"
    turn: int
    call_id: str
    name: str
    response: dict[str, object]
    """`{"output": ...}` or `{"error": "..."}`."""


ToolStatus = Literal["pending", "running", "done", "error", "cancelled", "denied"]
"""Where a function call stands: waiting (for the user, in confirm and manual modes), running, answered with
an output or an error, cancelled (by the server or an interruption), or denied by the user."""


class ToolCallStatus(Event):
    """A function call changed status (the client's side of a call, for the tools pane and the journal)."""

    kind: Literal["tool_call_status"] = "tool_call_status"
    turn: int
    call_id: str
    name: str
    status: ToolStatus
    awaiting: Literal["approval", "answer"] | None = None
    """While `pending`: what the user is asked for (confirm mode: approval; manual mode: the answer)."""
    result: dict[str, object] | None = None
    """The response sent (`done`, `error`, `denied`)."""
    duration: float | None = None
    """Seconds the function ran (or, in manual mode, the user took to answer)."""


class ToolCallArguments(Event):
    """The arguments of a function call the model is still streaming, as they stand so far (the call is
    run once `ToolCallRequested` brings it complete)."""

    kind: Literal["tool_call_arguments"] = "tool_call_arguments"
    turn: int
    call_id: str
    name: str
    args: dict[str, object] = Field(default_factory=dict)


class GenerationComplete(Event):
    """The model has generated everything for this turn (playback may still be running)."""

    kind: Literal["generation_complete"] = "generation_complete"
    turn: int


class Interrupted(Event):
    """The turn was interrupted.

    ``by="user"`` is the local interruption (the interrupt key, or a new message typed while the model
    replies), emitted at once; ``by="server"`` is the server's ``interrupted`` (barge-in by speech, or the
    server acknowledging the user's interruption).
    """

    kind: Literal["interrupted"] = "interrupted"
    turn: int
    by: Literal["user", "server"]


class Heard(Event):
    """How much of a turn's speech was played before it was cut (by the interrupt key, a message typed
    over it, or the user talking over it): the conversation remembers that turn only up to there."""

    kind: Literal["heard"] = "heard"
    turn: int
    ms: int
    """Milliseconds of the turn's speech played."""


class TurnComplete(Event):
    """The server closed the turn."""

    kind: Literal["turn_complete"] = "turn_complete"
    turn: int
    reason: str = "complete"
    """``complete``, ``interrupted``, or the server's ``turnCompleteReason`` in lower case."""


class Usage(Event):
    """Token counts the server reported."""

    kind: Literal["usage"] = "usage"
    turn: int
    prompt_tokens: int = 0
    response_tokens: int = 0
    total_tokens: int = 0
    prompt_details: dict[str, int] = Field(default_factory=dict)
    """The prompt's tokens by modality (`text`, `audio`, `image`, `video`), where the provider says."""
    response_details: dict[str, int] = Field(default_factory=dict)
    """The response's tokens by modality (`text`, `audio`), where the provider says."""
    thoughts_tokens: int = 0
    """Tokens the model thought with (counted in the total, not in the response)."""
    cached_tokens: int = 0
    """Prompt tokens served from the context cache."""


class RateLimit(BaseModel):
    """One of the provider's rate limits, as it stands now."""

    model_config = ConfigDict(frozen=True)

    name: str
    """What is limited (``requests``, ``tokens``)."""
    limit: int | None = None
    """The most allowed in the window."""
    remaining: int | None = None
    """What is left of it."""
    reset_seconds: float | None = None
    """Seconds until the window resets."""


class RateLimits(Event):
    """The provider's rate limits, as it reports them at the start of each reply (OpenAI Realtime's
    ``rate_limits.updated``); the latency pane shows them."""

    kind: Literal["rate_limits"] = "rate_limits"
    limits: tuple[RateLimit, ...]


class VoiceActivity(Event):
    """The server's voice-activity detector saw speech start or end."""

    kind: Literal["voice_activity"] = "voice_activity"
    speaking: bool


class GoAway(Event):
    """The server will close the connection soon."""

    kind: Literal["go_away"] = "go_away"
    time_left: float
    """Seconds until the server closes the connection."""


class ResumptionHandle(Event):
    """A new session-resumption handle (kept to reconnect without losing the conversation)."""

    kind: Literal["resumption_handle"] = "resumption_handle"
    handle: str
    resumable: bool


class Resumed(Event):
    """The session continues on a new socket with a resumption handle."""

    kind: Literal["resumed"] = "resumed"
    attempt: int


class Disconnected(Event):
    """The socket closed. `code` is the WebSocket close code (1006 when the connection dropped)."""

    kind: Literal["disconnected"] = "disconnected"
    code: int
    reason: str
    """The server's reason, or a plain explanation of the code."""
    will_retry: bool = False


class SessionError(Event):
    """Something went wrong that the user should read: one line, no traceback. The session goes on."""

    kind: Literal["session_error"] = "session_error"
    message: str
    fatal: bool = False
    """True when the session cannot continue (bad key, refused connection, invalid setup)."""


class Notice(Event):
    """Information for the user that is not an error (fallbacks, modes)."""

    kind: Literal["notice"] = "notice"
    message: str


class SessionInfo(Event):
    """What the session talks to, journaled once at its start (the sessions list names it)."""

    kind: Literal["session_info"] = "session_info"
    provider: str
    """`gemini`, `openai` or `local`."""
    model: str
    """The model (on the local server, its brain)."""
    continued_from: str | None = None
    """The session directory's name this one continues (its conversation was carried), if any."""


class WireFrame(Event):
    """A raw frame on the wire, for the events pane and the journal; audio and images abbreviated."""

    kind: Literal["wire_frame"] = "wire_frame"
    direction: Literal["in", "out"]
    summary: str
    """The message's top-level key (``serverContent``, ``realtimeInput.audio``, ...)."""
    text: str
    """The frame's JSON with base64 payloads replaced by ``<N bytes>``."""
    size: int
    """The frame's length on the wire, in bytes."""

    @classmethod
    def sent(cls, summary: str, text: str, size: int) -> WireFrame:
        """A frame the client wrote itself (a microphone block, fifty a second), made without validating
        fields a codec has just built."""
        return cls.model_construct(direction="out", summary=summary, text=text, size=size)


Mark = Literal["t0", "t1", "t2", "t3", "t4", "k0", "k1", "k2"]
"""Latency marks (DESIGN.md): t0 user end of turn, t1 first reply frame, t2 first text painted,
t3 first reply sample handed to the device, t4 turn complete; k0 interrupt pressed, k1 playback silent,
k2 the server acknowledged the interruption."""


class LatencyMark(Event):
    """A latency mark reached for a turn."""

    kind: Literal["latency_mark"] = "latency_mark"
    turn: int
    mark: Mark
    at: float
    """Monotonic time of the mark."""


class RoundTrip(Event):
    """A WebSocket ping's round-trip time."""

    kind: Literal["round_trip"] = "round_trip"
    seconds: float


class AudioState(Event):
    """The microphone and the speaker: what is in use and what they are doing (for the status bar)."""

    kind: Literal["audio_state"] = "audio_state"
    mic: str
    """The microphone in use (``default microphone``, ``file speech.wav``); "" when there is none."""
    speaker: str
    """The output in use (``default speaker``, ``file out.wav``); "" when there is none."""
    muted: bool = False
    """The user muted the microphone."""
    push_to_talk: bool = False
    """Push-to-talk mode: the microphone is sent only while `talking`."""
    talking: bool = False
    """Push-to-talk: the user is talking (between ``activityStart`` and ``activityEnd``)."""
    speaking: bool = False
    """The model's speech is playing (or about to)."""
    half_duplex: bool = False
    """Half-duplex mode: the microphone is held back while the model speaks."""
    gated: bool = False
    """Half-duplex: the microphone is held back right now."""
    underruns: int = 0
    """Times playback ran dry while more speech was expected."""
    echo_cancel: bool = False
    """Echo cancellation runs on the microphone (the speaker's sound is taken out of it)."""
    noise_suppression: bool = False
    """Noise suppression runs on the microphone."""


class MicLevel(Event):
    """The microphone's loudness, about ten times a second while it captures."""

    kind: Literal["mic_level"] = "mic_level"
    level: float
    """From 0 (silence) to 1 (full scale), the loudest block since the last report."""


CameraStatus = Literal["on", "off", "unavailable"]
"""Whether camera frames are streaming (``on``), paused by the user (``off``), or cannot be had."""


class CameraState(Event):
    """The camera stream was switched on or off, or its source failed."""

    kind: Literal["camera_state"] = "camera_state"
    state: CameraStatus
    source: str
    """How the source is named to the user: ``camera 0``, ``photo.jpg``, ``test pattern``."""
    fps: float
    """The most frames a second it sends."""


class CameraFrame(Event):
    """A camera frame went to the model: the JPEG exactly as sent (for the preview)."""

    kind: Literal["camera_frame"] = "camera_frame"
    number: int
    """Frames sent so far in this session, this one included."""
    jpeg: bytes
    width: int
    height: int
    snapshot: bool = False
    """True when the user asked for it (the snapshot key) rather than the rate."""


AnyEvent: TypeAlias = Annotated[
    Connecting
    | Connected
    | SetupComplete
    | UserText
    | TextDelta
    | AudioOut
    | InputTranscript
    | OutputTranscript
    | ToolCallRequested
    | ToolCallCancelled
    | ToolResult
    | ToolCallStatus
    | ToolCallArguments
    | GenerationComplete
    | Interrupted
    | Heard
    | TurnComplete
    | Usage
    | RateLimits
    | VoiceActivity
    | GoAway
    | ResumptionHandle
    | Resumed
    | Disconnected
    | SessionError
    | Notice
    | SessionInfo
    | WireFrame
    | LatencyMark
    | RoundTrip
    | AudioState
    | MicLevel
    | CameraState
    | CameraFrame,
    Field(discriminator="kind"),
]
"""Every domain event, tagged by ``kind``."""

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)
"""Reads a journal line back into its event: ``EVENT_ADAPTER.validate_json(line)``."""
