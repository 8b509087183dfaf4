"""Encoding and decoding every message type, in every spelling the dialect allows."""

from __future__ import annotations

import base64
import json
from typing import Literal

import pytest

from livetui import events as ev
from livetui.live.limits import audio_rate
from livetui.providers.gemini.client import (
    ActivityEnd,
    ActivityStart,
    AudioTranscriptionConfig,
    AutomaticActivityDetection,
    ClientContent,
    ClientContentMessage,
    ClientMessage,
    ContextWindowCompression,
    FunctionDeclaration,
    GenerationConfig,
    HistoryConfig,
    PrebuiltVoiceConfig,
    ProactivityConfig,
    RealtimeInput,
    RealtimeInputConfig,
    RealtimeInputMessage,
    SessionResumptionConfig,
    Setup,
    SetupMessage,
    SlidingWindow,
    SpeechConfig,
    ThinkingConfig,
    Tool,
    ToolResponse,
    ToolResponseMessage,
    TranslationConfig,
    VoiceConfig,
    realtime_blob,
)
from livetui.providers.gemini.codec import ProtocolError, decode_client, decode_server, encode, load_json
from livetui.providers.gemini.content import (
    Blob,
    CodeExecutionResult,
    Content,
    ExecutableCode,
    FunctionCall,
    FunctionResponse,
    Part,
)
from livetui.providers.gemini.server import (
    GoAway,
    ModalityTokenCount,
    ServerContent,
    ServerMessage,
    SessionResumptionUpdate,
    SetupComplete,
    ToolCall,
    ToolCallCancellation,
    Transcription,
    UsageMetadata,
    VoiceActivity,
    VoiceActivityDetectionSignal,
)
from livetui.providers.gemini.session import GeminiSession
from livetui.providers.gemini.summary import summarize

FULL_SETUP = Setup(
    model="models/gemini-live-2.5-flash-preview",
    generation_config=GenerationConfig(
        response_modalities=("AUDIO",),
        temperature=0.5,
        top_p=0.9,
        top_k=40,
        max_output_tokens=256,
        candidate_count=1,
        presence_penalty=0.1,
        frequency_penalty=0.2,
        seed=7,
        media_resolution="MEDIA_RESOLUTION_LOW",
        speech_config=SpeechConfig(
            voice_config=VoiceConfig(prebuilt_voice_config=PrebuiltVoiceConfig(voice_name="Kore")),
            language_code="en-US",
        ),
        thinking_config=ThinkingConfig(thinking_budget=0, include_thoughts=False),
        enable_affective_dialog=True,
        translation_config=TranslationConfig(target_language_code="fr", echo_target_language=False),
    ),
    system_instruction=Content(role="user", parts=(Part(text="You are terse."),)),
    tools=(
        Tool(
            function_declarations=(
                FunctionDeclaration(
                    name="get_weather",
                    description="Get weather",
                    parameters={"type": "OBJECT", "properties": {"city": {"type": "STRING"}}},
                    behavior="NON_BLOCKING",
                ),
            )
        ),
        Tool(google_search={}),
        Tool(code_execution={}),
    ),
    realtime_input_config=RealtimeInputConfig(
        automatic_activity_detection=AutomaticActivityDetection(
            disabled=False,
            start_of_speech_sensitivity="START_SENSITIVITY_LOW",
            end_of_speech_sensitivity="END_SENSITIVITY_LOW",
            prefix_padding_ms=20,
            silence_duration_ms=500,
        ),
        activity_handling="START_OF_ACTIVITY_INTERRUPTS",
        turn_coverage="TURN_INCLUDES_ONLY_ACTIVITY",
    ),
    input_audio_transcription=AudioTranscriptionConfig(),
    output_audio_transcription=AudioTranscriptionConfig(),
    session_resumption=SessionResumptionConfig(handle="prev-handle"),
    context_window_compression=ContextWindowCompression(
        trigger_tokens=25600, sliding_window=SlidingWindow(target_tokens=12800)
    ),
    proactivity=ProactivityConfig(proactive_audio=True),
    history_config=HistoryConfig(initial_history_in_client_content=True),
)

CLIENT_MESSAGES: list[ClientMessage] = [
    SetupMessage(setup=FULL_SETUP),
    ClientContentMessage(
        client_content=ClientContent(
            turns=(
                Content(role="user", parts=(Part(text="hi"),)),
                Content(role="model", parts=(Part(text="ok"),)),
            ),
            turn_complete=True,
        )
    ),
    RealtimeInputMessage(
        realtime_input=RealtimeInput(audio=Blob(mime_type="audio/pcm;rate=16000", data=b"\0\1"))
    ),
    RealtimeInputMessage(
        realtime_input=RealtimeInput(video=Blob(mime_type="image/jpeg", data=b"\xff\xd8\xff"))
    ),
    RealtimeInputMessage(realtime_input=RealtimeInput(text="hello")),
    RealtimeInputMessage(realtime_input=RealtimeInput(activity_start=ActivityStart())),
    RealtimeInputMessage(realtime_input=RealtimeInput(activity_end=ActivityEnd())),
    RealtimeInputMessage(realtime_input=RealtimeInput(audio_stream_end=True)),
    RealtimeInputMessage(
        realtime_input=RealtimeInput(media_chunks=(Blob(mime_type="audio/pcm", data=b"\0"),))
    ),
    ToolResponseMessage(
        tool_response=ToolResponse(
            function_responses=(
                FunctionResponse(id="fc_1", name="get_weather", response={"output": "sunny"}),
                FunctionResponse(
                    id="fc_2",
                    name="get_weather",
                    response={"error": "x"},
                    will_continue=False,
                    scheduling="SILENT",
                ),
            )
        )
    ),
]


