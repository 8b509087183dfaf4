"""The providers a live session can talk to, one package each, and the registry that names them.

Each package holds everything about its provider (wire models, codec, setup from the neutral
`livetui.live.config.SessionConfig`, endpoint and auth, close codes, frame summaries); nothing here does
I/O. The rest of the client reaches a provider only through `livetui.providers.registry`.
"""
