"""Old chat entries folded into blocks of plain renderables: still readable and scrollable, cheap to keep.

Every widget in the chat log costs the screen's layout pass, and Textual lays the whole screen out whenever
anything in it changes size (a streamed paragraph, a latency label), so a log of live widgets makes every
paint slower the longer the session runs. Entries that can no longer change are therefore folded, a few
at a time, into an :class:`ArchiveBlock`: one widget that draws its entries as Rich renderables (the reply
as Rich Markdown, the entry's coloured bar and header as the live widget drew them). A block is drawn
again only when it changes or the log is resized, and the log's layout pass counts it as one widget.

The log's keyboard selection reaches archived entries too: a block draws its selected entry with the
selection's style (``ChatLog > .-selected``: an accent tint and a thick accent bar), drawing afresh that
entry alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget

EntryKind = Literal["user", "heard", "model", "tool", "notice", "error"]
"""What an archived entry was: the user's turn, what the model heard, a model reply, a function call, a
notice or an error."""

ENTRIES_PER_BLOCK = 16
"""Entries folded into one block before a new block starts."""


@dataclass(frozen=True)
class ArchivedEntry:
    """What an entry showed, kept once its widget is gone."""

    kind: EntryKind
    """Which entry it was."""
    text: str
    """Its text: the user's words, the reply's Markdown source, the notice, the call's line."""
    turn: int | None = None
    """The turn it belongs to (None for notices and errors)."""
    header: str = ""
    """A model reply's header (``model · turn 3 · spoken``)."""
    thoughts: str = ""
    """A model reply's thoughts, shown dimmed."""
    transcript: str = ""
    """The transcript of a spoken reply."""
    marker: str = ""
    """How a model reply ended when it did not simply complete (``■ interrupted by you``)."""
    warn: bool = False
    """True for a reply that was interrupted or a call that failed: drawn in the warning colours."""
    styled: Text | None = None
    """The text as the live entry styled it (a call's line), when it had styles of its own."""


class Palette:
    """The theme's colours an archived entry is drawn with, read from the app's CSS variables."""

    def __init__(self, variables: dict[str, str]) -> None:
        self._variables = variables
        self.key = hash(tuple(sorted(variables.items())))
        """Equal for equal themes: drawings made with an equal palette can be reused."""
        self._background = Color.parse(variables.get("background", "#000000"))
        self._foreground = Color.parse(variables.get("foreground", "#ffffff"))

    def color(self, name: str, alpha: float = 1.0) -> Color:
        """A theme colour (``auto N%`` is the foreground at N %), blended over the background at `alpha`."""
        value = self._variables.get(name, "")
        if value.startswith("auto"):
            percent = value.removeprefix("auto").strip().rstrip("%") or "100"
            color = self._background.blend(self._foreground, float(percent) / 100)
        else:
            try:
                color = Color.parse(value)
            except Exception:  # an unknown variable: the text colour, as CSS would fall back to
                color = self._foreground
        return self._background.blend(color, alpha)

    def style(
        self, name: str, alpha: float = 1.0, *, bold: bool = False, italic: bool = False, dim: bool = False
    ) -> Style:
        """A Rich style whose colour is the theme colour `name`."""
        color = self.color(name, alpha).rich_color
        return Style(color=color, bold=bold or None, italic=italic or None, dim=dim or None)

    def fill(self, name: str, alpha: float) -> Style:
        """A Rich style whose background is the theme colour `name` at `alpha` over the background."""
        return Style(bgcolor=self.color(name, alpha).rich_color)


class Barred:
    """A renderable beside a one-cell bar (Textual's ``border-left: outer``), padded a cell each side."""

    def __init__(
        self, body: RenderableType, bar: Style | None, fill: Style | None = None, mark: Style | None = None
    ) -> None:
        self.body = body
        """What is drawn."""
        self.bar = bar
        """The bar's style; None for no bar."""
        self.fill = fill
        """The background behind the body and its padding."""
        self.mark = mark
        """The style of a bar drawn over the first cell (the selection's, as an outline); None for none."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The body's lines, each after the bar and a cell of padding, and a cell of padding after."""
        left = 2 if self.bar is not None else 1
        width = max(1, options.max_width - left - 1)
        fill = self.fill or Style()
        lines = console.render_lines(self.body, options.update_width(width), style=fill, pad=True)
        first = [Segment("▌", self.bar)] if self.bar is not None else []
        first.append(Segment(" ", fill))
        if self.mark is not None:  # over the bar, or the padding: the width stays, so the lines do
            first[0] = Segment("▌", fill + self.mark)
        for line in lines:
            yield from first
            yield from line
            yield Segment(" ", fill)
            yield Segment.line()


def draw(entry: ArchivedEntry, palette: Palette, *, selected: bool = False) -> Barred:
    """An entry as the chat log's stylesheet draws its live widget (`selected`: as the log's selection)."""
    barred = _barred(entry, palette)
    if not selected:
        return barred
    return Barred(barred.body, barred.bar, palette.fill("accent", 0.2), mark=palette.style("accent"))


