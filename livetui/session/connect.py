"""Open a session as settings ask: Gemini or OpenAI with a key, or the embedded local server (in either
dialect) in a child process.

Every way of connecting is built here, as a `SessionPlan`: the connector, what the session talks to (its
`Target`, which the status bar names from the first frame on), where it goes (its `Route`: provider, model,
base URL, key), and the notices the opening screen shows. The app asks for a local plan itself when a
session cannot go on and the user chooses to continue on the local server.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace

from pydantic import SecretStr

from livetui.config import KEY_VARIABLES, Provider, Settings
from livetui.live.endpoint import EndpointOptions
from livetui.providers import registry
from livetui.session.engine import Clock, LiveSession
from livetui.session.local_server import LocalServer
from livetui.session.setup import build_config
from livetui.session.unreachable import host_of
from livetui.session.vertex import NO_CREDENTIAL, open_vertex, vertex_ready
from livetui.tools.registry import ToolRegistry

Connector = Callable[[], AbstractAsyncContextManager[LiveSession]]
"""What the app calls to get a session: an async context manager that cleans up after it."""

BrainChoice = Callable[[str], tuple[str, list[str]]]
"""Resolves a `--brain` choice to the brain the local server runs, and why it is another (the CLI's
`resolve_brain`, which may look at the server's brains; the client itself never does)."""

LocalPlanner = Callable[[], "SessionPlan"]
"""Makes the plan for the local server, on demand (to continue there when its provider cannot be reached)."""

GEMINI_HINT = (
    "to talk to Gemini or OpenAI instead, set GEMINI_API_KEY or OPENAI_API_KEY and start livetui again"
)
"""How the opening notice of a keyless session says where the providers are."""


class MissingKeyError(Exception):
    """A provider was asked for, and its key is not set. The message is one line."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(missing_key(provider))
        self.provider: Provider = provider
        """The provider whose key is missing."""


class EndpointSettingsError(Exception):
    """The settings name an endpoint that cannot be used (a base URL that is not one, Azure without a
    deployment). The message is one line."""


@dataclass(frozen=True)
class Route:
    """Where a session goes, in the terms its endpoint is built from. The key is never shown."""

    provider: Provider
    """`gemini`, `openai`, or `local` (the embedded server)."""
    model: str
    """The model asked for (on the local server, its brain)."""
    dialect: str
    """The protocol spoken: `gemini` or `openai`."""
    base_url: str | None = None
    """The endpoint's base URL; None for the provider's own."""
    api_key: SecretStr | None = field(default=None, repr=False)
    """The provider's key (None for the local server). Secret: kept out of repr and every message."""
    azure_deployment: str | None = None
    """The Azure OpenAI deployment, with an Azure base URL."""
    api_version: str | None = None
    """The Azure OpenAI `api-version`."""
    turn_detection: str = "server_vad"
    """OpenAI's voice-activity detection: `server_vad` or `semantic_vad`."""

    @classmethod
    def openai(cls, settings: Settings) -> Route:
        """The route to the OpenAI Realtime API (or Azure, xAI, a compatible server) these settings name.

        Raises:
            MissingKeyError: there is no OpenAI key.
        """
        openai = settings.openai
        if openai.api_key is None:
            raise MissingKeyError("openai")
        return cls(
            "openai",
            openai.model,
            "openai",
            base_url=openai.base_url,
            api_key=openai.api_key,
            azure_deployment=openai.azure_deployment,
            api_version=openai.api_version,
            turn_detection=openai.turn_detection,
        )


@dataclass(frozen=True)
class Target:
    """What a session talks to: the provider, and the model (or, on the local server, the brain)."""

    provider: str
    """`gemini`, `openai` or `local`."""
    model: str
    """The Gemini model (without `models/`), the local brain (`smollm2`, `scripted`), or `host:port` for a
    server started by someone else."""
    dialect: str = "gemini"
    """The protocol a local server is spoken to in (a provider's own service speaks its own)."""

    @property
    def shown_model(self) -> str:
        """The model as the status bar shows it: with the dialect of a local server that speaks OpenAI's
        (`scripted · openai`)."""
        if self.provider == "local" and self.dialect != "gemini":
            return f"{self.model} · {self.dialect}"
        return self.model

    @property
    def wire(self) -> str:
        """The provider whose protocol is spoken: the provider's own, or the local server's dialect."""
        return self.dialect if self.provider == "local" else self.provider

    @property
    def label(self) -> str:
        """`provider · model` as the status bar shows it (`local · scripted · openai`)."""
        return f"{self.provider} · {self.shown_model}"

    @classmethod
    def of(cls, settings: Settings) -> Target:
        """The target these settings name before any plan is made (the provider's model, or the local
        brain)."""
        provider = settings.provider_in_use
        if provider == "gemini":
            return cls("gemini", settings.gemini.model.removeprefix("models/"))
        if provider == "openai":
            return cls("openai", settings.openai.model)
        if provider == "vertex":
            return cls("vertex", settings.vertex.model)
        brain = settings.local.brain
        return cls("local", brain if brain != "auto" else "server", settings.local.dialect)


@dataclass(frozen=True)
class SessionPlan:
    """How to open a session, what it talks to, and what the opening screen says about it."""

    connector: Connector
    """Opens the session."""
    target: Target
    """What it talks to."""
    notices: tuple[str, ...] = ()
    """One-line notices for the top of the chat log."""
    reasons: tuple[str, ...] = ()
    """Why the local server runs another brain than the one asked for (folded into the opening notice)."""
    route: Route | None = None
    """Where it goes (None for a server someone else started, `--url`)."""


def missing_key(provider: Provider = "gemini", asked_by: str | None = None) -> str:
    """The one line for `provider` asked for (by `asked_by`: a flag, a variable, a file line) with no key."""
    if provider == "vertex":
        return f"{asked_by or '--provider vertex'} {NO_CREDENTIAL}"
    variables = KEY_VARIABLES[provider]
    names = ", ".join(variables[:-1]) + f" or {variables[-1]}"
    asked_by = asked_by if asked_by is not None else f"--provider {provider}"
    return f"{asked_by} needs an API key: livetui reads it from {names}; set one (or use --provider local)"


def plan_session(
    settings: Settings,
    *,
    resolve: BrainChoice,
    url: str | None = None,
    tools: ToolRegistry | None = None,
) -> SessionPlan:
    """The plan for these settings: `url` (a server already running), Gemini, OpenAI, or the local server
    (its brain chosen by `resolve`).

    Raises:
        MissingKeyError: the provider is `gemini` or `openai` and its key is not set.
    """
    if url is not None:
        return SessionPlan(
            connect_to(url, settings, tools=tools), Target("local", host_of(url), settings.local.dialect)
        )
    provider = settings.provider_in_use
    if provider == "gemini":
        key = settings.gemini.api_key
        if key is None:
            raise MissingKeyError("gemini")
        route = Route("gemini", settings.gemini.model, "gemini", api_key=key)
        return SessionPlan(lambda: open_session(settings, tools=tools), Target.of(settings), route=route)
    if provider == "vertex":
        if not vertex_ready(settings):
            raise MissingKeyError("vertex")
        route = Route("vertex", settings.vertex.model, "gemini")
        return SessionPlan(lambda: open_vertex(settings, tools=tools), Target.of(settings), route=route)
    if provider == "openai":
        route = Route.openai(settings)
        return SessionPlan(
            lambda: open_openai(route, settings, tools=tools), Target.of(settings), route=route
        )
    plan = plan_local(settings, resolve=resolve, tools=tools)
    if settings.provider == "auto":  # one opening notice: what answers, why that brain, where Gemini is
        brain = f"the local server's {plan.target.model} brain"
        why = f" ({'; '.join(plan.reasons)})" if plan.reasons else ""
        notice = f"No API key: you are talking to {brain} on this machine{why}; {GEMINI_HINT}."
        return SessionPlan(plan.connector, plan.target, (notice,), route=plan.route)
    return plan


def plan_local(settings: Settings, *, resolve: BrainChoice, tools: ToolRegistry | None = None) -> SessionPlan:
    """The plan for the embedded local server, with the brain `resolve` picks for the settings' choice,
    in the settings' dialect."""
    brain, reasons = resolve(settings.local.brain)
    local = settings.model_copy(update={"provider": "local"})
    route = Route("local", brain, settings.local.dialect)
    connector = lambda: open_local(local, brain, tools=tools)  # noqa: E731
    notices = tuple(f"The local server uses the {brain} brain: {reason}." for reason in reasons)
    target = Target("local", brain, settings.local.dialect)
    return SessionPlan(connector, target, notices, tuple(reasons), route)


def openai_session(route: Route, settings: Settings, *, tools: ToolRegistry | None = None) -> LiveSession:
    """The OpenAI Realtime session of `route`: its endpoint is the URL from the base URL, model, Azure
    deployment and api-version, with the key in its header (`Authorization`, or Azure's `api-key`).

    Raises:
        MissingKeyError: the route has no key.
        EndpointSettingsError: the base URL or the Azure options cannot make an endpoint.
    """
    if route.api_key is None:
        raise MissingKeyError("openai")
    options = EndpointOptions(
        model=route.model,
        base_url=route.base_url,
        deployment=route.azure_deployment,
        api_version=route.api_version,
    )
    try:
        endpoint = registry.endpoint("openai", route.api_key, options)
    except ValueError as error:
        raise EndpointSettingsError(str(error)) from None
    return LiveSession(endpoint, registry.provider("openai", settings), build_config(settings, tools=tools))


@contextlib.asynccontextmanager
async def open_openai(
    route: Route, settings: Settings, *, tools: ToolRegistry | None = None
) -> AsyncIterator[LiveSession]:
    """A session with the OpenAI Realtime API (or a service speaking it), as `route` says."""
    yield openai_session(route, settings, tools=tools)


@contextlib.asynccontextmanager
async def open_local(
    settings: Settings, brain: str, *, tools: ToolRegistry | None = None
) -> AsyncIterator[LiveSession]:
    """A session with the embedded server, started as a child with `brain` and spoken to in the settings'
    dialect; the server is stopped on exit.

    Raises:
        LocalServerError: the local server could not be started.
    """
    server = await start_local(settings, brain)
    try:
        yield local_session(server.url, settings, model=brain, tools=tools)
    finally:
        await server.stop()


@contextlib.asynccontextmanager
async def open_session(
    settings: Settings, *, brain: str = "scripted", tools: ToolRegistry | None = None
) -> AsyncIterator[LiveSession]:
    """A session for these settings: Gemini with its key, or else the embedded server (see `open_local`).

    Args:
        settings: the user's settings.
        brain: the local server's brain (`smollm2` or `scripted`), already resolved by the caller.
        tools: the tools declared in `setup` (none when None).

    Raises:
        LocalServerError: the local server could not be started.
        MissingKeyError: the settings ask for Gemini and there is no key.
    """
    if not settings.use_gemini:
        async with open_local(settings, brain, tools=tools) as session:
            yield session
        return
    if settings.gemini.api_key is None:
        raise MissingKeyError("gemini")
    endpoint = registry.endpoint("gemini", settings.gemini.api_key)
    yield LiveSession(endpoint, registry.provider("gemini", settings), build_config(settings, tools=tools))


def local_session(
    url: str,
    settings: Settings,
    *,
    model: str,
    key: SecretStr | None = None,
    tools: ToolRegistry | None = None,
) -> LiveSession:
    """A session with a local server at ``ws://HOST:PORT`` in the settings' dialect, presenting `key` if
    given. On a local server the model that answers is its brain: `model` names it in the session's
    configuration (and so in the status bar)."""
    config = replace(build_config(settings, tools=tools), model=model)
    dialect = settings.local.dialect
    endpoint = registry.local_endpoint(url, key, dialect=dialect)
    return LiveSession(endpoint, registry.provider(dialect, settings), config)


async def start_local(settings: Settings, brain: str) -> LocalServer:
    """The embedded server, started with `brain` and the settings' script and grammar.

    Raises:
        LocalServerError: it could not be started.
    """
    local = settings.local
    extra = [
        option
        for flag, value in (
            ("--grammar", local.grammar),
            ("--brain-url", local.brain_url),
            ("--brain-model", local.brain_model),
            ("--brain-key-env", local.brain_key_env),
        )
        if value is not None
        for option in (flag, str(value))
    ]
    # The bridge's key goes to the server in the one variable named for it, never on its command line.
    passed = (local.brain_key_env,) if local.brain_key_env else ()
    return await LocalServer.start(brain=brain, script=local.script, extra=extra, passed=passed)


def connect_to(
    url: str, settings: Settings, *, clock: Clock | None = None, tools: ToolRegistry | None = None
) -> Connector:
    """A connector for a server that is already running at `ws://HOST:PORT` (tests, `--url`); `tools` are
    declared in `setup`, and the settings' `url_key` is presented in a header."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        # Which brain answers is the server's business: the status bar names the server, not a Gemini model.
        session = local_session(url, settings, model="local", key=settings.url_key, tools=tools)
        if clock is not None:
            session.clock = clock
        yield session

    return connector
