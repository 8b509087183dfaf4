"""Settings in sections: the config file's tables, the environment's `LIVETUI_<SECTION>__<NAME>`, the old
top-level spellings (read, with one deprecation line each), and errors naming where a sectioned value
came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui.cli import build_parser, prepare_app
from livetui.config import ConfigError, load_settings
from livetui.server.app import LiveServer
from livetui.ui.app import LiveApp
from livetui.ui.widgets.entries import NoticeEntry
from tests.cli.running import isolate
from tests.ui.waiting import until


@pytest.fixture(autouse=True)
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty config file of the test's own, and no setting from the developer's environment."""
    return isolate(monkeypatch, tmp_path)


SECTIONED = """\
provider = "local"
voice = "Puck"

[gemini]
model = "gemini-2.5-flash-native-audio-latest"
text_route = "realtime_input"

[openai]
model = "gpt-realtime-mini"
base_url = "wss://example.test/v1"
turn_detection = "semantic_vad"

[local]
brain = "scripted"
dialect = "openai"

[audio]
half_duplex = true
input_device = "USB"

[camera]
device = "test"
fps = 0.5

[keymap]
interrupt = "ctrl+x"
"""


def test_a_sectioned_config_file_is_read_with_no_deprecation(config: Path) -> None:
    config.write_text(SECTIONED, encoding="utf-8")
    settings = load_settings()
    assert (settings.provider, settings.voice) == ("local", "Puck")
    assert settings.gemini.model == "gemini-2.5-flash-native-audio-latest"
    assert settings.gemini.text_route == "realtime_input"
    openai = settings.openai
    assert (openai.model, openai.base_url, openai.turn_detection) == (
        "gpt-realtime-mini",
        "wss://example.test/v1",
        "semantic_vad",
    )
    assert (settings.local.brain, settings.local.dialect, settings.dialect) == (
        "scripted",
        "openai",
        "openai",
    )
    assert (settings.audio.half_duplex, settings.audio.input_device) == (True, "USB")
    assert (settings.camera.device, settings.camera.fps, settings.video) == ("test", 0.5, True)
    assert settings.keymap == {"interrupt": "ctrl+x"}
    assert settings.deprecations == ()


def test_old_top_level_keys_still_work_with_one_deprecation_line_each(config: Path) -> None:
    config.write_text('model = "old-model"\ncamera = "test"\ncamera_fps = 2\nhalf_duplex = true\n', "utf-8")
    settings = load_settings()
    assert settings.gemini.model == "old-model"
    assert (settings.camera.device, settings.camera.fps, settings.audio.half_duplex) == ("test", 2.0, True)
    where = f"config file {config}"
    assert settings.deprecations == (
        f"model ({where}, line 1) is deprecated: write it as model under [gemini]",
        f"camera ({where}, line 2) is deprecated: write it as device under [camera]",
        f"camera_fps ({where}, line 3) is deprecated: write it as fps under [camera]",
        f"half_duplex ({where}, line 4) is deprecated: write it as half_duplex under [audio]",
    )


def test_the_new_spelling_wins_over_the_old_one_in_the_same_file(config: Path) -> None:
    config.write_text("camera_fps = 2\n[camera]\nfps = 3\n", encoding="utf-8")
    settings = load_settings()
    assert settings.camera.fps == 3.0
    [line] = settings.deprecations
    assert line.startswith("camera_fps (")


