"""Where a setting's value came from, so an error can name it (a flag, an environment variable, or the
config file and its line), and how the spellings of before the sections still read.

Settings are read in order of precedence (flags, then the environment, then the file), so the first
source that has a value for a setting is the one that gave it. A setting is named by its path: ``provider``
at the top level, ``camera.fps`` in the ``[camera]`` section. The file's line is found by reading the TOML
text itself (the parser keeps no positions): ``fps = ...`` inside ``[camera]``, a dotted ``camera.fps =
...``, the old top-level ``camera_fps = ...``, or ``key = ...`` inside ``[keymap]`` for one entry of it.

The old top-level spellings (``camera_fps`` in the file, ``LIVETUI_CAMERA_FPS`` in the environment) keep
working: each source is translated to the sections as it is read, and each old spelling found gives one
deprecation line naming the new one.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "LIVETUI_"
"""The prefix of every setting's environment variable."""
NESTED = "__"
"""What joins a section and a setting in a variable's name (`LIVETUI_CAMERA__FPS`)."""

LEGACY: dict[str, str] = {
    "api_key": "gemini.api_key",
    "model": "gemini.model",
    "text_route": "gemini.text_route",
    "context_compression": "gemini.context_compression",
    "brain": "local.brain",
    "script": "local.script",
    "grammar": "local.grammar",
    "push_to_talk": "audio.push_to_talk",
    "half_duplex": "audio.half_duplex",
    "input_device": "audio.input_device",
    "output_device": "audio.output_device",
    "mic_file": "audio.mic_file",
    "mic_loop": "audio.mic_loop",
    "speaker_file": "audio.speaker_file",
    "camera": "camera.device",
    "camera_file": "camera.file",
    "camera_fps": "camera.fps",
    "camera_size": "camera.size",
    "camera_quality": "camera.quality",
}
"""The old top-level settings and where each now lives. (`camera` is the old name only when its value is
not a table: the `[camera]` section has the same name.)"""
LEGACY_OF = {path: old for old, path in LEGACY.items()}
"""The old top-level name of each setting that moved."""

PLAIN_KEY_VARIABLES: dict[str, tuple[str, ...]] = {
    "gemini.api_key": ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
    "openai.api_key": ("OPENAI_API_KEY",),
    "vertex.project": ("GOOGLE_CLOUD_PROJECT",),
    "vertex.location": ("GOOGLE_CLOUD_LOCATION",),
    "vertex.access_token": ("GOOGLE_CLOUD_ACCESS_TOKEN",),
}
"""The providers' own variables for their keys (and Google Cloud's project and location), read after
livetui's."""
TABLES = frozenset(("keymap", "gemini.transcription", "gemini.setup_extra"))
"""Settings that are tables of entries; their variable takes JSON."""

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"'-]+)\s*\]")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+)\s*=")


def env_name(path: str) -> str:
    """The variable of a setting as it is spelled now (`camera.fps` → `LIVETUI_CAMERA__FPS`)."""
    return ENV_PREFIX + path.upper().replace(".", NESTED)


def env_names(path: str) -> tuple[str, ...]:
    """The environment variables a setting is read from, the winner first: livetui's, its old spelling,
    then the provider's own (`GEMINI_API_KEY`)."""
    old = (ENV_PREFIX + LEGACY_OF[path].upper(),) if path in LEGACY_OF else ()
    return (env_name(path), *old, *PLAIN_KEY_VARIABLES.get(path, ()))


def key_variables(section: str) -> tuple[str, ...]:
    """The variables a provider's key is read from, as messages name them (the provider's own first)."""
    path = f"{section}.api_key"
    return (*PLAIN_KEY_VARIABLES.get(path, ()), env_name(path))


