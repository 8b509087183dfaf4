"""The bridge brain: any OpenAI-compatible chat-completions server (Ollama, llama.cpp's server, vLLM, LM
Studio, a cloud endpoint) writes the local server's replies.

Each reply is one streamed ``POST {url}/chat/completions`` with the system prompt, the conversation and the
session's functions declared as tools; the model's tool calls become the live protocol's function calls,
and once the client has answered them the answers go back in a further request, until the model replies
in words. The key, when there is one, is read from an environment variable by whoever starts the server
and sent only in the ``Authorization`` header: never on a command line, in a log or in an error.

What goes wrong with that server (it refuses the connection, refuses the key, has no such model, does not
answer in time, answers with an error) becomes a `BrainError`: one line, the close reason of the 1011 that
ends the connection. Nothing waits longer than `timeout`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from livetui.live.tools import ToolDeclaration
from livetui.server.core.brains.base import Brain, CallTools, Chunk, Dialogue, FunctionRequest
from livetui.server.core.brains.chat import chat_messages
from livetui.server.errors import BrainError, StartupError

if TYPE_CHECKING:
    import httpx2

NAME = "openai-compat"
"""The name ``--brain`` selects it by."""
TIMEOUT = 30.0
"""Seconds the model server may take to connect, to start answering, or between two streamed chunks."""
HISTORY_CHARS = 32_000
"""How much recent conversation is sent, in characters (about 8,000 tokens)."""
MAX_TOOL_ROUNDS = 4
"""Rounds of function calls in one reply before the model is asked to answer in words."""


@dataclass(frozen=True)
class BridgeTarget:
    """The model server a bridge brain talks to."""

    url: str
    """The base URL of its OpenAI-compatible API (``http://localhost:11434/v1``)."""
    model: str | None = None
    """The model to ask for; None: the one the server lists (when it lists exactly one)."""
    key: str | None = field(default=None, repr=False)
    """The API key, sent as a bearer token; None: none is sent. Secret: never shown."""
    key_source: str | None = None
    """Where the key came from (the environment variable's name), for the message when it is refused."""
    timeout: float = TIMEOUT
    """Seconds to connect, to start answering, or between two chunks."""

    @property
    def shown_url(self) -> str:
        """The URL without any user name or password in it, as messages show it."""
        return _without_credentials(self.url)


def check_url(url: str) -> str:
    """`url` if it can be a model server's base URL (``http://`` or ``https://`` and a host).

    Raises:
        StartupError: it cannot.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise StartupError(f"--brain-url is not a URL: {_without_credentials(url)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = _without_credentials(url)
        raise StartupError(f"--brain-url must be an http:// or https:// URL, not {shown!r}")
    return url.rstrip("/")


def _without_credentials(url: str) -> str:
    """`url` as a message may show it: without a user name, a password or a query (a URL that cannot be
    read shows as its scheme only)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return url.split(":", 1)[0][:20] + ":…"
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/")


def tool_of(declaration: ToolDeclaration) -> dict[str, Any]:
    """A declared function in chat-completions terms."""
    function = {"name": declaration.name, "parameters": declaration.parameters}
    if declaration.description:
        function["description"] = declaration.description
    return {"type": "function", "function": function}


def _error_text(body: bytes) -> str:
    """The server's own words in an error body (``{"error": {"message": ...}}`` or plain text), on one
    line and short."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error", data)
        message = error.get("message") if isinstance(error, dict) else error
        text = str(message) if message else text
    return " ".join(text.split())[:160]


@dataclass
class _Call:
    """A tool call as its streamed pieces arrive."""

    id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass
class _Round:
    """What one streamed completion said: its words, and the tool calls it made."""

    text: str = ""
    calls: dict[int, _Call] = field(default_factory=dict)

    def add(self, delta: dict[str, Any]) -> str:
        """Take in one chunk's delta; returns its text."""
        for piece in delta.get("tool_calls") or ():
            if not isinstance(piece, dict):
                continue
            index = piece.get("index")
            call = self.calls.setdefault(index if isinstance(index, int) else 0, _Call())
            call.id = piece.get("id") or call.id
            function = piece.get("function") or {}
            call.name += function.get("name") or ""
            call.arguments += function.get("arguments") or ""
        content = delta.get("content")
        text = content if isinstance(content, str) else ""
        self.text += text
        return text


def _arguments(call: _Call) -> dict[str, Any]:
    """A call's arguments as a JSON object.

    Raises:
        BrainError: they are not one.
    """
    try:
        args = json.loads(call.arguments or "{}")
    except ValueError:
        args = None
    if not isinstance(args, dict):
        raise BrainError(f"the model called {call.name} with arguments that are not a JSON object")
    return args


class OpenAICompatBrain(Brain):
    """Replies written by a model behind an OpenAI-compatible chat-completions API, streamed."""

    name = NAME

    def __init__(self, target: BridgeTarget) -> None:
        self.target = target
        """The model server and model."""
        self._client: httpx2.AsyncClient | None = None
        self._model: str | None = None

    async def load(self) -> None:
        """Get the HTTP client ready (nothing is sent until the first reply).

        Raises:
            StartupError: the URL cannot be one of a model server.
        """
        import httpx2

        check_url(self.target.url)
        headers = {"Authorization": f"Bearer {self.target.key}"} if self.target.key else {}
        self._client = httpx2.AsyncClient(headers=headers, timeout=self.target.timeout)

    async def aclose(self) -> None:
        """Close the HTTP client's connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Stream the model's reply; its tool calls go to the client, and their answers back to it."""
        messages: list[dict[str, Any]] = list(chat_messages(dialogue, HISTORY_CHARS))
        tools = [tool_of(declaration) for declaration in dialogue.settings.tools]
        body: dict[str, Any] = {"model": await self._model_name(), "stream": True}
        if tools:
            body["tools"] = tools
        settings = dialogue.settings
        if settings.max_output_tokens:
            body["max_tokens"] = settings.max_output_tokens
        if settings.temperature is not None:
            body["temperature"] = settings.temperature
        for _ in range(MAX_TOOL_ROUNDS):
            said = _Round()
            async for delta in self._stream({**body, "messages": messages}):
                if words := said.add(delta):
                    yield words
            if not said.calls:
                return
            calls = [said.calls[index] for index in sorted(said.calls)]
            for number, call in enumerate(calls):
                call.id = call.id or f"call_{number}"
            yield CallTools(tuple(FunctionRequest(call.name, _arguments(call)) for call in calls))
            messages.append(
                {
                    "role": "assistant",
                    "content": said.text or None,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": call.arguments or "{}"},
                        }
                        for call in calls
                    ],
                }
            )
            answers = list(dialogue.tool_responses)
            for call, answer in zip(calls, answers, strict=False):
                content = json.dumps(answer.output, ensure_ascii=False)
                messages.append({"role": "tool", "tool_call_id": call.id, "content": content})
        raise BrainError(f"the model kept calling functions after {MAX_TOOL_ROUNDS} rounds")

    async def _model_name(self) -> str:
        """The model to ask for: the one named, once the server has shown it has it, else the one it lists.

        Raises:
            BrainError: the server does not list the model, or lists several and none was named.
        """
        if self._model is not None:
            return self._model
        target = self.target
        listed = await self._listed_models()
        if target.model is not None:
            if listed and target.model not in listed:
                served = ", ".join(listed[:8])
                raise BrainError(
                    f"model {target.model!r} not found at {target.shown_url} (it serves {served})"
                )
            self._model = target.model
        elif len(listed) == 1:
            self._model = listed[0]
        else:
            served = ", ".join(listed[:8]) or "none listed"
            raise BrainError(f"name the model with --brain-model ({target.shown_url} serves {served})")
        return self._model

    async def _listed_models(self) -> list[str]:
        """The ids ``GET {url}/models`` lists; [] when the server does not list its models."""
        data = await self._json("GET", "/models")
        entries = data.get("data") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return []
        return [str(entry["id"]) for entry in entries if isinstance(entry, dict) and "id" in entry]

    async def _json(self, method: str, path: str) -> Any:
        """The JSON a request answers with; None when the server has no such endpoint."""
        async with self._request(method, path, None) as response:
            if response.status_code in (404, 405, 501):
                return None
            await self._check(response)
            try:
                return json.loads(await response.aread())
            except ValueError:
                return None

    async def _stream(self, body: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """The deltas of one streamed completion, as its server-sent events arrive.

        Raises:
            BrainError: the server cannot be reached, refuses, errs, stalls, or sends something else.
        """
        async with self._request("POST", "/chat/completions", body) as response:
            await self._check(response)
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line.removeprefix("data:").strip()
                if data == "[DONE]":
                    return
                try:
                    chunk = json.loads(data)
                except ValueError:
                    raise BrainError(f"{self.target.shown_url} sent a chunk that is not JSON") from None
                if isinstance(chunk, dict) and "error" in chunk:
                    raise BrainError(f"the model server failed: {_error_text(data.encode())}")
                choices = chunk.get("choices") if isinstance(chunk, dict) else None
                if choices and isinstance(choices[0], dict) and isinstance(choices[0].get("delta"), dict):
                    yield choices[0]["delta"]

    @contextlib.asynccontextmanager
    async def _request(
        self, method: str, path: str, body: dict[str, Any] | None
    ) -> AsyncIterator[httpx2.Response]:
        """One request's response; a transport failure (while connecting or reading) becomes a
        `BrainError`."""
        import httpx2

        if self._client is None:
            raise RuntimeError("the openai-compat brain is not loaded")
        target = self.target
        try:
            response = await self._send(self._client.build_request(method, target.url + path, json=body))
            try:
                yield response
            finally:
                await response.aclose()
        except httpx2.ConnectError as error:
            why = "connection refused" if _refused(error) else _plain(error)
            raise BrainError(f"cannot reach the model server at {target.shown_url}: {why}") from None
        except httpx2.TimeoutException:
            raise BrainError(
                f"the model server at {target.shown_url} did not answer within {target.timeout:g} s"
            ) from None
        except httpx2.HTTPError as error:
            raise BrainError(
                f"cannot talk to the model server at {target.shown_url}: {_plain(error)}"
            ) from None

    async def _send(self, request: httpx2.Request) -> httpx2.Response:
        """Send `request`, streaming its response; once more if the connection closed before any answer.

        A kept-alive connection the model server closed (its idle timeout) just as the request went on it
        gives no answer at all; the request is sent again, on a new connection, as clients of such servers
        do. Anything that failed after an answer began is not.
        """
        import httpx2

        assert self._client is not None
        try:
            return await self._client.send(request, stream=True)
        except httpx2.RemoteProtocolError:
            return await self._client.send(request, stream=True)

    async def _check(self, response: httpx2.Response) -> None:
        """Raise the `BrainError` for an error status."""
        status = response.status_code
        if status < 400:
            return
        words = _error_text(await response.aread())
        target = self.target
        if status in (401, 403):
            hint = f"check {target.key_source}" if target.key_source else "give one with --brain-key-env"
            raise BrainError(f"{target.shown_url} refused the key ({status} {words}): {hint}")
        if status == 404:
            raise BrainError(
                f"model {self._model or target.model!r} not found at {target.shown_url}: {words}"
            )
        raise BrainError(f"the model server at {target.shown_url} answered {status}: {words}")


def _refused(error: BaseException) -> bool:
    """True when `error`, or what caused it, is a refused connection."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _plain(error: BaseException) -> str:
    """An HTTP client's error in a few words (never a URL with a key: the key is only ever in a header)."""
    return " ".join(str(error).split()) or type(error).__name__
