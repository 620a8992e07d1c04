"""A non-editable install carries the ontology, the queries and the data as package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from builder import __version__, resources
from builder.vocab import ontology_graph

from .conftest import ROOT


def test_wheel_holds_package_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = tmp_path.glob("luohu_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "builder/ontology/luohu.ttl" in names
    assert "builder/templates/graph.html.j2" in names
    assert "builder/ontology/shapes.ttl" in names
    assert "builder/data/articles/luohu-pilot-zone-2nd-anniversary/article.txt" in names
    assert any(n.startswith("builder/data/articles/") and n.endswith(".yaml") for n in names)
    for query in resources.query_files():
        assert f"builder/queries/{query}.rq" in names


def test_ontology_version_is_the_package_version() -> None:
    versions = {str(o) for o in ontology_graph().objects(None, None) if str(o) == __version__}
    assert versions == {__version__}
    iri = f"https://w3id.org/luohu-kg/ontology/{__version__}"
    assert iri in {str(o) for o in ontology_graph().objects()}
