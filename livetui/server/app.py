"""The local live server: configuration, start-up checks, and the listening socket.

`LiveServer` is an async context manager::

    async with LiveServer(ServerConfig(port=0)) as server:
        print(server.url)          # ws://127.0.0.1:54321
        await server.serve_forever()
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

from websockets.asyncio.server import Server, ServerConnection, serve

from livetui.server.core.admission import Admission, default_capacity
from livetui.server.core.brains.base import Brain
from livetui.server.core.brains.openai_compat import BridgeTarget
from livetui.server.core.dialect import MAX_FRAME_BYTES, ServerContext
from livetui.server.core.handles import Handles
from livetui.server.core.overload import AcceptErrorLog
from livetui.server.core.senses.asr import SpeechModel, Vad
from livetui.server.core.senses.endpointing import PAUSE_SECONDS
from livetui.server.dialects.gemini.connection import SETUP_TIMEOUT
from livetui.server.dialects.registry import all_dialects
from livetui.server.errors import StartupError
from livetui.server.tls import server_context, write_self_signed

MAX_SESSION = 3600.0
"""The default longest OpenAI Realtime session, in seconds (OpenAI's 60 minutes)."""

BrainName = Literal["scripted", "smollm2", "openai-compat"]
"""The brains ``--brain`` can name."""


@dataclass(frozen=True)
class ServerConfig:
    """How to run the local live server; the fields mirror ``livetui serve``'s options."""

    host: str = "127.0.0.1"
    """The address to listen on. Off loopback a `key` is required."""
    port: int = 0
    """The port; 0 picks a free one (read it back from `LiveServer.port`)."""
    brain: BrainName = "scripted"
    """Which brain writes the replies."""
    script: Path | None = None
    """A script file (JSON or TOML) for the scripted brain."""
    bridge: BridgeTarget | None = None
    """The model server the ``openai-compat`` brain talks to (required by that brain)."""
    tls: bool = False
    """Serve ``wss://`` with a self-signed certificate for loopback."""
    cert_dir: Path | None = None
    """Where the certificate is written (``cert.pem``, ``key.pem``); None for a temporary directory."""
    key: str | None = field(default=None, repr=False)
    """The API key clients must present; None accepts any key or none."""
    grammar: Path | None = None
    """A JSGF grammar: speech recognition hears only its sentences (for tests); None: any English."""
    vad: Vad = "silero"
    """What ends an utterance in automatic activity detection (`livetui.server.core.senses.asr`)."""
    whisper: bool | None = None
    """Whisper writes each utterance's final transcript; None: when the ``[whisper]`` extra is installed
    (never with a grammar)."""
    early_reply: float = PAUSE_SECONDS
    """Seconds of silence after which the reply to an utterance starts, held back until the utterance
    ends (Silero VAD only); 0: the reply starts when the utterance has ended."""
    preload_speech: bool = False
    """Load the speech recogniser in the background as soon as the server listens (else on first audio)."""
    max_connections: int | None = None
    """The most connections served at once (more are refused with HTTP 503); None: a default well under
    the process's open-file limit (`livetui.server.core.admission.default_capacity`)."""
    setup_timeout: float = SETUP_TIMEOUT
    """Seconds a connection has to send ``setup`` before it is closed (1008)."""
    max_session: float = MAX_SESSION
    """Seconds an OpenAI Realtime session may last before it is closed (1001), as OpenAI's do."""
    lenient: bool = False
    """Accept Gemini setup fields Google does not know (Google closes the session with 1007)."""


def is_loopback(host: str) -> bool:
    """True when `host` names only this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_brain(config: ServerConfig) -> Brain:
    """The brain `config` names, not yet loaded.

    Raises:
        StartupError: the script is invalid, or a script was given to a brain that takes none.
    """
    if config.brain != "scripted" and config.script is not None:
        raise StartupError("--script works only with the scripted brain")
    if config.brain == "smollm2":
        from livetui.server.core.brains.smollm2 import SmolLM2Brain

        return SmolLM2Brain()
    if config.brain == "openai-compat":
        if config.bridge is None:
            raise StartupError("--brain openai-compat needs --brain-url URL (an OpenAI-compatible API)")
        from livetui.server.core.brains.openai_compat import OpenAICompatBrain

        return OpenAICompatBrain(config.bridge)
    from livetui.server.core.brains.scripted import ScriptedBrain
    from livetui.server.script import load_script

    return ScriptedBrain(load_script(config.script) if config.script else None)


class LiveServer:
    """Live endpoints (Gemini Live, OpenAI Realtime) on a local socket, with a brain behind them."""

    def __init__(self, config: ServerConfig | None = None, *, brain: Brain | None = None) -> None:
        self.config = config or ServerConfig()
        """The configuration it was started with."""
        self.brain = brain
        """The brain answering every connection (made from the config unless one is given)."""
        self.cert_path: Path | None = None
        """The certificate clients should trust, when serving TLS."""
        self.hearing = SpeechModel(
            self.config.grammar,
            vad=self.config.vad,
            use_whisper=self.config.whisper,
            pause_seconds=self.config.early_reply,
        )
        """The speech recogniser's model, shared by every connection."""
        self.handles = Handles()
        """Resumable conversations by handle, shared by every connection (so a session survives a new one)."""
        capacity = self.config.max_connections or default_capacity()
        self.admission = Admission(self.config.key, capacity, all_dialects())
        """Checks every upgrade: the path, the key, the cap on connections."""
        self._preload: asyncio.Task[None] | None = None
        self._server: Server | None = None
        self._accept_log: AcceptErrorLog | None = None
        self._temp_dir: Path | None = None

    async def start(self) -> None:
        """Check the configuration, load the brain, and start listening.

        Raises:
            StartupError: an unsafe address, a bad script, or a brain that cannot load.
        """
        config = self.config
        if not is_loopback(config.host) and not config.key:
            raise StartupError(
                f"refusing to listen on {config.host} without a key (--key-file or LIVETUI_SERVE_KEY): "
                "anyone who can reach it could use it"
            )
        if self.brain is None:
            self.brain = make_brain(config)
        await self.brain.load()
        if config.grammar is not None:
            await asyncio.to_thread(self.hearing.check)
        ssl_context = None
        if config.tls:
            directory = config.cert_dir
            if directory is None:
                directory = self._temp_dir = Path(tempfile.mkdtemp(prefix="livetui-tls-"))
            self.cert_path, key_path = write_self_signed(directory)
            ssl_context = server_context(self.cert_path, key_path)
        self._accept_log = AcceptErrorLog(asyncio.get_running_loop())
        self._accept_log.install()
        try:
            self._server = await serve(
                self._handle,
                config.host,
                config.port,
                process_request=self.admission,
                max_size=MAX_FRAME_BYTES,
                ssl=ssl_context,
            )
        except OSError as error:
            await self.close()
            raise StartupError(f"cannot listen on {config.host}:{config.port}: {error.strerror}") from None
        if config.preload_speech:
            self._preload = asyncio.create_task(asyncio.to_thread(self.hearing.warm), name="preload speech")

    async def _handle(self, websocket: ServerConnection) -> None:
        assert self.brain is not None
        assert websocket.request is not None
        dialect = self.admission.dialect_for(websocket.request.path)
        assert dialect is not None  # admission refused every other path
        config = self.config
        context = ServerContext(
            self.brain,
            self.hearing,
            self.handles,
            config.setup_timeout,
            config.max_session,
            lenient=config.lenient,
        )
        await dialect.serve(websocket, context)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """The base URL clients connect to: ``ws://HOST:PORT`` (``wss://`` with TLS)."""
        scheme = "wss" if self.config.tls else "ws"
        host = self.config.host
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{scheme}://{host}:{self.port}"

    async def serve_forever(self) -> None:
        """Serve until the task running this is cancelled."""
        if self._server is None:
            raise RuntimeError("the server is not started")
        await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening, close every connection (1001), and release the brain and the certificate."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        if self._preload is not None:
            with contextlib.suppress(Exception):  # a failure shows again on first audio, where it matters
                await self._preload
            self._preload = None
        if self.brain is not None:
            await self.brain.aclose()
        if self._accept_log is not None:
            self._accept_log.uninstall()
            self._accept_log = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
