"""Function calls through the real engine and the local server: run, answered, cancelled, confirmed, typed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from livetui.session.tools_runner import ToolMode, ToolRunner
from livetui.tools.registry import ToolRegistry
from tests.conftest import Dialect, both_dialects
from tests.session.conftest import TEXT_CONFIG, Recorder, local_server, local_session

TOOLS = Path(__file__).parent / "runner_tools.py"


def rule(match: str, calls: list[tuple[str, dict[str, Any]]], reply: str = "{output}") -> dict[str, Any]:
    """A script rule that calls functions, then replies."""
    return {"match": match, "tool_calls": [{"name": n, "args": a} for n, a in calls], "reply": reply}


SCRIPT = {
    "rules": [
        rule("times", [("calculator", {"expression": "6 * 7"})], "6 times 7 is {output}."),
        rule("add", [("add", {"a": 40, "b": 2})]),
        rule("explode", [("explode", {"reason": "on purpose"})]),
        rule("hang", [("hang", {})]),
        rule("unknown", [("no_such_tool", {})]),
        rule("bad args", [("add", {"a": "forty", "b": 2})]),
        rule("pair", [("wait_for_partner", {}), ("release", {})], "{result}"),
        rule("weather", [("weather", {"city": "Oslo"})], "Weather: {result}"),
        rule("background", [("background", {"query": "cats"})]),
    ]
}


ANSWER_FRAME = {"gemini": "toolResponse", "openai": "conversation.item.create function_call_output"}
"""How each dialect's answer to a function call is summarized on the wire."""


@dataclass
class ToolSession:
    """A session with the local server whose function calls a runner answers."""

    session: LiveSession
    runner: ToolRunner
    recorder: Recorder

    async def ask(self, text: str) -> str:
        """Send a turn and return its whole reply once it completes."""
        turn = self.session.send_text(text)
        await self.recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        return "".join(d.text for d in self.recorder.of(ev.TextDelta) if d.turn == turn)

    def statuses(self, call_id: str | None = None) -> list[ev.ToolCallStatus]:
        """Status events (of one call)."""
        return [s for s in self.recorder.of(ev.ToolCallStatus) if call_id is None or s.call_id == call_id]


@contextlib.asynccontextmanager
async def tool_session(
    tmp_path: Path,
    *,
    mode: ToolMode = "auto",
    timeout: float = 10.0,
    registry: ToolRegistry | None = None,
    dialect: Dialect = "gemini",
) -> AsyncIterator[ToolSession]:
    """The local server with `SCRIPT`, a session in `dialect` declaring the built-ins and
    `runner_tools.py`, a runner."""
    script = tmp_path / "script.json"
    script.write_text(json.dumps(SCRIPT))
    registry = registry or ToolRegistry.load(TOOLS)
    async with local_server(script) as server:
        config = replace(TEXT_CONFIG, tools=registry.declarations())
        session = local_session(server.url, dialect, config)
        runner = ToolRunner(session, registry, mode=mode, timeout=timeout)
        recorder = Recorder()
        task = asyncio.create_task(session.run(runner.wrap(recorder)))
        try:
            await recorder.first(ev.SetupComplete)
            yield ToolSession(session, runner, recorder)
        finally:
            await runner.aclose()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@both_dialects
async def test_a_scripted_call_round_trip_puts_the_result_in_the_reply(
    tmp_path: Path, dialect: Dialect
) -> None:
    async with tool_session(tmp_path, dialect=dialect) as t:
        assert await t.ask("what is 6 times 7") == "6 times 7 is 42."
        (requested,) = t.recorder.of(ev.ToolCallRequested)
        (call,) = requested.calls
        assert (call.name, call.args) == ("calculator", {"expression": "6 * 7"})
        (result,) = t.recorder.of(ev.ToolResult)
        assert (result.call_id, result.response) == (call.call_id, {"output": 42})
        statuses = t.statuses(call.call_id)
        assert [s.status for s in statuses] == ["pending", "running", "done"]
        assert statuses[-1].result == {"output": 42}
        assert statuses[-1].duration is not None and statuses[-1].duration >= 0
        sent = [f for f in t.recorder.of(ev.WireFrame) if f.summary.startswith(ANSWER_FRAME[dialect])]
        assert len(sent) == 1 and call.call_id in sent[0].text
        # The result went out before the reply that quotes it came back.
        kinds = [e.kind for e in t.recorder.events if e.kind in ("tool_result", "text_delta")]
        assert kinds[0] == "tool_result"


