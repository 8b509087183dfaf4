"""The status bar: connection state, provider and model, the session clock, round trip, key hints.

What the session talks to reads `provider · model`: `gemini · gemini-live-2.5-flash-preview`, or on the
embedded server `local · smollm2` (the brain answers, not a Gemini model), from the first frame on, so
also while connecting.

States: ``connecting`` → ``connected`` (socket open) → ``live`` (setup accepted) → ``disconnected``, or
``error`` after a fatal error. Each state is also a CSS class (``-live``, ``-error``...) for its colour.
The session clock counts from the moment the session went live, across reconnects. After the server's
`goAway` a countdown shows the time left on the connection, until the session has moved to a new one.
In a session with audio (class
``-audio``) the bar also shows the microphone's level meter, or why it is not sent, and a speaking
indicator while the model's speech plays, and ``aec`` while echo cancellation runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from time import monotonic
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Label

from livetui import events as ev
from livetui.config import DEFAULT_PRICES, Price
from livetui.record.usage import Tokens, shown_cost
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.audio_status import mic_classes, mic_status, processing_status, voice_status
from livetui.ui.widgets.camera import camera_status
from livetui.ui.widgets.label_text import show_text

ConnectionState = Literal["connecting", "connected", "live", "disconnected", "error"]
"""What the status bar says about the connection."""

STATE_SYMBOLS: dict[ConnectionState, str] = {
    "connecting": "◌",
    "connected": "◐",
    "live": "●",
    "disconnected": "○",
    "error": "✖",
}
"""The symbol shown before each state."""


def format_elapsed(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` past an hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_round_trip(seconds: float) -> str:
    """A WebSocket ping's round trip, in milliseconds."""
    millis = seconds * 1000
    return f"rtt {millis:.1f} ms" if millis < 10 else f"rtt {millis:.0f} ms"


