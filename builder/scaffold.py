"""A new article folder: its text, an article.yaml that validates, and empty fact files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .dates import DateError, parse_date
from .errors import LuohuKGError
from .load import ARTICLE_META
from .model import ID_PATTERN

FACTS_TEMPLATE = """\
# Facts of the article {article_id}, each with its evidence: words copied exactly from
# article.txt (unique there), e.g.
#
#   - id: luohu
#     type: District
#     zh: 罗湖区
#     en: Luohu District
#     evidence: 罗湖区地区生产总值
#
# `luohu-kg coverage --data DATA` lists what the text says that no fact holds yet;
# docs/DESIGN.md describes every type and field. Ids already used in other articles (such as
# luohu or southern-daily) refer to the same entity: reuse them, don't repeat the facts.
facts: []
"""
COVERAGE_TEMPLATE = """\
# Text that holds no fact (headline, bylines, boilerplate), each with the reason, e.g.
#   - text: 信息来源
#     evidence: 信息来源:南方日报
#     reason: source line; its names are the publisher and the author
skips: []
"""


class ScaffoldError(LuohuKGError, ValueError):
    """The folder cannot be made as asked (exit code 2)."""


@dataclass(frozen=True)
class NewArticle:
    """What `new_article` needs to know; the rest of article.yaml is left for the curator."""

    article_id: str
    text_file: Path
    published: str
    title_en: str
    publisher: str
    author: str
    rights: str
    reference_year: int | None = None


def read_text(path: Path) -> str:
    """The article text as UTF-8 with LF line ends (CRLF and CR converted)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ScaffoldError(f"cannot read {path}: {err.strerror or err}") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ScaffoldError(f"{path}:{line}: not UTF-8 text (byte {err.start})") from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ScaffoldError(f"{path}: the article text is empty")
    return text if text.endswith("\n") else text + "\n"


def new_article(data_dir: Path, spec: NewArticle) -> Path:
    """Write DATA/articles/ID/ (article.txt, article.yaml, facts.yaml, coverage.yaml)."""
    if not ID_PATTERN.match(spec.article_id):
        raise ScaffoldError(f"bad article id {spec.article_id!r}: use a-z, 0-9 and -")
    try:
        published = parse_date(spec.published)
    except DateError as err:
        raise ScaffoldError(f"--published: {err}") from err
    folder = data_dir / "articles" / spec.article_id
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already: choose another id")
    text = read_text(spec.text_file)
    title_zh = next(line.strip() for line in text.splitlines() if line.strip())
    year = spec.reference_year if spec.reference_year is not None else published.first.year
    meta = {
        "id": spec.article_id,
        "text": "article.txt",
        "title_zh": title_zh,
        "title_en": spec.title_en,
        "published": spec.published,
        "publisher": spec.publisher,
        "author": spec.author,
        "reference_year": year,
        "date_assumption": (
            f"Relative dates in the text (今年, 今年上半年, 9月...) are resolved against "
            f"{year}, the year of publication."
        ),
        "rights": spec.rights,
    }
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(text, encoding="utf-8")
    (folder / ARTICLE_META).write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    (folder / "facts.yaml").write_text(
        FACTS_TEMPLATE.format(article_id=spec.article_id), encoding="utf-8"
    )
    (folder / "coverage.yaml").write_text(COVERAGE_TEMPLATE, encoding="utf-8")
    return folder
