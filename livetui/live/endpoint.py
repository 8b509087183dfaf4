"""Where a session connects and how it authenticates, for any provider, without ever exposing the key."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import SecretStr

SECRET_QUERY_KEYS = frozenset(("key", "access_token", "api-key", "api_key"))
"""Query parameters whose values are credentials: shown as ``***``."""


def redact(url: str) -> str:
    """The URL with any credential query value replaced by ``***``, and no user name or password."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
    if not parts.query:
        return urlunsplit(parts)
    query = [(k, "***" if k.lower() in SECRET_QUERY_KEYS else v) for k, v in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


@dataclass(frozen=True)
class Endpoint:
    """A provider endpoint: the URL, and the handshake headers that carry credentials."""

    url: str
    """The WebSocket URL, without credentials."""
    provider: str
    """The provider's name (`gemini`, `openai`, `local`): shown in the status bar."""
    secret_headers: tuple[tuple[str, SecretStr], ...] = field(default=(), repr=False)
    """Headers whose values are secrets (``x-goog-api-key``, ``Authorization``): sent, never shown."""
    plain_headers: tuple[tuple[str, str], ...] = ()
    """Other handshake headers (``OpenAI-Beta`` and the like)."""

    @property
    def safe_url(self) -> str:
        """The URL as it may be shown or journaled."""
        return redact(self.url)

    def headers(self) -> dict[str, str]:
        """The handshake headers, credentials included (for the socket only)."""
        headers = dict(self.plain_headers)
        headers.update((name, value.get_secret_value()) for name, value in self.secret_headers)
        return headers


@dataclass(frozen=True)
class EndpointOptions:
    """Where a provider's service is, beyond its own default: what the user configured."""

    model: str | None = None
    """The model, for a provider that names it in the URL (OpenAI's ``?model=``)."""
    base_url: str | None = None
    """Another server speaking the provider's protocol (Azure OpenAI, xAI, a compatible server)."""
    deployment: str | None = None
    """The Azure OpenAI deployment."""
    api_version: str | None = None
    """The Azure OpenAI ``api-version``."""
    project: str | None = None
    """The Google Cloud project (Vertex AI; none: express mode, with an API key)."""
    location: str | None = None
    """The Google Cloud region (Vertex AI)."""
