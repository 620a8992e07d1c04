"""The `draft` command: proposed facts for an article, from its text, in a draft file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from .cli_options import command, data_inputs
from .errors import LuohuKGError
from .load import ARTICLE_META, DRAFT_FILE, is_draft_file

DRAFT_HELP = """Propose facts for the article in ARTICLE_DIR, read from its text alone.

\b
Reads ARTICLE_DIR/article.txt and article.yaml (its reference year), never
its curated fact files, and the curated facts of the other articles of
--data (default ./data), to reuse the ids of what they already hold. Writes
a draft file: the fact-file format, each fact with its evidence quote (unique
in the text), `proposed_by` (the rule) and `confidence`; `build` and
`validate` ignore draft files.

\b
The output is ARTICLE_DIR/draft.yaml unless -o names another file, which must
be named draft.yaml or NAME.draft.yaml (or be -, standard output). A file
that is not itself a draft is never overwritten.
"""


class DraftError(LuohuKGError, ValueError):
    """The draft cannot be written as asked (exit code 2)."""


def check_output(path: Path) -> None:
    """Refuse a target that is not a draft file: curated facts are never overwritten."""
    if not is_draft_file(path):
        raise DraftError(
            f"{path}: a draft is written to draft.yaml or NAME.draft.yaml (other *.yaml files "
            "of an article folder are curated facts)"
        )
    if path.is_dir():
        raise DraftError(f"{path} is a folder")
    if path.exists():
        try:
            head = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DraftError(f"{path}: cannot read it to check that it is a draft: {err}") from err
        if not any(line.strip() == "draft: true" for line in head.splitlines()):
            raise DraftError(
                f"{path} exists and is not a draft (no `draft: true`): not overwritten"
            )


def write_file(path: Path, text: str) -> None:
    """Write through a temporary file beside `path`, renamed into place."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        raise DraftError(f"cannot write {path}: {err.strerror or err}") from err


@command("draft", help=DRAFT_HELP)
@click.argument("article_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="PATH",
    help="Data folder, article folder or glob whose facts are linked to (repeatable).",
)
@click.option("-o", "--output", metavar="FILE", help="Where to write: FILE or - (stdout).")
def draft_command(article_dir: Path, data: tuple[str, ...], output: str | None) -> None:
    from .drafting import draft_article

    if not (article_dir / ARTICLE_META).is_file():
        raise DraftError(f"{article_dir}: no {ARTICLE_META}: not an article folder")
    target = None if output == "-" else Path(output) if output else article_dir / DRAFT_FILE
    if target is not None:
        check_output(target)
    inputs = data_inputs(data) if data or Path("data").is_dir() else []
    draft = draft_article(article_dir, inputs)
    text = draft.text()
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_file(target, text)
    kinds: dict[str, int] = {}
    for fact in draft.facts:
        kinds[str(fact["type"])] = kinds.get(str(fact["type"]), 0) + 1
    shown = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    click.echo(
        f"wrote {target}: {len(draft.facts)} proposed facts ({shown}); "
        f"{len(draft.links)} links to existing facts, {len(draft.ambiguous)} ambiguous names",
        err=True,
    )


COMMANDS = [draft_command]
