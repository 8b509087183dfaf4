"""Start the embedded local live server as a child process, and make sure it ends with us.

The client connects to it over loopback exactly as it would to Google, so the same code path runs and the
latency pane shows real numbers. The child is put in its own process group and, on Linux, asked to receive
SIGTERM if this process dies (even by SIGKILL), so it never outlives the app.

The child gets a minimal environment (`child_environment`): what Python, the locale and the temporary
directory need, and nothing else, so the user's provider keys (``GEMINI_API_KEY``, ``GOOGLE_API_KEY``,
``LIVETUI_API_KEY``, ``OPENAI_API_KEY``...) never reach it. It listens on loopback without a key, so none is
put on its command line either.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

READY_PREFIX = "listening on "
"""The line `livetui serve` prints once it accepts connections."""


PASSED_VARIABLES = frozenset(
    (
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TEMP",
        "TMP",
        "PYTHONPATH",
        "PYTHONHOME",
        "VIRTUAL_ENV",
        "LD_LIBRARY_PATH",
        "SYSTEMROOT",
    )
)
"""Environment variables the child server is given, besides every ``LC_*`` and ``XDG_*`` one."""
PASSED_PREFIXES = ("LC_", "XDG_")
"""Prefixes of the locale and directory variables the child is given."""


def child_environment(environ: Mapping[str, str] | None = None, passed: Sequence[str] = ()) -> dict[str, str]:
    """The environment for the child server: only `PASSED_VARIABLES` and `PASSED_PREFIXES` of `environ`
    (default: this process's), and the variables named in `passed` (the bridge brain's key), so no other
    API key or token the user has set is handed on."""
    source = os.environ if environ is None else environ
    return {
        name: value
        for name, value in source.items()
        if name in PASSED_VARIABLES or name.startswith(PASSED_PREFIXES) or name in passed
    }


class LocalServerError(Exception):
    """The local server could not be started. The message is one line."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class LocalServer:
    """A running `livetui serve` child process."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process = process
        """The child process."""
        self.url = url
        """Its base URL, `ws://127.0.0.1:PORT`."""
        self.log: deque[str] = deque(maxlen=50)
        """The child's last lines of stderr (it is drained so the pipe never fills and blocks the child)."""
        self._drain_task: asyncio.Task[None] | None = None

    def _start_draining(self) -> None:
        self._drain_task = asyncio.create_task(self._drain(), name="local-server-stderr")

    async def _drain(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.log.append(line.decode("utf-8", "replace").rstrip())

    @classmethod
    async def start(
        cls,
        *,
        brain: str,
        script: Path | None = None,
        extra: Sequence[str] = (),
        passed: Sequence[str] = (),
        timeout: float = 30.0,
    ) -> LocalServer:
        """Spawn `livetui serve --port 0` and wait for its `listening on` line; `passed` names the variables
        of this process's environment it is given besides the usual ones (`child_environment`).

        Raises:
            LocalServerError: the child exited or did not become ready in time; carries its last error line.
        """
        argv = [sys.executable, "-m", "livetui", "serve", "--port", "0", "--brain", brain, *extra]
        if script is not None:
            argv += ["--script", str(script)]
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=child_environment(passed=passed),
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), timeout)
        except TimeoutError:
            await cls(process, "").stop()
            raise LocalServerError(f"the local server did not start within {timeout:g} s") from None
        text = line.decode("utf-8", "replace").strip()
        if not text.startswith(READY_PREFIX):
            await process.wait()
            raise LocalServerError(f"the local server did not start: {await cls._last_error(process)}")
        server = cls(process, text.removeprefix(READY_PREFIX))
        server._start_draining()
        return server

    @staticmethod
    async def _last_error(process: asyncio.subprocess.Process) -> str:
        assert process.stderr is not None
        lines = (await process.stderr.read()).decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit code {process.returncode}"

    async def stop(self, timeout: float = 3.0) -> None:
        """Ask the child to stop (SIGTERM), and kill it if it does not."""
        if self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        if self._drain_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain_task
