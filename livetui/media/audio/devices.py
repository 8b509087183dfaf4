"""Audio devices through sounddevice (PortAudio), imported only when needed.

Importing sounddevice raises ``OSError`` when the PortAudio library is missing; that, an empty device list
and a device that cannot be opened all become :class:`AudioUnavailable` with one line a user can read.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

Direction = Literal["input", "output"]
"""Which way a device carries sound."""

NO_PORTAUDIO = "no audio devices: the PortAudio library is not installed (on Debian/Ubuntu: libportaudio2)"
"""What a user reads when sounddevice cannot load PortAudio."""


class AudioUnavailable(Exception):
    """Sound cannot be used (no PortAudio, no device, a device that will not open). One line."""


def load_sounddevice() -> Any:
    """The sounddevice module.

    Raises:
        AudioUnavailable: PortAudio is missing or broken.
    """
    try:
        module: ModuleType = importlib.import_module("sounddevice")
    except OSError:
        raise AudioUnavailable(NO_PORTAUDIO) from None
    except ImportError as error:
        raise AudioUnavailable(f"no audio devices: sounddevice cannot be imported ({error})") from None
    return module


@dataclass(frozen=True)
class Device:
    """One PortAudio device."""

    index: int
    """PortAudio's index (what ``--input-device`` / ``--output-device`` accept, besides a name)."""
    name: str
    """The device's name."""
    host_api: str
    """ALSA, JACK, Core Audio, WASAPI..."""
    inputs: int
    """Input channels (0 for an output-only device)."""
    outputs: int
    """Output channels (0 for an input-only device)."""
    rate: float
    """The device's default sample rate."""
    default_input: bool = False
    """True for the system's default input."""
    default_output: bool = False
    """True for the system's default output."""

    def carries(self, direction: Direction) -> bool:
        """True if the device has channels in that direction."""
        return (self.inputs if direction == "input" else self.outputs) > 0

    def is_default(self, direction: Direction) -> bool:
        """True if it is the system default for that direction."""
        return self.default_input if direction == "input" else self.default_output


def list_devices() -> list[Device]:
    """Every input and output device PortAudio sees (empty without a sound card).

    Raises:
        AudioUnavailable: PortAudio is missing.
    """
    sd = load_sounddevice()
    apis = [api["name"] for api in sd.query_hostapis()]
    default_in, default_out = (int(i) for i in sd.default.device)
    return [
        Device(
            index=int(info["index"]),
            name=str(info["name"]),
            host_api=apis[int(info["hostapi"])] if int(info["hostapi"]) < len(apis) else "?",
            inputs=int(info["max_input_channels"]),
            outputs=int(info["max_output_channels"]),
            rate=float(info["default_samplerate"]),
            default_input=int(info["index"]) == default_in,
            default_output=int(info["index"]) == default_out,
        )
        for info in sd.query_devices()
    ]


def find_device(spec: str | int | None, direction: Direction, devices: list[Device] | None = None) -> Device:
    """The device `spec` names for `direction`: an index, a (case-insensitive) part of a name, or the default.

    `devices` is the list to choose from (default: what PortAudio sees now).

    Raises:
        AudioUnavailable: no PortAudio, no such device, or no device at all in that direction.
    """
    everything = list_devices() if devices is None else devices
    if not everything:
        raise AudioUnavailable("no audio devices found (no sound card?)")
    devices = [d for d in everything if d.carries(direction)]
    if not devices:
        raise AudioUnavailable(f"no audio {direction} device found")
    if spec is None or spec == "":
        for device in devices:
            if device.is_default(direction):
                return device
        return devices[0]
    text = str(spec).strip()
    if text.isdigit():
        for device in devices:
            if device.index == int(text):
                return device
        raise AudioUnavailable(f"no audio {direction} device with index {text}")
    matches = [d for d in devices if text.lower() in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == text.lower()]
    if exact or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise AudioUnavailable(f"no audio {direction} device named {text!r}")
    names = ", ".join(repr(d.name) for d in matches[:4])
    raise AudioUnavailable(f"{text!r} names several audio {direction} devices: {names}")


def describe_portaudio_error(error: BaseException) -> str:
    """One line for an error PortAudio raised while opening or running a stream."""
    return " ".join(str(error).split()) or type(error).__name__


def format_devices(devices: list[Device]) -> str:
    """The device table ``livetui devices`` prints: inputs, then outputs, defaults starred."""
    lines: list[str] = []
    titles: tuple[tuple[Direction, str], ...] = (("input", "Input devices"), ("output", "Output devices"))
    for direction, title in titles:
        chosen = [d for d in devices if d.carries(direction)]
        lines.append(f"{title}:")
        if not chosen:
            lines.append("  (none)")
        for device in chosen:
            star = "*" if device.is_default(direction) else " "
            channels = device.inputs if direction == "input" else device.outputs
            where = f"{device.host_api}, {channels} ch, {device.rate:g} Hz"
            lines.append(f" {star}{device.index:>3}  {device.name}  ({where})")
    return "\n".join(lines)
