"""What makes a request look like one to OpenAI's Realtime endpoint: the path and the API key.

The official SDK appends ``/realtime`` to its base URL (``ws://HOST:PORT/v1``) and adds ``?model=``;
it sends the key as ``Authorization: Bearer …`` (Azure's clients as an ``api-key`` header).
"""

from __future__ import annotations

from websockets.datastructures import Headers

REALTIME_PATH = "/v1/realtime"
"""The path the dialect answers on (any query)."""

BAD_KEY_BODY = "Incorrect API key provided. You can find your API key in your local server's key file."
"""What a client with a missing or wrong key is told (in the 401 or 403 body)."""


def is_realtime_path(target: str) -> bool:
    """True for ``/v1/realtime`` (leading slashes collapsed, a trailing one allowed, the query ignored)."""
    path = "/" + target.partition("?")[0].strip("/")
    return path == REALTIME_PATH


def presented_key(target: str, headers: Headers) -> str | None:
    """The key in ``Authorization: Bearer …`` or the ``api-key`` header; None if neither holds one."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return headers.get("api-key") or None
