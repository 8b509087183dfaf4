"""Which microphone and speaker a session uses, as the settings say.

- microphone: ``--mic-file`` (a WAV or raw file played in real time, ``--mic-loop`` to repeat), else the
  device ``--input-device`` names, else the default input;
- speaker: ``--speaker-file`` (a WAV written in real time), else the device ``--output-device`` names,
  else the default output;
- ``--text-only``: no speaker, and no microphone unless one is named explicitly;
- echo cancellation (``--echo-cancel``): ``auto`` runs it when both the microphone and the speaker are
  devices (not files) and the session is not half-duplex, ``on`` whenever there are both, ``off`` never;
  noise suppression runs through the same processing when asked for.
"""

from __future__ import annotations

from livetui.config import Settings
from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.pcm import MIC_RATE
from livetui.media.audio.sink import AudioSink, WavSink
from livetui.media.audio.source import AudioSource, FileSource
from livetui.media.audio.speaker import DeviceSink
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice, VoiceFactory


def source_for(settings: Settings, *, rate: int = MIC_RATE) -> AudioSource | None:
    """The microphone the settings ask for (None: none), handing out blocks at `rate` (the provider's
    `Capabilities.audio_in_rate`)."""
    if settings.audio.mic_file is not None:
        return FileSource(settings.audio.mic_file, loop=settings.audio.mic_loop, rate=rate)
    if settings.text_only and settings.audio.input_device is None:
        return None
    return DeviceSource(settings.audio.input_device, rate=rate)


def sink_for(settings: Settings) -> AudioSink | None:
    """Where the settings ask speech to go (None: nowhere, in a text-only session)."""
    if settings.text_only:
        return None
    if settings.audio.speaker_file is not None:
        return WavSink(settings.audio.speaker_file)
    return DeviceSink(settings.audio.output_device)


def echo_for(settings: Settings, source: AudioSource | None, sink: AudioSink | None) -> EchoCanceller | None:
    """The microphone's processing the settings ask for (None: the microphone is sent as captured)."""
    audio = settings.audio
    if source is None:
        return None
    if sink is None or audio.echo_cancel == "off":
        cancel = False
    elif audio.echo_cancel == "auto":
        devices = isinstance(source, DeviceSource) and isinstance(sink, DeviceSink)
        cancel = devices and not audio.half_duplex
    else:
        cancel = True
    if not cancel and not audio.noise_suppression:
        return None
    return EchoCanceller(echo_cancellation=cancel, noise_suppression=audio.noise_suppression)


def voice_for(settings: Settings) -> VoiceFactory:
    """Makes each session's `Voice` from the settings (None when it has neither microphone nor speaker);
    the microphone is sent at the rate the session's provider takes (`Capabilities.audio_in_rate`)."""

    def make(session: LiveSession) -> Voice | None:
        rate = session.provider.capabilities.audio_in_rate
        source, sink = source_for(settings, rate=rate), sink_for(settings)
        if source is None and sink is None:
            return None
        return Voice(
            session,
            source=source,
            sink=sink,
            push_to_talk=settings.audio.push_to_talk,
            half_duplex=settings.audio.half_duplex,
            echo=echo_for(settings, source, sink),
        )

    return make
