"""Settings: command-line flags > environment > TOML config file > defaults.

| source | where |
|---|---|
| flags | `livetui --model ...` (passed to :func:`load_settings` as overrides) |
| environment | `LIVETUI_<FIELD>` (`LIVETUI_MODEL`); the key also from `GEMINI_API_KEY` or `GOOGLE_API_KEY` |
| config file | `config.toml` in the user config directory, or the file named by `LIVETUI_CONFIG` |
| state file | `state.json` in the user state directory (or `LIVETUI_STATE_DIR`): what the app remembers |

A wrong value is reported in one line naming the flag, variable, or file and line it came from
(`livetui.config_sources`). The API key is a `SecretStr`: it is never printed, logged, journaled or exported.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_path, user_data_path, user_state_path
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from livetui.config_sources import KEY_PRECEDENCE, KEY_VARIABLES, blame, env_source

__all__ = [
    "KEY_VARIABLES",
    "ConfigError",
    "Settings",
    "config_file",
    "data_dir",
    "load_settings",
    "state_dir",
]

APP_NAME = "livetui"


def config_file() -> Path:
    """The TOML config file: `LIVETUI_CONFIG`, or `config.toml` in the user config directory."""
    override = os.environ.get("LIVETUI_CONFIG")
    return Path(override) if override else user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """Where sessions are journaled: `LIVETUI_DATA_DIR`, or the user data directory."""
    override = os.environ.get("LIVETUI_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME)


def state_dir() -> Path:
    """Where the app keeps what it remembers (the theme): `LIVETUI_STATE_DIR`, or the user state directory."""
    override = os.environ.get("LIVETUI_STATE_DIR")
    return Path(override) if override else user_state_path(APP_NAME)


class ConfigError(Exception):
    """The configuration cannot be used. The message is one line, fit to show a user."""


class Settings(BaseSettings):
    """Everything a user can configure."""

    model_config = SettingsConfigDict(env_prefix="LIVETUI_", extra="forbid", validate_default=True)

    provider: Literal["auto", "local", "gemini"] = "auto"
    """`gemini` talks to Google; `local` to the embedded server; `auto` picks Gemini when a key is set."""
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", *KEY_PRECEDENCE),
    )
    """The Gemini API key. Secret: never shown."""
    url_key: SecretStr | None = None
    """The key presented to a `--url` server started with one (`LIVETUI_URL_KEY`), in the
    `x-goog-api-key` header, never in the URL. Secret: never shown. The Gemini key is never sent there."""

    @field_validator("api_key", "url_key")
    @classmethod
    def _empty_is_none(cls, key: SecretStr | None) -> SecretStr | None:
        """An empty key (`GEMINI_API_KEY=`) is no key: it is refused as missing, never sent."""
        return key if key is not None and key.get_secret_value() else None

    model: str = "gemini-live-2.5-flash-preview"
    """The Gemini Live model (without the `models/` prefix)."""
    system_prompt: str | None = None
    """Instructions for the model, sent as the system instruction."""
    voice: str | None = None
    """The voice of spoken replies (e.g. `Kore`, `Puck`); the provider's default when unset."""
    text_route: Literal["client_content", "realtime_input"] = "client_content"
    """How typed text is sent. Use `realtime_input` for models that refuse mid-session `clientContent`."""
    brain: Literal["auto", "smollm2", "scripted"] = "auto"
    """The embedded server's brain: `auto` uses smollm2 when it is installed, else scripted."""
    script: Path | None = None
    """A script file for the scripted brain (JSON or TOML; see the README)."""
    tools: Path | None = None
    """A Python file whose public functions are offered to the model as tools (next to the built-in ones)."""
    tool_mode: Literal["auto", "confirm", "manual"] = "auto"
    """How function calls are answered: run at once, run once the user approves, or typed by the user."""
    tool_timeout: float = Field(default=10.0, gt=0)
    """Seconds a function may run before its call is answered with an error."""
    text_only: bool = False
    """Replies as text, with no microphone or speaker (the default is a spoken conversation)."""
    push_to_talk: bool = False
    """Send the microphone only while the push-to-talk key is toggled on (manual activity detection)."""
    half_duplex: bool = False
    """Hold the microphone back while the model speaks (for speakers without headphones: no echo)."""
    input_device: str | None = None
    """The microphone: a device index or part of its name (`livetui devices` lists them)."""
    output_device: str | None = None
    """The speaker: a device index or part of its name."""
    mic_file: Path | None = None
    """A WAV (or raw PCM16 16 kHz mono) file streamed in real time instead of the microphone."""
    mic_loop: bool = False
    """Play `mic_file` again from the start when it ends."""
    speaker_file: Path | None = None
    """A WAV file the model's speech is written to, in real time, instead of the speaker."""
    grammar: Path | None = None
    """A JSGF grammar for the embedded server's speech recognition (it then hears only its sentences)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key bindings by binding id, e.g. `{interrupt = "escape,ctrl+c"}`."""
    record: bool = True
    """Journal each session (its events, audio and camera frames) in the user data directory, so it can be
    exported afterwards; off: nothing is written."""
    camera: str | None = None
    """The camera to stream: a device index (`0`), a device path, or `test` for a moving test pattern."""
    camera_file: Path | None = None
    """An image or video file to stream as the camera instead (a video loops)."""
    camera_fps: float = Field(default=1.0, gt=0, le=30)
    """The most camera frames sent a second (Gemini takes at most 1)."""
    camera_size: int = Field(default=768, ge=16, le=4096)
    """The longest side of a sent frame, in pixels."""
    camera_quality: int = Field(default=80, ge=1, le=100)
    """JPEG quality of sent frames, 1-100."""
    context_compression: bool | None = None
    """Context-window compression (a sliding window), which keeps Gemini sessions with video from ending
    after about 2 minutes; None turns it on whenever a camera is configured."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init) > environment > TOML file > defaults."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_file()))

    @property
    def video(self) -> bool:
        """True when a camera (or a camera file) is configured."""
        return self.camera is not None or self.camera_file is not None

    @property
    def use_gemini(self) -> bool:
        """True when the session goes to Google rather than the embedded server."""
        if self.provider == "auto":
            return self.api_key is not None
        return self.provider == "gemini"


def load_settings(**overrides: Any) -> Settings:
    """Build settings from flags (the overrides that are not None), environment and config file.

    Raises:
        ConfigError: the config file is not valid TOML, or a value is wrong; one line naming the flag,
            environment variable, or file and line the value came from.
    """
    flags = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**flags)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        key = ".".join(str(p) for p in first["loc"][1:]) or None
        raise ConfigError(blame(field, first["msg"], flags=flags, config=config_file(), key=key)) from None
    except SettingsError as error:
        # A variable whose value cannot be parsed (a table setting that is not JSON, say).
        raise ConfigError(_unparsable(str(error))) from None
    except (ValueError, OSError) as error:
        message = " ".join(str(error).split())
        raise ConfigError(f"cannot read the config file {config_file()}: {message}") from None


def _unparsable(message: str) -> str:
    """One line for pydantic-settings' `error parsing value for field "x" from source "..."`."""
    field = message.split('"')[1] if message.count('"') >= 2 else ""
    variable = env_source(field) if field else None
    if variable is None:
        return " ".join(message.split())
    return f'{variable}: cannot parse the value (a table setting takes JSON, e.g. {{"key": "value"}})'
