"""`livetui sessions` lists the sessions the app recorded, newest first, in lines or as JSON."""

from __future__ import annotations

import json

import pytest

from livetui.cli import main
from livetui.config import Settings
from tests.conftest import ServerStarter
from tests.history.sessions import record_session


async def test_the_sessions_recorded_by_the_app_are_listed_newest_first(
    start_live_server: ServerStarter, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    server = await start_live_server()
    await record_session(server.url, settings, "alpha one", "alpha two")
    await record_session(server.url, settings, "beta")
    capsys.readouterr()

    assert main(["sessions", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["turns"] for entry in listed] == [1, 2]
    assert [entry["first_words"] for entry in listed] == ["beta", "alpha one"]
    assert all(entry["provider"] == "local" and entry["model"] == "server" for entry in listed)
    assert listed[1]["duration_seconds"] > 0 and listed[0]["started"] >= listed[1]["started"]

    assert main(["sessions", "alpha"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "2 turns" in lines[0] and "“alpha one”" in lines[0]
    assert lines[0].endswith(listed[1]["session"])


def test_with_no_sessions_it_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("livetui sessions: no recorded sessions in ")
    assert main(["sessions", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
