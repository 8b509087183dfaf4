"""The app's flags, made from one table: each row names a setting (its section and name), how the flag
is spelled, and where its help goes; the help itself, the choices and the kind of value come from the
setting's own declaration and docstring in `livetui.config`.

Those are read from the source of `config.py` (its syntax tree), not by importing it, so `livetui --help`
does not load pydantic. Secrets and tables have no flag (`CONFIG_ONLY`): a key on a command line is visible
to every user of the machine.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_SOURCE = Path(__file__).with_name("config.py")
"""Where the settings are declared."""

PROVIDER_MODEL = "model"
"""The path `--model` sets: the model of the provider the session talks to (`[gemini]`, `[vertex]` or
`[openai]`)."""


@dataclass(frozen=True)
class Flag:
    """One row of the table: a setting and its flag."""

    path: str
    """The setting: `provider` at the top level, `camera.fps` in a section."""
    spelling: str
    """The flag as typed (`--camera-fps`; `--no-record` for a setting that is on by default)."""
    metavar: str | None = None
    """How the help names the value (`FPS`), when it takes one."""
    group: str | None = None
    """The heading the help lists it under (none: the main list)."""

    @property
    def name(self) -> str:
        """The flag's name without dashes (`camera_fps`), as `load_settings` takes it."""
        return self.spelling.removeprefix("--no-").removeprefix("--").replace("-", "_")


FLAGS: tuple[Flag, ...] = (
    Flag("provider", "--provider"),
    Flag(PROVIDER_MODEL, "--model"),
    Flag("system_prompt", "--system-prompt", "TEXT"),
    Flag("voice", "--voice"),
    Flag("record", "--no-record"),
    Flag("gemini.text_route", "--text-route", group="gemini"),
    Flag("gemini.thinking", "--thinking", "LEVEL", group="gemini"),
    Flag("gemini.thinking_budget", "--thinking-budget", "TOKENS", group="gemini"),
    Flag("gemini.include_thoughts", "--include-thoughts", group="gemini"),
    Flag("gemini.explicit_vad_signal", "--explicit-vad-signal", group="gemini"),
    Flag("gemini.proactive_audio", "--proactive-audio", group="gemini"),
    Flag("vertex.project", "--project", "PROJECT", group="vertex"),
    Flag("vertex.location", "--location", "REGION", group="vertex"),
    Flag("openai.base_url", "--base-url", "URL", group="openai"),
    Flag("openai.azure_deployment", "--azure-deployment", "NAME", group="openai"),
    Flag("openai.api_version", "--api-version", "VERSION", group="openai"),
    Flag("openai.turn_detection", "--turn-detection", group="openai"),
    Flag("local.brain", "--brain", group="local server"),
    Flag("local.script", "--script", "FILE", group="local server"),
    Flag("local.dialect", "--dialect", group="local server"),
    Flag("local.grammar", "--grammar", "FILE", group="local server"),
    Flag("local.brain_url", "--brain-url", "URL", group="local server"),
    Flag("local.brain_model", "--brain-model", "NAME", group="local server"),
    Flag("local.brain_key_env", "--brain-key-env", "VAR", group="local server"),
    Flag("tools", "--tools", "FILE", group="tools"),
    Flag("tool_mode", "--tool-mode", group="tools"),
    Flag("tool_timeout", "--tool-timeout", "SECONDS", group="tools"),
    Flag("camera.device", "--camera", "N|PATH|test", group="camera"),
    Flag("camera.file", "--camera-file", "PATH", group="camera"),
    Flag("camera.fps", "--camera-fps", "FPS", group="camera"),
    Flag("camera.size", "--camera-size", "PIXELS", group="camera"),
    Flag("camera.quality", "--camera-quality", "Q", group="camera"),
    Flag("gemini.context_compression", "--context-compression", group="camera"),
    Flag("text_only", "--text-only", group="audio"),
    Flag("audio.push_to_talk", "--push-to-talk", group="audio"),
    Flag("audio.half_duplex", "--half-duplex", group="audio"),
    Flag("audio.input_device", "--input-device", "DEV", group="audio"),
    Flag("audio.output_device", "--output-device", "DEV", group="audio"),
    Flag("audio.mic_file", "--mic-file", "PATH", group="audio"),
    Flag("audio.mic_loop", "--mic-loop", group="audio"),
    Flag("audio.speaker_file", "--speaker-file", "PATH", group="audio"),
    Flag("audio.echo_cancel", "--echo-cancel", group="audio"),
    Flag("audio.noise_suppression", "--noise-suppression", group="audio"),
)
"""Every flag of the app that sets a setting."""
BY_NAME: dict[str, Flag] = {flag.name: flag for flag in FLAGS}
"""The flags by name (`camera_fps`)."""

CONFIG_ONLY = frozenset(
    (
        "gemini.api_key",
        "openai.api_key",
        "vertex.api_key",
        "vertex.access_token",
        "url_key",
        "keymap",
        "prices",
        "gemini.transcription",
        "gemini.setup_extra",
    )
)
"""Settings with no flag, on purpose: the keys (secrets stay off command lines) and the tables (the keymap,
the price table, Gemini's transcription options and extra setup fields)."""


