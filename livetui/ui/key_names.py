"""The keys bound to each binding id, as the user's keymap binds them and as the screen would show them."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def bound_keys(screen: Screen[Any]) -> dict[str, str]:
    """The first key of each binding id active on `screen` (``{"interrupt": "esc", "help": "f1"}``)."""
    keys: dict[str, str] = {}
    for item in screen.active_bindings.values():
        binding_id = item.binding.id
        if binding_id is not None and binding_id not in keys:
            keys[binding_id] = screen.app.get_key_display(item.binding)
    return keys
