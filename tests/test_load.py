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


# Bad input found by fuzzing: each is refused with a located message, never a traceback.


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: &x [1]\nb: *x\n", 1, "YAML anchors and aliases (&name, *name) are not allowed"),
        ("a: 1\nb: &x 2\n", 2, "YAML anchors and aliases"),
        ("a:\n  <<: {b: 1}\n", 2, "merge keys (<<) are not allowed"),
        ("a: 1\n? [b, c]\n: d\n", 2, "a key must be text, not a list or a mapping"),
        ("a: 1\n1: b\n", 2, "a key must be text, not the number 1: quote it"),
        ("a: 1\nno: b\n", 2, "a key must be text, not the boolean false: quote it"),
        ("a: " + "[" * 300 + "]" * 300 + "\n", 1, "nested more than 32 levels deep"),
        ("a: 1\nb: x\x07y\n", 2, "the control character U+0007 is not allowed in YAML"),
        ("a: 罗湖\nb: " + "9" * 5000 + "\n", 2, "a number of more than 100 characters"),
        ("a: 1\ndate: 02021\n", 2, "YAML reads 02021 as the number 1041: quote it, or write 1041"),
        ("a: 1\nb: 20:21\n", 2, "YAML reads 20:21 as the number 1221"),
        ("facts:\n  - id: a\n    zh: [b,\n", 3, "malformed YAML"),  # not line 4, past the end
    ],
)
def test_yaml_a_fact_file_may_not_use_is_refused_on_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:{line}: -: {message}"), problem


def test_a_bad_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("a: 罗湖\nb: 1\nc: ".encode() + "罗".encode()[:2])  # cut inside a character
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:3: -: not UTF-8 text: unexpected end of data")


def _article(tmp_path: Path, body: bytes = "罗湖样例\n".encode(), **meta: str) -> Path:
    folder = tmp_path / "a"
    folder.mkdir()
    lines = {"id": "a", **meta}
    (folder / "article.yaml").write_text(
        "".join(f"{key}: {value}\n" for key, value in lines.items()), "utf-8"
    )
    (folder / "article.txt").write_bytes(body)
    return folder


def _article_problems(folder: Path) -> list[str]:
    from builder.load import read_article

    with pytest.raises(InputError) as caught:
        read_article(folder)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (b"a\r\nb\r\n", 1, "line ends in CRLF; convert to LF (e.g. dos2unix)"),
        (b"a\nb\rc\n", 2, "line ends in a lone CR; convert to LF (e.g. mac2unix)"),
        ("\ufeffa\n".encode(), 1,
         "the text starts with a byte order mark (U+FEFF): save it as UTF-8 without one"),
        ("a\nb\u200bc\n".encode(), 2,
         "the invisible character U+200B (ZERO WIDTH SPACE) at column 2: remove it"),
        (b"a\nb\x1b[2J\n", 2, "the control character U+001B at column 2: remove it"),
        ("罗湖\n样例".encode() + b"\xe9\n", 2,
         "not UTF-8 text: invalid continuation byte (byte 0xe9)"),
    ],
)  # fmt: skip
def test_an_article_text_offsets_would_miscount_is_refused(
    tmp_path: Path, text: bytes, line: int, message: str
) -> None:
    folder = _article(tmp_path, text)
    assert _article_problems(folder) == [f"{folder / 'article.txt'}:{line}: a: {message}"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd", "`text` '../../etc/passwd' points outside the article folder"),
        ("/etc/passwd", "`text` must be a path inside the article folder, not '/etc/passwd'"),
        ("'123'", "`text`: no file '123' in the article folder"),
        ("123", "`text` must name a file in the article folder, not the number 123"),
        ("x" * 300, "File name too long"),
    ],
)
def test_the_article_text_is_a_file_of_its_folder(tmp_path: Path, name: str, message: str) -> None:
    folder = _article(tmp_path, text=name)
    [problem] = _article_problems(folder)
    assert problem.startswith(f"{folder / 'article.yaml'}:2: a: ") and message in problem


