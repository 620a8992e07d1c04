"""Stage 4: write the graph in RDF formats, in a fixed order (byte-identical runs), atomically."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

import pyoxigraph as ox

from . import formats, resources
from .errors import EXIT_VIOLATIONS, LuohuKGError
from .vocab import ONTOLOGY_IRI, PREFIXES

FORMATS: dict[str, ox.RdfFormat] = {formats.key(f): f for f in formats.WRITABLE}
QUAD_FORMATS = {formats.key(f) for f in formats.QUAD_WRITTEN}
OUTPUT_NAMES = {
    "ttl": "luohu-kg.ttl",
    "data-ttl": "luohu-kg-data.ttl",
    "jsonld": "luohu-kg.jsonld",
    "nt": "luohu-kg.nt",
    "trig": "luohu-kg.trig",
    "context": "luohu-kg.context.jsonld",
}


def grouped(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Distinct triples, each subject's together, subjects in order of first appearance.

    The builder emits triples in a fixed order (articles and facts sorted by id), so this
    order is stable from run to run without a costly sort of every triple.
    """
    by_subject: dict[object, dict[ox.Triple, None]] = {}
    for triple in triples:
        bucket = by_subject.get(triple.subject)
        if bucket is None:
            bucket = by_subject[triple.subject] = {}
        bucket[triple] = None
    return [t for bucket in by_subject.values() for t in bucket]


def ontology_triples() -> list[ox.Triple]:
    """The shipped ontology's triples, in file order."""
    parsed = ox.parse(resources.ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return grouped(q.triple for q in parsed)


@dataclass(frozen=True)
class ArticleTriples:
    """One article's triples: its own, and the shared ones (periods) that others may repeat;
    and what its draft files propose (`luohu-kg build --include-drafts`), kept in a named
    graph of its own, `draft_graph_iri`."""

    graph_iri: str
    own: list[ox.Triple]
    shared: list[ox.Triple]
    proposed: list[ox.Triple] = field(default_factory=list)
    draft_graph_iri: str = ""

    def all(self) -> list[ox.Triple]:
        """Everything the article says, as its named graph holds it."""
        return [*self.own, *self.shared]


@dataclass
class GraphParts:
    """The ontology and each article's data, ready to serialise (merged lists are cached)."""

    ontology: list[ox.Triple]
    articles: dict[str, ArticleTriples]
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    _data: list[ox.Triple] | None = field(default=None, init=False, repr=False)
    _everything: list[ox.Triple] | None = field(default=None, init=False, repr=False)

    def data(self) -> list[ox.Triple]:
        """All articles' triples, without the ontology; shared descriptions once. Proposed
        triples (drafts included) are merged in, each subject's triples kept together."""
        if self._data is None:
            shared = dict.fromkeys(t for a in self.articles.values() for t in a.shared)
            data = [t for a in self.articles.values() for t in a.own] + list(shared)
            proposed = [t for a in self.articles.values() for t in a.proposed]
            self._data = grouped([*data, *proposed]) if proposed else data
        return self._data

    def everything(self) -> list[ox.Triple]:
        """Ontology and data in one list, each subject's triples together: the data's few
        triples about ontology terms (a scheme's top concepts) join the ontology's blocks."""
        if self._everything is None:
            terms = {t.subject for t in self.ontology}
            data = self.data()
            joining = [t for t in data if t.subject in terms]
            rest = [t for t in data if t.subject not in terms] if joining else data
            self._everything = [*grouped([*self.ontology, *joining]), *rest]
        return self._everything

    def named_graphs(self, with_ontology: bool = True) -> list[tuple[str, list[ox.Triple]]]:
        """(graph IRI, triples): the ontology's graph, then one graph per article, each
        followed by the graph of what its draft files propose, if any."""
        graphs = [(ONTOLOGY_IRI, self.ontology)] if with_ontology else []
        for article in self.articles.values():
            graphs.append((article.graph_iri, article.all()))
            if article.proposed:
                graphs.append((article.draft_graph_iri, article.proposed))
        return graphs

    def quads(self, with_ontology: bool = True) -> list[ox.Quad]:
        """Every triple in its named graph."""
        quads: list[ox.Quad] = []
        for iri, triples in self.named_graphs(with_ontology):
            named = ox.NamedNode(iri)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, named) for t in triples)
        return quads


