"""What makes a request look like one to Google's Live endpoint: the path and the API key (reference §0, §1).

Both are checked during the opening handshake (`livetui.server.core.admission`): a wrong path gets HTTP
404, as Google answers; a missing key 401 and a wrong one 403, before any frame is read.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from websockets.datastructures import Headers

from livetui.providers.gemini.paths import LIVE_PATH

_LIVE_PATH = re.compile(
    r"/ws/google\.ai\.generativelanguage\.(?:v1|v1beta|v1alpha)"
    r"\.GenerativeService\.BidiGenerateContent(?:Constrained)?"
)

_VERTEX_PATH = re.compile(
    r"/ws/google\.cloud\.aiplatform\.(?:v1|v1beta1)\.LlmBidiService/BidiGenerateContent"
)

EXAMPLE_PATH = LIVE_PATH
"""A path the server answers on, named in the 404 body."""

BAD_KEY_REASON = "API key not valid. Please pass a valid API key."
"""What a client with a missing or wrong key is told (in the 401 or 403 body), in Google's words."""


def is_live_path(target: str) -> bool:
    """True for a Live endpoint path (v1, v1beta or v1alpha; plain or Constrained; or Vertex AI's).

    `target` is the request target, query included. Leading slashes are collapsed, since the Python SDK
    requests ``//ws/...`` (its base URL ends in a slash).
    """
    path = _path(target)
    return _LIVE_PATH.fullmatch(path) is not None or _VERTEX_PATH.fullmatch(path) is not None


def is_vertex_path(target: str) -> bool:
    """True for Vertex AI's Live path (``/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/...``)."""
    return _VERTEX_PATH.fullmatch(_path(target)) is not None


def _path(target: str) -> str:
    """The path of a request target, its query left out and its leading slashes collapsed."""
    return "/" + target.partition("?")[0].lstrip("/")


def presented_key(target: str, headers: Headers) -> str | None:
    """The API key or token a client presented, wherever it put it; None if it gave none.

    Looked for in the ``x-goog-api-key`` header (the Python SDK), the ``key`` query parameter (the JS SDK
    and raw clients), ``Authorization: Token ...`` and the ``access_token`` query parameter (ephemeral
    tokens).
    """
    if header := headers.get("x-goog-api-key"):
        return header
    query = parse_qs(target.partition("?")[2])
    for name in ("key", "access_token"):
        if values := query.get(name):
            return values[0]
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("token", "bearer") and token.strip():
        return token.strip()
    return None
