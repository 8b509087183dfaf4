"""Exports of a recorded session, checked by reading them back strictly: Markdown, JSON, SRT, VTT, WAV."""

from __future__ import annotations

import json
import re
import stat
import wave
from pathlib import Path

import numpy as np
import pytest

from livetui import events as ev
from livetui.config import Price
from livetui.record.export import ExportError, export_session
from livetui.record.journal import Journal
from tests.record.conftest import tone

Cue = tuple[int, int, str]
"""A caption: start and end in milliseconds, and its text."""

_SRT_TIME = re.compile(r"(\d{2}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2}):([0-5]\d):([0-5]\d),(\d{3})")
_VTT_TIME = re.compile(r"(\d{2}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2}):([0-5]\d):([0-5]\d)\.(\d{3})")


def _ms(parts: tuple[str, ...]) -> int:
    hours, minutes, seconds, millis = map(int, parts)
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _check_cues(cues: list[Cue]) -> list[Cue]:
    for index, (start, end, text) in enumerate(cues):
        assert start < end, f"cue {index + 1} ends after it starts"
        assert text.strip() and "-->" not in text
        if index:
            assert cues[index - 1][1] <= start, f"cue {index + 1} overlaps the one before"
    return cues


def parse_srt(text: str) -> list[Cue]:
    """A strict SubRip reader: numbered blocks from 1, a timing line, text, one blank line between."""
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    cues: list[Cue] = []
    for number, block in enumerate(text.rstrip("\n").split("\n\n"), start=1):
        lines = block.split("\n")
        assert lines[0] == str(number), f"block {number} is numbered {lines[0]!r}"
        timing = _SRT_TIME.fullmatch(lines[1])
        assert timing, f"bad timing line {lines[1]!r}"
        cues.append((_ms(timing.groups()[:4]), _ms(timing.groups()[4:]), "\n".join(lines[2:])))
    return _check_cues(cues)


def parse_vtt(text: str) -> list[Cue]:
    """A strict WebVTT reader: the WEBVTT header, then timing-and-text blocks, blank lines between."""
    header, _, body = text.partition("\n\n")
    assert header == "WEBVTT"
    cues: list[Cue] = []
    for block in body.rstrip("\n").split("\n\n"):
        lines = block.split("\n")
        timing = _VTT_TIME.fullmatch(lines[0])
        assert timing, f"bad timing line {lines[0]!r}"
        assert not re.search(r"<(?!/?[biuvc]\b)|&(?!amp;|lt;|gt;)", "\n".join(lines[1:])), "unescaped text"
        cues.append((_ms(timing.groups()[:4]), _ms(timing.groups()[4:]), "\n".join(lines[1:])))
    return _check_cues(cues)


CUE_TEXTS = [
    "Hi there.",
    "How are you?",
    "Once upon",
    "It is 42.",
    "Good morning.",
    "It is a fine day.",
    "Well",
]
"""The model's words in the sample session, cut into cues."""


def test_markdown_has_every_turn_and_marks_interruptions_and_losses(sample_session: Path) -> None:
    exported = export_session(sample_session, "md")
    assert exported.path == sample_session / "transcript.md" and exported.turns == 5
    text = exported.path.read_text()
    assert text.startswith("# livetui session 2027-01-15T08-00-00-abcdef\n")
    headings = re.findall(r"^## Turn (\d+)$", text, re.MULTILINE)
    assert headings == ["1", "2", "3", "4", "5"]
    turns = dict(zip(headings, re.split(r"^## Turn \d+$", text, flags=re.MULTILINE)[1:], strict=True))
    assert "hello" in turns["1"] and "Hi there. How are you?" in turns["1"]
    assert re.search(r"\*\*You\*\* · \d\d:\d\d:\d\d", turns["1"]), "each entry has its time"
    assert " · 5 turns\n" in text
    assert "Once upon\n\n*[interrupted by the user: the reply above is what was shown]*" in turns["2"]
    assert '- tool `calculator` `{"expression": "6*7"}` — done: `{"output": 42}`' in turns["3"]
    assert "Good morning. It is a fine day." in turns["4"]
    assert "Well\n\n*[cut off: the connection was lost" in turns["5"]
    assert "*Notice · " in turns["5"] and "disconnected: the connection dropped (1006) (reconnecting)" in text
    assert stat.S_IMODE(exported.path.stat().st_mode) == 0o600


