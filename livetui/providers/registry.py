"""Providers by name: the one module of `livetui.providers` the rest of the client imports.

Each entry makes the provider (with its own options from the settings), its service's endpoint with the
user's key, and the endpoint of the embedded local server speaking its dialect. Adding a provider is one
entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import SecretStr

from livetui.live.endpoint import Endpoint, EndpointOptions
from livetui.live.provider import Provider
from livetui.providers.gemini.endpoint import gemini_endpoint, local_endpoint as gemini_local
from livetui.providers.gemini.provider import GeminiProvider
from livetui.providers.gemini.setup import SetupOptions
from livetui.providers.gemini.summary import FILTER_EXAMPLE as GEMINI_FILTER
from livetui.providers.gemini.vertex import DEFAULT_LOCATION, vertex_endpoint, vertex_model_prefix
from livetui.providers.openai.endpoint import local_endpoint as openai_local, service_endpoint
from livetui.providers.openai.provider import OpenAIProvider
from livetui.providers.openai.summary import FILTER_EXAMPLE as OPENAI_FILTER

if TYPE_CHECKING:
    from livetui.config import Settings


@dataclass(frozen=True)
class ProviderEntry:
    """How the client reaches one provider."""

    make: Callable[[Settings | None], Provider]
    """The provider, with its options from the settings (its defaults without them)."""
    endpoint: Callable[[SecretStr, EndpointOptions | None], Endpoint]
    """The provider's service (or the server the options name), authenticated with the user's key."""
    local_endpoint: Callable[[str, SecretStr | None], Endpoint]
    """The embedded local server at a base URL, speaking this provider's dialect (with a key, if any)."""
    filter_example: str
    """A part of its frames' summaries, shown as an example of what the events pane filters by."""


def _gemini_options(settings: Settings, model_prefix: str = "models/") -> SetupOptions:
    """The `[gemini]` options of a Gemini setup (Google's or Vertex AI's)."""
    gemini = settings.gemini
    return SetupOptions(
        thinking_level=None if gemini.thinking == "default" else gemini.thinking,
        thinking_budget=gemini.thinking_budget,
        include_thoughts=gemini.include_thoughts,
        transcription=gemini.transcription,
        explicit_vad_signal=gemini.explicit_vad_signal,
        proactive_audio=gemini.proactive_audio,
        extra=gemini.setup_extra,
        model_prefix=model_prefix,
    )


def _gemini(settings: Settings | None) -> Provider:
    if settings is None:
        return GeminiProvider()
    return GeminiProvider(text_route=settings.gemini.text_route, options=_gemini_options(settings))


def _vertex(settings: Settings | None) -> Provider:
    if settings is None:
        return GeminiProvider(options=SetupOptions(model_prefix=vertex_model_prefix(None, DEFAULT_LOCATION)))
    vertex = settings.vertex
    prefix = vertex_model_prefix(vertex.project if vertex.api_key is None else None, vertex.location)
    return GeminiProvider(text_route=settings.gemini.text_route, options=_gemini_options(settings, prefix))


PROVIDERS: dict[str, ProviderEntry] = {
    "gemini": ProviderEntry(
        make=_gemini, endpoint=gemini_endpoint, local_endpoint=gemini_local, filter_example=GEMINI_FILTER
    ),
    "vertex": ProviderEntry(
        make=_vertex, endpoint=vertex_endpoint, local_endpoint=gemini_local, filter_example=GEMINI_FILTER
    ),
    "openai": ProviderEntry(
        make=lambda _: OpenAIProvider(),
        endpoint=service_endpoint,
        local_endpoint=openai_local,
        filter_example=OPENAI_FILTER,
    ),
}
"""Every provider, by the name `--provider` gives it."""

LOCAL_DIALECT = "gemini"
"""The dialect the client speaks to the embedded local server by default."""


class UnknownProviderError(ValueError):
    """No provider has that name. The message is one line."""


def entry(name: str) -> ProviderEntry:
    """The entry of the provider called `name`.

    Raises:
        UnknownProviderError: there is none.
    """
    found = PROVIDERS.get(name)
    if found is None:
        raise UnknownProviderError(f"unknown provider {name!r}; known: {', '.join(sorted(PROVIDERS))}")
    return found


def filter_example(name: str) -> str:
    """The example the events pane's filter shows for the provider (or local dialect) `name`; "" for a
    name no provider has."""
    found = PROVIDERS.get(name)
    return found.filter_example if found is not None else ""


def provider(name: str, settings: Settings | None = None) -> Provider:
    """The provider called `name`, with its options from `settings` (its defaults without them)."""
    return entry(name).make(settings)


def endpoint(name: str, api_key: SecretStr, options: EndpointOptions | None = None) -> Endpoint:
    """The service of the provider called `name` (or the server `options` name), with the user's key.

    Raises:
        ValueError: the options cannot make an endpoint (one line).
    """
    return entry(name).endpoint(api_key, options)


def local_endpoint(
    base_url: str, api_key: SecretStr | None = None, *, dialect: str = LOCAL_DIALECT
) -> Endpoint:
    """The embedded local server at ``ws://HOST:PORT``, in `dialect` (presenting `api_key` if given)."""
    return entry(dialect).local_endpoint(base_url, api_key)
