"""The `Provider` protocol: what the engine needs of a provider besides its codec's frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from livetui.live.codec import Capabilities, Codec, Exchange
from livetui.live.config import SessionConfig


class Provider(Protocol):
    """One provider: its capabilities, a codec for each connection, and the meaning of its close codes."""

    @property
    def name(self) -> str:
        """The provider's name, as `--provider` spells it."""
        ...

    @property
    def capabilities(self) -> Capabilities:
        """What its sessions can do."""
        ...

    def codec(
        self,
        config: SessionConfig,
        *,
        first_turn: int = 1,
        handle: str | None = None,
        history: Sequence[Exchange] = (),
    ) -> Codec:
        """The codec of one new connection: turn numbers go on from `first_turn`; the session resumes by
        `handle` where the provider can, and otherwise `history` is replayed after the configuration."""
        ...

    def explain_close(self, code: int, reason: str, *, resuming: bool = False) -> str:
        """One line for the user saying why the server closed the connection with `code` and `reason`
        (`resuming`: the connection tried to resume a session by handle)."""
        ...

    def forgot_handle(self, code: int, reason: str) -> bool:
        """True when a close with `code` and `reason` of a connection that tried to resume by handle means
        the server no longer knows the session (the engine then opens a new one, replaying the
        conversation)."""
        ...

    def refuses_config(self, code: int) -> bool:
        """True when a close with `code` before the session is live means the configuration was refused
        (the engine may then try the session's fallback configuration, such as audio instead of text)."""
        ...
