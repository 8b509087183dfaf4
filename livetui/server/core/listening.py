"""One connection's hearing: streamed audio → speech recognition on a worker thread → turns and transcripts.

The connection hands it audio (:meth:`Listener.audio`) and the client's activity signals
(:meth:`Listener.signal`), which never block the reader loop: they are queued in order and a task feeds
them to a `Recognizer` on the listener's own worker thread (pocketsphinx would otherwise hold the event
loop). What is heard is acted on back on the event loop, through the conversation's `Sink`:

- speech starts (`Sink.speech_started`) while a reply is in progress: a barge-in, the reply is
  interrupted;
- words are recognised: `Sink.heard` deltas while the user speaks, then the whole utterance, finished;
- speech ends (the endpointer's decision, or the client's end of activity or of the stream): the
  utterance becomes the user's turn, and the brain answers it as it answers typed text (unless the
  session answers only when asked: `SessionSettings.create_response`).

The answer starts early: when the speech pauses (`SpeechPaused`, a short silence) the reply to what was
said so far is started, held back (`Conversation.respond_early`); when the utterance ends as it was, the
reply is released at once (`Conversation.commit_early`), its first words already spoken; when the speech
resumes, the reply is dropped without a trace and the utterance goes on. What the client sees at the end
of the utterance (the end of speech, the transcript, the reply) is sent then, in that order, either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from livetui.server.core.conversation import Conversation
from livetui.server.core.senses.asr import (
    RATE,
    Heard,
    Partial,
    Recognizer,
    SpeechEnded,
    SpeechModel,
    SpeechPaused,
    SpeechResumed,
    SpeechStarted,
)

log = logging.getLogger("livetui.server")

BATCH_BYTES = 32000
"""At most this much queued audio (one second at 16 kHz) is recognised in one trip to the worker thread."""
MAX_QUEUED_BYTES = 4_000_000
"""Audio waiting for the recogniser is bounded (about 40 s at 48 kHz): a client sending audio faster than
it can be recognised has the excess dropped, with one warning, instead of growing the queue without end."""


@dataclass(frozen=True)
class _Audio:
    pcm: bytes
    rate: int


Signal = Literal["start", "end", "stream_end"]
"""The client's activity signals: an utterance starts, it ends, the audio stream ends."""


@dataclass(frozen=True)
class _Signal:
    name: Signal


class Listener:
    """Recognises one connection's speech and turns it into user turns (see the module docstring)."""

    def __init__(self, model: SpeechModel, conversation: Conversation) -> None:
        self.model = model
        """The shared recogniser model."""
        self.conversation = conversation
        """The conversation spoken turns are added to (its sink is told what is heard)."""
        self.utterances = 0
        """Utterances recognised so far (empty ones included)."""
        self._queue: asyncio.Queue[_Audio | _Signal] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._recognizer: Recognizer | None = None
        self._warned: set[str] = set()
        self._queued_bytes = 0
        self._seconds = 0.0

    @property
    def queued_bytes(self) -> int:
        """Audio waiting for the recogniser, in bytes (at most `MAX_QUEUED_BYTES`)."""
        return self._queued_bytes

    @property
    def manual(self) -> bool:
        """True when the client brackets utterances itself (read when recognition starts)."""
        return self.conversation.settings.manual_activity

    def warn_once(self, key: str, message: str) -> None:
        """Log `message` as a warning the first time `key` is warned about on this connection."""
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)

    def audio(self, pcm: bytes, rate: int = RATE) -> None:
        """Queue PCM16 mono audio at `rate` Hz (resampled for the recogniser); beyond the bound it is
        dropped, with one warning."""
        if not pcm:
            return
        if self._queued_bytes + len(pcm) > MAX_QUEUED_BYTES:
            self.warn_once("backlog", "dropped audio: it arrives faster than it can be recognised")
            return
        self._queued_bytes += len(pcm)
        self._put(_Audio(pcm, rate))

    def signal(self, name: Signal) -> None:
        """Queue one of the client's activity signals, in order with the audio."""
        self._put(_Signal(name))

    def _put(self, item: _Audio | _Signal) -> None:
        self._queue.put_nowait(item)
        if self._task is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr")
            self._task = asyncio.create_task(self._run(), name="listener")

    async def aclose(self) -> None:
        """Stop listening and release the recogniser (the connection is ending)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        executor, self._executor = self._executor, None
        if executor is not None:
            recognizer, self._recognizer = self._recognizer, None
            if recognizer is not None:
                await asyncio.get_running_loop().run_in_executor(executor, recognizer.close)
            executor.shutdown(wait=False)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            item = await self._queue.get()
            batch: list[_Audio | _Signal] = [item]
            size = len(item.pcm) if isinstance(item, _Audio) else BATCH_BYTES
            while size < BATCH_BYTES and isinstance(item, _Audio) and not self._queue.empty():
                item = self._queue.get_nowait()
                batch.append(item)
                size += len(item.pcm) if isinstance(item, _Audio) else BATCH_BYTES
            self._queued_bytes -= sum(len(i.pcm) for i in batch if isinstance(i, _Audio))
            try:
                heard = await loop.run_in_executor(self._executor, self._recognise, batch)
            except Exception as error:  # audio the recogniser chokes on must not stop the hearing
                log.warning(
                    "ignored audio the recogniser could not take: %s: %s", type(error).__name__, error
                )
                continue
            for event in heard:
                await self._act(event)

    def _recognise(self, batch: list[_Audio | _Signal]) -> list[Heard]:
        """Runs on the worker thread."""
        if self._recognizer is None:
            self._recognizer = Recognizer(self.model, manual=self.manual)
        recognizer = self._recognizer
        heard: list[Heard] = []
        for item in batch:
            if isinstance(item, _Audio):
                heard += recognizer.audio(item.pcm, item.rate)
                self._seconds += len(item.pcm) / 2 / item.rate
            elif item.name == "start":
                # The connection stopped the reply when activityStart arrived. Acting on this later
                # SpeechStarted too could stop the reply to a turn the client sent meanwhile.
                heard += [h for h in recognizer.start_activity() if not isinstance(h, SpeechStarted)]
            elif item.name == "end":
                heard += recognizer.end_activity()
            else:
                heard += recognizer.end_stream()
        return heard

    async def _act(self, heard: Heard) -> None:
        conversation = self.conversation
        sink = conversation.sink
        match heard:
            case SpeechStarted(at=at):  # heard in the audio (activityStart is acted on when it arrives)
                await sink.speech_started(at)
                await conversation.interrupt()
            case Partial(text=text):
                await sink.heard(text, finished=False)
            case SpeechPaused(text=text):
                if text and conversation.settings.create_response:
                    conversation.respond_early(text)
            case SpeechResumed():
                await conversation.drop_early()
            case SpeechEnded(text=text):
                self.utterances += 1
                await sink.speech_stopped(self._seconds)
                if not text:
                    await conversation.drop_early()
                    return
                await sink.heard(text, finished=True)
                if conversation.settings.create_response and conversation.commit_early(text):
                    return
                await conversation.interrupt()
                conversation.add_user_text(text)
                if conversation.settings.create_response:
                    conversation.respond()