def test_json_is_a_document_of_turns_and_notes(sample_session: Path) -> None:
    path = export_session(sample_session, "json").path
    document = json.loads(path.read_text())
    assert document["format"] == "livetui-transcript" and document["session"] == sample_session.name
    turns = [item for item in document["items"] if item["type"] == "turn"]
    assert [(t["turn"], t["user"], t["ended"]) for t in turns] == [
        (1, "hello", "complete"),
        (2, "tell me a story", "interrupted"),
        (3, "six times seven", "complete"),
        (4, "say something", "complete"),
        (5, "and then", "disconnected"),
    ]
    assert turns[1]["interrupted_by"] == "user" and turns[1]["reply"] == "Once upon"
    assert turns[2]["tools"] == [
        {
            "id": "c1",
            "name": "calculator",
            "args": {"expression": "6*7"},
            "status": "done",
            "result": {"output": 42},
        }
    ]
    assert turns[3]["spoken"] == "Good morning. It is a fine day." and turns[3]["audio_seconds"] == 2.0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", turns[0]["at"])
    assert [n["text"] for n in document["items"] if n["type"] == "notice"][-1].startswith(
        "the session resumed"
    )


def test_srt_and_vtt_captions_parse_and_follow_the_speech(sample_session: Path) -> None:
    srt = parse_srt(export_session(sample_session, "srt").path.read_text())
    vtt = parse_vtt(export_session(sample_session, "vtt").path.read_text())
    assert [text for _, _, text in srt] == CUE_TEXTS
    assert vtt == srt, "the two formats carry the same cues"
    # The spoken turn's captions span its speech as placed on the timeline: from 4.95 s, two seconds long,
    # shared between the two sentences by their length (13 and 17 characters).
    spoken = {text: (start, end) for start, end, text in srt[4:6]}
    assert spoken == {"Good morning.": (4950, 5817), "It is a fine day.": (5817, 6950)}
    # A text turn is timed by the clock: it starts when its first text came.
    assert srt[0][0] == 1100 and srt[3][0] == 3700


def test_vtt_escapes_markup(tmp_path: Path) -> None:
    from livetui import events as ev

    with Journal(tmp_path) as journal:
        journal.write(ev.TextDelta(turn=1, text="a <b> & c --> d"))
        journal.write(ev.TurnComplete(turn=1))
    vtt = parse_vtt(export_session(tmp_path, "vtt").path.read_text())
    assert [text for _, _, text in vtt] == ["a &lt;b&gt; &amp; c --&gt; d"]


def test_wav_holds_the_mic_left_and_the_model_right_on_the_session_timeline(sample_session: Path) -> None:
    path = export_session(sample_session, "wav").path
    assert path == sample_session / "audio.wav"
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 24000)
        # The model's four half-second chunks play back to back from 4.95 s: the file ends at 6.95 s.
        assert wav.getnframes() == 166800
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    mic, model = samples[:, 0], samples[:, 1]
    assert not model[:118800].any() and np.count_nonzero(model[118800:]) == 48000
    # Four quarter-second microphone blocks, each ending when it was sent (4.95 s, 5.2 s...).
    assert not mic[:112800].any() and np.count_nonzero(mic[112800:136800]) == 24000 and not mic[136800:].any()


def test_an_interrupted_turn_s_speech_stops_at_the_interruption(tmp_path: Path) -> None:
    from livetui import events as ev

    now = [100.0]
    with Journal(tmp_path, wall=lambda: now[0], monotonic=lambda: now[0]) as journal:
        journal.write(ev.UserText(turn=1, text="talk"))
        journal.write(ev.AudioOut(turn=1, pcm=tone(2.0, 24000)))  # two seconds, arriving at 0 s
        now[0] += 0.5
        journal.write(ev.Interrupted(turn=1, by="user"))
    with wave.open(str(export_session(tmp_path, "wav").path)) as wav:
        assert wav.getnframes() == 12000, "half a second was heard before the interruption"


