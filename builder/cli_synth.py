"""The `synth` command: write a synthetic corpus of invented articles (for scale tests)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .cli_options import command
from .synth import DEFAULT_FACTS_PER_ARTICLE, write_corpus


@command("synth")
@click.option(
    "--articles", "-n", type=click.IntRange(min=0), required=True, help="Number of articles."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option(
    "--out",
    "out_dir",
    default="synth-data",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Data folder to write (articles go to OUT/articles/).",
)
@click.option(
    "--facts-per-article",
    type=click.IntRange(min=1),
    default=DEFAULT_FACTS_PER_ARTICLE,
    show_default=True,
    help="At least this many facts per article (each has a core of about 34).",
)
def synth_command(articles: int, seed: int, out_dir: str, facts_per_article: int) -> None:
    """Write N invented articles with their fact files, deterministic by seed.

    About 1,000 triples per article once built; build them with `luohu-kg build --data OUT`.
    Synthetic article folders of an earlier run that are not rewritten are removed.
    """
    start = time.perf_counter()
    stats = write_corpus(Path(out_dir), articles, seed=seed, facts_per_article=facts_per_article)
    seconds = time.perf_counter() - start
    click.echo(
        f"wrote {stats.articles} articles ({stats.facts} facts, {stats.files} files) "
        f"to {Path(out_dir) / 'articles'} in {seconds:.1f} s"
    )


COMMANDS = (synth_command,)
