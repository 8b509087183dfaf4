"""Helpers for the history tests: sessions recorded by the real app against the local server (typed, or
spoken with a silent microphone), and a brain that keeps the conversation it was given at each reply
(what a continued session carried)."""

from __future__ import annotations

import wave
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from livetui.config import Settings
from livetui.server.core.brains.base import Chunk, Dialogue
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.session.audio_io import voice_for
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from tests.ui.waiting import send, until, until_live


class HistoryBrain(ScriptedBrain):
    """Answers as the scripted brain does; :attr:`seen` holds, per reply, the conversation it answered."""

    def __init__(self) -> None:
        super().__init__(None)
        self.seen: list[list[tuple[str, str]]] = []
        """For each reply: every turn of the history (role, text), the one answered last."""

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Keep the history, then answer."""
        self.seen.append([(turn.role, turn.text) for turn in dialogue.history])
        async for chunk in super().reply(dialogue, text):
            yield chunk


def silence_file(path: Path, seconds: float = 0.5) -> Path:
    """A WAV file of silence (PCM16 mono 16 kHz): a microphone that says nothing."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(int(16000 * seconds) * 2))
    return path


def spoken_settings(folder: Path) -> Settings:
    """Spoken replies, written to a file speaker, with a silent microphone file."""
    quiet = silence_file(folder / "quiet.wav")
    return Settings(audio={"mic_file": quiet, "speaker_file": folder / "spoken.wav"})


async def say_and_wait(pilot: Pilot[Any], app: LiveApp, number: int, text: str) -> None:
    """Send `text` as turn `number` and wait until its reply is complete."""

    def replied() -> bool:
        turn = app.main.chat.turn(number)
        return turn is not None and turn.complete

    await send(pilot, text)
    await until(pilot, replied, f"the reply to turn {number}")


async def record_session(url: str, settings: Settings, *texts: str) -> None:
    """Run the app against the server at `url` (with a voice unless text-only), send each text and wait
    for its reply, then quit."""
    voice = None if settings.text_only else voice_for(settings)
    app = make_app(settings, connect_to(url, settings), voice=voice)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        for number, text in enumerate(texts, start=1):
            await say_and_wait(pilot, app, number, text)
