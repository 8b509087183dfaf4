"""The Gemini Live wire protocol, sans I/O: models, encoding, decoding and the session state machine.

Nothing here opens a socket or touches asyncio; the engine (`livetui.session`) and the local server
(`livetui.server`) drive it.
"""
