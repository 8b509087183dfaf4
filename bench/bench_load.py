"""Load on the local server: 10, 100 and 1,000 concurrent scripted sessions over loopback.

`livetui serve` runs as a child process (its own memory, as in use). For each level that many clients
connect at once, send ``setup`` and one user turn, and read the reply to ``turnComplete``. Printed per
level: the sessions completed (%), the time from sending the turn to the first text delta (p50/p95), the
wall time, and the server's resident memory (before, and its peak while the level ran).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import resource
import sys
import time
from pathlib import Path

from websockets.asyncio.client import connect

from livetui.providers.gemini.paths import LIVE_PATH
from livetui.session.latency import percentile

LEVELS = (10, 100, 1000)
"""Concurrent sessions per level."""
DEADLINE = 60.0
"""Seconds a level may take; sessions unfinished by then count as not completed."""
READY = re.compile(r"listening on (ws://\S+)")
SETUP = json.dumps({"setup": {"model": "models/load", "generationConfig": {"responseModalities": ["TEXT"]}}})
TURN = json.dumps(
    {"clientContent": {"turns": [{"role": "user", "parts": [{"text": "load"}]}], "turnComplete": True}}
)


def _raise_file_limit() -> None:
    """Let this process (and the child, which inherits it) hold a socket per session."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(LEVELS) * 2 + 256
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def _rss(pid: int) -> int:
    """The resident memory of process `pid`, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def _session(url: str) -> float | None:
    """One scripted session; seconds from the turn to its first delta, or None if it did not complete."""
    try:
        async with connect(url, open_timeout=None, ping_interval=None) as ws:
            await ws.send(SETUP)
            await ws.recv()
            sent = time.perf_counter()
            await ws.send(TURN)
            first: float | None = None
            while True:
                data = json.loads(await ws.recv())
                content = data.get("serverContent", {})
                if first is None and "modelTurn" in content:
                    first = time.perf_counter() - sent
                if content.get("turnComplete"):
                    return first
    except Exception:  # a refused, dropped or garbled session: not completed
        return None


async def _level(url: str, pid: int, count: int) -> str:
    peak = before = _rss(pid)
    started = time.perf_counter()
    tasks = [asyncio.create_task(_session(url)) for _ in range(count)]
    done: list[float] = []
    waiting = asyncio.ensure_future(asyncio.wait(tasks, timeout=DEADLINE))
    while not waiting.done():
        peak = max(peak, _rss(pid))
        await asyncio.sleep(0.05)
    for task in tasks:
        if task.done() and not task.cancelled() and (result := task.result()) is not None:
            done.append(result * 1000)
        task.cancel()
    wall = time.perf_counter() - started
    p50 = f"{percentile(done, 50):8.1f}" if done else "       -"
    p95 = f"{percentile(done, 95):8.1f}" if done else "       -"
    return (
        f"   {count:>8,} {100 * len(done) / count:10.1f} {p50} {p95} {wall:7.1f}"
        f" {before / 2**20:9.0f} {peak / 2**20:9.0f}"
    )


async def main() -> None:
    """Start the server, run the levels, print the table."""
    _raise_file_limit()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "livetui",
        "serve",
        "--port",
        "0",
        "--max-connections",
        str(max(LEVELS) + 100),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        match = READY.search(line)
        if match is None:
            print(f"   the server did not start: {line.strip()!r}")
            return
        url = match.group(1) + LIVE_PATH
        print("   sessions  completed%  first delta ms     wall s  RSS MB")
        print("                            p50      p95             before    peak")
        for count in LEVELS:
            print(await _level(url, process.pid, count), flush=True)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        await process.wait()
