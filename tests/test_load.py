"""Stage 1: fact files are read with the line of every fact and field."""

from pathlib import Path

import pytest

from builder.errors import InputError
from builder.load import find_article_folders, load_corpus, read_yaml


def test_lines_are_kept(mini: Path) -> None:
    [article] = load_corpus([str(mini)])
    first_file, first = article.facts[0]
    assert first_file.endswith("facts.yaml")
    assert first["id"] == "shenzhen"
    assert first.line == 2
    assert first.line_of("evidence") == 6


def test_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("facts:\n  - {id: a, date: 2021-13-01}\n", encoding="utf-8")
    assert read_yaml(path)["facts"][0]["date"] == "2021-13-01"


def test_duplicate_keys_are_malformed(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("facts:\n  - id: a\n    id: b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"f.yaml:3: -: malformed YAML: duplicate key 'id'"):
        read_yaml(path)


def test_inputs_may_be_globs(mini: Path) -> None:
    assert find_article_folders([str(mini / "articles" / "*")]) == [mini / "articles" / "mini"]
    with pytest.raises(InputError, match="no file or folder matches"):
        find_article_folders([str(mini / "nothing-*")])
