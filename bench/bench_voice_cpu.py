"""Voice CPU: livetui (the real app, headless) beside a floor client on the google-genai SDK, one TLS server.

One ``livetui serve --tls`` (scripted brain: every utterance gets a long spoken story) serves both clients.
Each client is its own child process: it streams the same espeak-ng WAV as its microphone, paced by the
audio clock (a question, then silence, so the story is never barged in on), and plays the story into a
null sink; after a warm-up, its CPU time (all threads) over the window is divided by the wall time.

- **livetui**: the real app under `run_test` (UI, chat, meter, panes, journal), microphone from the file
  (``--mic-file``), speech written to a WAV in real time (``--speaker-file``), with and without
  ``--camera test`` at 1 fps.
- **SDK floor** (`bench.sdk_floor`): connect, send the file as the mic in blocks of the same length,
  write replies to ``/dev/null``; with a 1 fps JPEG test pattern for the camera run.

What differs between the two is what livetui does beyond the floor, and nothing else: the same server,
file, block length, pacing and TLS; the SDK offers permessage-deflate (livetui does not, so the floor pays
for compressing its frames); the floor writes reply audio as it arrives, while livetui's file sink is
clocked as a device would be (a 40 ms block at a time, silences included), and livetui also journals
every event and draws its UI (headless, the same screen as in a terminal).

Rounds are interleaved (livetui, floor, floor, livetui, ...) and the medians of each are printed with
their ratio, RSS at the end of the window, and what each client sent and received.

``python -m bench.bench_voice_cpu --rounds 2 --seconds 10`` runs a shorter version.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np
import soxr

from bench.isolation import rss_mb

ROUNDS = 5
"""Interleaved rounds of each client and camera setting."""
SECONDS = 30.0
"""The measured window of each run."""
WARMUP = 4.0
"""Seconds after the session is live before the window opens (the question is heard, the story starts)."""
STORY = (
    "Once upon a time, in a quiet village by the sea, there lived an old sailor who told long stories. " * 10
)
QUESTION = "please tell me a long story"
MIC_SECONDS = 60.0
"""The microphone file: the question, then silence, this long in all (longer than warm-up and window)."""


def _speech_wav(path: Path) -> None:
    """The question spoken by espeak-ng at 16 kHz, 0.5 s of silence before it, silence after it."""
    from livetui.server.core.senses.tts import Synthesizer

    pcm24 = np.frombuffer(Synthesizer().speak(QUESTION), dtype=np.int16)
    pcm16 = np.asarray(soxr.resample(pcm24, 24000, 16000), dtype=np.int16)
    total = int(MIC_SECONDS * 16000)
    padded = np.zeros(total, np.int16)
    padded[8000 : 8000 + pcm16.size] = pcm16
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(padded.tobytes())


async def _window(seconds: float) -> tuple[float, float]:
    """CPU % of one core over `seconds`, and RSS (MB) at the end."""
    wall, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    return 100 * (time.process_time() - cpu) / (time.monotonic() - wall), rss_mb()


async def _livetui(
    url: str, wav: Path, folder: Path, seconds: float, camera: bool, block: float | None
) -> dict[str, Any]:
    """The real app, headless, against `url` (microphone blocks of `block` seconds; None: the default)."""
    from livetui.config import load_settings
    from livetui.media.audio.source import FileSource
    from livetui.session.audio_io import voice_for
    from livetui.session.connect import connect_to
    from livetui.session.engine import LiveSession
    from livetui.session.voice import Voice
    from livetui.ui.app import make_app

    settings = load_settings(
        mic_file=wav, speaker_file=folder / "livetui-out.wav", camera="test" if camera else None
    )
    voices = voice_for(settings)

    def voice(session: LiveSession) -> Voice | None:
        made = voices(session)
        if made is not None and block is not None:
            made.source = FileSource(wav, block_seconds=block)
        return made

    app = make_app(settings, connect_to(url, settings), voice=voice)
    async with app.run_test(size=(140, 45)):
        deadline = time.monotonic() + 30
        while app.session is None or not app.session.ready or app.voice is None:
            if time.monotonic() > deadline:
                raise TimeoutError("livetui did not go live")
            await asyncio.sleep(0.05)
        live = app.voice
        await asyncio.sleep(WARMUP)
        blocks, played = live.blocks_sent, live.player.frames_played
        cpu, rss = await _window(seconds)
        return {
            "cpu": cpu,
            "rss": rss,
            "sent": live.blocks_sent - blocks,
            "heard": (live.player.frames_played - played) / live.player.rate,
        }


async def _floor(
    url: str, cert: Path, wav: Path, seconds: float, camera: bool, block: float | None
) -> dict[str, Any]:
    """The SDK floor client against `url`, in blocks as long as livetui's."""
    from bench.sdk_floor import FloorStats, run_floor
    from livetui.media.audio.pcm import MIC_BLOCK_SECONDS

    stats = FloorStats()
    base = url.replace("wss://", "https://")
    task = asyncio.create_task(
        run_floor(base, cert, wav, block_seconds=block or MIC_BLOCK_SECONDS, camera=camera, stats=stats)
    )
    deadline = time.monotonic() + 30
    while stats.blocks_sent == 0:
        if task.done() or time.monotonic() > deadline:
            task.result()
            raise TimeoutError("the floor client did not go live")
        await asyncio.sleep(0.05)
    await asyncio.sleep(WARMUP)
    blocks, heard = stats.blocks_sent, stats.audio_bytes
    cpu, rss = await _window(seconds)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return {
        "cpu": cpu,
        "rss": rss,
        "sent": stats.blocks_sent - blocks,
        "heard": (stats.audio_bytes - heard) / 48000,
    }


