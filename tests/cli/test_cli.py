"""The `livetui` command line: help, settings errors, and routing to `serve`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from livetui.cli import main, resolve_brain
from livetui.config import GeminiSettings, OpenAISettings, Settings
from livetui.session.connect import plan_local, plan_session


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m livetui ARGS` with an isolated config."""
    return subprocess.run(
        [sys.executable, "-m", "livetui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_help_documents_the_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--model", "--system-prompt", "--voice", "--provider", "--brain", "--script", "[keymap]"):
        assert flag in text
    assert "GEMINI_API_KEY" in text and "LIVETUI_CONFIG" in text


def test_help_does_not_import_textual() -> None:
    code = "import sys; from livetui.cli import build_parser; build_parser(); print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_bad_config_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("model = [\n", encoding="utf-8")
    result = run(env={"LIVETUI_CONFIG": str(config)})
    assert result.returncode == 2
    assert result.stderr.startswith("livetui: cannot read the config file") and str(config) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_unknown_setting_names_itself(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('modle = "x"\n', encoding="utf-8")
    result = run(env={"LIVETUI_CONFIG": str(config)})
    assert result.returncode == 2
    assert result.stderr.startswith("livetui: modle: Extra inputs are not permitted")


def test_a_missing_script_is_refused(tmp_path: Path) -> None:
    result = run("--script", str(tmp_path / "nope.json"), env={"LIVETUI_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 2 and "script file not found" in result.stderr


def test_serve_is_routed_to_the_local_server() -> None:
    result = run("serve", "--help")
    assert result.returncode == 0 and "--brain" in result.stdout and "--tls" in result.stdout


def test_the_api_key_never_reaches_the_settings_repr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from livetui.config import load_settings

    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-secret-value")
    settings = load_settings()
    assert settings.use_gemini
    assert "AIza-secret-value" not in repr(settings) and "AIza-secret-value" not in settings.model_dump_json()


def test_auto_brain_is_smollm2_when_it_can_run() -> None:
    from livetui.server.core.brains.smollm2 import smollm2_unavailable

    if smollm2_unavailable() is not None:
        pytest.skip(f"smollm2 cannot run here: {smollm2_unavailable()}")
    assert resolve_brain("auto") == ("smollm2", [])


def test_choosing_the_brain_never_loads_the_llama_library_into_the_client() -> None:
    from livetui.server.core.brains.smollm2 import smollm2_unavailable

    if smollm2_unavailable() is not None:
        pytest.skip(f"smollm2 cannot run here: {smollm2_unavailable()}")
    code = (
        "import sys; from livetui.cli import resolve_brain; print(resolve_brain('auto')[0]); "
        "print(sorted({'xllamacpp', 'llama_cpp'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["smollm2", "[]"]


def test_auto_brain_falls_back_to_scripted_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # now it cannot be found, as when not installed
    brain, notices = resolve_brain("auto")
    assert brain == "scripted"
    [reason] = notices
    assert reason.startswith("the smollm2 brain is not available: ")
    settings = Settings(provider="local")
    [notice] = plan_local(settings, resolve=resolve_brain).notices
    assert notice == f"The local server uses the scripted brain: {reason}."
    keyless = {"provider": "auto", "gemini": GeminiSettings(), "openai": OpenAISettings()}
    [opening] = plan_session(settings.model_copy(update=keyless), resolve=resolve_brain).notices
    assert opening.startswith("No API key: you are talking to the local server's scripted brain on this ")
    assert f"({reason}); to talk to Gemini or OpenAI instead" in opening, "one notice says it all"
    assert resolve_brain("scripted") == ("scripted", [])
