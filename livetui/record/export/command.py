"""``livetui export``: turn a recorded session into a transcript, captions or audio, from the shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from livetui.config import DEFAULT_PRICES, ConfigError, Price, load_settings
from livetui.record.export import FORMATS, ExportError, export_session
from livetui.record.paths import SessionNotFound, find_session, sessions_root

PROG = "livetui export"


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``livetui export``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Export a recorded session (its journal, events.jsonl) as a Markdown or JSON transcript, "
        "SRT or VTT captions of the model's words, or a WAV of the microphone (left) and the model (right).",
        epilog=f"sessions are recorded in {sessions_root()} (LIVETUI_DATA_DIR moves it)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "session",
        nargs="?",
        metavar="SESSION",
        help="a session directory, or its name in the sessions folder",
    )
    which.add_argument("--last", action="store_true", help="the latest session (the default)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="md", help="what to write (default md)")
    parser.add_argument(
        "--output", "-o", metavar="PATH", type=Path, help="where to write (default: in the session directory)"
    )
    return parser


def _prices() -> dict[str, Price]:
    """The price table of the user's settings (the built-in one, with a line, if they cannot be read)."""
    try:
        return load_settings().prices
    except ConfigError as error:
        print(f"{PROG}: {error}; costs are estimated at the built-in prices", file=sys.stderr)
        return dict(DEFAULT_PRICES)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``livetui export``; returns the exit status (0, 1 when the export failed, 2 for bad usage)."""
    args = build_parser().parse_args(argv)
    try:
        directory = find_session(None if args.last else args.session)
        exported = export_session(directory, args.format, args.output, prices=_prices())
    except (SessionNotFound, ExportError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    for notice in exported.notices:
        print(f"{PROG}: {notice}", file=sys.stderr)
    print(f"wrote {exported.path} ({exported.turns} {'turn' if exported.turns == 1 else 'turns'})")
    return 0
