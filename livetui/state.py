"""What the app remembers between runs (the theme), in `state.json` in the user state directory.

The file is the app's, not the user's: the config file is never written. A state file that cannot be
read or parsed counts as empty, and a write goes to a temporary file first, so a crash never leaves
half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from livetui.config import state_dir

STATE_FILE = "state.json"
"""The state file's name in the state directory."""


def state_file() -> Path:
    """The state file."""
    return state_dir() / STATE_FILE


def load_state() -> dict[str, Any]:
    """Everything remembered (empty when there is no state file, or it is unreadable)."""
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme() -> str | None:
    """The theme chosen last, if any."""
    theme = load_state().get("theme")
    return theme if isinstance(theme, str) else None


def remember(**values: Any) -> None:
    """Add `values` to the state file (written whole, readable by the user only).

    Raises:
        OSError: the state directory or file cannot be written.
    """
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**load_state(), **values}
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        temporary.chmod(0o600)
        temporary.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
