"""Settings that report their own mistakes: each error is one line naming where the value came from (a
flag, a variable, the config file and its line), and livetui stops with status 2 before the app runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.running import run


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The error line of a run that stopped with status 2 (there must be exactly one, and no traceback)."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("livetui: ")
    return result.stderr.removeprefix("livetui: ").rstrip("\n")


READS = "needs an API key: livetui reads it from GEMINI_API_KEY, GOOGLE_API_KEY or LIVETUI_GEMINI__API_KEY"
"""What the missing-key line says after naming what asked for Gemini."""


def test_provider_gemini_without_a_key_names_the_variables_and_exits_2(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, "--provider", "gemini"))
    assert line.startswith(f"--provider gemini {READS}")


def test_an_empty_key_is_no_key(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, "--provider", "gemini", GEMINI_API_KEY=""))
    assert line.startswith(f"--provider gemini {READS}")


def test_livetui_api_key_wins_over_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from livetui.config import Settings

    monkeypatch.setenv("GEMINI_API_KEY", "gemini")
    monkeypatch.setenv("LIVETUI_API_KEY", "livetui")
    key = Settings().gemini.api_key
    assert key is not None and key.get_secret_value() == "livetui", "the old variable still wins, as before"


def test_provider_gemini_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, LIVETUI_PROVIDER="gemini"))
    assert line.startswith(f"LIVETUI_PROVIDER=gemini {READS}")


def test_provider_gemini_from_the_config_file_names_its_line(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, config='voice = "x"\nprovider = "gemini"\n'))
    assert line.startswith(f'provider = "gemini" (config file {tmp_path / "config.toml"}, line 2) {READS}')


def test_a_flag_error_names_the_flag(tmp_path: Path) -> None:
    assert one_line(run(tmp_path, "--camera-fps", "0")) == "--camera-fps: Input should be greater than 0"


def test_an_environment_error_names_the_variable(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, LIVETUI_CAMERA__FPS="0"))
    assert line == "LIVETUI_CAMERA__FPS: Input should be greater than 0"


def test_a_config_file_error_names_the_file_and_its_line(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, config='voice = "x"\n\n[camera]\nfps = 0\n'))
    config = tmp_path / "config.toml"
    assert line == f"camera.fps: Input should be greater than 0 (config file {config}, line 4)"


def test_the_flag_wins_and_is_blamed_even_when_the_file_sets_it_too(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, "--camera-fps", "99", config="[camera]\nfps = 2\n"))
    assert line == "--camera-fps: Input should be less than or equal to 30"


def test_a_table_variable_that_is_not_json_names_the_variable(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, LIVETUI_KEYMAP="interrupt=x"))
    assert line.startswith("LIVETUI_KEYMAP: cannot parse the value")


@pytest.mark.parametrize(
    ("keymap", "expected"),
    [
        ('interrupt = "notakey!!"', "keymap.interrupt: 'notakey!!' is not a key"),
        ('intrerupt = "ctrl+x"', "keymap.intrerupt: no key binding has this id (the ids are: "),
        ('clear_log = "f1"', "keymap.clear_log: 'f1' is already the key of help"),
        ('export = "f9"\ninterrupt = "f9"', "keymap.export: 'f9' is already the key of interrupt"),
        ('help = "cmd+h"', "keymap.help: 'cmd+h' is not a key"),
    ],
    ids=["unparsable key", "unknown id", "a key another action has", "two entries on one key", "modifier"],
)
def test_a_bad_keymap_entry_is_one_line_naming_it_and_exit_2(
    tmp_path: Path, keymap: str, expected: str
) -> None:
    line = one_line(run(tmp_path, "--provider", "local", config=f'voice = "x"\n[keymap]\n{keymap}\n'))
    assert line.startswith(expected)
    assert line.endswith(f"(config file {tmp_path / 'config.toml'}, line 3)"), "the entry's own line"
