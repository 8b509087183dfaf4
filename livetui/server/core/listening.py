"""One connection's hearing: streamed audio → speech recognition on a worker thread → turns and transcripts.

The connection hands every ``realtimeInput`` to :meth:`Listener.take`, which never blocks the reader loop:
audio blocks and activity signals are queued in order and a task feeds them to a `Recognizer` on the
listener's own worker thread (pocketsphinx would otherwise hold the event loop). What is heard is acted on
back on the event loop:

- speech starts while a reply is in progress: a barge-in, the reply is interrupted (``interrupted`` then
  ``turnComplete``);
- words are recognised: ``inputTranscription`` deltas while the user speaks, then the whole utterance
  with ``finished: true``;
- speech ends (the Endpointer's decision, ``activityEnd`` in manual mode, or ``audioStreamEnd``): the
  utterance becomes the user's turn, and the brain answers it as it answers typed text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from livetui.protocol.client import RealtimeInput
from livetui.protocol.content import Blob
from livetui.protocol.limits import LimitError, audio_rate
from livetui.protocol.server import ServerContent, ServerMessage, Transcription
from livetui.server.core.conversation import Conversation
from livetui.server.core.reply import Send
from livetui.server.core.senses.asr import (
    RATE,
    Heard,
    Partial,
    Recognizer,
    SpeechEnded,
    SpeechModel,
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


@dataclass(frozen=True)
class _Signal:
    name: Literal["start", "end", "stream_end"]


class Listener:
    """Recognises one connection's speech and turns it into user turns (see the module docstring)."""

    def __init__(self, model: SpeechModel, conversation: Conversation, send: Send) -> None:
        self.model = model
        """The shared recogniser model."""
        self.conversation = conversation
        """The conversation spoken turns are added to."""
        self.manual = conversation.setup.manual_activity
        """True when the client brackets utterances with activityStart/activityEnd."""
        self.utterances = 0
        """Utterances recognised so far (empty ones included)."""
        self._send = send
        self._queue: asyncio.Queue[_Audio | _Signal] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._recognizer: Recognizer | None = None
        self._warned: set[str] = set()
        self._queued_bytes = 0

    @property
    def queued_bytes(self) -> int:
        """Audio waiting for the recogniser, in bytes (at most `MAX_QUEUED_BYTES`)."""
        return self._queued_bytes

    def take(self, realtime: RealtimeInput) -> None:
        """Queue what a ``realtimeInput`` message carries for the ears: audio, activity, end of stream."""
        blobs = [realtime.audio, *(realtime.media_chunks or ())]
        for blob in blobs:
            if blob is not None and blob.data and blob.mime_type.startswith("audio/"):
                self._audio(blob)
        if realtime.activity_start is not None:
            self._put(_Signal("start"))
        if realtime.activity_end is not None:
            self._put(_Signal("end"))
        if realtime.audio_stream_end:
            self._put(_Signal("stream_end"))

    def _audio(self, blob: Blob) -> None:
        mime = blob.mime_type.split(";")[0].strip().lower()
        if mime not in ("audio/pcm", "audio/l16", "audio/x-raw"):
            if mime not in self._warned:
                self._warned.add(mime)
                log.warning("ignored %s audio: the local server understands only audio/pcm", mime)
            return
        try:
            rate = audio_rate(blob.mime_type, RATE)
        except LimitError:  # the connection refuses such frames (1007) before they get here
            return
        if self._queued_bytes + len(blob.data) > MAX_QUEUED_BYTES:
            if "backlog" not in self._warned:
                self._warned.add("backlog")
                log.warning("dropped audio: it arrives faster than it can be recognised")
            return
        self._queued_bytes += len(blob.data)
        self._put(_Audio(blob.data, rate))

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
        match heard:
            case SpeechStarted():  # heard in the audio (activityStart is acted on when it arrives)
                await conversation.interrupt()
            case Partial(text=text):
                await self._transcript(Transcription(text=text))
            case SpeechEnded(text=text):
                self.utterances += 1
                if not text:
                    return
                await self._transcript(Transcription(text=text, finished=True))
                await conversation.interrupt()
                conversation.add_user_text(text)
                conversation.respond()

    async def _transcript(self, transcription: Transcription) -> None:
        await self._send(ServerMessage(server_content=ServerContent(input_transcription=transcription)))
