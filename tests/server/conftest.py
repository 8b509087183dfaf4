"""Fixtures for the server tests: the voice tests' speech maker, for the Realtime dialect's speech."""

from __future__ import annotations

from tests.voice.conftest import speech

__all__ = ["speech"]
