"""The pure parts of the composer and the send path: the history walk, and cutting text to fit a frame."""

from __future__ import annotations

from livetui.live.split import split_to_fit
from livetui.ui.widgets.chat_nav import code_blocks
from livetui.ui.widgets.history import History


def test_a_walk_goes_back_through_the_messages_and_forward_to_the_draft() -> None:
    history = History()
    assert history.older("draft") is None, "nothing sent yet"
    for text in ("one", "two", "two", "three"):
        history.add(text)
    assert history.messages == ["one", "two", "three"], "a repeat is kept once"
    assert [history.older("draft"), history.older(""), history.older(""), history.older("")] == [
        "three",
        "two",
        "one",
        None,
    ]
    assert [history.newer(), history.newer(), history.newer(), history.newer()] == [
        "two",
        "three",
        "draft",
        None,
    ]
    assert not history.walking


def test_pieces_fit_and_join_to_the_text() -> None:
    text = "".join(f"line {index}\n" for index in range(1000))
    pieces = split_to_fit(text, lambda piece: len(piece) <= 700)
    assert "".join(pieces) == text
    assert all(len(piece) <= 700 for piece in pieces) and len(pieces) > 1
    assert all(piece.endswith("\n") for piece in pieces[:-1]), "cuts fall on line breaks"
    assert split_to_fit("short", lambda piece: True) == ["short"]
    unbroken = "x" * 5000
    assert "".join(split_to_fit(unbroken, lambda piece: len(piece) <= 100)) == unbroken


def test_code_blocks_are_found_in_a_reply() -> None:
    reply = "Try:\n\n```python\nprint(1)\n```\n\nor\n\n    indented()\n\nand `inline` is not one."
    assert code_blocks(reply) == ["print(1)\n", "indented()\n"]
    assert code_blocks("no code here") == []
