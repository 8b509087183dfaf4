"""`livetui run`: a scripted session with no UI against the local server, in both dialects: every step
kind, a script whose every expectation holds (exit 0), one where each kind of expectation fails (exit 1),
and scripts that cannot run (exit 2); the lines and the JSON summary say which step did what."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import cv2
import pytest

from livetui.cli import main
from livetui.server.app import ServerConfig
from tests.conftest import ScriptWriter, ServerStarter, to_toml
from tests.frames import qr_frame
from tests.voice.conftest import GRAMMAR, Speech, speech

__all__ = ["speech"]

RULES = [
    {"match": "weather", "reply": "It is sunny and warm today."},
    {
        "match": "times",
        "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
        "reply": "It is {output}.",
    },
    {"match": "clock", "tool_calls": [{"name": "current_time", "args": {}}], "reply": "It is {output}."},
    {"match": "see", "reply": "{scene}"},
    {"match": "story", "reply": "Once upon a time " * 20, "chunk_chars": 4, "interval_ms": 100},
]
"""What the server answers."""


def toml_value(value: Any) -> str:
    """A value as TOML, tables inline (the shared `to_toml` writes scalars and arrays only)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    return to_toml({"v": value}).removeprefix("v = ").strip()


def write(tmp_path: Path, name: str, steps: list[dict[str, Any]]) -> Path:
    """A script with text replies and these steps."""
    lines = ["[settings]", "text_only = true"]
    for step in steps:
        lines += ["", "[[step]]", *(f"{key} = {toml_value(value)}" for key, value in step.items())]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def run(*argv: str) -> tuple[int, str, str]:
    """`livetui run ...` in a thread (it runs its own event loop), with its exit status and output."""
    out, err = io.StringIO(), io.StringIO()

    def call() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(["run", *argv])

    status = await asyncio.to_thread(call)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
async def server_url(start_live_server: ServerStarter, write_script: ScriptWriter) -> str:
    server = await start_live_server(ServerConfig(grammar=GRAMMAR, script=write_script({"rules": RULES})))
    return server.url


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
async def test_a_script_whose_every_step_passes(
    server_url: str, dialect: str, tmp_path: Path, speech: Speech
) -> None:
    picture = tmp_path / "qr.jpg"
    cv2.imwrite(str(picture), qr_frame("hello livetui"))
    steps: list[dict[str, Any]] = [
        {"say": "what is 6 times 7?"},
        {"expect_tool": "calculator", "args": {"expression": "6 * 7"}},
        {"expect_reply": "^It is 42\\.$"},
        {"expect_first_text_ms": 10_000},
        {"say": "what does the clock say"},
        {"answer": "current_time", "output": "noon"},
        {"expect_reply": "It is noon"},
        {"show": "qr.jpg"},
        {"say": "what do you see?"},
        {"expect_reply": "hello livetui"},
        {"play": str(speech("what is the weather like today"))},
        {"wait": "reply"},
        {"expect_reply": "sunny"},
        {"say": "tell me a story"},
        {"interrupt_after_ms": 200},
        {"wait": "reply"},
        {"expect_reply": "^On(?!.*time Once upon a time Once)"},  # cut short
    ]
    script = write(tmp_path, "pass.toml", steps)
    status, out, err = await run(str(script), "--url", server_url, "--dialect", dialect)
    lines = out.splitlines()
    assert status == 0, out + err
    assert len(lines) == len(steps) + 1 and lines[-1] == "passed"
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert "interrupted turn 5" in lines[14] and "turn 5 interrupted" in lines[15]


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
async def test_each_kind_of_expectation_can_fail_and_the_run_says_which(
    server_url: str, dialect: str, tmp_path: Path
) -> None:
    steps: list[dict[str, Any]] = [
        {"say": "what is 6 times 7?"},
        {"expect_reply": "43"},  # 2: the reply is "It is 42."
        {"expect_tool": "calculator", "args": {"expression": "6 * 8"}},  # 3: other arguments
        {"expect_tool": "current_time"},  # 4: not called
        {"expect_first_text_ms": 0},  # 5: nothing arrives in no time
        {"expect_reply": "42"},  # 6: holds
        {"say": "tell me a story"},
        {"wait": "reply", "timeout_ms": 50},  # 8: the story takes seconds
    ]
    script = write(tmp_path, "fail.toml", steps)
    status, out, err = await run(str(script), "--url", server_url, "--dialect", dialect, "--json")
    assert status == 1, out + err
    summary = json.loads(out)
    assert summary["passed"] is False and summary["failed"] == [2, 3, 4, 5, 8]
    details = {step["step"]: step["detail"] for step in summary["steps"]}
    assert details[2] == "the reply was 'It is 42.'"
    assert details[3] == "calculator was called with {'expression': '6 * 7'}"
    assert details[4] == "current_time was not called (called: calculator)"
    assert details[5].startswith("first text after ") and details[5].endswith("(over 0 ms)")
    assert details[8] == "no reply to turn 2 within 50 ms"
    lines = err.splitlines()
    assert [line.split()[0] for line in lines] == ["ok", "FAIL", "FAIL", "FAIL", "FAIL", "ok", "ok", "FAIL"]
    assert summary["session"] is not None and summary["target"].startswith("local · ")


@pytest.mark.parametrize(
    ("steps", "error"),
    [
        ([{"say": "hi", "wait": "reply"}], "step 1: a step has exactly one of say, "),
        ([{"shout": "hi"}], "step 1: a step has exactly one of say, "),
        ([{"say": "hi", "timeout_ms": 5}], "step 1: say does not take timeout_ms"),
        ([{"expect_reply": "("}], "step 1: expect_reply is not a regular expression: "),
        ([{"play": "missing.wav"}], "step 1: play: file not found: "),
        ([{"answer": "calculator"}], "step 1: answer takes one of output or error"),
        ([], "no steps ([[step]] tables)"),
    ],
)
async def test_a_script_that_cannot_run_is_refused_in_one_line(
    server_url: str, tmp_path: Path, steps: list[dict[str, Any]], error: str
) -> None:
    script = write(tmp_path, "bad.toml", steps)
    status, out, err = await run(str(script), "--url", server_url)
    assert status == 2 and out == ""
    assert err.startswith("livetui run: ") and error in err and len(err.splitlines()) == 1


async def test_a_server_that_is_not_there_is_exit_status_2(tmp_path: Path) -> None:
    script = write(tmp_path, "one.toml", [{"say": "hi"}])
    status, _, err = await run(str(script), "--url", "ws://127.0.0.1:9")
    assert status == 2 and err.startswith("livetui run: ") and len(err.splitlines()) == 1
