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
    assert first.line_of("evidence") == 8


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


def _corpus_of_copies(root: Path, count: int) -> Path:
    import shutil

    from .conftest import MINI

    for index in range(count):
        target = root / "articles" / f"mini{index:02d}"
        shutil.copytree(MINI / "articles" / "mini", target)
        meta = target / "article.yaml"
        meta.write_text(
            meta.read_text("utf-8").replace("id: mini", f"id: mini{index:02d}"), "utf-8"
        )
    return root


def test_a_large_corpus_is_read_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    from builder.load import PARALLEL_FROM, read_article

    root = _corpus_of_copies(tmp_path, PARALLEL_FROM + 1)
    parallel = load_corpus([str(root)])
    serial = [read_article(f) for f in find_article_folders([str(root)])]
    assert [a.id for a in parallel] == [a.id for a in serial]
    assert [f for a in parallel for f in a.facts] == [f for a in serial for f in a.facts]
    assert [m.line for a in parallel for _f, m in a.facts] == [
        m.line for a in serial for _f, m in a.facts
    ]


def test_an_error_in_a_worker_keeps_its_location(tmp_path: Path) -> None:
    from builder.load import PARALLEL_FROM

    root = _corpus_of_copies(tmp_path, PARALLEL_FROM + 1)
    broken = root / "articles" / "mini07" / "facts.yaml"
    broken.write_text(broken.read_text("utf-8") + "  - [unclosed\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus([str(root)])
    [problem] = caught.value.problems
    assert problem.file.endswith("mini07/facts.yaml") and problem.line > 60
    assert "malformed YAML" in problem.message
