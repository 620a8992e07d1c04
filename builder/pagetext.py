"""The article as the page's read view shows it: lines cut into segments at the start and end
of every quote, and the section titles marked."""

from __future__ import annotations

import re
from typing import Any

Mark = tuple[int, int, str, str | None]  # start, end, span id, figure (or None)


def paragraphs(text: str, marks: list[Mark]) -> list[dict[str, Any]]:
    """The article's lines (blank ones dropped) as segments: [text, span ids, figure]."""
    result = []
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        inside = [m for m in marks if m[0] < end and m[1] > start]
        cuts = sorted(
            {start, end, *(max(m[0], start) for m in inside), *(min(m[1], end) for m in inside)}
        )
        segments = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = [m for m in inside if m[0] <= a and m[1] >= b]
            ids = sorted({m[2] for m in covering if m[3] is None}, key=lambda s: int(s[1:]))
            figure = next((m[3] for m in covering if m[3] is not None), None)
            segments.append([text[a:b], ids, figure])
        result.append({"line": number, "segs": segments, "heading": False})
    _mark_headings(result)
    return result


def _mark_headings(paragraphs: list[dict[str, Any]]) -> None:
    """Mark the section titles: the short lines after a section number ("01" then 发展提质)
    when the text numbers its sections, else every short line without punctuation."""
    texts = ["".join(seg[0] for seg in p["segs"]).strip() for p in paragraphs]
    numbered = [n + 1 for n, t in enumerate(texts[:-1]) if t.isdigit() and len(t) <= 3]
    chosen = [n for n in numbered if _is_heading(texts[n])]
    if len(chosen) < 2:
        chosen = [n for n, t in enumerate(texts) if _is_heading(t)]
    for n in chosen:
        paragraphs[n]["heading"] = True


_SENTENCE_MARKS = re.compile(r"[。!?;,、:,.!?;:“”\"()()]")


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation (a section title such as 发展提质)."""
    words = line.strip()
    letters = sum(1 for c in words if c.isalpha())
    return 2 <= len(words) <= 24 and letters >= 2 and not _SENTENCE_MARKS.search(words)
