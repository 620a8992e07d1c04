"""Access to the files shipped as package data (ontology, shapes, queries, default data)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ONTOLOGY_FILE = "luohu.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_text() -> str:
    """The ontology, as Turtle text."""
    return resources.files("builder.ontology").joinpath(ONTOLOGY_FILE).read_text("utf-8")


def shapes_text() -> str:
    """The SHACL shapes, as Turtle text."""
    return resources.files("builder.ontology").joinpath(SHAPES_FILE).read_text("utf-8")


def query_files() -> dict[str, Traversable]:
    """Catalog queries by name (file name without `.rq`), sorted by name."""
    folder = resources.files("builder.queries")
    found = {
        entry.name[: -len(".rq")]: entry
        for entry in folder.iterdir()
        if entry.name.endswith(".rq") and entry.is_file()
    }
    return dict(sorted(found.items()))


def default_data_dir() -> Path:
    """`./data` when run from a checkout, otherwise the data shipped in the package."""
    local = Path("data")
    if (local / "articles").is_dir():
        return local
    packaged = resources.files("builder.data")
    return Path(str(packaged))
