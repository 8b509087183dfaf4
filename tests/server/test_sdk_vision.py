"""The official google-genai SDK sends a camera frame to `livetui serve` and asks what it sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.genai import types

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ServerStarter
from tests.frames import HELLO_SCENE, jpeg, qr_frame
from tests.server.test_sdk import receive_turn, sdk_client

pytestmark = pytest.mark.sdk


@pytest.fixture
async def tls_server(start_live_server: ServerStarter, tmp_path: Path) -> LiveServer:
    """A TLS server, since the SDK always dials wss://."""
    return await start_live_server(ServerConfig(tls=True, cert_dir=tmp_path, key="k"))


async def test_the_sdk_sends_a_jpeg_and_gets_the_scene_back(tls_server: LiveServer) -> None:
    config = types.LiveConnectConfig(response_modalities=[types.Modality.TEXT])
    async with sdk_client(tls_server).aio.live.connect(model="local-test", config=config) as session:
        await session.send_realtime_input(text="what do you see?")
        deltas, _ = await receive_turn(session)
        assert "".join(deltas) == "I can't see anything yet: no camera frames have arrived."

        frame = types.Blob(data=jpeg(qr_frame("hello livetui")), mime_type="image/jpeg")
        await session.send_realtime_input(video=frame)
        await session.send_realtime_input(text="What can you see?")
        deltas, last = await receive_turn(session)
        assert "".join(deltas) == HELLO_SCENE
        assert last.server_content is not None and last.server_content.turn_complete


async def test_the_sdk_media_argument_is_seen_too(tls_server: LiveServer) -> None:
    config = types.LiveConnectConfig(response_modalities=[types.Modality.TEXT])
    async with sdk_client(tls_server).aio.live.connect(model="local-test", config=config) as session:
        picture = jpeg(qr_frame("via media", colour=(0, 0, 230)))
        await session.send_realtime_input(media=types.Blob(data=picture, mime_type="image/jpeg"))
        await session.send_realtime_input(text="describe the scene")
        deltas, _ = await receive_turn(session)
        assert "".join(deltas).endswith("mostly red. There is a QR code that says: via media.")
