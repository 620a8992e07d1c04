"""Access to the files shipped as package data (ontology, shapes, queries, default data)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ONTOLOGY_FILE = "luohu.ttl"
SHAPES_FILE = "shapes.ttl"


def shipped(name: str) -> Traversable:
    """The package-data folder `builder.<name>` (ontology, queries, data).

    Installed, it is a subpackage (pyproject maps the top-level folders into `builder`). When
    `builder` is imported from a source checkout that is not installed editable (e.g. pytest
    run in the checkout after a non-editable `pip install .`), there is no such subpackage and
    the checkout's own top-level folder of that name is used.
    """
    try:
        return resources.files(f"builder.{name}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name


def ontology_text() -> str:
    """The ontology, as Turtle text."""
    return shipped("ontology").joinpath(ONTOLOGY_FILE).read_text("utf-8")


def shapes_text() -> str:
    """The SHACL shapes, as Turtle text."""
    return shipped("ontology").joinpath(SHAPES_FILE).read_text("utf-8")


def query_files() -> dict[str, Traversable]:
    """Catalog queries by name (file name without `.rq`), sorted by name."""
    folder = shipped("queries")
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
    packaged = shipped("data")
    return Path(str(packaged))
