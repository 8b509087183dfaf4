"""The fields of the official SDK's Live types that livetui's wire models leave out, each with why.

A test walks the SDK's `LiveClientSetup`, `LiveClientContent`, `LiveClientRealtimeInput`,
`LiveClientToolResponse`, `LiveClientContextUpdate` and `LiveServerMessage` with every type nested in
them, beside livetui's models: a field is either modelled or named here, so a field a new SDK adds fails
the test until it is handled or listed. A field left out is never lost on the way out (`[gemini.setup_extra]`
sends it as given); on the way in it is ignored.
"""

from __future__ import annotations

NOT_LIVE = "a generateContent option a live session does not take"
"""Why most of `GenerationConfig` is left out."""
NEW_PART = "a part kind the Live API does not send to clients"
"""Why the newer kinds of `Part` are left out."""

NOT_MODELLED: dict[str, str] = {
    "GenerationConfig.audio_timestamp": NOT_LIVE,
    "GenerationConfig.audio_transcription_config": NOT_LIVE,
    "GenerationConfig.enable_enhanced_civic_answers": NOT_LIVE,
    "GenerationConfig.logprobs": NOT_LIVE,
    "GenerationConfig.model_selection_config": NOT_LIVE,
    "GenerationConfig.response_format": NOT_LIVE,
    "GenerationConfig.response_json_schema": NOT_LIVE,
    "GenerationConfig.response_logprobs": NOT_LIVE,
    "GenerationConfig.response_mime_type": NOT_LIVE,
    "GenerationConfig.response_schema": NOT_LIVE,
    "GenerationConfig.routing_config": NOT_LIVE,
    "SpeechConfig.multi_speaker_voice_config": "the SDK refuses it for live sessions",
    "VoiceConfig.voice": "the SDK's shorthand, written as prebuiltVoiceConfig on the wire",
    "Part.audio_metadata": NEW_PART,
    "Part.audio_transcription": NEW_PART,
    "Part.document_metadata": NEW_PART,
    "Part.media_processing": NEW_PART,
    "Part.part_metadata": NEW_PART,
    "Part.speech_metadata": NEW_PART,
    "Part.spreadsheet_metadata": NEW_PART,
    "Part.tool_call": NEW_PART,
    "Part.tool_response": NEW_PART,
}
"""SDK fields livetui does not model (``Type.field``, the SDK's names), and why."""
