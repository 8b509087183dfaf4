"""The `livetui` command: the app (default), `livetui serve` (the local live server).

Heavy imports (Textual, websockets, the server) happen only once a command is chosen, so `livetui --help`
stays fast.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from livetui import __version__

if TYPE_CHECKING:
    from livetui.ui.app import LiveApp

DESCRIPTION = """\
A terminal client for live model sessions. With GEMINI_API_KEY (or GOOGLE_API_KEY) set it talks to the
Gemini Live API, with OPENAI_API_KEY the OpenAI Realtime API; without a key it starts an embedded local live
server on loopback and talks to that.
"""

EPILOG = """\
commands:
  livetui sessions         the recorded sessions, newest first (--json for scripts)
  livetui export --help    a recorded session as a transcript (md, json), captions (srt, vtt) or audio (wav)
  livetui replay --help    play a recorded session back in the app, as it happened
  livetui run --help       a scripted session with no UI, for CI (exit 1 when a check fails)
  livetui serve --help     the embedded local live server on its own
  livetui devices          list the audio input and output devices

settings come from flags, then the environment (LIVETUI_<SETTING> at the top level,
LIVETUI_<SECTION>__<SETTING> in a section: LIVETUI_VOICE, LIVETUI_GEMINI__MODEL, LIVETUI_CAMERA__FPS; the
keys from GEMINI_API_KEY, GOOGLE_API_KEY or OPENAI_API_KEY), then the config file (config.toml in the user
config directory, or the file named by LIVETUI_CONFIG); a wrong value is reported naming the flag, variable
or file line it came from.
The config file has sections; the old top-level names (camera_fps = 2) still work, with a deprecation line:

  provider = "gemini"
  system_prompt = "Answer briefly."
  [gemini]
  model = "gemini-live-2.5-flash-preview"
  [openai]
  model = "gpt-realtime"
  [camera]
  fps = 1
  [keymap]
  interrupt = "escape,ctrl+c"

keys: Esc interrupts the reply, Enter sends, F1 lists every key binding (ids in it can be remapped).

tools: the model may call the built-in current_time and calculator, and every public function of the file
given with --tools (declared from its type hints and docstring); the Tools tab shows each call.

audio: replies are spoken by default (--text-only for text; with no sound output they come as text); the
microphone streams all the time, or with --push-to-talk only while the talk key is on. Without headphones use
--half-duplex, or the model hears itself.

