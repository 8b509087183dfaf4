"""A Live-protocol server for the paint benchmark: a paced text reply, and when it sent each delta.

`python -m bench.paint_server` prints ``port N`` once it listens on loopback. Every text turn the client
sends (``clientContent``) is answered with the deltas of :func:`deltas` for the rate and count the user's
words give (``rate 175 n 600``; rate 0: as fast as the socket takes them), then ``turnComplete``; after
the turn it prints one JSON line, ``{"sent": [...]}``, the `time.monotonic()` (the system's monotonic clock,
the same in every process) of each delta's send.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time

from websockets.asyncio.server import ServerConnection, serve

WORDS = ("the", "paint", "of", "a", "reply", "streams", "**word**", "by", "word", "into", "`chat`")


def deltas(count: int) -> list[str]:
    """The reply's deltas: one word each, a new paragraph every 40 words."""
    out = []
    for i in range(count):
        word = WORDS[i % len(WORDS)]
        out.append(word + ("\n\n" if i % 40 == 39 else " "))
    return out


async def _reply(socket: ServerConnection, rate: float, count: int) -> list[float]:
    sent: list[float] = []
    started = time.monotonic()
    for i, text in enumerate(deltas(count)):
        if rate > 0:
            wait = started + i / rate - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        frame = json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": text}]}}})
        sent.append(time.monotonic())
        await socket.send(frame)
    await socket.send(json.dumps({"serverContent": {"turnComplete": True}}))
    return sent


async def _session(socket: ServerConnection) -> None:
    async for raw in socket:
        message = json.loads(raw)
        if "setup" in message:
            await socket.send(json.dumps({"setupComplete": {}}))
            continue
        content = message.get("clientContent")
        if not content or not content.get("turnComplete"):
            continue
        words = " ".join(part.get("text", "") for turn in content["turns"] for part in turn["parts"])
        found = re.search(r"rate (\d+) n (\d+)", words)
        rate, count = (float(found[1]), int(found[2])) if found else (175.0, 300)
        sent = await _reply(socket, rate, count)
        print(json.dumps({"sent": sent}), flush=True)


async def main() -> None:
    """Listen on loopback until killed."""
    async with serve(_session, "127.0.0.1", 0, compression=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"port {port}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
