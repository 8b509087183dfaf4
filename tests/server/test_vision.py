"""Local vision: what the server sees in camera frames, and how it answers questions about them."""

from __future__ import annotations

import base64

import pytest

from livetui.providers.gemini.content import Content, Part
from livetui.server.app import ServerConfig
from livetui.server.core.senses.scene import NO_FRAMES_REPLY, Scene, asks_what_is_seen
from livetui.server.core.senses.vision import Vision, VisionError
from tests.conftest import ScriptWriter, ServerStarter
from tests.frames import BLUE, HELLO_SCENE, jpeg, qr_frame, solid
from tests.server.wire import Frame, ask, send, session


def video(data: bytes, mime_type: str = "image/jpeg") -> Frame:
    """A realtimeInput.video message."""
    return {"realtimeInput": {"video": {"data": base64.b64encode(data).decode(), "mimeType": mime_type}}}


def media_chunk(data: bytes) -> Frame:
    """A deprecated realtimeInput.mediaChunks message with one image."""
    blob = {"data": base64.b64encode(data).decode(), "mimeType": "image/jpeg"}
    return {"realtimeInput": {"mediaChunks": [blob]}}


@pytest.mark.parametrize(
    ("colour", "name", "light"),
    [
        (BLUE, "blue", "bright"),
        ((0, 0, 230), "red", "bright"),
        ((0, 100, 0), "green", "dim"),
        ((0, 200, 230), "yellow", "bright"),
        ((20, 20, 20), "black", "dark"),
        ((245, 245, 245), "white", "bright"),
        ((90, 90, 90), "grey", "dim"),
    ],
)
def test_the_main_colour_and_the_light_are_named(colour: tuple[int, int, int], name: str, light: str) -> None:
    scene = Vision().analyse(jpeg(solid(colour)))
    assert (scene.colour, scene.light, scene.faces, scene.qr) == (name, light, 0, None)
    assert (scene.width, scene.height) == (640, 480)


def test_a_qr_code_is_read_after_a_jpeg_round_trip() -> None:
    scene = Vision().analyse(jpeg(qr_frame("hello livetui")))
    assert scene.qr == "hello livetui"
    assert scene.colour == "blue", "the code covers less of the picture than the background"
    assert scene.describe() == HELLO_SCENE


def test_a_frame_that_is_not_a_picture_is_refused() -> None:
    with pytest.raises(VisionError):
        Vision().analyse(b"not a jpeg at all")


def test_scenes_read_as_sentences() -> None:
    scene = Scene(width=1, height=1, faces=1, brightness=0.9, light="bright", colour="blue", qr="hi!")
    assert (
        scene.describe()
        == "I see 1 face; the picture is bright and mostly blue. There is a QR code that says: hi!"
    )
    two = Scene(width=1, height=1, faces=2, brightness=0.1, light="dark", colour="black")
    assert two.describe() == "I see 2 faces; the picture is dark and mostly black."
    assert scene.summary() == (
        "The user's camera shows 1 face in a bright picture that is mostly blue, "
        'with a QR code that says "hi!".'
    )


@pytest.mark.parametrize(
    "text",
    [
        "What do you see?",
        "what can you see now",
        "Describe the scene",
        "describe this picture",
        "What's in front of you?",
        "what\u2019s in front of you",
        "what is in front of you",
    ],
)
def test_questions_about_what_the_model_sees_are_recognised(text: str) -> None:
    assert asks_what_is_seen(text)


@pytest.mark.parametrize("text", ["hello", "I see what you mean", "describe a cat", "seesaw"])
def test_other_words_are_not_questions_about_sight(text: str) -> None:
    assert not asks_what_is_seen(text)


async def test_without_frames_the_server_says_it_sees_nothing(start_live_server: ServerStarter) -> None:
    server = await start_live_server()
    async with session(server) as ws:
        assert await ask(ws, "what do you see?") == NO_FRAMES_REPLY


async def test_a_video_frame_is_the_scene_of_the_next_answer(start_live_server: ServerStarter) -> None:
    server = await start_live_server()
    async with session(server) as ws:
        await send(ws, (video(jpeg(qr_frame("first frame")))))
        await send(ws, (video(jpeg(qr_frame("hello livetui")))))
        reply = await ask(ws, "What can you see?")
        assert reply == HELLO_SCENE
        assert await ask(ws, "hello") == "You said: hello", "other words are still echoed"


async def test_media_chunk_images_are_seen_too(start_live_server: ServerStarter) -> None:
    server = await start_live_server()
    async with session(server) as ws:
        await send(ws, (media_chunk(jpeg(qr_frame("chunked", colour=(0, 0, 230))))))
        reply = await ask(ws, "describe the picture")
        assert reply.endswith("mostly red. There is a QR code that says: chunked.")


async def test_a_script_reply_can_say_the_scene(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = write_script({"rules": [{"match": "look", "reply": "Looking: {scene}"}]})
    server = await start_live_server(ServerConfig(script=script))
    async with session(server) as ws:
        assert await ask(ws, "look") == f"Looking: {NO_FRAMES_REPLY}"
        await send(ws, (video(jpeg(solid((20, 20, 20))))))
        assert await ask(ws, "look") == "Looking: I see no faces; the picture is dark and mostly black."
        # with a script, only its rules decide: the question falls to its default
        assert await ask(ws, "what do you see") == "You said: what do you see"


def test_the_smollm2_prompt_carries_the_scene_once_there_is_one() -> None:
    from livetui.server.core.brains.smollm2 import chat_messages
    from tests.server.test_smollm2 import dialogue

    conversation = dialogue([Content(role="user", parts=(Part(text="hi"),))], system="Be brief.")
    assert chat_messages(conversation, 1000)[0] == {"role": "system", "content": "Be brief."}
    conversation.scene = Scene(width=1, height=1, faces=0, brightness=0.1, light="dark", colour="black")
    system = chat_messages(conversation, 1000)[0]["content"]
    assert system.splitlines() == [
        "Be brief.",
        "The user's camera shows no faces in a dark picture that is mostly black.",
    ]
