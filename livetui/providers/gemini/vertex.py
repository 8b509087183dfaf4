"""Gemini Live on Google Cloud's Vertex AI: its endpoint, how it authenticates, and how it names models.

With a project, a session authenticates with an OAuth access token (``Authorization: Bearer``) and names
its model ``projects/P/locations/L/publishers/google/models/M``; in express mode (an API key, no project)
the key goes in ``x-goog-api-key`` and the model is ``publishers/google/models/M``, as the SDK sends it.
The location ``global`` is served by ``aiplatform.googleapis.com``, every other by
``{location}-aiplatform.googleapis.com``.
"""

from __future__ import annotations

from pydantic import SecretStr

from livetui.live.endpoint import Endpoint, EndpointOptions
from livetui.providers.gemini.endpoint import KEY_HEADER

VERTEX_PATH = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"
"""Vertex AI's Live path."""

DEFAULT_LOCATION = "us-central1"
"""The region used when none is given."""

PUBLISHER = "publishers/google/models/"
"""How Vertex AI names Google's models."""


def vertex_host(location: str) -> str:
    """The API host that serves `location`."""
    return "aiplatform.googleapis.com" if location == "global" else f"{location}-aiplatform.googleapis.com"


def vertex_model_prefix(project: str | None, location: str) -> str:
    """What goes before a model's id in `setup`: the project's path, or (express mode) the publisher's."""
    return f"projects/{project}/locations/{location}/{PUBLISHER}" if project else PUBLISHER


def vertex_endpoint(secret: SecretStr, options: EndpointOptions | None = None) -> Endpoint:
    """Vertex AI's Live endpoint for the options' location: `secret` is an access token when the options
    name a project, an express-mode API key when they do not.

    Raises:
        ValueError: the location is not a region's name (one line).
    """
    options = options or EndpointOptions()
    location = options.location or DEFAULT_LOCATION
    if not location.replace("-", "").isalnum():
        raise ValueError(f"not a Google Cloud location: {location!r}")
    url = f"wss://{vertex_host(location)}{VERTEX_PATH}"
    if options.project:
        bearer = SecretStr(f"Bearer {secret.get_secret_value()}")
        return Endpoint(url=url, provider="vertex", secret_headers=(("Authorization", bearer),))
    return Endpoint(url=url, provider="vertex", secret_headers=((KEY_HEADER, secret),))
