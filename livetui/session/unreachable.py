"""Why a server could not be reached, in one line that names the host and the cause.

A socket error's own text (``[Errno -2] Name or service not known``) names neither the host nor what to
do; this says which host, and what failed: its name, the network, the port, or the time allowed.
"""

from __future__ import annotations

import errno
import socket
from urllib.parse import urlsplit

from websockets.exceptions import InvalidStatus

_RESOLUTION = {
    socket.EAI_NONAME: "its name does not resolve (a typo, or no DNS)",
    socket.EAI_AGAIN: "its name could not be looked up now (no network, or DNS is down)",
    socket.EAI_FAIL: "its name could not be looked up (DNS failed)",
}
_EAI_NODATA = getattr(socket, "EAI_NODATA", None)
_NETWORK = {
    errno.ENETUNREACH: "the network is unreachable (no network?)",
    errno.EHOSTUNREACH: "no route to the host (no network?)",
    errno.ECONNRESET: "the connection was reset",
}


def host_of(url: str) -> str:
    """`host:port` of a WebSocket URL (the port the scheme implies when there is none)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    return f"{parts.hostname or url}:{port}"


def cause(error: BaseException, timeout: float) -> str:
    """What went wrong, in a few words."""
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s (a slow or blocked network)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (nothing is listening on that port)"
    if isinstance(error, socket.gaierror):
        if error.errno in _RESOLUTION:
            return _RESOLUTION[error.errno]
        if _EAI_NODATA is not None and error.errno == _EAI_NODATA:
            return _RESOLUTION[socket.EAI_NONAME]
        return f"its name could not be looked up ({error.strerror or error})"
    if isinstance(error, OSError) and error.errno in _NETWORK:
        return _NETWORK[error.errno]
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return " ".join(str(error).split()) or type(error).__name__


def describe_unreachable(url: str, error: BaseException, timeout: float) -> str:
    """One line: `cannot reach HOST:PORT: CAUSE`, or, when the server answered the upgrade with a refusal,
    `HOST:PORT refused ...`."""
    if isinstance(error, InvalidStatus):
        status = error.response.status_code
        if status in (401, 403):  # a keyed local server refuses a missing or wrong key at the upgrade
            return f"{host_of(url)} refused the API key (HTTP {status}): check the key"
        return f"{host_of(url)} refused the WebSocket: HTTP {status}"
    return f"cannot reach {host_of(url)}: {cause(error, timeout)}"