def _present(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment by upper-case name (names match in any case, as on Windows)."""
    return {name.upper(): value for name, value in environ.items()}


def env_source(path: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The environment variable that sets `path`, if one does."""
    present = _present(os.environ if environ is None else environ)
    return next((name for name in env_names(path) if name in present), None)


class UnparsableVariable(ValueError):
    """A table setting's variable is not a JSON object. The message is one line."""


def _put(tree: dict[str, Any], path: str, value: object) -> None:
    """Set `value` at the dotted `path` of `tree`, making the sections on the way."""
    *sections, leaf = path.split(".")
    for section in sections:
        tree = tree.setdefault(section, {})
    tree[leaf] = value


def read_environment(paths: Iterable[str], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings the environment gives, in sections: for each of `paths`, the first of its variables
    that is set (a table setting's value is JSON).

    Raises:
        UnparsableVariable: a table setting's variable is not a JSON object.
    """
    present = _present(os.environ if environ is None else environ)
    tree: dict[str, Any] = {}
    for path in paths:
        name = next((name for name in env_names(path) if name in present), None)
        if name is None:
            continue
        value: object = present[name]
        if path in TABLES:
            try:
                value = json.loads(present[name])
            except ValueError:
                value = None
            if not isinstance(value, dict):
                raise UnparsableVariable(
                    f'{name}: cannot parse the value (a table setting takes JSON, e.g. {{"key": "value"}})'
                )
        _put(tree, path, value)
    return tree


def _is_old(name: str, value: object) -> bool:
    """True for a top-level entry spelled as before the sections."""
    return name in LEGACY and not (name == "camera" and isinstance(value, dict))


def translate(data: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level settings with the old flat names moved into their sections (the new spelling wins when
    both are given)."""
    tree: dict[str, Any] = {}
    for name, value in data.items():
        if _is_old(name, value):
            continue
        tree[name] = dict(value) if isinstance(value, dict) else value
    for name, value in data.items():
        if _is_old(name, value):
            *sections, leaf = LEGACY[name].split(".")
            section = tree.setdefault(sections[0], {})
            if isinstance(section, dict):
                section.setdefault(leaf, value)
    return tree


def section_spelling(path: str) -> str:
    """How the config file spells a setting now (`fps under [camera]`)."""
    section, _, leaf = path.rpartition(".")
    return f"{leaf} under [{section}]" if section else path


def deprecations(config: Path, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """One line for each old spelling in use, in the environment or the config file, naming the new one."""
    present = _present(os.environ if environ is None else environ)
    lines = [
        f"{ENV_PREFIX}{old.upper()} is deprecated: use {env_name(path)}"
        for old, path in LEGACY.items()
        if ENV_PREFIX + old.upper() in present
    ]
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        data = {}
    for name, value in data.items():
        if _is_old(name, value):
            line = file_line(config, LEGACY[name])
            where = f"config file {config}" + (f", line {line}" if line is not None else "")
            new = section_spelling(LEGACY[name])
            lines.append(f"{name} ({where}) is deprecated: write it as {new}")
    return tuple(lines)


def _bare(name: str) -> str:
    return name.strip().strip("\"'")


def file_line(path: Path, field: str, key: str | None = None) -> int | None:
    """The line (from 1) of the config file that sets the setting `field` (a path such as `camera.fps`, or
    its entry `key`), if it can be found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    target = f"{field}.{key}" if key is not None else field
    spellings = {target, LEGACY_OF.get(field, target)}
    table: str | None = None
    for number, line in enumerate(lines, start=1):
        if header := _TABLE.match(line):
            table = _bare(header.group(1))
            if table == target:
                return number
            continue
        assign = _ASSIGN.match(line)
        if assign is None:
            continue
        name = ".".join(_bare(part) for part in assign.group(1).split("."))
        full = f"{table}.{name}" if table is not None else name
        if full in spellings:
            return number
    return None


def blame(
    field: str,
    message: str,
    *,
    flags: Mapping[str, str] | Collection[str],
    config: Path,
    key: str | None = None,
) -> str:
    """One line for a wrong value: `message`, naming the flag, variable, or file and line that gave it.

    Args:
        field: the setting's path (`camera.fps`, `provider`).
        message: what is wrong with its value.
        flags: the settings given as flags (their paths), mapped to how each flag is spelled.
        config: the config file.
        key: the entry of a table setting (`interrupt` in `[keymap]`), when the error is about one entry.
    """
    entry = f"{key}: " if key is not None else ""
    if field in flags:
        spelling = flags[field] if isinstance(flags, Mapping) else "--" + field.replace("_", "-")
        return f"{spelling}: {entry}{message}"
    variable = env_source(field)
    if variable is not None:
        return f"{variable}: {entry}{message}"
    what = f"{field}.{key}" if key is not None else field
    line = file_line(config, field, key)
    where = f"config file {config}" + (f", line {line}" if line is not None else "")
    return f"{what}: {message} ({where})"
