"""The Gemini Live API, sans I/O: wire models, encoding and decoding, the client's codec, the `setup` made
from the neutral session configuration, endpoints and auth, close codes, and the `Provider` itself.

Nothing here opens a socket or touches asyncio; the engine (`livetui.session`) and the local server
(`livetui.server`) drive it.
"""
