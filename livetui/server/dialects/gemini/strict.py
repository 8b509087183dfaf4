"""Setup fields the Gemini dialect does not know are refused, as Google refuses them (unless the server
was started ``--lenient``)."""

from __future__ import annotations

from livetui.providers.gemini.client import Setup
from livetui.providers.gemini.codec import ProtocolError, load_json
from livetui.providers.gemini.fields import unknown_fields


def unknown_setup_fields(frame: str | bytes) -> list[str]:
    """The paths of the fields of a ``setup`` frame that Google's API does not know (either spelling is
    known); empty for a frame that is not a setup object (its decoding says what is wrong)."""
    try:
        data = load_json(frame)
    except ProtocolError:
        return []
    return unknown_fields(data.get("setup"), Setup, "setup")


def unknown_name_reason(path: str) -> str:
    """The close reason for an unknown field, in Google's words (``Unknown name "x" at 'setup.y'``)."""
    parent, _, name = path.rpartition(".")
    return f"Invalid JSON payload received. Unknown name \"{name}\" at '{parent}': Cannot find field."
