"""The local server under fuzzed frames: no exception escapes, every frame is answered or refused with
1007 (1009 when too big), and the server stays live for other clients. Seeded, so a failure reproduces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, seed, settings

from tests.server.fuzz import FRAMES, SEED, ServerThread, Tally, check_frame, still_live

EXAMPLES = 150
"""Frames fuzzed per run: enough to reach every strategy, few enough for the suite's time."""


@pytest.fixture(scope="module")
def fuzzed_server() -> Iterator[ServerThread]:
    """One server for every example (so one that a frame broke shows in the next examples)."""
    with ServerThread().running() as server:
        yield server


@pytest.mark.timeout(300)
def test_every_fuzzed_frame_is_answered_or_refused_with_1007_and_nothing_escapes(
    fuzzed_server: ServerThread,
) -> None:
    tally = Tally()

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(frame=FRAMES)
    def fuzz(frame: str | bytes) -> None:
        check_frame(fuzzed_server, frame, tally)

    fuzz()
    assert tally.frames >= EXAMPLES
    assert tally.outcomes.get("answered", 0) > 0 and tally.outcomes.get("closed 1007", 0) > 0
    assert still_live(fuzzed_server)
    assert fuzzed_server.errors.records == []


@pytest.mark.parametrize(
    "frame",
    [
        '{"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=1000000000000000", "data": "AAAA"}}}',
        '{"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=1", "data": "AAAA"}}}',
        '{"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=\\u00b2", "data": "AAAA"}}}',
        '{"clientContent": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"clientContent": {"turnComplete": ' + "9" * 4301 + "}}",
        '{"realtimeInput": {"text": "\\udfff"}}',
    ],
)
def test_the_frames_that_once_broke_the_server_are_refused_with_1007(
    fuzzed_server: ServerThread, frame: str
) -> None:
    tally = Tally()
    check_frame(fuzzed_server, frame, tally)
    assert tally.outcomes == {"closed 1007": 1}
    assert still_live(fuzzed_server)
