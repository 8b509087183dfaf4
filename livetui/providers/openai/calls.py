"""The function calls of the reply in progress: which were requested, which are still unanswered, and
whether the model is owed a ``response.create`` to go on.

A call is complete in several events (``response.function_call_arguments.done``,
``response.output_item.done``, the output of ``response.done``); it is requested once, by whichever
comes first. Its name and id may come only with ``response.output_item.added``: they are remembered by
item id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from livetui.live.limits import LimitError, bounded_json

RAW_ARGUMENTS = "_raw"
"""The key that holds arguments that are not a JSON object, as the model wrote them."""


def parse_arguments(text: str) -> tuple[dict[str, object], str | None]:
    """A call's arguments as an object, and None; or ``{"_raw": text}`` and why they are not one."""
    if not text.strip():
        return {}, None
    try:
        args = bounded_json(text)
    except LimitError as error:
        return {RAW_ARGUMENTS: text}, str(error)
    if not isinstance(args, dict):
        return {RAW_ARGUMENTS: text}, f"they are a JSON {type(args).__name__}"
    return args, None


@dataclass
class PendingCalls:
    """Function calls of the current reply (see the module docstring)."""

    unanswered: set[str] = field(default_factory=set)
    """Calls requested and not answered yet."""
    answered: bool = False
    """Some answers were sent: the model is owed one ``response.create``."""
    _seen: set[str] = field(default_factory=set)
    _items: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def added(self, item_id: str | None, call_id: str | None, name: str | None) -> None:
        """A function-call item was added: remember its id and name until its arguments are done."""
        if item_id:
            self._items[item_id] = (call_id, name)

    def identify(self, item_id: str | None, call_id: str | None, name: str | None) -> tuple[str | None, str]:
        """The call's id and name, from the event or from its item added earlier."""
        known_id, known_name = self._items.get(item_id or "", (None, None))
        return call_id or known_id, name or known_name or "unnamed"

    def request(self, call_id: str) -> bool:
        """True the first time `call_id` is requested (it is then unanswered)."""
        if call_id in self._seen:
            return False
        self._seen.add(call_id)
        self.unanswered.add(call_id)
        return True

    def answer(self, call_id: str) -> None:
        """`call_id` was answered."""
        if call_id in self.unanswered:
            self.unanswered.discard(call_id)
            self.answered = True

    @property
    def waiting(self) -> bool:
        """The turn waits for answers, or for the reply to them."""
        return bool(self.unanswered) or self.answered

    @property
    def due(self) -> bool:
        """Every call is answered and the model is owed a ``response.create``."""
        return self.answered and not self.unanswered

    def drop(self) -> None:
        """The turn was interrupted: its calls will not be answered (the tools runner cancels them)."""
        self.unanswered.clear()
        self.answered = False
