"""`publish --user`: HTTP Basic and Digest authentication against a small Graph Store on
loopback, the password from the environment, and clear messages when it fails."""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from builder.cli_server import publish_command

from .conftest import MINI

USER, PASSWORD, REALM, NONCE = "curator", "s3cret:pw", "luohu-kg-test", "0123456789abcdef"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - the Digest scheme


class _Store(BaseHTTPRequestHandler):
    """Accepts a POST to /store when the request carries the right credentials."""

    scheme = "Basic"
    received: list[bytes] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        pass

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if self.scheme == "Basic":
            expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            return header == f"Basic {expected}"
        if not header.startswith("Digest "):
            return False
        fields = dict(part.strip().split("=", 1) for part in header[len("Digest ") :].split(","))
        values = {k: v.strip('"') for k, v in fields.items()}
        ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = _md5(f"{self.command}:{values.get('uri', '')}")
        answer = _md5(":".join([ha1, NONCE, values.get("nc", ""), values.get("cnonce", ""),
                                "auth", ha2]))  # fmt: skip
        return values.get("username") == USER and values.get("response") == answer

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self._authorised():
            self.send_response(401)
            if self.scheme == "Basic":
                self.send_header("WWW-Authenticate", f'Basic realm="{REALM}"')
            else:
                challenge = f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'
                self.send_header("WWW-Authenticate", challenge)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        type(self).received.append(body)
        self.send_response(204)
        self.end_headers()


@pytest.fixture(params=["Basic", "Digest"])
def store_url(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_Store,), {"scheme": request.param, "received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()


def _publish(url: str, *extra: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    args = ["--endpoint", url, "--data", str(MINI), "--graph", "https://example.org/g", *extra]
    result = CliRunner().invoke(publish_command, args, env=env or {})
    return result.exit_code, result.output


def test_publish_with_the_right_password(store_url: str) -> None:
    code, output = _publish(store_url, "--user", USER, env={"LUOHU_KG_PASSWORD": PASSWORD})
    assert code == 0, output
    assert "HTTP 204" in output


def test_publish_without_a_user_is_told_what_to_do(store_url: str) -> None:
    code, output = _publish(store_url)
    assert code == 2
    assert "HTTP 401" in output and "--user" in output


def test_a_wrong_password_is_refused(store_url: str) -> None:
    code, output = _publish(store_url, "--user", USER, env={"LUOHU_KG_PASSWORD": "wrong"})
    assert code == 2
    assert "HTTP 401" in output and "refused user 'curator'" in output
    assert "wrong" not in output.replace("'curator'", "")


def test_no_password_and_no_terminal_is_an_error(store_url: str) -> None:
    code, output = _publish(store_url, "--user", USER, env={"LUOHU_KG_PASSWORD": None})  # type: ignore[dict-item]
    assert code == 2
    assert "LUOHU_KG_PASSWORD" in output


def test_a_non_ascii_password_with_digest_is_explained(store_url: str) -> None:
    code, output = _publish(store_url, "--user", USER, env={"LUOHU_KG_PASSWORD": "密码"})
    assert code == 2
    # Digest: urllib cannot hash it, and says so; Basic: the server refuses the user
    assert "ASCII user name and password" in output or "refused user 'curator'" in output