@both_dialects
async def test_a_users_tools_file_answers_the_same_way(tmp_path: Path, dialect: Dialect) -> None:
    async with tool_session(tmp_path, dialect=dialect) as t:
        assert await t.ask("add them") == "42"
        assert t.statuses()[-1].status == "done"


@both_dialects
@pytest.mark.parametrize(
    ("question", "error"),
    [
        ("explode now", "exploded: on purpose"),
        ("unknown tool", "unknown function 'no_such_tool'"),
        ("bad args please", "bad arguments: a: Input should be a valid integer"),
    ],
)
async def test_failures_become_error_responses(
    tmp_path: Path, question: str, error: str, dialect: Dialect
) -> None:
    async with tool_session(tmp_path, dialect=dialect) as t:
        reply = await t.ask(question)
        (result,) = t.recorder.of(ev.ToolResult)
        assert set(result.response) == {"error"}
        assert error in str(result.response["error"])
        assert error in reply, "the server received the error"
        assert t.statuses()[-1].status == "error"


@both_dialects
async def test_a_call_that_runs_too_long_is_answered_with_a_timeout_error(
    tmp_path: Path, dialect: Dialect
) -> None:
    async with tool_session(tmp_path, dialect=dialect, timeout=0.05) as t:
        assert await t.ask("hang on") == "timed out after 0.05 s"
        assert t.statuses()[-1].status == "error"
        assert t.runner.registry.get("hang") is not None


@both_dialects
async def test_calls_of_one_tool_call_run_concurrently(tmp_path: Path, dialect: Dialect) -> None:
    async with tool_session(tmp_path, dialect=dialect) as t:
        # wait_for_partner finishes only once release ran: one after the other, this would time out.
        assert json.loads(await t.ask("pair them")) == {"output": "released"}
        assert {r.name: r.response for r in t.recorder.of(ev.ToolResult)} == {
            "wait_for_partner": {"output": "released"},
            "release": {"output": "released the partner"},
        }


@both_dialects
async def test_interrupting_cancels_the_running_call(tmp_path: Path, dialect: Dialect) -> None:
    registry = ToolRegistry.load(TOOLS)
    hang = registry.get("hang")
    assert hang is not None
    module = hang.function.__globals__
    async with tool_session(tmp_path, dialect=dialect, registry=registry) as t:
        turn = t.session.send_text("hang on")
        await t.recorder.first(ev.ToolCallStatus, lambda s: s.status == "running")
        await module["STARTED"].wait()
        t.session.interrupt()
        (requested,) = t.recorder.of(ev.ToolCallRequested)
        call_id = requested.calls[0].call_id
        assert t.statuses(call_id)[-1].status == "cancelled", "cancelled at once, with the key press"
        if dialect == "gemini":  # Gemini's server cancels the call too; OpenAI's call ended with its reply
            cancelled = await t.recorder.first(ev.ToolCallCancelled)
            assert cancelled.call_ids == (call_id,), "the server cancelled the call too"
        done = await t.recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        assert done.reason == "interrupted"
        await t.runner.aclose()
        assert module["CANCELLED"] == ["hang"]
        assert t.recorder.of(ev.ToolResult) == [], "a cancelled call is not answered"
        # The session goes on.
        assert await t.ask("add again") == "42"


