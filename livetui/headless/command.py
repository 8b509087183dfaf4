"""``livetui run SCRIPT.toml``: a scripted session with no UI, for checking prompts and tools in CI.

The session is opened as the app would open it (the same flags, environment and config file; the script's
``[settings]`` fill in the flags not given), journaled like any other, and its function calls answered by
the same tools, at once (there is nobody to ask), except those the script answers itself. Each step prints
one line as it finishes; ``--json`` prints a JSON summary on stdout instead (the lines go to stderr).

Exit status: 0 when every step passed, 1 when one failed, 2 when the script, the settings or the session
could not be used (the reason in one line).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livetui import events as ev
from livetui.config import ConfigError, Settings, load_settings
from livetui.headless.script import Script, ScriptError, load_script
from livetui.headless.steps import StepResult, StepRunner
from livetui.headless.watch import Watch
from livetui.record.keeper import JournalKeeper
from livetui.session.connect import BrainChoice, MissingKeyError, SessionPlan, missing_key, plan_session
from livetui.session.engine import Emit, LiveSession
from livetui.session.local_server import LocalServerError
from livetui.session.tools_runner import ToolRunner
from livetui.tools.loader import ToolsFileError
from livetui.tools.registry import ToolRegistry

PROG = "livetui run"


class RunError(Exception):
    """The run cannot start or go on. The message is one line."""


@dataclass
class Outcome:
    """What a run did."""

    script: Path
    """The script file."""
    target: str = ""
    """What it talked to (`provider · model`)."""
    session: str | None = None
    """The session directory's name (None when not recorded)."""
    results: list[StepResult] = field(default_factory=list)
    """Each step's result, in order."""

    @property
    def passed(self) -> bool:
        """True when every step passed."""
        return all(result.ok for result in self.results)

    def as_json(self) -> dict[str, Any]:
        """The JSON summary."""
        return {
            "script": str(self.script),
            "passed": self.passed,
            "target": self.target,
            "session": self.session,
            "failed": [result.step.number for result in self.results if not result.ok],
            "steps": [
                {
                    "step": result.step.number,
                    "kind": result.step.kind,
                    "ok": result.ok,
                    "detail": result.detail,
                    "ms": round(result.seconds * 1000),
                }
                for result in self.results
            ],
        }


def step_line(result: StepResult) -> str:
    """One line for one step: ``ok``/``FAIL``, its number, what it is, what happened, how long it took."""
    verdict = "ok  " if result.ok else "FAIL"
    detail = f" — {result.detail}" if result.detail else ""
    return (
        f"{verdict} {result.step.number:>3} {result.step.describe()}{detail} ({result.seconds * 1000:.0f} ms)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``livetui run``: the script, ``--json``, ``--url`` and every flag of the app."""
    from livetui.cli import HelpFormatter
    from livetui.cli_flags import add_flags

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run a scripted session with no UI: say text, play WAV files into the microphone, show "
        "pictures, wait for replies, interrupt, answer function calls, and check the replies. One line per "
        "step; exit status 1 when a step failed, 2 when the run could not start.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("script_file", metavar="SCRIPT.toml", type=Path, help="the script (see the README)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.add_argument(
        "--url", metavar="WS_URL", help="a local live server already running at ws://HOST:PORT"
    )
    add_flags(parser)
    return parser


def settings_for(options: argparse.Namespace, script: Script) -> Settings:
    """The settings of the run: the flags given, then the script's ``[settings]``, then the rest.

    Raises:
        RunError: the script names a setting that has no flag, or a value is wrong.
    """
    from livetui.cli_flags import BY_NAME, flag_values

    values = flag_values(options)
    for name, value in script.settings.items():
        if name not in BY_NAME:
            raise RunError(f"{script.path}: [settings] {name} is not a flag's name (see livetui --help)")
        if values[name] is None:
            values[name] = value
    try:
        return load_settings(**values)
    except ConfigError as error:
        raise RunError(str(error)) from None


def _emitter(watch: Watch, runner: ToolRunner, journal: Emit) -> Emit:
    """The session's `Emit`: journal, watch, then the tool runner (without the calls the script answers)."""

    def emit(event: ev.AnyEvent) -> None:
        journal(event)
        watch.observe(event)
        if isinstance(event, ev.ToolCallRequested):
            rest = tuple(call for call in event.calls if call.name not in watch.answered)
            if not rest:
                return
            event = event.model_copy(update={"calls": rest})
        runner.observe(event)

    return emit


async def _until_live(session: LiveSession, task: asyncio.Task[None], watch: Watch, timeout: float) -> None:
    ready = asyncio.ensure_future(session.wait_ready())
    done, _ = await asyncio.wait({ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        raise RunError(watch.fatal or "the session did not go live")


async def run_script(
    plan: SessionPlan,
    settings: Settings,
    tools: ToolRegistry,
    script: Script,
    on_result: Callable[[StepResult], None],
) -> Outcome:
    """Open the session, run every step (each result to `on_result` as it comes), and close it.

    Raises:
        RunError: the session did not go live.
    """
    outcome = Outcome(script.path, plan.target.label)
    async with plan.connector() as session:
        keeper = (
            JournalKeeper(lambda line: print(f"{PROG}: {line}", file=sys.stderr)) if settings.record else None
        )
        journal = keeper.event if keeper is not None else (lambda event: None)
        if keeper is not None:
            outcome.session = keeper.directory.name if keeper.directory is not None else None
            session.on_audio = keeper.mic
            journal(ev.SessionInfo(provider=plan.target.provider, model=plan.target.model))
        watch = Watch(session.clock, script.answered)
        runner = ToolRunner(session, tools, mode="auto", timeout=settings.tool_timeout)
        runner.wrap(journal)  # the runner's own events (statuses, results) are journaled
        task = asyncio.create_task(session.run(_emitter(watch, runner, journal)))
        try:
            await _until_live(session, task, watch, session.open_timeout + 5)
            steps = StepRunner(session, watch, journal)
            for step in script.steps:
                result = await steps.run(step)
                outcome.results.append(result)
                on_result(result)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await runner.aclose()
            if keeper is not None:
                keeper.close()
    return outcome


def main(argv: Sequence[str], resolve: BrainChoice) -> int:
    """Run ``livetui run``; `resolve` picks the local server's brain (the CLI's). Returns the exit status."""
    options = build_parser().parse_args(argv)
    out = sys.stderr if options.json else sys.stdout
    try:
        script = load_script(options.script_file)
        settings = settings_for(options, script)
        tools = ToolRegistry.load(settings.tools)
        plan = plan_session(settings, resolve=resolve, url=options.url, tools=tools)
        outcome = asyncio.run(
            run_script(plan, settings, tools, script, lambda result: print(step_line(result), file=out))
        )
    except (ScriptError, RunError, ToolsFileError, LocalServerError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except MissingKeyError as error:
        print(f"{PROG}: {missing_key(error.provider)}", file=sys.stderr)
        return 2
    if options.json:
        print(json.dumps(outcome.as_json(), ensure_ascii=False, indent=2))
    else:
        failed = len([result for result in outcome.results if not result.ok])
        print("passed" if not failed else f"FAILED: {failed} of {len(outcome.results)} steps")
    return 0 if outcome.passed else 1
