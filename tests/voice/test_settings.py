"""Audio settings: the setup they produce, the devices they pick, and the command line's checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from livetui.cli import build_parser
from livetui.config import AudioSettings, Settings
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.sink import WavSink
from livetui.media.audio.source import FileSource
from livetui.media.audio.speaker import DeviceSink
from livetui.providers.gemini.client import SetupMessage
from livetui.providers.gemini.codec import encode
from livetui.providers.gemini.setup import gemini_setup
from livetui.session.audio_io import echo_for, sink_for, source_for
from livetui.session.setup import build_config


@pytest.fixture(autouse=True)
def no_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings read no user config file."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))


def test_a_session_is_spoken_with_both_transcriptions_by_default() -> None:
    wire = encode(SetupMessage(setup=gemini_setup(build_config(Settings()))))
    assert '"responseModalities":["AUDIO"]' in wire
    assert '"inputAudioTranscription":{}' in wire and '"outputAudioTranscription":{}' in wire
    assert "realtimeInputConfig" not in wire, "automatic activity detection is the server's default"


def test_text_only_asks_for_text_and_no_transcription() -> None:
    setup = gemini_setup(build_config(Settings(text_only=True)))
    assert setup.modality == "TEXT"
    assert setup.input_audio_transcription is None and setup.output_audio_transcription is None


def test_push_to_talk_turns_the_servers_activity_detection_off() -> None:
    setup = gemini_setup(build_config(Settings(audio=AudioSettings(push_to_talk=True))))
    assert setup.manual_activity
    assert '"automaticActivityDetection":{"disabled":true}' in encode(SetupMessage(setup=setup))


def test_the_settings_pick_the_microphone_and_the_speaker(tmp_path: Path) -> None:
    mic, out = tmp_path / "in.wav", tmp_path / "out.wav"
    defaults = Settings()
    assert isinstance(source_for(defaults), DeviceSource) and isinstance(sink_for(defaults), DeviceSink)
    files = Settings(audio=AudioSettings(mic_file=mic, mic_loop=True, speaker_file=out))
    source, sink = source_for(files), sink_for(files)
    assert isinstance(source, FileSource) and source.path == mic and source.loop
    assert isinstance(sink, WavSink) and sink.path == out
    named = Settings(audio=AudioSettings(input_device="USB", output_device="3"))
    source, sink = source_for(named), sink_for(named)
    assert isinstance(source, DeviceSource) and source.device == "USB"
    assert isinstance(sink, DeviceSink) and sink.device == "3"
    text = Settings(text_only=True)
    assert source_for(text) is None and sink_for(text) is None
    assert isinstance(source_for(Settings(text_only=True, audio=AudioSettings(mic_file=mic))), FileSource), (
        "named explicitly"
    )


def test_the_help_documents_the_audio_flags() -> None:
    text = build_parser().format_help()
    for flag in ("--text-only", "--push-to-talk", "--half-duplex", "--input-device", "--output-device"):
        assert flag in text
    for flag in ("--mic-file", "--mic-loop", "--speaker-file", "--grammar", "livetui devices"):
        assert flag in text


@pytest.mark.parametrize(("flag", "what"), [("--mic-file", "microphone file"), ("--grammar", "grammar file")])
def test_a_missing_audio_file_is_refused_in_one_line(tmp_path: Path, flag: str, what: str) -> None:
    missing = tmp_path / "missing"
    result = subprocess.run(
        [sys.executable, "-m", "livetui", flag, str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LIVETUI_CONFIG": str(tmp_path / "none.toml")},
        check=False,
    )
    assert result.returncode == 2 and result.stderr == f"livetui: {what} not found: {missing}\n"


@pytest.mark.parametrize(
    ("audio", "cancel", "noise"),
    [
        ({}, True, False),  # a microphone and a speaker, both devices: auto cancels the echo
        ({"half_duplex": True}, None, None),  # half-duplex asked for: it already keeps the echo out
        ({"echo_cancel": "off"}, None, None),
        ({"echo_cancel": "off", "noise_suppression": True}, False, True),
        ({"mic_file": "in.wav"}, None, None),  # a file is no microphone in a room
        ({"mic_file": "in.wav", "echo_cancel": "on"}, True, False),  # unless asked
        ({"speaker_file": "out.wav", "noise_suppression": True}, False, True),
    ],
)
def test_echo_cancellation_runs_where_the_settings_say(
    tmp_path: Path, audio: dict[str, object], cancel: bool | None, noise: bool | None
) -> None:
    given = {k: tmp_path / str(v) if k.endswith("_file") else v for k, v in audio.items()}
    settings = Settings(audio=AudioSettings.model_validate(given))
    echo = echo_for(settings, source_for(settings), sink_for(settings))
    if cancel is None:
        assert echo is None
    else:
        assert echo is not None and (echo.echo_cancellation, echo.noise_suppression) == (cancel, noise)
    assert echo_for(Settings(text_only=True), None, None) is None, "no microphone, nothing to clean"


def test_the_help_documents_the_echo_flags() -> None:
    text = " ".join(build_parser().format_help().split())
    assert "--echo-cancel {auto,on,off}" in text and "--noise-suppression" in text
    assert "Cancel the speaker's echo in the microphone" in text
