"""What the client sends by itself (microphone blocks, the frames it writes) is held for a moment and written
in one go, in its place; everything received is written at once, after it."""

from __future__ import annotations

import asyncio
import json
import time
import wave
from pathlib import Path
from typing import Any

from livetui import events as ev
from livetui.record.journal import HOLD_LINES, HOLD_SECONDS, Journal
from livetui.record.keeper import WRITE_HELD_WITHIN, JournalKeeper
from tests.record.conftest import tone


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def lines(directory: Path) -> list[dict[str, Any]]:
    """The journal's lines on disk now (the journal may still be open)."""
    return [json.loads(line) for line in (directory / "events.jsonl").read_text().splitlines()]


def mic_frames(directory: Path) -> int:
    """Frames the mic track's header counts now."""
    with wave.open(str(directory / "mic.wav")) as wav:
        return int(wav.getnframes())


def sent_frame(number: int) -> ev.WireFrame:
    return ev.WireFrame.sent("realtimeInput.audio", f'{{"n":{number}}}', 100)


def send_block(journal: Journal, number: int) -> None:
    """What the session journals for one microphone block: the frame it wrote, then the audio."""
    journal.write(sent_frame(number))
    journal.mic(tone(0.04, 16000))


def test_sent_blocks_are_written_together_once_the_oldest_is_old_enough(tmp_path: Path) -> None:
    clock = Clock()
    journal = Journal(tmp_path, monotonic=clock)
    blocks = round(HOLD_SECONDS / 0.04)
    for number in range(blocks):
        clock.now = 100.0 + 0.04 * number
        send_block(journal, number)
    assert journal.holding
    assert lines(tmp_path) == [], "nothing sent is written before it is old enough"
    clock.now = 100.0 + HOLD_SECONDS
    journal.write(sent_frame(blocks))
    assert not journal.holding
    written = lines(tmp_path)
    assert [line["event"]["text"] for line in written if "event" in line] == [
        f'{{"n":{number}}}' for number in range(blocks + 1)
    ]
    refs = [line["audio"] for line in written if "audio" in line]
    assert [(ref["offset"], ref["frames"]) for ref in refs] == [(640 * i, 640) for i in range(blocks)]
    times = [100.0 + 0.04 * number for number in range(blocks)] + [100.0 + HOLD_SECONDS]
    assert [line["m"] for line in written[::2]] == times, "each line keeps the time it was sent at"
    assert mic_frames(tmp_path) == 640 * blocks, "the track's header counts every block written"
    journal.close()


def test_anything_received_is_written_at_once_after_what_was_sent_before_it(tmp_path: Path) -> None:
    journal = Journal(tmp_path, monotonic=Clock())
    send_block(journal, 1)
    journal.write(ev.TextDelta(turn=1, text="Hi"))
    journal.write(ev.AudioOut(turn=1, pcm=tone(0.02, 24000)))
    send_block(journal, 2)
    kinds = [line["event"]["kind"] if "event" in line else line["audio"]["track"] for line in lines(tmp_path)]
    assert kinds == ["wire_frame", "mic", "text_delta", "audio_out"]
    assert journal.holding
    journal.close()
    kinds = [line["event"]["kind"] if "event" in line else line["audio"]["track"] for line in lines(tmp_path)]
    assert kinds == ["wire_frame", "mic", "text_delta", "audio_out", "wire_frame", "mic"]
    assert mic_frames(tmp_path) == 1280


def test_a_frame_received_is_not_held(tmp_path: Path) -> None:
    journal = Journal(tmp_path, monotonic=Clock())
    journal.write(ev.WireFrame(direction="in", summary="serverContent", text="{}", size=2))
    assert not journal.holding
    assert [line["event"]["direction"] for line in lines(tmp_path)] == ["in"]
    journal.close()


async def test_the_keeper_writes_what_is_held_when_nothing_follows_it(tmp_path: Path) -> None:
    keeper = JournalKeeper(lambda line: None, root=tmp_path)
    assert keeper.directory is not None
    keeper.mic(tone(0.04, 16000), 16000)
    held_at = time.monotonic()
    assert lines(keeper.directory) == []
    while not lines(keeper.directory):
        assert time.monotonic() - held_at < 10, "the held block was never written"
        await asyncio.sleep(0.01)
    assert time.monotonic() - held_at >= WRITE_HELD_WITHIN * 0.9  # its own timer (the loop's clock) wrote it
    assert [line["audio"]["frames"] for line in lines(keeper.directory)] == [640]
    keeper.close()


def test_a_keeper_with_no_event_loop_writes_at_once(tmp_path: Path) -> None:
    keeper = JournalKeeper(lambda line: None, root=tmp_path)
    assert keeper.directory is not None
    keeper.mic(tone(0.04, 16000), 16000)
    assert [line["audio"]["frames"] for line in lines(keeper.directory)] == [640]
    keeper.close()


async def test_what_is_held_and_cannot_be_written_is_reported_once_on_close(tmp_path: Path) -> None:
    said: list[str] = []
    keeper = JournalKeeper(said.append, root=tmp_path)
    assert keeper.directory is not None
    (keeper.directory / "mic.wav").mkdir()  # the track cannot be created: its name is taken
    keeper.event(sent_frame(1))
    keeper.mic(tone(0.04, 16000), 16000)
    assert said == []
    keeper.close()
    assert len(said) == 1 and said[0].endswith("the end of this session is not recorded")
    assert not keeper.recording


def test_no_more_than_a_bounded_number_of_lines_is_held(tmp_path: Path) -> None:
    journal = Journal(tmp_path, monotonic=Clock())  # a clock that stands still: only the count writes
    for number in range(HOLD_LINES - 1):
        journal.write(sent_frame(number))
    assert journal.holding and lines(tmp_path) == []
    journal.write(sent_frame(HOLD_LINES))
    assert not journal.holding and len(lines(tmp_path)) == HOLD_LINES
    journal.close()
