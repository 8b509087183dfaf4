"""One model reply in the chat log: streamed Markdown, the spoken transcript, and how the turn ended.

A typed turn's reply is mounted as soon as the user sends it (showing that a reply is awaited), so the
first delta only has to append to a Markdown widget that is already on screen.

The text the user saw is kept on the turn (:attr:`ModelTurn.text`), not read back from the widget. Text
is fed to the `Markdown` through a `ReplyStream`, created on the turn's first text delta, so bursts of
deltas are joined into one append, and the first text is painted as soon as it is appended (not at the
screen's next frame). When the turn completes its stream is flushed and stopped; when it is
interrupted, text not yet painted is dropped and the turn keeps exactly what was on screen. Later text is
ignored: an interrupted turn never grows again.

The turn records no latency mark itself: when its first text is on screen (`t2`), and when an interrupted
turn's text is final (`k1`), it posts `ModelTurn.Painted` to the app with the time, taken on the session's
clock at that moment, and the app hands the mark to the runtime the turn belongs to.

Text that reaches a turn before its children are mounted (turns arriving faster than the log mounts them)
or after it left the log is kept on the turn and shown once it is mounted, never looked up in widgets that
are not there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Markdown, Static

from livetui.events import Mark
from livetui.session.runtime import Runtime
from livetui.ui.widgets.archive import ArchivedEntry
from livetui.ui.widgets.growing import GrowingStatic, LaidOutOnce, ReplyMarkdown
from livetui.ui.widgets.reply_stream import ReplyStream
from livetui.ui.widgets.streamed_text import StreamedText

PARSER = MarkdownIt("gfm-like")
"""One Markdown parser for every reply: `Markdown` would build a new one for each streamed append."""


def _parser() -> MarkdownIt:
    return PARSER


class ModelTurn(Vertical, LaidOutOnce):
    """A model reply: header, dimmed thoughts, the streamed Markdown, the spoken transcript, a marker."""

    @dataclass
    class Painted(Message):
        """The turn's text reached the screen: its first text (`t2`), or an interrupted turn's final text
        (`k1`), at `at` on the session's clock."""

        model_turn: ModelTurn
        """The turn that was painted."""
        turn: int
        """Its turn number."""
        mark: Mark
        """`t2` or `k1`."""
        at: float
        """When it was painted (not when the message is handled)."""

        @property
        def control(self) -> ModelTurn:
            """The turn that was painted (an alias of `model_turn`)."""
            return self.model_turn

    def __init__(self, turn: int, runtime: Runtime | None) -> None:
        super().__init__(classes="-streaming -waiting")
        self.turn = turn
        """The turn number (the engine numbers turns from 1)."""
        self.runtime = runtime
        """The session's runtime: its clock times the `t2` and `k1` marks, and the marks go to it."""
        self.chunks: list[str] = []
        """Every text delta shown, in order: the authoritative text of the reply."""
        self.transcript_chunks: list[str] = []
        """The transcript of the spoken reply, delta by delta."""
        self.thought_chunks: list[str] = []
        """Thought deltas (reasoning the model shows but does not say), shown dimmed."""
        self.interrupted = False
        """True once the turn was interrupted (by the user or the server)."""
        self.complete = False
        """True once the server closed the turn."""
        self.marker = ""
        """How the turn ended, when it did not simply complete (``■ interrupted by you``)."""
        self._transcript = StreamedText(classes="transcript")
        self._stream: ReplyStream | None = None
        self._painted = False
        self._mounted = False

    @property
    def text(self) -> str:
        """The reply's text as received and shown."""
        return "".join(self.chunks)

    @property
    def transcript(self) -> str:
        """The transcript of the spoken reply."""
        return "".join(self.transcript_chunks)

    def claim(self, turn: int, runtime: Runtime | None) -> None:
        """Make a spare turn (mounted hidden ahead of time, see `ChatLog`) the reply to `turn`; show it."""
        self.turn = turn
        self.runtime = runtime
        if self._live:
            self.query_one(".turn-header", Label).update(self.header)
        # Shown by its own style, not by restyling the turn and its children: this is on the way from Enter
        # to the reply's first paint.
        self.remove_class("-spare", update=False)
        self.display = True

    @property
    def header(self) -> str:
        """The turn's header line."""
        return f"model · turn {self.turn}" + (" · spoken" if self.transcript_chunks else "")

    @property
    def frozen(self) -> bool:
        """True when the turn takes no more text (interrupted or complete)."""
        return self.interrupted or self.complete

    def compose(self) -> ComposeResult:
        """Header, thoughts, Markdown body, transcript and end marker (the optional parts start hidden)."""
        yield Label(self.header, classes="turn-header")
        yield Label("waiting for the reply…", classes="waiting")
        yield GrowingStatic("", classes="thought")
        yield ReplyMarkdown(classes="reply", parser_factory=_parser)
        yield self._transcript
        yield Label(self.marker, classes="turn-marker", markup=False)  # the end reason is wire text

    async def on_mount(self) -> None:
        """Show what arrived before the children were mounted."""
        self._mounted = True
        if not self.has_class("-waiting"):  # text came while the children were being mounted
            self._hide_waiting()
        if self.thought_chunks:
            self._show_thoughts()
        if self.transcript_chunks:
            self._show_transcript()
        if self.chunks and not self.frozen:
            await self._write("".join(self.chunks))
        elif self.chunks:
            await self.markdown.update("".join(self.chunks))

    @property
    def _live(self) -> bool:
        """True while the children are mounted (after compose, before the turn leaves the log)."""
        return self._mounted and self.is_attached

    @property
    def markdown(self) -> Markdown:
        """The Markdown widget the reply streams into."""
        return self.query_one(".reply", Markdown)

    async def add_text(self, text: str, *, thought: bool = False) -> None:
        """Show a text delta; ignored once the turn is frozen."""
        if self.frozen or not text:
            return
        self._stop_waiting()
        if thought:
            self.thought_chunks.append(text)
            if self._live:
                self._show_thoughts()
            return
        self.chunks.append(text)
        if self._live:
            await self._write(text)

    async def _write(self, text: str) -> None:
        if self._stream is None:
            self._stream = ReplyStream(self.markdown, self._text_painted)
        await self._stream.write(text)

    def _stop_waiting(self) -> None:
        """Hide "waiting for the reply…" by the line's own style: a class change would restyle the turn and
        all its children, on the way to the first paint."""
        if not self.has_class("-waiting"):
            return
        self.remove_class("-waiting", update=False)
        self._hide_waiting()

    def _hide_waiting(self) -> None:
        """Hide the waiting line by its own style."""
        for line in self.query_children(".waiting"):  # none yet: composed later, styled without the class
            line.display = False

    def _show_thoughts(self) -> None:
        thoughts = self.query_one(".thought", Static)
        thoughts.update("".join(self.thought_chunks).strip())
        thoughts.display = True

    def add_transcript(self, text: str) -> None:
        """Show a delta of the spoken reply's transcript; ignored once the turn is frozen."""
        if self.frozen or not text:
            return
        self._stop_waiting()
        first = not self.transcript_chunks
        self.transcript_chunks.append(text)
        if self._live:
            self._show_transcript(header=first)
            if not self._painted:
                self.call_after_refresh(self._check_painted)

    def _show_transcript(self, *, header: bool = True) -> None:
        """Show the transcript so far (and the header that says the turn is spoken, when it may be new)."""
        if header:
            self.query_one(".turn-header", Label).update(self.header)
        self._transcript.show(self.transcript.strip())
        self._transcript.display = True

    def _text_painted(self) -> None:
        """Record `t2` when the stream painted the reply's first text (unless the transcript was first)."""
        if not self._painted and self._live:
            self._painted = True
            self._post_mark("t2")

    def _check_painted(self) -> None:
        """Record `t2` once the first text is on screen (after a refresh that includes it)."""
        if self._painted or not self._live:
            return
        markdown = self.markdown
        if self.transcript_chunks or markdown.children or (markdown.source and not markdown.source.strip()):
            self._painted = True
            self._post_mark("t2")
        elif markdown.source or self._stream is not None:
            self.call_after_refresh(self._check_painted)

    async def interrupt(self, by: Literal["user", "server"]) -> None:
        """Stop growing at once, show the turn as interrupted, and record `k1` when its text is final."""
        if self.interrupted:
            return
        self.interrupted = True
        self.remove_class("-streaming", "-waiting", update=False)  # one restyle for both changes
        self.add_class("-interrupted")
        who = "you" if by == "user" else "the server"
        self._set_marker(f"■ interrupted by {who}")
        self._discard_unpainted()
        await self._stop_stream()
        if not self._live:  # nothing of it was ever on screen
            self.chunks = []
            self._mark_final()
            return
        await self._remeasure()
        # What was shown, exactly: text received before the key but never painted is not part of it.
        self.chunks = [self.markdown.source] if self.markdown.source else []
        self.call_after_refresh(self._mark_final)

    async def finish(self, reason: str) -> None:
        """The server closed the turn: flush and stop the stream."""
        self.complete = True
        self.remove_class("-streaming", "-waiting", update=False)  # restyled with the class added below
        if reason == "interrupted" and not self.interrupted:
            await self.interrupt("server")
            return
        if not self.interrupted:
            self.add_class("-complete")
            if reason != "complete":
                self._set_marker(f"ended: {reason}")
                self.add_class("-ended")
        await self._stop_stream()
        if not self._live:
            return
        if not self.interrupted and self.transcript_chunks and not self.chunks:
            await self._transcript_as_markdown()
        await self._remeasure()

    async def _transcript_as_markdown(self) -> None:
        """A spoken reply's transcript, plain text while it is spoken, is shown as Markdown once the turn
        is complete (a table, a list, code), in place of the plain text."""
        await self.markdown.update(self.transcript.strip())
        self._transcript.display = False

    async def close(self) -> None:
        """Stop streaming without marking how the turn ended (the turn is being removed)."""
        self.complete = True
        await self._stop_stream()

    def archived(self) -> ArchivedEntry:
        """What the turn shows, for the log's archive."""
        return ArchivedEntry(
            "model",
            self.text,
            turn=self.turn,
            header=self.header,
            thoughts="".join(self.thought_chunks).strip(),
            transcript=self.transcript.strip(),
            marker=self.marker,
            warn=self.interrupted,
        )

    def _set_marker(self, text: str) -> None:
        self.marker = text
        if self._live:
            self.query_one(".turn-marker", Label).update(text)

    def _discard_unpainted(self) -> None:
        """Drop fragments the stream holds but has not appended yet, so the turn stops growing at once (an
        append already under way finishes: it cannot be cut short)."""
        if self._stream is not None:
            self._stream.discard()

    async def _stop_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            await stream.stop()

    async def _remeasure(self) -> None:
        """Once any append still under way is done, have the Markdown blocks measure their final text.

        The stream grows the last block in place, and Textual can reuse the size it cached for the block's
        shorter text (the race `livetui.ui.widgets.growing` describes): a finished reply missing its last
        lines, about one turn in a hundred. The next delta would heal it, but once the turn stops growing
        there is none, so drop the blocks' cached sizes and lay them out again.
        """
        async with self.markdown.lock:
            for block in self.markdown.children:
                block._box_model_cache.clear()
                block.refresh(layout=True)

    def _mark_final(self) -> None:
        self._post_mark("k1")

    def _post_mark(self, mark: Mark) -> None:
        """Post the mark, timed now: the message may be handled a little later.

        It goes to the app directly rather than bubbling: posted from a refresh callback, its sender can be
        the chat log, where bubbling would stop, and a turn that has left the log has no parent to bubble
        to."""
        if self.runtime is not None:
            self.app.post_message(self.Painted(self, self.turn, mark, self.runtime.clock()))
