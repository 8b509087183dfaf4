"""What the server remembers is bounded: a conversation's turns, and the handles kept for resumption."""

from __future__ import annotations

from livetui.providers.gemini.content import Content, Part
from livetui.server.app import LiveServer
from livetui.server.core.handles import HANDLES_PER_CONVERSATION, Handles
from livetui.server.core.history import MAX_TURNS, History
from livetui.server.core.turns import Turn
from livetui.server.dialects.gemini.turns import turn_of
from tests.server.wire import ask, recv, send, session, user_turn


def texts(history: History) -> list[str]:
    """The text of every turn `history` keeps."""
    return [turn.text for turn in history]


def turn(text: str, role: str = "user") -> Turn:
    """One turn holding `text`, sized as its Gemini content is on the wire."""
    return turn_of(Content(role=role, parts=(Part(text=text),)))


MODEL_NOTED = {"role": "model", "parts": [{"text": "noted"}]}
"""A model turn of the context a client gives."""


def test_the_oldest_turns_are_forgotten_past_the_turn_bound() -> None:
    history = History(max_turns=3)
    history.extend(turn(f"u{i}") for i in range(5))
    assert texts(history) == ["u2", "u3", "u4"]
    assert history.user_turns == 5, "forgotten user turns still count"
    assert history.forgotten_user_turns == 2


def test_the_oldest_turns_are_forgotten_past_the_character_bound_but_the_latest_stays() -> None:
    history = History(max_chars=250)  # each of these turns takes about 140 characters of JSON
    history.extend([turn("a" * 100), turn("b" * 100, "model"), turn("c" * 100)])
    assert [text[0] for text in texts(history)] == ["c"]
    assert history.chars <= 250 and history.user_turns == 2
    history.extend([turn("d" * 1000)])
    assert [text[0] for text in texts(history)] == ["d"], "a turn larger than the bound is kept alone"


def test_a_copy_is_separate_and_keeps_the_count() -> None:
    history = History(max_turns=1)
    history.extend([turn("one"), turn("two")])
    twin = history.copy()
    twin.extend([turn("three")])
    assert texts(history) == ["two"] and history.user_turns == 2
    assert texts(twin) == ["three"] and twin.user_turns == 3


async def test_a_long_conversation_keeps_a_bounded_history_on_the_server(live_server: LiveServer) -> None:
    async with session(live_server, sessionResumption={}) as ws:
        await recv(ws)  # the first handle
        for number in range(MAX_TURNS + 50):  # exchanges given as context, with no reply asked for
            exchange = [user_turn(f"note {number}")["clientContent"]["turns"][0], MODEL_NOTED]
            await send(ws, {"clientContent": {"turns": exchange, "turnComplete": False}})
        assert await ask(ws, "done") == "You said: done"
        update = await recv(ws)
    handle = update["sessionResumptionUpdate"]["newHandle"]
    history = live_server.handles.find(handle)
    assert history is not None and len(history) == MAX_TURNS
    assert history.user_turns == MAX_TURNS + 51, "every turn counted, the forgotten ones too"
    assert history[-1].text == "You said: done"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_handles_are_bounded_in_count_least_recently_used_first() -> None:
    handles = Handles(capacity=3)
    conversations = [History() for _ in range(4)]
    issued = [handles.issue(history) for history in conversations[:3]]
    assert handles.find(issued[0]) is conversations[0]  # used: now the most recent
    fourth = handles.issue(conversations[3])
    assert handles.find(issued[1]) is None, "the least recently used is forgotten"
    assert handles.find(issued[0]) is conversations[0] and handles.find(fourth) is conversations[3]
    assert len(handles) == 3


def test_handles_are_forgotten_past_their_age() -> None:
    clock = Clock()
    handles = Handles(max_age=60.0, clock=clock)
    old, kept = History(), History()
    stale = handles.issue(old)
    clock.now = 30.0
    fresh = handles.issue(kept)
    clock.now = 61.0
    assert handles.find(stale) is None
    assert handles.find(fresh) is kept
    clock.now = 120.0
    assert handles.find(fresh) is kept, "using a handle renews it"


def test_one_conversation_keeps_only_its_latest_handles() -> None:
    handles = Handles()
    history = History()
    issued = [handles.issue(history) for _ in range(10)]
    assert len(handles) == HANDLES_PER_CONVERSATION
    assert [handles.find(h) is history for h in issued[-HANDLES_PER_CONVERSATION:]] == [True, True]
    assert handles.find(issued[0]) is None


def test_turns_since_a_mark_survive_trimming_and_copies() -> None:
    history = History(max_turns=3)
    history.extend([turn("old"), turn("answered", role="model")])
    mark = history.added
    history.extend([turn("part 1"), turn("part 2")])  # "old" is forgotten: positions move, the mark does not
    assert texts(history) == ["answered", "part 1", "part 2"]
    assert [t.text for t in history.since(mark)] == ["part 1", "part 2"]
    twin = history.copy()
    twin.extend([turn("part 3")])
    assert [t.text for t in twin.since(mark)] == ["part 1", "part 2", "part 3"]
    assert history.since(history.added) == []
