"""Shared fixtures: the repository's data, the small valid example, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.pipeline import Built, build

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = Path(__file__).resolve().parent / "examples"
MINI = EXAMPLES / "valid" / "mini"
ARTICLE_TEXT = DATA / "articles" / "luohu-pilot-zone-2nd-anniversary" / "article.txt"


@pytest.fixture(scope="session")
def article_built() -> Built:
    """The real article, built once for the whole session."""
    return build([str(DATA)])


@pytest.fixture(scope="session")
def article_text() -> str:
    """The shipped copy of the article."""
    return ARTICLE_TEXT.read_text(encoding="utf-8")


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    """A private copy of the small valid example (a data folder)."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture()
def runner() -> CliRunner:
    """Click's CLI runner."""
    return CliRunner()
