"""A spoken turn is answered early: the reply starts at a short silence, held back until the turn ends.

The speech is real (espeak-ng), recognised with a grammar that holds both "tell me a joke" and "tell me
a joke about cats", so a pause after "joke" is where a turn could have ended: the reply to the shorter
sentence is started there, and must be dropped without a trace when the speech goes on. The brain notes
each reply it is asked for, and whether its turn was still pending (the reply started early), which is
how these tests know the early start happened; what the client sees is read off the wire, in each
dialect, and after the spoken turn a typed one shows which turn number comes next.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.base import Chunk, Dialogue
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.server.core.held import PendingDialogue
from livetui.server.core.senses import asr
from livetui.server.core.senses.asr import (
    Heard,
    Recognizer,
    SpeechEnded,
    SpeechModel,
    SpeechPaused,
    SpeechResumed,
)
from livetui.server.core.senses.endpointing import PAUSE_SECONDS
from livetui.server.script import load_script
from tests.conftest import DIALECTS, Dialect, ScriptWriter, ServerStarter
from tests.server.realtime import realtime_socket, strict
from tests.server.wire import Frame, model_text, realtime_text, send, session
from tests.voice.conftest import Speech, pcm_of
from tests.voice.pauses import halves, with_pause
from tests.voice.wire_audio import HEARS_ONCE, audio_bytes, content, finished_input, send_audio, transcript

TIMEOUT = 60.0
"""Longest wait for any one frame: recognition shares a loaded machine's cores."""
GRAMMAR = """#JSGF V1.0;
grammar early;
public <s> = tell me a joke | tell me a joke about cats | what is the weather like today;
"""
WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
SCRIPT = {"rules": [{"match": "weather", "reply": WEATHER}], "default": {"reply": "Turn {turn}: {text}"}}


class NotingBrain(ScriptedBrain):
    """The scripted brain, noting what each reply answers and whether its turn was pending then."""

    def __init__(self, path: Path) -> None:
        super().__init__(load_script(path))
        self.asked: list[tuple[str, bool]] = []
        """(the words answered, True if the reply started before its turn was taken), in order."""
        self.written = asyncio.Event()
        """Set once a reply has its first words written (whatever happens to them next)."""

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Note the request, then answer as the script says."""
        self.asked.append((text, isinstance(dialogue, PendingDialogue)))
        async for chunk in super().reply(dialogue, text):
            self.written.set()
            yield chunk


@dataclass(frozen=True)
class Seen:
    """What a client saw of one spoken turn, and of the typed turn "ping" sent after it."""

    utterances: list[str]
    """The finished transcripts of what the user said."""
    reply: str
    """The spoken turn's reply: its text, or the transcript of its speech."""
    audio: bytes
    """The spoken turn's reply audio."""
    replies: int
    """How many replies the client saw before the typed turn."""
    cancelled: bool
    """True if a reply was interrupted or cancelled."""
    then: str
    """The reply to the typed turn."""


@pytest.fixture
def grammar(tmp_path: Path) -> Path:
    """The grammar of the sentences spoken here."""
    path = tmp_path / "early.gram"
    path.write_text(GRAMMAR, encoding="utf-8")
    return path


NotingStarter = Callable[..., Awaitable[tuple[LiveServer, NotingBrain]]]
"""``await start(early_reply=PAUSE_SECONDS)``: a server hearing the grammar, starting replies after
`early_reply` seconds of silence (0: at the end of the utterance), and its noting brain."""


@pytest.fixture
def noting_server(
    start_live_server: ServerStarter, write_script: ScriptWriter, grammar: Path
) -> NotingStarter:
    """Starts servers whose brain notes what it is asked."""

    async def start(early_reply: float = PAUSE_SECONDS) -> tuple[LiveServer, NotingBrain]:
        brain = NotingBrain(write_script(SCRIPT))
        config = ServerConfig(grammar=grammar, early_reply=early_reply)
        return await start_live_server(config, brain=brain), brain

    return start


