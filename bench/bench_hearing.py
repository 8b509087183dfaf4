"""Hearing: sentences split at pauses and end-of-speech delay per detector, word error rate per recogniser.

Speech is recorded as a user would, with espeak-ng (default voice) at two rates, and fed to the local
server's recogniser in 40 ms blocks, as fast as it takes them; delays are in audio time, so they do not
depend on the machine's load:

- **Splits**: a sentence with commas is spoken as espeak-ng speaks it, then again with a 300 ms silence
  put in at its first comma; a sentence heard as more than one utterance was split.
- **End delay**: from the last voiced sample of an utterance to the block after which the detector ended it.
- **Early replies dropped**: a reply is started where an utterance pauses (`--early-reply`) with words
  heard; counted over the same sentences, how many of those starts the speech going on dropped.
- **Word error rate** of each recogniser with no grammar (pocketsphinx's general English model, and Whisper
  tiny.en when the ``[whisper]`` extra is installed) over the sentences at both rates, the compute time per
  second of speech, and the time Whisper adds to each turn (its transcription of the utterance, median).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from livetui.media.audio.pcm import read_audio
from livetui.server.core.senses.asr import (
    Heard,
    Recognizer,
    SpeechEnded,
    SpeechModel,
    SpeechPaused,
    SpeechResumed,
    Vad,
)
from livetui.server.core.senses.endpointing import PAUSE_SECONDS
from livetui.server.core.senses.whisper import whisper_installed
from livetui.session.latency import percentile

BLOCK = 1280
"""40 ms of 16 kHz PCM16, what the app's microphone sends at a time."""
PAUSE = 0.3
"""The silence put in at a sentence's first comma."""
RATES = (175, 140)
"""espeak-ng's default speaking rate and a slower one, in words per minute."""
SENTENCES = (
    "well, I think we should go home now",
    "first, open the door, then turn on the light",
    "if it rains tomorrow, we will stay inside",
    "my sister, who lives in Paris, is a doctor",
    "yes, please tell me the weather",
    "after lunch, we walked to the park",
    "honestly, I do not know the answer",
    "on Monday, the shop is closed",
    "when you are ready, start the music",
    "in the morning, I drink a cup of coffee",
    "please, turn the volume down",
    "by the way, your keys are on the table",
    "for dinner, we are having fish and rice",
    "if you can, call me back later",
    "at the end of the day, we all went home",
    "oh, that is a very good idea",
    "before you leave, close the window",
    "of course, I will help you with that",
    "last year, we visited my grandmother",
    "no, I do not want any more tea",
    "to be honest, the film was too long",
    "right now, the train is running late",
    "as I said, the meeting starts at noon",
    "sometimes, the cat sleeps on my bed",
    "okay, let us begin the lesson",
    "when it snows, the roads are dangerous",
    "thank you, that was very kind of you",
    "every Sunday, we go for a long walk",
    "in my opinion, the red one looks better",
    "hello, how are you doing today",
    "after the rain, the sky turned blue",
    "so, what would you like to eat",
)
"""Sentences with a comma, each a natural place for a pause."""


def record(folder: Path, text: str, rate: int) -> np.ndarray[tuple[int], np.dtype[np.int16]]:
    """`text` spoken by espeak-ng at `rate`, as 16 kHz PCM16 (the file microphone resamples it so)."""
    wav = folder / "said.wav"
    subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(wav), text], check=True)
    return np.frombuffer(read_audio(wav, 16000), dtype=np.int16)


def voiced(pcm: np.ndarray[tuple[int], np.dtype[np.int16]]) -> np.ndarray[tuple[int], np.dtype[np.int16]]:
    """`pcm` without its leading and trailing silence."""
    loud = np.flatnonzero(np.abs(pcm) > 200)
    return pcm[loud[0] : loud[-1] + 1]


def with_pause(folder: Path, text: str, rate: int) -> np.ndarray[tuple[int], np.dtype[np.int16]]:
    """`text` spoken with `PAUSE` seconds of silence at its first comma."""
    before, after = text.split(",", 1)
    gap = np.zeros(int(PAUSE * 16000), np.int16)
    return np.concatenate([voiced(record(folder, before, rate)), gap, voiced(record(folder, after, rate))])


@dataclass
class Hearing:
    """What a recogniser made of one recording."""

    said: list[str] = field(default_factory=list)
    """The utterances heard."""
    ended: float | None = None
    """Seconds from the last voiced sample to the end of the last utterance (None: none ended)."""
    started: int = 0
    """Early replies started: pauses with words heard."""
    dropped: int = 0
    """Early replies dropped: such pauses after which the speech went on."""


def hear(model: SpeechModel, pcm: np.ndarray[tuple[int], np.dtype[np.int16]]) -> Hearing:
    """What is heard in `pcm`, with half a second of silence before and a second after."""
    padded = np.concatenate([np.zeros(8000, np.int16), pcm, np.zeros(16000, np.int16)]).tobytes()
    last_voiced = (8000 + int(np.flatnonzero(np.abs(pcm) > 200)[-1]) + 1) / 16000
    recognizer = Recognizer(model)
    found = Hearing()
    early = False
    try:
        for start in range(0, len(padded), BLOCK):
            heard: list[Heard] = recognizer.audio(padded[start : start + BLOCK])
            for event in heard:
                if isinstance(event, SpeechPaused) and event.text:
                    found.started += 1
                    early = True
                elif isinstance(event, SpeechResumed):
                    found.dropped += early
                    early = False
                elif isinstance(event, SpeechEnded):
                    found.said.append(event.text)
                    found.ended = (start + BLOCK) / 32000 - last_voiced
                    early = False
    finally:
        recognizer.close()
    return found


