"""WebSocket close codes as the Gemini Live API uses them, and what to tell the user."""

from __future__ import annotations

INVALID = 1007
"""Invalid argument: a bad setup or message."""
POLICY = 1008
"""Policy: a bad API key, a model not found or not allowed, a stale resumption handle."""
TOO_BIG = 1009
"""A frame over the size limit."""
INTERNAL = 1011
"""Internal error, unavailable, or deadline expired."""
NORMAL = 1000
GOING_AWAY = 1001
ABNORMAL = 1006
"""No close frame: the connection dropped."""

_EXPLANATIONS = {
    NORMAL: "the server closed the session",
    GOING_AWAY: "the server is going away",
    ABNORMAL: "the connection dropped",
    INVALID: "the server rejected a message as invalid",
    POLICY: "the server refused the session (check the API key and the model name)",
    TOO_BIG: "a message was too large for the server",
    INTERNAL: "the server had an internal error",
}


def explain(code: int, reason: str) -> str:
    """One line for the user: the code, what it means, and the server's own words."""
    meaning = _EXPLANATIONS.get(code, "the connection closed")
    reason = " ".join(reason.split())
    return f"{meaning} ({code}): {reason}" if reason else f"{meaning} ({code})"


def explain_resume_refused(reason: str) -> str:
    """One line for a resumption the server refused (1008 with a stale or unknown handle)."""
    reason = " ".join(reason.split())
    detail = f": {reason}" if reason else ""
    return f"the session could not be resumed: the server no longer knows it ({POLICY}){detail}"
