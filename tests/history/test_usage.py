"""Usage and cost: the tokens a server reports, by modality where it says, added up per turn and per
session in the latency pane, the status bar and the exports, and priced by the table in the settings."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Label

from livetui import events as ev
from livetui.config import DEFAULT_PRICES, Price, Settings
from livetui.record.export import export_session
from livetui.record.reader import read_recording
from livetui.record.usage import NO_PRICE, Tokens, estimate, format_cost, price_for
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from tests.conftest import ServerStarter
from tests.history.sessions import say_and_wait
from tests.providers.openai.wire import frame, live_codec
from tests.ui.waiting import seen, send, until, until_live


def test_tokens_of_a_known_modality_are_priced_at_its_rate_and_the_rest_as_text() -> None:
    tokens = Tokens()
    tokens.add(
        ev.Usage(
            turn=1,
            prompt_tokens=1_000,
            response_tokens=500,
            total_tokens=1_500,
            prompt_details={"audio": 600, "text": 100},
            response_details={"audio": 500},
        )
    )
    tokens.add(ev.Usage(turn=2, prompt_tokens=200, response_tokens=100, total_tokens=300))
    price = Price(text_in=4.0, audio_in=32.0, image_in=5.0, text_out=16.0, audio_out=64.0)
    # prompt: 600 audio at 32, 600 text at 4; response: 500 audio at 64, 100 text at 16 (per million)
    expected = (600 * 32 + 600 * 4 + 500 * 64 + 100 * 16) / 1_000_000
    assert estimate(tokens, price) == expected
    assert tokens.total == 1_800 and tokens.prompt_details == {"audio": 600, "text": 100}
    assert tokens.describe() == ("prompt 1200 (audio 600, text 100) · response 600 (audio 500) · total 1800")
    assert format_cost(expected) == "$0.0552"


def test_a_model_or_modality_without_a_price_has_no_price_known() -> None:
    tokens = Tokens(prompt=10, response=5, total=15, prompt_details={"image": 10})
    assert estimate(tokens, None) is None
    assert estimate(tokens, Price(text_in=1.0, text_out=1.0)) is None  # no image rate
    assert format_cost(None) == NO_PRICE
    assert price_for(Settings().prices, "local", "scripted") is None


def test_the_default_models_prices_are_built_in_with_their_date_and_the_config_adds_more() -> None:
    settings = Settings(prices={"openai/gpt-realtime-mini": Price(text_in=0.6, text_out=2.4)})
    prices = settings.prices
    assert (
        prices["gemini/gemini-live-2.5-flash-preview"]
        == DEFAULT_PRICES["gemini/gemini-live-2.5-flash-preview"]
    )
    assert price_for(prices, "gemini", "models/gemini-live-2.5-flash-preview") is not None
    assert all(price.taken for price in DEFAULT_PRICES.values())
    assert Settings().openai.model in {key.split("/", 1)[1] for key in DEFAULT_PRICES}
    assert Settings().gemini.model.removeprefix("models/") in {key.split("/", 1)[1] for key in DEFAULT_PRICES}
    assert prices["openai/gpt-realtime-mini"].text_in == 0.6


def test_openai_usage_by_modality_reaches_the_event() -> None:
    codec = live_codec()
    codec.send_text("hi", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1", "status": "in_progress"}), at=1.5)
    usage = {
        "input_tokens": 30,
        "output_tokens": 50,
        "total_tokens": 80,
        "input_token_details": {"text_tokens": 20, "audio_tokens": 10, "cached_tokens": 0},
        "output_token_details": {"text_tokens": 10, "audio_tokens": 40},
    }
    codec.receive(
        frame("response.done", response={"id": "resp_1", "status": "completed", "usage": usage}), at=2
    )
    [reported] = [event for event in codec.events_received() if isinstance(event, ev.Usage)]
    assert reported.prompt_details == {"text": 20, "audio": 10}
    assert reported.response_details == {"text": 10, "audio": 40}


async def test_the_reported_tokens_add_up_in_the_pane_the_status_bar_and_the_exports(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    priced = settings.model_copy(update={"prices": {"local/server": Price(text_in=1.0, text_out=2.0)}})
    server = await start_live_server()
    app = make_app(priced, connect_to(server.url, priced))
    messages: list[Any] = []
    async with app.run_test(size=(160, 50), message_hook=messages.append) as pilot:
        await until_live(pilot)
        for number, text in enumerate(("one two three", "four five"), start=1):
            await say_and_wait(pilot, app, number, text)
        await until(pilot, lambda: len({u.turn for u in seen(messages, ev.Usage)}) == 2, "the usage")
        pane_line = app.main.query_one("#latency-usage", Label)
        await until(pilot, lambda: "turn 2" in str(pane_line.render()), "the pane's usage line")
        pane = str(pane_line.render())
        status = str(app.main.status.query_one("#usage", Label).render())
        keeper = app.keeper
        assert keeper is not None and keeper.directory is not None
        directory = keeper.directory
    usages = [event for event in read_recording(directory).events if isinstance(event, ev.Usage)]
    assert [usage.turn for usage in usages] == [1, 2]
    assert all(usage.total_tokens > 0 for usage in usages)
    second = usages[1]
    assert pane == (  # the local server counts by modality, as Google does
        f"tokens, turn 2: prompt {second.prompt_tokens} (text {second.prompt_tokens}) · response "
        f"{second.response_tokens} (text {second.response_tokens}) · total {second.total_tokens}"
    )
    prompt = sum(usage.prompt_tokens for usage in usages)
    response = sum(usage.response_tokens for usage in usages)
    total = sum(usage.total_tokens for usage in usages)
    assert status == f"Σ {total} tok · {format_cost((prompt * 1.0 + response * 2.0) / 1_000_000)}"
    document = json.loads(export_session(directory, "json").path.read_text())
    turns = [item for item in document["items"] if item["type"] == "turn"]
    assert [turn["usage"]["total_tokens"] for turn in turns] == [usage.total_tokens for usage in usages]
    assert document["usage"]["total_tokens"] == total and document["usage"]["prompt_tokens"] == prompt
    markdown = export_session(directory, "md").path.read_text()
    assert (
        f"Tokens: prompt {prompt} (text {prompt}) · response {response} (text {response}) · total {total}"
        in (markdown)
    )
    assert f"*Tokens: prompt {second.prompt_tokens} (text {second.prompt_tokens}) · response" in markdown


async def test_without_a_price_the_status_bar_shows_tokens_and_says_no_price_is_known(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(160, 50)) as pilot:
        await until_live(pilot)
        await send(pilot, "hello")
        label = app.main.status.query_one("#usage", Label)
        await until(pilot, lambda: label.has_class("-shown"), "the usage")
        assert str(label.render()).endswith(" tok"), "the local server costs nothing: no price is looked up"
        app.main.status.provider = "gemini"  # a paid provider with no price in the table says so
        await send(pilot, "again")
        await until(pilot, lambda: str(label.render()).endswith(f"tok · {NO_PRICE}"), "no price known")
