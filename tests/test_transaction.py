"""A build is one transaction: a failure or an interrupt at any step leaves out/ as it was, a
build killed outright is cleaned up after by the next, and worker processes die with it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import builder.outputs as outputs
import builder.pipeline as pipeline
from builder.cli import main
from builder.cli_build import TerminalProgress
from builder.outputs import HTML_NAME, OUTPUT_NAMES, OutputTransaction, recover
from builder.pipeline import build_to

from .conftest import ROOT

OLD_BASE = "https://example.org/old-build/"  # the build already in out/: other IRIs, bytes
FAST = ["--shacl", "never"]  # the violation queries still run; pySHACL is not what is tested
ALL_NAMES = sorted([*OUTPUT_NAMES.values(), HTML_NAME])
LINUX = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc, Linux signals")


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every entry of a folder, hidden ones too: bytes and mode of files."""
    found: dict[str, tuple[bytes, int]] = {}
    for path in sorted(folder.rglob("*")):
        content = path.read_bytes() if path.is_file() else b"<folder>"
        found[str(path.relative_to(folder))] = (content, path.stat().st_mode)
    return found


def _build(runner: CliRunner, data: Path, out: Path, *extra: str) -> Any:
    return runner.invoke(main, ["build", "--data", str(data), "--out", str(out), *FAST, *extra])


