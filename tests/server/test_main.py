"""``livetui serve`` as a process: the ready line, a clean exit on SIGTERM, and refusals with status 2."""

from __future__ import annotations

import asyncio
import re
import resource
import signal
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

import livetui
from livetui.providers.gemini.paths import LIVE_PATH
from livetui.server.core.brains.smollm2 import smollm2_unavailable
from livetui.server.core.senses.endpointing import PAUSE_SECONDS
from livetui.server.main import build_parser, config_from, main
from tests.conftest import ScriptWriter
from tests.server.wire import ask, recv, send, setup

ROOT = Path(livetui.__file__).resolve().parents[1]
READY = re.compile(r"listening on (wss?)://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 60.0
"""Longest wait for the server process to start or end: only a guard against a hang (its imports take
seconds on a loaded machine)."""


@asynccontextmanager
async def serve_process(
    *args: str, env: Mapping[str, str] | None = None, file_limit: int | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m livetui.server.main ARGS`` with piped output; killed if the test leaves it running.

    `env` replaces the environment; `file_limit` lowers the child's open-file limit (RLIMIT_NOFILE).
    """

    def limit_files() -> None:  # runs in the child between fork and exec
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (file_limit, file_limit))

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "livetui.server.main",
        *args,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=None if env is None else dict(env),
        preexec_fn=limit_files if file_limit is not None else None,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def ready_line(process: asyncio.subprocess.Process) -> str:
    """The first line the process prints."""
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
    return line.decode().rstrip("\n")


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str, str]:
    """Wait for the process to exit; its status, the rest of stdout, and stderr."""
    stdout, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_serve_prints_one_ready_line_serves_and_exits_0_on_a_signal(signum: signal.Signals) -> None:
    async with serve_process("--port", "0") as process:
        line = await ready_line(process)
        match = READY.fullmatch(line)
        assert match is not None, line
        assert match.group(1) == "ws"
        async with connect(f"ws://127.0.0.1:{match.group(2)}{LIVE_PATH}") as ws:
            await send(ws, setup())
            assert await recv(ws) == {"setupComplete": {}}
            assert await ask(ws, "over the wire") == "You said: over the wire"
        process.send_signal(signum)
        status, rest, stderr = await finish(process)
    assert status == 0
    assert rest == ""
    assert "Traceback" not in stderr
    [log_line] = stderr.splitlines()  # one line for the one connection
    assert re.fullmatch(r"livetui\.server: 127\.0\.0\.1:\d+: session ended \(1000, 1 reply\)", log_line)


async def test_serve_with_tls_announces_wss_and_writes_the_certificate(tmp_path: Path) -> None:
    async with serve_process("--tls", "--cert-dir", str(tmp_path / "certs")) as process:
        match = READY.fullmatch(await ready_line(process))
        assert match is not None and match.group(1) == "wss"
        assert (tmp_path / "certs" / "cert.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")
        process.terminate()
        status, _, stderr = await finish(process)
    assert status == 0 and "Traceback" not in stderr


async def test_serve_refuses_a_bad_script_with_status_2(write_script: ScriptWriter) -> None:
    path = write_script({"rules": [{"match": "(", "reply": "x"}]})
    async with serve_process("--script", str(path)) as process:
        status, stdout, stderr = await finish(process)
    assert status == 2 and stdout == ""
    assert stderr == f"livetui serve: {path}: rules[0].match: invalid regular expression '(': " + (
        "missing ), unterminated subpattern at position 0\n"
    )


def run_main(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run `main` in this process; its status and stderr."""
    status = main(list(argv))
    return status, capsys.readouterr().err


def test_serve_refuses_a_public_address_without_a_key(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_main(["--host", "0.0.0.0"], capsys)
    assert status == 2
    assert err == (
        "livetui serve: refusing to listen on 0.0.0.0 without a key (--key-file or LIVETUI_SERVE_KEY): "
        "anyone who can reach it could use it\n"
    )


def test_serve_refuses_a_script_for_the_smollm2_brain(
    capsys: pytest.CaptureFixture[str], write_script: ScriptWriter
) -> None:
    status, err = run_main(["--brain", "smollm2", "--script", str(write_script({}))], capsys)
    assert status == 2 and err == "livetui serve: --script works only with the scripted brain\n"


@pytest.mark.skipif(smollm2_unavailable() is None, reason="the smollm2 brain is available here")
def test_serve_refuses_an_unavailable_smollm2_brain_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, err = run_main(["--brain", "smollm2"], capsys)
    assert status == 2 and err == f"livetui serve: {smollm2_unavailable()}\n"


@pytest.mark.parametrize(
    ("argv", "vad", "whisper"),
    [
        ([], "silero", None),
        (["--vad", "webrtc", "--no-whisper"], "webrtc", False),
        (["--whisper"], "silero", True),
    ],
)
def test_serve_options_choose_what_ends_an_utterance_and_what_transcribes_it(
    argv: list[str], vad: str, whisper: bool | None
) -> None:
    config = config_from(build_parser().parse_args(argv))
    assert (config.vad, config.whisper) == (vad, whisper)


def test_serve_starts_replies_early_after_a_silence_shorter_than_the_hangover(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert config_from(build_parser().parse_args([])).early_reply == PAUSE_SECONDS
    assert config_from(build_parser().parse_args(["--early-reply", "0"])).early_reply == 0
    status, err = run_main(["--early-reply", "0.5"], capsys)
    assert status == 2
    assert err == "livetui serve: --early-reply must be 0 or more and less than 0.44 seconds\n"
