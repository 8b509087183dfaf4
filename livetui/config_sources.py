"""Where a setting's value came from, so an error can name it: a flag, an environment variable, or the
config file and its line.

Settings are read in order of precedence (flags, then the environment, then the file), so the first
source that has a value for a field is the one that gave it. The file's line is found by reading the
TOML text itself (the parser keeps no positions): a top-level ``name = ...``, or ``key = ...`` inside the
``[name]`` table for an entry of a table setting such as ``[keymap]``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from pathlib import Path

KEY_VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY", "LIVETUI_API_KEY")
"""The environment variables the API key is read from, as messages name them."""
KEY_PRECEDENCE = ("LIVETUI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY")
"""The same variables in the order they win when several are set."""

ENV_PREFIX = "LIVETUI_"
"""The prefix of every setting's environment variable."""

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"'-]+)\s*\]")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+)\s*=")


def flag_name(field: str) -> str:
    """The command-line flag of a setting (`camera_fps` → `--camera-fps`)."""
    return "--" + field.replace("_", "-")


def env_names(field: str) -> tuple[str, ...]:
    """The environment variables a setting is read from."""
    if field == "api_key":
        return KEY_PRECEDENCE
    return (ENV_PREFIX + field.upper(),)


def env_source(field: str) -> str | None:
    """The environment variable that sets `field`, if one does (names match in any case, as they are read)."""
    present = {name.upper() for name in os.environ}
    return next((name for name in env_names(field) if name in present), None)


def _bare(name: str) -> str:
    return name.strip().strip("\"'")


def file_line(path: Path, field: str, key: str | None = None) -> int | None:
    """The line (from 1) of the config file that sets `field` (or its entry `key`), if it can be found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    table: str | None = None
    for number, line in enumerate(lines, start=1):
        if header := _TABLE.match(line):
            table = _bare(header.group(1))
            if key is None and table == field:
                return number
            continue
        assign = _ASSIGN.match(line)
        if assign is None:
            continue
        name = ".".join(_bare(part) for part in assign.group(1).split("."))
        if table is None and name in (field, f"{field}.{key}"):
            return number
        if key is not None and table == field and name == key:
            return number
    return None


def blame(field: str, message: str, *, flags: Collection[str], config: Path, key: str | None = None) -> str:
    """One line for a wrong value: `message`, naming the flag, variable, or file and line that gave it.

    Args:
        field: the setting (`camera_fps`).
        message: what is wrong with its value.
        flags: the settings given as flags.
        config: the config file.
        key: the entry of a table setting (`interrupt` in `[keymap]`), when the error is about one entry.
    """
    entry = f"{key}: " if key is not None else ""
    if field in flags:
        return f"{flag_name(field)}: {entry}{message}"
    variable = env_source(field)
    if variable is not None:
        return f"{variable}: {entry}{message}"
    what = f"{field}.{key}" if key is not None else field
    line = file_line(config, field, key)
    where = f"config file {config}" + (f", line {line}" if line is not None else "")
    return f"{what}: {message} ({where})"
