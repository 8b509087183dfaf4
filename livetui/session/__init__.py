"""The engine: one live session, its send and receive tasks, interruption, latency marks.

It speaks to providers through `livetui.protocol` and hands domain events (`livetui.events`) to whoever
runs it; it never imports Textual.
"""
