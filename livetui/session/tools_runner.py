"""Answering the model's function calls: run them, ask the user, or wait for the user's answer.

The runner sits between the engine and whoever consumes its events::

    runner = ToolRunner(session, registry, mode="auto", timeout=10.0)
    await session.run(runner.wrap(emit))

It sees every event on its way to `emit`. Each call of a `ToolCallRequested` gets its own task (in the
`tasks` group it is given, if any, so none outlives the group), so calls run concurrently, and its
response (``{"output": ...}`` or ``{"error": "..."}``) is sent as soon as it is ready, followed by a
`ToolResult` event. Every change of a call's status is a `ToolCallStatus` event.

Modes: ``auto`` runs each call at once; ``confirm`` waits for :meth:`ToolRunner.approve` or
:meth:`ToolRunner.deny` (a denied call is answered ``{"error": "denied by the user"}``); ``manual`` waits for
the user's own answer (:meth:`ToolRunner.answer`). A function that runs longer than `timeout` is answered
with an error (a plain function already running in a thread cannot be stopped and finishes unseen).

A `ToolCallCancelled` cancels the calls it names; an interruption cancels the calls of the interrupted turn
and later ones; a disconnection cancels every call. Cancelled calls are not answered.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Literal

from livetui import events as ev
from livetui.live.tools import ToolAnswer
from livetui.session.engine import Emit, LiveSession
from livetui.tools.invoke import Response, describe_exception, error_response, invoke, output_response
from livetui.tools.registry import ToolRegistry

ToolMode = Literal["auto", "confirm", "manual"]
"""How calls are answered (see the module docstring)."""

DENIED = "denied by the user"
"""The error a denied call is answered with."""


@dataclass
class _Call:
    """One call the runner is handling."""

    call: ev.ToolCall
    status: ev.ToolStatus = "pending"
    task: asyncio.Task[None] | None = None
    decision: asyncio.Future[bool | Response] = field(default_factory=asyncio.Future)
    """Set by the user in confirm mode (True/False) and manual mode (the response)."""
    awaiting: Literal["approval", "answer"] | None = None


class ToolRunner:
    """Answers the function calls of one session (see the module docstring)."""

    def __init__(
        self,
        session: LiveSession,
        registry: ToolRegistry,
        *,
        mode: ToolMode = "auto",
        timeout: float = 10.0,
        tasks: asyncio.TaskGroup | None = None,
    ) -> None:
        self.session = session
        """The session whose calls are answered."""
        self.registry = registry
        """The tools that can answer them."""
        self.mode: ToolMode = mode
        """auto, confirm or manual."""
        self.timeout = timeout
        """Seconds a function may run."""
        self._group = tasks
        self._calls: dict[str, _Call] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._emit: Emit = lambda event: None

    def wrap(self, emit: Emit) -> Emit:
        """An `Emit` for the session: hands each event to `emit`, then acts on it."""
        self._emit = emit

        def observe_and_emit(event: ev.AnyEvent) -> None:
            emit(event)
            self.observe(event)

        return observe_and_emit

    # -- what the user does -------------------------------------------------------------------------------

    def awaiting(self) -> list[ev.ToolCall]:
        """Calls waiting for the user (approval or an answer), oldest first."""
        return [entry.call for entry in self._calls.values() if entry.awaiting and entry.status == "pending"]

    def approve(self, call_id: str) -> bool:
        """Run a call waiting for approval; False if there is no such call waiting."""
        return self._decide(call_id, "approval", True)

    def deny(self, call_id: str) -> bool:
        """Answer a call waiting for approval with an error; False if there is no such call waiting."""
        return self._decide(call_id, "approval", False)

    def answer(self, call_id: str, response: Response) -> bool:
        """Send the user's own response to a call (manual mode); False if there is no such call waiting."""
        return self._decide(call_id, "answer", response)

    def _decide(self, call_id: str, awaiting: str, decision: bool | Response) -> bool:
        entry = self._calls.get(call_id)
        if entry is None or entry.awaiting != awaiting or entry.decision.done():
            return False
        entry.decision.set_result(decision)
        return True

    # -- what the session says ----------------------------------------------------------------------------

    def observe(self, event: ev.AnyEvent) -> None:
        """Act on one session event: start calls, or cancel them."""
        if isinstance(event, ev.ToolCallRequested):
            for call in event.calls:
                self._start(call)
        elif isinstance(event, ev.ToolCallCancelled):
            self.cancel(event.call_ids)
        elif isinstance(event, ev.Interrupted):
            self.cancel([cid for cid, entry in self._calls.items() if entry.call.turn >= event.turn])
        elif isinstance(event, ev.Disconnected):
            self.cancel(list(self._calls))

    def cancel(self, call_ids: list[str] | tuple[str, ...]) -> None:
        """Cancel these calls (those that are not finished); they will not be answered."""
        for call_id in call_ids:
            entry = self._calls.pop(call_id, None)
            if entry is None:
                continue
            if entry.task is not None:
                entry.task.cancel()
            self._status(entry, "cancelled")

    def cancel_all(self) -> None:
        """Cancel every call not finished yet."""
        self.cancel(list(self._calls))

    async def aclose(self) -> None:
        """Cancel every call, and wait until every call's task (cancelled earlier ones too) has ended."""
        self.cancel_all()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- running a call -----------------------------------------------------------------------------------

    def _start(self, call: ev.ToolCall) -> None:
        entry = _Call(call=call)
        if self.mode == "manual":
            entry.awaiting = "answer"
        elif self.mode == "confirm" and self.registry.get(call.name) is not None:
            entry.awaiting = "approval"
        self._calls[call.call_id] = entry
        self._status(entry, "pending")
        create = self._group.create_task if self._group is not None else asyncio.create_task
        entry.task = create(self._run(entry), name=f"tool-call-{call.call_id}")
        self._tasks.add(entry.task)
        entry.task.add_done_callback(self._tasks.discard)

    def _status(
        self,
        entry: _Call,
        status: ev.ToolStatus,
        result: Response | None = None,
        duration: float | None = None,
    ) -> None:
        entry.status = status
        call = entry.call
        self._emit(
            ev.ToolCallStatus(
                turn=call.turn,
                call_id=call.call_id,
                name=call.name,
                status=status,
                awaiting=entry.awaiting if status == "pending" else None,
                result=result,
                duration=duration,
            )
        )

    async def _run(self, entry: _Call) -> None:
        call = entry.call
        spec = self.registry.get(call.name)
        if entry.awaiting == "answer":
            started = self.session.clock()
            answer = await entry.decision
            assert isinstance(answer, dict)
            self._finish(entry, answer, self.session.clock() - started)
            return
        if spec is None:
            self._finish(entry, error_response(f"unknown function {call.name!r}"), None)
            return
        if entry.awaiting == "approval":
            if not await entry.decision:
                self._finish(entry, error_response(DENIED), None, status="denied")
                return
            entry.awaiting = None
        self._status(entry, "running")
        started = self.session.clock()
        response = await self._execute(entry)
        self._finish(entry, response, self.session.clock() - started)

    async def _execute(self, entry: _Call) -> Response:
        spec = self.registry.get(entry.call.name)
        assert spec is not None
        deadline = asyncio.timeout(self.timeout)
        try:
            async with deadline:
                value = await invoke(spec, entry.call.args)
        except TimeoutError as error:
            if deadline.expired():
                return error_response(f"timed out after {self.timeout:g} s")
            return error_response(describe_exception(error))
        except Exception as error:  # whatever a tool raises is the model's to read, never a crash
            return error_response(describe_exception(error))
        return output_response(value)

    def _finish(
        self,
        entry: _Call,
        response: Response,
        duration: float | None,
        *,
        status: ev.ToolStatus | None = None,
    ) -> None:
        call = entry.call
        if self._calls.pop(call.call_id, None) is None:
            return  # cancelled meanwhile
        spec = self.registry.get(call.name)
        scheduling = spec.scheduling if spec is not None and spec.behavior == "NON_BLOCKING" else None
        self.session.answer_tool_calls(
            [ToolAnswer(call_id=call.call_id, name=call.name, output=response, scheduling=scheduling)]
        )
        self._emit(ev.ToolResult(turn=call.turn, call_id=call.call_id, name=call.name, response=response))
        final = status or ("error" if "error" in response else "done")
        self._status(entry, final, response, duration)