def word_errors(said: str, meant: str) -> int:
    """Word edits (substitutions, insertions, deletions) from `meant` to `said`, case and punctuation
    aside."""
    hyp, ref = _words(said), _words(meant)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (word != other))
    return row[-1]


def _words(text: str) -> list[str]:
    return "".join(c for c in text.lower() if c.isalnum() or c in " '").split()


def bench_splits(folder: Path) -> None:
    """Splits and end delay, for each detector, interleaved sentence by sentence (recognised with a grammar
    of the sentences, which is quick: what is measured here is where utterances end)."""
    grammar = folder / "sentences.gram"
    sentences = " | ".join(text.lower().replace(",", "") for text in SENTENCES)
    grammar.write_text(f"#JSGF V1.0;\ngrammar sentences;\npublic <s> = {sentences};\n", encoding="utf-8")
    models: dict[Vad, SpeechModel] = {
        "webrtc": SpeechModel(grammar, vad="webrtc"),
        "silero": SpeechModel(grammar),
    }
    splits = {(vad, kind): 0 for vad in models for kind in ("commas", "pause")}
    delays: dict[Vad, list[float]] = {vad: [] for vad in models}
    for text in SENTENCES:
        spoken = {"commas": record(folder, text, RATES[0]), "pause": with_pause(folder, text, RATES[0])}
        for vad, model in models.items():
            for kind, pcm in spoken.items():
                found = hear(model, pcm)
                splits[vad, kind] += len(found.said) > 1
                if found.ended is not None:
                    delays[vad].append(found.ended * 1000)
    for vad in models:
        print(
            f"   {vad}: split {splits[vad, 'commas']}/{len(SENTENCES)} sentences with commas, "
            f"{splits[vad, 'pause']}/{len(SENTENCES)} with a {PAUSE * 1000:.0f} ms pause (target 0); "
            f"end of speech → end of utterance median {percentile(delays[vad], 50):.0f} ms, "
            f"p95 {percentile(delays[vad], 95):.0f} ms (audio time)",
            flush=True,
        )


def bench_early(folder: Path) -> None:
    """Early replies started and dropped over the same sentences, heard as free speech (a grammar hears no
    words at a pause that does not end one of its sentences, and starts no reply there)."""
    model = SpeechModel(use_whisper=False)
    early = {kind: Hearing() for kind in ("commas", "pause")}
    for text in SENTENCES:
        spoken = {"commas": record(folder, text, RATES[0]), "pause": with_pause(folder, text, RATES[0])}
        for kind, pcm in spoken.items():
            found = hear(model, pcm)
            early[kind].started += found.started
            early[kind].dropped += found.dropped
    for kind, found in early.items():
        shape = "commas" if kind == "commas" else f"a {PAUSE * 1000:.0f} ms pause"
        print(
            f"   silero, replies started early ({PAUSE_SECONDS * 1000:.0f} ms of silence), {len(SENTENCES)} "
            f"sentences with {shape}: {found.started} started, {found.dropped} dropped as the speech went on",
            flush=True,
        )


def bench_word_errors(folder: Path) -> None:
    """Word error rate of each recogniser at each rate, interleaved sentence by sentence."""
    models = {"pocketsphinx, general English": SpeechModel(use_whisper=False)}
    if whisper_installed():
        models["Whisper tiny.en (final) + pocketsphinx (partials)"] = SpeechModel(use_whisper=True)
    else:
        print("   Whisper: not measured, the [whisper] extra is not installed", flush=True)
    for rate in RATES:
        errors = dict.fromkeys(models, 0)
        compute = dict.fromkeys(models, 0.0)
        added: list[float] = []
        words = 0
        spoken = 0.0
        for text in SENTENCES:
            pcm = record(folder, text, rate)
            spoken += len(pcm) / 16000 + 1.5
            words += len(_words(text))
            for name, model in models.items():
                started = time.perf_counter()
                said = hear(model, pcm).said
                compute[name] += time.perf_counter() - started
                errors[name] += word_errors(" ".join(said), text)
                if model.use_whisper:
                    started = time.perf_counter()
                    model.transcribe(pcm.tobytes())
                    added.append((time.perf_counter() - started) * 1000)
        for name in models:
            print(
                f"   {name}, {rate} wpm: WER {100 * errors[name] / words:.1f} % over {len(SENTENCES)} "
                f"sentences ({words} words); {1000 * compute[name] / spoken:.0f} ms compute per second "
                "of audio",
                flush=True,
            )
        if added:
            print(
                f"   Whisper adds to each turn, {rate} wpm: median {percentile(added, 50):.0f} ms, "
                f"p95 {percentile(added, 95):.0f} ms",
                flush=True,
            )


def main() -> None:
    """Run the measurements (they need espeak-ng)."""
    if shutil.which("espeak-ng") is None:
        print("   skipped: recording speech needs espeak-ng (apt-get install espeak-ng)", flush=True)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_splits(folder)
        bench_early(folder)
        bench_word_errors(folder)
