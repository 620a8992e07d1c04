"""The drafter: an article's text in, proposed facts with their evidence out.

`draft_article(folder, data)` reads only `article.txt` and `article.yaml` of the article (its
curated fact files are never read) and the curated facts of the other articles of `data`
(to reuse their ids), and returns a `Draft`; `Draft.text()` is the YAML of the draft file.
The stages are modules of this package: `text` (sentences, unique quotes), `segment`
(jieba), `periods`, `figures`, `entities`, `people`, `claims`, `relations`, `linking` and
`writer`; `assemble` ties them into facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputError, Problem
from ..load import ARTICLE_META, Mapping, display_path, read_utf8, read_yaml

__all__ = ["Draft", "draft_article"]


@dataclass
class Draft:
    """The proposed facts of one article, ready to be written."""

    article_id: str
    facts: list[dict[str, Any]]
    links: list[dict[str, Any]] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        """The draft file's YAML."""
        from .writer import dump_draft

        return dump_draft(
            self.article_id, self.facts, self.links, self.ambiguous, self.numbers, __version__
        )


def read_meta(folder: Path) -> tuple[str, str, int, str, dict[str, str]]:
    """(article id, text, reference year, published, the ids of its publisher, author and
    compiler) from article.yaml and its text."""
    meta_path = folder / ARTICLE_META
    shown = display_path(meta_path)
    if not meta_path.is_file():
        raise InputError([Problem(shown, 0, "-", "no article.yaml: not an article folder")])
    meta = read_yaml(meta_path)
    if not isinstance(meta, Mapping):
        raise InputError([Problem(shown, 1, "-", "article.yaml must be a mapping")])
    aid = str(meta.get("id", folder.name))
    name = meta.get("text", "article.txt")
    if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError([Problem(shown, meta.line_of("text"), aid, "`text` must name a file")])
    text = read_utf8(folder / name, aid)
    published = str(meta.get("published", ""))
    year = meta.get("reference_year", published[:4])
    try:
        reference_year = int(str(year))
    except ValueError:
        line = meta.line_of("reference_year")
        raise InputError([Problem(shown, line, aid, "`reference_year` must be a year")]) from None
    roles = {
        rule: str(meta[key])
        for key, rule in (("publisher", "byline-source"), ("author", "byline-author"),
                          ("compiled_by", "byline-compiler"))
        if isinstance(meta.get(key), str)
    }  # fmt: skip
    return aid, text, reference_year, published or str(reference_year), roles


def draft_article(folder: Path, data: list[str] | None = None) -> Draft:
    """Draft the facts of the article in `folder`, linking to the facts of `data`."""
    from .assemble import Assembler
    from .linking import graph_index

    aid, text, year, published, roles = read_meta(folder)
    index = graph_index(list(data or []), folder, aid)
    return Assembler(aid, text, year, published, index, roles).run()
