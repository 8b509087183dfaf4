"""The official google-genai SDK receives a toolCall from the local server, and its send_tool_response is
accepted and answered (reference §7, recipe 1: TLS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.genai import types

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.test_sdk import sdk_client

pytestmark = pytest.mark.sdk


@pytest.fixture
async def tls_tool_server(
    start_live_server: ServerStarter, write_script: ScriptWriter, tmp_path: Path
) -> LiveServer:
    """A TLS server whose "times" rule calls the calculator."""
    script = {
        "rules": [
            {
                "match": "times",
                "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
                "reply": "6 times 7 is {output}.",
            }
        ]
    }
    return await start_live_server(
        ServerConfig(tls=True, cert_dir=tmp_path, key="k", script=write_script(script))
    )


async def test_the_sdk_answers_a_tool_call_and_gets_the_reply(tls_tool_server: LiveServer) -> None:
    calculator = types.FunctionDeclaration(
        name="calculator",
        description="Arithmetic.",
        parameters_json_schema={"type": "object", "properties": {"expression": {"type": "string"}}},
    )
    config = types.LiveConnectConfig(
        response_modalities=[types.Modality.TEXT],
        tools=[types.Tool(function_declarations=[calculator])],
    )
    async with sdk_client(tls_tool_server).aio.live.connect(model="local-test", config=config) as session:
        await session.send_realtime_input(text="what is 6 times 7")
        calls: list[types.FunctionCall] = []
        deltas: list[str] = []
        async for message in session.receive():
            if message.tool_call is not None and message.tool_call.function_calls:
                calls.extend(message.tool_call.function_calls)
                await session.send_tool_response(
                    function_responses=[
                        types.FunctionResponse(id=call.id, name=call.name, response={"output": 42})
                        for call in message.tool_call.function_calls
                    ]
                )
            if message.text:
                deltas.append(message.text)
        assert [(call.name, call.args) for call in calls] == [("calculator", {"expression": "6 * 7"})]
        assert calls[0].id is not None and calls[0].id.startswith("function-call-")
        assert "".join(deltas) == "6 times 7 is 42."
