"""The dialogs that let the user decide a function call: approve or deny it (confirm mode), or type its
result (manual mode)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from livetui.tools.invoke import parse_answer
from livetui.ui.widgets.tool_calls import CallView, pretty_json

ANSWER_HINT = 'JSON, e.g. 42, "sunny", {"temperature": 21} or {"error": "no such city"}'
"""The editor's placeholder."""


def _call_summary(view: CallView) -> Text:
    text = Text()
    text.append(view.call.name, style="bold")
    text.append(f"   id {view.call.call_id} · turn {view.call.turn}\n", style="dim")
    text.append(pretty_json(view.call.args))
    return text


class ConfirmToolScreen(ModalScreen[bool]):
    """Asks whether to run a call: True to run it, False to deny it."""

    AUTO_FOCUS = "#approve"
    """Approve has the focus, so Enter runs the call."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,y", "approve", "Approve", tooltip="Run the function."),
        Binding("d,n,escape", "deny", "Deny", tooltip="Answer the call with an error: denied by the user."),
    ]

    def __init__(self, view: CallView) -> None:
        super().__init__()
        self.view = view
        """The call to decide."""

    def compose(self) -> ComposeResult:
        """The call, and the two buttons."""
        with Vertical(id="tool-dialog", classes="tool-dialog"):
            yield Label("The model wants to call a function", classes="tool-dialog-title")
            with VerticalScroll(classes="tool-dialog-call"):
                yield Static(_call_summary(self.view), markup=False)
            with Horizontal(classes="tool-dialog-buttons"):
                yield Button("Approve (a)", id="approve", variant="success")
                yield Button("Deny (d)", id="deny", variant="error")

    @on(Button.Pressed, "#approve")
    def action_approve(self) -> None:
        """Run the call."""
        self.dismiss(True)

    @on(Button.Pressed, "#deny")
    def action_deny(self) -> None:
        """Deny the call."""
        self.dismiss(False)


class AnswerToolScreen(ModalScreen[dict[str, Any] | None]):
    """Asks for a call's result as JSON; returns the response to send, or None if the user closed it.

    A JSON object with only ``output`` and/or ``error`` keys is sent as it is; any other JSON value is
    sent as ``{"output": value}``. Text that is not JSON shows a one-line error and the dialog stays open.
    """

    AUTO_FOCUS = "#tool-answer"
    """The editor has the focus: what is typed is the answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", tooltip="Send the typed result."),
        Binding("escape", "close", "Later", tooltip="Close; the call waits for an answer."),
    ]

    def __init__(self, view: CallView) -> None:
        super().__init__()
        self.view = view
        """The call to answer."""

    def compose(self) -> ComposeResult:
        """The call, a JSON editor, an error line, and the buttons."""
        with Vertical(id="tool-dialog", classes="tool-dialog"):
            yield Label("Type the result of this call (JSON)", classes="tool-dialog-title")
            with VerticalScroll(classes="tool-dialog-call"):
                yield Static(_call_summary(self.view), markup=False)
            yield TextArea(id="tool-answer", soft_wrap=True, placeholder=ANSWER_HINT)
            yield Label("", id="tool-answer-error")
            with Horizontal(classes="tool-dialog-buttons"):
                yield Button("Send (ctrl+s)", id="send", variant="success")
                yield Button("Later (esc)", id="close")

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        """Send the result if it is JSON; otherwise say why not, on one line."""
        text = self.query_one("#tool-answer", TextArea).text
        try:
            response = parse_answer(text)
        except ValueError as error:
            label = self.query_one("#tool-answer-error", Label)
            label.update(str(error))
            label.add_class("-shown")
            return
        self.dismiss(response)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close without answering."""
        self.dismiss(None)
