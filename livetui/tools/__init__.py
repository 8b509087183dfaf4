"""Tools the model may call: the registry, the built-in tools, and user tools loaded from a Python file.

A tools file may mark its functions with `tool` (``from livetui.tools import tool``); nothing else here is
imported eagerly.
"""

from livetui.tools.spec import tool

__all__ = ["tool"]
