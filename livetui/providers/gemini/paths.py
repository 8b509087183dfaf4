"""Where the Live API listens: the WebSocket path, the same on Google's endpoint and the local server."""

LIVE_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
"""The `BidiGenerateContent` path of the v1beta API (v1 and v1alpha differ only in the version)."""
