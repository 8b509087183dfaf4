"""Real PortAudio streams on virtual devices (ALSA's null plugin, a JACK dummy server), and no PortAudio.

Each runs in a subprocess: PortAudio enumerates devices once, when sounddevice is imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent

ASOUNDRC = """\
pcm.!default { type plug; slave.pcm "nullpcm" }
pcm.nullpcm { type null }
"""
"""ALSA devices that exist without a sound card: the default device and a null one."""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a Python module of the project in a fresh process with `env` added."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **env},
        check=False,
    )


def probe(env: dict[str, str]) -> dict[str, object]:
    """The device probe's report."""
    result = run(["-m", "tests.media.device_probe"], env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(report, dict)
    return report


@pytest.fixture
def alsa_null(tmp_path: Path) -> dict[str, str]:
    """An environment whose ALSA configuration (in a temporary HOME) has null devices."""
    (tmp_path / ".asoundrc").write_text(ASOUNDRC, encoding="utf-8")
    return {"HOME": str(tmp_path)}


@pytest.fixture
def jack_dummy() -> Iterator[dict[str, str]]:
    """A JACK server on the dummy driver (paced in real time at 48 kHz), private to this test."""
    if shutil.which("jackd") is None or shutil.which("jack_wait") is None:
        pytest.skip("the JACK dummy-server test needs jackd and jack_wait (apt-get install jackd2)")
    name = f"livetui-test-{uuid.uuid4().hex[:8]}"
    # No autostart: a client must find this server, never start one of its own.
    env = {"JACK_DEFAULT_SERVER": name, "JACK_NO_AUDIO_RESERVATION": "1", "JACK_NO_START_SERVER": "1"}
    server = subprocess.Popen(
        ["jackd", "--no-realtime", "-n", name, "-d", "dummy", "-r", "48000", "-p", "1024"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        ready = subprocess.run(
            ["jack_wait", "-s", name, "-w", "-t", "20"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if ready.returncode != 0 or "available" not in ready.stdout:
            server.kill()
            _, err = server.communicate(timeout=10)
            pytest.fail(f"the JACK dummy server did not start: {err.decode(errors='replace')[-300:]}")
        yield env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_livetui_devices_lists_alsa_null_devices(alsa_null: dict[str, str]) -> None:
    result = run(["-m", "livetui", "devices"], alsa_null)
    assert result.returncode == 0, result.stderr
    inputs, outputs = result.stdout.split("Output devices:")
    assert inputs.startswith("Input devices:")
    for section in (inputs, outputs):
        assert "nullpcm  (ALSA" in section and "default  (ALSA" in section
    assert any(line.startswith(" *") and "default" in line for line in inputs.splitlines())


def test_the_mic_and_speaker_stream_through_alsa_null(alsa_null: dict[str, str]) -> None:
    report = probe(alsa_null)
    assert report["mic_rate"] == 16000 and report["sink_rate"] == 24000
    assert report["block_sizes"] == [1280], "40 ms blocks of 16 kHz PCM16"
    assert report["played"] == 12000, "the whole tone was handed to the device"


def test_the_mic_and_speaker_stream_through_a_jack_dummy_server(jack_dummy: dict[str, str]) -> None:
    report = probe(jack_dummy)
    assert ["system", "JACK Audio Connection Kit", 2, 2] in report["devices"]  # type: ignore[operator]
    assert report["mic_rate"] == 48000 and report["sink_rate"] == 48000, "JACK runs at its own rate"
    assert report["block_sizes"] == [1280], "resampled to 40 ms blocks of 16 kHz"
    played = report["played"]
    assert isinstance(played, int) and abs(played - 24000) <= 64, "the 24 kHz tone played at 48 kHz"


@pytest.fixture
def no_portaudio(tmp_path: Path) -> dict[str, str]:
    """An environment where importing sounddevice fails as it does without the PortAudio library."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n', encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(shim), str(ROOT)])}


def test_without_portaudio_livetui_devices_says_so_in_one_line(no_portaudio: dict[str, str]) -> None:
    result = run(["-m", "livetui", "devices"], no_portaudio)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "livetui devices: no audio devices: the PortAudio library is not installed "
        "(on Debian/Ubuntu: libportaudio2)\n"
    )


def test_without_portaudio_a_voice_gives_one_notice_and_goes_on(no_portaudio: dict[str, str]) -> None:
    result = run(["-m", "tests.media.voice_probe"], no_portaudio)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["notices"] == [
        "no audio devices: the PortAudio library is not installed (on Debian/Ubuntu: libportaudio2); "
        "text still works"
    ]
    assert report["state"] == {"mic": "", "speaker": ""}
