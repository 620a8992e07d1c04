"""A non-editable install carries the ontology, the queries and the data as package data."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
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


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout[-1500:]}{done.stderr[-1500:]}"
    return done


def test_a_non_editable_install_runs_from_anywhere(tmp_path: Path) -> None:
    """The wheel installed (not editable) into a fresh venv: build, query and validate from
    another folder, and the checkout's own tests and `python -m builder` beside it."""
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
         tmp_path)  # fmt: skip
    [wheel] = tmp_path.glob("luohu_kg-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    _run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path
    )
    # its dependencies: this environment's, as a plain path (its .pth files, among them the
    # editable install of the checkout, are not run from there)
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                tmp_path).stdout.strip()  # fmt: skip
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import builder; print(builder.__file__)"], elsewhere)
    assert where.stdout.strip().startswith(str(venv))  # the installed copy, not the checkout
    cli = str(venv / "bin" / "luohu-kg")
    built = _run([cli, "build", "--out", "out"], elsewhere)
    assert (elsewhere / "out" / "luohu-kg.ttl").is_file() and "wrote" in built.stdout.lower()
    counts = _run([cli, "query", "counts-by-class", "--format", "csv"], elsewhere)
    assert "lk:Observation" in counts.stdout or "Observation" in counts.stdout
    assert "conforms" in _run([cli, "validate"], elsewhere).stdout
    # from the checkout, `builder` is the source tree: its package data is found beside it
    assert "conforms" in _run([str(python), "-m", "builder", "validate"], ROOT).stdout
    tests = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "tests/test_datacube.py", "tests/test_skos.py"], ROOT)  # fmt: skip
    assert " passed" in tests.stdout and "failed" not in tests.stdout
