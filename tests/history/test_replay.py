"""`livetui replay`: a session recorded against the local server, with speech, played back at speed 10
paints the same turns and text, and writes the same model audio to a file speaker; Space pauses, the
arrow keys move between turns, and no connection is opened."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from livetui.config import Settings
from livetui.record.paths import list_sessions
from livetui.record.reader import read_recording
from livetui.record.tracks import read_track
from livetui.session.audio_io import voice_for
from livetui.session.connect import connect_to
from livetui.session.playback import Playback, cues
from livetui.ui.app import LiveApp, make_app
from livetui.ui.replay_app import ReplayApp
from livetui.ui.widgets.latency_pane import LatencyPane
from tests.conftest import ServerStarter
from tests.history.sessions import record_session, say_and_wait, spoken_settings
from tests.ui.waiting import until, until_live


def voiced(pcm: bytes) -> npt.NDArray[np.int16]:
    """The samples of `pcm` with the silences (exact zeros) taken out."""
    samples = np.frombuffer(pcm, dtype=np.int16)
    voiced: npt.NDArray[np.int16] = samples[samples != 0]
    return voiced


def turns(app: LiveApp) -> list[tuple[int, str]]:
    found = []
    number = 1
    while (turn := app.main.chat.turn(number)) is not None:
        found.append((number, turn.text or turn.transcript))
        number += 1
    return found


async def test_a_replay_at_speed_10_paints_the_same_turns_and_plays_the_same_speech(
    start_live_server: ServerStarter, tmp_path: Path
) -> None:
    server = await start_live_server()
    spoken = spoken_settings(tmp_path)
    app = make_app(spoken, connect_to(server.url, spoken), voice=voice_for(spoken))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        for number, text in enumerate(("hello there", "and again"), start=1):
            await say_and_wait(pilot, app, number, text)
        original = turns(app)
    directory = list_sessions()[-1]
    recorded = voiced(read_track(directory / "model.wav")[0])
    assert len(original) == 2 and all(text for _, text in original) and recorded.size > 0

    out = tmp_path / "replayed.wav"
    settings = Settings(audio={"speaker_file": out})
    playback = Playback(cues(read_recording(directory)), speed=10, max_gap=0.5)
    replay = ReplayApp(settings, playback, directory.name)
    async with replay.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: playback.finished, "the end of the replay")
        assert turns(replay) == original
        pane = replay.main.query_one(LatencyPane)
        await until(pilot, lambda: pane.current_turn == 2, "the latency of turn 2")
        assert pane.cell("first text", "turn") != "—"  # the recorded marks, shown again
        status = replay.main.status
        assert status.provider == "replay" and status.model == directory.name

        def played() -> int:
            return voiced(read_track(out)[0]).size if out.is_file() else 0

        await until(pilot, lambda: played() >= recorded.size, "the speech played", timeout=30)
    assert np.array_equal(voiced(read_track(out)[0]), recorded)
    assert replay.session is None  # no connection was opened
    assert len(list_sessions()) == 1  # and nothing was journaled


async def test_space_pauses_and_the_arrows_move_between_turns(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    await record_session(server.url, settings, "one", "two", "three")
    directory = list_sessions()[-1]
    playback = Playback(cues(read_recording(directory)), speed=0.001, max_gap=3600)  # it will not move alone
    replay = ReplayApp(settings, playback, directory.name)
    async with replay.run_test(size=(120, 40)) as pilot:
        chat = replay.main.chat
        await pilot.press("right", "right")  # past what came before turn 1, then past turn 1
        await until(pilot, lambda: (t := chat.turn(1)) is not None and t.complete, "turn 1")
        started = chat.turn(2)
        assert playback.turn == 2 and started is not None and not started.complete  # only just started
        await pilot.press("right")
        await until(pilot, lambda: (t := chat.turn(2)) is not None and t.complete, "turn 2")
        second = chat.turn(2)
        assert second is not None and second.text == "You said: two"
        await pilot.press("left")
        await until(pilot, lambda: (t := chat.turn(2)) is not None and not t.complete, "back to turn 2")
        assert playback.turn == 2 and chat.turn(3) is None
        first = chat.turn(1)
        assert first is not None and first.text == "You said: one"
        await pilot.press("space")
        assert playback.paused and replay.main.status.detail.startswith("paused")
        await pilot.press("space")
        assert not playback.paused
