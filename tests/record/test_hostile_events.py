"""What a hostile server can put in an event never breaks the journal: a lone surrogate is written
repaired, audio at a rate no track takes is one skipped event, and the journal goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livetui import events as ev
from livetui.live.limits import LimitError
from livetui.record.journal import Journal
from livetui.record.keeper import JournalKeeper
from livetui.record.reader import read_recording
from livetui.record.tracks import TrackWriter
from tests.record.conftest import tone


def test_an_event_with_a_lone_surrogate_is_journaled_repaired(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        journal.write(ev.TextDelta(turn=1, text="a\udfffb"))
        journal.write(ev.ToolCallRequested(turn=1, calls=(ev.ToolCall(turn=1, call_id="c", name="f\ud800"),)))
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text("utf-8").splitlines()]
    assert lines[0]["event"]["text"] == "a\ufffdb"
    assert lines[1]["event"]["calls"][0]["name"] == "f\ufffd"
    recording = read_recording(tmp_path)
    assert [entry.event.kind for entry in recording.entries if entry.event is not None] == [
        "text_delta",
        "tool_call_requested",
    ]


@pytest.mark.parametrize("rate", [1, 7999, 10**15])
def test_a_track_refuses_a_rate_it_cannot_resample_and_writes_nothing(tmp_path: Path, rate: int) -> None:
    writer = TrackWriter(tmp_path / "model.wav", "model")
    with pytest.raises(LimitError):
        writer.append(tone(0.1, 24000), rate)
    assert writer.frames == 0
    writer.close()


def test_the_microphone_track_still_takes_a_fast_sound_card(tmp_path: Path) -> None:
    writer = TrackWriter(tmp_path / "mic.wav", "mic")
    ref = writer.append(tone(0.1, 96000), 96000)
    assert ref.frames == 1600
    writer.close()


def test_the_keeper_skips_an_unrecordable_event_and_records_the_next(tmp_path: Path) -> None:
    said: list[str] = []
    keeper = JournalKeeper(said.append, root=tmp_path)
    keeper.event(ev.AudioOut(turn=1, pcm=tone(0.05, 24000), rate=1))
    keeper.mic(tone(0.05, 16000), 10**15)
    keeper.event(ev.TextDelta(turn=1, text="still recording"))
    assert keeper.recording
    assert said == [
        "could not journal an audio_out event: audio rate 1 Hz is outside 8000–384000 Hz",
        "could not journal the microphone: audio rate 1000000000000000 Hz is outside 8000–384000 Hz",
    ]
    keeper.close()
    assert keeper.directory is not None
    kinds = [e.event.kind for e in read_recording(keeper.directory).entries if e.event is not None]
    assert kinds == ["text_delta"]
