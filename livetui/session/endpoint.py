"""Where a session connects, and how it authenticates, without ever exposing the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import SecretStr

from livetui.providers.gemini.paths import LIVE_PATH

GEMINI_URL = "wss://generativelanguage.googleapis.com" + LIVE_PATH
"""The Gemini Developer API's Live endpoint."""

LOCAL_PATH = LIVE_PATH
"""The same path on the embedded local server."""


def redact(url: str) -> str:
    """The URL with any `key` / `access_token` query value replaced by `***`."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, "***" if k in ("key", "access_token") else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


@dataclass(frozen=True)
class Endpoint:
    """A provider endpoint: the URL, and the key sent in the `x-goog-api-key` header."""

    url: str
    """The WebSocket URL, without credentials."""
    provider: str
    """`gemini` or `local`: shown in the status bar."""
    api_key: SecretStr | None = field(default=None, repr=False)
    """Sent as a header, never in the URL."""

    @property
    def safe_url(self) -> str:
        """The URL as it may be shown or journaled."""
        return redact(self.url)

    def headers(self) -> dict[str, str]:
        """Handshake headers (the key, when there is one)."""
        if self.api_key is None:
            return {}
        return {"x-goog-api-key": self.api_key.get_secret_value()}

    @classmethod
    def gemini(cls, api_key: SecretStr) -> Endpoint:
        """Google's endpoint with this key."""
        return cls(url=GEMINI_URL, provider="gemini", api_key=api_key)

    @classmethod
    def local(cls, base_url: str, api_key: SecretStr | None = None) -> Endpoint:
        """The embedded server at `ws://HOST:PORT` (presenting `api_key` when it was started with one)."""
        return cls(url=base_url.rstrip("/") + LOCAL_PATH, provider="local", api_key=api_key)
