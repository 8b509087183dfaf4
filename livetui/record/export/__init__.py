"""Exports of a recorded session: Markdown, JSON, SRT, VTT and WAV, made from its journal.

`export_session(directory, "md")` reads the journal (up to its last complete line), builds the transcript
and writes the file atomically, by default next to the journal (``transcript.md``, ``transcript.json``,
``captions.srt``, ``captions.vtt``, ``audio.wav``). ``livetui export`` (`command`) and the app's export key
both call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from livetui.config import DEFAULT_PRICES, Price
from livetui.record.export.atomic import write_atomic
from livetui.record.export.audio import NoAudio, write_wav
from livetui.record.export.captions import model_cues, to_srt, to_vtt
from livetui.record.export.jsondoc import to_json
from livetui.record.export.markdown import to_markdown
from livetui.record.reader import read_recording
from livetui.record.transcript import Transcript, build_transcript

Format = Literal["md", "json", "srt", "vtt", "wav"]
"""The export formats."""

FORMATS: tuple[Format, ...] = get_args(Format)
"""Every export format, for the command line."""

DEFAULT_NAMES: dict[Format, str] = {
    "md": "transcript.md",
    "json": "transcript.json",
    "srt": "captions.srt",
    "vtt": "captions.vtt",
    "wav": "audio.wav",
}
"""Where each format is written in the session directory unless told otherwise."""

__all__ = ["DEFAULT_NAMES", "FORMATS", "ExportError", "Exported", "Format", "export_session"]


class ExportError(Exception):
    """The export could not be made. The message is one line."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    path: Path
    """The file written."""
    turns: int
    """Turns in the session."""
    notices: list[str] = field(default_factory=list)
    """Problems met reading the journal, one line each (a cut-off end, skipped lines)."""


def export_session(
    directory: Path,
    fmt: Format,
    output: Path | None = None,
    *,
    prices: Mapping[str, Price] = DEFAULT_PRICES,
) -> Exported:
    """Export the session recorded in `directory` as `fmt` to `output` (default: in the directory), its
    estimated cost at `prices` (Markdown and JSON).

    Raises:
        ExportError: the journal cannot be read, the session has nothing to export in this format, or
            the file cannot be written.
    """
    try:
        recording = read_recording(directory)
    except OSError as error:
        raise ExportError(f"cannot read the journal in {directory}: {error.strerror}") from None
    transcript = build_transcript(recording)
    path = output if output is not None else directory / DEFAULT_NAMES[fmt]
    try:
        if fmt == "wav":
            write_wav(recording, transcript, path)
        else:
            write_atomic(path, _render(fmt, transcript, prices))
    except NoAudio as error:
        raise ExportError(str(error)) from None
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror}") from None
    return Exported(path, len(transcript.turns), list(recording.notices))


def _render(fmt: Format, transcript: Transcript, prices: Mapping[str, Price]) -> str:
    if fmt == "md":
        return to_markdown(transcript, prices)
    if fmt == "json":
        return to_json(transcript, prices)
    cues = model_cues(transcript)
    return to_srt(cues) if fmt == "srt" else to_vtt(cues)
