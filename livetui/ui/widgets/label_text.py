"""Setting a label's text without redrawing more than changed.

`Static.update` relayouts the whole screen each time, even for the same text. A status segment that
changes many times a second (the microphone meter, the session clock) only needs that when its width
changes; an unchanged text needs nothing at all.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static


def show_text(label: Static, text: str) -> bool:
    """Show `text` in `label`: nothing when it already shows it, a repaint when its width is unchanged, and
    a relayout only when the width changes; returns True when the label changed."""
    shown = label.content
    if isinstance(shown, str) and shown == text:
        return False
    same_width = isinstance(shown, str) and cell_len(shown) == cell_len(text)
    label.update(text, layout=not same_width)
    return True
