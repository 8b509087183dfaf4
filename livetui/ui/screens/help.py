"""The help screen: every key binding with its keys, id and what it does.

The rows are read from the main screen's active bindings at the moment help opens (with nothing focused,
then with the composer and the chat log focused, for their own keys), so keys remapped with ``[keymap]``
in the config show as they really are. Ids are what the keymap names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

ORDER = ("interrupt", "help", "toggle_panes", "focus_composer", "clear_log", "quit")
"""The order of the rows (bindings not named here follow, in the order they were found)."""

DIALOG_SHARE = 0.96
"""The most of the screen's width the dialog takes (as `help.tcss` says)."""
DIALOG_CHROME = 2 + 4 + 1
"""Columns of the dialog that are not the table: its border, its padding, and the table's scroll bar."""
DIALOG_LINES = 2 + 2 + 2 + 2 + 1
"""Lines of the dialog that are not the table: border, padding, the title and the hint (each with its
margin), and the closing line."""
MIN_DESCRIPTION = 20
"""The narrowest the descriptions' column gets (the table scrolls sideways below that)."""

REMAP_HINT = 'Remap by id in config.toml:  [keymap]  interrupt = "escape,ctrl+x"'
"""The line under the table that says how to change a key."""


@dataclass(frozen=True)
class BindingRow:
    """One binding as the help screen lists it."""

    keys: str
    """Every key that triggers it, as displayed (``esc``, ``f1 / ?``)."""
    description: str
    """Its short name."""
    binding_id: str
    """The id the keymap uses, or `—` for a binding that cannot be remapped."""
    tooltip: str
    """What it does."""


def binding_rows(app: App[Any], active: Iterable[ActiveBinding]) -> list[BindingRow]:
    """The app's and screen's own bindings, and a widget's that have an id (the composer's, the chat
    log's), one row per binding, keys merged; a widget's unnamed ones (a text box's) are left out."""
    grouped: dict[str, tuple[Binding, list[str]]] = {}
    for item in active:
        binding = item.binding
        if item.node is not app and item.node is not app.screen and binding.id is None:
            continue
        if binding.id is None and binding.action != "command_palette":
            continue
        key = binding.id or binding.action
        display = app.get_key_display(binding)
        entry = grouped.setdefault(key, (binding, []))
        if display not in entry[1]:
            entry[1].append(display)
    rows = [
        BindingRow(
            keys=" / ".join(keys),
            description=(binding.description or binding.action).capitalize(),
            binding_id=binding.id or "—",
            tooltip=binding.tooltip,
        )
        for binding, keys in grouped.values()
    ]
    rank = {binding_id: index for index, binding_id in enumerate(ORDER)}
    return sorted(rows, key=lambda row: rank.get(row.binding_id, len(ORDER)))


class HelpScreen(ModalScreen[None]):
    """A modal table of the key bindings; Esc, q or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "dismiss", "Close", tooltip="Close the help screen."),
    ]
    """Keys that close the dialog."""

    def __init__(self, rows: list[BindingRow]) -> None:
        super().__init__()
        self.rows = rows
        """The bindings listed."""

    def compose(self) -> ComposeResult:
        """A title, the bindings table, and how to remap keys."""
        with Vertical(id="help-dialog"):
            yield Label("Key bindings", id="help-title")
            table: DataTable[Text] = DataTable(id="help-table", cursor_type="none", zebra_stripes=True)
            yield table
            yield Static(REMAP_HINT, id="help-hint", markup=False)
            yield Static(
                "Esc, q or F1 closes this screen · Ctrl+P opens the command palette", id="help-close"
            )

    def on_mount(self) -> None:
        """Fill the table, and give it the focus (its arrows and page keys scroll it)."""
        self._fill(self.app.size)
        self.query_one("#help-table", DataTable).focus()

    def on_resize(self, event: Resize) -> None:
        """Fill the table again for the new width (the descriptions wrap to fit it)."""
        self._fill(event.size)

    def _fill(self, screen: Size) -> None:
        """The table, its last column as wide as the screen leaves it (long descriptions wrap), and as
        tall as the dialog's other lines leave it (it scrolls)."""
        table: DataTable[Text] = self.query_one("#help-table", DataTable)
        table.styles.max_height = max(3, screen.height - DIALOG_LINES)
        screen_width = screen.width
        table.clear(columns=True)
        cells = [(row.keys, row.description, row.binding_id) for row in self.rows]
        titles = ("key", "action", "id")
        widths = [max([len(title), *(len(c[i]) for c in cells)]) for i, title in enumerate(titles)]
        room = int(screen_width * DIALOG_SHARE) - DIALOG_CHROME - sum(widths) - 2 * table.cell_padding * 4
        longest = max([len("what it does"), *(len(row.tooltip) for row in self.rows)])
        for title, width in zip(titles, widths, strict=True):
            table.add_column(title, key=title, width=width)
        table.add_column("what it does", key="tooltip", width=max(MIN_DESCRIPTION, min(longest, room)))
        for row in self.rows:
            table.add_row(
                Text(row.keys, style="bold"),
                Text(row.description),
                Text(row.binding_id, style="italic"),
                Text(row.tooltip),
                key=row.binding_id if row.binding_id != "—" else row.description,
                height=None,
            )
