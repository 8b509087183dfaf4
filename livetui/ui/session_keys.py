"""The keys that bring a session back: Reconnect, New session, and Continue on the local server.

A session that has ended for good (it gave up reconnecting, the server refused it with 1008, the local
server would not start) leaves the app working. The chat log says which keys apply:

- **Reconnect** opens a new connection for the same session: the same journal, the latest resumption
  handle (so the model keeps the conversation when the server still knows it), turn numbers carrying on.
  When the session could not even be opened, it tries to open it again.
- **New session** starts afresh with the same settings: a new session, a new journal, an empty chat log.
- **Continue on the local server** (offered when a Gemini session cannot go on): a new session on the
  embedded local server, built by the connector module like any other.

`LiveApp` builds on `SessionKeys`: once its session has ended, the app's `Runtime` waits, and Reconnect
asks it to hold the session again (`Runtime.reconnect`); New session and the local server make a new
runtime and start the session worker again.
"""

from __future__ import annotations

from livetui.providers.registry import filter_example
from livetui.session.connect import Connector, LocalPlanner, Target
from livetui.ui.key_names import bound_keys
from livetui.ui.media_keys import MediaKeys

LIVE = "the session is live: there is nothing to reconnect"
"""The notice for Reconnect while the session runs."""


class SessionKeys(MediaKeys):
    """Reconnect, New session and Continue on the local server (the bindings are the app's)."""

    connector: Connector
    """Opens the session (the app's)."""
    target: Target
    """What the session talks to (the app's)."""
    local: LocalPlanner | None
    """Makes the local server's plan, to continue there (the app's)."""

    def run_session(self) -> object:
        """Start the session worker (the app's)."""
        raise NotImplementedError

    def renew(self) -> None:
        """Make a new runtime from the connector, for the next run of the session worker (the app's)."""
        raise NotImplementedError

    def offer_restart(self, provider: str) -> None:
        """Say in the chat log which keys bring the session back."""
        keys = bound_keys(self.main)
        offers = [
            f"{keys.get('reconnect', 'reconnect')} reconnects",
            f"{keys.get('new_session', 'new_session')} starts a new session",
        ]
        if provider != "local" and self.local is not None:  # any provider but the embedded server
            offers.append(f"{keys.get('use_local', 'use_local')} continues on the local server")
        self._notice(f"the session has ended: {', '.join(offers)} (or Ctrl+P for the command palette)")

    def action_reconnect(self) -> None:
        """Reconnect the session that has ended (or open it again if it never opened)."""
        runtime = self.runtime
        if runtime.ended:
            self._notice("reconnecting…")
            runtime.reconnect()
        elif runtime.session is not None:
            self._notice(LIVE)
        else:
            self._notice("opening the session again…")
            self.renew()
            self.run_session()

    async def action_new_session(self) -> None:
        """A fresh session with the same settings: a new journal, and an empty chat log."""
        await self.start_afresh(f"a new session with {self.target.label}")

    async def action_use_local(self) -> None:
        """Continue on the embedded local server, in a new session."""
        if self.local is None:
            self._notice("this app has no local server to continue on")
            return
        if self.target.provider == "local":
            self._notice("this session is already on the local server")
            return
        plan = self.local()
        self.connector, self.target = plan.connector, plan.target
        await self.start_afresh(f"continuing on the local server ({plan.target.label})", plan.notices)

    async def start_afresh(self, why: str, notices: tuple[str, ...] = ()) -> None:
        """Replace the session with a new one from the connector (the old one ends and keeps its journal)."""
        self.renew()
        await self.main.chat.clear()
        self.main.status.new_session(self.target.provider, self.target.shown_model)
        self.main.events.use_example(filter_example(self.target.wire))
        for line in (*notices, why):
            self._notice(line)
        self.run_session()
