"""Gemini Live on Vertex AI: the model's full name, the endpoint by location, a token or an express key
in a header (never in the URL), and the session id it names its sessions by."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from livetui import events as ev
from livetui.config import Settings, VertexSettings
from livetui.live.config import SessionConfig
from livetui.live.endpoint import EndpointOptions
from livetui.providers import registry
from livetui.providers.gemini.provider import GeminiProvider
from livetui.providers.gemini.setup import SetupOptions

TOKEN = "ya29.a-token-that-must-stay-secret"


def model_sent(settings: Settings, model: str = "gemini-live-2.5-flash") -> str:
    """The `setup.model` a Vertex session of `settings` opens with."""
    codec = registry.provider("vertex", settings).codec(SessionConfig(model=model))
    codec.start()
    name = json.loads(codec.data_to_send()[0])["setup"]["model"]
    assert isinstance(name, str)
    return name


def test_with_a_project_the_model_is_named_in_full() -> None:
    settings = Settings(vertex=VertexSettings(project="p1", location="europe-west4"))
    assert (
        model_sent(settings)
        == "projects/p1/locations/europe-west4/publishers/google/models/gemini-live-2.5-flash"
    )


def test_in_express_mode_the_model_is_the_publishers() -> None:
    settings = Settings(vertex=VertexSettings(project="p1", api_key=SecretStr("k")))
    assert model_sent(settings) == "publishers/google/models/gemini-live-2.5-flash"


def test_a_full_model_name_is_sent_as_given_not_under_models() -> None:
    full = "projects/p/locations/l/publishers/google/models/m"
    codec = GeminiProvider().codec(SessionConfig(model=full))
    codec.start()
    assert json.loads(codec.data_to_send()[0])["setup"]["model"] == full
    codec = GeminiProvider(options=SetupOptions(model_prefix="publishers/google/models/")).codec(
        SessionConfig(model="models/m")
    )
    codec.start()
    assert json.loads(codec.data_to_send()[0])["setup"]["model"] == "publishers/google/models/m"


@pytest.mark.parametrize(
    ("location", "host"),
    [("us-central1", "us-central1-aiplatform.googleapis.com"), ("global", "aiplatform.googleapis.com")],
)
def test_the_endpoint_is_the_locations_with_the_token_as_a_bearer(location: str, host: str) -> None:
    endpoint = registry.endpoint("vertex", SecretStr(TOKEN), EndpointOptions(project="p", location=location))
    assert (
        endpoint.url == f"wss://{host}/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"
    )
    assert endpoint.headers() == {"Authorization": f"Bearer {TOKEN}"}
    assert TOKEN not in endpoint.safe_url and TOKEN not in repr(endpoint) and endpoint.provider == "vertex"


def test_in_express_mode_the_key_goes_in_the_key_header() -> None:
    endpoint = registry.endpoint("vertex", SecretStr("express-key"), EndpointOptions(location="us-east1"))
    assert endpoint.headers() == {"x-goog-api-key": "express-key"}
    assert "express-key" not in endpoint.url


def test_a_location_that_is_no_region_is_one_clear_line() -> None:
    with pytest.raises(ValueError, match="not a Google Cloud location: 'us/../x'"):
        registry.endpoint("vertex", SecretStr(TOKEN), EndpointOptions(project="p", location="us/../x"))


def test_the_session_id_of_setup_complete_is_kept_and_shown() -> None:
    codec = registry.provider("vertex").codec(SessionConfig(model="m"))
    codec.start()
    codec.receive(json.dumps({"setupComplete": {"sessionId": "s-123"}}), at=0.0)
    events = codec.events_received()
    assert ev.SetupComplete(session_id="s-123") in events
    assert ev.Notice(message="session id: s-123") in events
