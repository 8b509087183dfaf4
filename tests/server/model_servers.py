"""Model servers for the bridge brain's tests, on loopback: llama.cpp's own OpenAI-compatible HTTP server
(xllamacpp) serving the shipped SmolLM2 model, and small asyncio HTTP servers that answer as such servers
do when the test needs an exact answer (a tool call), none at all (a timeout), or a kept connection
dropped under a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from livetui.server.core.brains.smollm2 import model_path

KEY = "test-model-key-5f1c"
"""The key the llama.cpp server is started with."""
MODEL = "smollm2"
"""The name it serves the model under."""


@contextlib.contextmanager
def llama_server() -> Iterator[str]:
    """llama.cpp's HTTP server (in this process, on its own threads) serving SmolLM2 on 127.0.0.1 with
    `KEY`; yields its OpenAI-compatible base URL (``http://127.0.0.1:PORT/v1``)."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model_path())
    params.n_ctx = 1024
    params.n_parallel = 1
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    params.model_alias = {MODEL}
    params.api_keys = [KEY]
    server = xllamacpp.Server(params)
    try:
        yield server.listening_address + "/v1"
    finally:
        del server


Answer = Callable[[dict[str, Any]], list[dict[str, Any]]]
"""Given a chat-completions request body, the chunks to stream back."""


class ScriptedModelServer:
    """An HTTP/1.1 server on loopback that lists one model and streams the chunks `answer` gives for each
    chat completion (or, with `answer` None, reads the request and never answers); it keeps every request
    body it was sent. It answers one request per connection and says so (``connection: close``): a client
    that kept the connection would send its next request into a socket being closed, and get no answer.

    With `drop_kept`, its first answer (the model list) keeps the connection open instead, and the next
    request on it is read and dropped unanswered with the connection: what a server does whose idle
    timeout ran out just as the client reused the connection.
    """

    def __init__(self, answer: Answer | None, *, drop_kept: bool = False) -> None:
        self.answer = answer
        """What it streams; None: nothing, ever."""
        self.drop_kept = drop_kept
        """Keep the first connection open, then drop the request that reuses it (see the class)."""
        self.dropped = 0
        """Requests dropped unanswered on a kept connection."""
        self.requests: list[dict[str, Any]] = []
        """The chat-completion bodies received, in order."""
        self.authorizations: list[str | None] = []
        """The ``Authorization`` header of each request (None where there was none), in order."""
        self.url = ""
        """Its base URL, once started."""
        self._handlers: set[asyncio.Task[Any]] = set()
        self._kept = False

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            method, path, body = await self._request(reader)
            answer = self.answer
            if answer is None:
                await asyncio.Event().wait()  # never answer
                return
            keep = self.drop_kept and not self._kept
            self._kept = self._kept or keep
            connection = b"keep-alive" if keep else b"close"
            if method == "GET" and path.endswith("/models"):
                data = json.dumps({"object": "list", "data": [{"id": MODEL, "object": "model"}]}).encode()
                kind = b"application/json"
            else:
                request = json.loads(body)
                self.requests.append(request)
                data = b"".join(f"data: {json.dumps(chunk)}\n\n".encode() for chunk in answer(request))
                data += b"data: [DONE]\n\n"
                kind = b"text/event-stream"
            writer.write(
                b"HTTP/1.1 200 OK\r\nconnection: " + connection + b"\r\ncontent-type: " + kind + b"\r\n"
            )
            writer.write(f"content-length: {len(data)}\r\n\r\n".encode() + data)
            await writer.drain()
            if keep:
                await self._request(reader)
                self.dropped += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            self._handlers.discard(task)

    async def _request(self, reader: asyncio.StreamReader) -> tuple[str, str, bytes]:
        """Read one request: its method, path and body (its ``Authorization`` header is kept)."""
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.split("\r\n")
        pairs = [line.split(": ", 1) for line in header_lines if ": " in line]
        headers = {name.lower(): value for name, value in pairs}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.authorizations.append(headers.get("authorization"))
        method, path, _ = request_line.split(" ", 2)
        return method, path, body

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ScriptedModelServer]:
        """Serve on a free loopback port while the block runs."""
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/v1"
        try:
            yield self
        finally:
            server.close()
            for task in list(self._handlers):
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)


def delta(**fields: Any) -> dict[str, Any]:
    """One streamed chunk whose delta has `fields`."""
    return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": fields}]}
