"""``livetui serve``: run the local live server until interrupted.

Prints one line, ``listening on ws://HOST:PORT`` (``wss://`` with ``--tls``), to stdout once it accepts
connections; logs one line per connection to stderr; exits 0 on SIGINT or SIGTERM and 2 when it cannot
start (the reason on one line).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from livetui.server.app import BrainName, LiveServer, ServerConfig
from livetui.server.errors import StartupError

PROG = "livetui serve"
"""The command name shown in help and errors."""


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``livetui serve``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Serve the Gemini Live API on a local socket, answered by an offline brain.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default: 0)")
    parser.add_argument(
        "--brain",
        choices=("scripted", "smollm2"),
        default="scripted",
        help="what writes the replies (default: %(default)s)",
    )
    parser.add_argument(
        "--script", type=Path, metavar="FILE", help="replies for the scripted brain (.json/.toml)"
    )
    parser.add_argument("--tls", action="store_true", help="serve wss:// with a self-signed certificate")
    parser.add_argument(
        "--cert-dir", type=Path, metavar="DIR", help="where --tls writes cert.pem and key.pem"
    )
    parser.add_argument("--key", metavar="KEY", help="API key clients must present (required off loopback)")
    parser.add_argument(
        "--grammar",
        type=Path,
        metavar="FILE",
        help="a JSGF grammar: speech recognition hears only its sentences (for deterministic tests)",
    )
    return parser


def config_from(args: argparse.Namespace) -> ServerConfig:
    """The server configuration the parsed options describe."""
    return ServerConfig(
        host=args.host,
        port=args.port,
        brain=cast(BrainName, args.brain),
        script=args.script,
        tls=args.tls,
        cert_dir=args.cert_dir,
        key=args.key,
        grammar=args.grammar,
        preload_speech=True,
    )


async def serve(config: ServerConfig) -> None:
    """Run the server until SIGINT or SIGTERM, announcing its URL on stdout once it listens."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
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
            asyncio.run(serve(config_from(args)))
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