def test_links_out_of_the_article_folder_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("facts: []\n", "utf-8")
    folder = _article(tmp_path)
    (folder / "article.txt").unlink()
    (folder / "article.txt").symlink_to(secret)
    (folder / "stolen.yaml").symlink_to(secret)
    (folder / "facts.yaml").write_text("facts: []\n", "utf-8")
    (folder / "inner.yaml").symlink_to("facts.yaml")  # a link inside the folder is fine
    problems = _article_problems(folder)
    assert problems == [
        f"{folder}/article.yaml:1: a: `text` 'article.txt' is a link to a file outside the "
        "article folder: copy the text in",
        f"{folder}/stolen.yaml:0: -: a link to a file outside the article folder: copy the file in",
    ]


def test_a_folder_named_like_a_fact_file_is_refused(tmp_path: Path) -> None:
    folder = _article(tmp_path)
    (folder / "more.yaml").mkdir()
    assert _article_problems(folder) == [
        f"{folder}/more.yaml:0: -: a folder, not a fact file: only fact files may be named *.yaml"
    ]


def test_every_text_of_a_fact_file_is_free_of_hidden_characters(tmp_path: Path) -> None:
    folder = _article(tmp_path, title_en='"A\\u202etitle"')
    (folder / "facts.yaml").write_text(
        'facts:\n  - id: b\n    en: x\u200by\n    alt_en: [ok, "\\e[31m"]\n'
        '  - id: "c\\u2028"\n    relations: [{"pro\\u200dperty": x}]\n'
        'skips:\n  - text: "\\x00"\n',
        "utf-8",
    )
    assert _article_problems(folder) == [
        f"{folder}/article.yaml:2: a: `title_en` contains the invisible character U+202E "
        "(RIGHT-TO-LEFT OVERRIDE): remove it",
        f"{folder}/facts.yaml:3: b: `en` contains the invisible character U+200B "
        "(ZERO WIDTH SPACE): remove it",
        f"{folder}/facts.yaml:4: b: `alt_en` contains the control character U+001B: remove it",
        f"{folder}/facts.yaml:5: c\\u2028: `id` contains the line separator U+2028 "
        "(LINE SEPARATOR): remove it",
        f"{folder}/facts.yaml:6: c\\u2028: a key contains the invisible character U+200D "
        "(ZERO WIDTH JOINER): remove it",
        f"{folder}/facts.yaml:8: skip: `text` contains the control character U+0000: remove it",
    ]


def test_messages_escape_what_a_terminal_acts_on_and_clip_long_values() -> None:
    from builder.errors import Problem

    problem = Problem("f.yaml", 3, "a\x1b[2J\u202eb" + "c" * 300_000, "bad \x07 \u200b 罗湖\u3000")
    shown = str(problem)
    assert shown == "f.yaml:3: a\\x1b[2J\\u202eb" + "c" * 73 + "…: bad \\x07 \\u200b 罗湖\u3000"
    assert len(str(Problem("f", 1, "-", "x" * 300_000))) < 500


def test_dates_and_years_take_ascii_digits_only() -> None:
    from builder.dates import DateError, parse_date, parse_period

    for text in ("²⁰²¹", "２０２１", "٢٠٢١-08", "2021-H１"):
        with pytest.raises(DateError):
            parse_period(text)
    assert parse_date(2021).text == "2021"  # YAML's number 2021, as the shipped data writes it


def test_a_relative_period_from_a_29_february_or_near_9999_is_checked() -> None:
    from builder.dates import DateError, parse_date, parse_period

    period = parse_period("next-5-years", parse_date("2024-02"))
    assert period.end.isoformat() == "2029-02-28"
    with pytest.raises(DateError, match="after the year 9999"):
        parse_period("next-5-years", parse_date("9999-02"))


def test_a_number_too_long_for_a_figure_is_refused() -> None:
    from builder.quantities import QuantityError, parse_quantity, parse_rank

    with pytest.raises(QuantityError, match="more than 18 digits"):
        parse_quantity("1234567890123456789012345678901亿元")
    assert str(parse_quantity("99999999999999999/1个").value) == "9999999999999999900.0000000000"
    with pytest.raises(QuantityError):
        parse_rank("全市第" + "9" * 5000)
