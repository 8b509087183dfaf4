"""What one client can make the server do is bounded: bad frames are refused with 1007, not 1011 or a hang.

Each frame here once froze the server, ran it out of memory, or ended in an internal error (1011, which
clients retry); every one must close its own connection with 1007 and a one-line reason while other
clients go on being served.
"""

from __future__ import annotations

import base64
import logging

import pytest
from websockets.asyncio.client import ClientConnection

from livetui.live.limits import MAX_DEPTH
from livetui.providers.gemini.client import RealtimeInput, Setup
from livetui.providers.gemini.content import Blob
from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.server.core.conversation import Conversation
from livetui.server.core.listening import MAX_QUEUED_BYTES, Listener
from livetui.server.core.senses.asr import SpeechModel
from livetui.server.core.senses.image_size import image_size
from livetui.server.core.senses.vision import Vision, VisionError
from livetui.server.dialects.gemini.hearing import take
from livetui.server.dialects.gemini.sink import GeminiSink
from livetui.server.dialects.gemini.turns import settings_of
from tests.conftest import ScriptWriter, ServerStarter
from tests.frames import BLUE, Picture, jpeg, solid
from tests.server.wire import ask, closed_with, raw_socket, read_turn, send, session, user_turn


def png(picture: Picture) -> bytes:
    """`picture` as PNG."""
    import cv2

    ok, data = cv2.imencode(".png", picture)
    assert ok
    return bytes(data.tobytes())


SILENCE = base64.b64encode(bytes(3200)).decode()
"""0.1 s of silence at 16 kHz."""


def audio(rate: str, data: str = SILENCE) -> dict[str, object]:
    """A realtimeInput.audio frame whose MIME type names `rate`."""
    return {"realtimeInput": {"audio": {"mimeType": f"audio/pcm;rate={rate}", "data": data}}}


async def still_serves(server: LiveServer) -> None:
    """Another client is answered as usual."""
    async with session(server) as other:
        assert await ask(other, "still there?") == "You said: still there?"


async def send_text(ws: ClientConnection, text: str) -> None:
    """Send `text` as it is (JSON the test wrote by hand)."""
    await ws.send(text)


@pytest.mark.parametrize(
    ("rate", "reason"),
    [
        ("1000000000000000", "audio rate 1000000000000000 Hz is out of range (8000 to 48000 Hz)"),
        ("1", "audio rate 1 Hz is out of range (8000 to 48000 Hz)"),
        ("7999", "audio rate 7999 Hz is out of range (8000 to 48000 Hz)"),
        ("48001", "audio rate 48001 Hz is out of range (8000 to 48000 Hz)"),
        ("\u00b2", "audio rate '\u00b2' is not a number of Hz"),
        ("16k", "audio rate '16k' is not a number of Hz"),
    ],
)
async def test_an_audio_rate_outside_8_to_48_khz_is_refused_with_1007(
    live_server: LiveServer, rate: str, reason: str
) -> None:
    async with session(live_server) as ws:
        await send(ws, audio(rate))
        assert await closed_with(ws) == (1007, reason)
    await still_serves(live_server)


@pytest.mark.parametrize("rate", ["8000", "48000", "24000"])
async def test_audio_at_any_rate_from_8_to_48_khz_is_taken(live_server: LiveServer, rate: str) -> None:
    async with session(live_server) as ws:
        await send(ws, audio(rate))
        assert await ask(ws, "and now?") == "You said: and now?"


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ('{"clientContent": ' + "[" * 1000 + "]" * 1000 + "}", f"nested deeper than {MAX_DEPTH} levels"),
        ('{"clientContent": ' + "[" * 70 + "]" * 70 + "}", f"nested deeper than {MAX_DEPTH} levels"),
        ('{"clientContent": {"turnComplete": ' + "9" * 4301 + "}}", "a number has 4301 digits"),
        ('{"clientContent": {"turnComplete": ' + "9" * 21 + "}}", "a number has 21 digits"),
        ('{"realtimeInput": {"text": "x", "n": 1e999}}', "the number 1e999 is out of range"),
        ('{"realtimeInput": {"text": "x", "n": NaN}}', "NaN is not a JSON number"),
        ('{"realtimeInput": {"text": "a\\udfff"}}', "lone surrogate"),
        (
            '{"clientContent": {"turns": [{"parts": [{"text": "\\ud800"}]}], "turnComplete": true}}',
            "surrogate",
        ),
        ('{"realtimeInput": {"\\udfff": 1}}', "lone surrogate"),
    ],
)
async def test_deep_nesting_huge_numbers_and_bad_text_are_invalid_input_1007(
    live_server: LiveServer, frame: str, reason: str
) -> None:
    async with session(live_server) as ws:
        await send_text(ws, frame)
        code, said = await closed_with(ws)
        assert code == 1007 and said is not None and reason in said
    await still_serves(live_server)


async def test_a_deeply_nested_setup_is_refused_with_1007_too(live_server: LiveServer) -> None:
    async with raw_socket(live_server) as ws:
        await send_text(ws, '{"setup": {"model": "m", "tools": ' + "[" * 900 + "]" * 900 + "}}")
        code, said = await closed_with(ws)
        assert code == 1007 and said is not None and "nested deeper" in said


async def test_a_reply_that_cannot_be_sent_still_ends_with_turn_complete(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = write_script({"rules": [{"match": "odd", "reply": "half \udfff a reply", "chunk_chars": 5}]})
    server = await start_live_server(ServerConfig(script=script))
    async with session(server) as ws:
        await send(ws, user_turn("say something odd"))
        frames = await read_turn(ws)
        assert frames[-1]["serverContent"] == {"turnComplete": True}
        assert await ask(ws, "and then?") == "You said: and then?", "the session goes on"


async def test_a_connection_that_sends_no_setup_is_closed_after_the_setup_timeout(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server(ServerConfig(setup_timeout=0.2))
    async with raw_socket(server) as ws:
        assert await closed_with(ws) == (1008, "no setup message within 0.2 s of connecting")
    async with session(server) as ws:  # a client that sends setup at once is served as before
        assert await ask(ws, "hi") == "You said: hi"


async def test_audio_arriving_faster_than_it_is_recognised_is_bounded_and_dropped_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def ignore(_: object) -> None:
        return None

    conversation = Conversation(
        settings_of(Setup(model="models/x")), ScriptedBrain(), GeminiSink(ignore), ignore
    )
    listener = Listener(SpeechModel(), conversation)
    block = RealtimeInput(audio=Blob(mime_type="audio/pcm;rate=48000", data=bytes(700_000)))
    try:
        with caplog.at_level(logging.WARNING, logger="livetui.server"):
            for _ in range(12):  # all before the recogniser's task first runs
                take(listener, block)
        assert 0 < listener.queued_bytes <= MAX_QUEUED_BYTES
        assert [r.getMessage() for r in caplog.records] == [
            "dropped audio: it arrives faster than it can be recognised"
        ]
    finally:
        await listener.aclose()


def test_a_jpeg_over_the_pixel_bound_is_decoded_reduced_and_a_png_is_refused() -> None:
    big = solid(BLUE, width=6000, height=4000)  # 24 Mpx: over MAX_PIXELS, fits at a half
    scene = Vision().analyse(jpeg(big))
    assert (scene.width, scene.height, scene.colour) == (6000, 4000, "blue"), "the header's size is reported"
    with pytest.raises(VisionError, match="6000×4000 pixels"):
        Vision().analyse(png(big))
    assert image_size(jpeg(solid(BLUE, width=64, height=48))) == (64, 48)
    assert image_size(b"GIF89a....") is None
