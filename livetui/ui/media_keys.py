"""The camera and microphone keys of the app: mute, push-to-talk, audio devices, camera and snapshot.

`LiveApp` builds on `MediaKeys`. The app's `Runtime` owns the session, its voice and the camera; these keys
only call the runtime, and say in one notice line why they cannot (no microphone, no camera, a text-only
session).
"""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.widgets import Input, TextArea

from livetui import events as ev
from livetui.session.runtime import Runtime
from livetui.ui.screens.devices import DeviceChoice, DevicesScreen
from livetui.ui.screens.main import MainScreen
from livetui.ui.widgets.composer import Composer

NO_CAMERA = "no camera configured: start livetui with --camera 0, --camera test or --camera-file PATH"
"""The notice for the camera keys when no camera was configured."""

NO_MIC = "no microphone: pick one with the audio devices key, or start livetui with --mic-file PATH"
"""The notice for the microphone keys when there is no microphone."""
NO_PUSH_TO_TALK = (
    "push-to-talk is off: start livetui with --push-to-talk (the microphone then waits for this key)"
)
"""The notice for the talk key outside push-to-talk mode."""
NO_AUDIO = "this session has no audio (--text-only)"
"""The notice for the audio keys in a session without a microphone or speaker."""


class MediaKeys(App[None]):
    """The media keys' actions (the bindings themselves are the app's, so they can be remapped by id)."""

    runtime: Runtime
    """The session's runtime (the app's)."""
    main: MainScreen
    """The main screen (the app's)."""

    def _notice(self, text: str) -> None:
        """Show a notice line in the chat log (the app's own word: not journaled)."""
        self.main.deliver(ev.Notice(message=text), self.runtime)

    def _space_talks(self) -> bool:
        """Space toggles push-to-talk only in that mode, on the main screen, with the message box empty."""
        if not self.runtime.push_to_talk or self.screen is not self.main:
            return False
        focused = self.main.focused
        if isinstance(focused, Composer):
            return not focused.text
        return not isinstance(focused, Input | TextArea)

    def action_mute(self) -> None:
        """Mute or unmute the microphone."""
        if not self.runtime.mic_open:
            self._notice(NO_MIC)
        else:
            self.runtime.toggle_mute()

    def action_push_to_talk(self) -> None:
        """Push-to-talk: start talking (activityStart) or stop (activityEnd, the model answers)."""
        runtime = self.runtime
        if not runtime.push_to_talk:
            self._notice(NO_PUSH_TO_TALK)
        elif not runtime.mic_open:
            self._notice(NO_MIC)
        else:
            runtime.toggle_talk()

    def action_talk_key(self) -> None:
        """Space in push-to-talk mode, with the message box empty: the talk key."""
        self.action_push_to_talk()

    def action_audio_devices(self) -> None:
        """Choose the microphone and the speaker."""
        state = self.runtime.audio_state()
        if state is None:
            self._notice(NO_AUDIO)
            return
        self.push_screen(DevicesScreen(mic=state.mic, speaker=state.speaker), self._use_device)

    def _use_device(self, choice: DeviceChoice | None) -> None:
        if choice is not None:
            self.switch_device(choice)

    @work(
        name="switch device", group="audio", exclusive=True, exit_on_error=False, description="audio device"
    )
    async def switch_device(self, choice: DeviceChoice) -> None:
        """Open the chosen device in place of the current one (a failure is one notice; text goes on)."""
        await self.runtime.use_device(choice.direction, choice.index)

    def action_toggle_camera(self) -> None:
        """Switch the camera off (the device is released) or on again."""
        if self.runtime.camera is None:
            self._notice(NO_CAMERA)
        else:
            self.runtime.toggle_camera()

    def action_snapshot(self) -> None:
        """Send a camera frame now, whatever the rate (with the camera off, it is opened for one frame)."""
        if self.runtime.camera is None:
            self._notice(NO_CAMERA)
        else:
            self.runtime.snapshot()
