"""Text tables for a terminal: CJK-aware widths, cells fitted to a width, and records.

Used by `builder.query.render` for the `table` and `records` formats; the SPARQL formats
(csv, tsv, json) are the engine's own.
"""

from __future__ import annotations

import re
import unicodedata


def display_width(text: str) -> int:
    """Terminal columns of a text: wide and full-width (CJK) characters take two, combining
    and zero-width ones none."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.east_asian_width(char) in "WF":
        return 2
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 1


def pad(text: str, width: int) -> str:
    """The text with spaces after it, to fill `width` columns."""
    return text + " " * (width - display_width(text))


LINE_BREAK = "⏎"  # shown for a line break inside a table cell
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
MIN_CELL = 4  # columns a cut cell keeps at least (three characters and …)


def cell_text(text: str) -> str:
    """A value on one line: line breaks as ⏎, other control characters as their pictures."""
    text = _BREAKS.sub(LINE_BREAK, text)
    return _CONTROLS.sub(lambda m: "\u2421" if m[0] == "\x7f" else chr(0x2400 + ord(m[0])), text)


def clip(text: str, width: int) -> str:
    """The text cut to `width` terminal columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        w = _char_width(char)
        if used + w > width - 1:
            break
        kept.append(char)
        used += w
    return "".join(kept) + "…" if width >= 1 else ""


def fit_widths(
    natural: list[int], limit: int, sep: int, floors: list[int] | None = None
) -> list[int]:
    """Column widths that fit `limit` terminal columns with `sep` between columns.

    Narrow columns keep their width; the widest ones are cut to a common width (at least
    their floor, MIN_CELL by default) and the rest is shared out left to right. When even
    the floors do not fit, the floors are returned (the lines are longer than `limit`).
    """
    if not natural:
        return []
    room = limit - sep * (len(natural) - 1)
    low = floors or [min(w, MIN_CELL) for w in natural]
    if sum(natural) <= room:
        return list(natural)
    if sum(low) >= room:
        return low

    def total(cap: int) -> int:
        return sum(max(f, min(w, cap)) for f, w in zip(low, natural, strict=True))

    lo, hi = 0, max(natural)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if total(mid) <= room else (lo, mid - 1)
    widths = [max(f, min(w, lo)) for f, w in zip(low, natural, strict=True)]
    spare = room - sum(widths)
    for i, w in enumerate(natural):
        if spare <= 0:
            break
        if widths[i] < w:
            widths[i] += 1
            spare -= 1
    return widths


def format_table(variables: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """An aligned text table (CJK-aware): columns separated by `|`, header ruled with `-+-`.

    Cells are on one line (line breaks shown as ⏎). With `width`, cells are cut (…) so that
    lines fit that many terminal columns; the count line then says how to see them whole.
    """
    rows = [[cell_text(c) for c in row] for row in rows]
    natural = [display_width(v) for v in variables]
    for row in rows:
        natural = [max(w, display_width(c)) for w, c in zip(natural, row, strict=True)]
    widths = natural if width is None else fit_widths(natural, width, 3)
    cut = widths != natural

    def line(cells: list[str]) -> str:
        return " | ".join(pad(clip(c, w), w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if cut:
        count += f"; cut to {width} columns: whole cells with --wide or --format records"
    out.append(f"({count})")
    return "\n".join(out) + "\n"


def format_records(variables: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """One block per row, one `name  value` line per field (the vertical format).

    Line breaks in a value start a new line under the value column; with `width`, long
    values are wrapped there too, so nothing is cut.
    """
    key_width = max((display_width(v) for v in variables), default=0)
    room = None if width is None else max(width - key_width - 2, 10)
    out = []
    for n, row in enumerate(rows, 1):
        out.append(f"-[ {n} ]" + "-" * max((width or 40) - len(str(n)) - 5, 3))
        for name, value in zip(variables, row, strict=True):
            pieces: list[str] = []
            for part in _BREAKS.split(value) or [""]:
                pieces += _wrap(cell_text(part), room)
            out.append(f"{pad(name, key_width)}  {pieces[0]}".rstrip())
            out += [f"{' ' * key_width}  {piece}".rstrip() for piece in pieces[1:]]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _wrap(text: str, room: int | None) -> list[str]:
    """Lines of at most `room` terminal columns: broken at spaces, else between characters
    (Chinese text has no spaces)."""
    if room is None or display_width(text) <= room:
        return [text]
    lines: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if display_width(current + word.rstrip()) <= room:
            current += word
            continue
        if current.strip():
            lines.append(current.rstrip())
            current = ""
        while display_width(word.rstrip()) > room:  # a word longer than a line: split it
            head = clip(word, room + 1)[:-1]  # the characters that fit in `room` columns
            lines.append(head)
            word = word[len(head) :]
        current = word
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines
