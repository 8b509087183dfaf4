"""Voice: Esc → playback silent (in each dialect), and client CPU over 30 s.

- **k0 → k1**: the real app runs headless (`run_test`) against `livetui serve` as a child process, its
  voice playing into a real-time fake speaker; a long spoken reply is interrupted with Esc once it is heard.
  Reported from the key event being posted to the last sample handed to the speaker (k1), and k0 → k1 as
  the session marks them.
- **Client CPU**: a session with a looping file microphone (silence) and a WAV speaker, the model speaking
  all along, for 30 s: process CPU time / wall time (the server is another process).

End of speech → first reply audio is `bench_voice_reply`'s, with the questions spoken here (`QUESTIONS`).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soxr
from textual import events
from textual.pilot import Pilot

from livetui.config import load_settings
from livetui.live.config import SessionConfig
from livetui.media.audio.sink import FakeSink, WavSink
from livetui.media.audio.source import FileSource
from livetui.providers.registry import local_endpoint, provider
from livetui.server.core.senses.tts import Synthesizer
from livetui.session.connect import plan_local
from livetui.session.engine import LiveSession
from livetui.session.latency import percentile
from livetui.session.local_server import LocalServer
from livetui.session.voice import Voice, run_with_voice
from livetui.ui.app import LiveApp, make_app

INTERRUPTIONS = 20
CPU_SECONDS = 30.0
STORY = (
    "Once upon a time, in a quiet village by the sea, there lived an old sailor who told long stories. " * 8
)
SCRIPT = {"rules": [{"match": "story", "reply": STORY}]}
QUESTIONS = (
    "what is the weather like today",
    "tell me a joke about cats",
    "how are you this morning",
    "please tell me something nice",
    "what time is it now",
)


def _report(name: str, seconds: list[float], budget: str) -> None:
    ms = [value * 1000 for value in seconds]
    print(
        f"   {name}: median {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms over {len(ms)} "
        f"(budget {budget})",
        flush=True,
    )


async def _until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state")
        await pilot.pause(0.002)


async def bench_interrupt(folder: Path, dialect: str) -> None:
    """Esc while the model speaks, through the real app, with the local server speaking `dialect`."""
    script = folder / "script.json"
    script.write_text(json.dumps(SCRIPT), encoding="utf-8")
    settings = load_settings(provider="local", dialect=dialect, script=script)
    plan = plan_local(settings, resolve=lambda brain: ("scripted", []))
    voices: list[Voice] = []

    def voice(session: LiveSession) -> Voice:
        voices.append(Voice(session, sink=FakeSink()))
        return voices[-1]

    app = make_app(settings, plan.connector, voice=voice)
    key_to_silence: list[float] = []
    async with app.run_test(size=(140, 45)) as pilot:
        await _until(pilot, lambda: app.session is not None and app.session.ready and bool(voices))
        session, player = app.session, voices[-1].player
        assert session is not None and isinstance(app, LiveApp)
        for _ in range(INTERRUPTIONS):
            turn = session.send_text("tell me a story")
            await _until(pilot, lambda: player.frames_by_turn.get(turn, 0) > 4800)  # noqa: B023
            posted = session.clock()
            app.post_message(events.Key("escape", None))  # pilot.press waits for an idle app
            await _until(pilot, lambda: session.latency.has(turn, "k1") and session.latency.has(turn, "t4"))  # noqa: B023
            record = session.latency.turn(turn)
            assert record is not None
            key_to_silence.append(record.marks["k1"] - posted)
        _report(f"{dialect}: Esc posted → playback silent", key_to_silence, "k0 → k1 ≤ 30 ms p95")
        _report(f"{dialect}: k0 → k1 as marked", session.latency.samples("silence"), "≤ 30 ms p95")
        _report(
            f"{dialect}: first reply audio handed to the speaker (t0 → t3)",
            session.latency.samples("first audio"),
            "-",
        )


def _speech(synth: Synthesizer, text: str) -> tuple[bytes, float]:
    """`text` spoken as 16 kHz PCM16 with 0.5 s of silence before and 1.5 s after; where speech ends."""
    pcm24 = np.frombuffer(synth.speak(text), dtype=np.int16)
    pcm16 = np.asarray(soxr.resample(pcm24, 24000, 16000), dtype=np.int16)
    nonzero = np.flatnonzero(np.abs(pcm16) > 200)
    end = (int(nonzero[-1]) + 1 if nonzero.size else pcm16.size) / 16000
    padded = np.concatenate([np.zeros(8000, np.int16), pcm16, np.zeros(24000, np.int16)])
    return padded.tobytes(), 0.5 + end


async def bench_cpu(folder: Path) -> None:
    """Client CPU while the microphone streams and the model speaks, for CPU_SECONDS."""
    script = folder / "cpu.json"
    script.write_text(json.dumps(SCRIPT), encoding="utf-8")
    quiet = folder / "quiet.wav"
    with wave.open(str(quiet), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(32000))
    server = await LocalServer.start(brain="scripted", script=script)
    try:
        session = LiveSession(local_endpoint(server.url), provider("gemini"), SessionConfig(model="local"))
        voice = Voice(session, source=FileSource(quiet, loop=True), sink=WavSink(folder / "out.wav"))
        task = asyncio.create_task(run_with_voice(session, voice, lambda event: None))
        while not session.ready:
            await asyncio.sleep(0.05)
        wall, cpu = time.monotonic(), time.process_time()
        while time.monotonic() - wall < CPU_SECONDS:
            if not session.replying and not voice.player.speaking:
                session.send_text("tell me a story")
            await asyncio.sleep(0.2)
        used, elapsed = time.process_time() - cpu, time.monotonic() - wall
        played = voice.player.frames_played / voice.player.rate
        print(
            f"   client CPU, mic + playback for {elapsed:.0f} s: {100 * used / elapsed:.1f} % of one core "
            f"({voice.blocks_sent} mic blocks sent, {played:.1f} s of speech played, "
            f"{voice.player.underruns} underruns; budget ≤ 5 % with a 1 fps camera, UI idle)",
            flush=True,
        )
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    finally:
        await server.stop()


async def main() -> None:
    """Run the two measurements."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["LIVETUI_CONFIG"] = str(folder / "none.toml")
        os.environ["LIVETUI_DATA_DIR"] = str(folder / "data")
        for dialect in ("gemini", "openai"):
            await bench_interrupt(folder, dialect)
        await bench_cpu(folder)
