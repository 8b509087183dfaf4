"""The hint the chat log shows before the first turn: how to talk, how to interrupt, where the keys are.

Its keys are read from the screen's bindings once the app has applied the user's keymap, so a remapped key
shows as it is bound. It goes away on the first turn, on the interrupt key, or when clicked.
"""

from __future__ import annotations

from textual import events

from livetui.ui.key_names import bound_keys
from livetui.ui.widgets.growing import GrowingStatic


def hint_text(keys: dict[str, str], *, speech: bool, push_to_talk: bool) -> str:
    """The hint for these keys (binding id → key) and this kind of session."""
    newline = keys.get("newline", "^j")
    talk = ""
    if push_to_talk and "push_to_talk" in keys:
        talk = f", or press {keys['push_to_talk']} (or Space in the empty box) to talk"
    elif speech:
        talk = ", or just speak"
    lines = [f"Type a message and press Enter ({newline} for a new line){talk}."]
    tips = []
    if "interrupt" in keys:
        tips.append(f"{keys['interrupt']} interrupts the model")
    if "help" in keys:
        tips.append(f"{keys['help']} lists every key")
    if "focus_chat" in keys:
        tips.append(f"{keys['focus_chat']} reads the chat: ↑↓ select a turn, c copies it")
    if tips:
        lines.append(" · ".join(tips) + ".")
    return "\n".join(lines)


class FirstHint(GrowingStatic):
    """How to start: shown until the first turn (or dismissed with the interrupt key or a click)."""

    def __init__(self, *, speech: bool, push_to_talk: bool) -> None:
        super().__init__("")
        self.speech = speech
        """True when the session listens to the microphone (the hint says "just speak")."""
        self.push_to_talk = push_to_talk
        """True when the microphone waits for the talk key (the hint names it)."""
        self.border_title = "getting started"

    def on_mount(self) -> None:
        """Write the hint once the keymap is in force (after the app's first refresh)."""
        self.call_after_refresh(self._describe)

    def _describe(self) -> None:
        if self.is_attached:
            self.update(
                hint_text(bound_keys(self.screen), speech=self.speech, push_to_talk=self.push_to_talk)
            )

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        await self.remove()
