"""The official google-genai SDK streams recorded speech to the local server and hears it answer."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from google import genai
from google.genai import types

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ServerStarter
from tests.voice.conftest import GRAMMAR, SCRIPT, Speech, pcm_of

pytestmark = pytest.mark.sdk


async def test_the_sdk_streams_speech_and_gets_transcripts_and_24khz_audio(
    start_live_server: ServerStarter, tmp_path: Path, speech: Speech
) -> None:
    config = ServerConfig(tls=True, cert_dir=tmp_path, key="k", grammar=GRAMMAR, script=SCRIPT)
    server: LiveServer = await start_live_server(config)
    assert server.cert_path is not None
    client = genai.Client(
        api_key="k",
        http_options={
            "base_url": f"https://127.0.0.1:{server.port}",
            "async_client_args": {"ssl": ssl.create_default_context(cafile=server.cert_path)},
        },
    )
    live = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
    )
    pcm = pcm_of(speech("what is the weather like today"))
    heard: list[str] = []
    said: list[str] = []
    mimes: set[str] = set()
    audio = b""
    async with client.aio.live.connect(model="local-test", config=live) as session:
        for start in range(0, len(pcm), 3200):  # 100 ms blocks, as the SDK's examples send
            blob = types.Blob(data=pcm[start : start + 3200], mime_type="audio/pcm;rate=16000")
            await session.send_realtime_input(audio=blob)
        async for message in session.receive():
            content = message.server_content
            if content is None:
                continue
            if content.input_transcription:  # a 2.5-class model: append-only chunks, never finished
                assert not content.input_transcription.finished
                heard.append(content.input_transcription.text or "")
            if content.output_transcription and content.output_transcription.text:
                said.append(content.output_transcription.text)
            for part in content.model_turn.parts or [] if content.model_turn else []:
                if part.inline_data is not None and part.inline_data.data:
                    mimes.add(part.inline_data.mime_type or "")
                    audio += part.inline_data.data
    assert "".join(heard) == "what is the weather like today", "the deltas an SDK user joins"
    assert "".join(said) == "It is sunny and warm today. Expect a light breeze this afternoon."
    assert mimes == {"audio/pcm;rate=24000"}
    assert len(audio) / 2 / 24000 > 3.0, "seconds of 24 kHz speech"
