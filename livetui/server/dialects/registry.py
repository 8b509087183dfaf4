"""The dialects the local server speaks, each on its own paths of the same port."""

from __future__ import annotations

from livetui.server.core.dialect import Dialect
from livetui.server.dialects.gemini.dialect import GeminiDialect
from livetui.server.dialects.openai.dialect import OpenAIDialect


def all_dialects() -> tuple[Dialect, ...]:
    """Every dialect, in the order paths are matched."""
    return (GeminiDialect(), OpenAIDialect())
