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
    from livetui.server.senses.tts import Synthesizer

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


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _window(seconds: float) -> tuple[float, float]:
    """CPU % of one core over `seconds`, and RSS (MB) at the end."""
    wall, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    return 100 * (time.process_time() - cpu) / (time.monotonic() - wall), _rss_mb()


async def _livetui(url: str, wav: Path, folder: Path, seconds: float, camera: bool) -> dict[str, Any]:
    """The real app, headless, against `url`."""
    from livetui.config import load_settings
    from livetui.session.audio_io import voice_for
    from livetui.session.connect import connect_to
    from livetui.ui.app import make_app

    settings = load_settings(
        mic_file=wav, speaker_file=folder / "livetui-out.wav", camera="test" if camera else None
    )
    app = make_app(settings, connect_to(url, settings), voice=voice_for(settings))
    async with app.run_test(size=(140, 45)):
        deadline = time.monotonic() + 30
        while app.session is None or not app.session.ready or app.voice is None:
            if time.monotonic() > deadline:
                raise TimeoutError("livetui did not go live")
            await asyncio.sleep(0.05)
        voice = app.voice
        await asyncio.sleep(WARMUP)
        blocks, played = voice.blocks_sent, voice.player.frames_played
        cpu, rss = await _window(seconds)
        return {
            "cpu": cpu,
            "rss": rss,
            "sent": voice.blocks_sent - blocks,
            "heard": (voice.player.frames_played - played) / voice.player.rate,
        }


async def _floor(url: str, cert: Path, wav: Path, seconds: float, camera: bool) -> dict[str, Any]:
    """The SDK floor client against `url`."""
    from bench.sdk_floor import FloorStats, run_floor
    from livetui.media.audio.pcm import BLOCK_SECONDS

    stats = FloorStats()
    base = url.replace("wss://", "https://")
    task = asyncio.create_task(run_floor(base, cert, wav, block_seconds=BLOCK_SECONDS, camera=camera, stats=stats))
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
    return {"cpu": cpu, "rss": rss, "sent": stats.blocks_sent - blocks, "heard": (stats.audio_bytes - heard) / 48000}


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
    args = parser.parse_args(argv)
    if args.client == "livetui":
        result = asyncio.run(_livetui(args.url, args.wav, args.folder, args.seconds, args.camera))
    else:
        result = asyncio.run(_floor(args.url, args.cert, args.wav, args.seconds, args.camera))
    print(json.dumps(result), flush=True)
    return 0


@dataclass
class _Runs:
    results: list[dict[str, Any]] = field(default_factory=list)

    def median(self, key: str) -> float:
        return median(result[key] for result in self.results)


def _run_client(kind: str, camera: bool, url: str, cert: Path, wav: Path, folder: Path, seconds: float) -> dict[str, Any]:
    env = {
        **os.environ,
        "SSL_CERT_FILE": str(cert),  # livetui trusts the server's self-signed certificate like any CA
        "LIVETUI_CONFIG": str(folder / "none.toml"),
        "LIVETUI_DATA_DIR": str(folder / "data"),
    }
    command = [sys.executable, "-m", "bench.bench_voice_cpu", "--client", kind, "--url", url]
    command += ["--cert", str(cert), "--wav", str(wav), "--folder", str(folder), "--seconds", str(seconds)]
    if camera:
        command.append("--camera")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} client failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(rounds: int = ROUNDS, seconds: float = SECONDS, cameras: tuple[bool, ...] = (False, True)) -> None:
    """Start the server, run the interleaved rounds, print the medians and ratios."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        wav, script = folder / "question.wav", folder / "script.json"
        _speech_wav(wav)
        script.write_text(json.dumps({"default": {"reply": STORY}}), encoding="utf-8")
        server = subprocess.Popen(
            [sys.executable, "-m", "livetui.server", "--tls", "--cert-dir", str(folder / "tls"), "--script", str(script)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline().strip()
            if not line.startswith("listening on "):
                raise RuntimeError(f"the server did not start: {line!r}")
            url, cert = line.removeprefix("listening on "), folder / "tls" / "cert.pem"
            runs = {(kind, camera): _Runs() for kind in ("livetui", "floor") for camera in cameras}
            for index in range(rounds):
                order = [(kind, camera) for camera in cameras for kind in ("livetui", "floor")]
                for kind, camera in order if index % 2 == 0 else order[::-1]:
                    result = _run_client(kind, camera, url, cert, wav, folder, seconds)
                    runs[(kind, camera)].results.append(result)
                    label = f"{kind}{' + camera' if camera else ''}"
                    print(
                        f"     round {index + 1} {label}: {result['cpu']:.2f} % CPU, {result['rss']:.0f} MB, "
                        f"{result['sent']} mic blocks sent, {result['heard']:.1f} s of reply audio",
                        flush=True,
                    )
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
        finally:
            server.terminate()
            server.wait(10)


def main() -> None:
    """The full run: 5 interleaved rounds of 30 s, with and without the camera."""
    run()


if __name__ == "__main__":
    if "--client" in sys.argv:
        raise SystemExit(client_main(sys.argv[1:]))
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=ROUNDS)
    options.add_argument("--seconds", type=float, default=SECONDS)
    options.add_argument("--no-camera", action="store_true", help="only the runs without a camera")
    parsed = options.parse_args()
    run(parsed.rounds, parsed.seconds, (False,) if parsed.no_camera else (False, True))
