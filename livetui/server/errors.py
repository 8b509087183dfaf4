"""The one error the local server raises when it cannot start."""

from __future__ import annotations


class StartupError(Exception):
    """The server refuses to start. The message is one line, fit to print as it is.

    Raised for a bad script file, a brain that cannot load, or an unsafe address; ``livetui serve`` prints
    it and exits with status 2.
    """
