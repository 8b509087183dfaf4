"""The client side of one OpenAI Realtime connection as a sans-I/O codec (`livetui.live.codec.Codec`).

Feed it frames with :meth:`OpenAICodec.receive` and call its send methods; collect frames to put on the
wire with :meth:`OpenAICodec.data_to_send` and domain events with :meth:`OpenAICodec.events_received`.
Every frame in and out is also a `WireFrame`; a frame that cannot be read is one `SessionError`, never an
exception, and an event type it does not know is only shown.

**Turns** are the `TurnLedger`'s: a typed message, a push-to-talk release or an utterance the server
committed opens one; the reply (``response.created`` … ``response.done``) belongs to the oldest open turn.
A reply that ends by calling functions keeps its turn open: the answers go back as
``function_call_output`` items followed by one ``response.create`` once every call is answered and the
reply is over, and the reply to them is the same turn. The user's speech is an item; its transcript lands
under the turn the item was committed to, even when it completes after the reply has started.

**Interrupting** (the interrupt key, a message typed over a reply, push-to-talk over it) sends
``response.cancel`` and then ``conversation.item.truncate`` for the turn's audio items, cut where the user
stopped hearing them (`livetui.providers.openai.truncation`). Speech the server detects while the model
replies is the server's interruption: its server cancels the reply itself, and the rest is dropped.

**Pictures**: OpenAI has no video stream. The latest camera frame is kept and goes as an ``input_image``
with the next user turn (or, under server VAD, as its own item when the user starts speaking);
:meth:`OpenAICodec.snapshot` sends it at once.

**Function arguments** that are not a JSON object become one `SessionError` line, and the call is still
requested with the raw text as ``{"_raw": text}``, so the model gets an error answer it can act on.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import deque
from collections.abc import Sequence

from livetui import events as ev
from livetui.live.codec import Exchange
from livetui.live.config import SessionConfig
from livetui.live.ledger import Turn, TurnLedger
from livetui.live.tools import ToolAnswer
from livetui.providers.openai import server_events as se
from livetui.providers.openai.calls import PendingCalls, parse_arguments
from livetui.providers.openai.client_events import (
    AudioCommit,
    ClientEvent,
    ContentPart,
    FunctionCallOutputItem,
    InputImage,
    InputText,
    ItemCreate,
    ItemTruncate,
    MessageItem,
    ResponseCancel,
    ResponseCreate,
    SessionUpdate,
    audio_append,
    encode,
    image_url,
)
from livetui.providers.openai.session_update import AUDIO_RATE, TRANSCRIPTION_MODEL, replay, session_update
from livetui.providers.openai.summary import summarize, summarize_append
from livetui.providers.openai.truncation import AudioItems

KEEP_ITEMS = 256
"""User audio items whose turns are remembered (a transcript completes within seconds, not hundreds of
turns later)."""
QUIET_ERRORS = frozenset(("response_cancel_not_active",))
"""Error codes that are not worth a line: a cancel that crossed the reply's end on the wire."""


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


