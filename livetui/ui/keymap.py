"""The `[keymap]` setting, checked before the app runs: every entry names a binding that exists, keys
Textual can parse, and no key that another action already has.

Binding ids are read from the ``BINDINGS`` of the app, its screens and its widgets (every class in
`livetui.ui`, and what they inherit). A key is what Textual matches key events against: modifiers
(``ctrl+``, ``shift+``, ``alt+``, ``meta+``, ``super+``, ``hyper+``) and then a key name from
`textual.keys.Keys` (``escape``, ``f5``, ``pageup``...), a single character, or a character's name
(``question_mark``, ``slash``). Textual itself applies a keymap without looking (``"notakey!!"`` simply
binds nothing), so the check is here. Keys are compared as Textual stores them: a single character is
turned into its name (``?`` → ``question_mark``), as `App.set_keymap` does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.screen import Screen

from livetui.config import config_file
from livetui.config_sources import blame

MODIFIERS = frozenset(("ctrl", "shift", "alt", "meta", "super", "hyper"))
"""The modifiers a key may carry."""

KEY_NAMES = frozenset(key.value.rsplit("+", 1)[-1] for key in Keys if not key.value.startswith("<"))
"""Named keys Textual reports (``escape``, ``f1``, ``pageup``, ``space``...)."""

EXAMPLES = "keys look like escape, f2, ctrl+x, shift+tab or question_mark"
"""What a valid key looks like, for the error line."""


class KeymapError(Exception):
    """A keymap entry cannot be used. The message is one line naming the entry and where it was set."""


@dataclass(frozen=True)
class KnownBinding:
    """A binding the keymap may meet: its id (None: cannot be remapped), action and default keys."""

    binding_id: str | None
    """The id a keymap entry names."""
    action: str
    """What it does."""
    keys: tuple[str, ...]
    """Its keys before any keymap."""
    with_main: bool
    """True unless it belongs to a dialog (a screen over the main one), whose keys may repeat the main
    screen's."""


def character_key(character: str) -> str:
    """The key name of a single character, as Textual names it (``?`` → ``question_mark``)."""
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return KEY_NAME_REPLACEMENTS.get(name, name)


def normalize(keys: str) -> tuple[str, ...]:
    """The keys of a comma-separated key string, stripped, single characters named."""
    parts = [part.strip() for part in keys.split(",")]
    return tuple(character_key(part) if len(part) == 1 else part for part in parts)


def parses(key: str) -> bool:
    """True when Textual can match a key event to `key` (see the module docstring)."""
    *modifiers, name = key.split("+")
    if not name or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    return (
        name in KEY_NAMES
        or len(name) == 1
        or name in KEY_NAME_REPLACEMENTS.values()
        or key_to_character(name) is not None
    )


def _owners() -> Iterator[type[DOMNode]]:
    """The app's classes and every screen and widget class in `livetui.ui` (imported by the app)."""
    from livetui.ui.app import LiveApp

    yield LiveApp
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("livetui.ui.") and not issubclass(cls, App):
            yield cls


def known_bindings() -> list[KnownBinding]:
    """Every binding of the app's classes (and what they inherit from Textual) that has an id, and the
    app's and main screen's own bindings without one (they hold their keys whatever has the focus).
    Textual's own id-less bindings (Ctrl+C's reminder of how to quit, Tab between widgets) give way to a
    remapped key, so they are not counted."""
    from livetui.ui.screens.main import MainScreen

    found: dict[tuple[str | None, str, bool], list[str]] = {}
    for owner in _owners():
        in_force = issubclass(owner, App) or owner is MainScreen
        with_main = in_force or not issubclass(owner, Screen)
        for cls in owner.__mro__:
            ours = cls.__module__.startswith("livetui.")
            for binding in Binding.make_bindings(vars(cls).get("BINDINGS", [])):
                if binding.id is not None or (in_force and ours):
                    keys = found.setdefault((binding.id, binding.action, with_main), [])
                    keys.append(binding.key)
    return [KnownBinding(i, action, tuple(keys), main) for (i, action, main), keys in found.items()]


def check_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap with its keys normalized, once every entry passes (see the module docstring).

    Raises:
        KeymapError: an unknown binding id, a key Textual cannot parse, or a key another action has.
    """
    bindings = known_bindings()
    ids = {binding.binding_id for binding in bindings if binding.binding_id is not None}
    checked: dict[str, str] = {}
    for binding_id, value in keymap.items():
        if binding_id not in ids:
            known = ", ".join(sorted(ids))
            raise _error(binding_id, f"no key binding has this id (the ids are: {known})")
        keys = normalize(value)
        for key, typed in zip(keys, value.split(","), strict=True):
            if not parses(key):
                raise _error(binding_id, f"{typed.strip()!r} is not a key ({EXAMPLES})")
        checked[binding_id] = ",".join(keys)
    _check_clashes(bindings, checked)
    return checked


def _check_clashes(bindings: list[KnownBinding], keymap: Mapping[str, str]) -> None:
    """Two actions on one key: an entry's key that a binding in force with it already has. A key the
    entry's binding has by default is never a clash: the app's defaults share keys on purpose (Esc
    interrupts, or hides the side panes shown over the chat)."""
    holders: dict[str, set[tuple[str | None, str]]] = {}
    for binding in bindings:
        if not binding.with_main:
            continue
        if binding.binding_id is not None and binding.binding_id in keymap:
            keys: tuple[str, ...] = tuple(keymap[binding.binding_id].split(","))
        else:
            keys = binding.keys
        for key in keys:
            holders.setdefault(key, set()).add((binding.binding_id, binding.action))
    for binding_id, value in keymap.items():
        defaults = _defaults_of(bindings, binding_id)
        for key in value.split(","):
            if key in defaults:
                continue
            others = {
                other_id or action
                for other_id, action in holders.get(key, set())
                if other_id != binding_id and action != _action_of(bindings, binding_id)
            }
            if others:
                raise _error(binding_id, f"{key!r} is already the key of {', '.join(sorted(others))}")


def _defaults_of(bindings: list[KnownBinding], binding_id: str) -> set[str]:
    return {key for binding in bindings if binding.binding_id == binding_id for key in binding.keys}


def _action_of(bindings: list[KnownBinding], binding_id: str) -> str:
    return next(binding.action for binding in bindings if binding.binding_id == binding_id)


def _error(binding_id: str, message: str) -> KeymapError:
    return KeymapError(blame("keymap", message, flags=(), config=config_file(), key=binding_id))