async def until(ws: ClientConnection, last: Callable[[Frame], bool]) -> list[Frame]:
    """Frames (or events) up to and including the first for which `last` is true."""
    frames: list[Frame] = []
    while not frames or not last(frames[-1]):
        async with asyncio.timeout(TIMEOUT):
            frames.append(json.loads(await ws.recv()))
    return frames


def turn_complete(frame: Frame) -> bool:
    """True for a Gemini frame that completes a turn."""
    return bool(content(frame).get("turnComplete"))


def response_done(event: Frame) -> bool:
    """True for an OpenAI event that ends a response."""
    return bool(event["type"] == "response.done")


def of_type(events: list[Frame], kind: str) -> list[Frame]:
    """The events of type `kind`, in order."""
    return [event for event in events if event["type"] == kind]


Pieces = Callable[[int], Sequence[bytes]]
"""Makes the audio of a turn at a rate, in pieces."""
Between = Callable[[], Awaitable[None]]
"""Awaited between two pieces of a turn's audio."""


async def gemini_turn(server: LiveServer, pieces: Sequence[bytes], between: Between, modality: str) -> Seen:
    """Speak `pieces` (16 kHz) to `server` in the Gemini dialect, then type "ping"."""
    async with session(server, modality=modality, **HEARS_ONCE) as ws:
        for index, pcm in enumerate(pieces):
            if index:
                await between()
            await send_audio(ws, pcm)
        frames = await until(ws, turn_complete)
        await send(ws, realtime_text("ping"))
        after = await until(ws, turn_complete)
    spoken = modality == "AUDIO"
    return Seen(
        utterances=finished_input(frames),
        reply=transcript(frames, "outputTranscription") if spoken else model_text(frames),
        audio=audio_bytes(frames),
        replies=sum(map(turn_complete, frames)),
        cancelled=any(content(frame).get("interrupted") for frame in frames),
        then=transcript(after, "outputTranscription") if spoken else model_text(after),
    )


async def openai_turn(server: LiveServer, pieces: Sequence[bytes], between: Between, modality: str) -> Seen:
    """Speak `pieces` (24 kHz) to `server` in the OpenAI Realtime dialect, then type "ping"; every event is
    checked against the SDK's models, and the order of the spoken turn's events too."""
    update = {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "output_modalities": [modality.lower()],
            "audio": {"input": {"transcription": {"model": "whisper-1"}}},
        },
    }
    async with realtime_socket(server) as ws:
        await ws.send(json.dumps(update))
        await until(ws, lambda event: bool(event["type"] == "session.updated"))
        for index, pcm in enumerate(pieces):
            if index:
                await between()
            for start in range(0, len(pcm), 4800):  # 100 ms blocks
                chunk = base64.b64encode(pcm[start : start + 4800]).decode()
                await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": chunk}))
        events = await until(ws, response_done)
        item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "ping"}]}
        await ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
        await ws.send(json.dumps({"type": "response.create"}))
        after = await until(ws, response_done)
    for event in events + after:
        strict(event)
    kinds = [event["type"] for event in events]
    ends = [
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
        "conversation.item.input_audio_transcription.completed",
        "response.created",
    ]
    assert [kind for kind in kinds if kind in ends] == ends, "the end of the turn, then its one reply"
    kind = "response.output_text.delta" if modality == "TEXT" else "response.output_audio_transcript.delta"
    return Seen(
        utterances=[e["transcript"] for e in of_type(events, ends[2])],
        reply="".join(event["delta"] for event in of_type(events, kind)),
        audio=b"".join(base64.b64decode(e["delta"]) for e in of_type(events, "response.output_audio.delta")),
        replies=len(of_type(events, "response.created")),
        cancelled=any(e["response"]["status"] != "completed" for e in of_type(events, "response.done")),
        then="".join(event["delta"] for event in of_type(after, kind)),
    )


