"""What Gemini reports beside the reply, as domain events: transcript extras (speaker labels, word timings,
the language) and token usage with its details by modality."""

from __future__ import annotations

from typing import TypedDict

from livetui import events as ev
from livetui.providers.gemini.base import parse_duration
from livetui.providers.gemini.server import ModalityTokenCount, Transcription, UsageMetadata


class TranscriptExtras(TypedDict):
    """The fields of a transcript event beyond its text."""

    speaker: str | None
    words: tuple[ev.Word, ...]
    language: str | None


def _seconds(offset: str | None) -> float | None:
    """A word's offset in seconds, or None when it is missing or unreadable."""
    if offset is None:
        return None
    try:
        seconds = parse_duration(offset)
    except ValueError:
        return None
    return float(seconds) if isinstance(seconds, int | float) else None


def extras(transcript: Transcription) -> TranscriptExtras:
    """The speaker, the words' timings and the language a transcription carries (none: empty)."""
    words = tuple(
        ev.Word(word=word.word, start=_seconds(word.start_offset), end=_seconds(word.end_offset))
        for word in transcript.words or ()
    )
    return TranscriptExtras(speaker=transcript.speaker_label, words=words, language=transcript.language_code)


def by_modality(counts: tuple[ModalityTokenCount, ...] | None) -> dict[str, int]:
    """Tokens by modality, in lower case (`TEXT` → `text`), summed per modality."""
    totals: dict[str, int] = {}
    for count in counts or ():
        modality = (count.modality or "MODALITY_UNSPECIFIED").lower()
        totals[modality] = totals.get(modality, 0) + count.token_count
    return totals


def usage_event(usage: UsageMetadata, *, turn: int) -> ev.Usage:
    """The `Usage` of `turn` that ``usageMetadata`` reports (Vertex's candidates names read the same)."""
    return ev.Usage(
        turn=turn,
        prompt_tokens=usage.prompt_token_count or 0,
        response_tokens=usage.response_token_count or usage.candidates_token_count or 0,
        total_tokens=usage.total_token_count or 0,
        prompt_details=by_modality(usage.prompt_tokens_details),
        response_details=by_modality(usage.response_tokens_details or usage.candidates_tokens_details),
        thoughts_tokens=usage.thoughts_token_count or 0,
        cached_tokens=usage.cached_content_token_count or 0,
    )