# a local name Turtle reads without escapes (PN_LOCAL, ASCII part): no "/", no final "."
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


class Names:
    """Writes IRIs as CURIEs where Turtle allows it (longest namespace first), else <IRI>."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._spaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._cache: dict[str, str] = {}

    def curie(self, iri: str) -> str | None:
        """`lk:locatedIn` for an IRI under a prefix with a plain local name, else None."""
        for prefix, space in self._spaces:
            if iri.startswith(space) and _LOCAL.fullmatch(iri[len(space) :]):
                return f"{prefix}:{iri[len(space) :]}"
        return None

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        """A term in Turtle syntax (N-Triples escapes for literals, which Turtle reads)."""
        if isinstance(term, ox.NamedNode):
            found = self._cache.get(term.value)
            if found is None:
                found = self._cache[term.value] = self.curie(term.value) or str(term)
            return found
        if not isinstance(term, ox.Literal):
            return str(term)
        if "\n" in term.value:  # a long string keeps the lines of a text readable
            text = '"""' + re.sub(r'(["\\\r])', _escape, term.value) + '"""'
        else:
            text = str(ox.Literal(term.value))
        if term.language is not None:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^{self.term(term.datatype)}"
        return text


def _escape(match: re.Match[str]) -> str:
    return {"\r": "\\r", '"': '\\"', "\\": "\\\\"}[match.group(1)]


XSD_STRING = PREFIXES["xsd"] + "string"


def turtle_statements(triples: list[ox.Triple], names: Names, indent: str = "") -> Iterator[str]:
    """One block per subject (the triples come grouped by subject): `a` first as written,
    predicates on their own lines, and several objects of a predicate one per line."""
    i, count = 0, len(triples)
    while i < count:
        subject = triples[i].subject
        j = i
        while j < count and triples[j].subject == subject:
            j += 1
        lines = [indent + names.term(subject)]
        k = i
        while k < j:
            predicate = triples[k].predicate
            m = k
            while m < j and triples[m].predicate == predicate:
                m += 1
            verb = "a" if predicate == RDF_TYPE else names.term(predicate)
            objects = [names.term(t.object) for t in triples[k:m]]
            if len(objects) == 1 or sum(map(len, objects)) < 60:
                lines.append(f"{indent}    {verb} {' , '.join(objects)}")
            else:
                lines.append(f"{indent}    {verb}\n{indent}        " +
                             f" ,\n{indent}        ".join(objects))  # fmt: skip
            k = m
        yield lines[0] + "\n" + " ;\n".join(lines[1:]) + " .\n"
        i = j


def _prefix_lines(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes.items()) + "\n"


def write_turtle(triples: list[ox.Triple], output: BinaryIO, prefixes: dict[str, str]) -> None:
    """Turtle: the prefixes, then one block per subject."""
    names = Names(prefixes)
    output.write(_prefix_lines(prefixes).encode())
    for block in turtle_statements(triples, names):
        output.write(block.encode())


def write_trig(parts: GraphParts, output: BinaryIO, with_ontology: bool = True) -> None:
    """TriG: the prefixes once, then each named graph's statements in a block.

    Writing graph by graph avoids a quad object for every triple and keeps one graph's text
    in memory at a time.
    """
    names = Names(parts.prefixes)
    output.write(_prefix_lines(parts.prefixes).encode())
    for iri, triples in parts.named_graphs(with_ontology):
        output.write(f"{names.term(ox.NamedNode(iri))} {{\n".encode())
        for block in turtle_statements(triples, names, indent="    "):
            output.write(block.encode())
        output.write(b"}\n")


def jsonld_context(prefixes: dict[str, str]) -> dict[str, object]:
    """The JSON-LD context of the outputs: every prefix, as a term."""
    return {"@context": dict(prefixes)}


def _jsonld_value(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, names: Names
) -> object:
    if isinstance(term, ox.NamedNode):
        return {"@id": names.curie(term.value) or term.value}
    assert isinstance(term, ox.Literal)
    if term.language is not None:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": names.curie(term.datatype.value) or term.datatype.value}


def write_jsonld(triples: list[ox.Triple], output: BinaryIO, prefixes: dict[str, str]) -> None:
    """Compacted JSON-LD: the context, then one node object per subject, one per line."""
    names = Names(prefixes)
    output.write(b'{\n"@context": ')
    output.write(json.dumps(prefixes, ensure_ascii=False, indent=1).encode())
    output.write(b',\n"@graph": [\n')
    i, count, first = 0, len(triples), True
    while i < count:
        subject = triples[i].subject
        assert isinstance(subject, ox.NamedNode)  # the builder makes no blank nodes
        node: dict[str, object] = {"@id": names.curie(subject.value) or subject.value}
        while i < count and triples[i].subject == subject:
            triple = triples[i]
            if triple.predicate == RDF_TYPE:
                types = node.setdefault("@type", [])
                assert isinstance(types, list) and isinstance(triple.object, ox.NamedNode)
                types.append(names.curie(triple.object.value) or triple.object.value)
            else:
                key = names.curie(triple.predicate.value) or triple.predicate.value
                values = node.setdefault(key, [])
                assert isinstance(values, list)
                values.append(_jsonld_value(triple.object, names))
            i += 1
        output.write((b"" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode())
        first = False
    output.write(b"\n]\n}\n")


def serialize_to(parts: GraphParts, fmt: str, output: BinaryIO, with_ontology: bool = True) -> None:
    """Write one serialisation of the graph to a binary file; `fmt` is a key of FORMATS (or
    `context`: the JSON-LD context of the graph's JSON-LD)."""
    if fmt == "context":
        context = json.dumps(jsonld_context(parts.prefixes), ensure_ascii=False, indent=1)
        output.write(context.encode() + b"\n")
        return
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "trig":
        write_trig(parts, output, with_ontology)
    elif fmt in QUAD_FORMATS:
        quads = parts.quads(with_ontology)
        ox.serialize(quads, output, format=FORMATS[fmt])
    else:
        triples = parts.everything() if with_ontology else parts.data()
        if fmt == "ttl":
            write_turtle(triples, output, parts.prefixes)
        elif fmt == "jsonld":
            write_jsonld(triples, output, parts.prefixes)
        else:
            ox.serialize(triples, output, format=FORMATS[fmt])


def serialize(parts: GraphParts, fmt: str, with_ontology: bool = True) -> bytes:
    """One serialisation of the graph as bytes; `fmt` is a key of FORMATS."""
    buffer = io.BytesIO()
    serialize_to(parts, fmt, buffer, with_ontology)
    return buffer.getvalue()


def as_bytes(content: bytes | None) -> bytes:
    assert content is not None  # serialize() returns bytes when given no output
    return content


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place. The temporary
    file's name carries this process's id, so a build can remove it if this one is killed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}{TMP_MARK}{os.getpid()}-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


OUTPUT_PLAN = {  # output key -> (format, with ontology)
    "ttl": ("ttl", True),
    "data-ttl": ("ttl", False),
    "jsonld": ("jsonld", True),
    "nt": ("nt", True),
    "trig": ("trig", True),
    "context": ("context", False),  # the JSON-LD context alone, for web code
}


def write_all(parts: GraphParts, out_dir: Path, outputs: Iterable[str] = OUTPUT_PLAN) -> list[Path]:
    """The output files (all by default), written as one transaction (`output_transaction`):
    every file is written into a staging folder, and all replace their targets only once
    every one has been written."""
    with output_transaction(out_dir) as transaction:
        for key in outputs:
            fmt, with_ontology = OUTPUT_PLAN[key]
            transaction.write(OUTPUT_NAMES[key], _serializer(parts, fmt, with_ontology))
    return transaction.paths()


def _serializer(parts: GraphParts, fmt: str, with_ontology: bool) -> Callable[[BinaryIO], None]:
    def write(output: BinaryIO) -> None:
        serialize_to(parts, fmt, output, with_ontology)

    return write


# ---------------------------------------------------------------------------------------------
# A build is one transaction on its output folder.
#
# Every output is written into a staging folder inside the output folder (same file system,
# so renames are atomic), out/.luohu-kg-tmp-<pid>-<random>/, which its build holds a lock
# on. Only when every file is written does the commit start: with Ctrl-C, SIGTERM and SIGHUP
# held back until it ends, and the output folder locked against other builds' commits, it
# hard-links each file it replaces into the staging folder (the backup), writes a journal of
# the names, renames each new file over its target, then deletes the journal: the moment of
# commit. Any failure before that rolls back from the backups. A build killed outright
# (SIGKILL, power loss) leaves its staging folder: the next build finds it (by name, a dead
# pid and a free lock), rolls back a commit its journal says was under way, and removes it.
# ---------------------------------------------------------------------------------------------

HTML_NAME = "graph.html"
TMP_MARK = ".luohu-kg-tmp-"  # in the names of staging folders and of write_atomic's files
JOURNAL = "JOURNAL"  # in a staging folder while its commit is under way
LOCK = "lock"  # held (flock) by the staging folder's build for as long as it runs
NEW = "new"  # in a staging folder: the files it writes
BACKUPS = "old"  # in a staging folder: hard links to the files its commit replaces
DURABLE = True  # fsync staged files and the folders before and after the renames
_STAGING = re.compile(re.escape(TMP_MARK) + r"(\d+)-[a-z0-9_]{8}")
_ATOMIC_TMP = re.compile(r"\..+" + re.escape(TMP_MARK) + r"(\d+)-[a-z0-9_]{8}\.tmp")
# what builders before the staging folder left: .luohu-kg.ttl.k3j4h5g6.tmp
_LEGACY_TMP = re.compile(
    r"\.(?:" + "|".join(re.escape(n) for n in [*OUTPUT_NAMES.values(), HTML_NAME]) + r")"
    r"\.[a-z0-9_]{8}\.tmp"
)
ORPHAN_AGE = 60.0  # seconds: a temporary file of a dead pid untouched this long is removed
LEGACY_AGE = 600.0  # seconds: the same for the pid-less ones of earlier versions
_HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class WriteError(LuohuKGError):
    """An output could not be written; the output folder is left as it was (exit code 1)."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


class Interrupted(KeyboardInterrupt):
    """A build stopped by a signal: SIGTERM or SIGHUP (raised by the CLI's handlers), or one
    that arrived during a commit, was held back until the commit ended and is raised then
    (`committed`: the new outputs are in place)."""

    def __init__(self, signum: int, committed: bool = False) -> None:
        super().__init__(signum, committed)
        self.signum = signum
        self.committed = committed


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """OSError -> WriteError about the file it names (not one of a staging folder), or `path`."""
    try:
        yield
    except OSError as err:
        named = str(err.filename) if isinstance(err.filename, str | os.PathLike) else ""
        if named and TMP_MARK not in named:
            path = Path(named)
        raise WriteError(path, err.strerror or str(err)) from err


def out_dir_problem(out_dir: Path) -> str | None:
    """Why `out_dir` cannot be an output folder (a file, under a file, not writable), or None."""
    if out_dir.is_file():
        return f"{out_dir} is a file, not a folder"
    if out_dir.exists() and not out_dir.is_dir():
        return f"{out_dir} exists and is not a folder"
    existing = out_dir
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return f"{existing} is a file, not a folder: {out_dir} cannot be made"
    if existing.exists() and not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def _pid_alive(pid: int) -> bool:
    """Whether a process `pid` runs (on POSIX; elsewhere assume it does)."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it runs, as another user
        return True
    return True


def _try_lock(fd: int, wait: bool) -> bool:
    """flock `fd` exclusively; False if another process holds it (only without `wait`).
    Where locks are not supported, pretend it is locked."""
    if sys.platform == "win32":
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # a file system without flock (some network ones): go on without
        return True
    return True


@contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """The output folder locked: one build at a time recovers or commits in it."""
    if sys.platform == "win32":
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        _try_lock(fd, wait=True)
        yield
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if not DURABLE or sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # not supported on every file system
        pass
    finally:
        os.close(fd)


def _owner_alive(staging: Path, pid: int) -> bool:
    """Whether the build that made `staging` still runs: its pid is alive, or it holds the
    folder's lock (which the kernel releases when a process dies, however it dies)."""
    if _pid_alive(pid):
        return True
    try:
        fd = os.open(staging / LOCK, os.O_RDWR)
    except FileNotFoundError:  # made a moment ago, or its build died at once
        try:
            return time.time() - staging.stat().st_mtime < ORPHAN_AGE
        except FileNotFoundError:
            return True  # gone meanwhile
    try:
        return not _try_lock(fd, wait=False)
    finally:
        os.close(fd)


def _read_journal(staging: Path) -> dict[str, list[str]] | None:
    """The journal of a commit under way, its names checked to be plain file names."""
    try:
        raw = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # unreadable: there is nothing it can be trusted for
        return None
    journal: dict[str, list[str]] = {}
    for key in ("names", "existed"):
        names = raw.get(key, []) if isinstance(raw, dict) else []
        journal[key] = [
            n for n in names
            if isinstance(n, str) and n not in ("", ".", "..") and "/" not in n
            and os.sep not in n
        ]  # fmt: skip
    return journal


def _move(source: Path, target: Path) -> None:
    """Rename `source` over `target` (atomic on one file system)."""
    os.replace(source, target)


def _roll_back(out_dir: Path, staging: Path, journal: dict[str, list[str]]) -> None:
    """Put back what a commit under way had replaced, and take away what it had added."""
    existed = set(journal["existed"])
    for name in journal["names"]:
        target = out_dir / name
        if name in existed:
            backup = staging / BACKUPS / name
            if os.path.lexists(backup):
                _move(backup, target)
        elif not os.path.lexists(staging / NEW / name):  # moved into place: it was not there before
            target.unlink(missing_ok=True)
    (staging / JOURNAL).unlink(missing_ok=True)
    _fsync_folder(out_dir)


def recover(out_dir: Path) -> list[Path]:
    """Clean up after builds killed outright: roll back a commit a dead build left half done
    (so the output folder is as before it), and remove the staging folders and temporary
    files of dead processes. Returns what was removed."""
    if not out_dir.is_dir():
        return []
    removed: list[Path] = []
    with _writing(out_dir), _folder_locked(out_dir):
        now = time.time()
        for entry in sorted(os.scandir(out_dir), key=lambda e: e.name):
            if not entry.name.startswith("."):
                continue
            path = Path(entry.path)
            staging = _STAGING.fullmatch(entry.name)
            if staging is not None and entry.is_dir(follow_symlinks=False):
                if _owner_alive(path, int(staging.group(1))):
                    continue
                journal = _read_journal(path)
                if journal is not None:
                    _roll_back(out_dir, path, journal)
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
                continue
            atomic = _ATOMIC_TMP.fullmatch(entry.name)
            if atomic is not None:
                if _pid_alive(int(atomic.group(1))):
                    continue
                age = ORPHAN_AGE
            elif _LEGACY_TMP.fullmatch(entry.name) is not None:
                age = LEGACY_AGE
            else:
                continue
            try:
                stale = entry.is_file(follow_symlinks=False) and (
                    now - entry.stat(follow_symlinks=False).st_mtime > age
                )
            except FileNotFoundError:
                continue
            if stale:
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


class _HeldSignals:
    """Ctrl-C, SIGTERM and SIGHUP held back while a commit runs, then acted on: a signal
    ignored before stays ignored, one with the default action gets it (the process ends), one
    with a handler (Python's KeyboardInterrupt, the CLI's) raises Interrupted."""

    def __init__(self) -> None:
        self.caught: list[int] = []
        self.previous: dict[int, Any] = {}
        self.committed = False

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.caught.append(signum)

    def __enter__(self) -> _HeldSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in _HELD_SIGNALS:
                self.previous[signum] = signal.signal(signum, self._hold)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        if not self.caught:
            return
        signum = self.caught[0]
        handler = self.previous.get(signum)
        if handler == signal.SIG_IGN:
            return
        if handler in (signal.SIG_DFL, None):
            signal.raise_signal(signum)
        raise Interrupted(signum, self.committed)


class OutputTransaction:
    """Outputs staged in a private folder inside `out_dir`, all put in place by `commit`
    or none (see the comment above). Use `output_transaction`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.names: list[str] = []
        self.committed = False
        with _writing(out_dir):
            out_dir.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f"{TMP_MARK}{os.getpid()}-", dir=out_dir))
            self._lock: int | None = os.open(self.staging / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
            _try_lock(self._lock, wait=True)
            os.mkdir(self.staging / NEW)

    def write(self, name: str, content: bytes | Callable[[BinaryIO], None]) -> Path:
        """Stage one output file: `content`, or what `content(handle)` writes."""
        if name in self.names or not name or "/" in name or name.startswith("."):
            raise ValueError(f"not a new output name: {name!r}")
        path = self.staging / NEW / name
        with _writing(self.out_dir / name), open(path, "xb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            if DURABLE:
                os.fsync(handle.fileno())
        with _writing(self.out_dir / name):
            os.chmod(path, 0o666 & ~_umask())  # ordinary files, as the umask says
        self.names.append(name)
        return self.out_dir / name

    def paths(self) -> list[Path]:
        """The output files, in the order they were staged."""
        return [self.out_dir / name for name in self.names]

    def commit(self) -> None:
        """Replace the targets with the staged files, all or none (signals held meanwhile)."""
        held = _HeldSignals()
        with held, _writing(self.out_dir), _folder_locked(self.out_dir):
            out = self.out_dir
            existed = [n for n in self.names if os.path.lexists(out / n)]
            os.mkdir(self.staging / BACKUPS)
            for name in existed:
                _backup(out / name, self.staging / BACKUPS / name)
            journal = {"names": self.names, "existed": existed}
            fresh = self.staging / f"{JOURNAL}.new"
            fresh.write_text(json.dumps(journal), encoding="utf-8")
            os.replace(fresh, self.staging / JOURNAL)
            _fsync_folder(self.staging / BACKUPS)
            _fsync_folder(self.staging)
            try:
                for name in self.names:
                    _move(self.staging / NEW / name, out / name)
                _fsync_folder(out)
            except BaseException:
                _roll_back(out, self.staging, journal)
                raise
            (self.staging / JOURNAL).unlink()  # the moment of commit
            _fsync_folder(self.staging)
            self.committed = held.committed = True
            self.discard()

    def discard(self) -> None:
        """Remove the staging folder (the outputs are in place, or abandoned)."""
        if self.staging.exists() and not (self.staging / JOURNAL).exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _backup(target: Path, backup: Path) -> None:
    """A hard link to `target` (a copy where links are not supported)."""
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(target)) from None
        shutil.copy2(target, backup, follow_symlinks=False)


@contextmanager
def output_transaction(out_dir: Path) -> Iterator[OutputTransaction]:
    """Stage outputs with `.write(name, content)`; at the end of the block they all replace
    their targets in `out_dir`, or, if the block raises (an error, Ctrl-C, SIGTERM made an
    exception), none does and the staging folder is removed. Leftovers of killed builds are
    cleaned up first (`recover`)."""
    recover(out_dir)
    transaction = OutputTransaction(out_dir)
    try:
        with _writing(out_dir):  # what the block fails to write, as a WriteError too
            yield transaction
        transaction.commit()
    finally:
        transaction.discard()