async def spoken_turn(
    server: LiveServer,
    pieces: Pieces,
    dialect: Dialect,
    modality: str,
    between: Between = lambda: asyncio.sleep(0),
) -> Seen:
    """Speak to `server` in `dialect` (awaiting `between` between the pieces), then type "ping"."""
    if dialect == "gemini":
        return await gemini_turn(server, pieces(16000), between, modality)
    return await openai_turn(server, pieces(24000), between, modality)


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_speech_going_on_after_a_pause_drops_the_early_reply_unseen(
    noting_server: NotingStarter, speech: Speech, dialect: Dialect
) -> None:
    server, brain = await noting_server()

    async def written() -> None:  # the reply to the words before the pause has its words, held back
        await asyncio.wait_for(brain.written.wait(), TIMEOUT)

    seen = await spoken_turn(
        server, lambda rate: halves(speech, "tell me a joke", "about cats", rate), dialect, "TEXT", written
    )
    assert brain.asked[:2] == [("tell me a joke", True), ("tell me a joke about cats", True)], (
        "a reply was started at the pause, and again at the end"
    )
    assert seen.utterances == ["tell me a joke about cats"], "one utterance, all of it"
    assert (seen.replies, seen.reply, seen.cancelled) == (1, "Turn 1: tell me a joke about cats", False)
    assert seen.then == "Turn 2: ping", "the reply dropped took no turn"


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_the_reply_released_at_the_end_is_the_reply_a_late_start_gives(
    noting_server: NotingStarter, speech: Speech, dialect: Dialect
) -> None:
    early, early_brain = await noting_server()
    late, late_brain = await noting_server(early_reply=0)

    def question(rate: int) -> list[bytes]:
        return [pcm_of(speech("what is the weather like today", rate=rate))]

    released = await spoken_turn(early, question, dialect, "AUDIO")
    unhurried = await spoken_turn(late, question, dialect, "AUDIO")
    assert early_brain.asked[0] == ("what is the weather like today", True), "started early"
    assert late_brain.asked[0] == ("what is the weather like today", False), "started at the end"
    assert released.utterances == unhurried.utterances == ["what is the weather like today"]
    assert released.reply == unhurried.reply == WEATHER
    seconds = [len(seen.audio) / 2 / 24000 for seen in (released, unhurried)]
    assert seconds[0] > 3.0, "seconds of speech"
    # espeak-ng's output varies by a few samples from one synthesis to the next; a chunk is 200 ms
    assert abs(seconds[0] - seconds[1]) < 0.05, "the same speech, all of it"
    assert released.then == unhurried.then == "Turn 2: ping"


def heard(model: SpeechModel, pcm: bytes) -> list[Heard]:
    """The pauses, resumptions and ends a recogniser finds in `pcm` (16 kHz), fed in 20 ms blocks."""
    recognizer = Recognizer(model)
    found: list[Heard] = []
    try:
        for start in range(0, len(pcm), 640):
            found += recognizer.audio(pcm[start : start + 640])
    finally:
        recognizer.close()
    return [event for event in found if isinstance(event, SpeechPaused | SpeechResumed | SpeechEnded)]


def test_an_utterance_going_on_after_a_pause_is_recognised_whole(grammar: Path, speech: Speech) -> None:
    pcm = with_pause(speech, "tell me a joke", "about cats")
    assert heard(SpeechModel(grammar), pcm) == [
        SpeechPaused("tell me a joke"),
        SpeechResumed(),
        SpeechPaused("tell me a joke about cats"),
        SpeechEnded("tell me a joke about cats"),
    ]
    assert heard(SpeechModel(grammar, pause_seconds=0), pcm) == [SpeechEnded("tell me a joke about cats")]


def test_an_utterance_past_the_early_limit_is_answered_only_at_its_end(
    grammar: Path, speech: Speech, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each pause finishes the decoder's utterance and a resumption decodes it all again: past
    `EARLY_MAX_SECONDS` of speech a pause costs nothing."""
    monkeypatch.setattr(asr, "EARLY_MAX_SECONDS", 0.1)
    pcm = with_pause(speech, "tell me a joke", "about cats")
    assert heard(SpeechModel(grammar), pcm) == [SpeechEnded("tell me a joke about cats")]
