"""One connection's conversation: its history, its user turns, and the reply being streamed.

It is driven by the connection's reader loop and writes to a `Sink`, which the dialect encodes, so it holds
no socket and speaks no dialect. A reply runs as its own task, so the connection keeps reading while it
streams; an interrupting message cancels that task at once and the sink is told (`Sink.interrupted`).

A reply may ask the client to call functions (the brain yields `CallTools`): they go out together with
fresh ids (`Sink.tool_calls`), and the reply waits, still generating, until answers have come for every
id. An interruption meanwhile also cancels the unanswered ids (`Sink.tools_cancelled`).

A spoken utterance can be answered early (`respond_early`), before it is sure to be over: the reply runs
with its output held back (`livetui.server.core.held`) until `commit_early` releases it, once the
utterance has ended; `drop_early` (or anything that would interrupt it) cancels it silently instead, as
if it had never started.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from livetui.live.tools import ToolAnswer
from livetui.server.core.brains.base import Brain, CallTools, Dialogue
from livetui.server.core.faults import Fault
from livetui.server.core.held import HeldSink, PendingDialogue
from livetui.server.core.history import History
from livetui.server.core.reply import ReplyWriter
from livetui.server.core.senses.scene import Scene
from livetui.server.core.senses.tts import Synthesizer, shared_synthesizer
from livetui.server.core.senses.vision import Vision, VisionError, shared_vision
from livetui.server.core.sink import Sink
from livetui.server.core.speaking import SpokenReply
from livetui.server.core.turns import OutgoingCall, SessionSettings, Turn, Usage

log = logging.getLogger("livetui.server")

OnFailure = Callable[[BaseException], Awaitable[None]]
"""Called with the exception when the brain fails; it closes the connection (1011)."""

OnFault = Callable[[Fault], Awaitable[None]]
"""Carries out a fault a scripted reply asks for (`livetui.server.core.faults.FaultInjector`)."""


class BrainFailure(Exception):
    """The brain raised while producing a reply; the original exception is the cause."""


def count_words(text: str) -> int:
    """A rough token count: whitespace-separated words."""
    return len(text.split())


class PendingCalls:
    """Function calls sent together and not all answered yet."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = tuple(ids)
        """The calls' ids, in the order they were sent."""
        self.answers: dict[str, ToolAnswer] = {}
        """The responses received so far, by id."""
        self.answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Done once every id has a response."""

    @property
    def unanswered(self) -> tuple[str, ...]:
        """The ids still without a response."""
        return tuple(call_id for call_id in self.ids if call_id not in self.answers)

    def take(self, answer: ToolAnswer) -> bool:
        """Record an answer; False if its id is not one of these calls (or was answered already)."""
        if answer.call_id not in self.ids or answer.call_id in self.answers:
            return False
        self.answers[answer.call_id] = answer
        if not self.unanswered and not self.answered.done():
            self.answered.set_result(None)
        return True


class Conversation:
    """The state of one live session: what was said, and what is being said."""

    def __init__(
        self,
        settings: SessionSettings,
        brain: Brain,
        sink: Sink,
        on_failure: OnFailure,
        on_fault: OnFault | None = None,
    ) -> None:
        self.settings = settings
        """What the session asked for (a dialect that lets the client change it replaces it)."""
        self.brain = brain
        """Writes the model's replies."""
        self._history = History()
        self._answered = 0  # the history's `added` count when the latest reply began
        self.sink = sink
        """Where the conversation's output goes."""
        self._on_failure = on_failure
        self._on_fault = on_fault
        self._reply: asyncio.Task[None] | None = None
        self._early: tuple[str, HeldSink, PendingDialogue] | None = None  # a reply held, what it answers
        self._generating = False
        self._pending: PendingCalls | None = None
        self._tool_responses: tuple[ToolAnswer, ...] = ()
        self.replies = 0
        """Replies started so far (for the connection's log line)."""
        self.scene: Scene | None = None
        """What the latest analysed camera frame showed; None until a frame arrives."""
        self.vision: Vision = shared_vision()
        """Analyses camera frames."""
        self.voice: Synthesizer | None = shared_synthesizer()
        """Speaks the replies of an AUDIO session (None: transcripts only)."""
        self._frame: tuple[int, bytes] | None = None
        self._received = 0
        self._analysed = 0
        self._progress = asyncio.Condition()
        self._looking: asyncio.Task[None] | None = None

    @property
    def history(self) -> History:
        """The turns so far, oldest first (the oldest are forgotten past its bounds)."""
        return self._history

    @property
    def system_text(self) -> str:
        """The system instruction's text ("" when there is none)."""
        return self.settings.system_text

    @property
    def user_turns(self) -> int:
        """How many user turns the conversation has had (forgotten ones included)."""
        return self._history.user_turns

    @property
    def tool_responses(self) -> Sequence[ToolAnswer]:
        """The answers to the reply's latest function calls, in the order of the calls."""
        return self._tool_responses

    @property
    def pending_calls(self) -> tuple[str, ...]:
        """The ids of function calls sent and not yet answered."""
        return self._pending.unanswered if self._pending is not None else ()

    def answer_calls(self, answers: Sequence[ToolAnswer]) -> int:
        """Take the client's function answers; returns how many answered a pending call (others, late
        answers to cancelled calls say, are ignored)."""
        pending = self._pending
        if pending is None:
            return 0
        return sum(pending.take(answer) for answer in answers)

    @property
    def generating(self) -> bool:
        """True while the brain is producing a reply (an interrupting message would stop it)."""
        return self._generating

    def add(self, turns: Sequence[Turn]) -> None:
        """Append turns to the history."""
        self._history.extend(turns)

    def resume(self, history: History) -> None:
        """Continue a conversation from its history (a copy of its own: `resumed_history` makes one)."""
        self._history = history
        self._answered = history.added

    def add_user_text(self, text: str, item_id: str = "") -> None:
        """Append one user turn holding `text` (named `item_id` where the dialect names turns)."""
        self._history.extend((Turn("user", text, item_id=item_id),))

    def revise(self, item_id: str, text: str) -> bool:
        """Make the remembered turn `item_id` say only `text` (what the user heard of it); False when
        no remembered turn has that id."""
        return self._history.revise(item_id, text)

    def last_user_text(self) -> str:
        """The words of the latest user turn ("" if the user has said nothing).

        A message too long for one frame arrives as several user contents before its turn completes:
        the user contents added since the last reply began are one turn, their texts joined.
        """
        pending = self._history.since(self._answered)
        if pending and all(turn.role != "model" for turn in pending):
            return "".join(turn.text for turn in pending)
        for turn in reversed(self._history):
            if turn.role != "model":
                return turn.text
        return ""

    def look(self, image: bytes) -> None:
        """Analyse a camera frame off the event loop; the latest frame wins if frames come faster."""
        self._received += 1
        self._frame = (self._received, image)
        if self._looking is None or self._looking.done():
            self._looking = asyncio.create_task(self._analyse(), name="vision")

    async def _analyse(self) -> None:
        while (frame := self._frame) is not None:
            self._frame = None
            number, image = frame
            try:
                self.scene = await asyncio.to_thread(self.vision.analyse, image)
            except Exception as error:  # a frame vision cannot read must not stop the next replies
                log.warning(
                    "ignored a camera frame: %s", error if isinstance(error, VisionError) else repr(error)
                )
            async with self._progress:
                self._analysed = number
                self._progress.notify_all()

    async def seen(self) -> None:
        """Wait until the latest frame received so far is analysed (frames arriving meanwhile don't count),
        so a reply describes what the client had sent when it asked."""
        wanted = self._received
        async with self._progress:
            await self._progress.wait_for(lambda: self._analysed >= wanted)

    async def interrupt(self) -> bool:
        """Stop the reply being generated, telling the client; True if there was one to stop.

        A reply that has finished generating and is only sending its last frames is left to finish. A
        reply held back (`respond_early`) is dropped without a word: the client never knew of it.
        """
        if await self.drop_early():
            return False
        task = self._reply
        if task is None or task.done():
            return False
        if not self._generating:
            await asyncio.wait([task])
            return False
        pending = self._pending
        task.cancel()
        await asyncio.wait([task])
        if not task.cancelled():
            return False
        if pending is not None and pending.unanswered:
            await self.sink.tools_cancelled(pending.unanswered)
        await self.sink.interrupted()
        return True

    def respond(self) -> None:
        """Start answering the latest user turn. Call `interrupt` first: one reply at a time."""
        if self._replying():
            raise RuntimeError("a reply is already running")
        self.replies += 1
        text = self.last_user_text()
        self._answered = self._history.added
        self._start(text, self, HeldSink(self.sink))

    def respond_early(self, text: str) -> bool:
        """Start answering `text`, an utterance that may not be over, holding the reply back: nothing of it
        reaches the client, and its user turn is not taken, until `commit_early`. False (nothing started)
        while another reply is running."""
        if self._replying():
            return False
        held = HeldSink(self.sink, held=True)
        dialogue = PendingDialogue(self, Turn("user", text))
        self._early = (text, held, dialogue)
        self._start(text, dialogue, held)
        return True

    def commit_early(self, text: str) -> bool:
        """The utterance ended as `text`: take its user turn and release the reply held for it, whose
        output goes out at once. False when no reply is held for `text` (answer it with `respond`)."""
        early = self._early
        if early is None or early[0] != text or not self._replying():
            return False
        self._early = None
        _, held, dialogue = early
        self.add_user_text(text)
        dialogue.commit()
        self.replies += 1
        self._answered = self._history.added
        held.release()
        return True

    async def drop_early(self) -> bool:
        """Cancel the reply held back, if there is one, without telling the client (it sent nothing);
        True if there was one."""
        early, self._early = self._early, None
        task = self._reply
        if early is None or task is None or task.done():
            return False
        self._generating = False  # an `interrupt` meanwhile waits for the task and tells the client nothing
        task.cancel()
        await asyncio.wait([task])
        return True

    def _replying(self) -> bool:
        return self._reply is not None and not self._reply.done()

    def _start(self, text: str, dialogue: Dialogue, sink: HeldSink) -> None:
        self._generating = True
        self._tool_responses = ()
        self._reply = asyncio.create_task(self._run_reply(text, dialogue, sink), name="reply")

    async def aclose(self) -> None:
        """Stop any reply at once, without telling the client (the connection is ending)."""
        if self._looking is not None and not self._looking.done():
            self._frame = None
            await asyncio.wait([self._looking])
        task = self._reply
        if task is not None and not task.done():
            if self._generating:
                task.cancel()
            await asyncio.wait([task])

    async def _run_reply(self, text: str, dialogue: Dialogue, sink: HeldSink) -> None:
        """Stream one reply to `dialogue` through `sink`. However it fails short of the brain failing
        (which closes the connection with 1011) or an interruption, it ends complete, so the client is
        never left waiting. A reply held back and dropped leaves no trace in the history."""
        speech = SpokenReply(self.voice, sink) if self.voice is not None else None
        writer = ReplyWriter(self.settings.modality, sink, speech)
        prompt_words = count_words(dialogue.system_text) + sum(count_words(t.text) for t in dialogue.history)
        said: list[str] = []
        try:
            await sink.started()
            await self.seen()
            await self._stream(text, dialogue, writer, sink, said)
            await writer.finish()
        except BrainFailure as failure:
            await sink.opened()  # a reply dropped before its turn ended never failed
            self._generating = False
            await self._on_failure(failure.__cause__ or failure)
            return
        except Exception as error:  # a reply that cannot be sent must still end its turn
            log.error(
                "reply %d failed: %s: %s", self.replies, type(error).__name__, " ".join(str(error).split())
            )
        finally:
            if said and sink.released:
                self.add((Turn("model", "".join(said), item_id=sink.item_id),))
        self._generating = False
        await writer.complete(Usage(prompt_words, count_words("".join(said))))

    async def _stream(
        self, text: str, dialogue: Dialogue, writer: ReplyWriter, sink: HeldSink, said: list[str]
    ) -> None:
        chunks = self.brain.reply(dialogue, text)
        try:
            while True:
                try:
                    delta = await anext(chunks)
                except StopAsyncIteration:
                    return
                except Exception as error:
                    raise BrainFailure(str(error)) from error
                if isinstance(delta, CallTools):
                    await self._call_tools(delta, sink)
                elif isinstance(delta, Fault):
                    await sink.opened()
                    await self._inject(delta)
                elif delta:
                    said.append(delta)
                    await writer.text(delta)
        finally:
            aclose = getattr(chunks, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _inject(self, fault: Fault) -> None:
        """Misbehave as the brain asks; a fault that ends the connection ends the reply's generating."""
        if self._on_fault is None:
            return
        if fault.ends_connection:
            self._generating = False  # the closing connection then waits for this reply, not cancels it
        await self._on_fault(fault)

    async def _call_tools(self, request: CallTools, sink: HeldSink) -> None:
        """Send the calls together and wait until every one is answered."""
        if not request.calls:
            return
        await sink.opened()  # the calls are pending only once they can be sent
        calls = tuple(OutgoingCall(sink.new_call_id(), c.name, c.args) for c in request.calls)
        pending = self._pending = PendingCalls([call.call_id for call in calls])
        try:
            await sink.tool_calls(calls)
            await pending.answered
        finally:
            self._pending = None
        self._tool_responses = tuple(pending.answers[call_id] for call_id in pending.ids)
