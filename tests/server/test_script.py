"""Script files: loading and checking them, and the scripted brain answering by them."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui.server.app import ServerConfig
from livetui.server.core.brains.scripted import render, split_chars, split_words
from livetui.server.script import ScriptError, load_script
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import ask, read_turn, realtime_text, send, session

RULES = {
    "rules": [
        {"match": "^weather", "reply": "Sunny in turn {turn}."},
        {"match": "WEATHER|rain", "reply": "Second rule: {text}"},
        {"match": "spell", "reply": "abcdefghij", "chunk_chars": 4},
    ],
    "default": {"reply": "Default {turn}: {text} {unknown} {}"},
}


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_script_loads_from_json_and_toml(write_script: ScriptWriter, suffix: str) -> None:
    script = load_script(write_script(RULES, suffix))
    assert [rule.match.pattern for rule in script.rules] == ["^weather", "WEATHER|rain", "spell"]
    assert script.rules[2].chunk_chars == 4
    assert script.default.reply == "Default {turn}: {text} {unknown} {}"
    assert script.pick("Weather today?") is script.rules[0]  # case-insensitive
    assert script.pick("any weather?") is script.rules[1]  # searched, not anchored
    assert script.pick("nothing") is script.default


def test_an_empty_script_echoes() -> None:
    from livetui.server.script import Script

    assert Script().pick("x").reply == "You said: {text}"


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        ({"rules": [{"match": "a", "reply": "b", "chunk_chars": 0}]}, ".json", "rules[0].chunk_chars"),
        (
            {"rules": [{"match": "a", "replay": "b"}]},
            ".json",
            "rules[0].replay: Extra inputs are not permitted",
        ),
        (
            {"rules": [{"match": "(", "reply": "b"}]},
            ".toml",
            "rules[0].match: invalid regular expression '('",
        ),
        ({"rules": [{"reply": "b"}]}, ".json", "rules[0].match: Field required"),
        ({"rule": []}, ".json", "rule: Extra inputs are not permitted"),
        ({"default": {"match": "x"}}, ".toml", "default.match: Extra inputs are not permitted"),
        ({"rules": [{"match": "a", "interval_ms": -1}]}, ".json", "rules[0].interval_ms"),
    ],
)
def test_a_bad_script_is_one_clear_line_naming_the_file(
    write_script: ScriptWriter, data: dict[str, object], suffix: str, message: str
) -> None:
    path = write_script(data, suffix)
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: {message}")
    assert "\n" not in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{", "not valid JSON"),
        ("bad.toml", "rules = [", "not valid TOML"),
        ("bad.yaml", "rules: []", "must be a .json or .toml file"),
        ("list.json", "[]", "Input should be a valid dictionary"),
    ],
)
def test_an_unparsable_script_is_one_clear_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ScriptError, match=message) as caught:
        load_script(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_a_missing_script_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="cannot read the script"):
        load_script(tmp_path / "absent.json")


def test_placeholders_are_filled_once_and_unknown_ones_stay() -> None:
    assert render("{text}|{turn}|{other}|{0}|{", "says {turn}", 7) == "says {turn}|7|{other}|{0}|{"


@pytest.mark.parametrize("text", ["", "one", "  lead and trail  ", "a b\nc\td e f g h", "x" * 50])
def test_splitting_loses_nothing(text: str) -> None:
    assert "".join(split_words(text)) == text
    assert "".join(split_chars(text, 3)) == text
    assert all(len(part.split()) <= 3 for part in split_words(text))


async def test_the_first_matching_rule_answers_with_text_and_turn_filled(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    server = await start_live_server(ServerConfig(script=write_script(RULES)))
    async with session(server) as ws:
        assert await ask(ws, "Weather and rain?") == "Sunny in turn 1."
        assert await ask(ws, "Is there rain?") == "Second rule: Is there rain?"
        await send(ws, realtime_text("hello"))
        await read_turn(ws)
        assert await ask(ws, "bye") == "Default 4: bye {unknown} {}"
        assert await ask(ws, "weather again") == "Sunny in turn 5."


async def test_chunk_chars_sets_the_size_of_each_delta(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    server = await start_live_server(ServerConfig(script=write_script(RULES, ".toml")))
    async with session(server) as ws:
        await send(ws, realtime_text("spell it"))
        frames = await read_turn(ws)
    deltas = [frame["serverContent"]["modelTurn"]["parts"][0]["text"] for frame in frames[:-2]]
    assert deltas == ["abcd", "efgh", "ij"]


async def test_each_connection_counts_its_own_turns(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    server = await start_live_server(ServerConfig(script=write_script(RULES)))
    async with session(server) as first, session(server) as second:
        assert await ask(first, "weather") == "Sunny in turn 1."
        assert await ask(first, "weather") == "Sunny in turn 2."
        assert await ask(second, "weather") == "Sunny in turn 1."


async def test_a_bad_script_stops_the_server_from_starting(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    with pytest.raises(ScriptError, match="Extra inputs"):
        await start_live_server(ServerConfig(script=write_script({"rules": [{"match": "a", "x": 1}]})))
