"""The Gemini Live API as a `livetui.live.provider.Provider`: what its sessions can do, a codec for each
connection, and what its close codes mean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from livetui.live.codec import Capabilities, Exchange
from livetui.live.config import SessionConfig
from livetui.providers.gemini import close_codes
from livetui.providers.gemini.session import GeminiSession, TextRoute
from livetui.providers.gemini.setup import SetupOptions, gemini_setup

CAPABILITIES = Capabilities(
    resumable=True,
    go_away=True,
    manual_activity=True,
    truncate_on_interrupt=False,
    video="stream",
    audio_in_rate=16000,
    audio_out_rate=24000,
)
"""What a Gemini Live session can do."""

REFUSED_SETUP = frozenset((close_codes.INVALID, close_codes.POLICY, close_codes.INTERNAL))
"""Codes a server closes a setup it cannot serve with, before `setupComplete` (a native-audio Gemini model
asked for TEXT: 1007; gemini-3.1 live: 1011)."""


@dataclass(frozen=True)
class GeminiProvider:
    """Gemini Live, with the options only Gemini has."""

    text_route: TextRoute = "client_content"
    """How typed text is sent (``realtime_input`` for models that refuse mid-session ``clientContent``)."""
    options: SetupOptions = field(default_factory=SetupOptions)
    """What only Gemini's `setup` asks for: thinking, transcription options, extra fields."""

    @property
    def name(self) -> str:
        """``gemini``."""
        return "gemini"

    @property
    def capabilities(self) -> Capabilities:
        """What its sessions can do: resume by handle, warn before closing, stream video."""
        return CAPABILITIES

    def codec(
        self,
        config: SessionConfig,
        *,
        first_turn: int = 1,
        handle: str | None = None,
        history: Sequence[Exchange] = (),
    ) -> GeminiSession:
        """A new connection's codec, opening with the `setup` of `config` (resuming with `handle`)."""
        return GeminiSession(
            gemini_setup(config, handle=handle, options=self.options),
            text_route=self.text_route,
            first_turn=first_turn,
            history=history,
            setup_extra=self.options.extra,
        )

    def explain_close(self, code: int, reason: str, *, resuming: bool = False) -> str:
        """One line for a close; a 1008 "not found" while `resuming` is a handle the server forgot."""
        if resuming and self.forgot_handle(code, reason):
            return close_codes.explain_resume_refused(reason)
        return close_codes.explain(code, reason)

    def forgot_handle(self, code: int, reason: str) -> bool:
        """True for a 1008 "not found" (a handle the server forgot, or never knew)."""
        return code == close_codes.POLICY and "not found" in reason.lower()

    def refuses_config(self, code: int) -> bool:
        """True for the codes a refused `setup` is closed with (see `REFUSED_SETUP`)."""
        return code in REFUSED_SETUP
