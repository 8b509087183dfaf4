"""``livetui serve``: run the local live server until interrupted.

Prints one line, ``listening on ws://HOST:PORT`` (``wss://`` with ``--tls``), to stdout once it accepts
connections; logs one line per connection to stderr; exits 0 on SIGINT or SIGTERM and 2 when it cannot
start (the reason on one line).

The API key clients must present comes from ``--key-file FILE`` (its first line) or the
``LIVETUI_SERVE_KEY`` environment variable; ``--key KEY`` still works but warns, since every user of the
machine can read a command line (``ps``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from livetui.server.app import MAX_SESSION, BrainName, LiveServer, ServerConfig
from livetui.server.core.brains.openai_compat import TIMEOUT, BridgeTarget, check_url
from livetui.server.core.senses.asr import Vad
from livetui.server.core.senses.endpointing import HANGOVER_SECONDS, PAUSE_SECONDS
from livetui.server.dialects.gemini.connection import SETUP_TIMEOUT
from livetui.server.errors import StartupError
from livetui.server.replaying import MAX_GAP

PROG = "livetui serve"
"""The command name shown in help and errors."""
KEY_VARIABLE = "LIVETUI_SERVE_KEY"
"""The environment variable the key is read from when no ``--key-file`` is given."""
KEY_WARNING = (
    f"{PROG}: warning: --key shows the key to every user of this machine (ps); "
    f"use --key-file or {KEY_VARIABLE} instead"
)
"""Printed to stderr when the key is given on the command line."""


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``livetui serve``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Serve the Gemini Live and OpenAI Realtime APIs on a local socket, answered by an "
        "offline brain.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default: 0)")
    parser.add_argument(
        "--brain",
        choices=("scripted", "smollm2", "openai-compat"),
        default="scripted",
        help="what writes the replies; openai-compat: the model server at --brain-url (default: %(default)s)",
    )
    parser.add_argument(
        "--brain-url",
        metavar="URL",
        help="the OpenAI-compatible API the openai-compat brain uses (e.g. http://localhost:11434/v1)",
    )
    parser.add_argument(
        "--brain-model", metavar="NAME", help="the model it asks for (default: the one the server lists)"
    )
    parser.add_argument(
        "--brain-key-env",
        metavar="VAR",
        help="the environment variable holding that server's API key (the key itself is never a flag)",
    )
    parser.add_argument(
        "--brain-timeout",
        type=float,
        default=TIMEOUT,
        metavar="SECONDS",
        help="how long that server may take to answer, or between two chunks (default: %(default)g)",
    )
    parser.add_argument(
        "--script", type=Path, metavar="FILE", help="replies for the scripted brain (.json/.toml)"
    )
    parser.add_argument("--tls", action="store_true", help="serve wss:// with a self-signed certificate")
    parser.add_argument(
        "--cert-dir", type=Path, metavar="DIR", help="where --tls writes cert.pem and key.pem"
    )
    parser.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help=f"a file whose first line is the API key clients must present (required off loopback; "
        f"or set {KEY_VARIABLE})",
    )
    parser.add_argument("--key", metavar="KEY", help="the API key on the command line (visible in ps: avoid)")
    parser.add_argument(
        "--max-connections",
        type=int,
        metavar="N",
        help="connections served at once; more are refused with HTTP 503 (default: half the file limit)",
    )
    parser.add_argument(
        "--setup-timeout",
        type=float,
        default=SETUP_TIMEOUT,
        metavar="SECONDS",
        help="close connections that send no setup within this time (default: %(default)g)",
    )
    parser.add_argument(
        "--max-session",
        type=float,
        default=MAX_SESSION,
        metavar="SECONDS",
        help="close OpenAI Realtime sessions (1001) after this long, as OpenAI does (default: %(default)g)",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="accept Gemini setup fields Google does not know (Google closes the session with 1007)",
    )
    parser.add_argument(
        "--replay",
        metavar="SESSION",
        help="answer with the server frames recorded in this session (a directory, or a name from livetui "
        "sessions), turn by turn as the client sends its turns",
    )
    parser.add_argument(
        "--max-gap",
        type=float,
        default=MAX_GAP,
        metavar="SECONDS",
        help="with --replay: the longest pause kept between two recorded frames (default: %(default)g)",
    )
    parser.add_argument(
        "--grammar",
        type=Path,
        metavar="FILE",
        help="a JSGF grammar: speech recognition hears only its sentences (for deterministic tests)",
    )
    parser.add_argument(
        "--vad",
        choices=["silero", "webrtc"],
        default="silero",
        help="what ends an utterance: Silero VAD, which waits out pauses inside a sentence, or "
        "pocketsphinx's lighter WebRTC-style detector, which can split one at a pause (default: %(default)s)",
    )
    parser.add_argument(
        "--early-reply",
        type=float,
        default=PAUSE_SECONDS,
        metavar="SECONDS",
        help="start the reply after this much silence, held back until the turn ends after "
        f"{HANGOVER_SECONDS:g} s (0: start it then; default: %(default)g)",
    )
    parser.add_argument(
        "--whisper",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write each utterance's final transcript with Whisper (default: when the [whisper] extra is "
        "installed and there is no --grammar)",
    )
    return parser


def read_key(args: argparse.Namespace) -> str | None:
    """The API key the options name: ``--key-file``, else ``--key`` (with a warning), else the environment.

    Raises:
        StartupError: the key file cannot be read or is empty.
    """
    if args.key_file is not None:
        try:
            text = args.key_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise StartupError(f"{args.key_file}: cannot read the key ({reason})") from None
        key: str = text.strip().partition("\n")[0].strip()
        if not key:
            raise StartupError(f"{args.key_file}: the key file is empty")
        return key
    if args.key is not None:
        print(KEY_WARNING, file=sys.stderr, flush=True)
        return str(args.key)
    return os.environ.get(KEY_VARIABLE) or None


def bridge_from(args: argparse.Namespace) -> BridgeTarget | None:
    """The model server the ``--brain-*`` options name (None without ``--brain-url``), its key read from
    the variable ``--brain-key-env`` names.

    Raises:
        StartupError: the URL is not one, the variable is not set, or the timeout is not positive.
    """
    if args.brain_url is None:
        return None
    if not args.brain_timeout > 0:
        raise StartupError("--brain-timeout must be more than 0 seconds")
    key = None
    if args.brain_key_env is not None:
        key = os.environ.get(args.brain_key_env, "").strip()
        if not key:
            raise StartupError(f"--brain-key-env names {args.brain_key_env}, which is not set")
    return BridgeTarget(
        url=check_url(args.brain_url),
        model=args.brain_model,
        key=key,
        key_source=args.brain_key_env,
        timeout=args.brain_timeout,
    )


def config_from(args: argparse.Namespace) -> ServerConfig:
    """The server configuration the parsed options describe.

    Raises:
        StartupError: the key file cannot be read, or a limit is not positive.
    """
    if args.max_connections is not None and args.max_connections < 1:
        raise StartupError("--max-connections must be at least 1")
    if not args.setup_timeout > 0:
        raise StartupError("--setup-timeout must be more than 0 seconds")
    if not args.max_session > 0:
        raise StartupError("--max-session must be more than 0 seconds")
    if not 0 <= args.early_reply < HANGOVER_SECONDS:
        raise StartupError(f"--early-reply must be 0 or more and less than {HANGOVER_SECONDS:g} seconds")
    return ServerConfig(
        host=args.host,
        port=args.port,
        brain=cast(BrainName, args.brain),
        script=args.script,
        bridge=bridge_from(args),
        tls=args.tls,
        cert_dir=args.cert_dir,
        key=read_key(args),
        grammar=args.grammar,
        vad=cast(Vad, args.vad),
        whisper=args.whisper,
        early_reply=args.early_reply,
        preload_speech=True,
        max_connections=args.max_connections,
        setup_timeout=args.setup_timeout,
        max_session=args.max_session,
        lenient=args.lenient,
    )


async def serve(config: ServerConfig, replay: str | None = None, max_gap: float = MAX_GAP) -> None:
    """Run the server (or, with `replay`, the replay of that recorded session, its pauses kept up to
    `max_gap` seconds) until SIGINT or SIGTERM, announcing its URL on stdout once it listens."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if replay is not None:
            from livetui.server.replaying import serve_replay

            await serve_replay(replay, config.host, config.port, stop, max_gap=max_gap)
            return
        async with LiveServer(config) as server:
            print(f"listening on {server.url}", flush=True)
            await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``livetui serve`` with `argv` (default: the process's arguments); return the exit status."""
    args = build_parser().parse_args(argv)
    with _logging_to_stderr():
        try:
            asyncio.run(serve(config_from(args), args.replay, args.max_gap))
        except StartupError as error:
            print(f"{PROG}: {error}", file=sys.stderr, flush=True)
            return 2
        except KeyboardInterrupt:  # a second Ctrl-C while shutting down
            return 130
    return 0


@contextmanager
def _logging_to_stderr() -> Iterator[None]:
    """Send the server's log lines (and websockets' warnings) to stderr while `main` runs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    loggers = [
        (logging.getLogger("livetui.server"), logging.INFO),
        (logging.getLogger("websockets"), logging.WARNING),
    ]
    saved = [(logger.level, logger.propagate) for logger, _ in loggers]
    for logger, level in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    try:
        yield
    finally:
        for (logger, _), (level, propagate) in zip(loggers, saved, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


if __name__ == "__main__":
    sys.exit(main())
