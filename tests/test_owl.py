"""The Turtle is OWL 2 DL (OWL API profile check: no violation) and HermiT finds the ontology
with the data consistent.

Both run in Java: tests/owl/OwlCheck.java is compiled against the HermiT jar that owlready2
ships (it bundles the OWL API). Without a JDK the test is skipped, unless the environment
variable CI is set: then it fails (.ci/run installs one).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest

from builder.outputs import serialize
from builder.pipeline import Built

CHECKER = Path(__file__).resolve().parent / "owl" / "OwlCheck.java"
VOCABULARIES = sorted((Path(__file__).resolve().parent / "vocab").glob("*.ttl"))


def _jdk() -> tuple[str, str]:
    java, javac = shutil.which("java"), shutil.which("javac")
    if java is None or javac is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no JDK is installed: apt-get install default-jdk-headless")
        pytest.skip("no JDK (java and javac); CI installs one")
    return java, javac


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs OwlCheck, compiled once per session."""
    java, javac = _jdk()
    jar = str(files("owlready2") / "hermit" / "HermiT.jar")
    classes = tmp_path_factory.mktemp("owlcheck")
    subprocess.run([javac, "-cp", jar, "-d", str(classes), str(CHECKER)], check=True)
    return [java, "-cp", f"{jar}{os.pathsep}{classes}", "OwlCheck"]


def _check(checker: list[str], *documents: Path) -> dict[str, str]:
    done = subprocess.run(
        [*checker, *map(str, documents)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    result = dict(line.split(": ", 1) for line in lines if not line.startswith("violation: "))
    result["details"] = "\n".join(line for line in lines if line.startswith("violation: "))[:4000]
    return result


def test_the_graph_is_owl2_dl_and_consistent(
    checker: list[str], article_built: Built, tmp_path: Path
) -> None:
    turtle = tmp_path / "luohu-kg.ttl"
    turtle.write_bytes(serialize(article_built.parts(), "ttl", with_ontology=True))
    result = _check(checker, turtle)
    assert result["violations"] == "0", result["details"]
    assert result["consistent"] == "true"


def test_the_checker_sees_a_violation_and_an_inconsistency(
    checker: list[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ex: <https://example.org/> .
ex:A a owl:Class . ex:B a owl:Class ; owl:disjointWith ex:A .
ex:x a ex:A , ex:B .
ex:p a owl:ObjectProperty , owl:DatatypeProperty .
ex:s a rdf:Statement .
""",
        encoding="utf-8",
    )
    result = _check(checker, broken)
    assert int(result["violations"]) >= 2, result
    assert result["consistent"] == "false"


def _vocabularies() -> list[Path]:
    return [*VOCABULARIES, Path(str(files("owlready2") / "ontos" / "dcterms.owl"))]


def test_consistent_with_the_reused_vocabularies_loaded(
    checker: list[str], article_built: Built, tmp_path: Path
) -> None:
    turtle = tmp_path / "luohu-kg.ttl"
    turtle.write_bytes(serialize(article_built.parts(), "ttl", with_ontology=True))
    assert len(_vocabularies()) >= 5
    assert _check(checker, turtle, *_vocabularies())["consistent"] == "true"


def test_an_activity_derived_from_evidence_is_inconsistent_with_prov_o(
    checker: list[str], article_built: Built, tmp_path: Path
) -> None:
    # what the graph did before: prov:wasDerivedFrom (domain prov:Entity) on a project, which
    # lk:Project ⊑ prov:Activity makes an activity too; PROV-O has them disjoint
    turtle = tmp_path / "luohu-kg.ttl"
    text = serialize(article_built.parts(), "ttl", with_ontology=True).decode("utf-8")
    text += (
        "\nlkd:qingshuihe-shantytown-redevelopment prov:wasDerivedFrom "
        "evidence:qingshuihe-shantytown-redevelopment .\n"
    )
    turtle.write_text(text, encoding="utf-8")
    assert _check(checker, turtle)["consistent"] == "true"  # alone, nothing says disjoint
    assert _check(checker, turtle, *_vocabularies())["consistent"] == "false"
