"""Speech synthesis for the local server: espeak-ng, from the library and data in the `espeakng-loader`
wheel, driven through ctypes (no system package needed).

espeak-ng keeps global state, so there is one `Synthesizer` per process (:func:`shared_synthesizer`) and
its calls are serialised by a lock. Synthesis is fast (a few milliseconds a sentence) but blocking: call
`speak` on a worker thread. Its 22,050 Hz output is resampled to 24 kHz, the rate of Gemini's speech.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import Any

import numpy as np
import soxr

from livetui.server.core.senses.shared import process_wide

RATE = 24000
"""The rate of the PCM16 mono audio `speak` returns."""
VOICE = "en-us"
"""The espeak-ng voice."""
WORDS_PER_MINUTE = 170
"""Speaking rate."""

_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS
_RATE_PARAMETER = 1  # espeak_PARAMETER: espeakRATE
_CHARS_UTF8 = 1  # espeakCHARS_UTF8
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class SynthesisUnavailable(Exception):
    """espeak-ng cannot be loaded; one line saying why."""


class Synthesizer:
    """Text to PCM16 mono 24 kHz speech with espeak-ng (thread-safe; one per process)."""

    def __init__(self, voice: str = VOICE, words_per_minute: int = WORDS_PER_MINUTE) -> None:
        self.voice = voice
        """The espeak-ng voice name."""
        self.words_per_minute = words_per_minute
        """Speaking rate."""
        self._lib: Any = None
        self._rate = 0
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept alive as long as espeak-ng may call it

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def load(self) -> None:
        """Load and initialise espeak-ng (once; later calls do nothing).

        Raises:
            SynthesisUnavailable: the library or its data cannot be loaded.
        """
        with self._lock:
            if self._lib is not None:
                return
            try:
                import espeakng_loader

                lib = ctypes.CDLL(espeakng_loader.get_library_path())
                data = Path(espeakng_loader.get_data_path()).parent
            except (ImportError, OSError, RuntimeError) as error:
                raise SynthesisUnavailable(f"espeak-ng cannot be loaded: {error}") from None
            lib.espeak_Synth.argtypes = [
                ctypes.c_char_p,
                ctypes.c_size_t,
                ctypes.c_uint,
                ctypes.c_int,
                ctypes.c_uint,
                ctypes.c_uint,
                ctypes.POINTER(ctypes.c_uint),
                ctypes.c_void_p,
            ]
            rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, str(data).encode(), 0)
            if rate <= 0:
                raise SynthesisUnavailable(f"espeak-ng did not initialise (data in {data})")
            lib.espeak_SetSynthCallback(self._callback)
            if lib.espeak_SetVoiceByName(self.voice.encode()) != 0:
                raise SynthesisUnavailable(f"espeak-ng has no voice {self.voice!r}")
            lib.espeak_SetParameter(_RATE_PARAMETER, self.words_per_minute, 0)
            self._lib, self._rate = lib, rate

    def speak(self, text: str) -> bytes:
        """`text` spoken, as PCM16 mono 24 kHz (b"" for text with nothing to say). Blocking.

        Raises:
            SynthesisUnavailable: espeak-ng cannot be loaded.
        """
        if not text.strip():
            return b""
        self.load()
        data = text.encode("utf-8")
        with self._lock:
            self._chunks = []
            self._lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8, None, None)
            self._lib.espeak_Synchronize()
            pcm, self._chunks = b"".join(self._chunks), []
        if not pcm:
            return b""
        values = np.frombuffer(pcm, dtype=np.int16)
        return bytes(np.asarray(soxr.resample(values, self._rate, RATE), dtype=np.int16).tobytes())


@process_wide
def shared_synthesizer() -> Synthesizer:
    """The process's synthesizer (espeak-ng is global: there can be only one)."""
    return Synthesizer()
