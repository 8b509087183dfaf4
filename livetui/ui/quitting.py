"""Quitting cleanly: SIGHUP and SIGTERM quit the app as Ctrl+Q does, and the quit key first lets what the
user just sent reach the app.

A terminal closed under the app sends SIGHUP, and a service manager SIGTERM; either ends the app through
`App.exit`, so the journal is closed and a local server child stopped, as with the quit key. Signals reach
only the main thread, so an app run in another thread (as snapshot tests do) installs none.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable

from textual.dom import DOMNode

QUIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
"""Signals that quit the app as Ctrl+Q does: the journal is closed and a local server stopped."""

QUIT_SETTLE_ROUNDS = 200
"""How many turns of the event loop quitting waits at most for messages still on their way to the app,
before it quits regardless (a message takes a few, one per widget it bubbles through)."""


class QuitSignals:
    """The quit signals' handlers on the running loop, from `install` until `remove`."""

    def __init__(self, quit_now: Callable[[], None]) -> None:
        self.quit_now = quit_now
        """What a quit signal calls (on the event loop)."""
        self._installed: list[signal.Signals] = []

    def install(self) -> None:
        """Handle the quit signals on the running loop (on the main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            loop.add_signal_handler(number, self.quit_now)
            self._installed.append(number)

    def remove(self) -> None:
        """Give the signals back (a test runs many apps in one process)."""
        loop = asyncio.get_running_loop()
        while self._installed:
            loop.remove_signal_handler(self._installed.pop())


async def settle(focused: DOMNode | None, app: DOMNode) -> None:
    """Wait, a bounded number of loop turns, until the messages queued on the way from the focused widget
    up to `app` are handed on: a message sent with Enter just before Ctrl+Q (both keys read at once) then
    reaches the app before it quits."""
    on_the_way = [node for node in (focused, *focused.ancestors) if node is not app] if focused else []
    for _ in range(QUIT_SETTLE_ROUNDS):
        if not any(node.message_queue_size for node in on_the_way):
            return
        await asyncio.sleep(0)  # the widgets' own tasks hand their messages on, up to the app's queue
