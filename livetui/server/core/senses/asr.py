"""Speech recognition for the local server: pocketsphinx, with Silero VAD (or pocketsphinx's Endpointer)
for voice activity.

`SpeechModel` holds what every connection shares: the model settings (an optional JSGF grammar that
restricts what can be recognised, for deterministic tests) and pools of decoders and voice-activity
detectors, which are slow to load (a few tenths of a second) and large. `Recognizer` is one audio stream's
recognition; it is synchronous and must be driven from one worker thread, never from the event loop.

In automatic mode an endpointer finds where speech starts and ends: Silero VAD's (`SileroEndpointer`, on
32 ms frames, which waits out a pause inside a sentence) or, with ``vad="webrtc"``, pocketsphinx's
Endpointer (a WebRTC-style detector on 30 ms frames: lighter, and quicker to end a turn, but a pause of
300 ms can split a sentence). In manual mode the client brackets each utterance with
activityStart/activityEnd and no endpointer is used. Either way the result is a list of :data:`Heard` events.

Silero's endpointer also says when an utterance has paused (a short silence: it has probably ended). The
utterance's transcript is finished there (`SpeechPaused`), so a reply can start while the hangover decides;
if the speech goes on (`SpeechResumed`), the decoder hears the whole utterance again from its start and
goes on with it, so the transcript is one utterance's, as if it had never paused; if it ends, its
transcript is the one finished at the pause (`SpeechEnded`).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import numpy as np
import soxr

from livetui.server.core.senses import whisper
from livetui.server.core.senses.endpointing import PAUSE_SECONDS, SileroEndpointer, load_detector
from livetui.server.errors import StartupError

RATE = 16000
"""The rate the recogniser works at; audio at other rates is resampled to it."""
PARTIAL_EVERY = 5
"""Frames (of 30 ms) between two partial hypotheses."""
ENDPOINT_WINDOW = 0.2
"""Seconds of audio pocketsphinx's Endpointer decides on: speech ends after about 90 % of a window is
silence (on top of the detector's own hangover of about 0.2 s). Pocketsphinx's default, 0.3 s, answers
0.1 s later."""
RECENT_FRAMES = 16
"""Raw frames kept to recover the end of an utterance (more than pocketsphinx's Endpointer's window holds)."""
GRAMMAR_BESTPATH = False
"""Whether a grammar search rescores its lattice at the end of the utterance. Pocketsphinx's default (on)
picks the best lattice path even when it stops short of the grammar's end, so a whole sentence came back
as a prefix of it ("what is the weather" for "what is the weather like today"); off, the hypothesis is the
best path that completes a grammar sentence.
"""
RESAMPLE_QUALITY = "QQ"
"""soxr's quality for audio resampled to `RATE`: quick (cubic), which holds back nothing; its default
(HQ) holds back 16 ms of 24 kHz audio, which every turn's end waited for. Over espeak-ng sentences
at 24 kHz, pocketsphinx's word error rate was no worse (68 % against 76 % over 16 sentences)."""
EARLY_MAX_SECONDS = 6.0
"""An utterance longer than this is not finished early at a pause (its reply starts at the end of the
turn): each pause ends the decoder's utterance and a resumption decodes it all again, so the work a
pause costs is bounded by this, whatever a client streams."""
DEFAULT_VAD_MODE = 0
"""Pocketsphinx's Endpointer's aggressiveness, 0 (loose, the default) to 3 (strict)."""

Vad: TypeAlias = Literal["silero", "webrtc"]
"""The voice-activity detector that ends utterances (see the module docstring)."""


@dataclass(frozen=True)
class SpeechStarted:
    """The user started speaking (`at`: seconds into the stream)."""

    at: float


@dataclass(frozen=True)
class Partial:
    """More words of the utterance in progress: `text` continues what earlier partials said."""

    text: str


@dataclass(frozen=True)
class SpeechPaused:
    """The utterance has paused and has probably ended; `text` is its transcript if it has ("" for
    nothing). A `SpeechEnded` with the same text or a `SpeechResumed` follows."""

    text: str


@dataclass(frozen=True)
class SpeechResumed:
    """Speech went on after a `SpeechPaused`: the utterance goes on too."""


@dataclass(frozen=True)
class SpeechEnded:
    """The utterance is over; `text` is all of it, the final word on what was said ("" for nothing)."""

    text: str


Heard: TypeAlias = SpeechStarted | Partial | SpeechPaused | SpeechResumed | SpeechEnded
"""What a recogniser reports."""


class SpeechModel:
    """The recogniser's settings and a pool of loaded decoders, shared by every connection."""

    def __init__(
        self,
        grammar: Path | None = None,
        *,
        vad: Vad = "silero",
        vad_mode: int = DEFAULT_VAD_MODE,
        use_whisper: bool | None = None,
        pause_seconds: float = PAUSE_SECONDS,
    ) -> None:
        self.grammar = grammar
        """A JSGF grammar: only its sentences can be recognised. None uses the general English model."""
        self.use_whisper = (
            whisper.whisper_installed() if use_whisper is None else use_whisper
        ) and not grammar
        """Whisper gives each utterance's final transcript (`livetui.server.core.senses.whisper`); by default
        when the ``[whisper]`` extra is installed and there is no grammar."""
        self._whisper: Any = None
        self._whisper_lock = threading.Lock()
        self.vad = vad
        """The voice-activity detector that ends utterances."""
        self.vad_mode = vad_mode
        """Pocketsphinx's Endpointer's aggressiveness, 0-3 (with ``vad="webrtc"``)."""
        self.pause_seconds = pause_seconds
        """Silence after which Silero's endpointer pauses an utterance (0: never)."""
        self._pool: list[Any] = []
        self._detectors: list[Any] = []
        self._lock = threading.Lock()

    def check(self) -> None:
        """Make sure the model loads (and the grammar is valid), keeping the decoder for later.

        Raises:
            StartupError: the grammar file cannot be read or is not valid JSGF.
        """
        if self.grammar is not None:
            try:
                text = self.grammar.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                raise StartupError(f"{self.grammar}: cannot read the grammar ({reason})") from None
            if not text.lstrip().startswith("#JSGF"):  # pocketsphinx's parser would echo it to stdout
                raise StartupError(f"{self.grammar}: not a JSGF grammar (it starts with a #JSGF header)")
        try:
            self.warm()
        except (ValueError, RuntimeError) as error:
            detail = " ".join(str(error).split())
            raise StartupError(f"{self.grammar}: not a valid JSGF grammar ({detail})") from None

    def _create(self) -> Any:
        from pocketsphinx import Decoder

        if self.grammar is not None:
            return Decoder(samprate=RATE, jsgf=str(self.grammar), bestpath=GRAMMAR_BESTPATH, loglevel="FATAL")
        return Decoder(samprate=RATE, loglevel="FATAL")

    def warm(self) -> None:
        """Load one decoder (and detector) now if none is ready (blocking: call it on a worker thread)."""
        with self._lock:
            if not self._pool:
                self._pool.append(self._create())
            if self.vad == "silero" and not self._detectors:
                self._detectors.append(load_detector())

    def warm_whisper(self) -> None:
        """Load Whisper if it is used and not loaded yet (blocking: about 0.7 s). Recognition calls it when
        an utterance starts, not at start-up: a session that never speaks (or a microphone that only ever
        hears silence) never pays for it."""
        with self._whisper_lock:
            if self.use_whisper and self._whisper is None:
                self._whisper = whisper.load_whisper()

    def transcribe(self, pcm: bytes) -> str:
        """Whisper's transcript of one utterance's 16 kHz audio (blocking; loads the model the first
        time). Transcriptions take turns: one model serves every stream."""
        self.warm_whisper()
        with self._whisper_lock:
            return whisper.transcribe(self._whisper, pcm)

    def acquire(self) -> Any:
        """A decoder for one stream (loaded now if the pool is empty; blocking)."""
        with self._lock:
            return self._pool.pop() if self._pool else self._create()

    def release(self, decoder: Any) -> None:
        """Give a decoder back for the next stream."""
        with self._lock:
            self._pool.append(decoder)

    def endpointer(self) -> Any:
        """A new stream's endpointer (blocking: it may load a detector): a `SileroEndpointer`, or
        pocketsphinx's Endpointer with ``vad="webrtc"``."""
        if self.vad == "webrtc":
            from pocketsphinx import Endpointer

            return Endpointer(window=ENDPOINT_WINDOW, vad_mode=self.vad_mode, sample_rate=RATE)
        with self._lock:
            detector = self._detectors.pop() if self._detectors else None
        if detector is None:
            detector = load_detector()
        detector.reset()
        return SileroEndpointer(detector, release=self._release_detector, pause_seconds=self.pause_seconds)

    def _release_detector(self, detector: Any) -> None:
        with self._lock:
            self._detectors.append(detector)


class Recognizer:
    """One audio stream's speech recognition (synchronous; drive it from a single worker thread)."""

    def __init__(self, model: SpeechModel, *, manual: bool = False) -> None:
        self.model = model
        """The shared model."""
        self.manual = manual
        """True when activityStart/activityEnd bracket utterances (no voice-activity detection)."""
        self._endpointer: Any = model.endpointer()
        self._frame_bytes: int = self._endpointer.frame_bytes
        self._pending = bytearray()
        self._recent: deque[bytes] = deque(maxlen=RECENT_FRAMES)
        self._decoder: Any = None
        self._resamplers: dict[int, Any] = {}
        self._in_utterance = False
        self._active = False
        self._said = ""
        self._frames = 0
        self._utterance = bytearray()
        self._held: str | None = None  # while paused: the transcript finished at the pause

    @property
    def in_speech(self) -> bool:
        """True while an utterance is being recognised."""
        return self._in_utterance

    def audio(self, pcm: bytes, rate: int = RATE) -> list[Heard]:
        """Take a block of PCM16 mono audio at `rate`; returns what was heard in it."""
        pcm = self._resample(pcm, rate)
        if self.manual:
            if not self._active:
                return []  # audio outside activityStart/activityEnd is not part of any utterance
            return self._decode(pcm)
        self._pending += pcm
        heard: list[Heard] = []
        size = self._frame_bytes
        while len(self._pending) >= size:
            frame = bytes(self._pending[:size])
            del self._pending[:size]
            heard += self._endpoint(frame)
        return heard

    def start_activity(self) -> list[Heard]:
        """The client says the user started talking (manual mode)."""
        if self._active:
            return []
        self._active = True
        self._begin()
        return [SpeechStarted(at=0.0)]

    def end_activity(self) -> list[Heard]:
        """The client says the user stopped talking (manual mode): the utterance is over."""
        if not self._active:
            return []
        self._active = False
        return self._finish()

    def end_stream(self) -> list[Heard]:
        """The client's microphone closed (audioStreamEnd): finish any utterance in progress."""
        if self.manual:
            return self.end_activity()
        frame = bytes(self._pending)
        self._pending.clear()
        heard: list[Heard] = []
        if self._endpointer.in_speech:
            speech = self._endpointer.end_stream(frame)
            if speech:
                heard += self._decode(speech)
        if self._in_utterance:
            heard += self._finish()
        return heard

    def close(self) -> None:
        """Give the decoder (and detector) back to the pool."""
        if isinstance(self._endpointer, SileroEndpointer):
            self._endpointer.close()
        decoder, self._decoder = self._decoder, None
        if decoder is not None:
            if self._decoding:
                decoder.end_utt()
            self._in_utterance = False
            self.model.release(decoder)

    @property
    def _decoding(self) -> bool:
        """True while the decoder has an utterance open (not during a pause, whose transcript is done)."""
        return self._in_utterance and self._held is None

    def _resample(self, pcm: bytes, rate: int) -> bytes:
        if rate == RATE:
            return pcm
        stream = self._resamplers.get(rate)
        if stream is None:
            stream = soxr.ResampleStream(rate, RATE, 1, dtype="int16", quality=RESAMPLE_QUALITY)
            self._resamplers[rate] = stream
        values = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype=np.int16)
        return bytes(np.asarray(stream.resample_chunk(values), dtype=np.int16).tobytes())

    def _endpoint(self, frame: bytes) -> list[Heard]:
        endpointer = self._endpointer
        was_speaking = endpointer.in_speech
        self._recent.append(frame)
        speech = endpointer.process(frame)
        if speech is None:
            return []
        heard: list[Heard] = []
        if not was_speaking:
            self._begin()
            heard.append(SpeechStarted(at=float(endpointer.speech_start)))
        paused = isinstance(endpointer, SileroEndpointer) and endpointer.paused
        if self._held is not None and not paused and endpointer.in_speech:
            heard += self._resume()
        heard += self._decode(speech)
        if not endpointer.in_speech:
            if not isinstance(endpointer, SileroEndpointer):
                # Pocketsphinx's Endpointer hands out frames a window late and drops that window at the end
                # of speech, where a soft final consonant often is: the decoder hears it too.
                heard += self._decode(b"".join(self._after(speech)))
            heard += self._finish()
        elif paused and self._held is None and len(self._utterance) <= EARLY_MAX_SECONDS * RATE * 2:
            heard += self._pause()
        return heard

    def _after(self, speech: bytes) -> list[bytes]:
        """The frames received after `speech` (the Endpointer's last frame), oldest first."""
        recent = list(self._recent)
        for index in range(len(recent) - 1, -1, -1):
            if recent[index] == speech:
                return recent[index + 1 :]
        return []

    def _begin(self) -> None:
        self.model.warm_whisper()  # while the user speaks: the end of what they say needs it
        if self._decoder is None:
            self._decoder = self.model.acquire()
        if self._decoding:
            self._decoder.end_utt()
        self._decoder.start_utt()
        self._in_utterance = True
        self._held = None
        self._said = ""
        self._frames = 0
        self._utterance.clear()

    def _decode(self, speech: bytes) -> list[Heard]:
        if not self._in_utterance or not speech:
            return []
        self._utterance += speech  # for Whisper, and to hear it all again if it resumes after a pause
        if (clip := len(self._utterance) - int(whisper.MAX_SECONDS * RATE) * 2) > 0:
            del self._utterance[:clip]
        if self._held is not None:
            return []  # paused: kept, and heard if the speech resumes
        self._decoder.process_raw(speech)
        self._frames += 1
        if self._frames % PARTIAL_EVERY:
            return []
        hypothesis = self._decoder.hyp()
        text = hypothesis.hypstr.strip() if hypothesis is not None else ""
        if len(text) > len(self._said) and text.startswith(self._said):
            delta = text[len(self._said) :]
            self._said = text
            return [Partial(delta)]
        return []

    def _pause(self) -> list[Heard]:
        """The utterance paused: finish its transcript now, while the hangover decides whether it ended."""
        self._held = self._transcript()
        return [SpeechPaused(self._held)]

    def _resume(self) -> list[Heard]:
        """Speech came back after a pause: the decoder hears the utterance so far again, pause included,
        and goes on with it."""
        self._held = None
        self._decoder.start_utt()
        self._decoder.process_raw(bytes(self._utterance))
        return [SpeechResumed()]

    def _finish(self) -> list[Heard]:
        if not self._in_utterance:
            return []
        text = self._held if self._held is not None else self._transcript()
        self._in_utterance = False
        self._held = None
        self._utterance.clear()
        self._said = ""
        return [SpeechEnded(text)]

    def _transcript(self) -> str:
        """End the decoder's utterance; the final transcript of it (Whisper's, when it is used)."""
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        text = hypothesis.hypstr.strip() if hypothesis is not None else ""
        if self.model.use_whisper and self._utterance:
            text = self.model.transcribe(bytes(self._utterance))
        return text
