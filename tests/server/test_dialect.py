"""The endpoint looks like Google's: its paths, a 404 elsewhere, and the API key rules."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.datastructures import Headers
from websockets.exceptions import InvalidStatus

from livetui.server.app import LiveServer, ServerConfig, is_loopback
from livetui.server.dialects.gemini.paths import is_live_path, presented_key
from livetui.server.errors import StartupError
from tests.conftest import ServerStarter
from tests.server.wire import ask, raw_socket, recv, send, session, setup

BASE = "/ws/google.ai.generativelanguage.{version}.GenerativeService.{method}"
LIVE_PATHS = [
    BASE.format(version=version, method=method)
    for version in ("v1", "v1beta", "v1alpha")
    for method in ("BidiGenerateContent", "BidiGenerateContentConstrained")
]


@pytest.mark.parametrize("path", LIVE_PATHS + ["/" + LIVE_PATHS[0], LIVE_PATHS[2] + "?key=k&alt=json"])
async def test_every_live_path_variant_holds_a_session(live_server: LiveServer, path: str) -> None:
    async with session(live_server, path=path) as ws:
        assert await ask(ws, "hi") == "You said: hi"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ws",
        "/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent",
        "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentX",
        "/ws/google.cloud.aiplatform.v2.LlmBidiService/BidiGenerateContent",
        "/v1beta/models/x:generateContent",
    ],
)
async def test_any_other_path_is_refused_with_404_and_a_one_line_body(
    live_server: LiveServer, path: str
) -> None:
    with pytest.raises(InvalidStatus) as caught:
        async with raw_socket(live_server, path=path):
            pass
    response = caught.value.response
    assert response.status_code == 404
    body = response.body.decode()
    assert body.endswith("\n") and "\n" not in body.rstrip("\n")
    assert "BidiGenerateContent" in body


def test_path_check_collapses_leading_slashes_and_ignores_the_query() -> None:
    assert is_live_path("//" + LIVE_PATHS[1].lstrip("/") + "?key=x")
    assert not is_live_path(LIVE_PATHS[1] + "/extra")


def test_presented_key_is_found_wherever_clients_put_it() -> None:
    path = LIVE_PATHS[0]
    assert presented_key(path, Headers({"x-goog-api-key": "a"})) == "a"
    assert presented_key(path + "?key=b", Headers()) == "b"
    assert presented_key(path + "?access_token=c", Headers()) == "c"
    assert presented_key(path, Headers({"Authorization": "Token auth_tokens/d"})) == "auth_tokens/d"
    assert presented_key(path, Headers()) is None


@pytest.mark.parametrize(
    ("suffix", "headers"),
    [
        ("", {"x-goog-api-key": "sesame"}),
        ("?key=sesame", {}),
        ("?access_token=sesame", {}),
        ("", {"Authorization": "Token sesame"}),
    ],
)
async def test_the_right_key_is_accepted_in_header_or_query(
    start_live_server: ServerStarter, suffix: str, headers: dict[str, str]
) -> None:
    server = await start_live_server(ServerConfig(key="sesame"))
    async with raw_socket(server, path=LIVE_PATHS[1] + suffix, headers=headers) as ws:
        await send(ws, setup())
        assert await ask_after_setup(ws) == "You said: hi"


async def ask_after_setup(ws: ClientConnection) -> str:
    """Expect setupComplete, then ask one question; the reply's text."""
    assert await recv(ws) == {"setupComplete": {}}
    return await ask(ws, "hi")


@pytest.mark.parametrize(
    ("suffix", "headers", "status"),
    [("", {}, 401), ("?key=wrong", {}, 403), ("", {"x-goog-api-key": "sesame!"}, 403)],
)
async def test_a_missing_or_wrong_key_is_refused_at_the_upgrade_before_any_frame(
    start_live_server: ServerStarter, suffix: str, headers: dict[str, str], status: int
) -> None:
    server = await start_live_server(ServerConfig(key="sesame"))
    with pytest.raises(InvalidStatus) as refused:
        async with raw_socket(server, path=LIVE_PATHS[1] + suffix, headers=headers):
            pass
    response = refused.value.response
    assert response.status_code == status
    assert response.body == b"API key not valid. Please pass a valid API key.\n"


async def test_without_a_configured_key_any_key_or_none_is_accepted(live_server: LiveServer) -> None:
    async with raw_socket(live_server, headers={"x-goog-api-key": "anything"}) as ws:
        await send(ws, setup())
        assert await ask_after_setup(ws) == "You said: hi"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "example.com"])
async def test_listening_off_loopback_without_a_key_refuses_to_start(host: str) -> None:
    with pytest.raises(StartupError, match="without a key"):
        await LiveServer(ServerConfig(host=host)).start()


def test_loopback_hosts() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.1", "example.com", ""]))