def test_a_text_session_has_no_audio_to_export(tmp_path: Path) -> None:
    from livetui import events as ev

    with Journal(tmp_path) as journal:
        journal.write(ev.UserText(turn=1, text="hi"))
    with pytest.raises(ExportError, match="this session has no audio to export"):
        export_session(tmp_path, "wav")
    assert not list(tmp_path.glob("*.wav")) and not list(tmp_path.glob(".*.tmp"))


def test_an_export_replaces_its_file_whole(sample_session: Path) -> None:
    target = sample_session / "out" / "t.md"
    target.parent.mkdir()
    target.write_text("old")
    exported = export_session(sample_session, "md", target)
    assert exported.path == target and target.read_text().startswith("# livetui session")
    assert [p.name for p in target.parent.iterdir()] == ["t.md"], "no temporary file left behind"


def test_a_final_input_transcript_replaces_the_partial_ones(tmp_path: Path) -> None:
    """The recogniser revises its early guesses: the final transcript is the whole utterance."""
    from livetui import events as ev

    with Journal(tmp_path) as journal:
        journal.write(ev.InputTranscript(turn=1, text="well"))
        journal.write(ev.InputTranscript(turn=1, text="what is it"))
        journal.write(ev.InputTranscript(turn=1, text="what is six times seven", final=True))
        journal.write(ev.TextDelta(turn=1, text="42."))
        journal.write(ev.TurnComplete(turn=1))
    markdown = export_session(tmp_path, "md").path.read_text(encoding="utf-8")
    assert "what is six times seven" in markdown
    assert "well" not in markdown and "what is it" not in markdown.replace("what is six", "")


def _priced_session(directory: Path, provider: str, model: str) -> Path:
    """A one-turn session with `provider`'s `model` whose server reported 1,000,000 prompt tokens (text)
    and 500,000 response tokens (audio)."""
    journal = Journal(directory)
    for event in (
        ev.SessionInfo(provider=provider, model=model),
        ev.UserText(turn=1, text="hello"),
        ev.TextDelta(turn=1, text="Hi."),
        ev.Usage(
            turn=1,
            prompt_tokens=1_000_000,
            response_tokens=500_000,
            total_tokens=1_500_000,
            prompt_details={"text": 1_000_000},
            response_details={"audio": 500_000},
        ),
        ev.TurnComplete(turn=1),
    ):
        journal.write(event)
    journal.close()
    return directory


TOKENS = "Tokens: prompt 1000000 (text 1000000) · response 500000 (audio 500000) · total 1500000"
"""The session's tokens, as the Markdown says them."""


@pytest.mark.parametrize(
    ("provider", "model", "cost", "usd"),
    [
        ("openai", "gpt-realtime", " · $36.00", 36.0),  # 1 M text in at $4, 0.5 M audio out at $64
        ("gemini", "models/gemini-live-2.5-flash-preview", " · $6.50", 6.5),  # $0.50 and $12
        ("gemini", "gemini-unpriced", " · no price known", None),
        ("local", "smollm2", "", "absent"),
    ],
)
def test_exports_carry_the_estimated_cost_as_the_status_bar_shows_it(
    tmp_path: Path, provider: str, model: str, cost: str, usd: float | None | str
) -> None:
    directory = _priced_session(tmp_path, provider, model)
    markdown = export_session(directory, "md").path.read_text(encoding="utf-8")
    assert f"\n{TOKENS}{cost}\n" in markdown
    document = json.loads(export_session(directory, "json").path.read_text(encoding="utf-8"))
    assert document.get("cost_usd", "absent") == usd


def test_the_export_prices_by_the_table_it_is_given(tmp_path: Path) -> None:
    directory = _priced_session(tmp_path, "local", "smollm2")
    prices = {"local/smollm2": Price(text_in=1.0, text_out=1.0, audio_out=2.0, taken="2026-12-01")}
    exported = export_session(directory, "json", prices=prices)
    assert json.loads(exported.path.read_text(encoding="utf-8"))["cost_usd"] == 2.0