class StatusBar(Horizontal):
    """One line at the bottom of the screen: state, provider, model, clock, round trip, key hints."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (
        ev.Connecting,
        ev.Connected,
        ev.SetupComplete,
        ev.Disconnected,
        ev.SessionError,
        ev.RoundTrip,
        ev.Resumed,
        ev.GoAway,
        ev.CameraState,
        ev.AudioState,
        ev.MicLevel,
        ev.Usage,
    )
    """The session events the status bar reflects."""

    state: reactive[ConnectionState] = reactive("connecting")
    """The connection state."""
    detail: reactive[str] = reactive("")
    """The last error or disconnection reason, one line."""
    hints: reactive[str] = reactive("")
    """Key hints at the right end of the bar (they follow the keymap)."""

    def __init__(
        self,
        *,
        provider: str,
        model: str,
        prices: Mapping[str, Price] = DEFAULT_PRICES,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.provider = provider
        """`local` or `gemini`."""
        self.model = model
        """The model's name, without the `models/` prefix (the brain's, on the local server)."""
        self.round_trip: float | None = None
        """The latest WebSocket ping round trip, in seconds."""
        self.live_since: float | None = None
        """Monotonic time the session went live, for the session clock."""
        self.go_away_at: float | None = None
        """Monotonic time the server said it would close the connection (after `goAway`), until the move."""
        self._ticker: Timer | None = None
        self.audio: ev.AudioState | None = None
        """The microphone and speaker as last reported (None: the session has no audio)."""
        self.mic_level = 0.0
        """The microphone's latest level, 0 to 1."""
        self.prices = prices
        """Prices by `provider/model`, for the session's estimated cost."""
        self.usage: Tokens | None = None
        """The session's tokens so far (None until the server reports some)."""

    def compose(self) -> ComposeResult:
        """The state, then what the session is talking to, then the clock, round trip and hints."""
        yield Label(id="state")
        yield Label(self.provider, id="provider", markup=False)
        yield Label(f"· {self.model}", id="model", markup=False)
        yield Label("", id="clock")
        yield Label("", id="go-away")
        yield Label("", id="rtt")
        yield Label("", id="camera")
        yield Label("", id="mic")
        yield Label("", id="aec")
        yield Label("", id="voice")
        yield Label("", id="usage")
        yield Label("", id="detail", markup=False)  # wire text: data, never markup
        yield Label("", id="hints")

    def on_mount(self) -> None:
        """Show the values set before the bar was mounted."""
        self.watch_state(self.state)
        self.watch_detail(self.detail)
        self.watch_hints(self.hints)

    def watch_state(self, state: ConnectionState) -> None:
        """Show the state and colour the bar by it."""
        for name in STATE_SYMBOLS:
            self.set_class(name == state, f"-{name}")
        self.query_one("#state", Label).update(f"{STATE_SYMBOLS[state]} {state}")

    def watch_detail(self, detail: str) -> None:
        """Show the last error or disconnection reason."""
        self.query_one("#detail", Label).update(detail)

    def watch_hints(self, hints: str) -> None:
        """Show the key hints."""
        self.query_one("#hints", Label).update(hints)

    def show_session(self, provider: str, model: str) -> None:
        """What the session talks to (`provider · model`)."""
        self.provider, self.model = provider, model
        self.query_one("#provider", Label).update(provider)
        self.query_one("#model", Label).update(f"· {model}")

    def new_session(self, provider: str, model: str) -> None:
        """A new session replaces the old one: name what it talks to, and restart the clock."""
        self.show_session(provider, model)
        self._stop_clock()
        self.live_since = None
        self.go_away_at = None
        self.detail = ""
        self.query_one("#clock", Label).update("")
        self.query_one("#go-away", Label).remove_class("-shown")  # the old connection's countdown
        self.usage = None
        self.query_one("#usage", Label).remove_class("-shown")

    @on(SessionEvent)
    def _on_session_event(self, message: SessionEvent) -> None:
        event = message.event
        match event:
            case ev.Connecting():
                self.state = "connecting"
            case ev.Connected():
                self.state = "connected"
            case ev.SetupComplete() | ev.Resumed():
                self.state = "live"
                self.detail = ""
                self.go_away_at = None
                self._start_clock()
            case ev.GoAway(time_left=time_left):
                self.go_away_at = monotonic() + time_left
                self._tick()
            case ev.Disconnected(reason=reason, will_retry=will_retry):
                if self.state != "error":
                    self.state = "connecting" if will_retry else "disconnected"
                    self.detail = f"reconnecting: {reason}" if will_retry else reason
                if not will_retry:
                    self._stop_clock()
            case ev.SessionError(message=text, fatal=fatal):
                self.detail = text
                if fatal:
                    self.state = "error"
                    self._stop_clock()
            case ev.Usage():
                self._show_usage(event)
            case ev.RoundTrip(seconds=seconds):
                self.round_trip = seconds
                show_text(self.query_one("#rtt", Label), format_round_trip(seconds))
            case ev.AudioState():
                self.audio = event
                self._show_audio()
            case ev.MicLevel(level=level):
                self.mic_level = level
                self._show_audio()
            case ev.CameraState():
                label = self.query_one("#camera", Label)
                label.update(camera_status(event))
                label.set_class(event.state == "on", "-on")
                label.add_class("-known")
            case _:
                pass

    def _show_usage(self, usage: ev.Usage) -> None:
        """The session's tokens so far, and what they cost at the price table's rates."""
        self.usage = self.usage or Tokens()
        self.usage.add(usage)
        label = self.query_one("#usage", Label)
        cost = shown_cost(self.usage, self.prices, self.provider, self.model)
        label.update(f"Σ {self.usage.total} tok" + ("" if cost is None else f" · {cost.label}"))
        label.add_class("-shown")

    def _show_audio(self) -> None:
        """The microphone (level meter, or why it is not sent) and whether the model is speaking."""
        state = self.audio
        if state is None:
            return
        self.add_class("-audio")
        mic = self.query_one("#mic", Label)
        show_text(mic, mic_status(state, self.mic_level))
        for name, active in mic_classes(state).items():
            mic.set_class(active, name)
        aec = self.query_one("#aec", Label)
        processing = processing_status(state)
        show_text(aec, processing)
        aec.set_class(bool(processing), "-shown")
        voice = self.query_one("#voice", Label)
        text = voice_status(state)
        show_text(voice, text)
        voice.set_class(bool(text), "-shown")
        voice.set_class(state.speaking, "-speaking")

    def _start_clock(self) -> None:
        if self.live_since is None:
            self.live_since = monotonic()
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        self._tick()

    def _stop_clock(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        now = monotonic()
        if self.live_since is not None:
            show_text(self.query_one("#clock", Label), format_elapsed(now - self.live_since))
        countdown = self.query_one("#go-away", Label)
        countdown.set_class(self.go_away_at is not None, "-shown")
        if self.go_away_at is not None:
            show_text(countdown, f"goAway {format_elapsed(self.go_away_at - now)}")
