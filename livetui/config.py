"""Settings: command-line flags > environment > TOML config file > defaults, in sections.

| source | where |
|---|---|
| flags | `livetui --camera-fps 2 ...` (given to :func:`load_settings` by flag name; `livetui.cli_flags`) |
| environment | `LIVETUI_<FIELD>` at the top level (`LIVETUI_VOICE`), `LIVETUI_<SECTION>__<FIELD>` in a
  section (`LIVETUI_CAMERA__FPS`); the keys also from `GEMINI_API_KEY` / `GOOGLE_API_KEY`, `OPENAI_API_KEY` |
| config file | `config.toml` in the user config directory, or the file named by `LIVETUI_CONFIG`; sections
  are tables (`[camera]` then `fps = 2`) |
| state file | `state.json` in the user state directory (or `LIVETUI_STATE_DIR`): what the app remembers |

The spellings from before the sections (`camera_fps = 2`, `LIVETUI_CAMERA_FPS`) still work, each with one
deprecation line (`Settings.deprecations`). A wrong value is reported in one line naming the flag, variable,
or file and line it came from (`livetui.config_sources`). The API keys are `SecretStr`: never printed,
logged, journaled or exported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_path, user_data_path, user_state_path
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from livetui.cli_flags import BY_NAME, PROVIDER_MODEL
from livetui.config_sources import (
    UnparsableVariable,
    blame,
    deprecations,
    key_variables,
    read_environment,
    translate,
)

__all__ = [
    "AudioSettings",
    "CameraSettings",
    "ConfigError",
    "GeminiSettings",
    "LocalSettings",
    "OpenAISettings",
    "Settings",
    "VertexSettings",
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


Provider = Literal["gemini", "vertex", "openai", "local"]
"""What a session talks to, once `auto` is decided."""


def _no_empty_key(key: SecretStr | None) -> SecretStr | None:
    """An empty key (`GEMINI_API_KEY=`) is no key: it is refused as missing, never sent."""
    return key if key is not None and key.get_secret_value() else None


class Section(BaseModel):
    """A `[section]` of the settings: unknown names in it are refused."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class GeminiSettings(Section):
    """`[gemini]`: Google's Gemini Live API."""

    api_key: SecretStr | None = None
    """The Gemini API key (`GEMINI_API_KEY`, `GOOGLE_API_KEY` or `LIVETUI_GEMINI__API_KEY`). Secret: never
    shown."""
    model: str = "gemini-live-2.5-flash-preview"
    """The Gemini Live model (without the `models/` prefix)."""
    text_route: Literal["client_content", "realtime_input"] = "client_content"
    """How typed text is sent to Gemini: `realtime_input` for models that refuse mid-session
    `clientContent`."""
    context_compression: bool | None = None
    """Context-window compression (a sliding window), so Gemini sessions with video are not cut after about
    2 minutes; unset: on whenever a camera is configured."""
    thinking: Literal["default", "minimal", "low", "medium", "high"] = "default"
    """How hard the model thinks before it answers: `minimal`, `low`, `medium` or `high` (sent as
    `thinkingLevel`), or `default` to leave it to the model."""
    thinking_budget: int | None = Field(default=None, ge=-1)
    """Tokens the model may think with (`thinkingBudget`; 0: none, -1: as it sees fit), for models that take
    a budget rather than a level."""
    include_thoughts: bool | None = None
    """Show the model's thoughts (`includeThoughts`) as dimmed text above its reply."""
    explicit_vad_signal: bool = False
    """Ask Gemini to signal the start and end of the user's speech (`explicitVadSignal`)."""
    proactive_audio: bool = False
    """Let the model choose not to answer what is not meant for it (`proactivity.proactiveAudio`)."""
    transcription: dict[str, Any] = Field(default_factory=dict)
    """`[gemini.transcription]`: options of both transcriptions (`AudioTranscriptionConfig`: `languageCodes`,
    `languageHints`, `customVocabulary`, `wordTimestamp`, `diarization`...), sent as given."""
    setup_extra: dict[str, Any] = Field(default_factory=dict)
    """`[gemini.setup_extra]`: fields merged into the `setup` message as given, for API fields livetui does
    not name yet."""

    _key = field_validator("api_key")(_no_empty_key)