async def _end_of_speech(url: str, cert: Path, pcm: bytes, speech_end: float, block: float) -> float:
    """Stream `pcm` in blocks of `block` seconds, each sent when its last sample would have been captured;
    seconds from the capture of the last spoken sample to the first reply audio."""
    import base64
    import ssl

    from websockets.asyncio.client import connect

    from livetui.providers.gemini.endpoint import LOCAL_PATH

    setup = {"setup": {"model": "models/local", "generationConfig": {"responseModalities": ["AUDIO"]}}}
    context = ssl.create_default_context(cafile=str(cert))
    size = round(block * 16000) * 2
    async with connect(url + LOCAL_PATH, ssl=context, compression=None, max_size=None) as ws:
        await ws.send(json.dumps(setup))
        await ws.recv()
        await asyncio.sleep(0.3)
        start = time.monotonic()
        heard: asyncio.Future[float] = asyncio.get_running_loop().create_future()

        async def read() -> None:
            async for frame in ws:
                if "modelTurn" in json.loads(frame).get("serverContent", {}):
                    heard.set_result(time.monotonic())
                    return

        reader = asyncio.create_task(read())
        for index, offset in enumerate(range(0, len(pcm), size)):
            await asyncio.sleep(max(0.0, start + (index + 1) * block - time.monotonic()))
            data = base64.b64encode(pcm[offset : offset + size]).decode("ascii")
            await ws.send(
                json.dumps({"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=16000", "data": data}}})
            )
            if heard.done():
                break
        first: float = await asyncio.wait_for(heard, 30)
        reader.cancel()
        return first - (start + speech_end)


def _block_latencies(url: str, cert: Path, blocks: tuple[float, ...]) -> dict[float, float]:
    """Median end of speech → first reply audio for each block length, the lengths interleaved."""
    from bench.bench_voice import QUESTIONS, _speech
    from livetui.server.core.senses.tts import Synthesizer

    synth = Synthesizer()
    spoken = [_speech(synth, text) for text in QUESTIONS[:3]]
    found: dict[float, list[float]] = {block: [] for block in blocks}
    for pcm, end in spoken:
        for block in blocks:
            found[block].append(asyncio.run(_end_of_speech(url, cert, pcm, end, block)))
    return {block: median(values) for block, values in found.items()}


def client_main(argv: list[str]) -> int:
    """One client run in this process (`--client livetui|floor`); prints its numbers as one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=("livetui", "floor"), required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--cert", type=Path, required=True)
    parser.add_argument("--wav", type=Path, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--camera", action="store_true")
    parser.add_argument("--block-ms", type=float, help="microphone block length (default: livetui's)")
    args = parser.parse_args(argv)
    block = None if args.block_ms is None else args.block_ms / 1000
    if args.client == "livetui":
        result = asyncio.run(_livetui(args.url, args.wav, args.folder, args.seconds, args.camera, block))
    else:
        result = asyncio.run(_floor(args.url, args.cert, args.wav, args.seconds, args.camera, block))
    print(json.dumps(result), flush=True)
    return 0


@dataclass
class _Runs:
    """The results of one client and setting, round by round."""

    results: list[dict[str, Any]] = field(default_factory=list)

    def median(self, key: str) -> float:
        return float(median(result[key] for result in self.results))


@dataclass(frozen=True)
class _Server:
    """The one server every client talks to, and what the clients share."""

    url: str
    cert: Path
    wav: Path
    folder: Path

    def client(
        self,
        kind: str,
        seconds: float,
        *,
        camera: bool = False,
        block_ms: int | None = None,
        root: Path | None = None,
    ) -> dict[str, Any]:
        """Run one client in its own process (from `root`'s code: another checkout, for a baseline)."""
        env = {
            **os.environ,
            "SSL_CERT_FILE": str(self.cert),  # livetui trusts the self-signed certificate like any CA's
            "LIVETUI_CONFIG": str(self.folder / "none.toml"),
            "LIVETUI_DATA_DIR": str(self.folder / "data"),
        }
        command = [sys.executable, "-m", "bench.bench_voice_cpu", "--client", kind, "--url", self.url]
        command += ["--cert", str(self.cert), "--wav", str(self.wav), "--folder", str(self.folder)]
        command += ["--seconds", str(seconds)] + (["--camera"] if camera else [])
        command += [] if block_ms is None else ["--block-ms", str(block_ms)]
        cwd = root or Path(__file__).resolve().parent.parent
        done = subprocess.run(
            command, env=env, cwd=cwd, capture_output=True, text=True, timeout=seconds + 120
        )
        if done.returncode != 0:
            raise RuntimeError(f"{kind} client failed: {done.stderr.strip().splitlines()[-1:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def _line(name: str, result: dict[str, Any]) -> str:
    return (
        f"     {name}: {result['cpu']:.2f} % CPU, {result['rss']:.0f} MB, {result['sent']} mic blocks sent, "
        f"{result['heard']:.1f} s of reply audio"
    )


def _versus(
    server: _Server, rounds: int, seconds: float, cameras: tuple[bool, ...], baseline: Path | None
) -> None:
    """livetui and the floor (and a baseline checkout of livetui), interleaved, with and without a camera."""
    kinds = ["livetui", "floor"] + (["baseline"] if baseline is not None else [])
    runs = {(kind, camera): _Runs() for kind in kinds for camera in cameras}
    for index in range(rounds):
        order = [(kind, camera) for camera in cameras for kind in kinds]
        for kind, camera in order if index % 2 == 0 else order[::-1]:
            root = baseline if kind == "baseline" else None
            result = server.client(
                "floor" if kind == "floor" else "livetui", seconds, camera=camera, root=root
            )
            runs[(kind, camera)].results.append(result)
            print(_line(f"round {index + 1} {kind}{' + camera' if camera else ''}", result), flush=True)
    for camera in cameras:
        ours, floor = runs[("livetui", camera)], runs[("floor", camera)]
        label = " with a 1 fps camera" if camera else ""
        print(
            f"   voice CPU{label}: livetui {ours.median('cpu'):.2f} % of a core "
            f"({ours.median('rss'):.0f} MB), SDK floor {floor.median('cpu'):.2f} % "
            f"({floor.median('rss'):.0f} MB): ratio {ours.median('cpu') / floor.median('cpu'):.2f}× "
            f"(medians of {rounds}; budget ≤ 1.5× and ≤ 3 %)",
            flush=True,
        )
        if baseline is not None:
            before = runs[("baseline", camera)]
            print(
                f"   voice CPU{label}, baseline: {before.median('cpu'):.2f} % "
                f"({before.median('rss'):.0f} MB): "
                f"ratio to the floor {before.median('cpu') / floor.median('cpu'):.2f}×",
                flush=True,
            )


def _blocks(server: _Server, rounds: int, seconds: float) -> None:
    """livetui's CPU with 20, 40 and 60 ms microphone blocks, and what each adds to the end of speech."""
    sizes = (20, 40, 60)
    cpu: dict[int, list[float]] = {size: [] for size in sizes}
    for index in range(rounds):
        for size in sizes if index % 2 == 0 else sizes[::-1]:
            result = server.client("livetui", seconds, block_ms=size)
            cpu[size].append(result["cpu"])
            print(_line(f"round {index + 1} livetui, {size} ms blocks", result), flush=True)
    latency = _block_latencies(server.url, server.cert, tuple(size / 1000 for size in sizes))
    first = latency[sizes[0] / 1000]
    for size in sizes:
        late = latency[size / 1000]
        print(
            f"   {size} ms blocks: livetui {median(cpu[size]):.2f} % CPU (median of {rounds}); "
            f"end of speech → first reply audio {late * 1000:.0f} ms "
            f"({(late - first) * 1000:+.0f} ms against {sizes[0]} ms; "
            f"{size / 2 - sizes[0] / 2:.0f} ms more on average by construction)",
            flush=True,
        )


def run(
    rounds: int = ROUNDS,
    seconds: float = SECONDS,
    cameras: tuple[bool, ...] = (False, True),
    *,
    baseline: Path | None = None,
    blocks: bool = True,
) -> None:
    """Start the server, run the interleaved rounds, print the medians and ratios."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        wav, script = folder / "question.wav", folder / "script.json"
        _speech_wav(wav)
        script.write_text(json.dumps({"default": {"reply": STORY}}), encoding="utf-8")
        command = [sys.executable, "-m", "livetui.server", "--tls", "--cert-dir", str(folder / "tls")]
        server = subprocess.Popen(
            [*command, "--script", str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline().strip()
            if not line.startswith("listening on "):
                raise RuntimeError(f"the server did not start: {line!r}")
            url = line.removeprefix("listening on ")
            shared = _Server(url, folder / "tls" / "cert.pem", wav, folder)
            _versus(shared, rounds, seconds, cameras, baseline)
            if blocks:
                _blocks(shared, max(1, rounds - 2), seconds * 2 / 3)
        finally:
            server.terminate()
            server.wait(10)


def main() -> None:
    """The full run: 5 interleaved rounds of 30 s, with and without the camera; then the block sizes."""
    run()


if __name__ == "__main__":
    if "--client" in sys.argv:
        raise SystemExit(client_main(sys.argv[1:]))
    options = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    options.add_argument("--rounds", type=int, default=ROUNDS)
    options.add_argument("--seconds", type=float, default=SECONDS)
    options.add_argument("--no-camera", action="store_true", help="only the runs without a camera")
    options.add_argument("--no-blocks", action="store_true", help="skip the block-size runs")
    options.add_argument(
        "--baseline", type=Path, help="another checkout of livetui (with this bench in it) to run alongside"
    )
    parsed = options.parse_args()
    cameras = (False,) if parsed.no_camera else (False, True)
    run(parsed.rounds, parsed.seconds, cameras, baseline=parsed.baseline, blocks=not parsed.no_blocks)
