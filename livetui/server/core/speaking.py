"""A reply spoken aloud: text cut into phrases, synthesised, and sent as paced audio with its transcript.

The brain's text arrives in deltas. A phrase is spoken as soon as it is complete: at the end of a sentence,
at a clause mark once it has a few words, or at a word boundary once it grows long (so a brain that never
punctuates still gets spoken). Each phrase's speech (PCM16 mono 24 kHz) is cut into chunks of about
:data:`CHUNK_SECONDS`, each given to the sink with the words it says (Gemini sends them as
``outputTranscription`` then ``modelTurn`` ``inlineData``), the phrase's words spread over its chunks in
proportion.

Chunks are paced to real time with a small lead (:data:`LEAD_SECONDS`), as Google's server paces speech:
the reply stays in progress as long as it is being heard, so speech that starts meanwhile can interrupt it.
Sending happens in the caller's task, so cancelling the reply stops the speech at once.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable

from livetui.server.core.senses.tts import RATE, SynthesisUnavailable, Synthesizer
from livetui.server.core.sink import ReplySink

log = logging.getLogger("livetui.server")

CHUNK_SECONDS = 0.2
"""Audio per chunk."""
LEAD_SECONDS = 0.3
"""How far ahead of real time speech may be sent (the client's jitter buffer absorbs it)."""
CLAUSE_WORDS = 6
"""A phrase may end at a comma, colon or semicolon once it has this many words."""
MAX_WORDS = 12
"""A phrase without punctuation is cut at a word boundary once it has this many words."""
FIRST_CLAUSE_WORDS = 2
"""`CLAUSE_WORDS` for the reply's first phrase, kept short so the first sound comes early."""
FIRST_MAX_WORDS = 3
"""`MAX_WORDS` for the reply's first phrase: the first sound waits for its words (and the next one, which
shows the last is whole). A turn's reply starts about a quarter of a second before the turn ends, time
for smollm2's first token (about 0.1 s) and a few more on a quiet machine: with five words the first
sound came 30-40 ms after the end of the turn (median), with three at once."""

_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)|\n")
_CLAUSE_END = re.compile(r"[,;:]+(?=\s)")
_TOKEN = re.compile(r"\s*\S+")


def next_phrase(text: str, *, final: bool, first: bool = False) -> tuple[str, str] | None:
    """Split the first complete phrase off `text`: (phrase, rest), or None if none is complete yet.

    With `final`, whatever is left is a phrase; with `first` (the reply's first phrase) shorter phrases
    are cut. The phrase keeps its trailing whitespace, so the phrases joined give back `text` exactly.
    """
    if not text:
        return None
    clause_words, max_words = (FIRST_CLAUSE_WORDS, FIRST_MAX_WORDS) if first else (CLAUSE_WORDS, MAX_WORDS)
    sentence = _SENTENCE_END.search(text)
    if sentence is not None:
        return _cut(text, sentence.end())
    clause = next(
        (m for m in _CLAUSE_END.finditer(text) if len(text[: m.end()].split()) >= clause_words), None
    )
    if clause is not None:
        return _cut(text, clause.end())
    tokens = _TOKEN.findall(text)
    if len(tokens) > max_words:
        return _cut(text, sum(map(len, tokens[:max_words])))
    if final:
        return text, ""
    return None


def _cut(text: str, end: int) -> tuple[str, str]:
    while end < len(text) and text[end].isspace():
        end += 1
    return text[:end], text[end:]


def spread(text: str, parts: int) -> list[str]:
    """`text` cut into `parts` pieces at word boundaries, words spread evenly (the first piece never empty);
    joined they give `text`."""
    tokens = _TOKEN.findall(text)
    if tokens:
        tokens[-1] += text[sum(map(len, tokens)) :]
    elif text:
        tokens = [text]
    pieces = []
    taken = 0
    for index in range(parts):
        upto = math.ceil(len(tokens) * (index + 1) / parts)  # a word is shown as it starts to be heard
        pieces.append("".join(tokens[taken:upto]))
        taken = upto
    return pieces


class SpokenReply:
    """Speaks one reply's text as it streams in (see the module docstring)."""

    def __init__(
        self,
        voice: Synthesizer,
        sink: ReplySink,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.voice = voice
        """The synthesizer."""
        self.seconds_sent = 0.0
        """Speech sent so far, in seconds."""
        self.phrases = 0
        """Phrases spoken so far."""
        self._sink = sink
        self._clock = clock
        self._sleep = sleep
        self._pending = ""
        self._start: float | None = None
        self._mute = False

    async def say(self, delta: str) -> None:
        """Take a delta of the reply; speak every phrase it completes (returns once they are sent)."""
        self._pending += delta
        while (split := next_phrase(self._pending, final=False, first=not self.phrases)) is not None:
            phrase, self._pending = split
            await self._speak(phrase)

    async def finish(self) -> None:
        """Speak whatever is left (returns once it is sent)."""
        while (split := next_phrase(self._pending, final=True)) is not None:
            phrase, self._pending = split
            await self._speak(phrase)

    async def _speak(self, phrase: str) -> None:
        self.phrases += 1
        pcm = b""
        if not self._mute:
            try:
                pcm = await asyncio.to_thread(self.voice.speak, phrase)
            except SynthesisUnavailable as error:
                log.warning("speech is off for this reply, transcripts only: %s", error)
                self._mute = True
        size = int(CHUNK_SECONDS * RATE) * 2
        chunks = [pcm[i : i + size] for i in range(0, len(pcm), size)] or [b""]
        for words, chunk in zip(spread(phrase, len(chunks)), chunks, strict=True):
            await self._pace()
            await self._sink.spoken(words, chunk)
            if self._start is None:  # the timeline starts once the first chunk is out (it may be held)
                self._start = self._clock()
            self.seconds_sent += len(chunk) / 2 / RATE

    async def _pace(self) -> None:
        """Wait until the next chunk is due: no more than the lead ahead of real-time playback."""
        now = self._clock()
        if self._start is None:
            return  # the first chunk goes at once
        if now - self._start > self.seconds_sent:
            self._start = now - self.seconds_sent  # playback ran dry: restart the timeline
            return
        delay = self._start + self.seconds_sent - LEAD_SECONDS - now
        if delay > 0:
            await self._sleep(delay)
