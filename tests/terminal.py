"""A real terminal for end-to-end tests: the installed `livetui` in a tmux session on a private server.

The screen of another process cannot be awaited, so `wait_for` polls `capture-pane` until the text appears,
with a deadline. The command runs under a shell that writes its exit status to a file: tmux itself does not
always reap an exited pane promptly on a loaded machine, so its "Pane is dead" line cannot be relied on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.conftest import Dialect


def livetui_command() -> str:
    """The installed console script (beside this Python in a virtual environment, or on PATH)."""
    beside = Path(sys.executable).parent / "livetui"
    found = str(beside) if beside.exists() else shutil.which("livetui")
    assert found, "the livetui command is not installed"
    return found


def local_flags(dialect: Dialect = "gemini") -> list[str]:
    """The flags that have `livetui` talk to its embedded local server in `dialect`."""
    return ["--provider", "local", "--dialect", dialect]


class Terminal:
    """One tmux session (`e2e`) on a private tmux server, 140×45."""

    def __init__(self, name: str, folder: Path) -> None:
        self.socket = f"livetui-{name}-{uuid.uuid4().hex[:8]}"
        """The private tmux server's socket name."""
        self.status_file = folder / f"{self.socket}.status"
        """Where the shell writes the command's exit status when it ends."""

    def tmux(self, *args: str, check: bool = True) -> str:
        """Run a tmux command on this server; its output.

        COLUMNS and LINES are left out of tmux's environment: test runners set them (pytest-xdist's workers
        have 80x24), and the app would lay itself out for that size instead of the terminal's.
        """
        argv = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        return subprocess.run(argv, capture_output=True, text=True, check=check, env=env).stdout

    def start(self, args: Sequence[str], env: Mapping[str, str]) -> None:
        """Run `args` with `env` added; the pane stays on screen after it ends (to read a last message)."""
        settings = [f"{key}={value}" for key, value in {"TERM": "xterm-256color", **env}.items()]
        command = shlex.join(["env", *settings, *args])
        # tmux may size the window just after starting the shell: start the app only once the terminal
        # has its final size (at most 5 s), so the app does not lay itself out for 80x24.
        settle = 'for i in $(seq 100); do [ "$(stty size)" = "45 140" ] && break; sleep 0.05; done'
        shell = f"{settle}; {command}; echo $? > {shlex.quote(str(self.status_file))}"
        # One invocation, so the pane stays on screen after the command ends, however soon that is.
        self.tmux("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                  "new-session", "-d", "-s", "e2e", "-x", "140", "-y", "45", shell)  # fmt: skip

    def screen(self) -> str:
        """What the terminal shows now."""
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        """Type keys (tmux key names, or text)."""
        self.tmux("send-keys", "-t", "e2e", *keys)

    def paste(self, text: str) -> None:
        """Paste `text` as a terminal does: bracketed (tmux ``paste-buffer -p``), line breaks as CR."""
        self.tmux("set-buffer", "-b", "e2e-paste", "--", text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "e2e")

    def type_line(self, text: str) -> None:
        """Type `text`, wait until it shows in the message box, then press Enter."""
        self.keys(text)
        self.wait_for(text)
        self.keys("Enter")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Poll the screen until `text` is on it; the screen."""
        deadline = time.monotonic() + timeout
        while text not in (screen := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear on screen:\n{screen}")
            time.sleep(0.1)
        return screen

    def exit_status(self, timeout: float = 30.0) -> int:
        """Wait for the command to end; its exit status (128 + N after signal N)."""
        deadline = time.monotonic() + timeout
        while not (self.status_file.exists() and self.status_file.read_text().strip()):
            if time.monotonic() > deadline:
                raise AssertionError(f"livetui did not end within {timeout:g} s:\n{self.screen()}")
            time.sleep(0.1)
        return int(self.status_file.read_text())

    def close(self) -> None:
        """Stop the tmux server and everything in it."""
        self.tmux("kill-server", check=False)
