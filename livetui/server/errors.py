"""The errors the local server reports in words: when it cannot start, and when a brain cannot answer."""

from __future__ import annotations


class StartupError(Exception):
    """The server refuses to start. The message is one line, fit to print as it is.

    Raised for a bad script file, a brain that cannot load, or an unsafe address; ``livetui serve`` prints
    it and exits with status 2.
    """


class BrainError(Exception):
    """A brain cannot answer, for a reason the user can act on (its model server refused the key, say).

    The message is one line that names no secret: the connection is closed with 1011 and it as the reason.
    """
