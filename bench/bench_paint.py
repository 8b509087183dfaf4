"""Streaming paint: livetui's chat beside a bare Textual `Markdown` fed by `Markdown.get_stream`, interleaved.

One server (`bench.paint_server`, a child process) streams word-sized text deltas at 175 and 500 deltas/s
and unpaced, stamping each delta with the monotonic clock as it sends it. Each client runs headless
(`run_test`, 140×45) in this process: livetui's whole app connected to the server as `--url` does, and a
bare app whose only widget is a `Markdown` written through `Markdown.get_stream` by a plain WebSocket loop.
Every screen update either app renders is timestamped with the length of the reply's text it showed, so a
delta's lag is the time from its send to the first update that shows it. Printed per rate, medians over the
rounds: lag p50/p95/max, first paint (first delta sent → shown), finish lag (last delta sent → shown),
deltas/s (deltas over first send → last shown), and livetui / bare ratios. `BENCH_PAINT_ROUNDS` (default 3).

Both sides are measured alike, by the source their `Markdown` holds at each update. The bare `Markdown` is
as wide as livetui's reply and its view as high as livetui's chat log (both measured from livetui's app
at the same terminal size), so both wrap the same text into the same lines and scroll the same way; at
the full width of the terminal the bare reply would wrap into about half the lines and, at 500 deltas,
never scroll.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown
from websockets.asyncio.client import connect

from bench.isolation import isolated
from bench.paint_server import deltas
from livetui.config import load_settings
from livetui.session.connect import connect_to
from livetui.session.latency import percentile
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.chat import ChatLog

ROUNDS = int(os.environ.get("BENCH_PAINT_ROUNDS", "3"))
RATES = ((175, 500), (500, 1000), (0, 3000))
"""(deltas per second, 0 for unpaced; deltas in the reply)."""
SIZE = (140, 45)
TIMEOUT = 60.0


@dataclass
class Run:
    """One reply painted by one client."""

    lags: list[float]
    """Each delta's send → first update showing it, in seconds."""
    first: float
    """The first delta's lag."""
    finish: float
    """The last delta's lag."""
    rate: float
    """Deltas over first send → last delta shown, per second."""


@dataclass
class View:
    """livetui's reply as laid out in its chat log: the bare `Markdown` is given the same."""

    width: int = 0
    """The reply's text width, in cells."""
    height: int = 0
    """The chat log's view height, in lines."""


VIEW = View()
"""Measured from livetui's app at :data:`SIZE` before the first bare round."""


class Paints:
    """Every screen update an app renders: when, and how much of the reply it showed."""

    def __init__(self, app: App[Any], shown: Callable[[], int]) -> None:
        self.times: list[float] = []
        self.lengths: list[int] = []
        original = app._display

        def display(screen: Screen[Any], renderable: RenderableType | None) -> None:
            original(screen, renderable)
            if renderable is not None and not app._batch_count:
                self.times.append(time.monotonic())
                self.lengths.append(shown())

        app._display = display  # type: ignore[method-assign]

    def done(self, total: int) -> bool:
        """True once an update showed the whole reply."""
        return bool(self.lengths) and self.lengths[-1] >= total

    def run(self, sent: list[float], count: int) -> Run:
        """Each delta's lag against the server's send times."""
        ends, text = [], ""
        for delta in deltas(count):
            text += delta
            ends.append(len(text.rstrip()))  # trailing white space changes no cell: no update shows it
        lags, j = [], 0
        for at, wanted in zip(sent, ends, strict=True):
            while j < len(self.times) and (self.lengths[j] < wanted or self.times[j] < at):
                j += 1
            lags.append(self.times[min(j, len(self.times) - 1)] - at)
        last_shown = sent[-1] + lags[-1]
        return Run(lags, lags[0], lags[-1], count / max(last_shown - sent[0], 1e-9))


def _visible(count: int) -> int:
    """The length of the reply up to its last visible character."""
    return len("".join(deltas(count)).rstrip())


async def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the reply was not painted in time")
        await asyncio.sleep(0.002)


class BareApp(App[None]):
    """A `Markdown` widget streamed into through `Markdown.get_stream`, in a scroll view anchored to its end
    (as Textual's own chat examples have it: text below the screen would never be painted), sized as
    livetui's reply (:data:`VIEW`)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown()

    def on_mount(self) -> None:
        """Size the view and the text as livetui's, and keep the end of the reply in view."""
        view, markdown = self.query_one(VerticalScroll), self.query_one(Markdown)
        view.styles.height = VIEW.height
        view.styles.width = VIEW.width + 1  # and a scroll bar, as the chat log has
        view.styles.scrollbar_size_vertical = 1
        markdown.styles.padding = 0
        markdown.styles.width = VIEW.width
        view.anchor()

    async def converse(self, url: str, words: str) -> None:
        """One text turn: setup, the user's words, then every text delta written to the stream."""
        markdown = self.query_one(Markdown)
        async with connect(url, compression=None) as socket:
            await socket.send(json.dumps({"setup": {"model": "models/local"}}))
            await socket.recv()
            turn = {"turns": [{"role": "user", "parts": [{"text": words}]}], "turnComplete": True}
            await socket.send(json.dumps({"clientContent": turn}))
            stream = Markdown.get_stream(markdown)
            async for raw in socket:
                content = json.loads(raw).get("serverContent", {})
                for part in content.get("modelTurn", {}).get("parts", []):
                    await stream.write(part["text"])
                if content.get("turnComplete"):
                    break
            await stream.stop()


