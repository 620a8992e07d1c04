"""Chinese word segmentation and parts of speech (jieba), with a user dictionary built in
memory from the graph's own labels and the article's names.

jieba's shipped dictionary has 349,046 words; loading all of them costs about 1.5 s, more than
the drafter may take. The drafter uses the words of it seen at least `MIN_FREQUENCY` times
and every place and organisation name (about 85,000 words), written once to a cache folder (in the
temporary folder, beside jieba's own cache), and then adds the labels of the graph. Nothing
is downloaded: both dictionaries and the part-of-speech model ship inside the jieba package.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_FREQUENCY = 30
KEPT_TAGS = frozenset({"ns", "nt"})  # place and organisation names: kept however rare
CACHE_FOLDER = "luohu-kg-jieba"


@dataclass(frozen=True)
class Token:
    """A word of the text, its jieba part of speech and its offsets."""

    word: str
    flag: str
    start: int
    end: int


def cache_folder() -> Path:
    """Where the reduced dictionary and jieba's cache of it are kept."""
    return Path(os.environ.get("LUOHU_KG_CACHE", tempfile.gettempdir())) / CACHE_FOLDER


def _reduced_dictionary(source: Path, folder: Path) -> Path:
    """jieba's dictionary without its rare words, written once (atomically) into `folder`."""
    stat = source.stat()
    key = hashlib.sha256(
        f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{MIN_FREQUENCY}|{sorted(KEPT_TAGS)}".encode()
    )
    target = folder / f"dict-{key.hexdigest()[:16]}.txt"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            common = len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) >= MIN_FREQUENCY
            if common or (len(parts) >= 3 and parts[2] in KEPT_TAGS):
                kept.append(line if line.endswith("\n") else line + "\n")
    partial = folder / f".{target.name}.{os.getpid()}"
    partial.write_text("".join(kept), encoding="utf-8")
    os.replace(partial, target)
    return target


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources (which only finds jieba's own files, and takes
    0.2 s to import): jieba then opens them by path."""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def _read_tags(dictionary: Path) -> dict[str, str]:
    """Each word's part of speech, read from a jieba dictionary file."""
    tags = {}
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags


def _word_tags(dictionary: Path) -> dict[str, str]:
    """Each word's part of speech in the dictionary, cached (marshal) beside it."""
    cache = dictionary.with_suffix(".tags")
    if cache.is_file() and cache.stat().st_mtime >= dictionary.stat().st_mtime:
        with cache.open("rb") as handle:
            loaded = marshal.load(handle)
        if isinstance(loaded, dict):
            return loaded
    tags = _read_tags(dictionary)
    partial = cache.with_name(f".{cache.name}.{os.getpid()}")
    partial.write_bytes(marshal.dumps(tags))
    os.replace(partial, cache)
    return tags


@dataclass
class _Segmenter:
    """jieba's tokenizer, the part of speech of each dictionary word, and what `prepare`
    starts again from."""

    tokenizer: Any
    tags: dict[str, str]
    base: tuple[dict[str, int], int, dict[str, str]]


_SEGMENTER: _Segmenter | None = None
_CUTS: dict[str, list[tuple[str, str]]] = {}  # the cuts of texts since the last prepare()
_DIGITS = re.compile(r"[0-9.]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_FUNCTION_CHARACTERS = frozenset("以为的在了和与请将对把被从向是有共等并也还就都及或其")


def _segmenter() -> _Segmenter:
    """jieba's tokenizer on the reduced dictionary (made once per process).

    Words are cut by the dictionary and, for words it does not hold, by jieba's small
    hidden Markov model of characters (finalseg); a word's part of speech is its tag in the
    dictionary. jieba.posseg, which tags unknown words with a larger model, costs 0.6 s more
    to load and run and changes no name the drafter finds."""
    global _SEGMENTER
    if _SEGMENTER is not None:
        return _SEGMENTER
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    source = Path(jieba.__file__).parent / "dict.txt"
    try:
        dictionary = _reduced_dictionary(source, cache_folder())
        jieba.dt.tmp_dir = str(cache_folder())
    except OSError:  # no writable cache: the whole dictionary (slower, as good or better)
        dictionary = source
    jieba.set_dictionary(str(dictionary))
    jieba.initialize()
    try:
        tags = _word_tags(dictionary)
    except OSError:
        tags = _read_tags(dictionary)
    tokenizer = jieba.dt
    base = (dict(tokenizer.FREQ), tokenizer.total, dict(tags))
    _SEGMENTER = _Segmenter(tokenizer, tags, base)
    return _SEGMENTER


def prepare(words: Iterable[tuple[str, str]]) -> None:
    """Start from jieba's dictionary again and teach it words (the graph's labels and the
    article's names), each with a part of speech: the same words give the same cuts."""
    segmenter = _segmenter()
    tokenizer = segmenter.tokenizer
    _CUTS.clear()
    tokenizer.FREQ, tokenizer.total = dict(segmenter.base[0]), segmenter.base[1]
    segmenter.tags = dict(segmenter.base[2])
    for word, flag in sorted(set(words)):
        if word.strip() and not any(ch.isspace() for ch in word):
            tokenizer.add_word(word, 2000)
            segmenter.tags[word] = flag


def _flag(word: str, tags: dict[str, str]) -> str:
    """A word's part of speech: its dictionary tag; nz for a word the model found (a name,
    mostly), g for a lone unknown character, m for digits, eng for Latin letters."""
    tag = tags.get(word)
    if tag is not None:
        return tag
    if _DIGITS.fullmatch(word):
        return "m"
    if _LATIN.fullmatch(word):
        return "eng"
    if _CJK.fullmatch(word):
        if len(word) == 1:
            return "g"
        # a word the model made of a function word and another (共为, 请以): not a name
        return "u" if any(ch in _FUNCTION_CHARACTERS for ch in word) else "nz"
    return "x"


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The words of `text` with their offsets (plus `offset`)."""
    cut = _CUTS.get(text)
    if cut is None:
        segmenter = _segmenter()
        cut = [(w, _flag(w, segmenter.tags)) for w in segmenter.tokenizer.cut(text, HMM=True)]
        _CUTS[text] = cut
    found = []
    at = offset
    for word, flag in cut:
        found.append(Token(word, flag, at, at + len(word)))
        at += len(word)
    return found


def words(text: str) -> list[str]:
    """The words of `text`, by the dictionary alone (no model for unknown words: fast)."""
    return list(_segmenter().tokenizer.cut(text, HMM=False))
