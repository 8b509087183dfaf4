"""Hostile server frames for the client's tests and its fuzz benchmark: the frames that once crashed it,
hypothesis strategies for random and mutated ones, and a loopback peer that sends them.

Each explicit frame is one that ended the session or the app before its fix: deep nesting, a huge
integer, a lone surrogate, an audio rate outside 8–48 kHz, Rich markup in a key or a close reason.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st
from websockets.asyncio.server import ServerConnection, serve

Frame = str | bytes
"""One WebSocket message from the server: text, or binary."""

SETUP_COMPLETE = json.dumps({"setupComplete": {}})
"""The server's answer to `setup`."""

SENTINEL = "still live after the hostile frames"
"""The text of the reply a peer sends after its hostile frames: seeing it means the session went on."""

SENTINEL_FRAMES = (
    json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": SENTINEL}]}}}),
    json.dumps({"serverContent": {"turnComplete": True}}),
)
"""A complete, well-formed reply."""


def _nested(depth: int, leaf: str = "1") -> str:
    return '{"a":' * depth + leaf + "}" * depth


def audio_frame(mime_type: str, pcm: bytes = bytes(96)) -> str:
    """A model turn with one audio part."""
    blob = {"mimeType": mime_type, "data": base64.b64encode(pcm).decode()}
    return json.dumps({"serverContent": {"modelTurn": {"parts": [{"inlineData": blob}]}}})


HOSTILE_FRAMES: dict[str, Frame] = {
    "nested 1,000 deep": _nested(1000),
    "arrays nested 1,000 deep": "[" * 1000 + "]" * 1000,
    "tool-call args nested 500 deep": (
        '{"toolCall":{"functionCalls":[{"id":"c1","name":"f","args":' + _nested(500) + "}]}}"
    ),
    "a 4,301-digit integer": '{"usageMetadata":{"totalTokenCount":' + "7" * 4301 + "}}",
    "a lone surrogate in a text part": (
        '{"serverContent":{"modelTurn":{"parts":[{"text":"before \\udfff after"}]}}}'
    ),
    "a lone surrogate in a key": '{"serverContent":{"\\ud800":1,"modelTurn":{"parts":[{"text":"k"}]}}}',
    "a lone surrogate in tool args": (
        '{"toolCall":{"functionCalls":[{"id":"c2","name":"f\\udfff","args":{"x":"\\udc00"}}]}}'
    ),
    "rate=²": audio_frame("audio/pcm;rate=\u00b2"),
    "rate=1": audio_frame("audio/pcm;rate=1"),
    "rate=10¹⁵": audio_frame("audio/pcm;rate=1000000000000000"),
    "a rate of a thousand digits": audio_frame("audio/pcm;rate=" + "9" * 1000),
    "rate=96000": audio_frame("audio/pcm;rate=96000"),
    "markup in a key": '{"[/]":1,"[bold]x[/bold":2}',
    "markup in a turn's end reason": (
        '{"serverContent":{"turnComplete":true,"turnCompleteReason":"[/][red]x"}}'
    ),
    "markup in a text part": '{"serverContent":{"modelTurn":{"parts":[{"text":"[/] [link=x]y"}]}}}',
    "a repeated tool-call id": (
        '{"toolCall":{"functionCalls":[{"id":"same","name":"f","args":{}},{"id":"same","name":"g","args":{}}]}}'
    ),
    "tool calls without ids": '{"toolCall":{"functionCalls":[{"name":"f"},{"name":"g"}]}}',
    "markup in a tool name": '{"toolCall":{"functionCalls":[{"id":"c3","name":"[/]","args":{"[/]":"[/]"}}]}}',
    "NaN time left": '{"goAway":{"timeLeft":NaN}}',
    "infinite time left": '{"goAway":{"timeLeft":"1e999s"}}',
    "not UTF-8": b'{"serverContent":\xff\xfe}',
    "not JSON": "{{{",
    "a JSON string": '"[/]"',
}
"""The frames that ended the session or the app before, by what is wrong with them."""

GO_AWAY = frozenset({"NaN time left", "infinite time left"})
"""Frames that ask the session to move to a new connection (a peer that sends them is left by design)."""

# -- random and mutated frames -------------------------------------------------------------------------