@pytest.fixture()
def old_out(runner: CliRunner, mini: Path, tmp_path: Path) -> Path:
    """out/ holding a complete earlier build (another base IRI: other bytes than a new one)."""
    out = tmp_path / "out"
    result = _build(runner, mini, out, "--base", OLD_BASE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ALL_NAMES
    return out


@pytest.fixture()
def new_files(runner: CliRunner, mini: Path, tmp_path: Path) -> dict[str, tuple[bytes, int]]:
    """What a successful build with the default base writes."""
    out = tmp_path / "reference"
    assert _build(runner, mini, out).exit_code == 0
    return _snapshot(out)


def _nth_call_raises(func: Callable[..., Any], n: int, error: BaseException) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            raise error
        return func(*args, **kwargs)

    return wrapper


def _page_write_raises(error: BaseException) -> Callable[..., Any]:
    real = OutputTransaction.write

    def write(self: OutputTransaction, name: str, content: Any) -> Path:
        if name == HTML_NAME:
            raise error
        return real(self, name, content)

    return write


# --- a late failure ----------------------------------------------------------------------


def test_a_page_that_cannot_be_written_leaves_out_as_it_was(
    runner: CliRunner, mini: Path, old_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(old_out)
    full = OSError(28, "No space left on device")
    monkeypatch.setattr(OutputTransaction, "write", _page_write_raises(full))
    result = _build(runner, mini, old_out)
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert f"{old_out} left as it was" in result.stderr
    assert _snapshot(old_out) == before  # the RDF files written before it are not in place


def test_a_page_path_taken_by_a_folder_leaves_out_as_it_was(
    runner: CliRunner, mini: Path, old_out: Path
) -> None:
    (old_out / HTML_NAME).unlink()
    (old_out / HTML_NAME).mkdir()
    (old_out / HTML_NAME / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = _snapshot(old_out)
    result = _build(runner, mini, old_out)
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.stderr and HTML_NAME in result.stderr
    assert _snapshot(old_out) == before


@pytest.mark.parametrize("failing", range(1, len(ALL_NAMES) + 1))
def test_a_rename_that_fails_midway_is_rolled_back(
    runner: CliRunner, mini: Path, old_out: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    before = _snapshot(old_out)
    error = PermissionError(13, "Permission denied")
    monkeypatch.setattr(outputs, "_move", _nth_call_raises(outputs._move, failing, error))
    result = _build(runner, mini, old_out)
    assert result.exit_code == 1, result.output
    assert _snapshot(old_out) == before


def test_a_failed_check_changes_nothing_and_a_new_folder_is_not_made(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    facts = mini / "articles" / "mini" / "facts.yaml"
    facts.write_text(facts.read_text("utf-8") + "  - [unclosed\n", "utf-8")
    out = tmp_path / "never"
    assert _build(runner, mini, out).exit_code == 2
    assert not out.exists()


# --- an interrupt ------------------------------------------------------------------------

STEPS = [
    *[("serialize", n) for n in range(1, len(OUTPUT_NAMES) + 1)],
    ("page", 1),
    ("backup", 1),
    ("backup", len(ALL_NAMES)),
    *[("move", n) for n in range(1, len(ALL_NAMES) + 1)],
    ("read", 1),
    ("recover", 1),
]


@pytest.mark.parametrize(("step", "n"), STEPS)
def test_ctrl_c_at_any_step_leaves_out_as_it_was(
    runner: CliRunner,
    mini: Path,
    old_out: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    n: int,
) -> None:
    before = _snapshot(old_out)
    stop = KeyboardInterrupt()
    if step == "serialize":
        wrapper = _nth_call_raises(pipeline.serialize_to, n, stop)
        monkeypatch.setattr(pipeline, "serialize_to", wrapper)
    elif step == "page":
        monkeypatch.setattr(OutputTransaction, "write", _page_write_raises(stop))
    elif step == "read":
        import builder.load as load

        monkeypatch.setattr(load, "read_article", _nth_call_raises(load.read_article, n, stop))
    elif step == "recover":
        monkeypatch.setattr(pipeline, "recover", _nth_call_raises(recover, n, stop))
    else:
        name = "_backup" if step == "backup" else "_move"
        monkeypatch.setattr(outputs, name, _nth_call_raises(getattr(outputs, name), n, stop))
    result = _build(runner, mini, old_out)
    assert result.exit_code == 130, result.output
    assert f"interrupted (SIGINT): {old_out} left as it was" in result.stderr
    assert _snapshot(old_out) == before


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_the_commit_is_held_until_the_commit_ends(
    runner: CliRunner,
    mini: Path,
    old_out: Path,
    new_files: dict[str, tuple[bytes, int]],
    monkeypatch: pytest.MonkeyPatch,
    signum: int,
    code: int,
) -> None:
    real = outputs._move
    sent: list[int] = []

    def move(source: Path, target: Path) -> None:
        if not sent:  # the first rename: a real signal to this process, now
            sent.append(signum)
            signal.raise_signal(signum)
        real(source, target)

    monkeypatch.setattr(outputs, "_move", move)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    result = _build(runner, mini, old_out)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers
    assert sent and result.exit_code == code, result.output
    assert f"once {old_out} was written" in result.stderr
    assert _snapshot(old_out) == new_files  # all new: the commit was not cut


# --- builds killed outright --------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_dead_builds_are_removed_by_the_next(
    runner: CliRunner, mini: Path, old_out: Path
) -> None:
    dead = _dead_pid()
    staging = old_out / f".luohu-kg-tmp-{dead}-abcd1234"
    (staging / "new").mkdir(parents=True)
    (staging / "new" / "luohu-kg.nt").write_bytes(b"x" * 100_000)
    (staging / "lock").write_bytes(b"")
    hour_ago = time.time() - 3600
    legacy = old_out / ".luohu-kg.ttl.k3j4h5g6.tmp"  # what builders before this one left
    legacy.write_bytes(b"y" * 1000)
    atomic = old_out / f".notes.txt.luohu-kg-tmp-{dead}-q1w2e3r4.tmp"  # write_atomic's
    atomic.write_bytes(b"z")
    for path in (legacy, atomic):
        os.utime(path, (hour_ago, hour_ago))
    live = old_out / f".luohu-kg-tmp-{os.getpid()}-live0000"  # a running build's: kept
    live.mkdir()
    fresh_legacy = old_out / ".luohu-kg.nt.a1b2c3d4.tmp"  # maybe being written: kept
    fresh_legacy.write_bytes(b"w")
    mine = old_out / ".my-notes"  # the user's own hidden file: kept
    mine.write_text("keep\n", encoding="utf-8")
    result = _build(runner, mini, old_out)
    assert result.exit_code == 0, result.output
    hidden = sorted(p.name for p in old_out.iterdir() if p.name.startswith("."))
    assert hidden == sorted([live.name, fresh_legacy.name, mine.name])


DRIVER = """
import os, sys, time
from pathlib import Path
import builder.outputs as outputs, builder.pipeline as pipeline, builder.load as load

point, n = sys.argv[1], int(sys.argv[2])
marker = Path(sys.argv[3])
calls = 0

def stop_here():
    global calls
    calls += 1
    if calls == n:
        marker.write_text(str(os.getpid()))
        time.sleep(120)  # killed here

if point == "move":  # after n - 1 renames of the commit
    real_move = outputs._move
    def move(source, target):
        stop_here()
        real_move(source, target)
    outputs._move = move
elif point == "serialize":  # while staging the n-th file
    real_serialize = pipeline.serialize_to
    def serialize(*args, **kwargs):
        stop_here()
        real_serialize(*args, **kwargs)
    pipeline.serialize_to = serialize
elif point == "read":  # every article read slowly, by the workers
    real_read = load.read_article
    def read(folder):
        marker.write_text(str(os.getpid()))
        time.sleep(1.0)
        return real_read(folder)
    load.read_article = read

from builder.cli import main
main(sys.argv[4:], prog_name="luohu-kg")
"""


def _driven_build(
    tmp_path: Path, point: str, n: int, data: Path, out: Path
) -> tuple[subprocess.Popen[bytes], Path]:
    """A build in a subprocess (its own process group) that stops at `point` for a kill."""
    marker = tmp_path / f"at-{point}-{n}"
    marker.unlink(missing_ok=True)
    args = [point, str(n), str(marker), "build", "--data", str(data), "--out", str(out), *FAST]
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(DRIVER), *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None:
            _out, err = process.communicate()
            raise AssertionError(f"the build ended before {point}: {err.decode()}")
        assert time.monotonic() < deadline, f"the build never reached {point}"
        time.sleep(0.02)
    return process, marker


def _belongs_to_one_build(
    out: Path, *builds: dict[str, tuple[bytes, int]]
) -> dict[str, tuple[bytes, int]]:
    now = _snapshot(out)
    assert any(now == files for files in builds), sorted(
        name for name in now if all(now.get(name) != files.get(name) for files in builds)
    )
    return now


@LINUX
def test_kill_9_while_staging_leaves_out_as_it_was(
    tmp_path: Path, mini: Path, old_out: Path, runner: CliRunner
) -> None:
    before = _snapshot(old_out)
    process, _marker = _driven_build(tmp_path, "serialize", 3, mini, old_out)
    process.kill()
    process.wait()
    process.communicate()
    now = _snapshot(old_out)
    staged = [name for name in now if name.startswith(".luohu-kg-tmp-")]
    assert staged  # its staging folder is left, and nothing else changed:
    assert {k: v for k, v in now.items() if not k.startswith(".luohu-kg-tmp-")} == before
    assert recover(old_out) == [old_out / staged[0]]
    assert _snapshot(old_out) == before


@LINUX
@pytest.mark.parametrize("renamed", [0, 2, len(ALL_NAMES) - 1])
def test_kill_9_during_the_commit_is_undone_by_the_next_build(
    tmp_path: Path,
    mini: Path,
    old_out: Path,
    new_files: dict[str, tuple[bytes, int]],
    runner: CliRunner,
    renamed: int,
) -> None:
    before = _snapshot(old_out)
    process, _marker = _driven_build(tmp_path, "move", renamed + 1, mini, old_out)
    process.kill()
    process.wait()
    process.communicate()
    visible = {k: v for k, v in _snapshot(old_out).items() if not k.startswith(".")}
    mixed = sum(visible[name] == new_files[name] for name in ALL_NAMES)
    assert mixed == renamed  # what a kill -9 between renames leaves, until the next build
    # the next build rolls the commit back first, even if it fails itself (bad input):
    facts = mini / "articles" / "mini" / "facts.yaml"
    good = facts.read_text("utf-8")
    facts.write_text(good + "  - [unclosed\n", "utf-8")
    assert _build(runner, mini, old_out).exit_code == 2
    assert _belongs_to_one_build(old_out, before) == before
    facts.write_text(good, "utf-8")
    assert _build(runner, mini, old_out).exit_code == 0
    assert _belongs_to_one_build(old_out, new_files) == new_files


# --- worker processes --------------------------------------------------------------------


def _group(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus large enough to be read by worker processes."""
    from builder.load import PARALLEL_FROM
    from builder.synth import write_corpus

    root = tmp_path_factory.mktemp("synthetic")
    write_corpus(root, PARALLEL_FROM + 8, facts_per_article=34)
    return root


@pytest.fixture()
def parallel_load(
    tmp_path: Path, synthetic: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A build in a subprocess whose workers are reading (slowly), and its out/."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: the corpus is read without workers")
    out = tmp_path / "out"
    out.mkdir()
    process, _marker = _driven_build(tmp_path, "read", 0, synthetic, out)
    assert _wait_for(lambda: len(_group(process.pid)) >= 3, 30), "no workers started"
    yield process, out
    if process.poll() is None:
        process.kill()
        process.wait()
    for pid in _group(process.pid):  # never leave a worker behind, whatever the result
        os.kill(pid, signal.SIGKILL)


@LINUX
def test_workers_die_when_the_build_is_killed(
    parallel_load: tuple[subprocess.Popen[bytes], Path],
) -> None:
    process, out = parallel_load
    workers = [pid for pid in _group(process.pid) if pid != process.pid]
    process.kill()
    process.wait()
    assert _wait_for(lambda: not _group(process.pid), 10), _group(process.pid)
    assert workers  # they were there, and are gone
    assert list(out.iterdir()) == []


@LINUX
@pytest.mark.parametrize(
    ("signum", "code", "name"),
    [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")],
)
def test_sigterm_or_ctrl_c_while_reading_stops_the_workers_at_once(
    parallel_load: tuple[subprocess.Popen[bytes], Path], signum: int, code: int, name: str
) -> None:
    process, out = parallel_load
    start = time.monotonic()
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # as a terminal does: to the whole group
    else:
        os.kill(process.pid, signum)
    _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr.decode()
    assert time.monotonic() - start < 6  # not after reading the rest (24 x 1 s / 2)
    assert f"interrupted ({name}): {out} left as it was" in stderr.decode()
    assert "Traceback" not in stderr.decode()  # no worker printed its KeyboardInterrupt
    assert _wait_for(lambda: not _group(process.pid), 10), _group(process.pid)
    assert list(out.iterdir()) == []


# --- the rest of the contract ------------------------------------------------------------


def test_out_naming_a_file_is_a_usage_error(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("mine\n", encoding="utf-8")
    for out in (target, target / "sub"):
        result = _build(runner, mini, out)
        assert result.exit_code == 2, result.output
        assert f"{target} is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "out.ttl"]


def test_files_the_build_does_not_write_are_left_alone(
    runner: CliRunner, mini: Path, old_out: Path
) -> None:
    page = (old_out / HTML_NAME).read_bytes()
    (old_out / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = _build(runner, mini, old_out, "--no-html", "--output", "ttl")
    assert result.exit_code == 0, result.output
    assert (old_out / HTML_NAME).read_bytes() == page
    assert (old_out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert OLD_BASE not in (old_out / "luohu-kg.ttl").read_text(encoding="utf-8")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_only(mini: Path, tmp_path: Path) -> None:
    screen = _Terminal()
    build_to([str(mini)], tmp_path / "a", shacl="never", progress=TerminalProgress(screen, 1))
    text = screen.getvalue()
    for stage in ("reading articles 1/1", "checking the graph: ", "writing luohu-kg.ttl (1/7)"):
        assert stage in text, text
    assert text.endswith("\n") and text.splitlines()[-1].split("\x1b[K")[-1].startswith("built 1")
    for stream in (io.StringIO(), _Terminal()):  # a pipe; a terminal, but a small corpus
        build_to([str(mini)], tmp_path / "b", shacl="never", progress=TerminalProgress(stream))
        assert stream.getvalue() == ""


def test_the_cli_shows_no_progress_in_a_pipe(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    result = _build(runner, mini, tmp_path / "out")
    assert result.exit_code == 0
    assert "\r" not in result.stderr and "luohu-kg build:" not in result.stderr
