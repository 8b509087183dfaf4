"""The OpenAI Realtime provider (`livetui.live.provider.Provider`): what its sessions can do, a codec per
connection, and what its close codes mean.

OpenAI has no server-side resumption and no warning before it closes: a session lasts at most 60 minutes
and ends with 1001 "Your session hit the maximum duration"; the engine then reconnects and replays the
conversation (`Exchange` items after ``session.update``). An invalid configuration is an ``error`` event,
not a close, so no close code means "configuration refused".
"""

from __future__ import annotations

from collections.abc import Sequence

from livetui.live.codec import Capabilities, Exchange
from livetui.live.config import SessionConfig
from livetui.providers.openai.codec import OpenAICodec
from livetui.providers.openai.session_update import AUDIO_RATE, TRANSCRIPTION_MODEL

CAPABILITIES = Capabilities(
    resumable=False,
    go_away=False,
    manual_activity=True,
    truncate_on_interrupt=True,
    video="snapshots",
    audio_in_rate=AUDIO_RATE,
    audio_out_rate=AUDIO_RATE,
)
"""What an OpenAI Realtime session can do."""

NORMAL, GOING_AWAY, ABNORMAL, POLICY, INTERNAL = 1000, 1001, 1006, 1008, 1011
MAX_DURATION = "maximum duration"
"""What OpenAI's reason says when a session reached its 60 minutes."""

_MEANINGS = {
    NORMAL: "the server closed the session",
    GOING_AWAY: "the server is going away",
    ABNORMAL: "the connection dropped",
    1007: "the server rejected a message as invalid",
    POLICY: "the server refused the session (check the API key, and that it may use the model)",
    1009: "a message was too large for the server",
    INTERNAL: "the server had an internal error",
    1013: "the server is overloaded: try again later",
}


def explain_close(code: int, reason: str) -> str:
    """One line for the user: what the code means, and the server's own words."""
    reason = " ".join(reason.split())[:300]
    if code in (NORMAL, GOING_AWAY) and MAX_DURATION in reason.lower():
        meaning = "the session reached the server's time limit"
    elif 4000 <= code < 5000:
        meaning = "the server ended the session"
    else:
        meaning = _MEANINGS.get(code, "the connection closed")
    return f"{meaning} ({code}): {reason}" if reason else f"{meaning} ({code})"


class OpenAIProvider:
    """OpenAI Realtime, and the services that speak its dialect (Azure OpenAI, xAI, local servers)."""

    def __init__(self, *, name: str = "openai", transcription_model: str = TRANSCRIPTION_MODEL) -> None:
        self._name = name
        self.transcription_model = transcription_model
        """The model that transcribes the user's speech."""

    @property
    def name(self) -> str:
        """The provider's name, as ``--provider`` spells it."""
        return self._name

    @property
    def capabilities(self) -> Capabilities:
        """Not resumable, no warning before a close, push-to-talk, truncation, pictures as snapshots,
        24 kHz PCM both ways."""
        return CAPABILITIES

    def codec(
        self,
        config: SessionConfig,
        *,
        first_turn: int = 1,
        handle: str | None = None,
        history: Sequence[Exchange] = (),
    ) -> OpenAICodec:
        """The codec of one new connection; `handle` is ignored (nothing resumes by handle here), and
        `history` is replayed after ``session.update``."""
        return OpenAICodec(
            config, first_turn=first_turn, history=history, transcription_model=self.transcription_model
        )

    def explain_close(self, code: int, reason: str, *, resuming: bool = False) -> str:
        """One line for the user saying why the server closed the connection (`resuming` does not arise:
        nothing resumes by handle here)."""
        return explain_close(code, reason)

    def forgot_handle(self, code: int, reason: str) -> bool:
        """Always False: nothing resumes by handle here."""
        return False

    def refuses_config(self, code: int) -> bool:
        """Always False: OpenAI refuses a configuration with an ``error`` event, not by closing."""
        return False
