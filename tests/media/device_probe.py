"""Run in a subprocess by the PortAudio tests: open the default microphone and speaker, print what happened.

PortAudio lists its devices once, when sounddevice is imported, so each audio setup (an ALSA config, a JACK
server, no PortAudio at all) is probed in a fresh process. Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json

import numpy as np

from livetui.media.audio.devices import AudioUnavailable, list_devices
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.player import Player
from livetui.media.audio.speaker import DeviceSink

BLOCKS = 25
"""Microphone blocks read (half a second)."""


async def probe() -> dict[str, object]:
    """Open the default devices, capture half a second, play half a second of tone."""
    result: dict[str, object] = {}
    try:
        result["devices"] = [(d.name, d.host_api, d.inputs, d.outputs) for d in list_devices()]
    except AudioUnavailable as error:
        return {"error": str(error)}
    loop = asyncio.get_running_loop()
    drained = asyncio.Event()
    player = Player(prebuffer=0.0)

    def changed() -> None:
        if not player.speaking:
            loop.call_soon_threadsafe(drained.set)

    player.on_change = changed
    sink = DeviceSink()
    await sink.open(player.pull)
    player.set_rate(sink.rate)
    tone = (np.sin(np.arange(12000) / 10) * 8000).astype(np.int16).tobytes()
    player.feed(1, tone, 24000)
    player.end_turn(1)
    source = DeviceSource()
    await source.open()
    blocks = [await source.read() for _ in range(BLOCKS)]
    async with asyncio.timeout(10):
        await drained.wait()
    await source.close()
    await sink.close()
    result.update(
        sink_rate=sink.rate,
        mic_rate=source.device_rate,
        block_sizes=sorted({len(b or b"") for b in blocks}),
        played=player.frames_played,
    )
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe())))
