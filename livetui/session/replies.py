"""How the model replies: spoken, or written when there is nothing to play speech on.

A session is spoken unless the user asked for text. With no audio output — no PortAudio, no output
device, and no ``--speaker-file`` — speech would be heard by nobody and its transcript would arrive at
speaking pace, so :func:`choose_replies` asks for written replies, which stream at full speed as
Markdown. Models that only speak are told apart two ways: a name that says so (``native-audio``) keeps
speech from the start, and a server that refuses text replies makes the session go back to speech at once
(`LiveSession.prefer`). Either way the chat log says which, in one line.

The devices are looked at only when the session's speaker is a device, in a worker thread (PortAudio lists
them as it loads, which takes a few tens of milliseconds), while nothing else is waiting on it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from livetui.live.config import SessionConfig
from livetui.media.audio.devices import AudioUnavailable, Device, Direction, find_device, list_devices
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.speaker import DeviceSink
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice

SPEAKS_ONLY = "native-audio"
"""Part of the name of Gemini models that only speak (they close a TEXT setup with 1007)."""

WRITTEN = "replies come as text"
"""The end of the notice when written replies were asked for."""

SPOKEN = "this model only speaks: its replies are shown as their transcript"
"""The end of the notice when the model keeps speaking to no speaker."""

REFUSED = "the model refused text replies: they are spoken instead, and shown as their transcript"
"""The notice when the server refused the TEXT setup (the server's words follow it)."""


def _missing(direction: Direction, spec: str | int | None, devices: list[Device]) -> str | None:
    try:
        find_device(spec, direction, devices)
    except AudioUnavailable as error:
        return str(error)
    return None


def _probe(voice: Voice) -> tuple[str | None, str | None]:
    """Why the voice's speaker and microphone devices cannot be used (None where they can), read once."""
    try:
        devices = list_devices()
    except AudioUnavailable as error:
        return str(error), str(error)
    sink, source = voice.sink, voice.source
    speaker = _missing("output", sink.device, devices) if isinstance(sink, DeviceSink) else None
    mic = _missing("input", source.device, devices) if isinstance(source, DeviceSource) else None
    return speaker, mic


async def speaker_missing(voice: Voice | None) -> str | None:
    """Why the session has nothing to play speech on (None when it has: a device or a file).

    A microphone device that cannot be used either is taken off the voice too, so the user reads one line
    about the missing sound, not one per device.
    """
    if voice is None or voice.sink is None:
        return "no speaker"
    if not isinstance(voice.sink, DeviceSink):
        return None
    speaker, mic = await asyncio.to_thread(_probe, voice)
    if speaker is not None:
        voice.sink = None
        if mic is not None:
            voice.source = None
    return speaker


def written(config: SessionConfig, *, hearing: bool) -> SessionConfig:
    """`config` asking for text replies: no voice, the user's speech transcribed only when a microphone
    is sent (`hearing`)."""
    return replace(config, modality="text", voice=None, transcription=config.transcription and hearing)


async def choose_replies(session: LiveSession, voice: Voice | None) -> str | None:
    """Before the session runs: ask for written replies if nothing can play speech and the model can
    write. Returns the notice to show (None when the replies are spoken as usual)."""
    if session.config.modality != "audio":
        return None
    missing = await speaker_missing(voice)
    if missing is None:
        return None
    if SPEAKS_ONLY in session.config.model:
        return f"{missing}: {SPOKEN}"
    hearing = voice is not None and voice.source is not None
    session.prefer(written(session.config, hearing=hearing), otherwise=REFUSED)
    return f"{missing}: {WRITTEN}"
