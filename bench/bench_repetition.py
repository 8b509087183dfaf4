"""The smollm2 brain over 20 fixed prompts: the share of replies that repeat a phrase three times or more
(target 0), their median length, and the first token.

Each prompt is a fresh one-turn conversation, spoken (the spoken token cap applies). Measured twice,
interleaved prompt by prompt: with the sampling settings alone, and as shipped (the loop guard cutting a
reply before it would say a phrase a third time).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from livetui.live.tools import ToolAnswer
from livetui.server.core.brains.repetition import repeats_a_phrase, words
from livetui.server.core.brains.smollm2 import SmolLM2Brain, smollm2_unavailable
from livetui.server.core.senses.scene import Scene
from livetui.server.core.turns import SessionSettings, Turn

PROMPTS = (
    "What is the capital of France?",
    "Name three colours of the rainbow.",
    "Hello! Who are you?",
    "Tell me a story about a dragon.",
    "What is your favourite food?",
    "Describe the sea.",
    "Why is the sky blue?",
    "Give me three tips for sleeping well.",
    "What do cats like?",
    "Tell me about the moon.",
    "How do I make a cup of tea?",
    "What is a computer?",
    "Say something nice.",
    "What should I do this weekend?",
    "Explain what rain is.",
    "Tell me a joke.",
    "What are the seasons of the year?",
    "Describe your ideal house.",
    "What is music?",
    "List some animals that live in the forest.",
)
"""The fixed prompts."""


@dataclass
class OneTurn:
    """A one-turn conversation, as a brain reads it."""

    text: str
    """The user's words."""
    settings: SessionSettings = field(default_factory=lambda: SessionSettings(modality="AUDIO"))
    """A spoken session with no system instruction."""
    tool_responses: Sequence[ToolAnswer] = ()
    """None: no tool is called."""
    scene: Scene | None = None
    """None: no camera."""

    @property
    def history(self) -> Sequence[Turn]:
        """The one user turn."""
        return (Turn("user", self.text),)

    @property
    def system_text(self) -> str:
        """The session's system instruction (none)."""
        return self.settings.system_text

    @property
    def user_turns(self) -> int:
        """One."""
        return 1


async def answer(brain: SmolLM2Brain, prompt: str) -> tuple[str, float]:
    """The reply to `prompt`, and the seconds to its first delta."""
    started = time.perf_counter()
    first = 0.0
    reply = ""
    async for chunk in brain.reply(OneTurn(prompt), prompt):
        if isinstance(chunk, str):
            first = first or time.perf_counter() - started
            reply += chunk
    return reply, first


async def main() -> None:
    """Ask every prompt of both brains and print the numbers."""
    reason = smollm2_unavailable()
    if reason is not None:
        print(f"   skipped: {reason}")
        return
    brains = {"sampling alone": SmolLM2Brain(loop_guard=False), "as shipped": SmolLM2Brain()}
    for brain in brains.values():
        await brain.load()
    replies: dict[str, list[str]] = {name: [] for name in brains}
    firsts: list[float] = []
    try:
        for prompt in PROMPTS:
            for name, brain in brains.items():
                reply, first = await answer(brain, prompt)
                replies[name].append(reply)
                firsts.append(first)
    finally:
        for brain in brains.values():
            await brain.aclose()
    for name, said in replies.items():
        looping = sum(repeats_a_phrase(reply) for reply in said)
        length = statistics.median(len(words(reply)) for reply in said)
        print(
            f"   {name}: {looping} of {len(said)} replies repeat a phrase 3+ times "
            f"({looping / len(said):.0%}; target 0), median length {length:.0f} words"
        )
    print(
        f"   brain first token: median {statistics.median(firsts) * 1000:.0f} ms over {len(firsts)} replies"
    )
