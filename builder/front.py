"""The HTTP front of `serve`: passes requests to the Oxigraph child, refuses federated queries.

Oxigraph's server runs every `SERVICE` clause it is sent, so any client of a public endpoint
could make the machine send requests to any URL. The front listens on the address the user
chose, reads each SPARQL query or update (GET parameter, form field or request body), answers
400 to one that uses `SERVICE` unless told to allow it, and forwards everything else unchanged
to the Oxigraph child, which listens on a loopback port of its own.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .server import masked

_SERVICE = re.compile(r"(?<![\w?$:.\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
}  # fmt: skip
MAX_BODY = 1 << 30  # bytes: a request body larger than this is refused (413)
REFUSAL = (
    "SERVICE (a federated query) is not run by this endpoint: it would make the server send "
    "requests to other hosts. Start `luohu-kg serve --allow-service` to allow it.\n"
)


def _unescaped(text: str) -> str:
    """The text with SPARQL's \\u and \\U code-point escapes replaced (SPARQL 1.1, 19.2)."""

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(char, text)


def uses_service(text: str) -> bool:
    """Whether a query or update holds the keyword SERVICE outside strings, IRIs and comments.

    Checked on the text as sent and with code-point escapes applied, so that neither reading
    of `\\u0053ERVICE` slips through.
    """
    return any(_SERVICE.search(masked(form)) for form in {text, _unescaped(text)})


def sparql_texts(path: str, content_type: str, body: bytes) -> list[str]:
    """Every query or update a request carries: URL parameters, form fields or its body."""
    split = urllib.parse.urlsplit(path)
    fields = urllib.parse.parse_qs(split.query, keep_blank_values=True, errors="replace")
    media = content_type.split(";", 1)[0].strip().lower()
    texts = [*fields.get("query", []), *fields.get("update", [])]
    if media == "application/x-www-form-urlencoded":
        form = urllib.parse.parse_qs(
            body.decode("utf-8", "replace"), keep_blank_values=True, errors="replace"
        )
        texts += [*form.get("query", []), *form.get("update", [])]
    elif media in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", "replace"))
    return texts


class _Front(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], engine: tuple[str, int], allow: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.engine = engine
        self.allow_service = allow


class _Handler(BaseHTTPRequestHandler):
    server: _Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the terminal shows the endpoint's URLs, not every request."""

    def _reply(self, status: int, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._reply(413, f"request body over {MAX_BODY} bytes\n")
            return
        body = self.rfile.read(length) if length > 0 else b""
        content_type = self.headers.get("Content-Type", "")
        texts = sparql_texts(self.path, content_type, body)
        if not self.server.allow_service and any(map(uses_service, texts)):
            self._reply(400, REFUSAL)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(*self.server.engine, timeout=600)
        try:
            connection.request(self.command, self.path, body or None, headers)
            answer = connection.getresponse()
            payload = answer.read()
        except OSError as err:
            self._reply(502, f"the Oxigraph engine did not answer: {err}\n")
            return
        finally:
            connection.close()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _forward


@contextmanager
def running_front(
    host: str, port: int, engine: tuple[str, int], allow_service: bool = False
) -> Iterator[ThreadingHTTPServer]:
    """The front listening on host:port in a thread, forwarding to `engine`; shut on exit."""
    front = _Front((host.strip("[]"), port), engine, allow_service)
    thread = threading.Thread(target=front.serve_forever, name="luohu-kg-front", daemon=True)
    thread.start()
    try:
        yield front
    finally:
        front.shutdown()
        front.server_close()
        thread.join(timeout=10)
