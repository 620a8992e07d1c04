"""The three test articles written for the drafter (tests/corpus/articles/): each is curated
in the project's format and passes the checks `validate` runs, beside the shipped data; and
the drafter, given only its text, proposes facts whose every quote is found once in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from builder.checks import check_graph
from builder.drafting import draft_article
from builder.pipeline import build
from tests.conftest import DATA

CORPUS = Path(__file__).resolve().parent / "corpus" / "articles"
ARTICLES = sorted(p.name for p in CORPUS.iterdir() if (p / "article.yaml").is_file())


def test_there_are_three_articles_of_the_genre() -> None:
    assert len(ARTICLES) >= 3
    for name in ARTICLES:
        text = (CORPUS / name / "article.txt").read_text(encoding="utf-8")
        chinese = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        assert 1500 <= chinese <= 4000, (name, chinese)
        meta = (CORPUS / name / "article.yaml").read_text(encoding="utf-8")
        assert "synthetic" in meta.lower()  # says it is not a news report


@pytest.mark.parametrize("name", ARTICLES)
def test_each_article_validates_with_the_data(name: str) -> None:
    built = build([str(DATA), str(CORPUS / name)])
    report = check_graph(built, "always")
    assert report.problems == [] and report.shacl_run
    facts = [f for f in built.corpus.facts.values() if f.article_id == name]
    kinds = {f.type for f in facts}
    assert len(facts) > 100
    assert {"Observation", "Quote", "Person", "Post", "FirstClaim"} <= kinds


@pytest.mark.parametrize("name", ARTICLES)
def test_each_draft_quotes_its_text(name: str, tmp_path: Path) -> None:
    bare = tmp_path / name
    bare.mkdir()
    for part in ("article.txt", "article.yaml"):
        shutil.copy(CORPUS / name / part, bare / part)
    draft = yaml.safe_load(draft_article(bare, [str(DATA)]).text())
    text = (bare / "article.txt").read_text(encoding="utf-8")
    quotes = [f["evidence"] for f in draft["facts"]]
    quotes += [
        r["evidence"] for f in draft["facts"] for r in f.get("relations", []) if "evidence" in r
    ]
    assert len(draft["facts"]) > 50
    assert all(text.count(q) == 1 for q in quotes), [q for q in quotes if text.count(q) != 1]
    figures = [f for f in draft["facts"] if f["type"] == "Observation"]
    assert len(figures) > 30
