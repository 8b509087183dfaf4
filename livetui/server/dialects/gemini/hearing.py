"""What a ``realtimeInput`` message gives the ears: its audio blocks and activity signals, checked."""

from __future__ import annotations

from livetui.live.limits import LimitError, audio_rate
from livetui.providers.gemini.client import RealtimeInput
from livetui.providers.gemini.content import Blob
from livetui.server.core.listening import Listener
from livetui.server.core.senses.asr import RATE

PCM_TYPES = ("audio/pcm", "audio/l16", "audio/x-raw")
"""The audio MIME types the local server understands (others are ignored, with one warning)."""


def bad_audio(blobs: tuple[Blob | None, ...]) -> str | None:
    """Why the audio among `blobs` cannot be taken (a sample rate out of range), or None when it can."""
    for blob in blobs:
        if blob is not None and blob.mime_type.startswith("audio/"):
            try:
                audio_rate(blob.mime_type, RATE)
            except LimitError as error:
                return str(error)
    return None


def take(listener: Listener, realtime: RealtimeInput) -> None:
    """Queue what `realtime` carries for the ears: audio, activity, end of stream."""
    for blob in (realtime.audio, *(realtime.media_chunks or ())):
        if blob is not None and blob.data and blob.mime_type.startswith("audio/"):
            _audio(listener, blob)
    if realtime.activity_start is not None:
        listener.signal("start")
    if realtime.activity_end is not None:
        listener.signal("end")
    if realtime.audio_stream_end:
        listener.signal("stream_end")


def _audio(listener: Listener, blob: Blob) -> None:
    mime = blob.mime_type.split(";")[0].strip().lower()
    if mime not in PCM_TYPES:
        listener.warn_once(mime, f"ignored {mime} audio: the local server understands only audio/pcm")
        return
    try:
        rate = audio_rate(blob.mime_type, RATE)
    except LimitError:  # the connection refuses such frames (1007) before they get here
        return
    listener.audio(blob.data, rate)
