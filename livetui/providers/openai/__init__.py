"""The OpenAI Realtime API (GA interface) over WebSocket, sans-I/O: wire models, the codec, the
``session.update`` built from the neutral session config, endpoints for OpenAI, Azure OpenAI, xAI and any
compatible server, close codes and frame summaries. Beta event names are accepted on input.

Nothing here opens a socket or touches asyncio; the engine (`livetui.session`) drives it.
"""
