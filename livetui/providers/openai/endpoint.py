"""Where an OpenAI Realtime session connects and how it authenticates: OpenAI itself, Azure OpenAI, xAI,
any server that speaks the dialect, and the embedded local server. The key always travels in a secret
header, never in the URL.

A base URL may be given as ``https://`` or ``http://`` (the SDKs' style: it becomes ``wss://`` or
``ws://``) or as a WebSocket URL; ``/realtime`` is appended unless the path already ends with it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import SecretStr

from livetui.live.endpoint import Endpoint, EndpointOptions

DEFAULT_MODEL = "gpt-realtime"
"""The model a session asks for unless told otherwise."""
OPENAI_BASE = "wss://api.openai.com/v1"
"""OpenAI's API; the Realtime endpoint is ``/realtime`` under it."""
XAI_BASE = "wss://api.x.ai/v1"
"""xAI's API (Grok voice speaks the Realtime dialect)."""
AZURE_API_VERSION = "2025-04-01-preview"
"""The Azure OpenAI ``api-version`` used unless told otherwise."""
LOCAL_PATH = "/v1/realtime"
"""The OpenAI dialect's path on the embedded local server."""
SCHEMES = {"https": "wss", "http": "ws", "wss": "wss", "ws": "ws"}
"""URL schemes accepted in a base URL, and the WebSocket scheme each becomes."""


class EndpointError(ValueError):
    """A base URL that cannot be used; the message is one line."""


def realtime_url(base_url: str, *, path: str = "/realtime", query: dict[str, str] | None = None) -> str:
    """The WebSocket URL of the Realtime endpoint under `base_url`, with `query` added to its own.

    Raises:
        EndpointError: the URL has no host, or a scheme other than http(s) or ws(s).
    """
    parts = urlsplit(base_url.strip())
    scheme = SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.netloc:
        raise EndpointError(f"not an http(s) or ws(s) URL with a host: {base_url[:200]!r}")
    base_path = parts.path.rstrip("/")
    if not base_path.endswith(path):
        base_path += path
    params = dict(parse_qsl(parts.query))
    params.update(query or {})
    return urlunsplit((scheme, parts.netloc, base_path, urlencode(params), ""))


def bearer(key: SecretStr) -> tuple[tuple[str, SecretStr], ...]:
    """The ``Authorization: Bearer`` header of `key`, as a secret header."""
    return (("Authorization", SecretStr(f"Bearer {key.get_secret_value()}")),)


def openai_endpoint(key: SecretStr, *, model: str = DEFAULT_MODEL, base_url: str = OPENAI_BASE) -> Endpoint:
    """OpenAI's Realtime API (or any compatible server at `base_url`) with a Bearer key."""
    url = realtime_url(base_url, query={"model": model})
    return Endpoint(url=url, provider="openai", secret_headers=bearer(key))


def azure_endpoint(
    key: SecretStr, *, base_url: str, deployment: str, api_version: str = AZURE_API_VERSION
) -> Endpoint:
    """Azure OpenAI: ``https://NAME.openai.azure.com`` → ``wss://NAME.openai.azure.com/openai/realtime``
    with the deployment and API version in the query and the key in the ``api-key`` header."""
    url = realtime_url(
        base_url, path="/openai/realtime", query={"api-version": api_version, "deployment": deployment}
    )
    return Endpoint(url=url, provider="azure", secret_headers=(("api-key", key),))


def xai_endpoint(key: SecretStr, *, model: str | None = None, base_url: str = XAI_BASE) -> Endpoint:
    """xAI's Realtime endpoint with a Bearer key (its model goes in the query when one is named)."""
    url = realtime_url(base_url, query={"model": model} if model else None)
    return Endpoint(url=url, provider="xai", secret_headers=bearer(key))


def local_endpoint(base_url: str, key: SecretStr | None = None, *, model: str = DEFAULT_MODEL) -> Endpoint:
    """The embedded server's OpenAI dialect at ``ws://HOST:PORT/v1/realtime`` (presenting `key` when it
    was started with one)."""
    url = realtime_url(base_url, path=LOCAL_PATH, query={"model": model})
    return Endpoint(url=url, provider="local", secret_headers=bearer(key) if key is not None else ())


def service_endpoint(key: SecretStr, options: EndpointOptions | None = None) -> Endpoint:
    """The endpoint the user configured: OpenAI itself by default; Azure OpenAI when a deployment is
    named or the base URL is an ``openai.azure.com`` host; xAI for ``api.x.ai``; otherwise the compatible
    server at the base URL.

    Raises:
        EndpointError: the base URL cannot be used, or Azure has no deployment.
    """
    options = options or EndpointOptions()
    model = options.model or DEFAULT_MODEL
    base = options.base_url
    host = urlsplit(base).hostname or "" if base else ""
    if options.deployment is not None or host.endswith(".openai.azure.com"):
        if base is None or options.deployment is None:
            raise EndpointError("Azure OpenAI needs both a base URL and a deployment (--azure-deployment)")
        version = options.api_version or AZURE_API_VERSION
        return azure_endpoint(key, base_url=base, deployment=options.deployment, api_version=version)
    if host == "api.x.ai":
        return xai_endpoint(key, model=options.model, base_url=base or XAI_BASE)
    return openai_endpoint(key, model=model, base_url=base or OPENAI_BASE)