camera: --camera 0 streams the first camera, --camera test a moving test pattern, --camera-file photo.jpg
a picture; at most 1 frame a second by default, shown in a preview pane as sent.
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The description and epilog as written; each flag's help wrapped at spaces only, so a model's name
    (`gemini-live-2.5-flash-preview`) is never cut at a hyphen."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the app command (`livetui [options]`): the table's flags (`livetui.cli_flags`), and
    the command's own `--version` and `--url`."""
    from livetui.cli_flags import add_flags

    parser = argparse.ArgumentParser(
        prog="livetui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"livetui {__version__}")
    parser.add_argument(
        "--url", metavar="WS_URL", help="connect to a local live server already running at ws://HOST:PORT"
    )
    add_flags(parser)
    return parser


def list_audio_devices(argv: Sequence[str]) -> int:
    """`livetui devices`: print the audio input and output devices; returns the exit code."""
    argparse.ArgumentParser(
        prog="livetui devices",
        description="List the audio devices PortAudio sees (for --input-device and --output-device); "
        "* marks the defaults.",
    ).parse_args(argv)
    from livetui.media.audio.devices import AudioUnavailable, format_devices, list_devices

    try:
        devices = list_devices()
    except AudioUnavailable as error:
        print(f"livetui devices: {error}", file=sys.stderr)
        return 1
    print(format_devices(devices))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["export"]:
        from livetui.record.export.command import main as export_main

        return export_main(args[1:])
    if args[:1] == ["sessions"]:
        from livetui.record.listing import main as sessions_main

        return sessions_main(args[1:])
    if args[:1] == ["replay"]:
        from livetui.ui.replay_command import main as replay_main

        return replay_main(args[1:])
    if args[:1] == ["run"]:
        from livetui.headless.command import main as run_main

        return run_main(args[1:], resolve_brain)
    if args[:1] == ["serve"]:
        from livetui.server.main import main as serve_main

        return serve_main(args[1:])
    if args[:1] == ["devices"]:
        return list_audio_devices(args[1:])
    options = build_parser().parse_args(args)
    return run_app(options)


def resolve_brain(requested: str) -> tuple[str, list[str]]:
    """The local server's brain for a `--brain` choice, and why it is not the one asked for: `auto` is
    smollm2 when it can run here, else the scripted brain, with the reason smollm2 cannot run."""
    from livetui.server.core.brains.smollm2 import smollm2_unavailable

    if requested == "scripted":
        return "scripted", []
    reason = smollm2_unavailable()
    if reason is None:
        return "smollm2", []
    if requested == "smollm2":
        return "smollm2", []  # the server will refuse with the reason; the app shows it
    return "scripted", [f"the smollm2 brain is not available: {reason}"]


def provider_source(options: argparse.Namespace, provider: str) -> str:
    """What asked for `provider`, for the missing-key line: the flag, the variable, or the config file's line
    (or, when nothing did, `auto` choosing it)."""
    from livetui.config import config_file
    from livetui.config_sources import env_source, file_line

    if options.provider is not None:
        return f"--provider {provider}"
    variable = env_source("provider")
    if variable is not None:
        return f"{variable}={provider}"
    line = file_line(config_file(), "provider")
    if line is None:
        return f"--provider {provider}"
    return f'provider = "{provider}" (config file {config_file()}, line {line})'


def refuse(message: str) -> int:
    """Say why the app cannot start (after the deprecation lines of the settings), and give its status."""
    from livetui.config import config_file
    from livetui.config_sources import deprecations

    for line in (*deprecations(config_file()), message):
        print(f"livetui: {line}", file=sys.stderr)
    return 2


def run_app(options: argparse.Namespace) -> int:
    """Start the app with settings from flags, environment and config file; returns the exit code."""
    app = prepare_app(options)
    if isinstance(app, int):
        return app
    app.run()
    return app.return_code or 0


def prepare_app(options: argparse.Namespace) -> LiveApp | int:
    """The app the options ask for, or the exit code when it cannot start (the reason is on stderr).
    The deprecation lines of the settings are the first notices of its chat log."""
    from livetui.cli_flags import flag_values
    from livetui.config import ConfigError, load_settings

    try:
        settings = load_settings(**flag_values(options))
    except ConfigError as error:
        return refuse(str(error))
    camera = settings.camera
    if camera.device is not None and camera.file is not None:
        return refuse("give either --camera or --camera-file, not both")
    if camera.file is not None and not camera.file.is_file():
        return refuse(f"camera file not found: {camera.file}")
    if settings.local.script is not None and not settings.local.script.is_file():
        return refuse(f"script file not found: {settings.local.script}")
    from livetui.tools.loader import ToolsFileError
    from livetui.tools.registry import ToolRegistry

    try:
        tools = ToolRegistry.load(settings.tools)
    except ToolsFileError as error:
        return refuse(str(error))
    for what, path in (
        ("microphone file", settings.audio.mic_file),
        ("grammar file", settings.local.grammar),
    ):
        if path is not None and not path.is_file():
            return refuse(f"{what} not found: {path}")

    from livetui.session.audio_io import voice_for
    from livetui.session.connect import MissingKeyError, missing_key, plan_local, plan_session
    from livetui.ui.app import make_app
    from livetui.ui.keymap import KeymapError, check_keymap

    try:
        keymap = check_keymap(settings.keymap)
        plan = plan_session(settings, resolve=resolve_brain, url=options.url, tools=tools)
    except MissingKeyError as error:
        return refuse(missing_key(error.provider, provider_source(options, error.provider)))
    except KeymapError as error:
        return refuse(str(error))
    settings = settings.model_copy(update={"keymap": keymap})
    return make_app(
        settings,
        plan.connector,
        notices=(*settings.deprecations, *plan.notices),
        tools=tools,
        voice=voice_for(settings),
        target=plan.target,
        local=lambda: plan_local(settings, resolve=resolve_brain, tools=tools),
    )
