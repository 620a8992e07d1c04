"""The draft as YAML: the fact-file format plus `draft: true`, `proposed_by` and `confidence`
on every fact, `links` (existing facts the draft refers to), `ambiguous` (labels that name
several existing facts) and `numbers` (numbers written in Chinese, for review). The same
draft always gives the same bytes."""

from __future__ import annotations

from typing import Any

import yaml

HEADER = """\
# Draft of proposed facts for the article {article}, written by `luohu-kg draft`.
# Every fact is a proposal: check it against the article, correct it and move it into a
# curated fact file. `proposed_by` names the rule that proposed it, `confidence` how sure
# that rule is (0-1); `review` lists the fields written without the article's words (an
# English label made from pinyin, a quote without translation). `build` and `validate`
# ignore this file unless drafts are included.
"""


try:  # libyaml's emitter is several times faster; both write the same YAML
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseDumper = yaml.SafeDumper


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Block style, no aliases, and long text kept on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\n" in value or value != value.strip() or "\u00a0" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_draft(
    article: str,
    facts: list[dict[str, Any]],
    links: list[dict[str, Any]],
    ambiguous: list[dict[str, Any]],
    numbers: list[dict[str, Any]],
    version: str,
) -> str:
    """The text of the draft file."""
    document = {
        "draft": True,
        "article": article,
        "drafted_by": f"luohu-kg draft {version}",
        "facts": facts,
        "links": links,
        "ambiguous": ambiguous,
        "numbers": numbers,
    }
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,
        default_flow_style=False,
    )
    return HEADER.format(article=article) + body