@dataclass(frozen=True)
class Declared:
    """What the settings' source says of one setting."""

    annotation: str
    """Its type, as written (`float`, `bool | None`, `Literal["a", "b"]`)."""
    default: object
    """Its default, when it is a literal (None otherwise)."""
    doc: str
    """Its docstring, on one line."""
    choices: tuple[str, ...] = ()
    """The values of a `Literal` type."""


def _literal(node: ast.expr | None) -> object:
    """The value of a literal expression, or the `default=` of a `Field(...)` call; None otherwise."""
    if isinstance(node, ast.Call):
        node = next((kw.value for kw in node.keywords if kw.arg == "default"), None)
    try:
        return ast.literal_eval(node) if node is not None else None
    except ValueError:
        return None


def _choices(node: ast.expr) -> tuple[str, ...]:
    """The values of `Literal[...]`."""
    if not (isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Literal"):
        return ()
    values = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return tuple(str(ast.literal_eval(value)) for value in values)


def _fields(body: list[ast.stmt]) -> Iterator[tuple[str, ast.AnnAssign, str]]:
    """Each annotated attribute of a class body with its docstring (the string right after it)."""
    for statement, following in zip(body, [*body[1:], None], strict=True):
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        if statement.target.id.startswith("_"):  # private state, not a setting
            continue
        doc = ""
        if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
            doc = " ".join(str(following.value.value).split())
        yield statement.target.id, statement, doc


def declared(source: str | None = None) -> dict[str, Declared]:
    """Every setting the source of `config.py` declares, by path: the fields of `Settings`, and the fields
    of each section class that a field of `Settings` is typed with."""
    tree = ast.parse(CONFIG_SOURCE.read_text(encoding="utf-8") if source is None else source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    found: dict[str, Declared] = {}
    for name, field, doc in _fields(classes["Settings"].body):
        section = classes.get(ast.unparse(field.annotation))
        if section is None:
            annotation = ast.unparse(field.annotation)
            found[name] = Declared(annotation, _literal(field.value), doc, _choices(field.annotation))
            continue
        for leaf, inner, leaf_doc in _fields(section.body):
            annotation = ast.unparse(inner.annotation)
            found[f"{name}.{leaf}"] = Declared(
                annotation, _literal(inner.value), leaf_doc, _choices(inner.annotation)
            )
    return found


def _help(flag: Flag, fields: Mapping[str, Declared]) -> str:
    """The help line: the docstring without its markup, and the default when there is one to say."""
    if flag.path == PROVIDER_MODEL:
        gemini, vertex, openai = fields["gemini.model"], fields["vertex.model"], fields["openai.model"]
        return (
            f"the model of the provider in use (default {gemini.default} for Gemini, {openai.default} for "
            f"OpenAI, {vertex.default} on Vertex AI; [gemini], [openai] and [vertex] model in the config "
            "file)"
        )
    field = fields[flag.path]
    text = field.doc.replace("`", "").replace("%", "%%")
    if flag.spelling.startswith("--no-"):
        return f"turn off (it is on by default): {text}"
    default = field.default
    if default is None or isinstance(default, bool) or default == "":
        return text
    shown = f"{default:g}" if isinstance(default, float) else str(default)
    return f"{text.removesuffix('.')} (default {shown})."


def _options(flag: Flag, field: Declared | None) -> dict[str, Any]:
    """How argparse reads the flag's value, from the setting's type."""
    if field is None:  # --model: a string
        return {}
    if flag.spelling.startswith("--no-"):
        return {"action": "store_false", "default": None}
    if field.annotation == "bool":
        return {"action": "store_true", "default": None}
    if field.annotation == "bool | None":
        return {"action": argparse.BooleanOptionalAction, "default": None}
    options: dict[str, Any] = {"choices": field.choices} if field.choices else {}
    kind = field.annotation.removesuffix(" | None")
    if kind in ("float", "int"):
        options["type"] = float if kind == "float" else int
    return options


def add_flags(parser: argparse.ArgumentParser, fields: Mapping[str, Declared] | None = None) -> None:
    """Add every flag of the table to `parser`, under its group's heading."""
    fields = declared() if fields is None else fields
    groups: dict[str | None, Any] = {None: parser}
    for flag in FLAGS:
        if flag.group not in groups:
            groups[flag.group] = parser.add_argument_group(flag.group)
        options = _options(flag, fields.get(flag.path))
        if flag.metavar is not None:
            options["metavar"] = flag.metavar
        groups[flag.group].add_argument(flag.spelling, dest=flag.name, help=_help(flag, fields), **options)


def flag_values(options: argparse.Namespace) -> dict[str, Any]:
    """The values the flags were given, by flag name (the ones not given are None)."""
    return {flag.name: getattr(options, flag.name) for flag in FLAGS}
