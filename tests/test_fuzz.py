"""A seeded mutation fuzzer over the shipped fact files: no bad input gets through.

Each mutant is a copy of `data/` with one file of the article changed (a fact file,
article.yaml or article.txt): bytes flipped, lines deleted, doubled or swapped, the file cut
short, values of another YAML type or borrowed from another fact, control and invisible
characters, deep nesting, anchors and aliases, huge numbers, CRLF and CR line ends, non-ASCII
digits, very long values, keys that are not text, paths out of the folder; a few mutants change
the folder instead (a folder named like a fact file, links out of it). Each is built by
`build_to`, what `luohu-kg build --no-html --shacl never` runs (the CLI turns InputError into
exit code 2 and ViolationError into 1), and must

- build (exit 0), every file written re-parsing with Oxigraph, or
- fail with InputError (2) or ViolationError (1), every message a located
  `FILE:LINE: FACT-ID: message` with nothing a terminal would act on or hide, and the output
  folder left byte for byte as it was.

Any other exception (a traceback) fails the test. To stay fast, a file with the bytes of the
shipped one is parsed once, a mutant whose file reads as the shipped one is not built again,
and a mutant that builds writes all formats, one or none (its checks run all the same).

Mutant N of seed S is the same on every run: `FUZZ_ONLY=N` (with `FUZZ_SEED=S`) builds that
one alone, `FUZZ_MUTANTS=2000` makes more.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import time
import traceback
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from builder import load as load_module
from builder.errors import InputError, ViolationError
from builder.outputs import OUTPUT_PLAN
from builder.pipeline import build_to

from .conftest import DATA

SEED = int(os.environ.get("FUZZ_SEED", "20240611"))
MUTANTS = int(os.environ.get("FUZZ_MUTANTS", "300"))
ONLY = os.environ.get("FUZZ_ONLY")
ARTICLE = Path("articles") / "luohu-pilot-zone-2nd-anniversary"
PREVIOUS = {"luohu-kg.ttl": b"previous build\n", "notes.txt": b"kept\n"}
LOCATED = re.compile(r"^.+?:\d+: .+?: .+$")  # FILE:LINE: FACT-ID: message
HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"}  # what a terminal acts on or hides
MESSAGE_LIMIT = 600  # characters of one message line (values are clipped in messages)
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

# values of another type or form, for `key: value` lines
VALUES = [
    "123", "1.5", "-0", "1e400", "true", "no", "null", "~", "[a, b]", "{a: 1}", "[]", "{}",
    "2021-08-01", "2021-08-01 10:00:00", '""', "' '", ".nan", "-.inf", "!!binary aGVsbG8=",
    "0x7E5", "0o17", "1_000", "12:30:00", '"²⁰²¹"', '"２０２１"', "٢٠٢١", "!!set {a, b}",
    "!!omap [a: 1]", "!!str [x]", "!custom x", "!!python/name:os.system", '"\\0"', '"a\\nb"',
    '"\\ud800"', "&anchor x", "*undefined", "{<<: {a: 1}}", "? x", "- x", "|", ">-", "'",
    '"', "[", "{", "@x", "`x`", "%TAG", "#", "2021--2015", "next-0-5-years", "next-5-1-years",
    "next-99-years", "0000", "9999-12-31", "2021-02-29", "2021-H3", "1/0", "0/0",
    "1234567890123456789012345678901亿元", "1" * 5000 + "个", "全市第" + "9" * 5000,
    "x" * 300_000, "published", "LeadsAmong", "Observation", "exceeds",
]  # fmt: skip
# characters a fact file or an article must not hide (some YAML itself refuses)
CHARACTERS = [
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u200d", "\u2060", "\ufeff",
    "\u202e", "\u2066", "\u2028", "\u2029", "\ue000", "\ufffe", "\U000e0041", "\t", "\r",
    "\xa0", "\u3000", "\xad",
]  # fmt: skip
ESCAPES = ["\\e", "\\a", "\\x07", "\\x1b[31m", "\\u200b", "\\ufeff", "\\u202e", "\\ud800",
           "\\U0010FFFF", "\\0", "\\r", "\\L", "\\P", "\\N", "\\_"]  # fmt: skip
DIGITS = ["０１２３４５６７８９", "⁰¹²³⁴⁵⁶⁷⁸⁹", "٠١٢٣٤٥٦٧٨٩", "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡"]
KEY_LINES = ["? [a, b]\n{i}: c", "1: x", "true: x", "null: x", "<<: {{note: x}}", "2021: x",
             "? {{a: 1}}\n{i}: c", "id: again", "'': x", "\"\\e\": x"]  # fmt: skip
TEXT_PATHS = ["../../../../../../etc/passwd", "/etc/passwd", "", "'   '", "article.yaml",
              "sub/../article.txt", "./article.txt", "missing.txt", ".", "..", "[a.txt]",
              "123", "article.txt\\n"]  # fmt: skip

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]
VALUE_LINE = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+): (.*)$")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _key_of(line: str) -> str | None:
    match = VALUE_LINE.match(line)
    return match[2] if match else None


def _value_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if VALUE_LINE.match(line)]


def _random_value_line(
    rng: random.Random, data: bytes
) -> tuple[list[str], int, re.Match[str]] | None:
    """The file's lines, and one `key: value` line picked at random with its match."""
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    candidates = _value_lines(text)
    if not candidates:
        return None
    index = rng.choice(candidates)
    match = VALUE_LINE.match(lines[index])
    assert match is not None
    return lines, index, match


