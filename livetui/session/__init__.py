"""The engine: one live session, its send and receive tasks, interruption, latency marks.

It speaks to providers through their codecs (`livetui.live.codec`) and hands domain events
(`livetui.events`) to whoever runs it; it never imports Textual. `runtime.py` assembles one session (the
engine, its voice, tool calls, camera and journal) for the UI, which holds nothing else of it.
"""
