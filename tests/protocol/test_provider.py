"""Gemini as a provider, and the registry that finds it: capabilities, codecs from the neutral config, the
meaning of its closes, and endpoints that carry the key in a header only."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from livetui.config import Settings
from livetui.live.codec import Exchange
from livetui.live.config import SessionConfig
from livetui.providers import registry
from livetui.providers.gemini.endpoint import GEMINI_URL, LOCAL_PATH
from livetui.providers.gemini.provider import GeminiProvider

KEY = "AIzaSy-a-key-that-must-stay-secret"


def test_gemini_resumes_by_handle_streams_video_and_hears_16k_and_speaks_24k() -> None:
    capabilities = registry.provider("gemini").capabilities
    assert capabilities.resumable and capabilities.go_away and capabilities.manual_activity
    assert not capabilities.truncate_on_interrupt and capabilities.video == "stream"
    assert (capabilities.audio_in_rate, capabilities.audio_out_rate) == (16000, 24000)


def test_a_codec_opens_with_the_setup_of_the_config_resuming_with_the_handle() -> None:
    codec = GeminiProvider().codec(SessionConfig(model="gemini-live-x"), first_turn=4, handle="h1")
    codec.start()
    [frame] = codec.data_to_send()
    setup = json.loads(frame)["setup"]
    assert setup["model"] == "models/gemini-live-x" and setup["sessionResumption"] == {"handle": "h1"}
    assert codec.next_turn == 4


def test_a_codec_replays_the_history_it_is_given() -> None:
    codec = GeminiProvider().codec(SessionConfig(model="m"), history=[Exchange("user", "hello")])
    codec.start()
    assert len(codec.data_to_send()) == 2


def test_the_text_route_comes_from_the_settings() -> None:
    gemini = registry.provider("gemini", Settings(text_route="realtime_input"))
    codec = gemini.codec(SessionConfig(model="m"))
    codec.send_text("hi", at=0.0)
    assert json.loads(codec.data_to_send()[0]) == {"realtimeInput": {"text": "hi"}}


def test_closes_are_explained_and_a_forgotten_handle_only_when_resuming() -> None:
    gemini = registry.provider("gemini")
    forgotten = "BidiGenerateContent session not found"
    assert gemini.explain_close(1008, forgotten, resuming=True).startswith("the session could not be resumed")
    assert gemini.explain_close(1008, "models/x is not found") == (
        "the server refused the session (check the API key and the model name) (1008): models/x is not found"
    )
    assert (
        gemini.explain_close(1011, "  Internal\n error ")
        == "the server had an internal error (1011): Internal error"
    )


@pytest.mark.parametrize(
    ("code", "refused"), [(1007, True), (1008, True), (1011, True), (1006, False), (1000, False)]
)
def test_a_refused_setup_is_told_by_its_close_code(code: int, refused: bool) -> None:
    assert registry.provider("gemini").refuses_config(code) is refused


def test_endpoints_carry_the_key_in_a_header_never_in_the_url_or_repr() -> None:
    google = registry.endpoint("gemini", SecretStr(KEY))
    assert google.url == GEMINI_URL and google.provider == "gemini"
    assert google.headers() == {"x-goog-api-key": KEY}
    assert KEY not in google.url and KEY not in repr(google)
    local = registry.local_endpoint("ws://127.0.0.1:9/")
    assert local.url == "ws://127.0.0.1:9" + LOCAL_PATH and local.provider == "local"
    assert local.headers() == {}
    keyed = registry.local_endpoint("ws://127.0.0.1:9", SecretStr("sesame"))
    assert keyed.headers() == {"x-goog-api-key": "sesame"}


def test_an_unknown_provider_is_one_line_naming_the_known_ones() -> None:
    with pytest.raises(registry.UnknownProviderError, match=r"^unknown provider 'nope'; known: .*gemini"):
        registry.provider("nope")
