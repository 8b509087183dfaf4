"""A scripted session, read from TOML: the settings it runs with and its steps, checked before anything runs.

```toml
[settings]                       # optional: any of the app's flags, by name (the command line wins)
system_prompt = "Answer briefly."

[[step]]
say = "what is 6 times 7?"       # one action or expectation per step
[[step]]
expect_tool = "calculator"
args = { expression = "6 * 7" }
[[step]]
expect_reply = "42"
```

Each step has exactly one of the keys in `KINDS`, plus the options that kind takes (`OPTIONS`). A script
that is not TOML, a step with no kind or two, an unknown key, a bad regular expression or a file that is
not there is refused with one line naming the step, before the session opens.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

StepKind = Literal[
    "say",
    "play",
    "show",
    "wait",
    "interrupt_after_ms",
    "answer",
    "expect_reply",
    "expect_tool",
    "expect_first_text_ms",
]
"""What a step does: say text, play a WAV into the microphone, show an image to the camera, wait for the
reply, interrupt it N ms after the user's turn, answer a function call; or expect the reply to match a
regular expression, a function to have been called (with some arguments), the first text within N ms."""

KINDS: tuple[StepKind, ...] = get_args(StepKind)
"""Every step kind."""

OPTIONS: dict[StepKind, frozenset[str]] = {
    "say": frozenset(),
    "play": frozenset(),
    "show": frozenset(),
    "wait": frozenset({"timeout_ms"}),
    "interrupt_after_ms": frozenset(),
    "answer": frozenset({"output", "error", "timeout_ms"}),
    "expect_reply": frozenset({"timeout_ms"}),
    "expect_tool": frozenset({"args", "timeout_ms"}),
    "expect_first_text_ms": frozenset({"timeout_ms"}),
}
"""The other keys each kind takes."""

DEFAULT_TIMEOUT_MS = 30_000
"""How long a step that waits for the model waits, unless it says (`timeout_ms`)."""


class ScriptError(Exception):
    """The script cannot be run. The message is one line."""


@dataclass(frozen=True)
class Step:
    """One step of a script."""

    number: int
    """Its place in the script, from 1."""
    kind: StepKind
    """What it does."""
    value: Any
    """The kind's value: the text, file, regular expression, function name or milliseconds."""
    timeout: float = DEFAULT_TIMEOUT_MS / 1000
    """Seconds it may wait for the model."""
    args: dict[str, Any] | None = None
    """`expect_tool`: arguments the call must have (others may be there too)."""
    answer: dict[str, Any] | None = None
    """`answer`: the response sent (``{"output": ...}`` or ``{"error": "..."}``)."""

    @property
    def expectation(self) -> bool:
        """True for the steps that check something."""
        return self.kind.startswith("expect_")

    def describe(self) -> str:
        """The step as its line names it: ``say "hello"``, ``expect_reply /\\d+/``."""
        value = self.value
        if self.kind == "expect_reply":
            return f"expect_reply /{value}/"
        if self.kind == "expect_tool" and self.args:
            args = ", ".join(f"{key}={val!r}" for key, val in self.args.items())
            return f"expect_tool {value}({args})"
        if isinstance(value, float):
            return f"{self.kind} {value:g}"
        shown = f'"{value}"' if self.kind in ("say", "wait") else str(value)
        return f"{self.kind} {shown}"


@dataclass(frozen=True)
class Script:
    """A scripted session."""

    path: Path
    """The script file."""
    settings: dict[str, Any] = field(default_factory=dict)
    """Flag values it sets (the command line's win)."""
    steps: tuple[Step, ...] = ()
    """Its steps, in order."""

    @property
    def answered(self) -> frozenset[str]:
        """The functions whose calls the script answers itself (they are not run)."""
        return frozenset(step.value for step in self.steps if step.kind == "answer")


def _number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ScriptError(f"{where}: expected a number of milliseconds, got {value!r}")
    return float(value)


def _step(number: int, table: object, folder: Path) -> Step:
    where = f"step {number}"
    if not isinstance(table, dict):
        raise ScriptError(f"{where}: expected a table ([[step]])")
    kinds = [key for key in table if key in KINDS]
    if len(kinds) != 1:
        found = f"found {', '.join(kinds)}" if kinds else "found none"
        raise ScriptError(f"{where}: a step has exactly one of {', '.join(KINDS)} ({found})")
    kind: StepKind = kinds[0]
    unknown = set(table) - {kind} - OPTIONS[kind]
    if unknown:
        raise ScriptError(f"{where}: {kind} does not take {', '.join(sorted(unknown))}")
    value = table[kind]
    timeout = _number(f"{where}: timeout_ms", table.get("timeout_ms", DEFAULT_TIMEOUT_MS)) / 1000
    if kind in ("interrupt_after_ms", "expect_first_text_ms"):
        value = _number(f"{where}: {kind}", value)
    elif not isinstance(value, str) or not value:
        raise ScriptError(f"{where}: {kind} takes a non-empty string")
    if kind in ("play", "show"):
        path = (folder / value).expanduser()
        if not path.is_file():
            raise ScriptError(f"{where}: {kind}: file not found: {path}")
        value = str(path)
    if kind == "wait" and value != "reply":
        raise ScriptError(f'{where}: wait takes "reply"')
    if kind == "expect_reply":
        try:
            re.compile(value)
        except re.error as error:
            raise ScriptError(f"{where}: expect_reply is not a regular expression: {error}") from None
    args = table.get("args")
    if args is not None and not isinstance(args, dict):
        raise ScriptError(f"{where}: args is a table of the call's arguments")
    answer = None
    if kind == "answer":
        if ("output" in table) == ("error" in table):
            raise ScriptError(f"{where}: answer takes one of output or error")
        answer = {"output": table["output"]} if "output" in table else {"error": str(table["error"])}
    return Step(number, kind, value, timeout, args, answer)


def load_script(path: Path) -> Script:
    """Read and check a script file.

    Raises:
        ScriptError: it cannot be read, or is not a valid script.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScriptError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScriptError(f"{path}: cannot read it ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ScriptError(f"{path}: not TOML ({error})") from None
    unknown = set(data) - {"settings", "step"}
    if unknown:
        raise ScriptError(f"{path}: unknown top-level keys {', '.join(sorted(unknown))} (settings, step)")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ScriptError(f"{path}: [settings] is a table of flag values")
    steps = data.get("step", [])
    if not isinstance(steps, list) or not steps:
        raise ScriptError(f"{path}: no steps ([[step]] tables)")
    folder = path.parent
    return Script(path, settings, tuple(_step(n, table, folder) for n, table in enumerate(steps, start=1)))