class VertexSettings(Section):
    """`[vertex]`: Gemini Live on Google Cloud's Vertex AI (it shares the `[gemini]` options)."""

    project: str | None = None
    """The Google Cloud project (`GOOGLE_CLOUD_PROJECT`)."""
    location: str = "us-central1"
    """The Google Cloud region, or `global` (`GOOGLE_CLOUD_LOCATION`)."""
    model: str = "gemini-live-2.5-flash"
    """The Vertex AI Live model (without `publishers/google/models/`)."""
    access_token: SecretStr | None = None
    """An OAuth access token (`GOOGLE_CLOUD_ACCESS_TOKEN`); unset: application-default credentials, with the
    `vertex` extra installed. Secret: never shown."""
    api_key: SecretStr | None = None
    """A Vertex AI express-mode API key (`LIVETUI_VERTEX__API_KEY`), instead of a project and a token.
    Secret: never shown."""

    _key = field_validator("api_key", "access_token")(_no_empty_key)


class OpenAISettings(Section):
    """`[openai]`: the OpenAI Realtime API, and the services that speak it (Azure OpenAI, xAI, others)."""

    api_key: SecretStr | None = None
    """The OpenAI (or Azure, xAI...) API key (`OPENAI_API_KEY` or `LIVETUI_OPENAI__API_KEY`). Secret: never
    shown."""
    model: str = "gpt-realtime"
    """The Realtime model."""
    base_url: str | None = None
    """The Realtime endpoint of Azure OpenAI, xAI (`wss://api.x.ai/v1`) or a compatible server; unset:
    OpenAI's."""
    azure_deployment: str | None = None
    """The Azure OpenAI deployment (with an Azure `base_url`)."""
    api_version: str | None = None
    """The Azure OpenAI `api-version`."""
    turn_detection: Literal["server_vad", "semantic_vad"] = "server_vad"
    """How the server hears the end of the user's speech: by silence, or by what was said."""

    _key = field_validator("api_key")(_no_empty_key)


class LocalSettings(Section):
    """`[local]`: the embedded local live server."""

    brain: Literal["auto", "smollm2", "scripted", "openai-compat"] = "auto"
    """The local server's brain: `auto` uses smollm2 when it is installed, else scripted; `openai-compat`:
    the model server at `brain_url`."""
    script: Path | None = None
    """A script for the scripted brain (JSON or TOML; see the README)."""
    grammar: Path | None = None
    """A JSGF grammar for the local server's speech recognition (it then hears only its sentences)."""
    dialect: Literal["gemini", "openai"] = "gemini"
    """The protocol spoken with the local server: Gemini Live's, or OpenAI Realtime's."""
    brain_url: str | None = None
    """The OpenAI-compatible API of the model server the `openai-compat` brain uses (Ollama:
    `http://localhost:11434/v1`)."""
    brain_model: str | None = None
    """The model the `openai-compat` brain asks for; unset: the one its server lists."""
    brain_key_env: str | None = None
    """The environment variable holding the API key of that model server (the key is never a setting)."""


class AudioSettings(Section):
    """`[audio]`: the microphone and the speaker."""

    push_to_talk: bool = False
    """Send the microphone only while the talk key is toggled on (no voice-activity detection)."""
    half_duplex: bool = False
    """Hold the microphone back while the model speaks (speakers without headphones: no echo)."""
    input_device: str | None = None
    """The microphone: a device index or part of its name (`livetui devices` lists them)."""
    output_device: str | None = None
    """The speaker: a device index or part of its name."""
    mic_file: Path | None = None
    """A WAV (or raw PCM16 16 kHz mono) file streamed in real time instead of the microphone."""
    mic_loop: bool = False
    """Play the microphone file again from the start when it ends."""
    speaker_file: Path | None = None
    """A WAV file the model's speech is written to, in real time, instead of the speaker."""
    echo_cancel: Literal["auto", "on", "off"] = "auto"
    """Cancel the speaker's echo in the microphone, so you can talk over the model on speakers: `auto` when
    both are devices (and not half-duplex), `on` also with files; half-duplex if it cannot run."""
    noise_suppression: bool = False
    """Suppress steady background noise (fans, hum) in the microphone."""


class CameraSettings(Section):
    """`[camera]`: what is streamed as the camera, and how often."""

    device: str | None = None
    """The camera to stream: a device index (`0`), a device path, or `test` for a moving test pattern."""
    file: Path | None = None
    """An image or video file to stream as the camera instead (a video loops)."""
    fps: float = Field(default=1.0, gt=0, le=30)
    """The most camera frames sent a second (Gemini takes at most 1)."""
    size: int = Field(default=768, ge=16, le=4096)
    """The longest side of a sent frame, in pixels."""
    quality: int = Field(default=80, ge=1, le=100)
    """JPEG quality of sent frames, 1-100."""


