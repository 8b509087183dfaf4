"""Helpers for the history tests: sessions recorded by the real app against the local server, and a brain
that keeps the conversation it was given at each reply (what a continued session carried)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from livetui.config import Settings
from livetui.server.core.brains.base import Chunk, Dialogue
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from tests.ui.waiting import send, until, until_live


class HistoryBrain(ScriptedBrain):
    """Answers as the scripted brain does; :attr:`seen` holds, per reply, the conversation it answered."""

    def __init__(self) -> None:
        super().__init__(None)
        self.seen: list[list[tuple[str, str]]] = []
        """For each reply: every turn of the history (role, text), the one answered last."""

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Keep the history, then answer."""
        self.seen.append([(turn.role, turn.text) for turn in dialogue.history])
        async for chunk in super().reply(dialogue, text):
            yield chunk


async def record_session(url: str, settings: Settings, *texts: str) -> None:
    """Run the app against the server at `url`, send each text and wait for its reply, then quit."""
    app = make_app(settings, connect_to(url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        for number, text in enumerate(texts, start=1):

            def replied(number: int = number) -> bool:
                turn = app.main.chat.turn(number)
                return turn is not None and turn.complete

            await send(pilot, text)
            await until(pilot, replied, f"the reply to turn {number}")
