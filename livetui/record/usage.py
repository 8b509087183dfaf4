"""Tokens and what they cost: the `Usage` a server reports, added up per turn and per session, and priced
by the table in the settings (`Settings.prices`).

A turn can bring several reports (one per response, and a reply that calls functions has several); they
add up. The cost is an estimate: tokens the provider counts by modality are priced at that modality's
rate, and the rest of the prompt and the response at the text rate. A model with no price in the table,
or a modality without a rate, has "no price known" rather than a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from livetui import events as ev
from livetui.config import Price

NO_PRICE = "no price known"
"""What is shown for a cost that cannot be estimated."""


def _added(into: dict[str, int], more: Mapping[str, int]) -> None:
    for modality, count in more.items():
        into[modality] = into.get(modality, 0) + count


@dataclass
class Tokens:
    """Tokens used, added up over some reports."""

    prompt: int = 0
    """Tokens the model read."""
    response: int = 0
    """Tokens it wrote or spoke."""
    total: int = 0
    """Both, as the provider counts them."""
    prompt_details: dict[str, int] = field(default_factory=dict)
    """The prompt's tokens by modality, where the provider says."""
    response_details: dict[str, int] = field(default_factory=dict)
    """The response's tokens by modality, where the provider says."""

    def add(self, usage: ev.Usage | Tokens) -> None:
        """Add one report (or other totals)."""
        if isinstance(usage, ev.Usage):
            self.prompt += usage.prompt_tokens
            self.response += usage.response_tokens
            self.total += usage.total_tokens or usage.prompt_tokens + usage.response_tokens
        else:
            self.prompt, self.response, self.total = (
                self.prompt + usage.prompt,
                self.response + usage.response,
                self.total + usage.total,
            )
        _added(self.prompt_details, usage.prompt_details)
        _added(self.response_details, usage.response_details)

    def describe(self) -> str:
        """``prompt 120 · response 45 · total 165``, with the modalities where known
        (``prompt 120 (text 40, audio 80)``)."""

        def part(name: str, count: int, details: dict[str, int]) -> str:
            by = ", ".join(f"{modality} {n}" for modality, n in sorted(details.items()))
            return f"{name} {count}" + (f" ({by})" if by else "")

        prompt = part("prompt", self.prompt, self.prompt_details)
        response = part("response", self.response, self.response_details)
        return f"{prompt} · {response} · total {self.total}"

    def as_json(self) -> dict[str, object]:
        """The counts as a JSON object (exports)."""
        return {
            "prompt_tokens": self.prompt,
            "response_tokens": self.response,
            "total_tokens": self.total,
            "prompt_details": dict(self.prompt_details),
            "response_details": dict(self.response_details),
        }


def _priced(count: int, details: Mapping[str, int], rates: Mapping[str, float | None]) -> float | None:
    """Dollars for `count` tokens: those of a known modality at its rate, the rest at the text rate."""
    cost = 0.0
    rest = count
    for modality, tokens in details.items():
        rate = rates.get(modality)
        if rate is None:
            return None
        cost += tokens * rate
        rest -= tokens
    if rest > 0:
        text = rates.get("text")
        if text is None:
            return None
        cost += rest * text
    return cost / 1_000_000


def estimate(tokens: Tokens, price: Price | None) -> float | None:
    """The estimated cost of `tokens` in US dollars at `price`, or None when it cannot be estimated."""
    if price is None:
        return None
    inputs = {
        "text": price.text_in,
        "audio": price.audio_in,
        "image": price.image_in,
        "video": price.image_in,
    }
    outputs = {"text": price.text_out, "audio": price.audio_out}
    prompt = _priced(tokens.prompt, tokens.prompt_details, inputs)
    response = _priced(tokens.response, tokens.response_details, outputs)
    return None if prompt is None or response is None else prompt + response


def price_for(prices: Mapping[str, Price], provider: str, model: str) -> Price | None:
    """The price of `model` at `provider` in the table (`gemini/...`; a `models/` prefix is ignored)."""
    return prices.get(f"{provider}/{model.removeprefix('models/')}")


def format_cost(cost: float | None) -> str:
    """``$0.0123`` (four decimals below a dollar), or "no price known"."""
    if cost is None:
        return NO_PRICE
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"


@dataclass(frozen=True)
class Cost:
    """An estimated cost, as it is shown."""

    usd: float | None
    """US dollars (None: no price known)."""

    @property
    def label(self) -> str:
        """``$0.0123``, or "no price known"."""
        return format_cost(self.usd)


def shown_cost(tokens: Tokens, prices: Mapping[str, Price], provider: str, model: str) -> Cost | None:
    """What `tokens` of `model` at `provider` cost by the table `prices`; None where no cost is shown at
    all: the embedded local server, which costs nothing (unless the table prices it)."""
    usd = estimate(tokens, price_for(prices, provider, model))
    return None if usd is None and provider == "local" else Cost(usd)
