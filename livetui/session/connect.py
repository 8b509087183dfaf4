"""Open a session as settings ask: Gemini with a key, or the embedded local server in a child process.

Every way of connecting is built here, as a `SessionPlan`: the connector, what the session talks to (its
`Target`, which the status bar names from the first frame on), and the notices the opening screen shows.
The app asks for a local plan itself when a Gemini session cannot go on and the user chooses to continue
on the local server.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace

from livetui.config import KEY_VARIABLES, Settings
from livetui.providers import registry
from livetui.session.engine import Clock, LiveSession
from livetui.session.local_server import LocalServer
from livetui.session.setup import build_config
from livetui.session.unreachable import host_of
from livetui.tools.registry import ToolRegistry

Connector = Callable[[], AbstractAsyncContextManager[LiveSession]]
"""What the app calls to get a session: an async context manager that cleans up after it."""

BrainChoice = Callable[[str], tuple[str, list[str]]]
"""Resolves a `--brain` choice to the brain the local server runs, and why it is another (the CLI's
`resolve_brain`, which may look at the server's brains; the client itself never does)."""

LocalPlanner = Callable[[], "SessionPlan"]
"""Makes the plan for the local server, on demand (to continue there when Gemini cannot be reached)."""

GEMINI_HINT = "to talk to Gemini instead, set GEMINI_API_KEY and start livetui again"
"""How the opening notice of a keyless session says where Gemini is."""


class MissingKeyError(Exception):
    """Gemini was asked for, and no key is set. The message is one line."""


@dataclass(frozen=True)
class Target:
    """What a session talks to: the provider, and the model (or, on the local server, the brain)."""

    provider: str
    """`gemini` or `local`."""
    model: str
    """The Gemini model (without `models/`), the local brain (`smollm2`, `scripted`), or `host:port` for a
    server started by someone else."""

    @property
    def label(self) -> str:
        """`provider · model`, as the status bar shows it."""
        return f"{self.provider} · {self.model}"

    @classmethod
    def of(cls, settings: Settings) -> Target:
        """The target these settings name before any plan is made (Gemini's model, or the local brain)."""
        if settings.use_gemini:
            return cls("gemini", settings.model.removeprefix("models/"))
        return cls("local", settings.brain if settings.brain != "auto" else "server")


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


def missing_key(asked_by: str = "--provider gemini") -> str:
    """The one line for Gemini asked for (by `asked_by`: a flag, a variable, a file line) with no key."""
    names = ", ".join(KEY_VARIABLES[:-1]) + f" or {KEY_VARIABLES[-1]}"
    return f"{asked_by} needs an API key: livetui reads it from {names}; set one (or use --provider local)"


def plan_session(
    settings: Settings,
    *,
    resolve: BrainChoice,
    url: str | None = None,
    tools: ToolRegistry | None = None,
) -> SessionPlan:
    """The plan for these settings: `url` (a server already running), Gemini, or the local server (its
    brain chosen by `resolve`).

    Raises:
        MissingKeyError: the provider is `gemini` and no key is set.
    """
    if url is not None:
        return SessionPlan(connect_to(url, settings, tools=tools), Target("local", host_of(url)))
    if settings.use_gemini:
        if settings.api_key is None:
            raise MissingKeyError(missing_key())
        return SessionPlan(lambda: open_session(settings, tools=tools), Target.of(settings))
    plan = plan_local(settings, resolve=resolve, tools=tools)
    if settings.provider == "auto":  # one opening notice: what answers, why that brain, where Gemini is
        brain = f"the local server's {plan.target.model} brain"
        why = f" ({'; '.join(plan.reasons)})" if plan.reasons else ""
        notice = f"No API key: you are talking to {brain} on this machine{why}; {GEMINI_HINT}."
        return SessionPlan(plan.connector, plan.target, (notice,))
    return plan


def plan_local(settings: Settings, *, resolve: BrainChoice, tools: ToolRegistry | None = None) -> SessionPlan:
    """The plan for the embedded local server, with the brain `resolve` picks for the settings' choice."""
    brain, reasons = resolve(settings.brain)
    local = settings.model_copy(update={"provider": "local"})
    connector = lambda: open_session(local, brain=brain, tools=tools)  # noqa: E731
    notices = tuple(f"The local server uses the {brain} brain: {reason}." for reason in reasons)
    return SessionPlan(connector, Target("local", brain), notices, tuple(reasons))


@contextlib.asynccontextmanager
async def open_session(
    settings: Settings, *, brain: str = "scripted", tools: ToolRegistry | None = None
) -> AsyncIterator[LiveSession]:
    """A session for these settings; a local server it started is stopped on exit.

    Args:
        settings: the user's settings.
        brain: the local server's brain (`smollm2` or `scripted`), already resolved by the caller.
        tools: the tools the session declares (none when None).

    Raises:
        LocalServerError: the local server could not be started.
        MissingKeyError: the settings ask for Gemini and there is no key.
    """
    config = build_config(settings, tools=tools)
    if settings.use_gemini:
        if settings.api_key is None:
            raise MissingKeyError(missing_key())
        endpoint = registry.endpoint("gemini", settings.api_key)
        yield LiveSession(endpoint, registry.provider("gemini", settings), config)
        return
    # On the local server the model that answers is its brain: say so in setup (and so in the status bar).
    config = replace(config, model=brain)
    grammar = ("--grammar", str(settings.grammar)) if settings.grammar is not None else ()
    server = await LocalServer.start(brain=brain, script=settings.script, extra=grammar)
    try:
        dialect = registry.LOCAL_DIALECT
        endpoint = registry.local_endpoint(server.url, dialect=dialect)
        yield LiveSession(endpoint, registry.provider(dialect, settings), config)
    finally:
        await server.stop()


def connect_to(
    url: str, settings: Settings, *, clock: Clock | None = None, tools: ToolRegistry | None = None
) -> Connector:
    """A connector for a server that is already running at `ws://HOST:PORT` (tests, `--url`); `tools` are
    declared, and the settings' `url_key` is presented in a header."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        # Which brain answers is the server's business: the status bar names the server, not a Gemini model.
        config = replace(build_config(settings, tools=tools), model="local")
        dialect = registry.LOCAL_DIALECT
        endpoint = registry.local_endpoint(url, settings.url_key, dialect=dialect)
        session = LiveSession(endpoint, registry.provider(dialect, settings), config)
        if clock is not None:
            session.clock = clock
        yield session

    return connector
