"""`livetui export`: a recorded session, by name or the latest, into a file; errors in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui.cli import main
from tests.record.conftest import write_sample_session


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user data directory (LIVETUI_DATA_DIR)."""
    monkeypatch.setenv("LIVETUI_DATA_DIR", str(tmp_path))
    return tmp_path


def recorded(data_dir: Path, name: str) -> Path:
    """A recorded sample session named `name` in the data directory."""
    directory = data_dir / "sessions" / name
    directory.mkdir(parents=True)
    write_sample_session(directory)
    return directory


def test_the_latest_session_is_exported_next_to_its_journal(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded(data_dir, "2027-01-01T10-00-00-aaaaaa")
    latest = recorded(data_dir, "2027-01-02T10-00-00-bbbbbb")
    assert main(["export", "--last", "--format", "md"]) == 0
    assert capsys.readouterr().out == f"wrote {latest / 'transcript.md'} (5 turns)\n"
    assert "## Turn 5" in (latest / "transcript.md").read_text()


def test_a_session_is_named_by_directory_name_or_path_and_written_where_asked(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = recorded(data_dir, "2027-01-01T10-00-00-aaaaaa")
    recorded(data_dir, "2027-01-02T10-00-00-bbbbbb")
    out = tmp_path / "captions.vtt"
    assert main(["export", first.name, "-f", "vtt", "-o", str(out)]) == 0
    assert out.read_text().startswith("WEBVTT\n\n")
    assert main(["export", str(first), "--format", "json"]) == 0
    assert (first / "transcript.json").is_file()


def test_no_session_is_one_line_and_status_1(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--last"]) == 1
    assert capsys.readouterr().err == f"livetui export: no recorded sessions in {data_dir / 'sessions'}\n"
    assert main(["export", "nowhere"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("livetui export: no session 'nowhere'") and err.count("\n") == 1


def test_a_cut_off_journal_is_exported_with_a_notice(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = recorded(data_dir, "2027-01-01T10-00-00-aaaaaa")
    with (directory / "events.jsonl").open("a") as journal:
        journal.write('{"t": 1, "m": 1, "event": {"kind": "us')
    assert main(["export"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("livetui export: the journal ends mid-line")
    assert "(5 turns)" in captured.out


def test_a_bad_format_is_a_usage_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "--format", "docx"])
    assert exited.value.code == 2 and "invalid choice: 'docx'" in capsys.readouterr().err
