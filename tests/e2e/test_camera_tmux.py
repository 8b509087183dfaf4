"""End to end: `livetui --camera-file photo.png` in tmux shows the preview and answers what it sees."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest

from tests.conftest import Dialect, both_dialects
from tests.frames import qr_frame
from tests.terminal import Terminal, livetui_command, local_flags

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]


@pytest.fixture
def camera_terminal(tmp_path: Path, dialect: Dialect) -> Iterator[Terminal]:
    """livetui in tmux on its local server in `dialect`, showing a photo with a QR code (streamed, or
    sent with each turn), the scripted brain saying what it sees."""
    photo = tmp_path / "photo.png"
    cv2.imwrite(str(photo), qr_frame("hello from the terminal"))
    script = tmp_path / "script.json"
    script.write_text('{"rules": [{"match": "see", "reply": "Seen: {scene}"}]}', encoding="utf-8")
    env = {
        "LIVETUI_CONFIG": str(tmp_path / "none.toml"),
        "LIVETUI_DATA_DIR": str(tmp_path / "data"),
        "LIVETUI_TEXT_ONLY": "true",
    }
    term = Terminal("camera", tmp_path)
    args = [
        livetui_command(),
        *local_flags(dialect),
        "--brain",
        "scripted",
        "--script",
        str(script),
        "--camera-file",
        str(photo),
    ]
    term.start(args, env)
    try:
        yield term
    finally:
        term.close()


@both_dialects
def test_the_camera_file_is_previewed_and_described(camera_terminal: Terminal) -> None:
    terminal = camera_terminal
    terminal.wait_for("● live")
    # Any frame: at one a second, the first may be gone before a loaded machine captures the screen.
    screen = terminal.wait_for(" · 640×480")
    assert re.search(r"frame \d+ · 640×480", screen), screen
    assert "camera · photo.png" in screen and "cam 1 fps" in screen
    assert screen.count("▀") > 100, "the preview draws the frame with half blocks"
    terminal.keys("what do you see?")
    terminal.wait_for("what do you see?")
    terminal.keys("Enter")
    screen = terminal.wait_for("hello from the terminal")
    assert "Seen: I see no faces; the picture is bright and mostly blue." in screen.replace("\n ▌ ", " ")
    terminal.keys("F6")
    terminal.wait_for("cam off")
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
    assert "Traceback" not in terminal.screen()