_TEMPLATES: tuple[dict[str, Any], ...] = (
    {"setupComplete": {"sessionId": "s"}},
    {"serverContent": {"modelTurn": {"role": "model", "parts": [{"text": "hi"}]}}},
    {
        "serverContent": {
            "modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAAA"}}]}
        }
    },
    {"serverContent": {"modelTurn": {"parts": [{"executableCode": {"language": "PYTHON", "code": "1"}}]}}},
    {"serverContent": {"turnComplete": True, "turnCompleteReason": "STOP"}},
    {"serverContent": {"interrupted": True}},
    {"serverContent": {"generationComplete": True}},
    {"serverContent": {"inputTranscription": {"text": "heard", "finished": True}}},
    {"serverContent": {"outputTranscription": {"text": "said"}}},
    {"toolCall": {"functionCalls": [{"id": "1", "name": "add", "args": {"a": 1, "b": 2}}]}},
    {"toolCallCancellation": {"ids": ["1"]}},
    {"usageMetadata": {"promptTokenCount": 1, "responseTokenCount": 2, "totalTokenCount": 3}},
    {"sessionResumptionUpdate": {"newHandle": "h", "resumable": True}},
    {"voiceActivityDetectionSignal": {"vadSignalType": "VAD_SIGNAL_TYPE_SOS"}},
    {"voiceActivity": {"type": "ACTIVITY_START"}},
)

_texts = st.text(max_size=40) | st.sampled_from(["[/]", "[bold]", "\udfff", "\ud800x", "audio/pcm;rate=²"])
_leaves: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _texts
)
_json_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_texts, inner, max_size=4),
    max_leaves=20,
)


def _replace_somewhere(value: Any, path: list[int], new: Any) -> Any:
    """`value` with the leaf or subtree that `path` picks replaced by `new`."""
    if not path or not isinstance(value, dict | list) or not value:
        return new
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = keys[path[0] % len(keys)]
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[key] = _replace_somewhere(copy[key], path[1:], new)
    return copy


@st.composite
def mutated_frames(draw: st.DrawFn) -> str:
    """A well-formed server frame with one part of it (a leaf or a subtree) replaced by random JSON."""
    template = draw(st.sampled_from(_TEMPLATES))
    path = draw(st.lists(st.integers(min_value=0, max_value=7), max_size=6))
    mutated = _replace_somewhere(template, path, draw(_json_values))
    return json.dumps(mutated, allow_nan=True)


@st.composite
def corrupted_frames(draw: st.DrawFn) -> Frame:
    """A well-formed frame cut short or with a few bytes overwritten, as text or binary."""
    raw = json.dumps(draw(st.sampled_from(_TEMPLATES))).encode()
    at = draw(st.integers(min_value=0, max_value=len(raw)))
    noise = draw(st.binary(max_size=4))
    corrupted = raw[:at] + noise + raw[at + len(noise) :] if draw(st.booleans()) else raw[:at]
    if draw(st.booleans()):
        return corrupted
    return corrupted.decode("utf-8", "replace")


def server_frames() -> st.SearchStrategy[Frame]:
    """Random server frames: mutated good ones, corrupted ones, any JSON, any text."""
    return (
        mutated_frames()
        | corrupted_frames()
        | _json_values.map(lambda value: json.dumps(value, allow_nan=True))
        | st.text(max_size=60)
    )


def fuzzed_frames(count: int, seed_value: int) -> list[Frame]:
    """`count` frames drawn from `server_frames`, the same ones for the same seed."""
    frames: list[Frame] = []

    @seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(server_frames())
    def collect(frame: Frame) -> None:
        frames.append(frame)

    collect()
    return frames


def moves_the_session(frame: Frame) -> bool:
    """True for a frame with a `goAway`, after which the session leaves the connection by design."""
    text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
    return "goAway" in text or "go_away" in text


# -- a peer that sends them ----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def hostile_peer(
    frames: Sequence[Frame], *, close_reason: str | None = None
) -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server that answers setup, sends `frames` then a complete reply (`SENTINEL_FRAMES`),
    and then (with `close_reason`) closes with code 1008 and that reason. Yields its URL and the frames it
    received after setup."""
    received: list[str] = []

    async def handler(ws: ServerConnection) -> None:
        await ws.recv()  # setup
        await ws.send(SETUP_COMPLETE)
        for frame in (*frames, *SENTINEL_FRAMES):
            await ws.send(frame)
        if close_reason is not None:
            await ws.close(1008, close_reason)
            return
        with contextlib.suppress(Exception):
            async for message in ws:
                received.append(message if isinstance(message, str) else message.decode())

    async with serve(handler, "127.0.0.1", 0, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}", received
