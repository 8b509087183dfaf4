"""``livetui serve`` as a process under hostile input: the key kept off the command line, a PNG bomb
answered with bounded memory, and a file-descriptor flood logged in one line instead of tracebacks."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import os
import struct
import zlib
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from livetui.providers.gemini.paths import LIVE_PATH
from livetui.server.core.senses.vision import MAX_PIXELS
from livetui.server.main import KEY_VARIABLE, KEY_WARNING, build_parser, config_from
from livetui.session.local_server import LocalServer
from tests.frames import BLUE, jpeg, solid
from tests.server.test_main import READY, ready_line, run_main, serve_process
from tests.server.wire import TIMEOUT, ask, recv, send, setup

BOMB_SIDE = 16000
"""The PNG bomb's width and height: 256 Mpx, about 770 MB once decoded to BGR."""


@functools.cache
def png_bomb(side: int = BOMB_SIDE) -> bytes:
    """A black greyscale PNG `side` pixels square: a few hundred KB that claim to be a huge picture."""
    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte 0, then the pixels
    body = b"".join(packer.compress(row * 500) for _ in range(side // 500)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def video(data: bytes, mime_type: str) -> dict[str, object]:
    """A realtimeInput.video frame."""
    return {"realtimeInput": {"video": {"mimeType": mime_type, "data": base64.b64encode(data).decode()}}}


def peak_rss(pid: int) -> int:
    """The peak resident memory of process `pid` so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc status")


def url_of(line: str) -> str:
    """The endpoint URL in a ready line."""
    match = READY.fullmatch(line)
    assert match is not None, line
    return f"ws://127.0.0.1:{match.group(2)}{LIVE_PATH}"


def test_the_key_is_read_from_a_key_file_first_line(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("  sesame  \nsecond line is ignored\n")
    assert config_from(build_parser().parse_args(["--key-file", str(key_file)])).key == "sesame"


def test_the_key_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "from-env")
    assert config_from(build_parser().parse_args([])).key == "from-env"
    monkeypatch.delenv(KEY_VARIABLE)
    assert config_from(build_parser().parse_args([])).key is None


def test_a_key_on_the_command_line_still_works_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert config_from(build_parser().parse_args(["--key", "visible"])).key == "visible"
    assert capsys.readouterr().err == KEY_WARNING + "\n"


@pytest.mark.parametrize(
    ("content", "reason"), [(None, "cannot read the key"), ("\n\n", "the key file is empty")]
)
def test_an_unreadable_or_empty_key_file_is_refused_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, reason: str
) -> None:
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_text(content)
    status, err = run_main(["--key-file", str(key_file)], capsys)
    assert status == 2 and err.startswith(f"livetui serve: {key_file}: {reason}") and err.count("\n") == 1


async def test_a_server_keyed_from_the_environment_refuses_others_and_shows_no_key_in_ps() -> None:
    async with serve_process("--port", "0", env={**os.environ, KEY_VARIABLE: "s3same-key"}) as process:
        url = url_of(await ready_line(process))
        with pytest.raises(InvalidStatus) as refused:
            async with connect(url):
                pass
        assert refused.value.response.status_code == 401
        async with connect(url, additional_headers={"x-goog-api-key": "s3same-key"}) as ws:
            await send(ws, setup())
            assert await recv(ws) == {"setupComplete": {}}
        assert b"s3same-key" not in Path(f"/proc/{process.pid}/cmdline").read_bytes()


async def test_the_embedded_server_child_gets_no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "GEMINI_API_KEY": "g-secret",
        "GOOGLE_API_KEY": "go-secret",
        "LIVETUI_API_KEY": "l-secret",
        "OPENAI_API_KEY": "o-secret",
        KEY_VARIABLE: "serve-secret",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    server = await LocalServer.start(brain="scripted")
    try:
        pid = server.process.pid
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        for value in secrets.values():
            assert value.encode() not in environ and value.encode() not in cmdline
        assert b"PATH=" in environ, "what Python needs is still there"
        async with connect(server.url + LIVE_PATH) as ws:  # and it serves as before
            await send(ws, setup())
            assert await recv(ws) == {"setupComplete": {}}
            assert await ask(ws, "hello") == "You said: hello"
    finally:
        await server.stop()


async def test_a_png_bomb_is_answered_quickly_with_bounded_memory() -> None:
    bomb = png_bomb()
    assert len(bomb) < 800_000 and BOMB_SIDE**2 > 25 * MAX_PIXELS
    async with serve_process("--port", "0") as process:
        async with connect(url_of(await ready_line(process)), max_size=None) as ws:
            await send(ws, setup())
            assert await recv(ws) == {"setupComplete": {}}
            await send(ws, video(jpeg(solid(BLUE)), "image/jpeg"))  # vision loaded and warmed
            assert "blue" in await ask(ws, "what do you see?")
            before = peak_rss(process.pid)
            await send(ws, video(bomb, "image/png"))
            async with asyncio.timeout(TIMEOUT):
                assert "blue" in await ask(ws, "what do you see now?"), "the bomb is ignored"
            growth = peak_rss(process.pid) - before
        process.terminate()
        _, stderr = await process.communicate()
    assert growth < 64 * 2**20, f"peak RSS grew {growth / 2**20:.0f} MB"
    assert f"ignored a camera frame: the frame is {BOMB_SIDE}×{BOMB_SIDE} pixels" in stderr.decode()


async def read_lines(stream: asyncio.StreamReader, into: list[str]) -> None:
    """Append each line `stream` gives to `into` until it ends."""
    while line := await stream.readline():
        into.append(line.decode())


async def test_running_out_of_file_descriptors_is_logged_once_and_the_server_recovers() -> None:
    async with serve_process("--port", "0", "--max-connections", "1000", file_limit=64) as process:
        url = url_of(await ready_line(process))
        assert process.stderr is not None
        logged: list[str] = []
        reader = asyncio.create_task(read_lines(process.stderr, logged))
        async with AsyncExitStack() as stack:
            async with asyncio.timeout(TIMEOUT * 2):
                # Idle connections until the server says it cannot accept another one. A connection that
                # fails is not proof of that: on a loaded machine a handshake can take over a second.
                while not any("cannot accept new connections" in line for line in logged):
                    with contextlib.suppress(InvalidStatus, OSError, TimeoutError):
                        await stack.enter_async_context(connect(url, open_timeout=1))
        reader.cancel()  # a line being waited for stays in the stream, for `communicate`
        await asyncio.gather(reader, return_exceptions=True)
        async with asyncio.timeout(TIMEOUT):  # the flood is gone: a new client is served
            while True:
                try:
                    async with connect(url) as ws:
                        await send(ws, setup())
                        assert await recv(ws) == {"setupComplete": {}}
                        break
                except (InvalidStatus, OSError, TimeoutError):
                    await asyncio.sleep(0.05)
        process.terminate()
        _, rest = await process.communicate()
    stderr = "".join(logged) + rest.decode()
    assert "Traceback" not in stderr
    assert stderr.count("cannot accept new connections: Too many open files") == 1
    assert len(stderr) < 20_000, "a line per connection, not a traceback per retry"
