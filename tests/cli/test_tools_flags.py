"""The tools flags: documented in --help, and a broken tools file stops the app with one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui.cli import main
from tests.cli.test_cli import run


def test_help_documents_the_tools_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for flag in ("--tools FILE", "--tool-mode {auto,confirm,manual}", "--tool-timeout SECONDS"):
        assert flag in text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(:\n", "SyntaxError: invalid syntax (line 1)"),
        ("def f(x):\n    return x\n", "function f: parameter 'x' has no type hint"),
    ],
)
def test_a_broken_tools_file_is_one_line_and_exit_2(tmp_path: Path, source: str, expected: str) -> None:
    tools = tmp_path / "tools.py"
    tools.write_text(source, encoding="utf-8")
    result = run("--tools", str(tools), env={"LIVETUI_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 2
    assert result.stderr == f"livetui: {tools}: {expected}\n"


def test_a_missing_tools_file_and_a_bad_mode_are_refused(tmp_path: Path) -> None:
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml")}
    missing = run("--tools", str(tmp_path / "absent.py"), env=env)
    assert missing.returncode == 2
    assert missing.stderr == f"livetui: {tmp_path / 'absent.py'}: no such tools file\n"
    timeout = run("--tool-timeout", "0", env=env)
    assert timeout.returncode == 2
    assert timeout.stderr.startswith("livetui: --tool-timeout: Input should be greater than 0")
    assert timeout.stderr.count("\n") == 1
