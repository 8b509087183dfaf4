"""Endpoints for OpenAI, Azure OpenAI, xAI, compatible servers and the local server (the key only ever in a
secret header), and the provider: capabilities, codecs, and what its close codes mean."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from livetui.live.codec import Codec, Exchange
from livetui.live.endpoint import EndpointOptions
from livetui.live.provider import Provider
from livetui.providers import registry
from livetui.providers.openai.codec import OpenAICodec
from livetui.providers.openai.endpoint import (
    EndpointError,
    azure_endpoint,
    local_endpoint,
    openai_endpoint,
    realtime_url,
    xai_endpoint,
)
from livetui.providers.openai.provider import OpenAIProvider
from tests.providers.openai.wire import CONFIG, sent, types

KEY = SecretStr("sk-secret-123")


def test_openai_by_default_with_a_bearer_key_that_is_never_shown() -> None:
    endpoint = openai_endpoint(KEY)
    assert endpoint.url == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert endpoint.headers() == {"Authorization": "Bearer sk-secret-123"}
    assert endpoint.provider == "openai"
    assert "sk-secret" not in repr(endpoint) and "sk-secret" not in endpoint.safe_url


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://gateway.example/v1", "wss://gateway.example/v1/realtime?model=m"),
        ("http://127.0.0.1:8000/v1/", "ws://127.0.0.1:8000/v1/realtime?model=m"),
        ("ws://host:1/v1/realtime", "ws://host:1/v1/realtime?model=m"),
        ("https://host/v1?x=1", "wss://host/v1/realtime?x=1&model=m"),
    ],
)
def test_a_compatible_server_from_a_base_url(base: str, url: str) -> None:
    assert openai_endpoint(KEY, model="m", base_url=base).url == url


@pytest.mark.parametrize("base", ["ftp://host/v1", "api.openai.com/v1", "https://", ""])
def test_a_base_url_that_cannot_be_used_is_one_line(base: str) -> None:
    with pytest.raises(EndpointError, match="not an http"):
        realtime_url(base)


def test_azure_takes_the_deployment_and_version_and_the_api_key_header() -> None:
    endpoint = azure_endpoint(
        KEY, base_url="https://myres.openai.azure.com", deployment="gpt-realtime", api_version="2025-08-28"
    )
    assert endpoint.url == (
        "wss://myres.openai.azure.com/openai/realtime?api-version=2025-08-28&deployment=gpt-realtime"
    )
    assert endpoint.headers() == {"api-key": "sk-secret-123"}
    assert "sk-secret" not in repr(endpoint)


def test_xai_and_the_local_server() -> None:
    xai = xai_endpoint(KEY)
    assert (
        xai.url == "wss://api.x.ai/v1/realtime" and xai.headers()["Authorization"] == "Bearer sk-secret-123"
    )
    local = local_endpoint("ws://127.0.0.1:4321")
    assert local.url == "ws://127.0.0.1:4321/v1/realtime?model=gpt-realtime"
    assert local.headers() == {} and local.provider == "local"
    assert local_endpoint("ws://127.0.0.1:1", KEY).headers() == {"Authorization": "Bearer sk-secret-123"}


def test_the_provider_describes_its_sessions_and_makes_codecs_that_replay() -> None:
    provider: Provider = OpenAIProvider()
    caps = provider.capabilities
    assert (caps.resumable, caps.go_away, caps.manual_activity, caps.truncate_on_interrupt) == (
        False,
        False,
        True,
        True,
    )
    assert (caps.video, caps.audio_in_rate, caps.audio_out_rate) == ("snapshots", 24000, 24000)
    codec = provider.codec(
        CONFIG, first_turn=5, handle="ignored", history=(Exchange(role="user", text="hi"),)
    )
    assert isinstance(codec, OpenAICodec)
    typed: Codec = codec
    typed.start()
    assert types(sent(codec)) == ["session.update", "conversation.item.create"]
    assert typed.next_turn == 5 and not typed.ready
    assert not provider.refuses_config(1007) and not provider.refuses_config(1008)


def test_the_registry_names_it() -> None:
    assert isinstance(registry.provider("openai"), OpenAIProvider)
    assert registry.endpoint("openai", KEY).url == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    local = registry.local_endpoint("ws://127.0.0.1:9", KEY, dialect="openai")
    assert local.url == "ws://127.0.0.1:9/v1/realtime?model=gpt-realtime" and local.provider == "local"


@pytest.mark.parametrize(
    ("code", "reason", "expected"),
    [
        (
            1001,
            "Your session hit the maximum duration of 60 minutes.",
            "the session reached the server's time limit (1001): "
            "Your session hit the maximum duration of 60 minutes.",
        ),
        (1000, "", "the server closed the session (1000)"),
        (
            1008,
            "invalid api key",
            "the server refused the session (check the API key, and that it may use the "
            "model) (1008): invalid api key",
        ),
        (4003, "quota\nexceeded", "the server ended the session (4003): quota exceeded"),
        (1006, "", "the connection dropped (1006)"),
        (3999, "", "the connection closed (3999)"),
    ],
)
def test_close_codes_are_one_line(code: int, reason: str, expected: str) -> None:
    assert OpenAIProvider().explain_close(code, reason) == expected


def test_a_base_url_with_a_password_is_shown_without_it() -> None:
    endpoint = registry.endpoint(
        "openai", KEY, EndpointOptions(base_url="https://user:hunter2@host.example/v1")
    )
    assert "hunter2" not in endpoint.safe_url and "user" not in endpoint.safe_url
    assert endpoint.safe_url == "wss://host.example/v1/realtime?model=gpt-realtime"