class Price(Section):
    """One model's published price, in US dollars per million tokens, by modality (None: not priced)."""

    text_in: float | None = Field(default=None, ge=0)
    """Text (and instructions, tool results) the model reads."""
    audio_in: float | None = Field(default=None, ge=0)
    """Audio the model hears."""
    image_in: float | None = Field(default=None, ge=0)
    """Pictures (and video frames) the model sees."""
    text_out: float | None = Field(default=None, ge=0)
    """Text the model writes."""
    audio_out: float | None = Field(default=None, ge=0)
    """Audio the model speaks."""
    taken: str = ""
    """When the price was read from the provider's page (`YYYY-MM-DD`)."""


DEFAULT_PRICES: dict[str, Price] = {
    "gemini/gemini-live-2.5-flash-preview": Price(
        text_in=0.50, audio_in=3.00, image_in=3.00, text_out=2.00, audio_out=12.00, taken="2026-12-01"
    ),
    "openai/gpt-realtime": Price(
        text_in=4.00, audio_in=32.00, image_in=5.00, text_out=16.00, audio_out=64.00, taken="2026-12-01"
    ),
}
"""The published prices of the default models (Google's Gemini API pricing page, OpenAI's model page),
by `provider/model`, with the date they were taken; `[prices."provider/model"]` in the config file adds
or replaces one."""


class Settings(BaseSettings):
    """Everything a user can configure."""

    model_config = SettingsConfigDict(extra="forbid", validate_default=True)

    provider: Literal["auto", "local", "gemini", "vertex", "openai"] = "auto"
    """`gemini`: Google's Live API; `vertex`: Gemini on Google Cloud's Vertex AI; `openai`: the OpenAI
    Realtime API (or Azure, xAI...); `local`: the embedded server; `auto`: Gemini when its key is set, else
    OpenAI when its key is set, else local."""
    system_prompt: str | None = None
    """Instructions for the model, sent as the system instruction."""
    voice: str | None = None
    """The voice of spoken replies (e.g. `Kore`, `Puck`, `marin`); the provider's default when unset."""
    tools: Path | None = None
    """A Python file whose public functions are offered to the model as tools (next to the built-in ones)."""
    tool_mode: Literal["auto", "confirm", "manual"] = "auto"
    """How function calls are answered: run at once, run once the user approves, or typed by the user."""
    tool_timeout: float = Field(default=10.0, gt=0)
    """Seconds a function may run before its call is answered with an error."""
    text_only: bool = False
    """Replies as text, with no microphone or speaker (the default is a spoken conversation)."""
    record: bool = True
    """Journal each session (its events, audio and camera frames) in the user data directory, for `livetui
    export`; off: nothing is written."""
    url_key: SecretStr | None = None
    """The key presented to a `--url` server started with one (`LIVETUI_URL_KEY`), in the
    `x-goog-api-key` header, never in the URL. Secret: never shown. The provider keys are never sent there."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key bindings by binding id, e.g. `{interrupt = "escape,ctrl+c"}`."""
    prices: dict[str, Price] = Field(default_factory=lambda: dict(DEFAULT_PRICES))
    """Prices per million tokens by `provider/model`, for the estimated cost in the status bar; the
    default models' are built in, and a table here adds or replaces one."""
    gemini: GeminiSettings = Field(default_factory=GeminiSettings)
    """`[gemini]`: Google's Gemini Live API."""
    vertex: VertexSettings = Field(default_factory=VertexSettings)
    """`[vertex]`: Gemini Live on Google Cloud's Vertex AI."""
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    """`[openai]`: the OpenAI Realtime API and compatible services."""
    local: LocalSettings = Field(default_factory=LocalSettings)
    """`[local]`: the embedded local live server."""
    audio: AudioSettings = Field(default_factory=AudioSettings)
    """`[audio]`: the microphone and the speaker."""
    camera: CameraSettings = Field(default_factory=CameraSettings)
    """`[camera]`: what is streamed as the camera."""

    _url_key = field_validator("url_key")(_no_empty_key)

    @field_validator("prices")
    @classmethod
    def _with_defaults(cls, prices: dict[str, Price]) -> dict[str, Price]:
        """The built-in prices, with the configured ones added or in their place."""
        return {**DEFAULT_PRICES, **prices}

    _deprecations: tuple[str, ...] = PrivateAttr(default=())

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init) > environment > TOML file > defaults; the environment and the file may use the old
        spellings, which are moved into their sections as they are read."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (
            init_settings,
            _Layer(settings_cls, lambda: read_environment(SETTINGS)),
            _Layer(settings_cls, lambda: translate(toml())),
        )

    @property
    def deprecations(self) -> tuple[str, ...]:
        """One line for each old spelling these settings were read from (set by `load_settings`)."""
        return self._deprecations

    @property
    def video(self) -> bool:
        """True when a camera (or a camera file) is configured."""
        return self.camera.device is not None or self.camera.file is not None

    @property
    def provider_in_use(self) -> Provider:
        """What the session talks to: the provider asked for, or for `auto` the first with a key (Gemini,
        then OpenAI), else the local server."""
        if self.provider != "auto":
            return self.provider
        if self.gemini.api_key is not None:
            return "gemini"
        return "openai" if self.openai.api_key is not None else "local"

    @property
    def use_gemini(self) -> bool:
        """True when the session goes to Google."""
        return self.provider_in_use == "gemini"

    @property
    def dialect(self) -> Literal["gemini", "openai"]:
        """The protocol the session speaks: its provider's, or on the local server `local.dialect`."""
        provider = self.provider_in_use
        if provider == "vertex":
            return "gemini"
        return self.local.dialect if provider == "local" else provider


