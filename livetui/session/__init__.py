"""The engine: one live session, its send and receive tasks, interruption, latency marks.

It speaks to providers through their codecs (`livetui.live.codec`) and hands domain events
(`livetui.events`) to whoever runs it; it never imports Textual.
"""
