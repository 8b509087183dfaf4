"""``--tls``: a self-signed certificate for loopback that clients can trust by file."""

from __future__ import annotations

import ssl
from pathlib import Path

from cryptography import x509
from websockets.asyncio.client import connect

from livetui.providers.gemini.paths import LIVE_PATH
from livetui.server.app import ServerConfig
from livetui.server.tls import write_self_signed
from tests.conftest import ServerStarter
from tests.server.wire import ask, recv, send, setup


def test_the_certificate_names_loopback_and_its_key_is_private(tmp_path: Path) -> None:
    cert_path, key_path = write_self_signed(tmp_path / "new" / "dir")
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert key_path.stat().st_mode & 0o077 == 0


async def test_a_tls_server_holds_a_session_with_a_client_trusting_the_certificate(
    start_live_server: ServerStarter, tmp_path: Path
) -> None:
    server = await start_live_server(ServerConfig(tls=True, cert_dir=tmp_path))
    assert server.url == f"wss://127.0.0.1:{server.port}"
    assert server.cert_path == tmp_path / "cert.pem"
    context = ssl.create_default_context(cafile=server.cert_path)
    # What newer Pythons turn on by default: the certificate must pass strict X.509 checks.
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    for hostname in ("127.0.0.1", "localhost"):
        async with connect(server.url + LIVE_PATH, ssl=context, server_hostname=hostname) as ws:
            await send(ws, setup())
            assert await recv(ws) == {"setupComplete": {}}
            assert await ask(ws, "secure") == "You said: secure"


async def test_without_a_cert_dir_the_certificate_lives_in_a_temporary_directory_removed_on_close(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server(ServerConfig(tls=True))
    assert server.cert_path is not None and server.cert_path.exists()
    await server.close()
    assert not server.cert_path.parent.exists()
