"""Save screenshots of the app for the README: `python scripts/screenshots.py` (or `make screenshots`).

Drives the real app at 140x45 (and 80x24 for the small-terminal shots) against an in-process local server
with the scripted brain, and saves SVGs to ``screenshots/``: the main screen mid-conversation, an
interrupted turn, the events pane, the help screen, and the main screen at 80x24 with the side panes
hidden and shown over the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from livetui.config import Settings
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import Connector, Target, connect_to
from livetui.session.engine import LiveSession
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.help import HelpScreen

OUT = Path("screenshots")
"""Where the SVGs go."""

SIZE = (140, 45)
"""The terminal size of the screenshots."""

SMALL = (80, 24)
"""The terminal size of the small-terminal screenshots."""

SCRIPT = {
    "rules": [
        {
            "match": "stream",
            "reply": (
                "Streaming works like this:\n\n"
                "1. The server sends **`serverContent`** frames, a few words each.\n"
                "2. The client appends each delta to a `MarkdownStream`.\n"
                "3. The turn ends with `turnComplete`.\n\n"
                "```python\nasync for delta in session:\n    await stream.write(delta)\n```\n"
            ),
            "chunk_chars": 12,
        },
        {
            "match": "story",
            "reply": (
                "Once upon a time, in a terminal far away, a model began a very long story about "
                "sockets, frames and turns, which went on and on and on, paragraph after paragraph, "
                "while the user waited for a chance to press Escape. " * 6
            ),
            "chunk_chars": 6,
            "interval_ms": 40,
        },
    ]
}
"""Replies for the screenshots: a Markdown answer, and a long slow story to interrupt."""


def in_process(settings: Settings, script: Path) -> Connector:
    """A connector that starts a local server in this process, for the length of the session."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        server = LiveServer(ServerConfig(script=script))
        await server.start()
        try:
            async with connect_to(server.url, settings)() as session:
                yield session
        finally:
            await server.close()

    return connector


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds (about ten seconds at most)."""
    for _ in range(2000):
        if condition():
            return
        await pilot.pause(0.005)
    app = pilot.app
    state = app.main.status.state if isinstance(app, LiveApp) else "?"
    raise TimeoutError(f"gave up waiting for {what} (connection: {state})")


async def send(pilot: Pilot[None], text: str) -> None:
    """Type a message in the composer and press Enter."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    app.main.composer.focus()
    await pilot.press(*text)
    await pilot.press("enter")


def replies_done(app: LiveApp) -> bool:
    """True when the session exists and no reply is in progress."""
    return app.session is not None and app.session.ready and not app.session.replying


async def main_screen(pilot: Pilot[None]) -> None:
    """Two exchanges, the second a Markdown reply."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    await until(pilot, lambda: replies_done(app), "the session")
    await send(pilot, "Hello! Can you hear me?")
    await until(pilot, lambda: replies_done(app), "the first reply")
    await send(pilot, "How does streaming work?")
    await until(pilot, lambda: replies_done(app), "the second reply")
    await until(pilot, lambda: all(t.complete for t in app.main.chat.model_turns), "the turns to finish")
    await pilot.pause(0.2)


async def interrupted(pilot: Pilot[None]) -> None:
    """A long reply interrupted with Escape."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    await until(pilot, lambda: replies_done(app), "the session")
    await send(pilot, "Tell me a story")
    await until(pilot, lambda: len((app.main.chat.turn(1) or _empty).text) > 160, "some of the story")
    await pilot.press("escape")
    await until(pilot, lambda: replies_done(app), "the interrupted turn to close")
    await until(pilot, lambda: app.session is not None and app.session.latency.has(1, "k2"), "the ack")
    await pilot.pause(0.2)


async def events_pane(pilot: Pilot[None]) -> None:
    """The raw frames of two exchanges, in the events tab."""
    await main_screen(pilot)
    app = pilot.app
    assert isinstance(app, LiveApp)
    app.main.query_one("#side", TabbedContent).active = "events-tab"
    await pilot.pause(0.2)


async def help_screen(pilot: Pilot[None]) -> None:
    """The key bindings."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    await until(pilot, lambda: replies_done(app), "the session")
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
    await pilot.pause(0.2)


async def panes_over_chat(pilot: Pilot[None]) -> None:
    """Two exchanges on a small terminal, then the side panes shown over the chat."""
    await main_screen(pilot)
    await pilot.press("ctrl+b")
    await pilot.pause(0.2)


class _Empty:
    text = ""


_empty = _Empty()

Steps = Callable[[Pilot[None]], Awaitable[None]]

SHOTS: dict[str, tuple[Steps, tuple[int, int]]] = {
    "main.svg": (main_screen, SIZE),
    "interrupted.svg": (interrupted, SIZE),
    "events.svg": (events_pane, SIZE),
    "help.svg": (help_screen, SIZE),
    "small.svg": (main_screen, SMALL),
    "small-panes.svg": (panes_over_chat, SMALL),
}
"""Each screenshot's file name, the steps that lead to it, and the terminal's size."""


async def shoot(name: str, steps: Steps, size: tuple[int, int], script: Path) -> None:
    """Run the app, take one screenshot, quit."""
    settings = Settings(text_only=True)  # text replies: the screenshots show Markdown streaming
    # The in-process server runs the scripted brain: the status bar says so, as it would for `livetui`.
    app = make_app(settings, in_process(settings, script), target=Target("local", "scripted"))
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        app.save_screenshot(filename=name, path=str(OUT))
        print(OUT / name)


async def main() -> None:
    """Every screenshot, one app run each."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "script.json"
        script.write_text(json.dumps(SCRIPT), encoding="utf-8")
        for name, (steps, size) in SHOTS.items():
            await shoot(name, steps, size, script)


if __name__ == "__main__":
    # The user's own config, and the theme the app remembers for them, must not change the screenshots.
    os.environ["LIVETUI_CONFIG"] = os.devnull
    os.environ["LIVETUI_STATE_DIR"] = tempfile.mkdtemp(prefix="livetui-state-")
    sys.exit(asyncio.run(main()))
