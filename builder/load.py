"""Stage 1: find articles and read their text and YAML fact files, keeping line numbers."""

from __future__ import annotations

import glob
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

ARTICLE_META = "article.yaml"

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


class _LineLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text (we validate them) and records lines."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become a located InputError."""
    shown = display_path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise InputError([Problem(shown, line, "-", f"malformed YAML: {err.problem}")]) from err
    except UnicodeDecodeError as err:
        raise InputError([Problem(shown, 1, "-", f"not UTF-8 text: {err.reason}")]) from err


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


def read_article(folder: Path) -> RawArticle:
    """Read article.yaml, the article text and every other YAML file of one article folder."""
    meta_path = folder / ARTICLE_META
    meta = read_yaml(meta_path)
    meta_shown = display_path(meta_path)
    if not isinstance(meta, Mapping):
        raise InputError([Problem(meta_shown, 1, "-", "article.yaml must be a mapping")])
    text_name = str(meta.get("text", "article.txt"))
    text_path = folder / text_name
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(
            [Problem(meta_shown, meta.line_of("text"), str(meta.get("id", "-")), str(err))]
        ) from err
    article = RawArticle(folder, meta_shown, meta, display_path(text_path), text)
    for path in sorted(folder.glob("*.yaml")):
        if path.name == ARTICLE_META:
            continue
        content = read_yaml(path)
        shown = display_path(path)
        if content is None:
            continue
        if not isinstance(content, Mapping):
            raise InputError([Problem(shown, 1, "-", "a fact file must be a mapping")])
        unknown = sorted(set(content) - {"facts", "skips"})
        if unknown:
            raise InputError(
                [Problem(shown, content.line_of(unknown[0]), "-", f"unknown key `{unknown[0]}`")]
            )
        for key, target in (("facts", article.facts), ("skips", article.skips)):
            items = _list_of_mappings(content.get(key), shown, key, content.line_of(key))
            target.extend((shown, item) for item in items)
    return article


PARALLEL_FROM = 16  # articles; below this, starting worker processes costs more than it saves


def load_corpus(inputs: list[str]) -> list[RawArticle]:
    """Read every article named by the inputs, in a stable order.

    YAML parsing is the slowest part of a build, so a large corpus is read by one worker
    process per core; the result is the same list in the same order.
    """
    folders = find_article_folders(inputs)
    workers = min(os.cpu_count() or 1, 4)
    if len(folders) < PARALLEL_FROM or workers < 2:
        return [read_article(folder) for folder in folders]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunk = max(1, len(folders) // (workers * 8))
        return list(pool.map(read_article, folders, chunksize=chunk))
