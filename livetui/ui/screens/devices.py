"""The audio device picker: choose the microphone or the speaker among the devices PortAudio sees.

Devices are listed on a worker thread (the first listing loads PortAudio, which can take a moment). Picking
one dismisses the dialog with a `DeviceChoice`; the app switches the session's voice to it. Without
PortAudio or without devices, the dialog says so in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from livetui.media.audio.devices import AudioUnavailable, Device, Direction, list_devices


@dataclass(frozen=True)
class DeviceChoice:
    """The device the user picked."""

    direction: Direction
    """``input`` (a microphone) or ``output`` (a speaker)."""
    index: int
    """PortAudio's index of the device."""
    name: str
    """The device's name."""


def device_label(device: Device, direction: Direction, current: str) -> str:
    """One line of the list: the name and where it is; a star marks the default, an arrow the one in use."""
    star = " *" if device.is_default(direction) else ""
    using = "▸ " if current and device.name in current else "  "
    return f"{using}{device.name}  ({device.host_api}, {device.rate:g} Hz){star}"


class DevicesScreen(ModalScreen[DeviceChoice | None]):
    """A modal list of microphones and speakers; Enter picks one, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", tooltip="Close without changing anything."),
    ]
    """Keys of the dialog."""

    def __init__(self, *, mic: str = "", speaker: str = "") -> None:
        super().__init__()
        self.mic = mic
        """The microphone in use ("" when none)."""
        self.speaker = speaker
        """The speaker in use ("" when none)."""
        self.devices: list[Device] | None = None
        """The devices found (None until listed, or when PortAudio is unavailable)."""

    def compose(self) -> ComposeResult:
        """Title, the two lists, and a note."""
        with Vertical(id="devices-dialog"):
            yield Label("Audio devices", id="devices-title")
            yield Label("Microphone", classes="devices-heading")
            yield OptionList(id="devices-inputs")
            yield Label("Speaker", classes="devices-heading")
            yield OptionList(id="devices-outputs")
            yield Label("listing the devices…", id="devices-note")

    def on_mount(self) -> None:
        """List the devices off the event loop."""
        self.list_devices()

    @work(thread=True, name="list devices", group="devices", exit_on_error=False, description="devices")
    def list_devices(self) -> None:
        """Ask PortAudio for its devices (blocking) and show them."""
        try:
            devices = list_devices()
        except AudioUnavailable as error:
            self.app.call_from_thread(self.show_error, str(error))
            return
        self.app.call_from_thread(self.show_devices, devices)

    def show_devices(self, devices: list[Device]) -> None:
        """Fill both lists."""
        self.devices = devices
        lists: tuple[tuple[Direction, str], ...] = (("input", self.mic), ("output", self.speaker))
        for direction, current in lists:
            options = self.query_one(f"#devices-{direction}s", OptionList)
            chosen = [d for d in devices if d.carries(direction)]
            options.add_options(
                Option(device_label(d, direction, current), id=f"{direction}:{d.index}") for d in chosen
            )
            if not chosen:
                options.add_option(Option("  (none)", id=f"{direction}:none", disabled=True))
        note = "Enter picks a device (* is the system default); Esc closes."
        self.query_one("#devices-note", Label).update(note)
        self.query_one("#devices-inputs", OptionList).focus()

    def show_error(self, message: str) -> None:
        """Say why there is nothing to pick."""
        self.query_one("#devices-note", Label).update(message)

    @on(OptionList.OptionSelected)
    def _picked(self, message: OptionList.OptionSelected) -> None:
        option_id = message.option.id or ""
        direction, _, index = option_id.partition(":")
        if not index.isdigit() or self.devices is None:
            return
        device = next(d for d in self.devices if d.index == int(index))
        self.dismiss(DeviceChoice("input" if direction == "input" else "output", device.index, device.name))

    def action_close(self) -> None:
        """Close without a choice."""
        self.dismiss(None)
