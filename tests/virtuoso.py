"""A throwaway Virtuoso 7.2 (Debian's `virtuoso-opensource`) on loopback ports, for the tests.

The server runs from a copy of the package's own virtuoso.ini in which the database files
move to a temporary folder, both ports are bound to 127.0.0.1 and the optional plugins
(wiki parsers, WBXML), which a minimal install may lack, are not loaded. A fresh database
has the package's default account dba/dba; nothing outside the temporary folder is written.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
PACKAGE_DB = "/var/lib/virtuoso-opensource-7/db/"
USER, PASSWORD = "dba", "dba"  # the package's default account of a new database


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its HTTP root and the folder holding its database and log."""

    url: str
    folder: Path

    @property
    def sparql(self) -> str:
        """The SPARQL 1.1 Protocol endpoint."""
        return f"{self.url}/sparql"

    @property
    def graph_store(self) -> str:
        """The Graph Store endpoint that takes writes (HTTP Digest authentication)."""
        return f"{self.url}/sparql-graph-crud-auth"

    def log_tail(self) -> str:
        """The end of the server's log, for a failing test's message."""
        log = self.folder / "virtuoso.log"
        return log.read_text("utf-8", "replace")[-2000:] if log.exists() else "(no log)"


def executable() -> str | None:
    """`virtuoso-t` when the package and its configuration are installed, else None."""
    found = shutil.which("virtuoso-t")
    return found if found is not None and PACKAGE_INI.is_file() else None


def configuration(folder: Path, sql_port: int, http_port: int) -> str:
    """The package's virtuoso.ini, with database, ports and plugins changed as above."""
    text = PACKAGE_INI.read_text(encoding="utf-8")
    text = text.replace(PACKAGE_DB, f"{folder}/")
    ports = iter([f"127.0.0.1:{sql_port}", f"127.0.0.1:{http_port}"])  # [Parameters], [HTTPServer]
    text = re.sub(
        r"^ServerPort(\s*)=.*$",
        lambda m: f"ServerPort{m[1]}= {next(ports)}",
        text,
        flags=re.MULTILINE,
    )
    text = re.sub(r"^(Load\d+\s*=)", r";\1", text, flags=re.MULTILINE)
    if PACKAGE_DB in text or next(ports, None) is not None:
        raise RuntimeError(f"{PACKAGE_INI} is not laid out as expected")
    return text


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        f"{url}/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(request, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def running_virtuoso(
    binary: str, folder: Path, sql_port: int, http_port: int, timeout: float = 90.0
) -> Iterator[Virtuoso]:
    """Virtuoso on a new database in `folder`, answering once entered, stopped on exit."""
    ini = folder / "virtuoso.ini"
    ini.write_text(configuration(folder, sql_port, http_port), encoding="utf-8")
    with (folder / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        server = Virtuoso(f"http://127.0.0.1:{http_port}", folder)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(server.url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Virtuoso did not start:\n{server.log_tail()}")
                time.sleep(0.5)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # Virtuoso checkpoints and exits
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
