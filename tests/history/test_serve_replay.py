"""`livetui serve --replay SESSION`: a server that answers with the frames recorded in a session, turn by
turn; the engine against it receives the recorded frames in order (the model's speech put back from the
session's track), in both dialects, and the command refuses what it cannot replay in one line."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from websockets.asyncio.client import connect

from livetui import events as ev
from livetui.config import Settings
from livetui.live.tools import ToolAnswer
from livetui.record.journal import Journal
from livetui.record.paths import list_sessions
from livetui.record.reader import read_recording
from livetui.record.tracks import read_track
from livetui.server.app import ServerConfig
from livetui.server.main import main as serve_main
from livetui.server.replaying import ReplayServer, Timed, load_recorded, schedule
from livetui.session.connect import connect_to
from tests.conftest import ScriptWriter, ServerStarter
from tests.history.sessions import record_session, spoken_settings
from tests.server_rules import TOOL_RULES
from tests.session.conftest import running

TEXTS = ("what is 6 times 7?", "hello again")
MIC_BLOCKS = 400
"""Microphone blocks a client sends while a reply is paced: 26 MB, more than loopback sockets buffer."""


def in_frames(events: list[ev.AnyEvent]) -> list[str]:
    return [e.text for e in events if isinstance(e, ev.WireFrame) and e.direction == "in"]


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
async def test_the_engine_receives_the_recorded_frames_in_order(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings, dialect: str
) -> None:
    settings = settings.model_copy(update={"local": settings.local.model_copy(update={"dialect": dialect})})
    server = await start_live_server(ServerConfig(script=write_script({"rules": TOOL_RULES})))
    await record_session(server.url, settings, *TEXTS)
    directory = list_sessions()[-1]
    recorded = in_frames(read_recording(directory).events)

    replay = ReplayServer(load_recorded(directory))
    await replay.start()
    try:
        async with connect_to(replay.url, settings)() as session, running(session) as events:
            await session.wait_ready()
            for number, text in enumerate(TEXTS, start=1):
                turn = session.send_text(text)
                if number == 1:  # the recorded calculator call, answered as the app did
                    [call] = (await events.first(ev.ToolCallRequested)).calls
                    session.answer_tool_calls([ToolAnswer(call.call_id, call.name, {"output": 42})])
                await events.wait_for(lambda: turn in {e.turn for e in events.of(ev.TurnComplete)})  # noqa: B023
            await events.wait_for(lambda: len(in_frames(events.events)) >= len(recorded))
            received = in_frames(events.events)
    finally:
        await replay.close()
    assert received == recorded
    replies = "".join(e.text for e in events.of(ev.TextDelta))
    said = "".join(e.text for e in read_recording(directory).events if isinstance(e, ev.TextDelta))
    assert replies == said and replies.startswith("It is ") and replies.endswith("You said: hello again")


async def test_the_recorded_speech_is_sent_again_from_the_track(
    start_live_server: ServerStarter, tmp_path: Path
) -> None:
    server = await start_live_server()
    await record_session(server.url, spoken_settings(tmp_path), "hello")
    directory = list_sessions()[-1]
    track = read_track(directory / "model.wav")[0]
    assert track
    replay = ReplayServer(load_recorded(directory))
    assert replay.recorded.missing_audio == 0
    await replay.start()
    try:
        text = Settings(text_only=False)
        async with connect_to(replay.url, text)() as session, running(session) as events:
            await session.wait_ready()
            session.send_text("hello")
            await events.first(ev.TurnComplete)
            pcm = b"".join(e.pcm for e in events.of(ev.AudioOut))
    finally:
        await replay.close()
    assert pcm == track


def test_a_session_that_is_not_there_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["--replay", "no-such-session"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("livetui serve: no recorded session 'no-such-session'") and len(err.splitlines()) == 1
    )


def test_replay_serves_on_loopback_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["--replay", str(tmp_path), "--host", "0.0.0.0"]) == 2
    assert "--replay serves on loopback only" in capsys.readouterr().err


def test_the_schedule_keeps_each_pause_up_to_the_longest_gap() -> None:
    segment = [Timed(0.5, "a"), Timed(0.7, "b"), Timed(10.7, "c"), Timed(10.8, "d")]
    assert schedule(segment, max_gap=3.0) == pytest.approx([0.5, 0.7, 3.7, 3.8])
    assert schedule(segment, max_gap=0.0) == [0.0, 0.0, 0.0, 0.0]


GEMINI_TURN: tuple[tuple[float, Literal["in", "out"], dict[str, Any]], ...] = (
    (0.0, "out", {"setup": {"model": "models/m"}}),
    (0.05, "in", {"setupComplete": {}}),
    (
        1.0,
        "out",
        {"clientContent": {"turns": [{"role": "user", "parts": [{"text": "hi"}]}], "turnComplete": True}},
    ),
    (0.4, "in", {"serverContent": {"modelTurn": {"parts": [{"text": "Hel"}]}}}),
    (1.5, "in", {"serverContent": {"modelTurn": {"parts": [{"text": "lo"}]}}}),
    (20.0, "in", {"serverContent": {"turnComplete": True}}),
)
"""A recorded Gemini session: (seconds since the line before, direction, frame)."""


def write_timed_journal(directory: Path) -> None:
    """A journal of `GEMINI_TURN`'s frames, each written when the clock says."""
    now = [100.0]
    journal = Journal(directory, wall=lambda: 1_800_000_000 + now[0], monotonic=lambda: now[0])
    for gap, direction, frame in GEMINI_TURN:
        now[0] += gap
        text = json.dumps(frame, separators=(",", ":"))
        journal.write(ev.WireFrame(direction=direction, summary=next(iter(frame)), text=text, size=len(text)))
    journal.close()


