"""Which provider a session talks to, whose key it uses, and that no key is ever shown: in the settings'
repr and dump, the plan and its route, the messages of a refused start, or a command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui.cli import resolve_brain
from livetui.config import load_settings
from livetui.session.connect import EndpointSettingsError, MissingKeyError, plan_session
from tests.cli.running import isolate, run

GEMINI_SECRET = "AIza-gemini-secret"
OPENAI_SECRET = "sk-openai-secret"
"""Keys that must never be seen."""


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No key, setting or config file from the developer's machine; the test's own config file."""
    return isolate(monkeypatch, tmp_path)


def secret(value: object) -> str:
    """The value of a key setting (which must be set)."""
    assert value is not None and hasattr(value, "get_secret_value")
    text = value.get_secret_value()
    assert isinstance(text, str)
    return text


@pytest.mark.parametrize(
    ("variables", "winner"),
    [
        ({"GOOGLE_API_KEY": "google", "GEMINI_API_KEY": "gemini"}, "gemini"),
        ({"GEMINI_API_KEY": "gemini", "LIVETUI_API_KEY": "old"}, "old"),
        ({"LIVETUI_API_KEY": "old", "LIVETUI_GEMINI__API_KEY": "new"}, "new"),
        ({"GOOGLE_API_KEY": "google"}, "google"),
    ],
)
def test_the_gemini_key_precedence(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], winner: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert secret(load_settings().gemini.api_key) == winner


def test_the_openai_key_precedence_and_the_file_below_the_environment(
    monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    isolated.write_text('[openai]\napi_key = "from-file"\n', encoding="utf-8")
    assert secret(load_settings().openai.api_key) == "from-file"
    monkeypatch.setenv("OPENAI_API_KEY", "openai")
    assert secret(load_settings().openai.api_key) == "openai"
    monkeypatch.setenv("LIVETUI_OPENAI__API_KEY", "livetui")
    assert secret(load_settings().openai.api_key) == "livetui"
    assert load_settings().gemini.api_key is None, "an OpenAI key is never taken for Gemini's"


@pytest.mark.parametrize(
    ("variables", "provider"),
    [
        ({"GEMINI_API_KEY": GEMINI_SECRET, "OPENAI_API_KEY": OPENAI_SECRET}, "gemini"),
        ({"OPENAI_API_KEY": OPENAI_SECRET}, "openai"),
        ({"OPENAI_API_KEY": ""}, "local"),
        ({}, "local"),
    ],
)
def test_auto_picks_gemini_then_openai_then_local(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], provider: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.provider_in_use == provider
    plan = plan_session(settings, resolve=lambda _: ("scripted", []))
    assert plan.target.provider == provider
    assert plan.route is not None and plan.route.provider == provider


def test_an_openai_plan_carries_the_provider_model_base_url_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    settings = load_settings(
        provider="openai",
        model="gpt-realtime-mini",
        base_url="https://example.openai.azure.com",
        azure_deployment="rt",
        api_version="2025-08-28",
        turn_detection="semantic_vad",
    )
    plan = plan_session(settings, resolve=resolve_brain)
    route = plan.route
    assert route is not None
    assert (route.provider, route.model, route.dialect) == ("openai", "gpt-realtime-mini", "openai")
    assert (route.base_url, route.azure_deployment, route.api_version) == (
        "https://example.openai.azure.com",
        "rt",
        "2025-08-28",
    )
    assert route.turn_detection == "semantic_vad" and secret(route.api_key) == OPENAI_SECRET
    assert plan.target.label == "openai · gpt-realtime-mini"
    for shown in (repr(plan), repr(route), str(plan.target), repr(settings), settings.model_dump_json()):
        assert OPENAI_SECRET not in shown


async def test_an_openai_session_sends_the_key_in_a_header_and_never_shows_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    plan = plan_session(load_settings(provider="openai", model="gpt-realtime-mini"), resolve=resolve_brain)
    async with plan.connector() as session:
        endpoint = session.endpoint
        assert endpoint.url == "wss://api.openai.com/v1/realtime?model=gpt-realtime-mini"
        assert endpoint.headers()["Authorization"] == f"Bearer {OPENAI_SECRET}"
        assert session.provider.name == "openai" and session.config.model == "gpt-realtime-mini"
        assert OPENAI_SECRET not in repr(endpoint) + endpoint.safe_url


async def test_azure_without_a_deployment_fails_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_SECRET)
    settings = load_settings(provider="openai", base_url="https://example.openai.azure.com")
    plan = plan_session(settings, resolve=resolve_brain)
    with pytest.raises(EndpointSettingsError) as error:
        async with plan.connector():
            pass
    message = str(error.value)
    assert "deployment" in message and "\n" not in message and OPENAI_SECRET not in message


def test_the_local_server_in_the_openai_dialect_has_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_LOCAL__DIALECT", "openai")
    plan = plan_session(load_settings(provider="local", brain="scripted"), resolve=resolve_brain)
    assert plan.route is not None
    assert (plan.route.provider, plan.route.dialect, plan.route.api_key) == ("local", "openai", None)


def test_openai_without_a_key_is_refused_in_planning() -> None:
    with pytest.raises(MissingKeyError) as error:
        plan_session(load_settings(provider="openai"), resolve=resolve_brain)
    assert error.value.provider == "openai"
    assert "OPENAI_API_KEY" in str(error.value)


def test_provider_openai_without_a_key_is_one_line_naming_the_variable_and_exit_2(tmp_path: Path) -> None:
    result = run(tmp_path, "--provider", "openai", GEMINI_API_KEY=GEMINI_SECRET)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "livetui: --provider openai needs an API key: livetui reads it from OPENAI_API_KEY or "
        "LIVETUI_OPENAI__API_KEY; set one (or use --provider local)\n"
    )


def test_old_spellings_are_named_on_stderr_once_before_the_error_and_no_key_is_shown(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("camera_fps = 0\n", encoding="utf-8")
    result = run(tmp_path, LIVETUI_API_KEY=GEMINI_SECRET, OPENAI_API_KEY=OPENAI_SECRET)
    assert result.returncode == 2
    config = tmp_path / "config.toml"
    assert result.stderr.splitlines() == [
        "livetui: LIVETUI_API_KEY is deprecated: use LIVETUI_GEMINI__API_KEY",
        f"livetui: camera_fps (config file {config}, line 1) is deprecated: write it as fps under [camera]",
        f"livetui: camera.fps: Input should be greater than 0 (config file {config}, line 1)",
    ]
    assert GEMINI_SECRET not in result.stderr + result.stdout


def test_a_key_set_in_the_config_file_is_not_in_the_error_about_it(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(f'[openai]\napi_key = "{OPENAI_SECRET}"\nmodel = 5\n', "utf-8")
    result = run(tmp_path, "--provider", "openai")
    assert result.returncode == 2 and "openai.model: Input should be a valid string" in result.stderr
    assert OPENAI_SECRET not in result.stderr


def test_the_status_bar_names_the_local_servers_openai_dialect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETUI_LOCAL__DIALECT", "openai")
    plan = plan_session(load_settings(provider="local", brain="scripted"), resolve=resolve_brain)
    assert plan.target.label == "local · scripted · openai"
    gemini = plan_session(
        load_settings(provider="local", brain="scripted", dialect="gemini"), resolve=resolve_brain
    )
    assert gemini.target.label == "local · scripted"
