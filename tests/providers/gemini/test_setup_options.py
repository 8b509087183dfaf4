"""Gemini's own setup options: thinking in full, transcription options, explicit VAD signals, proactivity,
extra fields passed through as given, and the context update that changes the system prompt mid-session."""

from __future__ import annotations

import json

import pytest

from livetui.config import GeminiSettings, Settings
from livetui.live.config import SessionConfig
from livetui.live.provider import Provider
from livetui.providers import registry
from livetui.providers.gemini.client import ContextUpdateMessage, SetupMessage
from livetui.providers.gemini.codec import decode_client, encode
from livetui.providers.gemini.provider import GeminiProvider
from livetui.providers.gemini.setup import SetupOptions, gemini_setup

CONFIG = SessionConfig(model="gemini-live-x")


def setup_frame(provider: Provider, config: SessionConfig = CONFIG) -> dict[str, object]:
    """The `setup` object a codec of `provider` opens with."""
    codec = provider.codec(config)
    codec.start()
    setup = json.loads(codec.data_to_send()[0])["setup"]
    assert isinstance(setup, dict)
    return setup


def test_a_thinking_level_survives_decoding_and_encoding_again() -> None:
    frame = {"setup": {"model": "m", "generationConfig": {"thinking_config": {"thinking_level": "LOW"}}}}
    message = decode_client(json.dumps(frame))
    assert isinstance(message, SetupMessage)
    again = json.loads(encode(message))
    assert again["setup"]["generationConfig"]["thinkingConfig"] == {"thinkingLevel": "LOW"}


def test_the_settings_ask_for_thinking_transcription_options_vad_signals_and_proactivity() -> None:
    gemini = GeminiSettings(
        thinking="high",
        thinking_budget=512,
        include_thoughts=True,
        explicit_vad_signal=True,
        proactive_audio=True,
        transcription={"languageCodes": ["fr-FR"], "word_timestamp": True, "diarization": True},
    )
    setup = setup_frame(registry.provider("gemini", Settings(gemini=gemini)))
    generation = setup["generationConfig"]
    assert isinstance(generation, dict)
    assert generation["thinkingConfig"] == {
        "thinkingLevel": "HIGH",
        "thinkingBudget": 512,
        "includeThoughts": True,
    }
    hearing = {"languageCodes": ["fr-FR"], "wordTimestamp": True, "diarization": True}
    assert setup["inputAudioTranscription"] == setup["outputAudioTranscription"] == hearing
    assert setup["explicitVadSignal"] is True and setup["proactivity"] == {"proactiveAudio": True}


def test_without_options_the_setup_names_none_of_them() -> None:
    setup = setup_frame(GeminiProvider())
    assert "thinkingConfig" not in setup["generationConfig"]  # type: ignore[operator]
    assert setup["inputAudioTranscription"] == {}
    assert not {"explicitVadSignal", "proactivity"} & set(setup)


def test_extra_setup_fields_are_merged_in_as_given() -> None:
    extra = {"generationConfig": {"futureKnob": 3}, "brandNewField": {"on": True}}
    setup = setup_frame(GeminiProvider(options=SetupOptions(extra=extra)))
    generation = setup["generationConfig"]
    assert isinstance(generation, dict)
    assert generation["futureKnob"] == 3 and generation["responseModalities"] == ["AUDIO"]
    assert setup["brandNewField"] == {"on": True}


def test_an_unknown_transcription_option_is_one_clear_line() -> None:
    with pytest.raises(ValueError, match="unknown transcription option 'languages'; known: "):
        gemini_setup(CONFIG, options=SetupOptions(transcription={"languages": ["en"]}))


def test_a_new_system_prompt_goes_as_a_context_update() -> None:
    codec = GeminiProvider().codec(CONFIG)
    codec.update_instructions("Answer in French.")
    [frame] = codec.data_to_send()
    assert json.loads(frame) == {
        "contextUpdate": {"systemInstruction": {"role": "user", "parts": [{"text": "Answer in French."}]}}
    }


def test_a_context_update_as_the_sdk_writes_it_is_read_with_its_tools_wrapped() -> None:
    frame = {
        "contextUpdate": {
            "systemInstruction": {"parts": [{"text": "new"}]},
            "tools": {"tools": [{"functionDeclarations": [{"name": "lookup"}]}]},
        }
    }
    message = decode_client(json.dumps(frame))
    assert isinstance(message, ContextUpdateMessage)
    update = message.context_update
    assert update.tools is not None
    assert [d.name for t in update.tools.tools for d in t.function_declarations or ()] == ["lookup"]
    assert json.loads(encode(message)) == frame


def test_the_thinking_flag_sets_the_level_and_its_help_names_the_levels() -> None:
    from livetui.cli import build_parser
    from livetui.config import load_settings

    parser = build_parser()
    assert "--thinking LEVEL" in parser.format_help()
    assert "minimal, low, medium or high" in " ".join(parser.format_help().split())
    settings = load_settings(thinking=parser.parse_args(["--thinking", "low"]).thinking)
    generation = setup_frame(registry.provider("gemini", settings))["generationConfig"]
    assert isinstance(generation, dict) and generation["thinkingConfig"] == {"thinkingLevel": "LOW"}
