"""The `livetui` command: the app (default), `livetui serve` (the local live server).

Heavy imports (Textual, websockets, the server) happen only once a command is chosen, so `livetui --help`
stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from livetui import __version__

DESCRIPTION = """\
A terminal client for live model sessions. With GEMINI_API_KEY (or GOOGLE_API_KEY) set it talks to the
Gemini Live API; without a key it starts an embedded local live server on loopback and talks to that.
"""

EPILOG = """\
commands:
  livetui export --help    a recorded session as a transcript (md, json), captions (srt, vtt) or audio (wav)
  livetui serve --help     the embedded local live server on its own
  livetui devices          list the audio input and output devices

settings come from flags, then the environment (LIVETUI_MODEL, LIVETUI_SYSTEM_PROMPT, LIVETUI_VOICE,
LIVETUI_PROVIDER, LIVETUI_BRAIN, LIVETUI_SCRIPT, GEMINI_API_KEY, GOOGLE_API_KEY or LIVETUI_API_KEY), then
the config file (config.toml in the user config directory, or the file named by LIVETUI_CONFIG); a wrong
value is reported naming the flag, variable or file line it came from, e.g.:

  model = "gemini-live-2.5-flash-preview"
  system_prompt = "Answer briefly."
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


def build_parser() -> argparse.ArgumentParser:
    """The parser of the app command (`livetui [options]`)."""
    parser = argparse.ArgumentParser(
        prog="livetui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"livetui {__version__}")
    parser.add_argument(
        "--provider",
        choices=["auto", "local", "gemini"],
        help="gemini: Google's Live API (needs a key); local: the embedded server; auto (default): gemini "
        "when a key is set",
    )
    parser.add_argument("--model", help="the Gemini Live model (default gemini-live-2.5-flash-preview)")
    parser.add_argument("--system-prompt", metavar="TEXT", help="instructions for the model")
    parser.add_argument("--voice", help="the voice of spoken replies, e.g. Kore or Puck")
    parser.add_argument(
        "--text-route",
        choices=["client_content", "realtime_input"],
        help="send typed text as clientContent (default) or realtimeInput.text (for models that need it)",
    )
    parser.add_argument(
        "--brain",
        choices=["auto", "smollm2", "scripted"],
        help="the local server's brain; auto (default) uses smollm2 when installed",
    )
    parser.add_argument("--script", metavar="FILE", help="a script for the scripted brain (JSON or TOML)")
    parser.add_argument(
        "--url", metavar="WS_URL", help="connect to a local live server already running at ws://HOST:PORT"
    )
    parser.add_argument(
        "--no-record",
        dest="record",
        action="store_false",
        default=None,
        help="do not journal this session (by default every session is recorded, for livetui export)",
    )
    tools = parser.add_argument_group("tools")
    tools.add_argument(
        "--tools", metavar="FILE", help="a Python file whose public functions the model may call"
    )
    tools.add_argument(
        "--tool-mode",
        choices=["auto", "confirm", "manual"],
        help="auto (default): run each call at once; confirm: ask before each call; manual: type each result",
    )
    tools.add_argument(
        "--tool-timeout", type=float, metavar="SECONDS", help="how long a function may run (default 10)"
    )
    camera = parser.add_argument_group("camera")
    camera.add_argument(
        "--camera", metavar="N|PATH|test", help="stream a camera: a device index, a device path, or test"
    )
    camera.add_argument("--camera-file", metavar="PATH", help="stream an image or video file as the camera")
    camera.add_argument("--camera-fps", type=float, metavar="FPS", help="most frames a second (default 1)")
    camera.add_argument(
        "--camera-size", type=int, metavar="PIXELS", help="longest side of a sent frame (default 768)"
    )
    camera.add_argument("--camera-quality", type=int, metavar="Q", help="JPEG quality 1-100 (default 80)")
    camera.add_argument(
        "--context-compression",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="context-window compression, so Gemini sessions with video are not cut after ~2 minutes "
        "(default: on with a camera)",
    )
    audio = parser.add_argument_group("audio")
    audio.add_argument(
        "--text-only", action="store_true", default=None, help="replies as text; no microphone or speaker"
    )
    audio.add_argument(
        "--push-to-talk",
        action="store_true",
        default=None,
        help="send the microphone only while the talk key is toggled on (no voice-activity detection)",
    )
    audio.add_argument(
        "--half-duplex",
        action="store_true",
        default=None,
        help="hold the microphone back while the model speaks (speakers without headphones: no echo)",
    )
    audio.add_argument("--input-device", metavar="DEV", help="microphone: an index or part of a name")
    audio.add_argument("--output-device", metavar="DEV", help="speaker: an index or part of a name")
    audio.add_argument("--mic-file", metavar="PATH", help="stream a WAV file in real time instead of the mic")
    audio.add_argument("--mic-loop", action="store_true", default=None, help="repeat --mic-file forever")
    audio.add_argument("--speaker-file", metavar="PATH", help="write the speech to a WAV file instead")
    audio.add_argument(
        "--grammar", metavar="FILE", help="a JSGF grammar for the local server's speech recognition"
    )
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


def provider_source(options: argparse.Namespace) -> str:
    """What asked for Gemini, for the missing-key line: the flag, the variable, or the config file's line."""
    from livetui.config import config_file
    from livetui.config_sources import env_source, file_line

    if options.provider is not None:
        return "--provider gemini"
    variable = env_source("provider")
    if variable is not None:
        return f"{variable}=gemini"
    line = file_line(config_file(), "provider")
    return f'provider = "gemini" (config file {config_file()}' + (f", line {line})" if line else ")")


def run_app(options: argparse.Namespace) -> int:
    """Start the app with settings from flags, environment and config file."""
    from livetui.config import ConfigError, load_settings

    try:
        settings = load_settings(
            provider=options.provider,
            model=options.model,
            system_prompt=options.system_prompt,
            voice=options.voice,
            text_route=options.text_route,
            brain=options.brain,
            script=options.script,
            record=options.record,
            tools=options.tools,
            tool_mode=options.tool_mode,
            tool_timeout=options.tool_timeout,
            camera=options.camera,
            camera_file=options.camera_file,
            camera_fps=options.camera_fps,
            camera_size=options.camera_size,
            camera_quality=options.camera_quality,
            context_compression=options.context_compression,
            text_only=options.text_only,
            push_to_talk=options.push_to_talk,
            half_duplex=options.half_duplex,
            input_device=options.input_device,
            output_device=options.output_device,
            mic_file=options.mic_file,
            mic_loop=options.mic_loop,
            speaker_file=options.speaker_file,
            grammar=options.grammar,
        )
    except ConfigError as error:
        print(f"livetui: {error}", file=sys.stderr)
        return 2
    if settings.camera is not None and settings.camera_file is not None:
        print("livetui: give either --camera or --camera-file, not both", file=sys.stderr)
        return 2
    if settings.camera_file is not None and not settings.camera_file.is_file():
        print(f"livetui: camera file not found: {settings.camera_file}", file=sys.stderr)
        return 2
    if settings.script is not None and not settings.script.is_file():
        print(f"livetui: script file not found: {settings.script}", file=sys.stderr)
        return 2
    from livetui.tools.loader import ToolsFileError
    from livetui.tools.registry import ToolRegistry

    try:
        tools = ToolRegistry.load(settings.tools)
    except ToolsFileError as error:
        print(f"livetui: {error}", file=sys.stderr)
        return 2
    for what, path in (("microphone file", settings.mic_file), ("grammar file", settings.grammar)):
        if path is not None and not path.is_file():
            print(f"livetui: {what} not found: {path}", file=sys.stderr)
            return 2

    from livetui.session.audio_io import voice_for
    from livetui.session.connect import MissingKeyError, missing_key, plan_local, plan_session
    from livetui.ui.app import make_app
    from livetui.ui.keymap import KeymapError, check_keymap

    try:
        keymap = check_keymap(settings.keymap)
        plan = plan_session(settings, resolve=resolve_brain, url=options.url, tools=tools)
    except MissingKeyError:
        print(f"livetui: {missing_key(provider_source(options))}", file=sys.stderr)
        return 2
    except KeymapError as error:
        print(f"livetui: {error}", file=sys.stderr)
        return 2
    settings = settings.model_copy(update={"keymap": keymap})
    app = make_app(
        settings,
        plan.connector,
        notices=plan.notices,
        tools=tools,
        voice=voice_for(settings),
        target=plan.target,
        local=lambda: plan_local(settings, resolve=resolve_brain, tools=tools),
    )
    app.run()
    return app.return_code or 0
