"""Run in a subprocess by the PortAudio tests: give a session's voice the default devices, print the notices.

The session is never connected: only the devices are opened. Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.speaker import DeviceSink
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice


async def probe() -> dict[str, object]:
    """Open the default microphone and speaker through a `Voice`; report what the user would read."""
    session = LiveSession(
        local_endpoint("ws://127.0.0.1:9"), provider("gemini"), SessionConfig(model="local")
    )
    voice = Voice(session, source=DeviceSource(), sink=DeviceSink())
    seen: list[ev.AnyEvent] = []
    voice.tap(seen.append)
    await voice.use_sink(voice.sink)
    await voice.use_source(voice.source)
    state = voice.state()
    return {
        "notices": [e.message for e in seen if isinstance(e, ev.Notice)],
        "state": {"mic": state.mic, "speaker": state.speaker},
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe())))