async def test_the_recorded_frames_are_sent_in_order_with_their_pauses_kept(tmp_path: Path) -> None:
    write_timed_journal(tmp_path)
    recorded = load_recorded(tmp_path)
    assert [frame.after for frame in recorded.turns[0]] == pytest.approx([0.4, 1.9, 21.9])
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        """The server's sleep on a clock of its own: it moves the clock on at once."""
        slept.append(seconds)
        now[0] += seconds

    replay = ReplayServer(recorded, max_gap=3.0, clock=lambda: now[0], sleep=sleep)
    await replay.start()
    try:
        async with connect(replay.url) as ws:
            await ws.send(json.dumps(GEMINI_TURN[0][2]))
            opening = json.loads(await ws.recv())
            await ws.send(json.dumps(GEMINI_TURN[2][2]))
            received = [json.loads(await ws.recv()) for _ in range(3)]
    finally:
        await replay.close()
    assert opening == {"setupComplete": {}} and received == [frame for _, _, frame in GEMINI_TURN[3:]]
    assert slept == pytest.approx([0.05, 0.4, 1.5, 3.0]), "each pause as recorded, the long one cut to 3 s"


def test_a_negative_gap_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_timed_journal(tmp_path)
    assert serve_main(["--replay", str(tmp_path), "--max-gap", "-1"]) == 2
    assert capsys.readouterr().err == "livetui serve: --max-gap must be at least 0 seconds\n"


async def test_the_client_is_read_while_a_paced_segment_is_sent(tmp_path: Path) -> None:
    """A long reply at its recorded pace does not stop the server reading: a client streaming its
    microphone meanwhile (more than the sockets' buffers hold unread) can go on sending."""
    write_timed_journal(tmp_path)
    paced = asyncio.Event()
    hold = asyncio.Event()
    opened = [False]

    async def sleep(seconds: float) -> None:
        """The opening's pause is none; the reply's first lasts until the test lets it go."""
        if not opened[0]:
            opened[0] = True
            return
        paced.set()
        await hold.wait()

    replay = ReplayServer(load_recorded(tmp_path), sleep=sleep)
    await replay.start()
    try:
        async with connect(replay.url) as ws:
            await ws.send(json.dumps(GEMINI_TURN[0][2]))
            await ws.recv()  # the opening
            await ws.send(json.dumps(GEMINI_TURN[2][2]))
            await asyncio.wait_for(paced.wait(), 30)
            block = base64.b64encode(bytes(48_000)).decode()  # 1.5 s at 16 kHz
            audio = json.dumps(
                {"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=16000", "data": block}}}
            )
            async with asyncio.timeout(30):  # a hang guard: unread, the socket's buffers fill and sends wait
                for _ in range(MIC_BLOCKS):
                    await ws.send(audio)
                await (await ws.ping())
            hold.set()
            received = [json.loads(await ws.recv()) for _ in range(3)]
    finally:
        await replay.close()
    assert received == [frame for _, _, frame in GEMINI_TURN[3:]], "the reply, whole and in order"
