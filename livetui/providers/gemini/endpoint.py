"""Where Gemini Live sessions connect, and how they authenticate: the key in the ``x-goog-api-key``
header, never in the URL."""

from __future__ import annotations

from pydantic import SecretStr

from livetui.live.endpoint import Endpoint, EndpointOptions
from livetui.providers.gemini.paths import LIVE_PATH

GEMINI_URL = "wss://generativelanguage.googleapis.com" + LIVE_PATH
"""The Gemini Developer API's Live endpoint."""

LOCAL_PATH = LIVE_PATH
"""The same path on the embedded local server, which speaks the Gemini dialect there."""

KEY_HEADER = "x-goog-api-key"
"""The handshake header that carries the key."""


def _key_headers(api_key: SecretStr | None) -> tuple[tuple[str, SecretStr], ...]:
    return ((KEY_HEADER, api_key),) if api_key is not None else ()


def gemini_endpoint(api_key: SecretStr, options: EndpointOptions | None = None) -> Endpoint:
    """Google's endpoint with this key (the model is named in `setup`, so no option changes it)."""
    return Endpoint(url=GEMINI_URL, provider="gemini", secret_headers=_key_headers(api_key))


def local_endpoint(base_url: str, api_key: SecretStr | None = None) -> Endpoint:
    """The embedded server at ``ws://HOST:PORT`` (presenting `api_key` when it was started with one)."""
    url = base_url.rstrip("/") + LOCAL_PATH
    return Endpoint(url=url, provider="local", secret_headers=_key_headers(api_key))