def _with_value(
    rng: random.Random, data: bytes, make: Callable[[str, str], str]
) -> tuple[bytes, str]:
    """Replace the value of one `key: value` line with make(key, old value)."""
    picked = _random_value_line(rng, data)
    if picked is None:
        return data, "no value line"
    lines, index, match = picked
    value = make(match[2], match[3])
    lines[index] = f"{match[1]}{match[2]}: {value}"
    shown = value if len(value) <= 40 else value[:40] + f"…({len(value)})"
    return "\n".join(lines).encode(
        "utf-8", "surrogatepass"
    ), f"line {index + 1}: {match[2]}: {shown!r}"


def borrow_value(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A value of another line with the same key (a subject, a type, a period, an object):
    well-typed input that the checks after loading must refuse or accept."""
    text = data.decode("utf-8", "surrogateescape")
    by_key: dict[str, list[str]] = {}
    for line in text.split("\n"):
        match = VALUE_LINE.match(line)
        if match is not None:
            by_key.setdefault(match[2], []).append(match[3])
    keys = sorted(key for key, values in by_key.items() if len(set(values)) > 1)
    if not keys:
        return data, "no key with two values"
    key = rng.choice(keys)

    def borrow(line_key: str, old: str) -> str:
        choices = [v for v in by_key.get(line_key, []) if v != old]
        return rng.choice(choices) if choices else old

    lines = text.split("\n")
    keyed = [i for i in _value_lines(text) if _key_of(lines[i]) == key]
    index = rng.choice(keyed)
    match = VALUE_LINE.match(lines[index])
    assert match is not None
    value = borrow(match[2], match[3])
    lines[index] = f"{match[1]}{match[2]}: {value}"
    out = "\n".join(lines).encode("utf-8", "surrogateescape")
    return out, f"line {index + 1}: {key}: {value[:40]!r}"


def flip_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    buffer = bytearray(data)
    spots = []
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(buffer))
        buffer[at] = (
            rng.randrange(256) if rng.random() < 0.5 else buffer[at] ^ (1 << rng.randrange(8))
        )
        spots.append(at)
    return bytes(buffer), f"bytes changed at {spots}"


def delete_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    index = rng.randrange(len(lines))
    del lines[index]
    return b"".join(lines), f"line {index + 1} deleted"


def duplicate_line(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return b"".join(lines), f"line {index + 1} doubled"


def swap_lines(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines), f"lines {a + 1} and {b + 1} swapped"


def truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"cut after byte {at}"


def retype_value(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return _with_value(rng, data, lambda _key, _old: rng.choice(VALUES))


def insert_character(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    ch = rng.choice(CHARACTERS)

    def put(_key: str, old: str) -> str:
        at = rng.randint(0, len(old))
        return old[:at] + ch + old[at:]

    result, where = _with_value(rng, data, put)
    return result, f"{where} (U+{ord(ch):04X} inserted)"


def insert_raw_character(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A character anywhere in the text (article.txt too); a surrogate as invalid UTF-8."""
    ch = rng.choice([*CHARACTERS, "\ud800"])
    text = data.decode("utf-8", "surrogateescape")
    at = rng.randint(0, len(text))
    out = text[:at] + ch + text[at:]
    return out.encode("utf-8", "surrogatepass"), f"U+{ord(ch):04X} at character {at}"


def escaped_character(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    escape = rng.choice(ESCAPES)

    def put(_key: str, old: str) -> str:
        inner = old.strip("\"'").replace("\\", "\\\\").replace('"', '\\"')
        at = rng.randint(0, len(inner))
        return '"' + inner[:at] + escape + inner[at:] + '"'

    return _with_value(rng, data, put)


def nest_deeply(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    depth = rng.choice([5, 31, 33, 300, 999, 5000])
    if rng.random() < 0.5:
        return _with_value(rng, data, lambda _k, _o: "[" * depth + "]" * depth)
    block = "".join("  " * (i + 1) + "- \n" for i in range(min(depth, 400)))
    return data + b"  - id: deep\n    note:\n" + block.encode(), f"block nesting {depth}"


def add_alias(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    kind = rng.choice(["pair", "bomb", "anchor"])
    if kind == "bomb":
        bomb = ['  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        bomb += [f"  - &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
        return data + ("\nbombs:\n" + "\n".join(bomb) + "\n").encode(), "alias bomb"
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    candidates = _value_lines(text)
    if len(candidates) < 2:
        return data, "no value lines"
    a, b = sorted(rng.sample(candidates, 2))
    first, second = VALUE_LINE.match(lines[a]), VALUE_LINE.match(lines[b])
    assert first is not None and second is not None
    lines[a] = f"{first[1]}{first[2]}: &x {first[3]}"
    if kind == "pair":
        lines[b] = f"{second[1]}{second[2]}: *x"
    out = "\n".join(lines).encode("utf-8", "surrogateescape")
    return out, f"{kind}: anchor on line {a + 1}" + (
        f", alias on {b + 1}" if kind == "pair" else ""
    )


def huge_number(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    digits = rng.choice(["9" * 19, "1" * 31, "12345678901234567890.5", "9" * 5000, "0" * 40 + "1"])
    text = data.decode("utf-8", "surrogateescape")
    spots = [m.start() for m in re.finditer(r"[0-9]+(?:\.[0-9]+)?", text)]
    if not spots:
        return data, "no number"
    at = rng.choice(spots)
    match = re.compile(r"[0-9]+(?:\.[0-9]+)?").match(text, at)
    assert match is not None
    out = text[:at] + digits + text[match.end() :]
    return out.encode("utf-8", "surrogateescape"), f"number at {at} -> {len(digits)} digits"


def other_digits(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    table = rng.choice(DIGITS)
    text = data.decode("utf-8", "surrogateescape")
    spots = [m.start() for m in re.finditer(r"[0-9]+", text)]
    if not spots:
        return data, "no digits"
    at = rng.choice(spots)
    end = re.compile(r"[0-9]+").match(text, at).end()  # type: ignore[union-attr]
    out = text[:at] + text[at:end].translate(str.maketrans("0123456789", table)) + text[end:]
    return out.encode("utf-8", "surrogateescape"), f"digits at {at} -> {table[:3]}…"


def line_ends(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    kind = rng.choice(["crlf", "cr", "bom", "one-crlf", "nel", "no-final-newline"])
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n"), kind
    if kind == "cr":
        return data.replace(b"\n", b"\r"), kind
    if kind == "bom":
        return b"\xef\xbb\xbf" + data, kind
    if kind == "nel":
        return data.replace(b"\n", "\x85".encode(), 1), kind
    if kind == "no-final-newline":
        return data.rstrip(b"\n"), kind
    lines = _lines(data)
    index = rng.randrange(len(lines))
    lines[index] = lines[index].replace(b"\n", b"\r\n")
    return b"".join(lines), f"crlf on line {index + 1}"


def odd_key(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    picked = _random_value_line(rng, data)
    if picked is None:
        return data, "no value line"
    lines, index, match = picked
    indent = " " * len(match[1])
    key = rng.choice(KEY_LINES).format(i=indent)
    lines.insert(index + 1, indent + key)
    return "\n".join(lines).encode("utf-8", "surrogateescape"), f"after line {index + 1}: {key!r}"


def change_id(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    text = data.decode("utf-8", "surrogateescape")
    ids = re.findall(r"(?m)^\s*- id: (\S+)$", text)
    if not ids:
        return data, "no id"
    old = rng.choice(ids)
    new = rng.choice([rng.choice(ids), f'"{old}\\n"', old.upper(), old + ".x", f'"{old} "',
                      "x" * 300_000, f"{old}\u200b", '"a\\e[2Jb"', "-" + old, "123"])  # fmt: skip
    out = text.replace(f"- id: {old}\n", f"- id: {new}\n", 1)
    return out.encode("utf-8", "surrogateescape"), f"id {old} -> {new[:40]!r}"


def long_value(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    size = rng.choice([1000, 300_000])
    return _with_value(rng, data, lambda _k, old: ((old.strip("\"'") or "x") * size)[:size])


def text_path(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    path = rng.choice(TEXT_PATHS)
    return data.replace(b"text: article.txt", f"text: {path}".encode(), 1), f"text: {path}"


FILE_MUTATIONS: list[Mutation] = [
    flip_bytes, delete_line, duplicate_line, swap_lines, truncate, retype_value, retype_value,
    insert_character, insert_raw_character, escaped_character, nest_deeply, add_alias,
    huge_number, other_digits, line_ends, odd_key, change_id, long_value, borrow_value,
    borrow_value,
]  # fmt: skip
TEXT_MUTATIONS: list[Mutation] = [
    flip_bytes, delete_line, duplicate_line, swap_lines, truncate, insert_raw_character,
    insert_raw_character, huge_number, other_digits, line_ends, line_ends,
]  # fmt: skip


def _folder_mutation(rng: random.Random, article: Path, outside: Path) -> str:
    kind = rng.choice(["dir", "text-link", "fact-link", "meta-link", "inner-link", "empty"])
    if kind == "dir":
        (article / "more.yaml").mkdir()
        (article / "more.yaml" / "facts.yaml").write_text("facts: []\n", "utf-8")
    elif kind == "text-link":
        (article / "article.txt").unlink()
        (article / "article.txt").symlink_to(outside)
    elif kind == "fact-link":
        (article / "stolen.yaml").symlink_to(outside)
    elif kind == "meta-link":
        (article / "article.yaml").rename(article / "meta.bak")
        (article / "article.yaml").symlink_to(outside)
    elif kind == "inner-link":  # a link inside the folder is fine
        (article / "article.txt").rename(article / "text.txt")
        (article / "article.txt").symlink_to("text.txt")
    else:
        (article / "empty.yaml").write_bytes(b"")
    return f"folder: {kind}"


def mutate(index: int, article: Path, outside: Path) -> str:
    """Apply mutant `index` to the article folder; its description."""
    rng = random.Random(f"{SEED}:{index}")
    if rng.random() < 0.04:
        return _folder_mutation(rng, article, outside)
    files = sorted(p.name for p in article.iterdir())
    name = rng.choice(files)
    path = article / name
    data = path.read_bytes()
    mutated, how = data, ""
    while mutated == data:  # a mutation that changes nothing is drawn again
        if name == "article.yaml" and rng.random() < 0.2:
            mutation: Mutation = text_path
        else:
            mutation = rng.choice(TEXT_MUTATIONS if name.endswith(".txt") else FILE_MUTATIONS)
        mutated, how = mutation(rng, data)
    path.write_bytes(mutated)
    return f"{name}: {mutation.__name__}: {how}"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def _reparses(written: list[Path]) -> str | None:
    """Why a written file does not parse, or None."""
    for path in written:
        if path.name.endswith(".context.jsonld"):
            json.loads(path.read_bytes())
            continue
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=FORMATS[path.suffix])
        except (SyntaxError, ValueError) as err:
            return f"{path.name} does not parse: {err}"
        if len(store) == 0:
            return f"{path.name} is empty"
    return None


def _bad_message(line: str) -> str | None:
    if not LOCATED.match(line) or len(line) > MESSAGE_LIMIT:
        return f"not a located message: {line[:200]!r}"
    if any(unicodedata.category(ch) in HIDDEN for ch in line):
        return f"a message with characters a terminal acts on or hides: {line[:200]!r}"
    return None


def _check_mutant(index: int, data: Path, pristine: Path, outside: Path) -> str | None:
    """Build mutant `index` of the data in `data`; what went wrong, or None."""
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(pristine, data, symlinks=True)
    how = mutate(index, data / ARTICLE, outside)
    where = f"mutant {index} (FUZZ_SEED={SEED} FUZZ_ONLY={index}) {how}"
    out = data.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    for name, content in PREVIOUS.items():
        (out / name).write_bytes(content)
    before = _snapshot(out)
    # a build that passes writes every format now and then, one more often, or none (the
    # checks run all the same): writing and parsing them cost more than the build itself
    draw = random.Random(f"{SEED}:{index}:outputs").random()
    formats = sorted(OUTPUT_PLAN)
    one = [formats[int(draw * 997) % len(formats)]]
    outputs = formats if draw < 0.05 else one if draw < 0.35 else []
    try:  # what `luohu-kg build --no-html --shacl never` runs; it maps these errors to 2 and 1
        written = build_to([str(data)], out, html=False, shacl="never", outputs=outputs)
    except _SameAsShipped:
        return None
    except (InputError, ViolationError) as err:
        if _snapshot(out) != before:
            return f"{where}: {type(err).__name__} but the output folder changed"
        if not err.problems:
            return f"{where}: {type(err).__name__} with no message"
        bad = [m for p in err.problems if (m := _bad_message(str(p))) is not None]
        return f"{where}: {bad[0]}" if bad else None
    except Exception as err:  # any other exception is a traceback of the CLI
        return f"{where}: traceback\n{''.join(traceback.format_exception(err))}"
    broken = _reparses(written)
    return None if broken is None else f"{where}: {broken}"


class _SameAsShipped(Exception):
    """The mutated fact file reads as the shipped one (CRLF line ends, a comment changed): its
    build is the baseline's, and is not made again."""


class _ParsedOnce:
    """read_yaml, but a file with the bytes of a shipped one is parsed once: a mutant changes
    one file, and parsing the others again would be most of the fuzzer's time."""

    def __init__(self, pristine: Path) -> None:
        self.read_yaml = load_module.read_yaml
        self.parses: dict[tuple[str, bytes], Any] = {}
        self.pickled: dict[str, bytes] = {}
        for path in sorted((pristine / ARTICLE).glob("*.yaml")):
            parse = self.read_yaml(path)
            self.parses[(path.name, path.read_bytes())] = parse
            self.pickled[path.name] = pickle.dumps(parse)

    def __call__(self, path: Path) -> Any:
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        parse = self.parses.get((path.name, data))
        if parse is not None:
            return parse
        parse = self.read_yaml(path)
        if self.pickled.get(path.name) == pickle.dumps(parse):
            raise _SameAsShipped(path.name)
        return parse

    def unchanged(self) -> bool:
        """Nothing changed the parses kept (the stages after loading only read them)."""
        return all(self.pickled[name] == pickle.dumps(parse)
                   for (name, _data), parse in self.parses.items())  # fmt: skip


def test_no_mutant_of_the_fact_files_gets_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pristine = tmp_path / "pristine"
    shutil.copytree(DATA, pristine, ignore=shutil.ignore_patterns("__pycache__"))
    outside = tmp_path / "secret.yaml"
    outside.write_text("facts: []\n# not the project's\n", "utf-8")
    out = tmp_path / "baseline"
    written = build_to([str(pristine)], out, html=False, shacl="never")  # the shipped data builds
    assert len(written) == len(OUTPUT_PLAN) and _reparses(written) is None
    parsed_once = _ParsedOnce(pristine)
    monkeypatch.setattr(load_module, "read_yaml", parsed_once)
    indices = [int(ONLY)] if ONLY is not None else list(range(MUTANTS))
    started = time.perf_counter()
    failures = []
    for index in indices:
        problem = _check_mutant(index, tmp_path / "work" / "data", pristine, outside)
        if problem is not None:
            failures.append(problem)
    took = time.perf_counter() - started
    print(f"{len(indices)} mutants (seed {SEED}) in {took:.1f} s")
    assert not failures, f"{len(failures)} of {len(indices)} mutants:\n" + "\n".join(failures)
    assert parsed_once.unchanged()


def test_mutants_are_the_same_on_every_run(tmp_path: Path) -> None:
    descriptions = []
    for run in range(2):
        folder = tmp_path / str(run)
        shutil.copytree(DATA / ARTICLE, folder)
        descriptions.append([mutate(i, folder, tmp_path / "x") for i in (3, 7, 11)]
                            + [_snapshot(folder)])  # fmt: skip
        shutil.rmtree(folder)
    assert descriptions[0] == descriptions[1]