class OpenAICodec:
    """Sans-I/O client state for one OpenAI Realtime connection (see the module docstring)."""

    def __init__(
        self,
        config: SessionConfig,
        *,
        first_turn: int = 1,
        history: Sequence[Exchange] = (),
        transcription_model: str = TRANSCRIPTION_MODEL,
    ) -> None:
        self.config = config
        """What the user asked for; sent by :meth:`start` as ``session.update``."""
        self.history = tuple(history)
        """The conversation so far, replayed after the configuration."""
        self.transcription_model = transcription_model
        """The model that transcribes the user's speech."""
        self._frames: list[str] = []
        self._events: list[ev.AnyEvent] = []
        self.ledger = TurnLedger(self._events, first_turn=first_turn)
        """Turn numbers and latency marks."""
        self.audio = AudioItems()
        """The model's audio received, per turn and item (for truncation)."""
        self._ready = False
        self._session_id: str | None = None
        self._asked = 0  # responses asked for (or due from server VAD) and not yet created
        self._running = False  # between response.created and response.done
        self._cancelled = False  # response.cancel sent for the reply asked for or running
        self.calls = PendingCalls()
        """The function calls of the reply in progress."""
        self._user_items: dict[str, int] = {}
        self._uncommitted: deque[int] = deque()
        self._frame: bytes | None = None
        self._rate_warned = False

    # -- output -------------------------------------------------------------------------------------------

    def data_to_send(self) -> list[str]:
        """Frames to write to the socket, in order; the list is emptied."""
        frames, self._frames = self._frames, []
        return frames

    def events_received(self) -> list[ev.AnyEvent]:
        """Domain events produced since the last call, in order; the list is emptied."""
        events = self._events[:]
        self._events.clear()  # the ledger writes into the same list
        return events

    @property
    def ready(self) -> bool:
        """True once the server answered ``session.update`` with ``session.updated``."""
        return self._ready

    @property
    def replying(self) -> bool:
        """True while a turn is unfinished and not interrupted."""
        return self.ledger.replying

    @property
    def current_turn(self) -> int:
        """The number of the oldest unfinished turn, or of the last finished one."""
        return self.ledger.current_turn

    @property
    def next_turn(self) -> int:
        """The number the next new turn will get."""
        return self.ledger.next_turn

    def _send(self, event: ClientEvent) -> None:
        frame = encode(event)
        self._frames.append(frame)
        summary, text = summarize(json.loads(frame))
        self._events.append(ev.WireFrame(direction="out", summary=summary, text=text, size=len(frame)))

    def _error(self, message: str) -> None:
        self._events.append(ev.SessionError(message=_one_line(message)))

    # -- client → server ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Queue ``session.update``, then the conversation so far as items."""
        self._send(session_update(self.config, transcription_model=self.transcription_model))
        for item in replay(self.history):
            self._send(item)

    def send_text(self, text: str, *, at: float) -> int:
        """A typed user turn (with the latest camera frame, if a new one came) and ``response.create``; a
        reply in progress is interrupted first. Returns the turn's number."""
        if self.ledger.replying:
            self._interrupt(at, None)
        turn = self.ledger.user_text(text, at=at)
        parts: tuple[ContentPart, ...] = (InputText(text=text), *self._picture())
        self._send(ItemCreate(item=MessageItem(role="user", content=parts)))
        self._respond()
        return turn.number

    def _respond(self) -> None:
        self._send(ResponseCreate())
        self._asked += 1

    def interrupt(self, *, at: float, heard_ms: int | None = None, playing: int | None = None) -> int | None:
        """Interrupt the reply in progress (``response.cancel``) and cut its audio where the user stopped
        hearing it: `heard_ms` of turn `playing`'s audio were played (None: all that arrived; `playing`
        None: the turn interrupted). Speech of a finished reply still playing is cut the same way, and
        the interrupted turn, if another, at 0: none of it was heard. Returns the interrupted turn, or
        None if none was."""
        return self._interrupt(at, heard_ms, playing)

    def _interrupt(self, at: float, heard_ms: int | None, playing: int | None = None) -> int | None:
        number = self.ledger.interrupt(at=at)
        if playing is None:
            playing = self.audio.last_turn if number is None else number
        if heard_ms is not None and playing is not None and playing != number:
            self._truncate(playing, heard_ms, complete=True)
        if number is not None:
            self._cancel()
            self.calls.drop()
            heard = heard_ms if playing == number or heard_ms is None else 0
            self._truncate(number, heard, complete=False)
            self._settle(at)
        return number

    def _cancel(self) -> None:
        if (self._asked or self._running) and not self._cancelled:
            self._cancelled = True
            self._send(ResponseCancel())

    def _truncate(self, turn: int, heard_ms: int | None, *, complete: bool) -> None:
        for item_id, end in self.audio.cut(turn, heard_ms):
            if complete and end >= self.audio.received_ms(item_id):
                continue  # heard to its end: nothing to forget
            self._send(ItemTruncate(item_id=item_id, audio_end_ms=end))

    def _settle(self, at: float) -> None:
        """Close interrupted turns no reply is coming for (one waiting for function answers, say)."""
        while self.ledger.open and self.ledger.open[0].interrupted and not (self._asked or self._running):
            self.ledger.complete(at=at)

    def send_audio(self, pcm: bytes, *, rate: int) -> None:
        """Stream a block of microphone audio (``input_audio_buffer.append``); it must be PCM16 at 24 kHz
        (the microphone runs at `Capabilities.audio_in_rate`): other rates are dropped, with one line."""
        if rate != AUDIO_RATE:
            if not self._rate_warned:
                self._rate_warned = True
                self._error(f"microphone audio at {rate} Hz dropped: the Realtime API takes {AUDIO_RATE} Hz")
            return
        frame = audio_append(pcm)
        self._frames.append(frame)
        summary, text = summarize_append(len(pcm))
        self._events.append(ev.WireFrame.sent(summary, text, len(frame)))

    def send_video(self, jpeg: bytes, *, now: bool = False) -> None:
        """Keep a camera frame: the latest goes with the next user turn, or at once when `now` (the
        user's snapshot) or by :meth:`snapshot`."""
        self._frame = jpeg
        if now:
            self.snapshot()

    def _picture(self) -> tuple[InputImage, ...]:
        """The latest camera frame as a content part, once (none if no new frame came)."""
        jpeg, self._frame = self._frame, None
        return () if jpeg is None else (InputImage(image_url=image_url(jpeg)),)

    def snapshot(self) -> bool:
        """Send the latest camera frame now, as its own user item; False if there is none to send."""
        parts = self._picture()
        if parts:
            self._send(ItemCreate(item=MessageItem(role="user", content=parts)))
        return bool(parts)

    def activity_start(self, *, at: float) -> None:
        """Push-to-talk: the user starts talking; a reply in progress is interrupted."""
        if self.ledger.replying:
            self._interrupt(at, None)

    def activity_end(self, *, at: float) -> int:
        """Push-to-talk: the user stops talking: the latest camera frame, ``input_audio_buffer.commit``
        and ``response.create`` (mark t0). Returns the turn's number."""
        self.snapshot()
        self._send(AudioCommit())
        self._respond()
        number = self.ledger.end_of_speech(at=at)
        self._uncommitted.append(number)
        return number

    def audio_stream_end(self) -> None:
        """The microphone was turned off: nothing to send (the server's VAD ends a turn on silence, and
        push-to-talk ends it with :meth:`activity_end`)."""

    def update_instructions(self, text: str) -> None:
        """Give the session in progress new instructions (``session.update``)."""
        self._send(SessionUpdate(session={"type": "realtime", "instructions": text}))

    def answer_tools(self, answers: list[ToolAnswer]) -> None:
        """Send each answer as a ``function_call_output`` item; once every call of the reply is answered
        and the reply is over, one ``response.create`` asks the model to go on."""
        for answer in answers:
            output = json.dumps(answer.output, ensure_ascii=False)
            self._send(ItemCreate(item=FunctionCallOutputItem(call_id=answer.call_id, output=output)))
            self.calls.answer(answer.call_id)
        self._follow_up()

    def _follow_up(self) -> None:
        if self.calls.due and not (self._asked or self._running):
            self.calls.answered = False
            self._respond()

    def abandon(self, *, reason: str = "disconnected") -> list[int]:
        """The connection is gone: close every unfinished turn locally; returns their numbers."""
        self._asked, self._running = 0, False
        self.calls.drop()
        return self.ledger.abandon(reason=reason)

    # -- server → client ----------------------------------------------------------------------------------

    def receive(self, frame: str | bytes, *, at: float) -> None:
        """Take one frame from the server; one that cannot be read becomes a `SessionError` event."""
        size = len(frame)
        try:
            data = se.load(frame)
        except se.FrameError as error:
            raw = frame if isinstance(frame, str) else bytes(frame).decode("utf-8", "replace")
            raw = raw.encode("utf-8", "replace").decode("utf-8")  # no lone surrogate reaches the journal
            self._events.append(ev.WireFrame(direction="in", summary="malformed", text=raw[:2000], size=size))
            self._error(f"malformed frame from the server: {error}")
            return
        summary, text = summarize(data)
        self._events.append(ev.WireFrame(direction="in", summary=summary, text=text, size=size))
        try:
            event = se.parse(data)
        except se.FrameError as error:
            self._error(f"ignored a frame from the server: {error}")
            return
        if event is not None:  # None: an event livetui does not act on, shown and nothing more
            self._dispatch(event.type, event, at)

    def _dispatch(self, kind: str, event: se.ServerEvent, at: float) -> None:
        if isinstance(event, se.SessionEvent):
            self._session(kind, event)
        elif isinstance(event, se.ErrorEvent):
            self._server_error(event.error)
        elif isinstance(event, se.RateLimitsUpdated):
            limits = tuple(
                ev.RateLimit(name=r.name, limit=r.limit, remaining=r.remaining, reset_seconds=r.reset_seconds)
                for r in event.rate_limits
            )
            self._events.append(ev.RateLimits(limits=limits))
        elif isinstance(event, se.ResponseEvent):
            if kind == "response.created":
                self._response_created(at)
            else:
                self._response_done(event.response, at)
        elif isinstance(event, se.OutputItemEvent):
            self._output_item(kind, event.item, at)
        elif isinstance(event, se.ResponseDelta):
            self._delta(kind, event, at)
        elif isinstance(event, se.ArgumentsDone):
            self._call(event.item_id, event.call_id, event.name, event.arguments, at)
        elif isinstance(event, se.TranscriptDelta):
            self._events.append(ev.InputTranscript(turn=self._user_turn(event.item_id), text=event.delta))
        elif isinstance(event, se.TranscriptCompleted):
            turn = self._user_turn(event.item_id)
            self._events.append(ev.InputTranscript(turn=turn, text=event.transcript, final=True))
        elif isinstance(event, se.ItemEvent):
            self._input_buffer(kind, event, at)

    def _session(self, kind: str, event: se.SessionEvent) -> None:
        session_id = event.session.get("id")
        if isinstance(session_id, str):
            self._session_id = session_id
        if kind == "session.updated" and not self._ready:
            self._ready = True
            self._events.append(ev.SetupComplete(session_id=self._session_id))

    def _server_error(self, error: se.ErrorDetail) -> None:
        code = error.code or error.type or "error"
        if code in QUIET_ERRORS:
            return
        if code == "input_audio_buffer_commit_empty" and self._uncommitted:
            self._uncommitted.pop()  # push-to-talk with nothing said: no item will be committed for it
        self._error(f"{code}: {error.message or 'no message'}")

    def _input_buffer(self, kind: str, event: se.ItemEvent, at: float) -> None:
        if kind == "input_audio_buffer.speech_started":
            self._events.append(ev.VoiceActivity(speaking=True))
            self.snapshot()
            if self.ledger.replying:
                self.ledger.server_interrupted(at=at)
                self.calls.drop()
                self._settle(at)
        elif kind == "input_audio_buffer.speech_stopped":
            self._events.append(ev.VoiceActivity(speaking=False))
        elif kind == "input_audio_buffer.committed":
            if self._uncommitted:
                number = self._uncommitted.popleft()
            else:
                number = self.ledger.end_of_speech(at=at)
                if not self.config.manual_activity:
                    self._asked += 1  # server VAD creates the reply
            self._remember(event.item_id, number)

    def _user_turn(self, item_id: str | None) -> int:
        """The turn the user's audio item `item_id` was committed to."""
        number = self._user_items.get(item_id or "")
        if number is None:
            number = self.ledger.answering().number
            self._remember(item_id, number)
        return number

    def _remember(self, item_id: str | None, number: int) -> None:
        if item_id:
            self._user_items[item_id] = number
            if len(self._user_items) > KEEP_ITEMS:
                del self._user_items[next(iter(self._user_items))]

    def _response_created(self, at: float) -> None:
        if self._running and self.ledger.open and self.ledger.open[0].interrupted:
            # One response runs at a time: a new one means the interrupted one is over, done or not.
            self.ledger.complete(at=at)
        self._asked = max(0, self._asked - 1)
        self._running, self._cancelled = True, False
        turn = self.ledger.head()
        self.ledger.first_frame(turn, at=at)
        if turn.interrupted:
            self._cancel()  # interrupted before its reply began

    def _live_turn(self, at: float) -> Turn | None:
        """The turn server output belongs to (t1 on its first frame), or None if it was interrupted."""
        turn = self.ledger.head()
        self.ledger.first_frame(turn, at=at)
        return None if turn.interrupted else turn

    def _output_item(self, kind: str, item: se.OutputItem, at: float) -> None:
        if item.type != "function_call":
            return
        if kind == "response.output_item.added":
            self.calls.added(item.id, item.call_id, item.name)
        else:
            self._call(item.id, item.call_id, item.name, item.arguments or "", at)

    def _delta(self, kind: str, event: se.ResponseDelta, at: float) -> None:
        turn = self._live_turn(at)
        if turn is None or not event.delta:
            return
        if kind in se.TEXT_DELTAS:
            self._events.append(ev.TextDelta(turn=turn.number, text=event.delta))
        elif kind in se.TRANSCRIPT_DELTAS:
            self._events.append(ev.OutputTranscript(turn=turn.number, text=event.delta))
        elif kind in se.AUDIO_DELTAS:
            try:
                pcm = base64.b64decode(event.delta, validate=True)
            except (binascii.Error, ValueError):
                self._error("dropped an audio chunk from the server: it is not base64")
                return
            pcm = pcm[: len(pcm) - len(pcm) % 2]
            self.audio.received(turn.number, event.item_id or "", len(pcm))
            self._events.append(ev.AudioOut(turn=turn.number, pcm=pcm, rate=AUDIO_RATE))

    def _call(
        self, item_id: str | None, call_id: str | None, name: str | None, arguments: str, at: float
    ) -> None:
        """A function call of the reply: requested once, by whichever event completes it first."""
        call_id, name = self.calls.identify(item_id, call_id, name)
        turn = self._live_turn(at)
        if turn is None or not call_id or not self.calls.request(call_id):
            return
        args, problem = parse_arguments(arguments)
        if problem is not None:
            self._error(f"the model called {name} with arguments that are not a JSON object: {problem}")
        call = ev.ToolCall(turn=turn.number, call_id=call_id, name=name, args=args)
        self._events.append(ev.ToolCallRequested(turn=turn.number, calls=(call,)))

    def _response_done(self, response: se.Response, at: float) -> None:
        self._running = False
        if not self.ledger.open:
            self._usage(response, self.ledger.last_finished)
            return
        head = self.ledger.head()
        for item in response.output:
            if item.type == "function_call":
                self._call(item.id, item.call_id, item.name, item.arguments or "", at)
        self._usage(response, head.number)
        details = response.status_details or se.StatusDetails()
        if response.status == "failed":
            problem = details.error or se.ErrorDetail()
            code = problem.code or problem.type or details.reason or "failed"
            self._error(f"the reply failed: {code}: {problem.message or 'no message'}")
            self.ledger.complete(at=at, reason="failed")
        elif response.status == "cancelled":
            if head.ack_pending or not head.interrupted:
                self.ledger.server_interrupted(at=at)  # the server says it stopped the reply
            self.ledger.complete(at=at, reason="interrupted")
        elif not head.interrupted and self.calls.waiting:
            self._follow_up()  # the turn goes on once the functions are answered
        else:
            if not head.interrupted:
                self._events.append(ev.GenerationComplete(turn=head.number))
            reason = (details.reason or "incomplete") if response.status == "incomplete" else "complete"
            self.ledger.complete(at=at, reason=reason)
        self._settle(at)

    def _usage(self, response: se.Response, turn: int) -> None:
        usage = response.usage
        if usage is not None:
            self._events.append(
                ev.Usage(
                    turn=turn,
                    prompt_tokens=usage.input_tokens,
                    response_tokens=usage.output_tokens,
                    total_tokens=usage.total_tokens,
                    prompt_details=_by_modality(usage.input_token_details),
                    response_details=_by_modality(usage.output_token_details),
                )
            )


def _by_modality(details: se.TokenDetails | None) -> dict[str, int]:
    """Tokens by modality, where the server gave them."""
    return details.by_modality() if details is not None else {}
