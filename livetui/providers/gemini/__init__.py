"""The Gemini Live API, sans I/O: wire models, encoding and decoding, and the client's codec.

Nothing here opens a socket or touches asyncio; the engine (`livetui.session`) and the local server
(`livetui.server`) drive it.
"""
