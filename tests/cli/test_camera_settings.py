"""Camera settings: flags, their checks, and the setup they make (context-window compression)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from livetui.config import ConfigError, Settings, load_settings
from livetui.providers.gemini.client import SetupMessage
from livetui.providers.gemini.codec import encode
from livetui.providers.gemini.setup import gemini_setup
from livetui.session.setup import build_config


@pytest.fixture(autouse=True)
def no_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings come only from what each test passes (and the defaults)."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    for name in list(os.environ):
        if name.startswith("LIVETUI_CAMERA") or name == "LIVETUI_CONTEXT_COMPRESSION":
            monkeypatch.delenv(name)


def setup_json(settings: Settings) -> dict[str, object]:
    """The `setup` message these settings open a session with, as it goes on the wire."""
    data = json.loads(encode(SetupMessage(setup=gemini_setup(build_config(settings)))))
    assert isinstance(data, dict)
    setup = data["setup"]
    assert isinstance(setup, dict)
    return setup


@pytest.mark.parametrize(
    ("settings", "compressed"),
    [
        ({}, False),
        ({"camera": "test"}, True),
        ({"camera_file": Path("photo.jpg")}, True),
        ({"camera": "0", "context_compression": False}, False),
        ({"context_compression": True}, True),
    ],
)
def test_video_turns_context_window_compression_on_by_default(
    settings: dict[str, object], compressed: bool
) -> None:
    setup = setup_json(load_settings(**settings))
    if compressed:
        assert setup["contextWindowCompression"] == {"slidingWindow": {}}
    else:
        assert "contextWindowCompression" not in setup


def test_camera_settings_have_defaults_and_limits() -> None:
    settings = load_settings()
    assert (settings.camera_fps, settings.camera_size, settings.camera_quality) == (1.0, 768, 80)
    assert not settings.video
    with pytest.raises(ConfigError, match="^--camera-quality: "):
        load_settings(camera_quality=101)
    with pytest.raises(ConfigError, match="^--camera-fps: "):
        load_settings(camera_fps=0)


def test_the_environment_sets_the_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_CAMERA", "test")
    monkeypatch.setenv("LIVETUI_CAMERA_FPS", "0.5")
    settings = load_settings()
    assert (settings.camera, settings.camera_fps, settings.video) == ("test", 0.5, True)


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m livetui ARGS` with no config file."""
    env = {**os.environ, "LIVETUI_CONFIG": str(tmp_path / "none.toml")}
    return subprocess.run(
        [sys.executable, "-m", "livetui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_a_missing_camera_file_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run("--camera-file", str(tmp_path / "nope.jpg"), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"livetui: camera file not found: {tmp_path / 'nope.jpg'}\n"


def test_a_camera_and_a_camera_file_are_refused_together(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"")
    result = run("--camera", "0", "--camera-file", str(photo), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "livetui: give either --camera or --camera-file, not both\n"


def test_a_bad_camera_flag_value_is_one_line(tmp_path: Path) -> None:
    result = run("--camera-quality", "0", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("livetui: --camera-quality: Input should be greater than or equal to 1")
    assert result.stderr.count("\n") == 1
