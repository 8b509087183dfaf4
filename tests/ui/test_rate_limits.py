"""The latency pane shows a provider's rate limits once it reports them, and nothing before."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

from livetui import events as ev
from livetui.ui.app import STYLES
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.latency_pane import LatencyPane, format_rate_limits
from tests.ui.waiting import until

LIMITS = (
    ev.RateLimit(name="requests", limit=1000, remaining=999, reset_seconds=60.0),
    ev.RateLimit(name="tokens", limit=50000, remaining=None),
)


class PaneApp(App[None]):
    """The latency pane alone, styled as in the app."""

    CSS_PATH = STYLES / "panes.tcss"

    def compose(self) -> ComposeResult:
        yield LatencyPane(id="latency")


async def test_rate_limits_appear_in_the_latency_pane_when_reported() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(LatencyPane)
        limits = pane.query_one("#latency-limits", Label)
        assert not limits.display, "hidden while the provider reports none"
        pane.post_message(SessionEvent(event=ev.RateLimits(limits=LIMITS), runtime=None))
        await until(pilot, lambda: limits.has_class("-shown"), "the limits shown")
        assert limits.display
        assert str(limits.render()) == "limits: requests 999/1000 · tokens ?/50000"


def test_the_rate_limits_line() -> None:
    assert format_rate_limits(LIMITS) == "limits: requests 999/1000 · tokens ?/50000"
    assert format_rate_limits(()) == "limits: none"
