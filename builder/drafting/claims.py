"""Claims of being first (全市首个, 全省首个, 全省率先, 率先) and what they are about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import ArticleText, Span

FIRST = re.compile(
    r"(?:在)?(?P<scope>全市|全省|全国|全区)?(?P<word>首个|首家|首座|首条|第一个|率先|首创)"
)
# verbs between 率先 and what was done first (率先推出X, 率先建立X)
_VERBS = ("推出", "建立", "建成", "开展", "实现", "设立", "成立", "开发", "探索", "启动", "上线",
          "出台", "打造", "试点", "推行", "创建", "引入", "发布")  # fmt: skip


@dataclass(frozen=True)
class FirstWords:
    """A claim of being first: its words, its scope word and where the thing named starts."""

    words: Span  # 全市首个, 全省率先, 率先
    scope: str | None  # 全市 …, or None (率先 alone)
    object_start: int  # where the name of the first thing begins


def first_claims(article: ArticleText, body_end: int) -> list[FirstWords]:
    """Every 'first' claim of the article's body."""
    found = []
    for m in FIRST.finditer(article.text, 0, body_end):
        word_start = m.start("scope") if m["scope"] else m.start("word")
        words = Span(word_start, m.end(), article.text[word_start : m.end()])
        after = m.end()
        if m["word"] == "率先":
            verb = next((v for v in _VERBS if article.text.startswith(v, after)), None)
            if verb is None:
                continue
            after += len(verb)
        found.append(FirstWords(words, m["scope"], after))
    return found
