"""Text from the wire is data, never markup: a key, an end reason, a tool name or a close reason holding
``[/]`` is shown as written and the app goes on. The app quits cleanly on SIGHUP and SIGTERM, and a
message sent with Enter just before Ctrl+Q is journaled and sent."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import pytest

from livetui.config import Settings
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.entries import ErrorEntry
from livetui.ui.widgets.model_turn import ModelTurn
from tests.hostile import GO_AWAY, HOSTILE_FRAMES, SENTINEL, fuzzed_frames, hostile_peer, moves_the_session
from tests.ui.waiting import until, until_live


def replied(app: LiveApp) -> bool:
    """The peer's reply after its hostile frames is in the chat log."""
    return any(SENTINEL in turn.text for turn in app.query(ModelTurn))


MARKUP = [name for name in HOSTILE_FRAMES if "markup" in name or "tool" in name]
"""The frames with Rich markup in what the app shows, and odd tool calls for the tools pane."""


@pytest.mark.parametrize("name", MARKUP)
async def test_markup_in_a_frame_is_shown_as_text(settings: Settings, name: str) -> None:
    async with hostile_peer([HOSTILE_FRAMES[name]]) as (url, _received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: replied(app), "the reply after the frame")
            app.main.action_toggle_panes()  # the events and tools panes show the frame too
            await pilot.pause()
            app.save_screenshot(str(Path(os.devnull)))  # renders every widget: markup would raise here
            assert app.is_running
    assert app.return_code in (None, 0)


async def test_markup_in_an_unknown_key_reaches_the_status_bar_as_written(settings: Settings) -> None:
    async with hostile_peer([HOSTILE_FRAMES["markup in a key"]]) as (url, _received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: "[/]" in app.main.status.detail, "the error in the status bar")
            await pilot.pause()
            [error] = app.main.chat.query(ErrorEntry)
            assert "'[/], [bold]x[/bold'" in error.text
            assert app.is_running


async def test_markup_in_a_close_reason_is_shown_as_written(settings: Settings) -> None:
    async with hostile_peer([], close_reason="[/] [red]bye") as (url, _received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.main.status.state == "error", "the refusal")
            await pilot.pause()
            assert "[/] [red]bye" in app.main.status.detail
            assert app.is_running
    assert app.return_code in (None, 0)


def journal_lines(data: Path) -> list[dict[str, object]]:
    """Every line of the one session journal under `data`."""
    [journal] = (data / "sessions").glob("*/events.jsonl")
    return [json.loads(line) for line in journal.read_text().splitlines()]


async def test_enter_then_ctrl_q_at_once_journals_and_sends_the_message(
    settings: Settings, tmp_path: Path
) -> None:
    async with hostile_peer([]) as (url, received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until_live(pilot)
            await until(pilot, lambda: replied(app), "the first reply")
            await pilot.press("b", "y", "e", "enter", "ctrl+q")
        deadline = time.monotonic() + 15
        while not any('"bye"' in frame for frame in received):  # the peer is another task: poll it
            assert time.monotonic() < deadline, "the message never reached the server"
            await asyncio.sleep(0.01)
    texts = [line["event"] for line in journal_lines(tmp_path / "data") if "event" in line]
    assert {"kind": "user_text", "turn": 2, "text": "bye"} in texts


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
async def test_a_quit_signal_closes_the_app_and_its_journal(
    settings: Settings, tmp_path: Path, number: signal.Signals
) -> None:
    async with hostile_peer([]) as (url, _received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until_live(pilot)
            assert signal.getsignal(number) is not signal.SIG_DFL, "the app handles the signal"
            os.kill(os.getpid(), number)
            await until(pilot, lambda: not app.is_running, "the app to quit")
        await app.workers.wait_for_complete()
    assert app.return_code in (None, 0)
    assert app.keeper is not None and not app.keeper.recording, "the journal was closed"
    assert signal.getsignal(number) is signal.SIG_DFL, "the signal is given back"


@pytest.mark.parametrize("seed", [5, 6])
async def test_fuzzed_frames_through_the_app_leave_it_running(settings: Settings, seed: int) -> None:
    frames = [frame for frame in fuzzed_frames(300, seed) if not moves_the_session(frame)]
    frames += [HOSTILE_FRAMES[name] for name in HOSTILE_FRAMES if name not in GO_AWAY]
    async with hostile_peer(frames) as (url, _received):
        app = make_app(settings, connect_to(url, settings))
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: replied(app) or app.main.status.state == "error", "the last reply")
            app.main.action_toggle_panes()
            await pilot.pause()
            app.save_screenshot(str(Path(os.devnull)))
            assert app.is_running and app.main.status.state == "live"
    assert app.return_code in (None, 0)
