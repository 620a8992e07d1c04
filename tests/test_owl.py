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
VOCAB = Path(__file__).resolve().parent / "vocab"
VOCABULARIES = sorted([*VOCAB.glob("*.ttl"), *VOCAB.glob("*.rdf")])
# the namespace each file of tests/vocab defines (where each comes from: tests/vocab/README.md)
NAMESPACES = {
    "prov-o.ttl": "http://www.w3.org/ns/prov#",
    "org.ttl": "http://www.w3.org/ns/org#",
    "oa.ttl": "http://www.w3.org/ns/oa#",
    "sosa.ttl": "http://www.w3.org/ns/sosa/",
    "skos.rdf": "http://www.w3.org/2004/02/skos/core#",
    "cube.ttl": "http://purl.org/linked-data/cube#",
    "time.ttl": "http://www.w3.org/2006/time#",
    "schemaorg-current-https.ttl": "https://schema.org/",
    "SCHEMA_QUDT.ttl": "http://qudt.org/schema/qudt/",
    "VOCAB_QUDT-UNITS-ALL.ttl": "http://qudt.org/vocab/unit/",
}
# Their axioms use datatypes outside the OWL 2 datatype map (OWL-Time: xsd:gYear, xsd:gMonth,
# xsd:gDay, xsd:gYearMonth, xsd:date, xsd:duration; QUDT: rdf:HTML), on which HermiT stops
# with UnsupportedDatatypeException unless OwlCheck is given --ignore-unsupported-datatypes
# (only the test that loads them does so).
# The QUDT units go with the QUDT schema.
UNSUPPORTED_DATATYPES = {"time.ttl", "SCHEMA_QUDT.ttl", "VOCAB_QUDT-UNITS-ALL.ttl"}


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


def _run(checker: list[str], *documents: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*checker, *map(str, documents)], capture_output=True, text=True, timeout=600
    )


def _check(checker: list[str], *documents: Path) -> dict[str, str]:
    done = _run(checker, *documents)
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


def _vocabularies(*, all_of_them: bool = False) -> list[Path]:
    """The vocabularies to load after the graph: by default those HermiT reads as they are."""
    return [
        *(path for path in VOCABULARIES if all_of_them or path.name not in UNSUPPORTED_DATATYPES),
        Path(str(files("owlready2") / "ontos" / "dcterms.owl")),
    ]


def test_each_reused_vocabulary_is_there() -> None:
    assert [path.name for path in VOCABULARIES] == sorted(NAMESPACES)
    for path in VOCABULARIES:
        assert NAMESPACES[path.name] in path.read_text(encoding="utf-8"), path.name
    assert UNSUPPORTED_DATATYPES.issubset(NAMESPACES)
    assert _vocabularies(all_of_them=True)[-1].is_file()  # DCMI Terms, shipped by owlready2


def test_consistent_with_the_reused_vocabularies_loaded(
    checker: list[str], article_built: Built, tmp_path: Path
) -> None:
    turtle = tmp_path / "luohu-kg.ttl"
    turtle.write_bytes(serialize(article_built.parts(), "ttl", with_ontology=True))
    vocabularies = _vocabularies()
    # PROV-O, ORG, Web Annotation, SOSA, SKOS, Data Cube, schema.org and DCMI Terms
    assert len(vocabularies) == len(NAMESPACES) - len(UNSUPPORTED_DATATYPES) + 1
    assert _check(checker, turtle, *vocabularies)["consistent"] == "true"


def test_consistent_with_owl_time_and_qudt_loaded_too(
    checker: list[str], article_built: Built, tmp_path: Path
) -> None:
    turtle = tmp_path / "luohu-kg.ttl"
    turtle.write_bytes(serialize(article_built.parts(), "ttl", with_ontology=True))
    vocabularies = _vocabularies(all_of_them=True)
    assert len(vocabularies) == len(NAMESPACES) + 1
    done = _run(checker, turtle, *vocabularies, Path("--ignore-unsupported-datatypes"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "consistent: true" in done.stdout.splitlines()


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
    assert _check(checker, turtle, VOCAB / "prov-o.ttl")["consistent"] == "false"
