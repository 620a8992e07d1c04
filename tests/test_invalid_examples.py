"""Each folder of examples/invalid overlays the valid example and must fail as stated.

The failure is one located line `FILE:LINE: FACT-ID: message` on stderr, exit code 2 (bad
input) or, where the case has an `exit-code` file, the code it gives (1: the graph fails a
check), and an output folder left exactly as it was. A case's `args` file gives more
arguments of `build`, one a line (`--base` and a bad base IRI); links in a case are copied as
links.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main

from .conftest import EXAMPLES, MINI

CASES = sorted(p.name for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def _links(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if os.path.islink(os.path.join(folder, name))]


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES)
def test_invalid_example_fails_as_stated(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    source = EXAMPLES / "invalid" / case
    shutil.copytree(source, data, dirs_exist_ok=True, ignore=_links)
    for link in (p for p in source.rglob("*") if p.is_symlink()):
        target = data / link.relative_to(source)
        target.unlink(missing_ok=True)
        target.symlink_to(os.readlink(link))
    (data / "expected.txt").unlink()
    code_file = source / "exit-code"
    expected_code = int(code_file.read_text("utf-8")) if code_file.exists() else 2
    args_file = source / "args"
    args = args_file.read_text("utf-8").splitlines() if args_file.exists() else []
    for name in ("exit-code", "args", ".gitattributes"):
        (data / name).unlink(missing_ok=True)
    expected = (EXAMPLES / "invalid" / case / "expected.txt").read_text("utf-8").strip()
    out = tmp_path / "out"
    out.mkdir()
    (out / "luohu-kg.ttl").write_text("previous build\n", encoding="utf-8")
    before = _snapshot(out)
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, ["build", "--data", "data", "--out", "out", *args])

    assert result.exit_code == expected_code, result.output
    assert expected in result.stderr.splitlines(), result.stderr
    assert _snapshot(out) == before
