"""Opening a session with Gemini Live on Google Cloud's Vertex AI: which credential, and where.

An express-mode API key (`[vertex] api_key`) needs nothing else. Otherwise the session needs a project and
an OAuth access token: `[vertex] access_token` (`GOOGLE_CLOUD_ACCESS_TOKEN`), or one from the
application-default credentials when `google-auth` is installed (the `vertex` extra). Getting that token
may read files and refresh it over the network, so it runs off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import TYPE_CHECKING

from pydantic import SecretStr

from livetui.live.endpoint import EndpointOptions
from livetui.providers import registry
from livetui.session.engine import LiveSession
from livetui.session.setup import build_config

if TYPE_CHECKING:
    from livetui.config import Settings
    from livetui.tools.registry import ToolRegistry

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""The OAuth scope a Vertex AI session needs."""


class VertexCredentialError(Exception):
    """Vertex AI was asked for without a way to authenticate. The message is one line."""


NO_CREDENTIAL = (
    "needs a project (--project or GOOGLE_CLOUD_PROJECT) and an access token (GOOGLE_CLOUD_ACCESS_TOKEN, "
    "or application-default credentials with the vertex extra: pip install 'livetui[vertex]'), or an "
    "express-mode key (LIVETUI_VERTEX__API_KEY); set them (or use --provider local)"
)
"""What Vertex AI needs, after what asked for it (``--provider vertex needs ...``)."""


def vertex_ready(settings: Settings) -> bool:
    """True when the settings can try to authenticate with Vertex AI: an express key, or a project."""
    vertex = settings.vertex
    return vertex.api_key is not None or bool(vertex.project)


def default_token() -> SecretStr | None:
    """An access token from the application-default credentials, or None without `google-auth` or
    credentials (blocking: it may refresh over the network)."""
    try:
        import google.auth
        import google.auth.transport.requests
        from google.auth.exceptions import GoogleAuthError
    except ImportError:
        return None
    try:
        credentials, _ = google.auth.default(scopes=[SCOPE])
        credentials.refresh(google.auth.transport.requests.Request())  # type: ignore[no-untyped-call]
    except (GoogleAuthError, OSError, ValueError):
        return None
    token = getattr(credentials, "token", None)
    return SecretStr(token) if isinstance(token, str) and token else None


async def vertex_credential(settings: Settings) -> tuple[SecretStr, EndpointOptions]:
    """The secret to present and the endpoint's options: the express key, or the project's token.

    Raises:
        VertexCredentialError: there is no key, project or token.
    """
    vertex = settings.vertex
    if vertex.api_key is not None:
        return vertex.api_key, EndpointOptions(location=vertex.location)
    token = vertex.access_token or await asyncio.to_thread(default_token)
    if vertex.project is None or token is None:
        raise VertexCredentialError(f"Vertex AI {NO_CREDENTIAL}")
    return token, EndpointOptions(project=vertex.project, location=vertex.location)


@contextlib.asynccontextmanager
async def open_vertex(settings: Settings, *, tools: ToolRegistry | None = None) -> AsyncIterator[LiveSession]:
    """A session with Gemini Live on Vertex AI, as the settings' `[vertex]` section says."""
    secret, options = await vertex_credential(settings)
    config = replace(build_config(settings, tools=tools), model=settings.vertex.model)
    endpoint = registry.endpoint("vertex", secret, options)
    yield LiveSession(endpoint, registry.provider("vertex", settings), config)
