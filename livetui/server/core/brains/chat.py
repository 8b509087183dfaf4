"""The conversation as chat-completion messages: what the smollm2 and bridge brains send their model."""

from __future__ import annotations

from livetui.server.core.brains.base import Dialogue


def chat_messages(dialogue: Dialogue, budget_chars: int, default_system: str = "") -> list[dict[str, str]]:
    """The chat for a model: the system prompt (the session's, else `default_system`; with the camera's
    scene in one line once a frame has arrived), then as much recent history as fits `budget_chars`."""
    system = dialogue.system_text.strip() or default_system
    if dialogue.scene is not None:
        system = (system + "\n" + dialogue.scene.summary()).strip()
    turns: list[dict[str, str]] = []
    used = len(system)
    for turn in reversed(dialogue.history):
        text = turn.text
        if not text:
            continue
        if turns and used + len(text) > budget_chars:
            break
        used += len(text)
        turns.append({"role": "assistant" if turn.role == "model" else "user", "content": text})
    turns.reverse()
    return [{"role": "system", "content": system}, *turns] if system else turns