async def test_the_servers_tool_call_cancellation_cancels_the_call() -> None:
    """A peer that cancels a call on its own (no interruption from the client). Gemini only: the peer
    speaks Gemini's toolCallCancellation, which OpenAI Realtime has no counterpart for."""
    go = asyncio.Event()

    async def peer(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send(json.dumps({"setupComplete": {}}))
        await ws.recv()
        call = {"id": "fc-1", "name": "hang", "args": {}}
        await ws.send(json.dumps({"toolCall": {"functionCalls": [call]}}))
        await go.wait()
        await ws.send(json.dumps({"toolCallCancellation": {"ids": ["fc-1"]}}))
        await ws.wait_closed()

    registry = ToolRegistry.load(TOOLS)
    hang = registry.get("hang")
    assert hang is not None
    async with serve(peer, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        session = LiveSession(
            local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), SessionConfig(model="x")
        )
        runner = ToolRunner(session, registry)
        recorder = Recorder()
        task = asyncio.create_task(session.run(runner.wrap(recorder)))
        try:
            await recorder.first(ev.SetupComplete)
            session.send_text("hang")
            await recorder.first(ev.ToolCallStatus, lambda s: s.status == "running")
            go.set()
            await recorder.first(ev.ToolCallStatus, lambda s: s.status == "cancelled")
            assert recorder.of(ev.Interrupted) == []
            await runner.aclose()
            assert hang.function.__globals__["CANCELLED"] == ["hang"]
            assert recorder.of(ev.ToolResult) == []
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@both_dialects
async def test_confirm_mode_runs_a_call_only_once_approved(tmp_path: Path, dialect: Dialect) -> None:
    async with tool_session(tmp_path, dialect=dialect, mode="confirm") as t:
        turn = t.session.send_text("what is 6 times 7")
        waiting = await t.recorder.first(ev.ToolCallStatus, lambda s: s.awaiting == "approval")
        assert [c.call_id for c in t.runner.awaiting()] == [waiting.call_id]
        assert not t.runner.answer(waiting.call_id, {"output": 1}), "confirm mode takes no typed answer"
        assert t.runner.approve(waiting.call_id)
        await t.recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        assert [(s.status, s.awaiting) for s in t.statuses()] == [
            ("pending", "approval"),
            ("running", None),
            ("done", None),
        ]
        assert "".join(d.text for d in t.recorder.of(ev.TextDelta)) == "6 times 7 is 42."
        assert not t.runner.approve(waiting.call_id), "a call is decided once"


@both_dialects
async def test_confirm_mode_answers_a_denied_call_with_an_error(tmp_path: Path, dialect: Dialect) -> None:
    async with tool_session(tmp_path, dialect=dialect, mode="confirm") as t:
        turn = t.session.send_text("add them")
        waiting = await t.recorder.first(ev.ToolCallStatus, lambda s: s.awaiting == "approval")
        assert t.runner.deny(waiting.call_id)
        await t.recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        assert t.statuses()[-1].status == "denied"
        assert t.statuses()[-1].result == {"error": "denied by the user"}
        assert "".join(d.text for d in t.recorder.of(ev.TextDelta)) == "denied by the user"


@both_dialects
async def test_manual_mode_sends_the_users_answer(tmp_path: Path, dialect: Dialect) -> None:
    async with tool_session(tmp_path, dialect=dialect, mode="manual") as t:
        turn = t.session.send_text("weather today")
        waiting = await t.recorder.first(ev.ToolCallStatus, lambda s: s.awaiting == "answer")
        assert waiting.name == "weather", "manual mode answers any function, declared or not"
        assert not t.runner.approve(waiting.call_id)
        assert t.runner.answer(waiting.call_id, {"output": {"sky": "clear"}})
        await t.recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        reply = "".join(d.text for d in t.recorder.of(ev.TextDelta))
        assert reply == 'Weather: {"output": {"sky": "clear"}}'
        last = t.statuses()[-1]
        assert (last.status, last.result) == ("done", {"output": {"sky": "clear"}})
        assert last.duration is not None


# Gemini only: a function response's scheduling is Gemini's (an OpenAI function output has none).
async def test_a_non_blocking_functions_response_carries_its_scheduling(tmp_path: Path) -> None:
    async with tool_session(tmp_path) as t:
        assert await t.ask("background search") == "found cats"
        sent = next(f for f in t.recorder.of(ev.WireFrame) if f.summary.startswith("toolResponse"))
        (response,) = json.loads(sent.text)["toolResponse"]["functionResponses"]
        assert response["scheduling"] == "WHEN_IDLE"
        assert response["response"] == {"output": "found cats"}
