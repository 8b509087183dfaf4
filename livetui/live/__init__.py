"""The provider-neutral core of a live session, sans-I/O: what the user asked for (`SessionConfig`), tools
as JSON Schema (`ToolDeclaration`, `ToolAnswer`), the turn bookkeeping every codec shares (`TurnLedger`),
and the `Codec` protocol with its `Capabilities` that each provider implements.

Nothing here does I/O or knows a provider's wire format.
"""