@pytest.mark.parametrize("message", CLIENT_MESSAGES, ids=lambda m: encode(m)[:40])
def test_every_client_message_round_trips(message: ClientMessage) -> None:
    frame = encode(message)
    assert decode_client(frame) == message
    assert decode_client(frame.encode()) == message, "binary frames decode the same"


@pytest.mark.parametrize(
    ("field", "mime_type", "data"),
    [
        ("audio", "audio/pcm;rate=16000", bytes(range(256)) * 5),
        ("video", "image/jpeg", b"\xff\xd8\xff\xe0 a picture"),
        ("audio", "audio/pcm;rate=16000", b""),
        ("video", 'image/"odd"\\type', b"x"),  # a MIME type is JSON-escaped as the model escapes it
        ("video", "image/é", b"x"),
    ],
)
def test_a_blob_frame_written_without_a_model_is_the_model_s_frame(
    field: Literal["audio", "video"], mime_type: str, data: bytes
) -> None:
    blob = Blob(mime_type=mime_type, data=data)
    realtime = RealtimeInput(audio=blob) if field == "audio" else RealtimeInput(video=blob)
    assert realtime_blob(field, mime_type, data) == encode(RealtimeInputMessage(realtime_input=realtime))


def test_a_microphone_block_is_shown_as_its_frame_parsed_back_would_be() -> None:
    session = GeminiSession(Setup(model="models/x"))
    session.send_audio(bytes(1280), rate=16000)
    (frame,) = session.data_to_send()
    (shown,) = session.events_received()
    summary, text = summarize(load_json(frame))
    assert shown == ev.WireFrame(direction="out", summary=summary, text=text, size=len(frame))
    assert (
        shown.model_dump_json() == ev.WireFrame.model_validate_json(shown.model_dump_json()).model_dump_json()
    )


def test_encoding_writes_camel_case_and_omits_unset_fields() -> None:
    frame = json.loads(encode(SetupMessage(setup=FULL_SETUP)))
    setup = frame["setup"]
    assert setup["generationConfig"]["speechConfig"]["voiceConfig"]["prebuiltVoiceConfig"] == {
        "voiceName": "Kore"
    }
    assert setup["realtimeInputConfig"]["automaticActivityDetection"]["silenceDurationMs"] == 500
    assert setup["inputAudioTranscription"] == {}
    assert "avatarConfig" not in setup
    activity = json.loads(encode(CLIENT_MESSAGES[5]))
    assert activity == {"realtimeInput": {"activityStart": {}}}


def test_snake_case_frames_from_the_python_sdk_decode() -> None:
    frame = (
        '{"setup": {"model": "models/m", "generationConfig": {"speechConfig": {"voice_config": '
        '{"prebuilt_voice_config": {"voice_name": "Kore"}}}}, "realtimeInputConfig": '
        '{"automatic_activity_detection": {"disabled": true}}, "contextWindowCompression": '
        '{"trigger_tokens": 25600, "sliding_window": {"target_tokens": 12800}}}}'
    )
    message = decode_client(frame)
    assert isinstance(message, SetupMessage)
    assert message.setup.manual_activity
    config = message.setup.generation_config
    assert config is not None and config.speech_config is not None
    voice = config.speech_config.voice_config
    assert voice is not None and voice.prebuilt_voice_config == PrebuiltVoiceConfig(voice_name="Kore")
    audio = decode_client(
        '{"realtime_input": {"audio": {"data": "AAECAw==", "mime_type": "audio/pcm;rate=16000"}}}'
    )
    assert isinstance(audio, RealtimeInputMessage) and audio.realtime_input.audio is not None
    assert audio.realtime_input.audio.data == b"\0\1\2\3"
    assert audio_rate(audio.realtime_input.audio.mime_type, 0) == 16000


@pytest.mark.parametrize(
    ("text", "data"),
    [("_9j_", b"\xff\xd8\xff"), ("/9j/", b"\xff\xd8\xff"), ("_9g", b"\xff\xd8"), ("/9g=", b"\xff\xd8")],
)
def test_both_base64_alphabets_padded_or_not(text: str, data: bytes) -> None:
    message = decode_client(
        json.dumps({"realtimeInput": {"video": {"data": text, "mimeType": "image/jpeg"}}})
    )
    assert isinstance(message, RealtimeInputMessage) and message.realtime_input.video is not None
    assert message.realtime_input.video.data == data


