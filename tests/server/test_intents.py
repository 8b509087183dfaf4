"""Questions about the time and arithmetic become calls of the built-in tools (when declared), and the
smollm2 brain phrases the tool's answer."""

from __future__ import annotations

import pytest

from livetui.live.tools import ToolAnswer
from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.base import FunctionRequest
from livetui.server.core.brains.intents import expression_in, phrase_answer, tool_request
from livetui.server.core.brains.smollm2 import smollm2_unavailable
from livetui.server.core.brains.spoken_numbers import with_digits
from tests.conftest import ServerStarter
from tests.server.wire import model_text, read_turn, recv, send, session, user_turn

BOTH = {"calculator", "current_time"}


@pytest.mark.parametrize(
    ("text", "words", "expression"),
    [
        ("what is 6 times 7", "6 times 7", "6 * 7"),
        ("What is 6 times 7?", "6 times 7", "6 * 7"),
        ("12 + 30", "12 + 30", "12 + 30"),
        ("what's 6x7", "6x7", "6 * 7"),
        ("how much is 84 divided by 2?", "84 divided by 2", "84 / 2"),
        ("2 to the power of 10", "2 to the power of 10", "2 ** 10"),
        ("10 minus -3 plus 1.5", "10 minus -3 plus 1.5", "10 - -3 + 1.5"),
        ("17 mod 5", "17 mod 5", "17 % 5"),
        ("what is six times seven", "6 times 7", "6 * 7"),
        ("Forty-two divided by two?", "42 divided by 2", "42 / 2"),
        ("one hundred and five minus five", "105 minus 5", "105 - 5"),
        ("two thousand five hundred plus twenty one", "2500 plus 21", "2500 + 21"),
    ],
)
def test_arithmetic_becomes_a_calculator_call(text: str, words: str, expression: str) -> None:
    assert expression_in(text) == (words, expression)
    assert tool_request(text, BOTH) == FunctionRequest("calculator", {"expression": expression})


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("I have three cats and two dogs", "I have 3 cats and 2 dogs"),
        ("one two three", "1 2 3"),
        ("twenty eleven", "20 11"),
        ("six and seven", "6 and 7"),
        ("one hundred thousand", "100000"),
        ("nothing to count", "nothing to count"),
    ],
)
def test_spoken_numbers_are_read_in_the_order_english_says_them(text: str, written: str) -> None:
    assert with_digits(text) == written


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("what time is it?", {}),
        ("What's the time in Europe/Paris", {"timezone": "Europe/Paris"}),
        ("what is the date today", {}),
        ("current time in UTC please", {"timezone": "UTC"}),
    ],
)
def test_time_questions_become_current_time_calls(text: str, args: dict[str, object]) -> None:
    assert tool_request(text, BOTH) == FunctionRequest("current_time", args)


def test_nothing_is_called_that_was_not_declared_or_asked() -> None:
    assert tool_request("what is 6 times 7", {"current_time"}) is None
    assert tool_request("what time is it", {"calculator"}) is None
    assert tool_request("I have 3 cats and 2 dogs", BOTH) is None
    assert tool_request("I have three cats and two dogs", BOTH) is None
    assert tool_request("tell me a story", BOTH) is None


def answered(response: dict[str, object]) -> list[ToolAnswer]:
    return [ToolAnswer(call_id="function-call-1", name="x", output=response)]


def test_answers_are_phrased_from_the_response() -> None:
    sum_call = FunctionRequest("calculator", {"expression": "6 * 7"})
    assert phrase_answer("what is 6 times 7?", sum_call, answered({"output": 42})) == "6 times 7 is 42."
    assert phrase_answer("6 times 7", sum_call, answered({"error": "denied by the user"})) == (
        "I could not work out 6 times 7: denied by the user."
    )
    clock = FunctionRequest("current_time", {})
    now = {"time": "14:05:09", "date": "2026-07-01", "weekday": "Wednesday", "timezone": "UTC"}
    expected = "It is 14:05 on Wednesday, 2026-07-01 (UTC)."
    assert phrase_answer("time?", clock, answered({"output": now})) == expected
    assert phrase_answer("time?", clock, answered({"output": "noon"})) == 'The clock says "noon".'
    assert phrase_answer("time?", clock, []) == "I did not get an answer from the tool."


llm = pytest.mark.skipif(smollm2_unavailable() is not None, reason=smollm2_unavailable() or "")

DECLARED = [
    {
        "functionDeclarations": [
            {"name": "calculator", "parametersJsonSchema": {"type": "object"}},
            {"name": "current_time"},
        ]
    }
]


@pytest.mark.llm
@llm
async def test_smollm2_calls_the_calculator_and_says_the_result(start_live_server: ServerStarter) -> None:
    server: LiveServer = await start_live_server(ServerConfig(brain="smollm2"))
    async with session(server, tools=DECLARED) as ws:
        await send(ws, user_turn("What is six times seven?"))
        frame = await recv(ws)
        (call,) = frame["toolCall"]["functionCalls"]
        assert (call["name"], call["args"]) == ("calculator", {"expression": "6 * 7"})
        answer = {"id": call["id"], "name": "calculator", "response": {"output": 42}}
        await send(ws, {"toolResponse": {"functionResponses": [answer]}})
        assert model_text(await read_turn(ws)) == "6 times 7 is 42."
