"""Voice for a live session: the microphone streamed to the model, the model's speech played back.

`Voice` sits between a `LiveSession`, an `AudioSource` and an `AudioSink`:

- **Out**: it taps the session's events (:meth:`Voice.tap`), feeding `AudioOut` into the player's jitter
  buffer, which the sink pulls at the pace of playback. An interruption — `Interrupted` from the interrupt
  key, from a message typed over the reply, or from the server (barge-in) — flushes the player and the
  sink *inside the call that emits it*, before control returns to the event loop, and marks **k1**
  (playback silent). The session is told how many milliseconds of the turn were heard (`heard_ms`), so
  a provider that truncates (OpenAI Realtime) keeps only those. The first sample of each reply handed to
  the sink marks **t3**.
- **In**: it streams microphone blocks as ``realtimeInput.audio`` once the session is live, unless the
  microphone is muted (``audioStreamEnd`` is sent when it is muted), gated (half-duplex: held back while the
  model speaks, so it does not hear itself without headphones), or, in push-to-talk mode, the user is not
  talking (:meth:`Voice.toggle_talk` sends ``activityStart`` / ``activityEnd``).
- **Echo**: with an `EchoCanceller`, what the sink pulls is its far end and each microphone block is
  cleaned of the speaker's echo before it is metered and sent, so the model does not hear itself and the
  user can talk over it. If it cannot start, or fails, the voice goes half-duplex and says so in one line.

What it is doing is published as `AudioState` events, and the microphone's loudness as `MicLevel`. A
microphone or speaker that cannot be opened is one `Notice`; the session goes on without it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from livetui import events as ev
from livetui.media.audio.apm import EchoUnavailable
from livetui.media.audio.devices import AudioUnavailable, Direction
from livetui.media.audio.echo import EchoCanceller, EchoFailed
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.pcm import duration, level
from livetui.media.audio.player import PREBUFFER_SECONDS, Player
from livetui.media.audio.sink import AudioSink, padded
from livetui.media.audio.source import AudioSource
from livetui.media.audio.speaker import DeviceSink
from livetui.session.engine import Emit, LiveSession

LEVEL_SECONDS = 0.1
"""Microphone audio per `MicLevel` event (its loudness is the RMS of that audio): at most ten a second,
whatever the block size."""
LEVEL_STEPS = 48
"""Levels are reported in steps of 1/48 (a level meter's resolution); an unchanged level is not reported."""
GATE_TAIL_SECONDS = 0.3
"""Half-duplex: the microphone stays gated this long after the model's speech stops (the room's echo)."""


class Voice:
    """Microphone in, speech out, for one session (see the module docstring)."""

    def __init__(
        self,
        session: LiveSession,
        *,
        source: AudioSource | None = None,
        sink: AudioSink | None = None,
        push_to_talk: bool = False,
        half_duplex: bool = False,
        muted: bool = False,
        prebuffer: float = PREBUFFER_SECONDS,
        echo: EchoCanceller | None = None,
    ) -> None:
        self.session = session
        """The session the microphone streams to and the speech comes from."""
        self.source = source
        """The microphone (None: no microphone)."""
        self.sink = sink
        """Where speech is played (None: speech is not played)."""
        self.push_to_talk = push_to_talk
        """The microphone is sent only between `toggle_talk` presses, bracketed by activity signals."""
        self.half_duplex = half_duplex
        """The microphone is held back while the model speaks."""
        self.muted = muted
        """The user muted the microphone."""
        self.echo = echo
        """The echo canceller on the microphone (None: none, or it could not run)."""
        self.learning = echo is not None and echo.echo_cancellation
        """The echo canceller is still learning the room: until then the microphone is held while the
        model speaks, as in half-duplex (its first seconds would let echo through)."""
        self.mic_rate = session.provider.capabilities.audio_in_rate
        """The rate a microphone chosen later (`use_device`) is sent at: the provider's."""
        self.talking = False
        """Push-to-talk: the user is talking."""
        self.player = Player(prebuffer=prebuffer, clock=session.clock)
        """The jitter buffer the sink plays from."""
        self.mic_open = False
        """The microphone is capturing."""
        self.sink_open = False
        """The sink is playing."""
        self.blocks_sent = 0
        """Microphone blocks sent to the model."""
        self.blocks_held = 0
        """Microphone blocks not sent (muted, gated, not talking, or not connected)."""
        self._emit: Emit = lambda event: None
        self._forward: Emit = lambda event: None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pump: asyncio.Task[None] | None = None
        self._streaming = False
        self._gated = False
        self._gate_until = 0.0
        self._gate_timer: asyncio.TimerHandle | None = None
        self._metering: list[bytes] = []
        self._metered = 0.0
        self._level = -1.0
        self._published: ev.AudioState | None = None
        self._said: set[str] = set()
        self._heard_at: tuple[int, float] | None = None

    # -- events -------------------------------------------------------------------------------------------

    def tap(self, emit: Emit) -> Emit:
        """The emit to give `LiveSession.run`: the voice sees each event first, then `emit` gets it."""
        self._forward = emit

        def tapped(event: ev.AnyEvent) -> None:
            self.handle(event)
            emit(event)

        self._emit = tapped
        return tapped

    def handle(self, event: ev.AnyEvent) -> None:
        """React to one session event (called by the tapped emit, on the event loop)."""
        match event:
            case ev.AudioOut(turn=turn, pcm=pcm, rate=rate):
                if self.sink_open:
                    self.player.feed(turn, pcm, rate)
            case ev.Interrupted(turn=turn, by="server"):
                heard = self._heard(turn)
                self._silence(turn)
                if heard is not None:  # a barge-in: a provider that truncates keeps only what was heard
                    self.session.interrupt(heard_ms=heard, playing=turn)
            case ev.Interrupted(turn=turn):
                self._silence(turn)
            case ev.GenerationComplete(turn=turn) | ev.TurnComplete(turn=turn):
                self.player.end_turn(turn)
            case ev.InputTranscript(turn=turn, final=final) if not self.session.latency.has(turn, "t1"):
                if final:
                    self.session.mark(turn, "t0")  # the server heard the end of the utterance
                else:  # a model that never says finished: the last words heard before the reply end it
                    self._heard_at = (turn, self.session.clock())
            case ev.LatencyMark(turn=turn, mark="t1") if self._heard_at and self._heard_at[0] == turn:
                self.session.mark(turn, "t0", at=self._heard_at[1])
                self._heard_at = None
            case ev.VoiceActivity(speaking=True):
                self._talked_over()
            case ev.SetupComplete() | ev.Resumed():
                self._publish()
            case _:
                pass

    def _heard(self, turn: int) -> int | None:
        """Milliseconds of `turn` played, if its speech is playing now (read before the flush); None when
        it is not (a server acknowledging the user's own interruption, already silenced)."""
        if self.sink_open and self.player.speaking and self.player.playing_turn == turn:
            return self.player.played_ms(turn)
        return None

    def _talked_over(self) -> None:
        """The server heard the user start talking. Speech of a reply that has fully arrived (t4) but
        still plays is stopped as a barge-in on a reply in progress is (the server interrupts only a reply
        it is still making), and the session is told how much of it was heard."""
        turn = self.player.playing_turn
        heard = None if turn is None or not self.session.latency.has(turn, "t4") else self._heard(turn)
        if turn is None or heard is None:
            return
        self._silence(turn)
        self.session.interrupt(heard_ms=heard, playing=turn)
        self._forward(ev.Interrupted(turn=turn, by="server"))  # already silenced: not through `handle`

    def _silence(self, turn: int) -> None:
        """Drop every queued sample now, and mark k1 (playback silent) on `turn`."""
        if not self.sink_open:
            return
        self.player.flush()
        if self.sink is not None:
            self.sink.flush()
        self.session.mark(turn, "k1")

    # -- user actions -------------------------------------------------------------------------------------

    def interrupt(self, *, at: float | None = None) -> int | None:
        """The interrupt key: stop the reply and its speech now; returns the turn interrupted, if any.

        Speech still playing after the server finished the turn is silenced too (and the turn is shown as
        interrupted), so the key always brings silence. The session is told how many milliseconds of the
        playing turn were heard (a provider that truncates keeps only those).
        """
        at = self.session.clock() if at is None else at
        playing = self.player.playing_turn
        heard = self.player.played_ms(playing) if playing is not None and self.sink_open else None
        turn = self.session.interrupt(at=at, heard_ms=heard, playing=playing)
        if turn is None and self.player.speaking:
            turn = self.player.playing_turn
            if turn is not None:
                self.session.mark(turn, "k0", at=at)
                self._silence(turn)
                self._forward(ev.Interrupted(turn=turn, by="user"))  # already silenced: not through `handle`
        return turn

    def send_text(self, text: str, *, at: float | None = None) -> int:
        """Send a typed message; speech still playing is silenced first (typing over the model stops it),
        and a provider that truncates is told how much of it was heard."""
        at = self.session.clock() if at is None else at
        truncates = self.session.provider.capabilities.truncate_on_interrupt
        if self.player.speaking and (truncates or not self.session.replying):
            self.interrupt(at=at)
        return self.session.send_text(text, at=at)

    def toggle_mute(self) -> bool:
        """Mute or unmute the microphone; returns True when now muted."""
        self.muted = not self.muted
        if self.muted:
            if self.talking:
                self.toggle_talk()
            self._stop_streaming()
        self._publish()
        return self.muted

    def toggle_talk(self, *, at: float | None = None) -> bool:
        """Push-to-talk: start talking (``activityStart``) or stop (``activityEnd``); returns `talking`."""
        if not self.push_to_talk or not self.session.ready:
            return self.talking
        at = self.session.clock() if at is None else at
        if self.talking:
            self.talking = False
            self.session.activity_end(at=at)
        else:
            if self.muted:
                self.muted = False
            self.talking = True
            self.session.activity_start(at=at)
        self._publish()
        return self.talking

    def _stop_streaming(self) -> None:
        if self._streaming and not self.push_to_talk and self.session.ready:
            self.session.audio_stream_end()
        self._streaming = False

    # -- running ------------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Open the sink and the microphone and stream until cancelled; then close both."""
        self._loop = asyncio.get_running_loop()
        self.player.on_started = self._started
        self.player.on_change = self._player_changed
        try:
            await self._start_echo()
            if self.sink is not None:
                await self.use_sink(self.sink)
            if self.source is not None:
                await self.use_source(self.source)
            self._publish()
            await asyncio.Event().wait()
        finally:
            await self._close_source()
            await self._close_sink()
            if self.echo is not None:
                self.echo.close()

    async def use_source(self, source: AudioSource | None) -> bool:
        """Switch to another microphone (None: none); returns True if it opened."""
        await self._close_source()
        self.source = source
        if source is not None:
            try:
                await source.open()
            except AudioUnavailable as error:
                self._notice(f"{error}; text still works")
                await source.close()
            else:
                self.mic_open = True
                self._echo_delay()
                self._pump = asyncio.create_task(self._stream(source), name="microphone")
        self._publish()
        return self.mic_open

    async def use_sink(self, sink: AudioSink | None) -> bool:
        """Switch to another output (None: none); returns True if it opened."""
        await self._close_sink()
        self.sink = sink
        if sink is not None:
            try:
                await sink.open(self._pull)
            except AudioUnavailable as error:
                self._notice(f"{error}; text still works")
                await sink.close()
            else:
                self.player.set_rate(sink.rate)
                self.sink_open = True
                self._echo_delay()
        self._publish()
        return self.sink_open

    async def use_device(self, direction: Direction, device: int | str) -> bool:
        """Switch the microphone (``input``) or the speaker (``output``) to a PortAudio device."""
        if direction == "input":
            return await self.use_source(DeviceSource(device, rate=self.mic_rate))
        return await self.use_sink(DeviceSink(device))

    async def _close_source(self) -> None:
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        if self.mic_open and self.source is not None:
            self.mic_open = False
            self._stop_streaming()
            await self.source.close()

    async def _close_sink(self) -> None:
        if self.sink_open and self.sink is not None:
            self.sink_open = False
            self.player.flush()
            await self.sink.close()

    async def _stream(self, source: AudioSource) -> None:
        if source.recorded:
            await self.session.wait_ready()  # a recording is not spoken to nobody: none of it is lost
        while (block := await source.read()) is not None:
            if self.echo is not None:
                block = await self._cancel_echo(block, source.rate)
            self._meter(block, source.rate)
            if self._may_send():
                self.session.send_audio(block, rate=source.rate)
                self.blocks_sent += 1
                self._streaming = True
            else:
                self.blocks_held += 1
                if self._streaming and (self._gated or not self.session.ready):
                    self._streaming = False  # held back, not turned off: no audioStreamEnd
        self.mic_open = False
        self._stop_streaming()
        await source.close()
        self._notice(f"microphone: {source.name} ended")
        self._publish()

    # -- echo cancellation ------------------------------------------------------------------------------

    async def _start_echo(self) -> None:
        if self.echo is not None:
            try:
                await self.echo.start()
            except EchoUnavailable as error:
                self._lose_echo(str(error))

    def _pull(self, frames: int) -> bytes:
        """What the sink plays (on its thread): the player's audio, also handed to the echo canceller."""
        pcm = self.player.pull(frames)
        echo, sink = self.echo, self.sink
        if echo is not None and sink is not None:
            echo.render(padded(pcm, frames), sink.rate)  # padded: the silence is played too
        return pcm

    def _echo_delay(self) -> None:
        """The devices' own latency between playing and hearing, as they report it."""
        if self.echo is not None:
            out = self.sink.latency if self.sink is not None and self.sink_open else 0.0
            heard = self.source.latency if self.source is not None and self.mic_open else 0.0
            self.echo.delay = out + heard

    async def _cancel_echo(self, block: bytes, rate: int) -> bytes:
        assert self.echo is not None
        try:
            cleaned = await self.echo.capture(block, rate)
        except EchoFailed as error:
            self._lose_echo(f"echo cancellation failed ({error})")
            return block
        if self.learning and self.echo.converged:
            self.learning = False
            if self._gated and not self.half_duplex:
                self._gated = False  # learned mid-reply: the user may talk over it from now on
                self._publish()
        return cleaned

    def _lose_echo(self, reason: str) -> None:
        """The canceller cannot run: without it the model would hear itself, so go half-duplex."""
        echo, self.echo = self.echo, None
        if echo is None:
            return
        echo.close()
        self.learning = False
        if echo.echo_cancellation:
            self.half_duplex = True
            self._notice(f"{reason}: half-duplex instead (the microphone is held while the model speaks)")
            self._update_gate()
        else:
            self._notice(f"{reason}: the microphone is sent as it is")
        self._publish()

    def _may_send(self) -> bool:
        if self.muted or self._gated or not self.session.ready:
            return False
        return self.talking or not self.push_to_talk

    def _meter(self, block: bytes, rate: int) -> None:
        """Meter the blocks of each `LEVEL_SECONDS` together: one pass over them, not one per block."""
        self._metering.append(block)
        self._metered += duration(block, rate)
        if self._metered >= LEVEL_SECONDS - 1e-9:
            loud = round(level(b"".join(self._metering)) * LEVEL_STEPS) / LEVEL_STEPS
            self._metering.clear()
            self._metered = max(0.0, self._metered - LEVEL_SECONDS)  # 40 ms blocks: 3, 2, 3, 2... a report
            if loud != self._level:  # a steady level (silence, say) is not reported again
                self._level = loud
                self._forward(ev.MicLevel(level=loud))

    # -- player callbacks (any thread) --------------------------------------------------------------------

    def _started(self, turn: int, at: float) -> None:
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self._loop.call_soon_threadsafe(self._first_sample, turn, at)

    def _first_sample(self, turn: int, at: float) -> None:
        self.session.mark(turn, "t3", at=at)

    def _player_changed(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._update_gate)

    def _update_gate(self) -> None:
        """Half-duplex (or an echo canceller still learning): gate while the model speaks and for a short
        tail after; publish the new state."""
        if self._gate_timer is not None:
            self._gate_timer.cancel()
            self._gate_timer = None
        speaking = self.player.speaking
        if (self.half_duplex or self.learning) and self._loop is not None:
            now = self._loop.time()
            if speaking:
                self._gated = True
            elif self._gated:
                self._gate_until = now + GATE_TAIL_SECONDS
                self._gate_timer = self._loop.call_at(self._gate_until, self._open_gate)
        self._publish()

    def _open_gate(self) -> None:
        self._gate_timer = None
        if not self.player.speaking:
            self._gated = False
            self._publish()

    # -- state --------------------------------------------------------------------------------------------

    @property
    def gated(self) -> bool:
        """Half-duplex: the microphone is held back right now."""
        return self._gated

    def state(self) -> ev.AudioState:
        """The current state, as the status bar shows it."""
        echo = self.echo
        return ev.AudioState(
            mic=self.source.name if self.source is not None and self.mic_open else "",
            speaker=self.sink.name if self.sink is not None and self.sink_open else "",
            muted=self.muted,
            push_to_talk=self.push_to_talk,
            talking=self.talking,
            speaking=self.player.speaking,
            half_duplex=self.half_duplex,
            gated=self._gated,
            echo_cancel=echo is not None and echo.running and echo.echo_cancellation,
            noise_suppression=echo is not None and echo.running and echo.noise_suppression,
            underruns=self.player.underruns,
        )

    def _publish(self) -> None:
        state = self.state()
        if state != self._published:
            self._published = state
            self._forward(state)

    def _notice(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self._forward(ev.Notice(message=message))


async def run_with_voice(session: LiveSession, voice: Voice | None, emit: Emit) -> None:
    """Run `session` (and `voice`, when there is one) until the session ends; the voice stops with it."""
    if voice is None:
        await session.run(emit)
        return
    task = asyncio.create_task(voice.run(), name="voice")
    try:
        await session.run(voice.tap(emit))
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


VoiceFactory = Callable[[LiveSession], Voice | None]
"""Makes the voice of a session (None: a session without audio)."""
