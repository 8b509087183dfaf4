"""The providers livetui can hold a live session with: one package each, sans-I/O (wire models, codec,
setup from the neutral session config, endpoint and auth, close codes, frame summaries)."""
