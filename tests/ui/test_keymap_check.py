"""The keymap check accepts what the README shows and normalizes keys as Textual compares them."""

from __future__ import annotations

import pytest

from livetui.ui.keymap import KeymapError, check_keymap


def test_the_readme_example_is_accepted() -> None:
    # Esc is also the key that hides the panes shown over the chat: a default the entry keeps is no clash.
    assert check_keymap({"interrupt": "escape,ctrl+c"}) == {"interrupt": "escape,ctrl+c"}


def test_keys_are_stripped_and_single_characters_named() -> None:
    assert check_keymap({"help": "f9, ?"}) == {"help": "f9,question_mark"}


def test_a_key_held_by_a_focused_widget_is_a_clash() -> None:
    with pytest.raises(KeymapError, match=r"^keymap\.interrupt: 'c' is already the key of copy_turn"):
        check_keymap({"interrupt": "c"})
