"""Running a script's steps against a live session, one after the other, each to a `StepResult`.

Actions act on the session (`say` sends a typed turn, `play` streams a WAV file into the microphone at
its own pace, `show` sends a picture as a snapshot, `interrupt_after_ms` interrupts the reply that many ms
after the user's turn, `answer` answers the next call of a function); `wait` waits for the reply to the
latest user turn. Expectations wait for that reply to end (up to their timeout), then check it: its text
(or else the transcript of its speech) matches a regular expression, a function was called in the
session with the given arguments, its first text came within N ms of the user's turn.

A step that fails does not stop the run: the next one runs, so one run reports every failure. A session
that cannot go on (a fatal error) fails every step left, with its reason.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from livetui import events as ev
from livetui.headless.script import Step
from livetui.headless.watch import Watch
from livetui.live.tools import ToolAnswer
from livetui.media.audio.pcm import SAMPLE_BYTES, AudioFileError, frames_in, read_audio
from livetui.session.engine import Emit, LiveSession

BLOCK_SECONDS = 0.1
"""Microphone blocks a played file is cut into, sent at the pace they would be spoken."""

TRAILING_SILENCE = 1.0
"""Seconds of silence sent after a played file, so the server hears the utterance end."""


@dataclass(frozen=True)
class StepResult:
    """How one step went."""

    step: Step
    """The step."""
    ok: bool
    """True when it did what it says (or its expectation held)."""
    detail: str = ""
    """What happened, in one line (why it failed, or what it saw)."""
    seconds: float = 0.0
    """How long it took."""


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


class StepRunner:
    """Runs steps against one session (see the module docstring)."""

    def __init__(self, session: LiveSession, watch: Watch, emit: Emit) -> None:
        self.session = session
        """The live session."""
        self.watch = watch
        """What has been seen of it."""
        self.emit = emit
        """Where the steps' own events go (the journal): the answers the script sends."""
        self.awaited = 0
        """The turn the next `wait` and expectations are about: the latest user turn's."""

    async def run(self, step: Step) -> StepResult:
        """Run one step."""
        started = self.session.clock()
        if self.watch.fatal is not None:
            ok, detail = False, f"the session has ended: {self.watch.fatal}"
        else:
            ok, detail = await getattr(self, f"_{step.kind}")(step)
        return StepResult(step, ok, detail, self.session.clock() - started)

    async def _say(self, step: Step) -> tuple[bool, str]:
        self.awaited = self.session.send_text(step.value)
        return True, f"turn {self.awaited}"

    async def _play(self, step: Step) -> tuple[bool, str]:
        rate = self.session.provider.capabilities.audio_in_rate
        try:
            pcm = read_audio(Path(step.value), rate) + bytes(frames_in(TRAILING_SILENCE, rate) * SAMPLE_BYTES)
        except AudioFileError as error:
            return False, str(error)
        self.awaited = self.watch.last_turn + 1
        block = frames_in(BLOCK_SECONDS, rate) * SAMPLE_BYTES
        loop = asyncio.get_running_loop()
        start = loop.time()
        for number, offset in enumerate(range(0, len(pcm), block)):
            await asyncio.sleep(max(0.0, start + number * BLOCK_SECONDS - loop.time()))  # the speaker's pace
            self.session.send_audio(pcm[offset : offset + block], rate=rate)
        return True, f"{len(pcm) / SAMPLE_BYTES / rate:.1f} s of audio"

    async def _show(self, step: Step) -> tuple[bool, str]:
        try:
            image = Path(step.value).read_bytes()
        except OSError as error:
            return False, f"cannot read {step.value}: {error.strerror}"
        self.session.send_video(image, now=True)
        return True, f"{len(image)} bytes"

    async def _ended(self, step: Step) -> tuple[bool, str]:
        turn = self.awaited
        if await self.watch.until(lambda: self.watch.turn(turn).ended is not None, step.timeout):
            return True, ""
        if self.watch.fatal is not None:
            return False, f"the session has ended: {self.watch.fatal}"
        return False, f"no reply to turn {turn} within {step.timeout * 1000:g} ms"

    async def _wait(self, step: Step) -> tuple[bool, str]:
        ok, detail = await self._ended(step)
        if not ok:
            return ok, detail
        seen = self.watch.turn(self.awaited)
        return True, f"turn {self.awaited} {seen.ended}: {_short(seen.reply)}"

    async def _interrupt_after_ms(self, step: Step) -> tuple[bool, str]:
        seen = self.watch.turn(self.awaited)
        since = seen.sent_at if seen.sent_at is not None else self.session.clock()
        await asyncio.sleep(max(0.0, since + step.value / 1000 - self.session.clock()))
        turn = self.session.interrupt()
        return True, f"interrupted turn {turn}" if turn is not None else "nothing was replying"

    async def _answer(self, step: Step) -> tuple[bool, str]:
        name = step.value
        if not await self.watch.until(lambda: any(c.name == name for c in self.watch.held), step.timeout):
            return False, f"no call of {name} within {step.timeout * 1000:g} ms"
        call = self.watch.take_held(name)
        assert call is not None and step.answer is not None
        self.session.answer_tool_calls([ToolAnswer(call.call_id, call.name, step.answer)])
        self.emit(ev.ToolResult(turn=call.turn, call_id=call.call_id, name=call.name, response=step.answer))
        return True, f"answered {call.call_id}"

    async def _expect_reply(self, step: Step) -> tuple[bool, str]:
        ok, detail = await self._ended(step)
        if not ok:
            return ok, detail
        reply = self.watch.turn(self.awaited).reply
        if re.search(step.value, reply):
            return True, _short(reply)
        return False, f"the reply was {_short(reply)}"

    async def _expect_tool(self, step: Step) -> tuple[bool, str]:
        ok, detail = await self._ended(step)
        if not ok:
            return ok, detail
        wanted = step.args or {}
        named = [call for call in self.watch.calls if call.name == step.value]
        for call in named:
            if all(call.args.get(key) == value for key, value in wanted.items()):
                return True, f"called with {dict(call.args)}"
        if named:
            return False, f"{step.value} was called with {', '.join(str(dict(c.args)) for c in named)}"
        called = sorted({call.name for call in self.watch.calls})
        return False, f"{step.value} was not called" + (f" (called: {', '.join(called)})" if called else "")

    async def _expect_first_text_ms(self, step: Step) -> tuple[bool, str]:
        ok, detail = await self._ended(step)
        if not ok:
            return ok, detail
        seen = self.watch.turn(self.awaited)
        if seen.first_text_at is None or seen.sent_at is None:
            return False, f"turn {self.awaited} had no text"
        took = (seen.first_text_at - seen.sent_at) * 1000
        verdict = "within" if took <= step.value else "over"
        return took <= step.value, f"first text after {took:.0f} ms ({verdict} {step.value:g} ms)"
