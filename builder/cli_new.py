"""The `new-article` command: the folder of a new article, ready for its facts."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_options import command
from .scaffold import NewArticle, new_article


@command("new-article")
@click.argument("article_id")
@click.option(
    "--text",
    "text_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The article's text (UTF-8), copied to article.txt; its first line is the headline.",
)
@click.option("--published", required=True, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--title-en", required=True, help="The headline in English.")
@click.option("--publisher", required=True, help="Fact id of the publisher (e.g. southern-daily).")
@click.option("--author", required=True, help="Fact id of the author (e.g. xia-fan).")
@click.option(
    "--rights",
    required=True,
    help="Who holds the text and on what terms it is quoted here.",
)
@click.option(
    "--reference-year",
    type=click.IntRange(1900, 2100),
    help="Year that 今年 (this year) means  [default: the year of --published]",
)
@click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder; the article goes to DATA/articles/ARTICLE_ID/.",
)
def new_article_command(
    article_id: str,
    text_file: Path,
    published: str,
    title_en: str,
    publisher: str,
    author: str,
    rights: str,
    reference_year: int | None,
    data_dir: Path,
) -> None:
    """Create DATA/articles/ARTICLE_ID/ with article.txt, article.yaml and empty fact files.

    The result validates as it is (given that the publisher and author facts exist in the
    data); `luohu-kg coverage --data DATA` then lists every clause still to be covered.
    """
    spec = NewArticle(
        article_id, text_file, published, title_en, publisher, author, rights, reference_year
    )
    folder = new_article(data_dir, spec)
    click.echo(f"wrote {folder}/: article.txt, article.yaml, facts.yaml, coverage.yaml")
    click.echo(f"next: luohu-kg validate --data {data_dir}; luohu-kg coverage --data {data_dir}")


COMMANDS = [new_article_command]
