"""The past sessions key: browse the recorded sessions, and continue one in a new live session.

`LiveApp` builds on `HistoryKeys`: the key (and the palette's Past sessions) shows `SessionsScreen`;
Continue there (`SessionView.Continue`) reads the old conversation off the event loop, goes back to the
main screen and starts a new session (as New session does) whose connection opens with that conversation
as history turns; the session worker hands it to the engine (`LiveSession.carry`) and journals which
session this one continues.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work

from livetui.session.carry import Carried, carried_from
from livetui.ui.screens.session_view import SessionView
from livetui.ui.screens.sessions import SessionsScreen
from livetui.ui.session_keys import SessionKeys


class HistoryKeys(SessionKeys):
    """Past sessions, and Continue (the binding is the app's)."""

    def __init__(self) -> None:
        super().__init__()
        self.carried: Carried | None = None
        """The recorded conversation the next session opens with (Continue in the sessions screen)."""

    def action_past_sessions(self) -> None:
        """Show the recorded sessions."""
        self.push_screen(SessionsScreen())

    @on(SessionView.Continue)
    def _on_continue(self, message: SessionView.Continue) -> None:
        self.read_carried(message.directory)

    @work(name="carry", group="carry", exclusive=True, thread=True, exit_on_error=False)
    def read_carried(self, directory: Path) -> None:
        """Read a recorded conversation off the event loop, then continue it in a new session."""
        try:
            carried = carried_from(directory)
        except OSError as error:
            self.call_from_thread(self.screen.notify, f"could not read the session: {error.strerror}")
            return
        self.call_from_thread(self.continue_session, carried)

    def continue_session(self, carried: Carried) -> None:
        """Back to the main screen, and a new session whose context is the recorded conversation."""
        while self.screen is not self.main:
            self.pop_screen()
        self.carried = carried
        self.call_later(self.start_afresh, carried.notice)
