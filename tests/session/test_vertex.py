"""Vertex AI as a provider: the credential it presents (an express key, a token, or the project's
application-default credentials), the one line when there is none, and a whole session in Vertex's terms
with the local server on Vertex's path."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from livetui import events as ev
from livetui.config import Settings, VertexSettings, load_settings
from livetui.live.endpoint import Endpoint
from livetui.providers import registry
from livetui.providers.gemini.vertex import VERTEX_PATH
from livetui.session.connect import MissingKeyError, Target, missing_key, plan_session
from livetui.session.engine import LiveSession
from livetui.session.vertex import VertexCredentialError, vertex_credential
from tests.session.conftest import TEXT_CONFIG, local_server, running


async def test_an_express_key_needs_no_project() -> None:
    settings = Settings(vertex=VertexSettings(api_key=SecretStr("k"), location="global"))
    secret, options = await vertex_credential(settings)
    assert secret.get_secret_value() == "k" and options.project is None and options.location == "global"


async def test_a_project_presents_the_configured_token() -> None:
    settings = Settings(vertex=VertexSettings(project="p", access_token=SecretStr("tok")))
    secret, options = await vertex_credential(settings)
    assert secret.get_secret_value() == "tok" and options.project == "p"


async def test_a_project_without_any_token_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("livetui.session.vertex.default_token", lambda: None)
    with pytest.raises(
        VertexCredentialError, match=r"^Vertex AI needs a project .*GOOGLE_CLOUD_ACCESS_TOKEN"
    ):
        await vertex_credential(Settings(vertex=VertexSettings(project="p")))


def test_the_project_location_and_token_come_from_google_clouds_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIVETUI_CONFIG", "/nonexistent/none.toml")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "from-env")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "asia-northeast1")
    monkeypatch.setenv("GOOGLE_CLOUD_ACCESS_TOKEN", "env-token")
    settings = load_settings(provider="vertex", model="gemini-live-x")
    vertex = settings.vertex
    assert (vertex.project, vertex.location, vertex.model) == ("from-env", "asia-northeast1", "gemini-live-x")
    assert vertex.access_token is not None and vertex.access_token.get_secret_value() == "env-token"
    assert settings.dialect == "gemini" and Target.of(settings).label == "vertex · gemini-live-x"
    assert load_settings(project="flag-project").vertex.project == "flag-project"


def test_vertex_without_a_key_or_project_is_refused_before_the_app_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(MissingKeyError) as caught:
        plan_session(Settings(provider="vertex"), resolve=lambda brain: ("scripted", []))
    assert caught.value.provider == "vertex"
    line = missing_key("vertex")
    assert line.startswith("--provider vertex needs a project (--project or GOOGLE_CLOUD_PROJECT)")
    assert "\n" not in line


async def test_a_vertex_session_holds_with_the_local_server_on_vertexs_path() -> None:
    settings = Settings(vertex=VertexSettings(project="p", location="us-central1"))
    async with local_server() as server:
        endpoint = Endpoint(url=server.url + VERTEX_PATH, provider="vertex")
        session = LiveSession(endpoint, registry.provider("vertex", settings), TEXT_CONFIG)
        async with running(session) as recorder:
            ready = await recorder.first(ev.SetupComplete)
            assert ready.session_id
            turn = session.send_text("hello vertex")
            await recorder.first(ev.TurnComplete)
            text = "".join(d.text for d in recorder.of(ev.TextDelta) if d.turn == turn)
    assert text == "You said: hello vertex"
    [usage] = recorder.of(ev.Usage)
    assert usage.response_tokens == 4 and usage.response_details == {"text": 4}, "candidates counts read"