def test_unknown_fields_are_ignored() -> None:
    message = decode_client('{"realtimeInput": {"text": "hi", "futureField": {"x": 1}}}')
    assert message == RealtimeInputMessage(realtime_input=RealtimeInput(text="hi"))
    server = decode_server('{"serverContent": {"turnComplete": true, "newThing": 1}, "alsoNew": {}}')
    assert server.server_content == ServerContent(turn_complete=True)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ("nope", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        ("[1, 2]", "JSON list, not an object"),
        ('{"bogus": {}}', "unknown message type 'bogus'"),
        ('{"setup": {"model": "m"}, "clientContent": {}}', "exactly one top-level key"),
        ('{"setup": {}}', "invalid setup: setup.model"),
        ('{"realtimeInput": {"audio": {"data": "%%%", "mimeType": "audio/pcm"}}}', "not base64"),
    ],
)
def test_bad_client_frames_are_one_line_protocol_errors(frame: str | bytes, expected: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_client(frame)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


SERVER_MESSAGES = [
    ServerMessage(setup_complete=SetupComplete(session_id="s1")),
    ServerMessage(
        server_content=ServerContent(
            model_turn=Content(
                role="model",
                parts=(
                    Part(text="hi"),
                    Part(inline_data=Blob(mime_type="audio/pcm;rate=24000", data=b"\0\0")),
                    Part(text="thinking", thought=True),
                    Part(executable_code=ExecutableCode(language="PYTHON", code="print(1)")),
                    Part(code_execution_result=CodeExecutionResult(outcome="OUTCOME_OK", output="1")),
                ),
            ),
            input_transcription=Transcription(text="hello", finished=True),
            output_transcription=Transcription(text="hi"),
            grounding_metadata={"x": 1},
        )
    ),
    ServerMessage(
        server_content=ServerContent(
            turn_complete=True, turn_complete_reason="NEED_MORE_INPUT", waiting_for_input=True
        ),
        usage_metadata=UsageMetadata(
            prompt_token_count=515,
            response_token_count=38,
            total_token_count=553,
            prompt_tokens_details=(ModalityTokenCount(modality="TEXT", token_count=515),),
        ),
    ),
    ServerMessage(server_content=ServerContent(interrupted=True)),
    ServerMessage(server_content=ServerContent(generation_complete=True)),
    ServerMessage(tool_call=ToolCall(function_calls=(FunctionCall(id="fc", name="f", args={"a": 1}),))),
    ServerMessage(tool_call_cancellation=ToolCallCancellation(ids=("fc",))),
    ServerMessage(go_away=GoAway(time_left=50.0)),
    ServerMessage(session_resumption_update=SessionResumptionUpdate(new_handle="h", resumable=True)),
    ServerMessage(
        voice_activity_detection_signal=VoiceActivityDetectionSignal(vad_signal_type="VAD_SIGNAL_TYPE_SOS")
    ),
    ServerMessage(voice_activity=VoiceActivity(voice_activity_type="ACTIVITY_START", audio_offset="1.5s")),
]


@pytest.mark.parametrize("message", SERVER_MESSAGES, ids=lambda m: encode(m)[:40])
def test_every_server_message_round_trips(message: ServerMessage) -> None:
    assert decode_server(encode(message)) == message


def test_server_wire_spellings() -> None:
    assert json.loads(encode(SERVER_MESSAGES[7])) == {"goAway": {"timeLeft": "50s"}}
    assert json.loads(encode(SERVER_MESSAGES[10]))["voiceActivity"]["type"] == "ACTIVITY_START"
    update = decode_server(
        '{"sessionResumptionUpdate": {"newHandle": "h", "resumable": "true", '
        '"lastConsumedClientMessageIndex": "123456789"}}'
    )
    assert update.session_resumption_update == SessionResumptionUpdate(
        new_handle="h", resumable=True, last_consumed_client_message_index=123456789
    )
    urlsafe = base64.urlsafe_b64encode(b"\xfb\xff").decode()
    audio = decode_server(
        json.dumps(
            {
                "serverContent": {
                    "modelTurn": {"parts": [{"inlineData": {"data": urlsafe, "mimeType": "audio/pcm"}}]}
                }
            }
        )
    )
    assert audio.server_content is not None and audio.server_content.model_turn is not None
    blob = audio.server_content.model_turn.parts[0].inline_data
    assert blob is not None and blob.data == b"\xfb\xff"


def test_a_server_frame_with_only_unknown_keys_is_an_error() -> None:
    with pytest.raises(ProtocolError, match="unknown message type"):
        decode_server('{"error": {"code": 1}}')
    assert decode_server("{}") == ServerMessage()
