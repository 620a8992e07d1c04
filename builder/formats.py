"""The RDF formats the builder reads and writes, described by pyoxigraph's own metadata.

A format is named by its usual file extension (`ttl`, `nt`, `nq`, `trig`, `jsonld`, `rdf`),
which is also how a file's format is told from its name; media types come from the same
`pyoxigraph.RdfFormat` objects, so no table here repeats what the library knows.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

READABLE: tuple[ox.RdfFormat, ...] = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.TRIG,
    ox.RdfFormat.JSON_LD,
    ox.RdfFormat.RDF_XML,
)
# what the builder writes: RDF/XML cannot hold named graphs and is not written
WRITABLE: tuple[ox.RdfFormat, ...] = READABLE[:-1]
# written with the named graphs of the articles (JSON-LD could hold them, but is written flat)
QUAD_WRITTEN: tuple[ox.RdfFormat, ...] = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
# formats uploaded with the Graph Store protocol: one graph, line- or block-oriented text
UPLOADABLE: tuple[ox.RdfFormat, ...] = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)


def key(fmt: ox.RdfFormat) -> str:
    """The format's short name: its file extension."""
    return fmt.file_extension


def keys(formats: tuple[ox.RdfFormat, ...] = WRITABLE) -> list[str]:
    """The short names of some formats, sorted."""
    return sorted(key(fmt) for fmt in formats)


def by_key(name: str, formats: tuple[ox.RdfFormat, ...] = WRITABLE) -> ox.RdfFormat:
    """The format with this short name (KeyError if it is not among `formats`)."""
    for fmt in formats:
        if key(fmt) == name:
            return fmt
    raise KeyError(name)


def from_path(path: Path) -> ox.RdfFormat | None:
    """The readable format whose extension the file has, or None (pyoxigraph's own lookup
    also maps `.txt` to N-Triples, too loose to tell a format by)."""
    try:
        return by_key(path.suffix.lstrip(".").lower(), READABLE)
    except KeyError:
        return None


def unknown_format(path: Path) -> str:
    """The message for a file whose extension names no readable format."""
    known = ", ".join(f".{name}" for name in keys(READABLE))
    return f"cannot tell the RDF format of {path} (use {known})"


def content_type(fmt: ox.RdfFormat) -> str:
    """The media type to send a serialisation with (UTF-8 stated for Turtle and TriG, whose
    registrations leave the charset to the sender)."""
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return f"{fmt.media_type}; charset=utf-8"
    return fmt.media_type
