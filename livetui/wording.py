"""Small pieces of the wording the app, its commands and its journal's readers share."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``1 turn``, ``2 turns``: `count` and `noun`, plural unless there is exactly one."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
