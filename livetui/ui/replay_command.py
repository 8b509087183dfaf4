"""``livetui replay SESSION``: play a recorded session back in the app, as it happened, with no connection."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from livetui.config import ConfigError, load_settings
from livetui.record.paths import SessionNotFound, find_session, sessions_root
from livetui.record.reader import read_recording

PROG = "livetui replay"


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``livetui replay``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Play a recorded session back in the app: the chat, the panes, the latency figures and "
        "the model's speech, as they happened. Space pauses, Left and Right jump between turns. No "
        "connection is opened.",
        epilog=f"sessions are recorded in {sessions_root()} (livetui sessions lists them)",
    )
    parser.add_argument(
        "session", nargs="?", metavar="SESSION", help="a session directory or its name (default: the latest)"
    )
    parser.add_argument("--speed", type=float, default=1.0, help="how many times faster (default 1)")
    parser.add_argument(
        "--max-gap", type=float, default=3.0, metavar="SECONDS", help="the longest pause kept (default 3)"
    )
    parser.add_argument("--speaker-file", type=Path, metavar="PATH", help="write the speech to a WAV file")
    parser.add_argument("--output-device", metavar="DEV", help="the speaker to play the speech on")
    parser.add_argument("--text-only", action="store_true", help="no speech")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``livetui replay``; returns the exit status (1 when the session cannot be read)."""
    args = build_parser().parse_args(argv)
    if args.speed <= 0 or args.max_gap < 0:
        print(f"{PROG}: --speed must be above 0 and --max-gap at least 0", file=sys.stderr)
        return 2
    from livetui.session.playback import Playback, cues
    from livetui.ui.replay_app import ReplayApp

    try:
        directory = find_session(args.session)
        recording = read_recording(directory)
        settings = load_settings(
            speaker_file=args.speaker_file, output_device=args.output_device, text_only=args.text_only or None
        )
        playback = Playback(cues(recording), speed=args.speed, max_gap=args.max_gap)
    except (SessionNotFound, ConfigError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: cannot read the session: {error.strerror or error}", file=sys.stderr)
        return 1
    app = ReplayApp(settings, playback, directory.name)
    app.run()
    return app.return_code or 0
