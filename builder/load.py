"""Stage 1: find articles and read their text and YAML fact files, keeping line numbers."""

from __future__ import annotations

import functools
import glob
import multiprocessing
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import InputError, Problem

ARTICLE_META = "article.yaml"
# a draft of proposed facts (`luohu-kg draft`): `draft.yaml` or `NAME.draft.yaml`, with
# `draft: true` at its top; skipped unless drafts are asked for
DRAFT_FILE = "draft.yaml"
DRAFT_SUFFIX = ".draft.yaml"
# what a draft may hold besides facts and skips (top level), and besides a fact's own fields
DRAFT_KEYS = frozenset({"draft", "article", "drafted_by", "links", "ambiguous", "numbers"})
DRAFT_FACT_FIELDS = frozenset({"proposed_by", "confidence", "review"})
MAX_DEPTH = 32  # levels of nesting a fact file may use (facts need 6)
MAX_NUMBER = 100  # characters of a YAML number (a year has 4)
# characters refused in the texts of fact files and in the article text (besides \n and \t):
# controls, invisible format characters (zero-width space, BOM, bidi overrides), line and
# paragraph separators, lone surrogates
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CHARACTER_KINDS = {
    "Cc": "control character",
    "Cf": "invisible character",
    "Cs": "lone surrogate",
    "Zl": "line separator",
    "Zp": "paragraph separator",
}