def _barred(entry: ArchivedEntry, palette: Palette) -> Barred:
    match entry.kind:
        case "user":
            return Barred(Text(entry.text), palette.style("primary"), palette.fill("primary", 0.1))
        case "heard":
            text = Text(entry.text, style=palette.style("text-muted"))
            return Barred(text, palette.style("primary", 0.6), palette.fill("primary", 0.1))
        case "notice":
            return Barred(Text(entry.text, style=palette.style("text-muted", italic=True)), None)
        case "error":
            text = Text(entry.text, style=palette.style("text-error"))
            return Barred(text, palette.style("error"), palette.fill("error", 0.15))
        case "tool":
            text = entry.styled.copy() if entry.styled is not None else Text(entry.text, overflow="fold")
            text.style = palette.style("text-secondary")  # under the line's own spans
            bar = palette.style("error" if entry.warn else "accent")
            return Barred(text, bar, palette.fill("accent", 0.08))
        case "model":
            return Barred(_reply(entry, palette), palette.style("warning" if entry.warn else "success"))


def _reply(entry: ArchivedEntry, palette: Palette) -> RenderableType:
    header = palette.style("text-warning" if entry.warn else "text-success", bold=True)
    parts: list[RenderableType] = [Text(entry.header, style=header)]
    if entry.thoughts:
        parts.append(Text(entry.thoughts, style=palette.style("text-muted", italic=True, dim=True)))
    if entry.text.strip():
        parts.append(Markdown(entry.text))
    if entry.transcript:  # a completed spoken reply shows its transcript as Markdown, as the live turn does
        spoken_only = not entry.text.strip() and not entry.warn
        parts.append(Markdown(entry.transcript) if spoken_only else Text(entry.transcript))
    if entry.marker:
        parts.append(Text(entry.marker, style=palette.style("text-warning", bold=True)))
    return Group(*parts)


class Drawing:
    """An archived entry's drawing, whose lines are kept for the width and theme they were drawn at (a block
    draws its entries again whenever one is added: only the new one is drawn afresh)."""

    def __init__(self, entry: ArchivedEntry) -> None:
        self.entry = entry
        """The entry drawn."""
        self.palette: Palette | None = None
        """The colours to draw with (set before each render)."""
        self.selected = False
        """True while the entry is the log's selection (drawn with the selection's style)."""
        self._key: tuple[int, int] | None = None
        self._lines: dict[bool, list[list[Segment]]] = {}
        """The lines drawn, plain and selected, at the width and theme of `_key`."""

    @property
    def height(self) -> int:
        """The drawing's lines at the width it was last drawn at (0 before it is first drawn)."""
        return len(next(iter(self._lines.values()), []))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The entry's lines, drawn again only for a new width, theme or selection."""
        assert self.palette is not None
        key = (options.max_width, self.palette.key)
        if key != self._key:
            self._lines.clear()
            self._key = key
        lines = self._lines.get(self.selected)
        if lines is None:
            drawn = draw(self.entry, self.palette, selected=self.selected)
            lines = self._lines[self.selected] = console.render_lines(drawn, options, pad=False)
        for line in lines:
            yield from line
            yield Segment.line()


class ArchiveBlock(Widget):
    """A run of old entries drawn as one widget (styled in ``chat.tcss``)."""

    def __init__(self) -> None:
        super().__init__()
        self._drawings: list[Drawing] = []

    @property
    def entries(self) -> list[ArchivedEntry]:
        """The entries drawn, oldest first."""
        return [drawing.entry for drawing in self._drawings]

    @property
    def count(self) -> int:
        """How many entries the block draws."""
        return len(self._drawings)

    @property
    def full(self) -> bool:
        """True once the block holds :data:`ENTRIES_PER_BLOCK` entries."""
        return len(self._drawings) >= ENTRIES_PER_BLOCK

    @property
    def selected(self) -> int | None:
        """The index of the entry drawn as the log's selection, if one is."""
        return next((index for index, drawing in enumerate(self._drawings) if drawing.selected), None)

    def index(self, entry: ArchivedEntry) -> int | None:
        """Where this very entry is in the block (None when it is not here)."""
        return next((index for index, drawing in enumerate(self._drawings) if drawing.entry is entry), None)

    def select(self, index: int | None) -> None:
        """Draw the entry at `index` as the log's selection (None: no entry); the others keep their lines."""
        for place, drawing in enumerate(self._drawings):
            drawing.selected = place == index
        self.refresh()  # the same lines, differently styled: no layout

    def lines_of(self, index: int) -> tuple[int, int]:
        """Where the entry at `index` is drawn: its first line in the block and its height (as last drawn)."""
        top = sum(drawing.height + 1 for drawing in self._drawings[:index])  # a blank line after each
        return top, self._drawings[index].height

    def add(self, entries: Iterable[ArchivedEntry]) -> None:
        """Draw more entries after the ones already here."""
        self._drawings.extend(Drawing(entry) for entry in entries)
        self._changed()

    def drop(self, count: int) -> None:
        """Forget the oldest `count` entries (the log keeps a bounded number)."""
        del self._drawings[:count]
        self._changed()

    def _changed(self) -> None:
        """Measure afresh (the size-cache race `livetui.ui.widgets.growing` describes) and draw again."""
        self._box_model_cache.clear()
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """The entries, a blank line between two (as the live entries' top margin)."""
        # The theme's variables as the app last computed them (building them again costs ~0.25 ms a render).
        palette = Palette(self.app.theme_variables or self.app.get_css_variables())
        parts: list[RenderableType] = []
        for drawing in self._drawings:
            if parts:
                parts.append(Text(""))
            drawing.palette = palette
            parts.append(drawing)
        return Group(*parts)
