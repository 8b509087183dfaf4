"""The scripted brain: deterministic replies from a script (or an echo), for tests, demos and CI."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Mapping, Sequence

from livetui.live.tools import ToolAnswer
from livetui.server.core.brains.base import Brain, CallTools, Chunk, Dialogue, FunctionRequest
from livetui.server.core.faults import Fault
from livetui.server.core.senses.scene import Scene, asks_what_is_seen, scene_text
from livetui.server.script import ReplySpec, Script

WORDS_PER_DELTA = 3
"""Words per delta when a reply gives no `chunk_chars`."""

_PLACEHOLDER = re.compile(r"\{(text|turn|result|output|scene)\}")
_WORD = re.compile(r"\s*\S+")


def render(template: str, text: str, turn: int, tool_values: Mapping[str, str] | None = None) -> str:
    """Fill ``{text}`` and ``{turn}`` (and ``{result}``/``{output}`` from `tool_values`) in one pass; any
    other braces stay as they are."""
    values = {"text": text, "turn": str(turn), **(tool_values or {})}
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def tool_values(responses: Sequence[ToolAnswer]) -> dict[str, str]:
    """``{result}``: the JSON of the first answer's output object; ``{output}``: its ``output`` (text as it
    is, anything else as JSON), or its ``error``."""
    if not responses:
        return {}
    response = responses[0].output
    value = response.get("output", response.get("error"))
    output = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {"result": json.dumps(response, ensure_ascii=False), "output": output}


def split_words(text: str, per_delta: int = WORDS_PER_DELTA) -> list[str]:
    """Cut `text` into deltas of `per_delta` words; joined back they give `text` exactly."""
    words = _WORD.findall(text)
    if not words:
        return [text] if text else []
    words[-1] += text[sum(map(len, words)) :]
    return ["".join(words[i : i + per_delta]) for i in range(0, len(words), per_delta)]


def split_chars(text: str, size: int) -> list[str]:
    """Cut `text` into deltas of `size` characters."""
    return [text[i : i + size] for i in range(0, len(text), size)]


class ScriptedBrain(Brain):
    """Answers from a `Script`: the first matching rule's reply, paced as the rule says.

    Without a script every turn is answered ``You said: <the user's words>``, except a question about
    what the model sees ("what do you see"), which is answered with the camera's scene.
    """

    name = "scripted"

    def __init__(self, script: Script | None = None) -> None:
        self.script = script or Script()
        """The rules and default reply in force."""
        self.scripted = script is not None
        """True when a script was given (then only its rules say what is answered)."""

    def deltas(
        self,
        spec: ReplySpec,
        text: str,
        turn: int,
        responses: Sequence[ToolAnswer] = (),
        scene: Scene | None = None,
    ) -> list[str]:
        """The text deltas of the reply `spec` gives to `text` in user turn `turn`, after the function
        `responses` (if it asked for calls), with `scene` the camera's latest scene (for ``{scene}``)."""
        reply = render(spec.reply, text, turn, {**tool_values(responses), "scene": scene_text(scene)})
        if spec.chunk_chars:
            return split_chars(reply, spec.chunk_chars)
        return split_words(reply)

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Ask for the rule's function calls if it has any, then stream its reply, pausing `interval_ms`
        between deltas, with the rule's fault where it strikes (`livetui.server.core.faults`)."""
        spec = self.script.pick(text)
        if not self.scripted and asks_what_is_seen(text):
            spec = ReplySpec(reply="{scene}")
        if spec.tool_calls:
            yield CallTools(tuple(FunctionRequest(call.name, dict(call.args)) for call in spec.tool_calls))
        deltas = self.deltas(spec, text, dialogue.user_turns, dialogue.tool_responses, dialogue.scene)
        fault = spec.fault
        if fault == "go_away":
            yield Fault("go_away", time_left=spec.time_left_ms / 1000)
        halfway = max(1, len(deltas) // 2)
        for index, delta in enumerate(deltas):
            if index and fault in ("drop", "close_1011") and index == halfway:
                yield Fault(fault)
                return
            if fault != "burst":
                # Sleeping (even for 0 s) lets the connection read while a long reply streams.
                await asyncio.sleep(spec.interval_ms / 1000 if index else 0)
            yield delta
            if index == 0 and fault == "malformed":
                yield Fault("malformed")
        if fault in ("drop", "close_1011") and len(deltas) < 2:
            yield Fault(fault)