try:  # the C parser is several times faster on a large corpus
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of `key` if present, else the line of the mapping."""
        return self.key_lines.get(key, self.line)


class FactFileError(yaml.constructor.ConstructorError):
    """Valid YAML that a fact file may not use: anchors, merge keys, keys that are not text,
    deep nesting."""


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text (we validate them) and records lines."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # every mapping and sequence is built through here (deep): count the levels, so that
        # deep nesting is refused before Python's recursion limit is reached
        if self.depth >= MAX_DEPTH:
            raise FactFileError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
            )
        self.depth += 1
        try:
            return super().construct_object(node, deep=deep)
        finally:
            self.depth -= 1


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


def kind_of(value: object) -> str:
    """What YAML made of a value, for a message."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        if key_node.tag == _MERGE_TAG:
            raise FactFileError(None, None, "merge keys (<<) are not allowed", mark)
        if not isinstance(key_node, yaml.ScalarNode):
            raise FactFileError(None, None, "a key must be text, not a list or a mapping", mark)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            message = f"a key must be text, not {kind_of(key)}: quote it"
            raise FactFileError(None, None, message, mark)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = mark.line + 1
    return result


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_NUMBER:  # Python refuses to read an int of over 4300 digits
        message = f"a number of more than {MAX_NUMBER} characters: quote it if it is text"
        raise FactFileError(None, None, message, node.start_mark)
    value = int(loader.construct_yaml_int(node))
    if not _DECIMAL.match(node.value):  # YAML 1.1 reads 02021 as octal, 20:21 as base 60
        message = f"YAML reads {node.value} as the number {value}: quote it, or write {value}"
        raise FactFileError(None, None, message, node.start_mark)
    return value


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    # built at once (not lazily as PyYAML does for recursive aliases, which are refused)
    return [loader.construct_object(child, deep=True) for child in node.value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _refuse_anchors(text: str) -> None:
    """An anchor (&a) or alias (*a) anywhere: refused, before any alias is expanded."""
    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise FactFileError(
                None, None,
                "YAML anchors and aliases (&name, *name) are not allowed: write the value out",
                cast(yaml.error.Mark, event.start_mark),  # libyaml's Mark has the same fields
            )  # fmt: skip


@dataclass
class RawArticle:
    """One article folder as read from disk, not yet validated."""

    folder: Path
    meta_file: str
    meta: Mapping
    text_file: str
    text: str
    facts: list[tuple[str, Mapping]] = field(default_factory=list)
    skips: list[tuple[str, Mapping]] = field(default_factory=list)
    # fact files read as drafts, and the draft-only fields taken off their facts and relations
    # (keyed by file and line), so that the facts check like curated ones
    draft_files: list[str] = field(default_factory=list)
    draft_fields: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The article id from article.yaml."""
        return str(self.meta.get("id", self.folder.name))


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_utf8(path: Path, fact_id: str = "-") -> str:
    """The text of a file, which must be UTF-8; a bad byte is reported on its line."""
    try:
        data = path.read_bytes()
    except OSError as err:
        message = f"cannot read the file: {err.strerror or err}"
        raise InputError([Problem(display_path(path), 0, fact_id, message)]) from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        message = f"not UTF-8 text: {err.reason} (byte 0x{data[err.start]:02x})"
        raise InputError([Problem(display_path(path), line, fact_id, message)]) from err


def _last_line(text: str) -> int:
    return max(1, len(text.splitlines()))


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become a located InputError."""
    text = read_utf8(path)
    try:
        if "&" in text or "*" in text:  # an anchor or alias needs one of them
            _refuse_anchors(text)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = min(mark.line + 1, _last_line(text)) if mark is not None else 1
        refused = isinstance(err, FactFileError)
        message = str(err.problem) if refused else f"malformed YAML: {err.problem}"
        raise InputError([Problem(display_path(path), line, "-", message)]) from err
    except yaml.reader.ReaderError as err:  # a character YAML does not allow in a file
        code = ord(err.character) if isinstance(err.character, str) else int(err.character)
        at = err.position
        if _BaseLoader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        line = min(text.count("\n", 0, at) + 1, _last_line(text))
        message = f"the {_character(chr(code))} is not allowed in YAML: remove it"
        raise InputError([Problem(display_path(path), line, "-", message)]) from err
    except (yaml.YAMLError, RecursionError) as err:  # pragma: no cover - a safety net
        message = f"malformed YAML: {err}"
        raise InputError([Problem(display_path(path), 1, "-", message)]) from err


def _refused_character(text: str, allowed: str = "\n\t") -> int:
    """Index of the first character of `text` refused in an input (see REFUSED_CATEGORIES),
    or -1; the characters of `allowed` (newline and tab) are fine."""
    if text.isprintable():
        return -1
    found = [text.index(ch) for ch in set(text) if ch not in allowed and _is_refused(ch)]
    return min(found, default=-1)


def _is_refused(ch: str) -> bool:
    code = ord(ch)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return noncharacter or unicodedata.category(ch) in REFUSED_CATEGORIES


def _character(ch: str) -> str:
    """`the invisible character U+200B (ZERO WIDTH SPACE)`, for a message."""
    kind = _CHARACTER_KINDS.get(unicodedata.category(ch), "noncharacter")
    if ch == "\ufeff":
        kind = "byte order mark"
    name = unicodedata.name(ch, "")
    return f"{kind} U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _refused_in_values(file: str, fact_id: str, value: Any, line: int, key: str) -> list[Problem]:
    """A problem for each text (and key) of a YAML value holding a refused character."""
    problems = []
    if isinstance(value, str):
        at = _refused_character(value)
        if at >= 0:
            message = f"`{key}` contains the {_character(value[at])}: remove it"
            problems.append(Problem(file, line, fact_id, message))
    elif isinstance(value, Mapping):
        for inner, item in value.items():
            where = value.line_of(inner)
            at = _refused_character(inner)
            if at >= 0:
                message = f"a key contains the {_character(inner[at])}: remove it"
                problems.append(Problem(file, where, fact_id, message))
            problems += _refused_in_values(file, fact_id, item, where, inner)
    elif isinstance(value, list | tuple):
        for item in value:
            problems += _refused_in_values(file, fact_id, item, line, key)
    return problems


def find_article_folders(inputs: list[str]) -> list[Path]:
    """Article folders named by the inputs: a data dir, an article dir, or a glob of either."""
    folders: set[Path] = set()
    for spec in inputs:
        matches = sorted(glob.glob(spec)) if glob.has_magic(spec) else [spec]
        if not matches:
            raise InputError([Problem(spec, 0, "-", "no file or folder matches")])
        for match in matches:
            path = Path(match)
            if (path / ARTICLE_META).is_file():
                folders.add(path)
                continue
            root = path / "articles" if (path / "articles").is_dir() else path
            found = [p.parent for p in root.glob(f"*/{ARTICLE_META}")]
            if not found:
                raise InputError([Problem(str(path), 0, "-", f"no {ARTICLE_META} found")])
            folders.update(found)
    return sorted(folders)


def _list_of_mappings(value: Any, shown: str, key: str, line: int) -> list[Mapping]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InputError([Problem(shown, line, "-", f"`{key}` must be a list of mappings")])
    return value


def _in_folder(path: Path) -> str:
    """A path as shown in messages, without following a link at its end."""
    return str(Path(display_path(path.parent)) / path.name)


def _outside(folder: Path, path: Path) -> bool:
    """Whether `path` leads out of the article folder once links are followed."""
    if path.parent == folder and not path.is_symlink():
        return False  # a file of the folder itself (the folder may be reached by a link)
    try:
        return folder.resolve() not in path.resolve().parents
    except (OSError, RuntimeError):  # a loop of links
        return True


def _text_path(folder: Path, meta: Mapping, meta_file: str, aid: str) -> Path:
    """The article text named by `text:`: a file inside the article folder."""
    name = meta.get("text", "article.txt")
    line = meta.line_of("text")

    def refuse(message: str) -> InputError:
        return InputError([Problem(meta_file, line, aid, message)])

    if not isinstance(name, str):
        raise refuse(f"`text` must name a file in the article folder, not {kind_of(name)}")
    if not name.strip():
        raise refuse("`text` is empty: give the name of the article's text file")
    path = folder / name
    if Path(name).is_absolute():
        raise refuse(f"`text` must be a path inside the article folder, not {name!r}")
    try:
        if _outside(folder, path):
            inside = Path(os.path.normpath(path)).parent == Path(os.path.normpath(folder))
            how = "is a link to a file" if inside else "points"
            raise refuse(f"`text` {name!r} {how} outside the article folder: copy the text in")
        if not path.is_file():
            raise refuse(f"`text`: no file {name!r} in the article folder")
    except OSError as err:  # a name too long, a folder that cannot be read
        raise refuse(f"`text` {name!r}: {err.strerror or err}") from err
    return path


def check_article_text(text: str, file: str, aid: str) -> list[Problem]:
    """The article text must be what its offsets count: LF line ends, no BOM, no control or
    invisible characters (a quote could not show them)."""
    problems = []
    body = text
    if text.startswith("\ufeff"):
        message = "the text starts with a byte order mark (U+FEFF): save it as UTF-8 without one"
        problems.append(Problem(file, 1, aid, message))
        body = " " + text[1:]
    cr = text.find("\r")
    if cr >= 0:
        ending = "CRLF; convert to LF (e.g. dos2unix)"
        if not text.startswith("\r\n", cr):
            ending = "a lone CR; convert to LF (e.g. mac2unix)"
        problems.append(Problem(file, text.count("\n", 0, cr) + 1, aid, f"line ends in {ending}"))
    at = _refused_character(body, "\n\t\r")
    if at >= 0:
        line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        message = f"the {_character(text[at])} at column {column}: remove it"
        problems.append(Problem(file, line, aid, message))
    return problems


def is_draft_file(path: Path) -> bool:
    """Whether a fact file is a draft of proposed facts, by its name."""
    return path.name == DRAFT_FILE or path.name.endswith(DRAFT_SUFFIX)


def read_article(folder: Path, include_drafts: bool = False) -> RawArticle:
    """Read article.yaml, the article text and every other YAML file of one article folder.

    Every file read is inside the folder (links are followed), each text of a YAML file and
    the article text are free of control and invisible characters; every problem found in
    the folder is reported at once. Draft files (`draft.yaml`, `*.draft.yaml`) are skipped
    unless `include_drafts`.
    """
    meta_path = folder / ARTICLE_META
    meta_shown = display_path(meta_path)
    if _outside(folder, meta_path):
        message = "a link to a file outside the article folder: copy the file in"
        raise InputError([Problem(_in_folder(meta_path), 0, "-", message)])
    if not meta_path.is_file():
        raise InputError([Problem(meta_shown, 0, "-", "article.yaml is not a regular file")])
    meta = read_yaml(meta_path)
    if not isinstance(meta, Mapping):
        raise InputError([Problem(meta_shown, 1, "-", "article.yaml must be a mapping")])
    aid = str(meta.get("id", folder.name))
    problems = _refused_in_values(meta_shown, aid, meta, meta.line, "")
    text, text_file = "", _in_folder(folder / "article.txt")
    try:
        text_path = _text_path(folder, meta, meta_shown, aid)
        text_file = display_path(text_path)
        text = read_utf8(text_path, aid)
    except InputError as err:
        problems += err.problems
    problems += check_article_text(text, text_file, aid)
    article = RawArticle(folder, meta_shown, meta, text_file, text)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == ARTICLE_META or (is_draft_file(path) and not include_drafts):
            continue
        if _outside(folder, path):
            message = "a link to a file outside the article folder: copy the file in"
            problems.append(Problem(_in_folder(path), 0, "-", message))
            continue
        if not path.is_file():  # a folder, a device or a pipe (which would never end)
            what = "a folder, not a fact file" if path.is_dir() else "not a regular file"
            message = f"{what}: only fact files may be named *.yaml"
            problems.append(Problem(_in_folder(path), 0, "-", message))
            continue
        try:
            problems += _read_fact_file(path, article)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return article


def _read_fact_file(path: Path, article: RawArticle) -> list[Problem]:
    """Add the facts and skips of one fact file to the article; the problems of its texts."""
    content = read_yaml(path)
    shown = display_path(path)
    if content is None:
        return []
    if not isinstance(content, Mapping):
        raise InputError([Problem(shown, 1, "-", "a fact file must be a mapping")])
    draft = is_draft_file(path)
    unknown = sorted(set(content) - {"facts", "skips"} - (DRAFT_KEYS if draft else set()))
    if unknown:
        hint = " (only a draft file may have it)" if unknown[0] in DRAFT_KEYS else ""
        raise InputError(
            [Problem(shown, content.line_of(unknown[0]), "-", f"unknown key `{unknown[0]}`{hint}")]
        )
    problems = []
    if draft:
        if content.get("draft") is not True:
            message = "a draft file must say `draft: true` at its top"
            raise InputError([Problem(shown, content.line, "-", message)])
        article.draft_files.append(shown)
        for item in _list_of_mappings(content.get("facts"), shown, "facts", content.line):
            _take_draft_fields(item, shown, article.draft_fields)
    for key, target in (("facts", article.facts), ("skips", article.skips)):
        items = _list_of_mappings(content.get(key), shown, key, content.line_of(key))
        target.extend((shown, item) for item in items)
        for item in items:
            fid = item.get("id")
            fact_id = fid if isinstance(fid, str) else "-" if key == "facts" else "skip"
            problems += _refused_in_values(shown, fact_id, item, item.line, "")
    return problems


def _take_draft_fields(
    item: Mapping, file: str, found: dict[tuple[str, int], dict[str, Any]]
) -> None:
    """Move the draft-only fields of a fact (and of its relations) into `found`."""
    taken = {key: item.pop(key) for key in sorted(DRAFT_FACT_FIELDS & set(item))}
    if taken:
        found[(file, item.line)] = taken
    relations = item.get("relations")
    if isinstance(relations, list):
        for relation in relations:
            if isinstance(relation, Mapping):
                _take_draft_fields(relation, file, found)


PARALLEL_FROM = 16  # articles; below this, starting worker processes costs more than it saves


def load_corpus(
    inputs: list[str], progress: Any = None, include_drafts: bool = False
) -> list[RawArticle]:
    """Read every article named by the inputs, in a stable order (draft files only with
    `include_drafts`).

    YAML parsing is the slowest part of a build, so a large corpus is read by one worker
    process per core; the result is the same list in the same order. The workers die with
    this process (even on SIGKILL) and are killed at once on an error or an interrupt.
    `progress`, if given, is called as progress(done, total) as articles are read.
    """
    folders = find_article_folders(inputs)
    total = len(folders)
    articles: list[RawArticle] = []
    if progress is not None:
        progress(0, total)
    workers = min(os.cpu_count() or 1, 4)
    if total < PARALLEL_FROM or workers < 2:
        for folder in folders:
            articles.append(read_article(folder, True) if include_drafts else read_article(folder))
            if progress is not None:
                progress(len(articles), total)
        return articles
    from .workers import die_with_parent, stop_workers

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        chunk = max(1, total // (workers * 8))
        # the plain function when drafts are not read: what the workers call stays as before
        reader = functools.partial(read_article, include_drafts=True) if include_drafts else None
        for article in pool.map(reader or read_article, folders, chunksize=chunk):
            articles.append(article)
            if progress is not None:
                progress(len(articles), total)
    except BaseException:  # an error in a worker, Ctrl-C, SIGTERM: stop the others now
        stop_workers(pool)
        raise
    pool.shutdown()
    return articles
