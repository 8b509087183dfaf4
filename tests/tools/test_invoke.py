"""Calls are checked against the hints, run (sync in a thread, async on the loop) and shaped for the wire."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from livetui.tools.builtin import current_time
from livetui.tools.invoke import (
    ToolArgumentsError,
    describe_exception,
    invoke,
    output_response,
    parse_answer,
)
from livetui.tools.registry import ToolRegistry
from livetui.tools.spec import ToolSpec

SAMPLE = Path(__file__).parent / "sample_tools.py"


def spec(name: str) -> ToolSpec:
    found = ToolRegistry.load(SAMPLE).get(name)
    assert found is not None
    return found


async def test_arguments_are_converted_to_the_hinted_types() -> None:
    assert await invoke(spec("weather"), {"city": "Oslo", "unit": "F", "days": "3"}) == {
        "city": "Oslo",
        "unit": "F",
        "days": 3,
        "sky": "sunny",
    }
    assert await invoke(spec("add"), {"a": 40, "b": 2.5}) == 42.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"city": "Oslo", "when": "now"}, "bad arguments: unexpected argument 'when'"),
        ({}, "bad arguments: missing argument 'city'"),
        ({"city": "Oslo", "unit": "K"}, "bad arguments: unit: Input should be 'C' or 'F'"),
        ({"city": "Oslo", "days": "many"}, "bad arguments: days: Input should be a valid integer"),
    ],
)
async def test_arguments_that_do_not_fit_are_one_line(args: dict[str, object], message: str) -> None:
    with pytest.raises(ToolArgumentsError) as caught:
        await invoke(spec("weather"), args)
    assert str(caught.value).startswith(message)


async def test_plain_functions_run_off_the_event_loop_thread() -> None:
    def where() -> int | None:
        """Which thread runs me."""
        return threading.get_ident()

    async def where_async() -> int | None:
        """Which thread runs me."""
        return threading.get_ident()

    loop_thread = threading.get_ident()
    assert await invoke(ToolSpec.from_function(where), {}) != loop_thread
    assert await invoke(ToolSpec.from_function(where_async), {}) == loop_thread


async def test_exceptions_propagate_for_the_runner_to_report() -> None:
    with pytest.raises(RuntimeError, match="the archive is on fire"):
        await invoke(spec("broken_tool"), {})


def test_outputs_are_made_json_able() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5)
    assert output_response({"at": when, "tags": ("a", "b"), "n": 1}) == {
        "output": {"at": "2026-01-02T03:04:05", "tags": ["a", "b"], "n": 1}
    }
    assert output_response(object())["output"].startswith("<object object at")


def test_exceptions_are_described_in_one_line() -> None:
    assert describe_exception(ValueError("unknown time zone 'Mars/Base'")) == "unknown time zone 'Mars/Base'"
    assert describe_exception(RuntimeError("disk\nfull")) == "RuntimeError: disk full"
    assert describe_exception(KeyError()) == "KeyError"


def test_manual_answers_are_json_and_wrapped_unless_they_are_a_response() -> None:
    assert parse_answer("42") == {"output": 42}
    assert parse_answer('{"temp": 20}') == {"output": {"temp": 20}}
    assert parse_answer('{"error": "no such city"}') == {"error": "no such city"}
    assert parse_answer('{"output": "sunny"}') == {"output": "sunny"}
    assert parse_answer('"text"') == {"output": "text"}
    with pytest.raises(ValueError) as caught:
        parse_answer("{oops")
    assert str(caught.value) == (
        "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"
    )


def test_current_time_honours_the_time_zone() -> None:
    utc = current_time("UTC")
    assert utc["iso"].endswith("+00:00") and utc["timezone"] == "UTC"
    kolkata = current_time("Asia/Kolkata")
    assert kolkata["iso"].endswith("+05:30")
    assert dt.date.fromisoformat(kolkata["date"]).strftime("%A") == kolkata["weekday"]
    assert kolkata["time"] == kolkata["iso"][11:19]
    local = current_time()
    assert dt.datetime.fromisoformat(local["iso"]).tzinfo is not None
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus_Mons'"):
        current_time("Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="unknown time zone"):
        current_time("../../etc/passwd")
