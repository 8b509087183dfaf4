"""``livetui sessions``: the recorded sessions, newest first, one line each (or JSON for scripts)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime

from livetui.record.catalog import SessionSummary, session_summaries
from livetui.record.paths import sessions_root
from livetui.wording import counted

PROG = "livetui sessions"


def duration(seconds: float) -> str:
    """Seconds as ``M:SS`` (or ``H:MM:SS`` from an hour)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def started(summary: SessionSummary) -> str:
    """When the session started, as ``YYYY-MM-DD HH:MM`` local time ("" for an empty journal)."""
    if summary.started is None:
        return ""
    return datetime.fromtimestamp(summary.started).strftime("%Y-%m-%d %H:%M")


def columns(summary: SessionSummary) -> tuple[str, str, str, str]:
    """What a list shows of a session: its start, ``provider · model``, its turns and its duration."""
    target = f"{summary.provider} · {summary.model}" if summary.model else summary.provider
    turns = counted(summary.turns, "turn")
    return started(summary), target, turns, duration(summary.duration)


def summary_line(summary: SessionSummary) -> str:
    """One line of the list: start, provider · model, turns, duration, first words, and the name."""
    start, target, turns, length = columns(summary)
    words = f"  “{summary.first_words}”" if summary.first_words else ""
    return f"{start:16}  {target:28}  {turns:>9}  {length:>7}{words}  {summary.name}"


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``livetui sessions``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="List the recorded sessions, newest first: start, provider and model, turns, "
        "duration, the first words said, and the directory name (which export, replay and serve --replay "
        "take).",
        epilog=f"sessions are recorded in {sessions_root()} (LIVETUI_DATA_DIR moves it)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array, for scripts")
    parser.add_argument("search", nargs="*", metavar="WORD", help="only the sessions that mention every word")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``livetui sessions``; returns the exit status (0; 2 for bad usage)."""
    args = build_parser().parse_args(argv)
    query = " ".join(args.search)
    found = [summary for summary in session_summaries() if summary.matches(query)]
    if args.json:
        print(json.dumps([summary.as_json() for summary in found], ensure_ascii=False, indent=2))
    elif not found:
        where = f"no recorded session mentions {query!r}" if query else "no recorded sessions"
        print(f"{PROG}: {where} in {sessions_root()}", file=sys.stderr)
    else:
        for summary in found:
            print(summary_line(summary))
    return 0
