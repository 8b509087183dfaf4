"""The local server's smollm2 brain at the wire: text first token and reply rate over 10 turns.

A raw WebSocket client on loopback sends each question as `clientContent` and times the first
`modelTurn` text frame (budget: 150 ms) and the whole reply.
"""

from __future__ import annotations

import json
import time

from websockets.asyncio.client import connect

from livetui.providers.gemini.endpoint import LOCAL_PATH
from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.smollm2 import smollm2_unavailable
from livetui.session.latency import percentile

QUESTIONS = [
    "Hello! Who are you?",
    "Name three colours.",
    "What is the capital of France?",
    "Tell me a fun fact about cats.",
    "Say something about the sea.",
    "What do you like to do?",
    "Give me a word that rhymes with moon.",
    "Describe a tree in one sentence.",
    "What is a good name for a dog?",
    "Say goodbye politely.",
]


async def main() -> None:
    """Run the turns and print the numbers."""
    reason = smollm2_unavailable()
    if reason is not None:
        print(f"   skipped: {reason}")
        return
    async with LiveServer(ServerConfig(brain="smollm2")) as server:
        async with connect(server.url + LOCAL_PATH, max_size=None) as ws:
            setup = {
                "setup": {"model": "models/smollm2", "generationConfig": {"responseModalities": ["TEXT"]}}
            }
            await ws.send(json.dumps(setup))
            await ws.recv()
            first: list[float] = []
            rates: list[float] = []
            for question in QUESTIONS:
                turn = {
                    "clientContent": {
                        "turns": [{"role": "user", "parts": [{"text": question}]}],
                        "turnComplete": True,
                    }
                }
                started = time.perf_counter()
                await ws.send(json.dumps(turn))
                first_at, deltas = 0.0, 0
                while True:
                    frame = json.loads(await ws.recv())
                    content = frame.get("serverContent", {})
                    if "modelTurn" in content:
                        deltas += 1
                        first_at = first_at or time.perf_counter()
                    if content.get("turnComplete"):
                        break
                done = time.perf_counter()
                first.append((first_at - started) * 1000)
                if done > first_at:
                    rates.append(deltas / (done - first_at))
    print(
        f"   text first token: median {percentile(first, 50):.0f} ms, p95 {percentile(first, 95):.0f} ms "
        f"over {len(first)} turns (budget ≤ 150 ms)"
    )
    print(f"   reply rate: median {percentile(rates, 50):.0f} deltas/s")