class _Layer(PydanticBaseSettingsSource):
    """One source of settings, already in sections."""

    def __init__(self, settings_cls: type[BaseSettings], read: Callable[[], dict[str, Any]]) -> None:
        super().__init__(settings_cls)
        self._read = read

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Unused: the whole layer is read at once."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return self._read()


def _paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The path of every setting of `model` (`camera.fps`), sections opened."""
    paths: list[str] = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, Section):
            paths.extend(_paths(kind, f"{prefix}{name}."))
        else:
            paths.append(prefix + name)
    return paths


SETTINGS: tuple[str, ...] = tuple(_paths(Settings))
"""The path of every setting (`provider`, `camera.fps`, `gemini.api_key`)."""
SECTIONS = frozenset(path.partition(".")[0] for path in SETTINGS if "." in path)
"""The names of the sections."""
KEY_VARIABLES: dict[Provider, tuple[str, ...]] = {
    "gemini": key_variables("gemini"),
    "openai": key_variables("openai"),
}
"""The variables each provider's key is read from, as messages name them."""


def load_settings(**flags: Any) -> Settings:
    """Build settings from flags, environment and config file. `flags` are by flag name (`camera_fps`
    for `--camera-fps`, `model` for `--model`: the model of the provider in use); None is not given.

    Raises:
        ConfigError: the config file is not valid TOML, or a value is wrong; one line naming the flag,
            environment variable, or file and line the value came from.
    """
    given = {name: value for name, value in flags.items() if value is not None}
    model = given.pop(PROVIDER_MODEL, None)
    tree: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for name, value in given.items():
        flag = BY_NAME[name]
        section, _, leaf = flag.path.rpartition(".")
        (tree.setdefault(section, {}) if section else tree)[leaf] = value
        spelled[flag.path] = flag.spelling
    try:
        settings = Settings(**tree)
    except ValidationError as error:
        raise ConfigError(_blame(error, spelled)) from None
    except UnparsableVariable as error:
        raise ConfigError(str(error)) from None
    except (ValueError, OSError) as error:
        message = " ".join(str(error).split())
        raise ConfigError(f"cannot read the config file {config_file()}: {message}") from None
    if model is not None:
        section = "vertex" if settings.provider_in_use == "vertex" else settings.dialect
        chosen = getattr(settings, section).model_copy(update={"model": str(model)})
        settings = settings.model_copy(update={section: chosen})
    settings._deprecations = deprecations(config_file())
    return settings


def _blame(error: ValidationError, flags: Mapping[str, str]) -> str:
    """The first error of `error`, in one line naming where the value came from."""
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]] or ["settings"]
    cut = 2 if loc[0] in SECTIONS and len(loc) > 1 else 1
    path, key = ".".join(loc[:cut]), ".".join(loc[cut:]) or None
    return blame(path, first["msg"], flags=flags, config=config_file(), key=key)
