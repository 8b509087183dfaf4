"""The official google-genai SDK holds sessions with the local server (reference §7, recipe 1: TLS)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from google import genai
from google.genai import types
from websockets.exceptions import InvalidStatus

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ServerStarter

pytestmark = pytest.mark.sdk


def sdk_client(server: LiveServer, key: str = "k") -> genai.Client:
    """An SDK client aimed at `server`, trusting its self-signed certificate."""
    assert server.cert_path is not None
    context = ssl.create_default_context(cafile=server.cert_path)
    return genai.Client(
        api_key=key,
        http_options={"base_url": f"https://127.0.0.1:{server.port}", "async_client_args": {"ssl": context}},
    )


@pytest.fixture
async def tls_server(start_live_server: ServerStarter, tmp_path: Path) -> LiveServer:
    """A TLS server, since the SDK always dials wss://."""
    return await start_live_server(ServerConfig(tls=True, cert_dir=tmp_path, key="k"))


async def receive_turn(session: genai.live.AsyncSession) -> tuple[list[str], types.LiveServerMessage]:
    """The text deltas of one turn, and its last message (the one with turn_complete)."""
    deltas: list[str] = []
    last = None
    async for message in session.receive():
        if message.text:
            deltas.append(message.text)
        last = message
    assert last is not None and last.server_content is not None
    return deltas, last


async def test_the_sdk_holds_a_text_session(tls_server: LiveServer) -> None:
    config = types.LiveConnectConfig(response_modalities=[types.Modality.TEXT])
    async with sdk_client(tls_server).aio.live.connect(model="local-test", config=config) as session:
        await session.send_client_content(
            turns=types.Content(role="user", parts=[types.Part(text="hello from the sdk")]),
            turn_complete=True,
        )
        deltas, last = await receive_turn(session)
        assert len(deltas) > 1
        assert "".join(deltas) == "You said: hello from the sdk"
        assert last.server_content is not None and last.server_content.turn_complete
        assert last.usage_metadata is not None and last.usage_metadata.total_token_count

        await session.send_realtime_input(text="and realtime text")
        deltas, last = await receive_turn(session)
        assert "".join(deltas) == "You said: and realtime text"
        assert last.server_content is not None and last.server_content.turn_complete


async def test_the_sdk_is_refused_a_wrong_key_at_the_upgrade_with_403(tls_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as caught:
        async with sdk_client(tls_server, key="wrong").aio.live.connect(model="local-test"):
            pass
    assert caught.value.response.status_code == 403
    assert b"API key not valid" in caught.value.response.body


async def test_the_sdk_gets_output_transcription_in_an_audio_session(tls_server: LiveServer) -> None:
    config = types.LiveConnectConfig(output_audio_transcription=types.AudioTranscriptionConfig())
    async with sdk_client(tls_server).aio.live.connect(model="local-test", config=config) as session:
        await session.send_realtime_input(text="say it")
        heard: list[str] = []
        async for message in session.receive():
            content = message.server_content
            if content and content.output_transcription and content.output_transcription.text:
                heard.append(content.output_transcription.text)
        assert "".join(heard) == "You said: say it"