async def _bare(url: str, words: str, count: int, sent_line: asyncio.StreamReader) -> Run:
    total = _visible(count)
    app = BareApp()
    async with app.run_test(size=SIZE):
        markdown = app.query_one(Markdown)
        paints = Paints(app, lambda: len(markdown.source))
        worker = app.run_worker(app.converse(url, words))
        sent = json.loads(await asyncio.wait_for(sent_line.readline(), TIMEOUT))["sent"]
        await _until(lambda: paints.done(total))
        await worker.wait()
    return paints.run(sent, count)


def _shown_by(app: LiveApp) -> Callable[[], int]:
    def shown() -> int:
        turn = app.query_one(ChatLog).turn(1)
        markdown = None if turn is None else next(iter(turn.query(Markdown)), None)  # not yet composed
        return 0 if markdown is None else len(markdown.source)

    return shown


def _measure_view(app: LiveApp) -> None:
    """Note the size of livetui's reply text and chat view, once, for the bare app."""
    if VIEW.width:
        return
    chat = app.query_one(ChatLog)
    turn = chat.turn(1)
    assert turn is not None
    VIEW.width = turn.markdown.content_size.width
    VIEW.height = chat.scrollable_content_region.height


async def _livetui(url: str, words: str, count: int, sent_line: asyncio.StreamReader) -> Run:
    total = _visible(count)
    settings = load_settings(provider="local", text_only=True)
    app = make_app(settings, connect_to(url, settings))
    async with app.run_test(size=SIZE):
        await _until(lambda: app.session is not None and app.session.ready)
        paints = Paints(app, _shown_by(app))
        for char in words:
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("enter", "\r"))
        sent = json.loads(await asyncio.wait_for(sent_line.readline(), TIMEOUT))["sent"]
        await _until(lambda: paints.done(total))
        _measure_view(app)
    return paints.run(sent, count)


def _median(runs: list[Run], pick: Callable[[Run], float]) -> float:
    return statistics.median(pick(run) for run in runs)


def _row(name: str, runs: list[Run]) -> str:
    ms = [[lag * 1000 for lag in run.lags] for run in runs]
    p50 = statistics.median(percentile(lags, 50) for lags in ms)
    p95 = statistics.median(percentile(lags, 95) for lags in ms)
    top = statistics.median(max(lags) for lags in ms)
    first = _median(runs, lambda r: r.first) * 1000
    finish = _median(runs, lambda r: r.finish) * 1000
    rate = _median(runs, lambda r: r.rate)
    return (
        f"   {name:8s} lag p50 {p50:6.1f}  p95 {p95:6.1f}  max {top:7.1f} ms | first paint {first:6.1f} ms |"
        f" finish lag {finish:7.1f} ms | {rate:6.0f} deltas/s"
    )


def _p95(runs: list[Run]) -> float:
    return statistics.median(percentile([lag * 1000 for lag in run.lags], 95) for run in runs)


def _ratios(ours: list[Run], bare: list[Run]) -> str:
    def ratio(pick: Callable[[Run], float]) -> float:
        return _median(ours, pick) / max(_median(bare, pick), 1e-9)

    p95 = _p95(ours) / max(_p95(bare), 1e-9)
    first, capacity = ratio(lambda r: r.first), ratio(lambda r: r.rate)
    return (
        f"   ratios: lag p95 {p95:.2f}× (≤ 1.5×), first paint {first:.2f}× (≤ 2×),"
        f" capacity {capacity:.2f}× (≥ 1×)"
    )


async def main() -> None:
    """Start the server, run the rounds interleaved, print a block per rate."""
    with isolated():
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.paint_server", stdout=asyncio.subprocess.PIPE
        )
        assert server.stdout is not None
        try:
            port = int((await server.stdout.readline()).split()[1])
            url = f"ws://127.0.0.1:{port}"
            for rate, count in RATES:
                words = f"rate {rate} n {count}"
                ours: list[Run] = []
                bare: list[Run] = []
                for round_ in range(ROUNDS):
                    order = [(_livetui, ours), (_bare, bare)]  # livetui first: the bare app takes its VIEW
                    for client, runs in order if round_ % 2 == 0 else order[::-1]:
                        runs.append(await client(url, words, count, server.stdout))
                print(
                    f"   {'unpaced' if rate == 0 else f'{rate} deltas/s'}, {count} deltas, {ROUNDS} rounds:"
                )
                print(_row("livetui", ours))
                print(_row("bare", bare))
                print(_ratios(ours, bare), flush=True)
        finally:
            server.kill()
            await server.wait()
