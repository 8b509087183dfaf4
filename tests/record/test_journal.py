"""The journal: lines as events happen, audio and frames in sidecars, private files, and reading back."""

from __future__ import annotations

import json
import stat
import wave
from datetime import datetime
from pathlib import Path

import pytest

from livetui import events as ev
from livetui.record.journal import Journal
from livetui.record.paths import SessionNotFound, find_session, list_sessions, new_session_dir
from livetui.record.reader import read_recording
from tests.record.conftest import tone


def mode(path: Path) -> int:
    """The permission bits of a file or directory."""
    return stat.S_IMODE(path.stat().st_mode)


def test_each_event_is_a_flushed_line_with_wall_and_monotonic_time(tmp_path: Path) -> None:
    journal = Journal(tmp_path, wall=lambda: 1700000000.25, monotonic=lambda: 42.5)
    journal.write(ev.UserText(turn=1, text="hello"))
    # Read while the journal is still open: a line is on disk as soon as it is written.
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"t": 1700000000.25, "m": 42.5, "event": {"kind": "user_text", "turn": 1, "text": "hello"}}
    ]
    journal.write(ev.TurnComplete(turn=1))
    assert len((tmp_path / "events.jsonl").read_text().splitlines()) == 2
    journal.close()


def test_audio_goes_to_a_sidecar_track_and_the_line_says_where(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        journal.write(ev.AudioOut(turn=1, pcm=tone(0.1, 24000)))
        journal.write(ev.AudioOut(turn=1, pcm=tone(0.05, 24000)))
        journal.mic(tone(0.02, 16000))
        # The track's header is kept right while it grows, so a crash leaves a valid file.
        with wave.open(str(tmp_path / "model.wav")) as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getnframes()) == (24000, 1, 3600)
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [line.get("audio") for line in lines] == [
        {"track": "model", "offset": 0, "frames": 2400, "rate": 24000},
        {"track": "model", "offset": 2400, "frames": 1200, "rate": 24000},
        {"track": "mic", "offset": 0, "frames": 320, "rate": 16000},
    ]
    assert lines[0]["event"]["pcm"] == "", "no base64 audio in the journal"
    assert "event" not in lines[2]
    with wave.open(str(tmp_path / "mic.wav")) as wav:
        assert (wav.getframerate(), wav.getnframes()) == (16000, 320)


def test_audio_at_another_rate_is_resampled_to_the_track_rate(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        journal.write(ev.AudioOut(turn=1, pcm=tone(0.1, 16000), rate=16000))
    line = json.loads((tmp_path / "events.jsonl").read_text())
    assert line["audio"] == {"track": "model", "offset": 0, "frames": 2400, "rate": 24000}


def test_camera_frames_are_files_next_to_the_journal(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        journal.write(ev.CameraFrame(number=7, jpeg=b"\xff\xd8jpeg", width=4, height=3))
    line = json.loads((tmp_path / "events.jsonl").read_text())
    assert line["image"] == "frames/000007.jpg" and line["event"]["jpeg"] == ""
    assert (tmp_path / "frames" / "000007.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert mode(tmp_path / "frames") == 0o700 and mode(tmp_path / "frames" / "000007.jpg") == 0o600


def test_the_session_directory_and_its_files_are_private(tmp_path: Path) -> None:
    journal = Journal.start(tmp_path, now=datetime(2026, 11, 21, 14, 3, 22))
    journal.write(ev.AudioOut(turn=1, pcm=tone(0.01, 24000)))
    journal.mic(tone(0.01, 16000))
    journal.close()
    directory = journal.directory
    assert directory.parent == tmp_path / "sessions"
    assert directory.name.startswith("2026-11-21T14-03-22-") and len(directory.name) == 26
    assert mode(directory) == 0o700
    assert {path.name: mode(path) for path in directory.iterdir()} == {
        "events.jsonl": 0o600,
        "model.wav": 0o600,
        "mic.wav": 0o600,
    }


def test_a_journal_cut_off_mid_line_is_read_up_to_its_last_complete_line(tmp_path: Path) -> None:
    with Journal(tmp_path) as journal:
        journal.write(ev.UserText(turn=1, text="hello"))
        journal.write(ev.TextDelta(turn=1, text="Hi"))
    with (tmp_path / "events.jsonl").open("a") as file:
        file.write('{"t": 1.0, "m": 2.0, "event": {"kind": "text_del')
    recording = read_recording(tmp_path)
    assert [e.kind for e in recording.events] == ["user_text", "text_delta"]
    assert recording.notices == [
        "the journal ends mid-line (the app stopped while writing): read up to line 2, its last complete line"
    ]


def test_an_unreadable_line_is_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "events.jsonl").write_text(
        '{"t": 1, "m": 1, "event": {"kind": "user_text", "turn": 1, "text": "a"}}\n'
        '{"t": 2, "m": 2, "event": {"kind": "from_the_future"}}\n'
        "not json\n"
        '{"t": 3, "m": 3, "event": {"kind": "turn_complete", "turn": 1}}\n'
    )
    recording = read_recording(tmp_path)
    assert [e.kind for e in recording.events] == ["user_text", "turn_complete"]
    assert recording.notices == ["skipped 2 unreadable lines of the journal (the first is line 2)"]


def test_sessions_are_found_by_name_path_or_as_the_latest(tmp_path: Path) -> None:
    with pytest.raises(SessionNotFound, match="no recorded sessions in"):
        find_session(None, tmp_path)
    older = new_session_dir(tmp_path, now=datetime(2026, 1, 1, 9, 0, 0))
    newer = new_session_dir(tmp_path, now=datetime(2026, 1, 2, 9, 0, 0))
    empty = new_session_dir(tmp_path, now=datetime(2026, 1, 3, 9, 0, 0))
    for directory in (newer, older):
        Journal(directory).close()
    assert list_sessions(tmp_path) == [older, newer], "a directory without a journal is not a session"
    assert find_session(None, tmp_path) == newer
    assert find_session(older.name, tmp_path) == older
    assert find_session(str(older), tmp_path) == older
    with pytest.raises(SessionNotFound, match="holds no journal"):
        find_session(str(empty), tmp_path)
    with pytest.raises(SessionNotFound, match="no session 'nope'"):
        find_session("nope", tmp_path)
