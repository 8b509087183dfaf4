"""The client side of one Gemini Live connection as a sans-I/O state machine: Gemini's `Codec`.

Feed it frames with :meth:`GeminiSession.receive` and call its send methods; collect frames to put on the
wire with :meth:`GeminiSession.data_to_send` and domain events with :meth:`GeminiSession.events_received`.
It never reads a clock: every method that marks latency takes the time as ``at``.

**Turns** are kept by a `livetui.live.ledger.TurnLedger`: each ``turnComplete`` closes the oldest
unfinished turn, so a reply that arrives after the user typed again is still attributed to the right turn.

**Interruption.** :meth:`GeminiSession.interrupt` marks every unfinished turn interrupted at once: their
further text, audio and transcripts are dropped (the raw frames are still reported as `WireFrame` events, so
the journal keeps everything received), and the server is told with the provider's interrupting message
(``activityStart`` under manual activity detection, otherwise an empty ``clientContent``). The server's
``interrupted`` or the turn's ``turnComplete`` is the acknowledgement (mark k2).

**Replay.** A conversation given as `history` is sent after `setup`, as ``clientContent`` turns without
``turnComplete``: the model knows them and does not answer them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from livetui import events as ev
from livetui.live.codec import Exchange
from livetui.live.ledger import TurnLedger
from livetui.live.limits import LimitError, audio_rate, bounded_seconds
from livetui.live.split import split_to_fit
from livetui.live.tools import ToolAnswer
from livetui.providers.gemini.calls import StreamedCalls
from livetui.providers.gemini.client import (
    ActivityEnd,
    ActivityStart,
    ClientContent,
    ClientContentMessage,
    ClientMessage,
    ContextUpdate,
    ContextUpdateMessage,
    RealtimeInput,
    RealtimeInputMessage,
    Setup,
    SetupMessage,
    ToolResponse,
    ToolResponseMessage,
    realtime_blob,
)
from livetui.providers.gemini.codec import MAX_FRAME_BYTES, ProtocolError, encode, load_json, server_message
from livetui.providers.gemini.content import Blob, Content, FunctionCall, FunctionResponse, Part
from livetui.providers.gemini.extra import with_extra
from livetui.providers.gemini.reports import extras, usage_event
from livetui.providers.gemini.server import ServerContent, ServerMessage
from livetui.providers.gemini.setup import system_instruction
from livetui.providers.gemini.summary import summarize, summarize_blob

TextRoute = Literal["client_content", "realtime_input"]
"""How typed text is sent: as an ordered ``clientContent`` turn (interrupts generation), or as
``realtimeInput.text`` (required by models that refuse mid-session ``clientContent``)."""


class GeminiSession:
    """Sans-I/O client state for one connection (see the module docstring)."""

    def __init__(
        self,
        setup: Setup,
        *,
        text_route: TextRoute = "client_content",
        first_turn: int = 1,
        history: Sequence[Exchange] = (),
        setup_extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.setup = setup
        """The session configuration; sent first by :meth:`start`."""
        self.setup_extra: Mapping[str, Any] = setup_extra or {}
        """Fields merged into the `setup` as given (`livetui.providers.gemini.extra`)."""
        self.text_route: TextRoute = text_route
        """How :meth:`send_text` sends typed text."""
        self.history = tuple(history)
        """The conversation so far, replayed after `setup` (for a session that cannot resume by handle)."""
        self._frames: list[str] = []
        self._events: list[ev.AnyEvent] = []
        self._turns = TurnLedger(self._events, first_turn=first_turn)
        self._activity_open = False
        self._setup_done = False
        self._calls = StreamedCalls()

    # -- output -------------------------------------------------------------------------------------------

    def data_to_send(self) -> list[str]:
        """Frames to write to the socket, in order; the list is emptied."""
        frames, self._frames = self._frames, []
        return frames

    def events_received(self) -> list[ev.AnyEvent]:
        """Domain events produced since the last call, in order; the list is emptied."""
        events = self._events.copy()
        self._events.clear()  # the same list: the ledger writes into it too
        return events

    @property
    def ready(self) -> bool:
        """True once the server answered `setup` with `setupComplete`."""
        return self._setup_done

    @property
    def replying(self) -> bool:
        """True while a turn is unfinished and not interrupted (the model is, or is about to be, replying)."""
        return self._turns.replying

    @property
    def current_turn(self) -> int:
        """The number of the oldest unfinished turn, or of the last finished one."""
        return self._turns.current_turn

    @property
    def next_turn(self) -> int:
        """The number the next new turn will get (a resumed session's `first_turn`)."""
        return self._turns.next_turn

    def _send(self, message: ClientMessage) -> None:
        """Queue a frame and its `WireFrame` (a blob's goes by `_send_blob`, summarized without parsing)."""
        frame = encode(message)
        if isinstance(message, SetupMessage):
            frame = with_extra(frame, self.setup_extra)
        self._frames.append(frame)
        summary, text = summarize(load_json(frame))
        self._events.append(ev.WireFrame(direction="out", summary=summary, text=text, size=len(frame)))

    def _send_blob(self, field: Literal["audio", "video"], mime_type: str, data: bytes) -> None:
        """Queue a ``realtimeInput`` audio block or video frame: written once, never parsed back."""
        frame = realtime_blob(field, mime_type, data)
        self._frames.append(frame)
        summary, text = summarize_blob("realtimeInput", field, mime_type, len(data))
        self._events.append(ev.WireFrame.sent(summary, text, len(frame)))

    # -- client → server ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Queue the `setup` message (it must be the first frame), then the `history` to replay."""
        self._send(SetupMessage(setup=self.setup))
        for message in self._history_messages():
            self._send(message)

    def _history_messages(self) -> list[ClientContentMessage]:
        """The history as ``clientContent`` turns without ``turnComplete``, as few frames as fit."""
        turns = [
            _said(exchange.role, piece)
            for exchange in self.history
            for piece in split_to_fit(exchange.text, lambda piece: _history_fits((_said("model", piece),)))
        ]
        messages: list[ClientContentMessage] = []
        batch: list[Content] = []
        for turn in turns:
            if batch and not _history_fits((*batch, turn)):
                messages.append(_history_message(batch))
                batch = []
            batch.append(turn)
        if batch:
            messages.append(_history_message(batch))
        return messages

    def send_text(self, text: str, *, at: float) -> int:
        """Send a typed user turn; returns its number. A reply in progress is interrupted first.

        A text too long for one frame goes whole, in several (`livetui.live.split`).
        """
        if self._turns.interrupt(at=at) is not None and self.text_route == "realtime_input":
            self._send_interrupting_message()
        turn = self._turns.user_text(text, at=at)
        pieces = split_to_fit(text, lambda piece: _frame_bytes(self._text_message(piece)) <= MAX_FRAME_BYTES)
        for index, piece in enumerate(pieces, start=1):
            self._send(self._text_message(piece, last=index == len(pieces)))
        if self._activity_open:
            self.activity_end(at=at)
        return turn.number

    def _text_message(self, text: str, *, last: bool = True) -> ClientMessage:
        """A typed turn's text, or a piece of it (only the `last` piece completes a `clientContent` turn;
        on the realtime route each piece is one more ``realtimeInput.text``)."""
        if self.text_route == "client_content":
            content = _said("user", text)
            return ClientContentMessage(client_content=ClientContent(turns=(content,), turn_complete=last))
        return RealtimeInputMessage(realtime_input=RealtimeInput(text=text))

    def interrupt(self, *, at: float, heard_ms: int | None = None, playing: int | None = None) -> int | None:
        """Interrupt the reply in progress; returns the interrupted turn's number, or None if none was.
        Gemini cannot be told how much was heard: `heard_ms` and `playing` are ignored."""
        number = self._turns.interrupt(at=at)
        if number is not None:
            self._send_interrupting_message()
        return number

    def _send_interrupting_message(self) -> None:
        if self.setup.manual_activity:
            if not self._activity_open:
                self._activity_open = True
                self._send(RealtimeInputMessage(realtime_input=RealtimeInput(activity_start=ActivityStart())))
        else:
            self._send(ClientContentMessage(client_content=ClientContent(turns=(), turn_complete=False)))

    def update_instructions(self, text: str) -> None:
        """Give the session in progress a new system prompt (``contextUpdate``); empty text clears it."""
        instruction = system_instruction(text) or Content(role="user", parts=())
        self._send(ContextUpdateMessage(context_update=ContextUpdate(system_instruction=instruction)))

    def send_audio(self, pcm: bytes, *, rate: int) -> None:
        """Stream a block of microphone audio (PCM16 mono)."""
        self._send_blob("audio", f"audio/pcm;rate={rate}", pcm)

    def send_video(self, jpeg: bytes, *, now: bool = False, mime_type: str = "image/jpeg") -> None:
        """Stream one camera frame (a snapshot, `now`, goes the same way: the stream is immediate)."""
        self._send_blob("video", mime_type, jpeg)

    def activity_start(self, *, at: float) -> None:
        """The user starts talking (manual activity detection); interrupts a reply in progress."""
        self._turns.interrupt(at=at)
        if not self._activity_open:
            self._activity_open = True
            self._send(RealtimeInputMessage(realtime_input=RealtimeInput(activity_start=ActivityStart())))

    def activity_end(self, *, at: float) -> int:
        """The user stops talking (manual activity detection); the turn is over (mark t0)."""
        self._activity_open = False
        self._send(RealtimeInputMessage(realtime_input=RealtimeInput(activity_end=ActivityEnd())))
        return self._turns.end_of_speech(at=at)

    def audio_stream_end(self) -> None:
        """The microphone was turned off (automatic activity detection)."""
        self._send(RealtimeInputMessage(realtime_input=RealtimeInput(audio_stream_end=True)))

    def answer_tools(self, answers: list[ToolAnswer]) -> None:
        """Answer function calls; each response carries its call's id and name."""
        responses = tuple(
            FunctionResponse(
                id=self._calls.wire_id(answer.call_id),
                name=answer.name,
                response=answer.output,
                scheduling=answer.scheduling,
            )
            for answer in answers
        )
        self._send(ToolResponseMessage(tool_response=ToolResponse(function_responses=responses)))

    def abandon(self, *, reason: str = "disconnected") -> list[int]:
        """The connection is gone: close every unfinished turn locally (``TurnComplete(reason)``), so
        nothing waits for a reply that will never come; returns their numbers."""
        return self._turns.abandon(reason=reason)

    # -- server → client ----------------------------------------------------------------------------------

    def receive(self, frame: str | bytes, *, at: float) -> None:
        """Take one frame from the server. A frame that cannot be read becomes a `SessionError` event."""
        size = len(frame)
        try:
            data = load_json(frame)
        except ProtocolError as error:
            raw = frame if isinstance(frame, str) else bytes(frame).decode("utf-8", "replace")
            self._events.append(ev.WireFrame(direction="in", summary="malformed", text=raw[:2000], size=size))
            self._events.append(ev.SessionError(message=f"malformed frame from the server: {error}"))
            return
        summary, text = summarize(data)
        self._events.append(ev.WireFrame(direction="in", summary=summary, text=text, size=size))
        try:
            message = server_message(data)  # the object parsed above: a frame is parsed once
        except ProtocolError as error:
            self._events.append(ev.SessionError(message=f"ignored a frame from the server: {error}"))
            return
        self._dispatch(message, at)

    def _dispatch(self, message: ServerMessage, at: float) -> None:
        if message.setup_complete is not None:
            self._setup_done = True
            session_id = message.setup_complete.session_id
            self._events.append(ev.SetupComplete(session_id=session_id))
            if session_id:  # Vertex AI names its sessions: worth quoting to its support
                self._events.append(ev.Notice(message=f"session id: {session_id}"))
        if message.voice_activity_detection_signal is not None:
            kind = message.voice_activity_detection_signal.vad_signal_type or ""
            self._events.append(ev.VoiceActivity(speaking=kind.endswith("SOS")))
        if message.voice_activity is not None:
            kind = message.voice_activity.voice_activity_type or ""
            self._events.append(ev.VoiceActivity(speaking=kind.endswith("START")))
        if message.server_content is not None:
            self._content(message.server_content, at)
        if message.tool_call is not None and message.tool_call.function_calls:
            self._tool_call(message.tool_call.function_calls, at)
        if message.tool_call_cancellation is not None:
            self._events.append(
                ev.ToolCallCancelled(turn=self.current_turn, call_ids=message.tool_call_cancellation.ids)
            )
        if message.usage_metadata is not None:
            self._events.append(usage_event(message.usage_metadata, turn=self._turns.last_finished))
        if message.go_away is not None:
            self._events.append(ev.GoAway(time_left=bounded_seconds(message.go_away.time_left)))
        update = message.session_resumption_update
        if update is not None and update.new_handle:
            self._events.append(
                ev.ResumptionHandle(handle=update.new_handle, resumable=bool(update.resumable))
            )

    def _tool_call(self, parts: tuple[FunctionCall, ...], at: float) -> None:
        """Calls complete go to the runner together; the arguments of one still streaming are shown."""
        turn = self._turns.head()
        self._turns.first_frame(turn, at=at)
        calls: list[ev.ToolCall] = []
        for part in parts:
            arrived = self._calls.take(part)
            if arrived.complete:
                calls.append(
                    ev.ToolCall(
                        turn=turn.number, call_id=arrived.call_id, name=arrived.name, args=arrived.args
                    )
                )
            else:
                self._events.append(
                    ev.ToolCallArguments(
                        turn=turn.number, call_id=arrived.call_id, name=arrived.name, args=arrived.args
                    )
                )
        if calls:
            self._events.append(ev.ToolCallRequested(turn=turn.number, calls=tuple(calls)))

    def _content(self, content: ServerContent, at: float) -> None:
        if content.input_transcription is not None and content.input_transcription.text:
            turn = self._turns.answering()
            transcript = content.input_transcription
            self._events.append(
                ev.InputTranscript(
                    turn=turn.number,
                    text=transcript.text,
                    final=bool(transcript.finished),
                    **extras(transcript),
                )
            )
        if content.model_turn is not None and content.model_turn.parts:
            turn = self._turns.head()
            self._turns.first_frame(turn, at=at)
            if not turn.interrupted:
                self._parts(turn.number, content.model_turn.parts)
        if content.output_transcription is not None and content.output_transcription.text:
            turn = self._turns.head()
            self._turns.first_frame(turn, at=at)
            if not turn.interrupted:
                transcript = content.output_transcription
                self._events.append(
                    ev.OutputTranscript(
                        turn=turn.number,
                        text=transcript.text,
                        final=bool(transcript.finished),
                        **extras(transcript),
                    )
                )
        if content.interrupted:
            self._turns.server_interrupted(at=at)
        if content.generation_complete:
            turn = self._turns.head()
            if not turn.interrupted:
                self._events.append(ev.GenerationComplete(turn=turn.number))
        if content.turn_complete:
            self._turns.complete(at=at, reason=(content.turn_complete_reason or "complete").lower())

    def _parts(self, number: int, parts: tuple[Part, ...]) -> None:
        for part in parts:
            if part.text:
                self._events.append(ev.TextDelta(turn=number, text=part.text, thought=bool(part.thought)))
            blob = part.inline_data
            if blob is not None and blob.mime_type.startswith("audio/") and blob.data:
                self._audio(number, blob)
            if part.executable_code is not None:
                code = part.executable_code
                block = f"\n```{code.language.lower()}\n{code.code}\n```\n"
                self._events.append(ev.TextDelta(turn=number, text=block, thought=True))

    def _audio(self, number: int, blob: Blob) -> None:
        """A chunk of the model's speech, or an error and no chunk when its rate cannot be played."""
        try:
            rate = audio_rate(blob.mime_type, 24000)
        except LimitError as error:
            self._events.append(ev.SessionError(message=f"dropped an audio chunk from the server: {error}"))
            return
        self._events.append(ev.AudioOut(turn=number, pcm=blob.data, rate=rate))


def _frame_bytes(message: ClientMessage) -> int:
    """The size of a message's frame on the wire (UTF-8 JSON), as a frame limit counts it."""
    return len(encode(message).encode("utf-8"))


def _said(role: str, text: str) -> Content:
    """One turn of `role` saying `text`."""
    return Content(role=role, parts=(Part(text=text),))


def _history_message(turns: Sequence[Content]) -> ClientContentMessage:
    return ClientContentMessage(client_content=ClientContent(turns=tuple(turns), turn_complete=False))


def _history_fits(turns: Sequence[Content]) -> bool:
    """True when these replayed turns fit in one frame."""
    return _frame_bytes(_history_message(turns)) <= MAX_FRAME_BYTES