def test_sectioned_variables_beat_the_file_and_old_variables_still_work(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('[gemini]\nmodel = "from-file"\n[camera]\nsize = 100\n', encoding="utf-8")
    monkeypatch.setenv("LIVETUI_GEMINI__MODEL", "from-env")
    monkeypatch.setenv("LIVETUI_CAMERA_SIZE", "200")  # the old name: read, and named in a deprecation
    monkeypatch.setenv("LIVETUI_LOCAL__DIALECT", "openai")
    settings = load_settings()
    assert (settings.gemini.model, settings.camera.size, settings.local.dialect) == (
        "from-env",
        200,
        "openai",
    )
    assert settings.deprecations == ("LIVETUI_CAMERA_SIZE is deprecated: use LIVETUI_CAMERA__SIZE",)


def test_the_new_variable_wins_over_the_old_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_CAMERA_FPS", "2")
    monkeypatch.setenv("LIVETUI_CAMERA__FPS", "4")
    assert load_settings().camera.fps == 4.0


def test_flags_beat_the_environment_and_land_in_their_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_CAMERA__FPS", "4")
    settings = load_settings(camera_fps=2, camera="0", brain="scripted", push_to_talk=True, dialect="openai")
    assert (settings.camera.fps, settings.camera.device, settings.local.brain) == (2.0, "0", "scripted")
    assert (settings.audio.push_to_talk, settings.local.dialect) == (True, "openai")


@pytest.mark.parametrize(
    ("provider", "dialect", "section"),
    [("gemini", "gemini", "gemini"), ("openai", "gemini", "openai"), ("local", "openai", "openai")],
)
def test_model_is_the_model_of_the_provider_in_use(provider: str, dialect: str, section: str) -> None:
    settings = load_settings(provider=provider, dialect=dialect, model="chosen")
    other = "openai" if section == "gemini" else "gemini"
    assert getattr(settings, section).model == "chosen"
    assert getattr(settings, other).model != "chosen", "the other provider keeps its own"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[camera]\nfps = 0\n", "camera.fps: Input should be greater than 0 ({where}, line 2)"),
        ("camera.fps = 0\n", "camera.fps: Input should be greater than 0 ({where}, line 1)"),
        ('voice = "x"\ncamera_fps = 0\n', "camera.fps: Input should be greater than 0 ({where}, line 2)"),
        ("[camera]\nfsp = 1\n", "camera.fsp: Extra inputs are not permitted ({where}, line 2)"),
        ('[openai]\nturn_detection = "x"\n', "openai.turn_detection: Input should be 'server_vad' or "),
        (
            '[local]\ndialect = "klingon"\n',
            "local.dialect: Input should be 'gemini' or 'openai' ({where}, line 2)",
        ),
    ],
    ids=["section", "dotted key", "old key", "unknown key in a section", "openai choice", "dialect"],
)
def test_a_wrong_sectioned_value_in_the_file_names_its_line(config: Path, text: str, expected: str) -> None:
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(expected.format(where=f"config file {config}"))


def test_a_wrong_sectioned_variable_or_flag_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_OPENAI__TURN_DETECTION", "loud")
    with pytest.raises(ConfigError, match="^LIVETUI_OPENAI__TURN_DETECTION: Input should be 'server_vad'"):
        load_settings()
    with pytest.raises(ConfigError, match="^--turn-detection: Input should be 'server_vad'"):
        load_settings(turn_detection="loud")
    monkeypatch.delenv("LIVETUI_OPENAI__TURN_DETECTION")
    monkeypatch.setenv("LIVETUI_CAMERA_QUALITY", "0")  # an old name is blamed as it was spelled
    with pytest.raises(
        ConfigError, match="^LIVETUI_CAMERA_QUALITY: Input should be greater than or equal to 1"
    ):
        load_settings()


async def test_in_the_app_each_old_spelling_is_a_notice_of_the_chat_log_once(
    config: Path, monkeypatch: pytest.MonkeyPatch, live_server: LiveServer
) -> None:
    config.write_text("camera_size = 600\n", encoding="utf-8")
    monkeypatch.setenv("LIVETUI_MIC_LOOP", "false")
    options = build_parser().parse_args(["--text-only", "--no-record", "--url", live_server.url])
    app = prepare_app(options)
    assert isinstance(app, LiveApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.main.status.state == "live", "the session")
        notices = [entry.text for entry in app.main.chat.query(NoticeEntry)]
    assert notices[:2] == [
        "LIVETUI_MIC_LOOP is deprecated: use LIVETUI_AUDIO__MIC_LOOP",
        f"camera_size (config file {config}, line 1) is deprecated: write it as size under [camera]",
    ]
    assert sum("deprecated" in notice for notice in notices) == 2, "each is shown once"
