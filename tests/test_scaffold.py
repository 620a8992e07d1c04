"""`new-article` writes a folder that validates as it is, and refuses what it cannot make."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from builder.pipeline import check

from .conftest import DATA

OPTIONS = [
    "--published", "2021-09", "--title-en", "A Luohu sample", "--publisher", "southern-daily",
    "--author", "xia-fan", "--rights", "Sample text written for the test.",
]  # fmt: skip


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return data


def test_the_new_article_validates_beside_the_others(tmp_path: Path, runner: CliRunner) -> None:
    data = _data(tmp_path)
    text = tmp_path / "new.txt"
    text.write_bytes("罗湖新闻样例\r\n\r\n今年上半年,罗湖区经济增长。".encode())
    arguments = ["new-article", "luohu-sample", "--text", str(text), "--data", str(data)]
    result = runner.invoke(main, arguments + OPTIONS)
    assert result.exit_code == 0, result.output
    folder = data / "articles" / "luohu-sample"
    assert sorted(p.name for p in folder.iterdir()) == [
        "article.txt", "article.yaml", "coverage.yaml", "facts.yaml",
    ]  # fmt: skip
    assert (
        folder / "article.txt"
    ).read_bytes() == "罗湖新闻样例\n\n今年上半年,罗湖区经济增长。\n".encode()
    corpus = check([str(data)])
    [article] = [a for a in corpus.articles if a.id == "luohu-sample"]
    assert (article.title_zh, article.reference_year) == ("罗湖新闻样例", 2021)
    again = runner.invoke(main, arguments + OPTIONS)
    assert again.exit_code == 2 and "exists already" in again.output


def test_what_it_refuses(tmp_path: Path, runner: CliRunner) -> None:
    data = _data(tmp_path)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("first line\ncaf\xe9\n".encode("latin-1"))
    cases = {
        "Bad_Id": ("new.txt", "bad article id"),
        "fine-id": ("missing.txt", "cannot read"),
        "other-id": ("latin1.txt", "latin1.txt:2: not UTF-8"),
    }
    (tmp_path / "new.txt").write_text("标题\n", encoding="utf-8")
    for article_id, (name, message) in cases.items():
        arguments = ["new-article", article_id, "--text", str(tmp_path / name)]
        result = runner.invoke(main, [*arguments, "--data", str(data), *OPTIONS])
        assert result.exit_code == 2 and message in result.output, (article_id, result.output)
        assert not (data / "articles" / article_id).exists()
    bad_date = runner.invoke(
        main,
        ["new-article", "x", "--text", str(tmp_path / "new.txt"), "--data", str(data)]
        + [o if o != "2021-09" else "2021-13" for o in OPTIONS],
    )
    assert bad_date.exit_code == 2 and "--published" in bad_date.output
