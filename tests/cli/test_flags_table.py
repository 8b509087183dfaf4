"""The flags are made from one table: every setting has a flag or is config-only on purpose, each flag's
help, choices and kind come from the setting's declaration, and each flag sets the setting it names."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from livetui.cli import build_parser
from livetui.cli_flags import BY_NAME, CONFIG_ONLY, FLAGS, PROVIDER_MODEL, declared, flag_values
from livetui.config import SETTINGS, Settings, load_settings
from tests.cli.running import isolate


@pytest.fixture(autouse=True)
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings come only from the flags each test gives."""
    isolate(monkeypatch, tmp_path)


def flagged() -> set[str]:
    """The settings a flag sets (`--model` sets the model of either provider)."""
    paths = {flag.path for flag in FLAGS} - {PROVIDER_MODEL}
    return paths | {"gemini.model", "vertex.model", "openai.model"}


def test_every_setting_has_a_flag_or_is_config_only_on_purpose() -> None:
    assert set(SETTINGS) == flagged() | CONFIG_ONLY
    assert not flagged() & CONFIG_ONLY
    assert len(BY_NAME) == len(FLAGS), "no two flags share a name"


def field_of(path: str) -> typing.Any:
    """The pydantic field of a setting's path."""
    model: type[BaseModel] = Settings
    *sections, leaf = path.split(".")
    for section in sections:
        model = model.model_fields[section].annotation  # type: ignore[assignment]
    return model.model_fields[leaf]


def test_the_declarations_read_from_the_source_are_the_settings_themselves() -> None:
    fields = declared()
    assert set(fields) == set(SETTINGS)
    for path, found in fields.items():
        field = field_of(path)
        assert found.doc, f"{path} has a docstring"
        if found.choices:
            assert found.choices == typing.get_args(field.annotation), path
        if found.default is not None:
            assert found.default == field.default, path


def test_help_lists_every_flag_with_its_docstring_choices_and_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for flag in FLAGS:
        assert flag.spelling in text
    assert "--provider {auto,local,gemini,vertex,openai}" in text and "--dialect {gemini,openai}" in text
    assert "The most camera frames sent a second (Gemini takes at most 1) (default 1)." in text
    assert "default gemini-live-2.5-flash-preview for Gemini, gpt-realtime for OpenAI" in text
    assert "`" not in text, "docstring markup is dropped"


@pytest.mark.parametrize(
    ("argv", "path", "value"),
    [
        (["--camera-fps", "2"], "camera.fps", 2.0),
        (["--camera", "test"], "camera.device", "test"),
        (["--no-record"], "record", False),
        (["--no-context-compression"], "gemini.context_compression", False),
        (["--push-to-talk"], "audio.push_to_talk", True),
        (["--mic-file", "a.wav"], "audio.mic_file", Path("a.wav")),
        (["--base-url", "wss://api.x.ai/v1"], "openai.base_url", "wss://api.x.ai/v1"),
        (["--azure-deployment", "rt"], "openai.azure_deployment", "rt"),
        (["--api-version", "2025-08-28"], "openai.api_version", "2025-08-28"),
        (["--dialect", "openai"], "local.dialect", "openai"),
        (["--provider", "openai", "--model", "gpt-realtime-mini"], "openai.model", "gpt-realtime-mini"),
        (["--tool-timeout", "3"], "tool_timeout", 3.0),
    ],
)
def test_each_flag_sets_the_setting_it_names(argv: list[str], path: str, value: object) -> None:
    settings: typing.Any = load_settings(**flag_values(build_parser().parse_args(argv)))
    for part in path.split("."):
        settings = getattr(settings, part)
    assert settings == value


def test_no_flag_given_leaves_every_setting_to_the_other_sources() -> None:
    values = flag_values(build_parser().parse_args([]))
    assert set(values) == set(BY_NAME) and all(value is None for value in values.values())


def test_a_bad_choice_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["--dialect", "klingon"])
    assert exited.value.code == 2
    assert "--dialect: invalid choice: 'klingon'" in capsys.readouterr().err


def test_the_readme_configuration_table_lists_exactly_the_generated_flags() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    listed = {
        spelling for row in rows for spelling in re.findall(r"--\[?[a-z][a-z-]*\]?[a-z-]*", row.split("|")[2])
    }
    listed = {spelling.replace("[no-]", "") for spelling in listed}
    parser_flags = {flag.spelling for flag in FLAGS} | {"--url"}
    assert listed == parser_flags
