"""Where sessions are recorded: one private directory per session under the user data directory."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path

from livetui.config import data_dir

SESSIONS = "sessions"
"""The folder of session directories inside the data directory."""
JOURNAL = "events.jsonl"
"""The journal's file name inside a session directory."""
FRAMES = "frames"
"""The folder of camera frames inside a session directory."""
PRIVATE_DIR = 0o700
"""Session directories are the user's alone."""
PRIVATE_FILE = 0o600
"""Journal, tracks, frames and exports are readable by the user only."""


class SessionNotFound(Exception):
    """No session matches what was asked for. The message is one line."""


def sessions_root(root: Path | None = None) -> Path:
    """The directory holding every session directory (`root` defaults to the user data directory)."""
    return (root if root is not None else data_dir()) / SESSIONS


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if needed, and make it private to the user."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def new_session_dir(root: Path | None = None, *, now: datetime | None = None) -> Path:
    """A new, empty, private session directory named by its start time: ``2026-11-21T14-03-22-1a2b3c``."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%dT%H-%M-%S")
    parent = private_dir(sessions_root(root))
    while True:
        path = parent / f"{stamp}-{secrets.token_hex(3)}"
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(path, PRIVATE_DIR)
        return path


def list_sessions(root: Path | None = None) -> list[Path]:
    """Every session directory that has a journal, oldest first."""
    parent = sessions_root(root)
    if not parent.is_dir():
        return []
    found = [path for path in parent.iterdir() if (path / JOURNAL).is_file()]
    return sorted(found, key=lambda path: (path.name[:19], (path / JOURNAL).stat().st_mtime))


def find_session(name: str | None, root: Path | None = None) -> Path:
    """The session directory `name` means: a path, a directory name under the sessions folder, or None for
    the latest session.

    Raises:
        SessionNotFound: nothing matches, or the directory holds no journal.
    """
    if name is None:
        sessions = list_sessions(root)
        if not sessions:
            raise SessionNotFound(f"no recorded sessions in {sessions_root(root)}")
        return sessions[-1]
    candidates = [Path(name).expanduser(), sessions_root(root) / name]
    for path in candidates:
        if path.is_dir():
            if not (path / JOURNAL).is_file():
                raise SessionNotFound(f"{path} holds no journal ({JOURNAL})")
            return path
    raise SessionNotFound(f"no session {name!r} (looked for a directory, and in {sessions_root(root)})")
